"""The vocabulary and limits of parts (配件): how long each text of a part, a sale, a count and
an old-part shipment may be (the printed papers are laid out for these), and how payment is
made at the counter."""

from __future__ import annotations

from enum import StrEnum

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
