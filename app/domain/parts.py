"""The vocabulary and limits of parts (配件): how long each text of a part, a sale, a count and
an old-part shipment may be (the printed papers are laid out for these), and how payment is
made at the counter."""

from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum

from app.domain.numbering import human_number

MAX_PART_NO = 32
MAX_PART_NAME = 64
MAX_SPECIFICATION = 200
MAX_MODELS = 500  # compatible product models, comma separated
MAX_UNIT = 8
MAX_LOCATION = 32
MAX_REASON = 200
MAX_CARRIER = 64
MAX_SALE_LINES = 200
MAX_COUNT_LINES = 50_000


class PaymentMethod(StrEnum):
    CASH = "cash"  # 现金
    WECHAT = "wechat"  # 微信
    ALIPAY = "alipay"  # 支付宝
    BANK_CARD = "bank_card"  # 银行卡
    ON_ACCOUNT = "on_account"  # 挂账 (company customers)


#: the namespace of part ids: a part's id is derived from its number, so a part imported
#: offline and the same part pulled from head office are one row
PART_NAMESPACE = uuid.UUID("6f1c8a2e-3f7b-5d0a-9e41-7a2b3c4d5e6f")


def part_id(part_no: str) -> str:
    """The id of the catalogue part numbered ``part_no`` (case and surrounding space aside)."""
    return str(uuid.uuid5(PART_NAMESPACE, part_no.strip().upper()))


class MovementKind(StrEnum):
    """What moved stock. Sellable stock is the sum of the sellable kinds; old parts (旧件) are
    counted by their own two kinds and are never sellable."""

    RECEIVED = "received"  # 入库 (from head office)
    ISSUED = "issued"  # 领用 (onto a service order)
    RETURNED = "returned"  # 退回 (unused, from an order)
    SOLD = "sold"  # 销售
    SALE_VOIDED = "sale_voided"  # 销售作废
    COUNT_ADJUSTMENT = "count_adjustment"  # 盘点调整
    OLD_COLLECTED = "old_collected"  # 旧件回收
    OLD_SHIPPED = "old_shipped"  # 旧件返厂

    @property
    def sellable(self) -> bool:
        return self not in (MovementKind.OLD_COLLECTED, MovementKind.OLD_SHIPPED)

    @property
    def sign(self) -> int:
        """+1 into stock, -1 out of it, 0 either way (a count adjustment)."""
        return _SIGNS[self]


_SIGNS = {
    MovementKind.RECEIVED: 1, MovementKind.ISSUED: -1, MovementKind.RETURNED: 1,
    MovementKind.SOLD: -1, MovementKind.SALE_VOIDED: 1, MovementKind.COUNT_ADJUSTMENT: 0,
    MovementKind.OLD_COLLECTED: 1, MovementKind.OLD_SHIPPED: -1,
}


class CountStatus(StrEnum):
    OPEN = "open"  # 盘点中
    POSTED = "posted"  # 已过账


class PartsOrderStatus(StrEnum):
    DRAFT = "draft"  # 草稿
    SUBMITTED = "submitted"  # 已提交
    CONFIRMED = "confirmed"  # 总部已确认
    SHIPPED = "shipped"  # 总部已发货
    PARTLY_RECEIVED = "partly_received"  # 部分到货
    RECEIVED = "received"  # 已到货
    CANCELLED = "cancelled"  # 已取消


class OldPartStatus(StrEnum):
    COLLECTED = "collected"  # 已回收
    PACKED = "packed"  # 已装箱
    SHIPPED = "shipped"  # 已返厂
    RECEIVED = "received"  # 总部已签收
    INSPECTED = "inspected"  # 总部已鉴定


class InspectionResult(StrEnum):
    """Head office's verdict on a returned old part (旧件鉴定)."""

    OK = "ok"  # 鉴定合格 (the claim stands)
    DEFECT_CONFIRMED = "defect_confirmed"  # 确认故障
    NO_FAULT_FOUND = "no_fault_found"  # 未见故障
    NOT_RECEIVED = "not_received"  # 未收到


class ShipmentStatus(StrEnum):
    OPEN = "open"  # 装箱中
    SHIPPED = "shipped"  # 已发运
    RECEIVED = "received"  # 总部已签收


class DocumentPrefix(StrEnum):
    """The human numbers of the parts documents: ``<prefix>-<station>-<yyyymmdd>-<nnnn>``."""

    SALE = "SA"
    COUNT = "PC"
    PARTS_ORDER = "PO"
    SHIPMENT = "RS"
    OLD_PART = "OP"
    CLAIM_BATCH = "CB"  # 索赔批次 (app.services.claims)
    FEEDBACK = "QF"  # 产品质量反馈卡 (app/services/feedback.py)


def document_number(prefix: DocumentPrefix, station_code: str, day: date, sequence: int,
                    tag: str = "") -> str:
    """The ``sequence``-th ``prefix`` document of ``day`` of the device with ``tag`` ("" for
    the station's first device; ``app.domain.numbering``)."""
    return human_number(prefix.value, station_code, day, sequence, tag)
