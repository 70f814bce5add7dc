"""Which entities sync carries, who owns each, how head office stores it and how a clash is
settled: the one table a later area extends to make its rows travel.

Adding an entity is one ``EntitySpec`` line in ``ENTITIES`` (plus, for a station-owned one,
the service writing its outbox rows through ``app.services.journal.record``). Head office stores
station rows generically by ``storage``; the station applies head-office rows by ``entity`` name.
Pure Python: both the station and the server import it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sync.protocol import HqEntity, OpKind


class Owner(StrEnum):
    STATION = "station"  # written at the station, pushed up; head office never edits it
    HQ = "hq"  # written at head office, pulled down; a station may not push it


class Storage(StrEnum):
    """How head office keeps a station-owned entity."""

    #: latest state per (entity, entity_id) in the generic records table; deletes tombstone it
    RECORD = "record"
    #: like RECORD, plus the head-office order projection (number, status, station) used by
    #: dispatch, cancel and the state-machine merge
    ORDER = "order"
    #: append-only: every op kept once, an existing id is never overwritten (stock ledger)
    LEDGER = "ledger"
    #: a conflict the station recorded, kept for a person at head office
    CONFLICT = "conflict"
    #: head-office-owned: lives in head office's change log, never accepted from a station
    CHANGE_LOG = "change_log"


class ConflictRule(StrEnum):
    """How a clash is settled. Never by wall clock."""

    #: the owner's latest op (by the station's own seq) wins; nobody else may write it
    OWNER_WINS = "owner_wins"
    #: order status merges through app.domain.state_machine: a station completion beats a
    #: later head-office cancel, which becomes a conflict record on both sides
    STATE_MACHINE = "state_machine"
    #: an edit based on an older revision than the current one becomes a conflict record
    REVISION = "revision"
    #: only grows; a repeated id is ignored, never overwritten
    APPEND_ONLY = "append_only"


@dataclass(frozen=True)
class EntitySpec:
    name: str
    owner: Owner
    storage: Storage
    conflict: ConflictRule
    ops: frozenset[OpKind]
    #: the station table the rows live in (for the station side; "" when not a table)
    station_table: str = ""
    description: str = ""

    @property
    def pushed(self) -> bool:
        return self.owner is Owner.STATION

    @property
    def pulled(self) -> bool:
        return self.owner is Owner.HQ


_UPSERT = frozenset({OpKind.UPSERT})
_UPSERT_DELETE = frozenset({OpKind.UPSERT, OpKind.DELETE})
_EVENT = frozenset({OpKind.EVENT})

ENTITIES: dict[str, EntitySpec] = {
    s.name: s
    for s in (
        # station -> head office
        EntitySpec("station", Owner.STATION, Storage.RECORD, ConflictRule.OWNER_WINS, _UPSERT,
                   "station", "the station's own name, address, phone"),
        EntitySpec("user", Owner.STATION, Storage.RECORD, ConflictRule.OWNER_WINS, _UPSERT,
                   "users", "station users with their slow-KDF password hashes (so they log in on "
                   "every device of the station); lockout state stays on each device"),
        EntitySpec("customer", Owner.STATION, Storage.RECORD, ConflictRule.OWNER_WINS,
                   _UPSERT_DELETE, "customers", "customer files with their phones"),
        EntitySpec("product", Owner.STATION, Storage.RECORD, ConflictRule.OWNER_WINS,
                   _UPSERT_DELETE, "products", "products customers own"),
        EntitySpec("service_order", Owner.STATION, Storage.ORDER, ConflictRule.STATE_MACHINE,
                   _UPSERT, "service_orders", "service orders with charge_lines inline"),
        EntitySpec("repair_record", Owner.STATION, Storage.RECORD, ConflictRule.OWNER_WINS,
                   _UPSERT_DELETE, "repair_records", "what a technician found and did"),
        EntitySpec("attachment", Owner.STATION, Storage.RECORD, ConflictRule.OWNER_WINS,
                   _UPSERT_DELETE, "attachments", "photo metadata (the file stays local)"),
        EntitySpec("sync_conflict", Owner.STATION, Storage.CONFLICT, ConflictRule.APPEND_ONLY,
                   _EVENT, "", "a conflict the station recorded, reported for head office"),
        # parts (app/services/stock_ledger.py and the parts services)
        EntitySpec("stock_movement", Owner.STATION, Storage.LEDGER, ConflictRule.APPEND_ONLY,
                   _EVENT, "stock_movements", "the stock ledger: every movement, once"),
        EntitySpec("part_setting", Owner.STATION, Storage.RECORD, ConflictRule.OWNER_WINS,
                   _UPSERT, "part_settings", "the station's shelf and low-stock threshold"),
        EntitySpec("stock_reservation", Owner.STATION, Storage.RECORD, ConflictRule.OWNER_WINS,
                   _UPSERT, "stock_reservations", "parts set aside for an order"),
        EntitySpec("sale", Owner.STATION, Storage.RECORD, ConflictRule.OWNER_WINS, _UPSERT,
                   "sales", "counter sales (零件销售) with their lines inline"),
        EntitySpec("stock_count", Owner.STATION, Storage.RECORD, ConflictRule.OWNER_WINS,
                   _UPSERT, "stock_counts", "stock counts (盘点) with their lines inline"),
        EntitySpec("parts_order", Owner.STATION, Storage.RECORD, ConflictRule.OWNER_WINS,
                   _UPSERT, "parts_orders", "orders of parts to head office, lines inline"),
        # deleted when the new part is returned unused before its old part is packed
        EntitySpec("old_part", Owner.STATION, Storage.RECORD, ConflictRule.OWNER_WINS,
                   _UPSERT_DELETE, "old_parts", "defective old parts (旧件) with their tags"),
        EntitySpec("old_part_shipment", Owner.STATION, Storage.RECORD,
                   ConflictRule.OWNER_WINS, _UPSERT, "old_part_shipments",
                   "return shipments of old parts (旧件返厂)"),
        # warranty (app/services/claims.py, feedback.py, visits.py)
        EntitySpec("claim_batch", Owner.STATION, Storage.RECORD, ConflictRule.OWNER_WINS,
                   _UPSERT, "claim_batches",
                   "a submitted claim batch with its lines and overrides inline"),
        EntitySpec("feedback_card", Owner.STATION, Storage.RECORD, ConflictRule.OWNER_WINS,
                   _UPSERT, "feedback_cards",
                   "quality feedback cards (产品质量反馈卡), photo metadata inline"),
        EntitySpec("return_visit", Owner.STATION, Storage.RECORD, ConflictRule.OWNER_WINS,
                   _UPSERT, "return_visits", "return visits (回访) with their attempts inline"),
        EntitySpec("order_payment", Owner.STATION, Storage.RECORD, ConflictRule.OWNER_WINS,
                   _UPSERT, "order_payments",
                   "what a customer paid for an order, or the manager's waiver (收款)"),
        # a customer's personal data erased on request (app/services/customer_privacy.py):
        # head office erases its copy and keeps the record (sync/hq/erasure.py)
        EntitySpec("customer_erasure", Owner.STATION, Storage.RECORD, ConflictRule.OWNER_WINS,
                   _EVENT, "customer_erasures",
                   "a customer's personal data erased on request, with who asked and why"),
        # visits booked with the customer (app/services/appointments.py): a move keeps the old
        # booking as moved, with its reason
        EntitySpec("appointment", Owner.STATION, Storage.RECORD, ConflictRule.OWNER_WINS,
                   _UPSERT, "appointments", "a visit booked with the customer (预约)"),
        # the customer's signature on screen (app/services/signatures.py), the PNG base64
        EntitySpec("order_signature", Owner.STATION, Storage.RECORD, ConflictRule.OWNER_WINS,
                   _UPSERT, "order_signatures",
                   "the customer's signature with the hash of the charges signed (客户签字)"),
        # customer notifications (app/services/notifications.py): the station queues them,
        # head office sends them and owns their delivery state (notification_state)
        EntitySpec("notification", Owner.STATION, Storage.RECORD, ConflictRule.OWNER_WINS,
                   _UPSERT, "notifications", "a message queued for a customer (客户通知)"),
        # head office -> station
        EntitySpec(HqEntity.DISPATCH_ORDER.value, Owner.HQ, Storage.CHANGE_LOG,
                   ConflictRule.OWNER_WINS, _UPSERT, "service_orders",
                   "an order head office's call centre dispatched to the station"),
        EntitySpec(HqEntity.ORDER_UPDATE.value, Owner.HQ, Storage.CHANGE_LOG, ConflictRule.REVISION,
                   _UPSERT, "service_orders",
                   "head office edits a dispatched order; a stale base revision -> conflict"),
        EntitySpec(HqEntity.CANCEL_ORDER.value, Owner.HQ, Storage.CHANGE_LOG,
                   ConflictRule.STATE_MACHINE, _EVENT, "service_orders",
                   "head office cancels an order; a completed order stays completed"),
        EntitySpec(HqEntity.NOTICE.value, Owner.HQ, Storage.CHANGE_LOG, ConflictRule.OWNER_WINS,
                   _UPSERT_DELETE, "", "business notices (业务公告)"),
        EntitySpec(HqEntity.PART.value, Owner.HQ, Storage.CHANGE_LOG, ConflictRule.OWNER_WINS,
                   _UPSERT, "parts", "the parts catalogue (配件目录)"),
        EntitySpec(HqEntity.PARTS_ORDER_UPDATE.value, Owner.HQ, Storage.CHANGE_LOG,
                   ConflictRule.OWNER_WINS, _UPSERT, "parts_orders",
                   "head office confirms or ships a station's parts order"),
        EntitySpec(HqEntity.OLD_PART_INSPECTION.value, Owner.HQ, Storage.CHANGE_LOG,
                   ConflictRule.OWNER_WINS, _UPSERT, "old_parts",
                   "head office received or inspected an old part"),
        EntitySpec(HqEntity.WARRANTY_POLICY.value, Owner.HQ, Storage.CHANGE_LOG,
                   ConflictRule.OWNER_WINS, _UPSERT, "warranty_policies",
                   "the warranty policy in force (三包政策)"),
        EntitySpec(HqEntity.CLAIM_DECISION.value, Owner.HQ, Storage.CHANGE_LOG,
                   ConflictRule.OWNER_WINS, _UPSERT, "claim_batches",
                   "head office's decisions on a claim batch's lines"),
        EntitySpec(HqEntity.CLAIM_SETTLEMENT.value, Owner.HQ, Storage.CHANGE_LOG,
                   ConflictRule.OWNER_WINS, _UPSERT, "claim_batches",
                   "the settlement statement of a claim batch"),
        EntitySpec(HqEntity.NOTIFICATION_STATE.value, Owner.HQ, Storage.CHANGE_LOG,
                   ConflictRule.OWNER_WINS, _UPSERT, "notifications",
                   "head office sent a customer message, or gave up: delivered or failed"),
    )
}

#: the payload fields of a station entity that name another station-owned row (the foreign keys
#: of its station table, ``tests/sync/hq`` checks they agree): head office refuses an op whose
#: reference is a row of another station, so no station can attach data to another's rows
REFERENCES: dict[str, dict[str, str]] = {
    "product": {"customer_id": "customer"},
    "service_order": {"customer_id": "customer", "product_id": "product",
                      "technician_id": "user", "created_by": "user",
                      "related_order_id": "service_order"},
    "repair_record": {"order_id": "service_order", "technician_id": "user",
                      "voided_by": "user"},
    "attachment": {"order_id": "service_order", "voided_by": "user"},
    "stock_movement": {"user_id": "user", "order_id": "service_order", "sale_id": "sale",
                       "count_id": "stock_count", "parts_order_id": "parts_order"},
    "stock_reservation": {"order_id": "service_order"},
    "sale": {"cashier_id": "user", "customer_id": "customer", "voided_by": "user"},
    "stock_count": {"opened_by": "user", "posted_by": "user"},
    "parts_order": {"created_by": "user"},
    "old_part": {"order_id": "service_order", "shipment_id": "old_part_shipment"},
    "old_part_shipment": {"created_by": "user"},
    "order_payment": {"order_id": "service_order", "received_by": "user"},
    "claim_batch": {"created_by": "user", "submitted_by": "user", "paid_by": "user"},
    "feedback_card": {"order_id": "service_order", "created_by": "user",
                      "submitted_by": "user"},
    "return_visit": {"order_id": "service_order", "visited_by": "user",
                     "complaint_order_id": "service_order"},
    "customer_erasure": {"customer_id": "customer", "erased_by": "user"},
    "appointment": {"order_id": "service_order", "technician_id": "user",
                    "created_by": "user"},
    "order_signature": {"order_id": "service_order", "taken_by": "user", "voided_by": "user"},
    "notification": {"order_id": "service_order", "customer_id": "customer"},
}


#: head-office changes addressed to a station that only its primary device applies (its
#: lowest-numbered active one): applying them writes station rows (an order from a dispatch,
#: its cancel, a parts order's receipt...), which then travel to the other devices as that
#: device's ops. Every other change (catalogue, policy, notices, claim decisions, delivery
#: states) sets head-office-owned values alike on every device, so every device applies it.
PRIMARY_ONLY: frozenset[str] = frozenset({
    HqEntity.DISPATCH_ORDER.value, HqEntity.ORDER_UPDATE.value, HqEntity.CANCEL_ORDER.value,
    HqEntity.PARTS_ORDER_UPDATE.value, HqEntity.OLD_PART_INSPECTION.value,
})

#: station entities in the order a joining device loads them (a row's references first):
#: head office's station-state download walks them in this order
RELAY_ORDER: tuple[str, ...] = (
    "station", "user", "customer", "product", "service_order", "repair_record", "attachment",
    "part_setting", "sale", "stock_count", "parts_order", "old_part_shipment", "old_part",
    "stock_reservation", "stock_movement", "order_payment", "claim_batch", "feedback_card",
    "return_visit", "appointment", "order_signature", "notification", "customer_erasure",
)

#: station entities that stay on the device that wrote them (a conflict is that device's to
#: show and settle; head office keeps its own record of it)
NOT_RELAYED: frozenset[str] = frozenset({"sync_conflict"})


def relayed(name: str) -> bool:
    """Whether head office hands ``name``'s ops to the station's other devices."""
    s = ENTITIES.get(name)
    return s is not None and s.owner is Owner.STATION and name not in NOT_RELAYED


def spec(name: str) -> EntitySpec | None:
    """The declaration of ``name``, or ``None`` for an entity sync does not carry."""
    return ENTITIES.get(name)


def station_entities() -> list[EntitySpec]:
    """Entities a station pushes."""
    return [s for s in ENTITIES.values() if s.owner is Owner.STATION]


def hq_entities() -> list[EntitySpec]:
    """Entities head office sends down."""
    return [s for s in ENTITIES.values() if s.owner is Owner.HQ]


def check_declarations() -> None:
    """Raises ``ValueError`` on an inconsistent table (run by the tests)."""
    for name, s in ENTITIES.items():
        if name != s.name or not name or len(name) > 32:
            raise ValueError(f"bad entity name {name!r}")
        if (s.owner is Owner.HQ) != (s.storage is Storage.CHANGE_LOG):
            raise ValueError(f"{name}: head-office entities live in the change log, only they")
        if s.storage is Storage.LEDGER and s.conflict is not ConflictRule.APPEND_ONLY:
            raise ValueError(f"{name}: a ledger is append-only")
        if not s.ops:
            raise ValueError(f"{name}: declare the ops it carries")
    moving = {n for n in ENTITIES if relayed(n)}
    if set(RELAY_ORDER) != moving or len(RELAY_ORDER) != len(moving):
        raise ValueError("RELAY_ORDER must list every relayed station entity once: "
                         f"{sorted(moving ^ set(RELAY_ORDER))}")
    if not {n for n, s in ENTITIES.items() if s.owner is Owner.HQ} >= PRIMARY_ONLY:
        raise ValueError("PRIMARY_ONLY names head-office entities only")


check_declarations()
