"""Head office's tables (its own metadata, separate from the station store).

Stations and their token hashes, the permanent per-station high-water mark, stored batch
acknowledgements, every op received (unique per station: exactly once; with action and user it
is also the audit trail), head office's copies of station data (a generic record per entity row
plus an order projection), the change log stations pull from, rejected ops, conflicts, notices.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# the same column conventions as the station store: UTC times, UUID text keys, names
from app.store.base import NAMING, UtcDateTime, new_id, utcnow


class HqBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UtcDateTime(), int: BigInteger().with_variant(Integer,
                                                                                    "sqlite")}


class HqStation(HqBase):
    __tablename__ = "hq_stations"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    #: SHA-256 hex of the bearer token; the token itself is never stored
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_push_at: Mapped[datetime | None] = mapped_column(default=None)
    last_pull_at: Mapped[datetime | None] = mapped_column(default=None)
    #: the highest change-log cursor handed to this station (backlog = changes after it)
    pulled_seq: Mapped[int] = mapped_column(default=0)


class HqDevice(HqBase):
    """One device (PC, laptop) of a station, with its own revocable token and seq (issue 15).

    Number 1 is the station's first device: its token is the station's token of protocol 1
    (``HqStation.token_hash`` is kept equal to it), its batches name no device and its human
    numbers carry no letter; later devices are 2, 3, ... with the letter ``tag``."""

    __tablename__ = "hq_devices"
    __table_args__ = (UniqueConstraint("station_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("hq_stations.id"), index=True)
    number: Mapped[int] = mapped_column()
    name: Mapped[str] = mapped_column(String(64))
    #: the letter of its human numbers ("" for device 1)
    tag: Mapped[str] = mapped_column(String(2), default="")
    #: SHA-256 hex of the bearer token; the token itself is never stored
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_push_at: Mapped[datetime | None] = mapped_column(default=None)
    last_pull_at: Mapped[datetime | None] = mapped_column(default=None)
    #: the highest change-log cursor handed to this device (backlog = changes after it)
    pulled_seq: Mapped[int] = mapped_column(default=0)
    #: the last seq applied of this device's outbox; its row is the device's push lock
    high_water: Mapped[int] = mapped_column(default=0)
    #: its next pull answers 410 (take a snapshot): it became the primary device after the
    #: last one was revoked, and must learn head office's open orders
    needs_snapshot: Mapped[bool] = mapped_column(Boolean, default=False)


class HqHighWater(HqBase):
    """The last seq applied of the station's first device (protocol 1's per-station mark,
    kept equal to device 1's ``HqDevice.high_water``). Permanent."""

    __tablename__ = "hq_high_water"

    station_id: Mapped[int] = mapped_column(ForeignKey("hq_stations.id"), primary_key=True)
    high_water: Mapped[int] = mapped_column(default=0)


