"""Pydantic models of the protocol messages, for the server's OpenAPI document (/docs).

The server parses and builds messages with ``sync.protocol`` (faster, and the same code the
station uses); these models describe the same JSON so the published schema matches the wire.
``tests/sync/hq`` checks that they agree.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field


class OpModel(BaseModel):
    seq: int = Field(ge=1, description="the station's outbox sequence number")
    op_id: str = Field(description="UUID of the op; applied at most once per station")
    entity: str = Field(description="declared in sync/entities.py, e.g. service_order")
    entity_id: str
    op: Literal["upsert", "delete", "event"]
    payload: dict[str, Any]
    base_revision: int = 0
    schema_version: int = 1
    created_at: str = Field("", description="station time, ISO 8601; shown, never decisive")
    action: str = ""
    username: str = ""


class PushBatchModel(BaseModel):
    """Sent gzip-compressed (Content-Encoding: gzip)."""

    batch_id: str = Field(examples=["BJ001:1:500"],
                          description="<station_code>:<from_seq>:<to_seq>")
    from_seq: int = Field(ge=1)
    to_seq: int = Field(ge=1)
    ops: list[OpModel] = Field(max_length=500)


class OpResultModel(BaseModel):
    op_id: str
    status: Literal["applied", "rejected", "conflict"]
    reason: str | None = None


class PushAckModel(BaseModel):
    batch_id: str
    high_water: int = Field(description="the last seq head office has applied for the station")
    replayed: bool = Field(description="true: the stored acknowledgement of an earlier delivery")
    results: list[OpResultModel]


class ChangeModel(BaseModel):
    hq_seq: int
    entity: Literal["dispatch_order", "order_update", "cancel_order", "notice", "part",
                    "parts_order_update", "old_part_inspection", "warranty_policy",
                    "claim_decision", "claim_settlement", "notification_state"]
    entity_id: str
    op: Literal["upsert", "delete", "event"]
    payload: dict[str, Any]


class PullPageModel(BaseModel):
    changes: list[ChangeModel]
    next: int = Field(description="cursor for the next pull: last hq_seq here, or since")
    more: bool


class SnapshotModel(BaseModel):
    changes: list[ChangeModel]
    next: int


class HealthModel(BaseModel):
    protocols: list[int]
    server_time: str
    min_protocol: int
    #: head office's identity, created once with its database
    hq_id: str


class ErrorModel(BaseModel):
    error: Literal["unauthorized", "revoked", "upgrade_required", "gap", "cursor_expired",
                   "bad_request", "too_large", "server_error"]
    message: str
    expected_seq: int | None = Field(None, description="with gap: send from this seq")
    min_protocol: int | None = Field(None, description="with upgrade_required")
