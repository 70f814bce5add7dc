"""What travels inside the messages: the head-office entities a station pulls, their payload
shapes, and the conflict kinds both sides record. Plain dicts on the wire; these TypedDicts and
enums document them for the client and the server. ``sync.protocol`` re-exports all of it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, NotRequired, TypedDict


class HqEntity(StrEnum):
    """Entities head office sends down in pull/snapshot changes."""

    DISPATCH_ORDER = "dispatch_order"
    ORDER_UPDATE = "order_update"
    CANCEL_ORDER = "cancel_order"
    NOTICE = "notice"
    #: a catalogue part (配件目录), published by ``repair-station-hq parts import``
    PART = "part"
    #: head office confirmed or shipped a station's parts order (零件订购)
    PARTS_ORDER_UPDATE = "parts_order_update"
    #: head office received or inspected an old part (旧件) a station sent back
    OLD_PART_INSPECTION = "old_part_inspection"
    #: the warranty policy in force (三包政策), published by ``repair-station-hq policy import``
    WARRANTY_POLICY = "warranty_policy"
    #: head office's decisions so far on the lines of a station's claim batch (索赔审核)
    CLAIM_DECISION = "claim_decision"
    #: the settlement statement of a claim batch (结算单)
    CLAIM_SETTLEMENT = "claim_settlement"
    #: head office's delivery state of a customer message a station queued (客户通知)
    NOTIFICATION_STATE = "notification_state"


class CustomerRef(TypedDict):
    id: NotRequired[str]
    name: str
    phones: list[str]
    address: str


class ProductRef(TypedDict):
    model: str
    serial_no: str
    purchase_date: str | None  # ISO date
    warranty_months: int


class DispatchOrderPayload(TypedDict):
    """``dispatch_order``: a service order head office's call centre took for the station."""

    order_id: str  # UUID chosen by head office; also the change's entity_id
    number: str  # SO-<station>-<yyyymmdd>-<nnnn>, nnnn from HQ's range (5001+)
    order_type: str  # app.domain.enums.OrderType value
    service_mode: str  # app.domain.enums.ServiceMode value
    fault_description: str
    contact_phone: str
    service_address: str
    called_at: str  # ISO UTC
    customer: CustomerRef
    product: NotRequired[ProductRef | None]
    hq_reference: str
    hq_revision: int


class OrderUpdatePayload(TypedDict):
    """``order_update``: head office edits fields of an order it dispatched.

    ``base_revision`` is the station revision head office based the edit on; a station whose
    order revision is higher keeps its own edit and records this one as a conflict.
    """

    order_id: str
    base_revision: int
    hq_revision: int
    fields: dict[str, Any]  # subset of fault_description, contact_phone, service_address,
    #                         order_type, service_mode


class CancelOrderPayload(TypedDict):
    order_id: str
    number: str
    reason: str


class NoticePayload(TypedDict):
    id: str
    title: str
    body: str
    published_at: str  # ISO UTC


class PartsOrderLineAnswer(TypedDict):
    part_id: str
    part_no: str
    quantity: int  # what the station ordered
    confirmed_quantity: int  # head office will supply this many (0 to quantity)
    shipped_quantity: int  # shipped so far, never more than confirmed


class PartsOrderUpdatePayload(TypedDict):
    """``parts_order_update``: head office's whole answer so far to a station's parts order
    (so applying it twice, or from a snapshot, ends the same; shipped quantities only grow)."""

    parts_order_id: str  # the station's order id; also the change's entity_id
    number: str  # PO-<station>-<yyyymmdd>-<nnnn>
    status: str  # "confirmed" | "shipped"
    hq_revision: int
    note: str  # head office's note to the station
    confirmed_at: str  # ISO UTC
    shipped_at: str | None  # ISO UTC of the latest shipment
    lines: list[PartsOrderLineAnswer]


class WarrantyPolicyPayload(TypedDict):
    """``warranty_policy`` (entity_id: the policy's id): the whole policy document
    (``app.domain.warranty_policy.WarrantyPolicy.to_payload``) and its revision (the hq_seq
    that published it); a station keeps the newest revision it has seen."""

    policy_id: str
    revision: int
    document: dict[str, Any]


class ClaimLineDecision(TypedDict):
    line_id: str  # the station's claim line id
    decision: str  # "approved" | "adjusted" | "rejected"
    approved_fen: int  # the amount head office pays for the line (0 when rejected)
    reason: str  # required for adjusted and rejected
    decided_at: str  # ISO UTC


class ClaimDecisionPayload(TypedDict):
    """``claim_decision`` (entity_id: the batch id): every line head office has decided so
    far (so applying it twice, or from a snapshot, ends the same)."""

    batch_id: str
    number: str  # the station's batch number
    hq_revision: int
    lines: list[ClaimLineDecision]


class ClaimSettlementPayload(TypedDict):
    """``claim_settlement`` (entity_id: the batch id): the period's statement;
    payable = approved - deducted, claimed = the sum of the batch's lines."""

    batch_id: str
    number: str
    statement_no: str
    hq_revision: int
    claimed_fen: int
    approved_fen: int
    deducted_fen: int
    payable_fen: int
    settled_at: str  # ISO UTC
    deduct_reason: NotRequired[str]  # why head office deducted (printed on the statement)


#: order fields head office may change with ``order_update``
HQ_EDITABLE_ORDER_FIELDS = frozenset(
    {"fault_description", "contact_phone", "service_address", "order_type", "service_mode"}
)


class ConflictKind(StrEnum):
    """What a conflict record is about; both sides use the same names, so a conflict head
    office found and the same one a station reports are recognised as one."""

    #: head office cancelled an order the station had completed: the completion stands
    CANCEL_AFTER_COMPLETION = "cancel_after_completion"
    #: head office edited an order the station had changed since: the station's edit stands
    STALE_HQ_EDIT = "stale_hq_edit"
    #: head office refused a station op (the reason says why)
    REJECTED_OP = "rejected_op"


class SyncConflictPayload(TypedDict):
    """Payload of a station-pushed ``sync_conflict`` event (entity_id: the conflict's own id).

    Head office keeps one record per (station, kind, subject_id); a repeat is ignored.
    """

    kind: str  # ConflictKind value
    subject_entity: str  # e.g. "service_order"
    subject_id: str  # the order (or other row) the conflict is about
    detail: str  # human-readable, for the person resolving it
    hq_seq: NotRequired[int]  # the head-office change that clashed, when there was one
    #: a stale head-office edit: each field side by side (values as text; base null when the
    #: station does not know what head office last gave)
    fields: NotRequired[dict[str, ConflictFieldValues]]
    #: the same conflict again, settled by a person at the station: per field (or, for kinds
    #: without fields, the key "action") what was chosen and the value kept
    resolution: NotRequired[dict[str, ConflictChoice]]
    resolved_by: NotRequired[str]  # the station user who settled it
    resolved_at: NotRequired[str]  # ISO UTC
    note: NotRequired[str]  # what the person wrote about it


class ConflictFieldValues(TypedDict):
    ours: str | None  # the station's value when the clash was found
    theirs: str | None  # head office's edit
    base: str | None  # the value both started from (as head office last gave it)


class ConflictChoice(TypedDict):
    """How one field (or a conflict without fields) was settled."""

    #: ours | theirs | edited for a field; for kinds without fields: keep_completion |
    #: cancel_order | acknowledged
    choice: str
    value: Any  # the value the order holds now (null for kinds without fields)