class HqBatch(HqBase):
    __tablename__ = "hq_batches"
    __table_args__ = (UniqueConstraint("station_id", "batch_id"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("hq_stations.id"))
    batch_id: Mapped[str] = mapped_column(String(60))
    from_seq: Mapped[int] = mapped_column()
    to_seq: Mapped[int] = mapped_column()
    ack_json: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class HqReceivedOp(HqBase):
    """Every station op head office has seen, once; with action and user, the audit trail."""

    __tablename__ = "hq_received_ops"
    __table_args__ = (
        UniqueConstraint("station_id", "op_id"),
        Index("ix_hq_received_ops_entity", "entity", "entity_id"),
        Index("ix_hq_received_ops_seq", "station_id", "seq"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("hq_stations.id"))
    #: the device that sent it (``HqDevice.id``; None: before devices, i.e. device 1)
    device_id: Mapped[int | None] = mapped_column(ForeignKey("hq_devices.id"), default=None)
    op_id: Mapped[str] = mapped_column(String(36))
    seq: Mapped[int] = mapped_column()
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(36))
    op: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(32), default="")
    username: Mapped[str] = mapped_column(String(32), default="")
    #: the station's own timestamp (text as sent: shown, never used to decide anything)
    station_time: Mapped[str] = mapped_column(String(40), default="")
    status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(500), default="")
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class HqRecord(HqBase):
    """Head office's copy of one station-owned row (latest state; deletes leave a tombstone)."""

    __tablename__ = "hq_records"
    __table_args__ = (
        UniqueConstraint("entity", "entity_id"),
        Index("ix_hq_records_station", "station_id", "entity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("hq_stations.id"))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(36))
    revision: Mapped[int] = mapped_column(default=0)
    payload: Mapped[str] = mapped_column(Text)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    last_seq: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: the device whose op wrote the current state (``HqDevice.id``; 0: unknown, or head
    #: office's own merge) and the change that relayed it to the other devices (0: none,
    #: the station had one device): an op of another device made before it saw that change
    #: is a stale edit
    last_device_id: Mapped[int] = mapped_column(default=0, server_default="0")
    last_change_seq: Mapped[int] = mapped_column(default=0, server_default="0")


class HqOrder(HqBase):
    """Head office's view of a service order: dispatched by it, or pushed by a station."""

    __tablename__ = "hq_orders"
    __table_args__ = (Index("ix_hq_orders_station", "station_id", "status"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("hq_stations.id"))
    number: Mapped[str] = mapped_column(String(40), unique=True)
    status: Mapped[str] = mapped_column(String(16))
    order_type: Mapped[str] = mapped_column(String(16), default="")
    service_mode: Mapped[str] = mapped_column(String(16), default="")
    source: Mapped[str] = mapped_column(String(16), default="")
    customer_name: Mapped[str] = mapped_column(String(40), default="")
    contact_phone: Mapped[str] = mapped_column(String(32), default="")
    hq_reference: Mapped[str] = mapped_column(String(64), default="")
    #: the station's revision last seen (0 until the station pushes the order)
    revision: Mapped[int] = mapped_column(default=0)
    dispatched: Mapped[bool] = mapped_column(Boolean, default=False)
    #: current dispatch payload (HQ edits merged in) and the change that last carried it
    dispatch_payload: Mapped[str] = mapped_column(Text, default="")
    hq_revision: Mapped[int] = mapped_column(default=0)
    dispatch_seq: Mapped[int] = mapped_column(default=0)
    #: "" | pending (sent, not yet seen cancelled) | confirmed | conflict
    cancel_state: Mapped[str] = mapped_column(String(16), default="")
    cancel_reason: Mapped[str] = mapped_column(String(200), default="")
    cancel_seq: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class HqChange(HqBase):
    """Head office's change log; ``station_id`` NULL means addressed to every station.

    ``hq_seq`` is allocated from ``HqMeta['last_hq_seq']`` under a lock, so seq order is commit
    order and a puller can never step over a change that commits late.
    """

    __tablename__ = "hq_changes"
    __table_args__ = (
        Index("ix_hq_changes_station_seq", "station_id", "hq_seq"),
        Index("ix_hq_changes_created", "created_at"),
    )

    hq_seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    station_id: Mapped[int | None] = mapped_column(ForeignKey("hq_stations.id"), default=None)
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(64))
    op: Mapped[str] = mapped_column(String(16))
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: a relayed station op: its op id, and the device that made it (never handed back to
    #: it; None with an op id: head office's merge, handed to every device)
    op_id: Mapped[str] = mapped_column(String(36), default="", server_default="")
    origin_device_id: Mapped[int | None] = mapped_column(ForeignKey("hq_devices.id"),
                                                         default=None)


class HqMeta(HqBase):
    """Counters and marks: ``last_hq_seq`` (also the change-log lock row), ``pruned_through``."""

    __tablename__ = "hq_meta"

    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(default=0)


class HqOrderCounter(HqBase):
    """Head office's order numbers per station and day, from 5001 so they never meet the
    station's own (0001...)."""

    __tablename__ = "hq_order_counters"

    station_id: Mapped[int] = mapped_column(ForeignKey("hq_stations.id"), primary_key=True)
    day: Mapped[str] = mapped_column(String(8), primary_key=True)
    last: Mapped[int] = mapped_column(default=5000)


class HqRejectedOp(HqBase):
    __tablename__ = "hq_rejected_ops"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("hq_stations.id"), index=True)
    batch_id: Mapped[str] = mapped_column(String(60))
    seq: Mapped[int] = mapped_column()
    op_id: Mapped[str] = mapped_column(String(36))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(36))
    op: Mapped[str] = mapped_column(String(16))
    payload: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


#: the unique key of a conflict record (it replaced one per station, kind and subject)
CONFLICT_CLASH_KEY = "uq_hq_conflicts_clash"


class HqConflict(HqBase):
    """A clash kept for a person: one per clash, whoever noticed it first. A clash is the
    station's row meeting one head-office change (``clash`` is that change's hq_seq: the
    refused edit, the late cancel), so a second refused edit of the same order is a second
    record, while the late cancel that both sides notice is one."""

    __tablename__ = "hq_conflicts"
    __table_args__ = (UniqueConstraint("station_id", "kind", "subject_id", "clash",
                                       name=CONFLICT_CLASH_KEY),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    station_id: Mapped[int] = mapped_column(ForeignKey("hq_stations.id"))
    kind: Mapped[str] = mapped_column(String(32))
    subject_entity: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[str] = mapped_column(String(36))
    #: the hq_seq of the head-office change this clash is about (0: none named)
    clash: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    detail: Mapped[str] = mapped_column(Text, default="")
    #: "hq" when head office found it, "station" when a station reported it first
    found_by: Mapped[str] = mapped_column(String(8))
    resolved: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class HqConflictSettlement(HqBase):
    """What a station reported of one conflict beyond its detail (``sync.hq.conflicts``): a
    stale edit's fields side by side, and, once a person at the station settled it, how (per
    field: ours / theirs / edited and the value kept), by whom and when. A table of its own,
    so databases from before it only gain a table."""

    __tablename__ = "hq_conflict_settlements"

    conflict_id: Mapped[str] = mapped_column(ForeignKey("hq_conflicts.id"), primary_key=True)
    #: JSON {field: {"ours", "theirs", "base"}} ("{}" for kinds without fields)
    fields: Mapped[str] = mapped_column(Text, default="{}")
    #: JSON {field or "action": {"choice", "value"}} ("" while not settled)
    resolution: Mapped[str] = mapped_column(Text, default="")
    resolved_by: Mapped[str] = mapped_column(String(32), default="")
    resolved_at: Mapped[str] = mapped_column(String(40), default="")  # ISO, as the station sent
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class HqNotice(HqBase):
    __tablename__ = "hq_notices"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    station_id: Mapped[int | None] = mapped_column(ForeignKey("hq_stations.id"), default=None)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    hq_seq: Mapped[int] = mapped_column(default=0)


class HqOldPartInspection(HqBase):
    """Head office's receipt and inspection of one old part (旧件) a station sent back. The
    old part itself is the station's pushed ``old_part`` record; this row keeps head office's
    latest answer (the ``old_part_inspection`` payload), re-sent in a snapshot."""

    __tablename__ = "hq_old_part_inspections"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the old part's id
    station_id: Mapped[int] = mapped_column(ForeignKey("hq_stations.id"), index=True)
    tag_no: Mapped[str] = mapped_column(String(40), unique=True)
    #: received | inspected
    status: Mapped[str] = mapped_column(String(16))
    payload: Mapped[str] = mapped_column(Text)
    hq_seq: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

class HqPartsOrder(HqBase):
    """Head office's side of a station's parts order (零件订购): what it confirmed and shipped.

    The order itself (number, lines, the station's status) is the station's pushed
    ``parts_order`` record; this row keeps head office's whole answer as the latest
    ``parts_order_update`` payload, re-sent in a snapshot."""

    __tablename__ = "hq_parts_orders"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("hq_stations.id"), index=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    #: confirmed, then shipped once anything has left head office
    status: Mapped[str] = mapped_column(String(16))
    payload: Mapped[str] = mapped_column(Text)
    hq_seq: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class HqPart(HqBase):
    """配件目录: one catalogue part as head office last published it (``parts import``).

    ``payload`` is the part's fields as sent to stations; ``hq_seq`` is the change that last
    published it, and is also the part's revision (it only grows, even across a restore from
    a backup, which moves the change-log counter on), re-sent in every snapshot."""

    __tablename__ = "hq_parts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # part_id(part_no)
    part_no: Mapped[str] = mapped_column(String(32), unique=True)
    payload: Mapped[str] = mapped_column(Text)
    hq_seq: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class HqWarrantyPolicy(HqBase):
    """三包政策: the warranty policy as head office last published it (``policy import``).

    One row per published revision; the newest (highest ``hq_seq``) is in force and is
    re-sent in every snapshot. ``payload`` is the policy document
    (``WarrantyPolicy.to_payload``); ``hq_seq`` is the change that published it, also the
    policy's revision."""

    __tablename__ = "hq_warranty_policies"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    label: Mapped[str] = mapped_column(String(64), default="")
    payload: Mapped[str] = mapped_column(Text)
    hq_seq: Mapped[int] = mapped_column(default=0, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class HqClaimBatch(HqBase):
    """Head office's side of a station's warranty claim batch (三包索赔): its answer so far.

    The batch itself (number, lines, overrides) is the station's pushed ``claim_batch``
    record; this row keeps the latest ``claim_decision`` payload (every line decided so far)
    and, once settled, the ``claim_settlement`` payload, each with the change that carried it,
    re-sent in a snapshot (``sync.hq.claims``)."""

    __tablename__ = "hq_claim_batches"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the station's batch id
    station_id: Mapped[int] = mapped_column(ForeignKey("hq_stations.id"), index=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    decision_payload: Mapped[str] = mapped_column(Text, default="")
    decision_seq: Mapped[int] = mapped_column(default=0)
    #: None until settled; then the statement number (unique) and its amounts in fen
    statement_no: Mapped[str | None] = mapped_column(String(40), unique=True, default=None)
    claimed_fen: Mapped[int] = mapped_column(default=0)
    approved_fen: Mapped[int] = mapped_column(default=0)
    deducted_fen: Mapped[int] = mapped_column(default=0)
    payable_fen: Mapped[int] = mapped_column(default=0)
    deduct_reason: Mapped[str] = mapped_column(String(200), default="")
    settled_at: Mapped[datetime | None] = mapped_column(default=None)
    settlement_payload: Mapped[str] = mapped_column(Text, default="")
    settlement_seq: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class HqClaimDecision(HqBase):
    """Head office's decision on one line of a claim batch: approved (the claimed amount),
    adjusted (a lower amount, with a reason) or rejected (nothing, with a reason)."""

    __tablename__ = "hq_claim_decisions"

    line_id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the station's line
    batch_id: Mapped[str] = mapped_column(ForeignKey("hq_claim_batches.id"), index=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("hq_stations.id"))
    decision: Mapped[str] = mapped_column(String(16))
    approved_fen: Mapped[int] = mapped_column(default=0)
    reason: Mapped[str] = mapped_column(String(200), default="")
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)


class HqNotification(HqBase):
    """Head office's delivery of one customer message a station queued (客户通知): the message
    itself is the station's pushed ``notification`` record; this row is head office's side,
    the delivery state it owns and sends back (``notification_state``, ``sync.hq.notify``)."""

    __tablename__ = "hq_notifications"
    __table_args__ = (Index("ix_hq_notifications_state_due", "state", "next_attempt_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the station's row id
    station_id: Mapped[int] = mapped_column(ForeignKey("hq_stations.id"), index=True)
    #: queued | sent | delivered | failed
    state: Mapped[str] = mapped_column(String(12), default="queued")
    state_detail: Mapped[str] = mapped_column(String(200), default="")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(default=None)
    state_at: Mapped[datetime | None] = mapped_column(default=None)
    #: the change that last carried the state to the station (re-sent in a snapshot)
    state_seq: Mapped[int] = mapped_column(default=0)
