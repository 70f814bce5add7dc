"""Pydantic models of the protocol messages, for the server's OpenAPI document (/docs).

The server parses and builds messages with ``sync.protocol`` (faster, and the same code the
station uses); these models describe the same JSON so the published schema matches the wire.
``tests/sync/hq`` checks that they agree.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from sync.entities import ENTITIES, relayed
from sync.protocol import HqEntity

#: what a change names: head office's own entities, and the station entities it relays
#: from one device of a station to the others (protocol 2)
CHANGE_ENTITIES: tuple[str, ...] = tuple(e.value for e in HqEntity) + tuple(
    name for name in ENTITIES if relayed(name))


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
    seen_hq_seq: int = Field(0, ge=0, description="protocol 2: the device's pull cursor when "
                             "the op was made (an edit of a row another device changed after "
                             "it is a stale edit)")


class PushBatchModel(BaseModel):
    """Sent gzip-compressed (Content-Encoding: gzip)."""

    batch_id: str = Field(examples=["BJ001:1:500", "BJ001/2:1:500"],
                          description="<station_code>[/<device>]:<from_seq>:<to_seq> "
                                      "(device 1 names none)")
    from_seq: int = Field(ge=1)
    to_seq: int = Field(ge=1)
    ops: list[OpModel] = Field(max_length=500)


class OpResultModel(BaseModel):
    op_id: str
    status: Literal["applied", "rejected", "conflict"]
    reason: str | None = None
    kind: Literal["stale_device_edit", "order_status_merged"] | None = Field(
        None, description="protocol 2: why, for a machine")
    current: dict[str, Any] | None = Field(
        None, description="protocol 2, with kind: head office's row the op clashed with")


class PushAckModel(BaseModel):
    batch_id: str
    high_water: int = Field(description="the last seq head office has applied for the station")
    replayed: bool = Field(description="true: the stored acknowledgement of an earlier delivery")
    results: list[OpResultModel]


class ChangeModel(BaseModel):
    hq_seq: int
    entity: Literal[CHANGE_ENTITIES]  # type: ignore[valid-type]
    entity_id: str
    op: Literal["upsert", "delete", "event"]
    payload: dict[str, Any]
    op_id: str | None = Field(None, description="protocol 2: a relayed op of another device "
                              "of the station")
    device: int | None = Field(None, ge=0, description="with op_id: the device that made it "
                               "(0: head office's merge of two devices' edits)")


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


class DeviceInfoModel(BaseModel):
    number: int = Field(ge=1)
    name: str
    tag: str = Field(description="the letter of its human numbers (\"\" for device 1)")
    revoked: bool
    last_push_at: str = Field(description="ISO 8601 UTC, \"\" never")
    last_pull_at: str = Field(description="ISO 8601 UTC, \"\" never")
    high_water: int = Field(ge=0, description="the last seq head office holds of it")


class DeviceAnswerModel(BaseModel):
    station_code: str
    station_name: str
    device: DeviceInfoModel
    devices: list[DeviceInfoModel]
    primary: int = Field(ge=1, description="the device head office's orders, cancels and "
                         "answers go to (the lowest-numbered active one)")


class StateRowModel(BaseModel):
    entity: str = Field(description="a station entity, in sync.entities.RELAY_ORDER")
    entity_id: str
    payload: dict[str, Any]
    deleted: bool | None = Field(None, description="true: a tombstone")


class StationStatePageModel(BaseModel):
    rows: list[StateRowModel]
    after: str = Field(description="send back as ?after= for the next page")
    cursor: int = Field(ge=0, description="fixed by the first page; send it back; pull from "
                        "it once the download is done")
    total: int = Field(ge=0, description="rows in the whole download")
    more: bool


class DeviceStartModel(BaseModel):
    first_seq: int = Field(ge=1, le=2**63 - 1, description="the first seq this device will "
                           "push (after the ops of the backup it was set up from)")
