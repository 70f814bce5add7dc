"""Station-side sync bookkeeping: registration, progress, conflicts, notices, HQ order links.

The station token is deliberately absent: it lives in the OS keyring or a user-only file
(``app.services.sync_token``), never in the database.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.store.base import Base, new_id, utcnow

#: the single row of ``sync_registration`` and ``sync_state``
SINGLETON_ID = 1


class SyncRegistration(Base):
    """Where head office is and who this station is there (one row once registered)."""

    __tablename__ = "sync_registration"

    id: Mapped[int] = mapped_column(primary_key=True, default=SINGLETON_ID)
    hq_url: Mapped[str] = mapped_column(String(300))
    station_code: Mapped[str] = mapped_column(String(16))
    #: company CA bundle (PEM path); empty means the system's trusted roots
    ca_bundle: Mapped[str] = mapped_column(String(500), default="")
    registered_at: Mapped[datetime] = mapped_column(default=utcnow)
    registered_by: Mapped[str] = mapped_column(String(32), default="")
    #: the identity head office sent at registration ("" if unknown): another one means another
    #: head office, where this station starts afresh
    hq_id: Mapped[str] = mapped_column(String(64), default="", server_default="")
    #: which device of the station this is (issue 15): its number at head office (1: the
    #: station's first, whose batch ids and human numbers stay as before), the name head
    #: office gave it and the letter its human numbers carry ("" for device 1)
    device_number: Mapped[int] = mapped_column(default=1, server_default="1")
    device_name: Mapped[str] = mapped_column(String(64), default="", server_default="")
    device_tag: Mapped[str] = mapped_column(String(2), default="", server_default="")
    #: the number of the station's primary device as head office last said (it alone applies
    #: head office's orders, cancels and answers; ``sync.entities.PRIMARY_ONLY``)
    primary_device: Mapped[int] = mapped_column(default=1, server_default="1")


class SyncDevice(Base):
    """The station's devices as head office last listed them (``/v1/device``), this one among
    them: what the status bar and the settings page show."""

    __tablename__ = "sync_devices"

    number: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(64))
    tag: Mapped[str] = mapped_column(String(2), default="")
    revoked: Mapped[bool] = mapped_column(default=False)
    last_push_at: Mapped[datetime | None] = mapped_column(default=None)
    last_pull_at: Mapped[datetime | None] = mapped_column(default=None)
    high_water: Mapped[int] = mapped_column(default=0)
    listed_at: Mapped[datetime] = mapped_column(default=utcnow)


class SyncState(Base):
    """How far push and pull have got; written in the same transaction as the data it covers."""

    __tablename__ = "sync_state"

    id: Mapped[int] = mapped_column(primary_key=True, default=SINGLETON_ID)
    #: last outbox seq head office acknowledged (its high-water mark as we know it)
    push_acked_seq: Mapped[int] = mapped_column(default=0)
    #: the batch sent but not yet acknowledged; re-sent unchanged first so its stored
    #: acknowledgement (with every op's result) comes back after a crash
    inflight_from: Mapped[int | None] = mapped_column(default=None)
    inflight_to: Mapped[int | None] = mapped_column(default=None)
    pull_cursor: Mapped[int] = mapped_column(default=0)
    last_attempt_at: Mapped[datetime | None] = mapped_column(default=None)
    last_success_at: Mapped[datetime | None] = mapped_column(default=None)
    #: "ok" or an error code of ``sync.client.SyncError``
    last_result: Mapped[str] = mapped_column(String(32), default="")
    last_message: Mapped[str] = mapped_column(Text, default="")
    #: joining a station (``app.services.device_join``): "" (not joining or done) | "records"
    #: (downloading the station's records, ``join_after`` the position reached) | "snapshot";
    #: each page and its position are one transaction, so a kill resumes where it stopped
    join_stage: Mapped[str] = mapped_column(String(16), default="", server_default="")
    join_after: Mapped[str] = mapped_column(String(80), default="", server_default="")
    #: the change-log point the download began at (pulling goes on from it)
    join_cursor: Mapped[int] = mapped_column(default=0, server_default="0")
    join_total: Mapped[int] = mapped_column(default=0, server_default="0")
    join_done: Mapped[int] = mapped_column(default=0, server_default="0")
    #: the user rows' password hashes have been sent once (stations from before devices sent
    #: users without them)
    credentials_shared: Mapped[bool] = mapped_column(default=False, server_default="0")
    #: a device set up with no line from another device's backup: the seq its own ops start
    #: at, told head office (``POST /v1/device/start``) before its first push; 0: nothing due
    device_start_seq: Mapped[int] = mapped_column(default=0, server_default="0")


class SyncConflict(Base):
    """A disagreement a person must look at: a rejected op, a stale HQ edit, a late cancel."""

    __tablename__ = "sync_conflicts"
    __table_args__ = (Index("ix_sync_conflicts_open", "resolved_at", "created_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    #: makes recording idempotent: "op:<op_id>" or "hq:<hq_seq>"
    source_key: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(36))
    local_summary: Mapped[str] = mapped_column(Text, default="")
    remote_summary: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_by: Mapped[str | None] = mapped_column(String(32), default=None)
    resolved_at: Mapped[datetime | None] = mapped_column(default=None)
    resolution_note: Mapped[str] = mapped_column(Text, default="")
    #: JSON {field: {"ours": station's value, "theirs": head office's, "base": the value both
    #: started from (null: not known)}} of a stale head-office edit; "" for older records and
    #: kinds without fields (their summaries are all there is)
    fields: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: JSON {field: {"choice": "ours"|"theirs"|"edited", "value": ...}} once settled (kinds
    #: without fields: {"action": {"choice": ..., "value": null}}); "" while open or when only
    #: marked resolved
    resolution: Mapped[str] = mapped_column(Text, default="", server_default="")


class Notice(Base):
    """业务公告 published by head office."""

    __tablename__ = "notices"
    __table_args__ = (Index("ix_notices_published", "published_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(default=None)
    read_by: Mapped[str | None] = mapped_column(String(32), default=None)


class HqOrderLink(Base):
    """An order head office dispatched, with the HQ revision of its fields last applied."""

    __tablename__ = "hq_order_links"

    order_id: Mapped[str] = mapped_column(
        ForeignKey("service_orders.id", ondelete="CASCADE"), primary_key=True
    )
    hq_revision: Mapped[int] = mapped_column(default=1)
    #: the order's local revision right after head office's last change was applied; a higher
    #: revision means the station changed the order since (an HQ edit based on less conflicts)
    applied_revision: Mapped[int] = mapped_column(default=1)
    last_hq_seq: Mapped[int] = mapped_column(default=0)
    #: JSON of the head-office-editable fields as head office last gave them (dispatch, then
    #: each edit, applied or not): the base of the next clash; "" for links from before 0008
    hq_fields: Mapped[str] = mapped_column(Text, default="", server_default="")


__all__ = ["HqOrderLink", "Notice", "SyncConflict", "SyncDevice", "SyncRegistration",
           "SyncState"]
