"""The sync wire format, version 2, shared by the station client and the head-office server.

Pure Python (no Qt, no SQLAlchemy, no HTTP library): constants, the message types with
``to_json``/``from_json`` (plain ``dict`` <-> dataclass, validated on the way in), the gzip body
helpers and the batch-id helpers. ``docs/sync-protocol.md`` describes it with examples.

Compatibility rule: fields are only ever added (with defaults); nothing is renamed or removed
within a protocol version. A change that old peers cannot ignore needs a new version number.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sync.codec import MAX_BODY_BYTES as MAX_BODY_BYTES
from sync.codec import ProtocolError as ProtocolError
from sync.codec import decode_body as decode_body
from sync.codec import dumps as dumps
from sync.codec import encode_body as encode_body
from sync.codec import read_bool, read_int, read_list, read_obj, read_str
from sync.payloads import HQ_EDITABLE_ORDER_FIELDS as HQ_EDITABLE_ORDER_FIELDS
from sync.payloads import CancelOrderPayload as CancelOrderPayload
from sync.payloads import ConflictKind as ConflictKind
from sync.payloads import CustomerRef as CustomerRef
from sync.payloads import DispatchOrderPayload as DispatchOrderPayload
from sync.payloads import HqEntity as HqEntity
from sync.payloads import NoticePayload as NoticePayload
from sync.payloads import OrderUpdatePayload as OrderUpdatePayload
from sync.payloads import ProductRef as ProductRef
from sync.payloads import SyncConflictPayload as SyncConflictPayload

# -- versions, paths, headers, limits ---------------------------------------------------------

#: 2: a station is a set of devices (issue 15). A push op carries ``seen_hq_seq``; a batch id
#: names the device (``CODE/2:1:40``) unless it is the station's first; a pull page relays the
#: other devices' ops (``Change.op_id``/``device``); ``/v1/device`` and ``/v1/station-state``
#: serve joining. A version-1 client keeps working as its station's only device.
PROTOCOL_VERSION = 2
#: versions this code speaks; a server answers 426 below its minimum
SUPPORTED_PROTOCOLS: tuple[int, ...] = (1, 2)
MIN_PROTOCOL = 1
#: the first version that speaks for a device of a station with several
DEVICES_PROTOCOL = 2
API_PREFIX = "/v1"
PROTOCOL_HEADER = "X-Repair-Station-Protocol"
AUTH_HEADER = "Authorization"
BEARER = "Bearer"

HEALTH_PATH = f"{API_PREFIX}/health"
PUSH_PATH = f"{API_PREFIX}/push"
PULL_PATH = f"{API_PREFIX}/pull"
SNAPSHOT_PATH = f"{API_PREFIX}/snapshot"
#: who this token is: the station, this device and the station's other devices (protocol 2)
DEVICE_PATH = f"{API_PREFIX}/device"
#: the station's own records, page by page, for a device that joins (protocol 2)
STATION_STATE_PATH = f"{API_PREFIX}/station-state"
#: a device set up from another device's backup starts its seq after the backup's (protocol 2)
DEVICE_START_PATH = f"{API_PREFIX}/device/start"

MAX_BATCH_OPS = 500
#: uncompressed JSON size a client aims to stay under per batch
MAX_BATCH_BYTES = 2_000_000
MAX_PULL_LIMIT = 500
DEFAULT_PULL_LIMIT = 500
MAX_STATE_LIMIT = 2000
DEFAULT_STATE_LIMIT = 1000


class ErrorCode(StrEnum):
    """The ``error`` field of every non-2xx JSON answer."""

    UNAUTHORIZED = "unauthorized"  # 401: no token, unknown token, rotated-away token
    REVOKED = "revoked"  # 403: the station's (or this device's) token was revoked
    UPGRADE_REQUIRED = "upgrade_required"  # 426: protocol header missing or too old
    GAP = "gap"  # 409: from_seq > high_water + 1
    CURSOR_EXPIRED = "cursor_expired"  # 410: since is older than the retained change log
    BAD_REQUEST = "bad_request"  # 400: malformed body or batch id
    TOO_LARGE = "too_large"  # 413: too many ops or too many bytes
    SERVER_ERROR = "server_error"  # 500


#: HTTP status of each error code
ERROR_STATUS: dict[ErrorCode, int] = {
    ErrorCode.UNAUTHORIZED: 401,
    ErrorCode.REVOKED: 403,
    ErrorCode.UPGRADE_REQUIRED: 426,
    ErrorCode.GAP: 409,
    ErrorCode.CURSOR_EXPIRED: 410,
    ErrorCode.BAD_REQUEST: 400,
    ErrorCode.TOO_LARGE: 413,
    ErrorCode.SERVER_ERROR: 500,
}


class OpKind(StrEnum):
    UPSERT = "upsert"
    DELETE = "delete"
    EVENT = "event"


class OpStatus(StrEnum):
    """Per-op outcome in a push acknowledgement.

    ``applied``: stored at head office. ``rejected``: refused (reason given), recorded at head
    office, never applied; the station shows it as a conflict. ``conflict``: the station's
    change was kept, but it clashed with a head-office change (e.g. a cancel) which became a
    conflict record; the station shows it too.
    """

    APPLIED = "applied"
    REJECTED = "rejected"
    CONFLICT = "conflict"


# -- headers -------------------------------------------------------------------------------------


def auth_headers(token: str, protocol: int = PROTOCOL_VERSION) -> dict[str, str]:
    """The headers every authenticated request carries."""
    return {AUTH_HEADER: f"{BEARER} {token}", PROTOCOL_HEADER: str(protocol)}


def bearer_token(header_value: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, else ``None``."""
    if not header_value:
        return None
    scheme, _, token = header_value.strip().partition(" ")
    if scheme.lower() != BEARER.lower() or not token.strip():
        return None
    return token.strip()


# -- device tokens -------------------------------------------------------------------------------

#: a token head office made for a station's n-th device (n >= 2): ``d<n>.<secret>``. The number
#: is no secret; it lets a device set up with no line (from another device's backup) know
#: which device it is, and so make its own human numbers, before it first reaches head office
DEVICE_TOKEN_RE = re.compile(r"^d([1-9]\d{0,3})\.[A-Za-z0-9_-]{20,}$")


def device_token(number: int, secret: str) -> str:
    """The token of device ``number`` (>= 2) around the random ``secret``."""
    if number < 2:
        raise ValueError("a station's first device keeps the station's own token")
    return f"d{number}.{secret}"


def token_device(token: str) -> int | None:
    """The device number a token names (None: a station's own token, device 1)."""
    match = DEVICE_TOKEN_RE.match((token or "").strip())
    return int(match.group(1)) if match else None


# -- batch ids -----------------------------------------------------------------------------------

BATCH_ID_RE = re.compile(r"^([A-Z0-9]{2,16})(?:/([1-9]\d{0,3}))?:(\d{1,18}):(\d{1,18})$")


def station_part(station_code: str, device: int = 1) -> str:
    """The station-and-device part of a batch id: ``CODE`` for a station's first device (as
    in protocol 1), ``CODE/<n>`` for its n-th."""
    return station_code if device <= 1 else f"{station_code}/{device}"


def make_batch_id(station_code: str, from_seq: int, to_seq: int, device: int = 1) -> str:
    """``<station_code>[/<device>]:<from_seq>:<to_seq>``, the batch's idempotency key (each
    device has its own seq)."""
    if from_seq < 1 or to_seq < from_seq:
        raise ProtocolError(f"bad seq range {from_seq}..{to_seq}")
    return f"{station_part(station_code, device)}:{from_seq}:{to_seq}"


def parse_batch_id_device(batch_id: str) -> tuple[str, int, int, int]:
    """(station_code, device, from_seq, to_seq) of a batch id; ``ProtocolError`` if
    malformed. ``device`` is 1 when the id names none."""
    match = BATCH_ID_RE.match(batch_id or "")
    if not match:
        raise ProtocolError(f"malformed batch id {batch_id!r}")
    code, lo, hi = match.group(1), int(match.group(3)), int(match.group(4))
    device = int(match.group(2) or 1)
    if lo < 1 or hi < lo:
        raise ProtocolError(f"bad seq range in batch id {batch_id!r}")
    return code, device, lo, hi


def parse_batch_id(batch_id: str) -> tuple[str, int, int]:
    """(station_code, from_seq, to_seq) of a batch id; ``ProtocolError`` if malformed."""
    code, _device, lo, hi = parse_batch_id_device(batch_id)
    return code, lo, hi


# -- push ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PushOp:
    """One outbox row on the wire (exactly the columns of the station's ``outbox`` table)."""

    seq: int
    op_id: str
    entity: str
    entity_id: str
    op: str
    payload: dict[str, Any]
    base_revision: int = 0
    schema_version: int = 1
    created_at: str = ""
    action: str = ""
    username: str = ""
    #: the device's pull cursor when the op was made (protocol 2): head office judges an edit
    #: of a row another device changed after this point a stale edit; 0 in protocol 1
    seen_hq_seq: int = 0

    def to_json(self) -> dict[str, Any]:
        out = {
            "seq": self.seq,
            "op_id": self.op_id,
            "entity": self.entity,
            "entity_id": self.entity_id,
            "op": self.op,
            "payload": self.payload,
            "base_revision": self.base_revision,
            "schema_version": self.schema_version,
            "created_at": self.created_at,
            "action": self.action,
            "username": self.username,
        }
        if self.seen_hq_seq:
            out["seen_hq_seq"] = self.seen_hq_seq
        return out

    @classmethod
    def from_json(cls, data: Any) -> PushOp:
        d = read_obj(data, "op")
        op = read_str(d, "op", max_len=16)
        if op not in set(OpKind):
            raise ProtocolError(f"'op' must be one of {', '.join(OpKind)}, not {op!r}")
        payload = d.get("payload", {})
        if isinstance(payload, str):  # tolerated: the outbox stores payload as JSON text
            try:
                payload = json.loads(payload)
            except json.JSONDecodeError as exc:
                raise ProtocolError(f"'payload' is not JSON: {exc}") from exc
        if not isinstance(payload, dict):
            raise ProtocolError("'payload' must be a JSON object")
        return cls(
            seq=read_int(d, "seq", minimum=1),
            op_id=read_str(d, "op_id", max_len=36),
            entity=read_str(d, "entity", max_len=32),
            entity_id=read_str(d, "entity_id", max_len=36),
            op=op,
            payload=payload,
            base_revision=read_int(d, "base_revision", minimum=0) if "base_revision" in d else 0,
            schema_version=read_int(d, "schema_version", minimum=1) if "schema_version" in d else 1,
            created_at=read_str(d, "created_at", default="", max_len=40),
            action=read_str(d, "action", default="", max_len=32),
            username=read_str(d, "username", default="", max_len=32),
            seen_hq_seq=read_int(d, "seen_hq_seq", minimum=0) if "seen_hq_seq" in d else 0,
        )


@dataclass(frozen=True)
class PushBatch:
    """A contiguous seq range of one station's outbox.

    ``from_seq`` is the previous batch's ``to_seq + 1`` (1 for the first); the ops lie within
    ``[from_seq, to_seq]`` in strictly increasing seq order. A seq in the range without an op is
    allowed (a number the station's database skipped).
    """

    batch_id: str
    from_seq: int
    to_seq: int
    ops: tuple[PushOp, ...]

    @classmethod
    def build(
        cls, station_code: str, ops: Sequence[PushOp], from_seq: int | None = None,
        device: int = 1,
    ) -> PushBatch:
        """A batch of ``ops`` (seq order); ``from_seq`` defaults to the first op's seq."""
        if not ops:
            raise ProtocolError("a batch needs at least one op")
        lo = ops[0].seq if from_seq is None else from_seq
        hi = ops[-1].seq
        batch = cls(make_batch_id(station_code, lo, hi, device), lo, hi, tuple(ops))
        batch.validate()
        return batch

    @property
    def station_code(self) -> str:
        return parse_batch_id(self.batch_id)[0]

    @property
    def device(self) -> int:
        """The device number the batch id names (1: none named)."""
        return parse_batch_id_device(self.batch_id)[1]

    def validate(self) -> None:
        code_lo_hi = parse_batch_id(self.batch_id)
        if code_lo_hi[1:] != (self.from_seq, self.to_seq):
            raise ProtocolError("batch_id does not match from_seq/to_seq")
        if len(self.ops) > MAX_BATCH_OPS:
            raise ProtocolError(f"a batch carries at most {MAX_BATCH_OPS} ops")
        previous = self.from_seq - 1
        seen: set[str] = set()
        for op in self.ops:
            if op.seq <= previous or op.seq > self.to_seq:
                raise ProtocolError(f"op seq {op.seq} out of order or outside the batch range")
            if op.op_id in seen:
                raise ProtocolError(f"op_id {op.op_id} appears twice in the batch")
            seen.add(op.op_id)
            previous = op.seq

    def to_json(self) -> dict[str, Any]:
        return {
            "batch_id": self.batch_id,
            "from_seq": self.from_seq,
            "to_seq": self.to_seq,
            "ops": [op.to_json() for op in self.ops],
        }

    @classmethod
    def from_json(cls, data: Any) -> PushBatch:
        d = read_obj(data, "batch")
        batch = cls(
            batch_id=read_str(d, "batch_id", max_len=60),
            from_seq=read_int(d, "from_seq", minimum=1),
            to_seq=read_int(d, "to_seq", minimum=1),
            ops=tuple(PushOp.from_json(op) for op in read_list(d, "ops")),
        )
        batch.validate()
        return batch


#: ``OpResult.kind`` of an edit refused because another device of the station changed the row
#: first (protocol 2); ``current`` then holds head office's row
STALE_DEVICE_EDIT = "stale_device_edit"
#: ``OpResult.kind`` of an order edit that won through the state machine over another device's
#: newer edit (status ``conflict``); ``current`` holds the row it replaced
ORDER_STATUS_MERGED = "order_status_merged"


@dataclass(frozen=True)
class OpResult:
    op_id: str
    status: str
    reason: str = ""
    #: why, for a machine (protocol 2): ``STALE_DEVICE_EDIT``, ``ORDER_STATUS_MERGED`` or ""
    kind: str = ""
    #: head office's row the op clashed with (protocol 2, with ``kind``), else None
    current: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"op_id": self.op_id, "status": self.status}
        if self.reason:
            out["reason"] = self.reason
        if self.kind:
            out["kind"] = self.kind
        if self.current is not None:
            out["current"] = self.current
        return out

    @classmethod
    def from_json(cls, data: Any) -> OpResult:
        d = read_obj(data, "result")
        status = read_str(d, "status", max_len=16)
        if status not in set(OpStatus):
            raise ProtocolError(f"unknown op status {status!r}")
        current = d.get("current")
        if current is not None and not isinstance(current, dict):
            raise ProtocolError("'current' must be a JSON object")
        return cls(read_str(d, "op_id", max_len=36), status,
                   read_str(d, "reason", default="", max_len=2000),
                   read_str(d, "kind", default="", max_len=32), current)


@dataclass(frozen=True)
class PushAck:
    """200 answer to a push. ``high_water``: the last seq head office has applied for this
    station. ``replayed``: this is the stored acknowledgement of a batch applied before."""

    batch_id: str
    high_water: int
    replayed: bool = False
    results: tuple[OpResult, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "batch_id": self.batch_id,
            "high_water": self.high_water,
            "replayed": self.replayed,
            "results": [r.to_json() for r in self.results],
        }

    @classmethod
    def from_json(cls, data: Any) -> PushAck:
        d = read_obj(data, "acknowledgement")
        return cls(
            batch_id=read_str(d, "batch_id", max_len=60),
            high_water=read_int(d, "high_water", minimum=0),
            replayed=read_bool(d, "replayed"),
            results=tuple(OpResult.from_json(r) for r in read_list(d, "results")),
        )

    def by_status(self, status: OpStatus) -> list[OpResult]:
        return [r for r in self.results if r.status == status]


# -- pull / snapshot -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One row of head office's change log addressed to this station (or to all)."""

    hq_seq: int
    entity: str
    entity_id: str
    op: str
    payload: dict[str, Any] = field(default_factory=dict)
    #: a relayed station op (protocol 2): the op's id and the device that made it (0: head
    #: office's own merge of two devices' edits); "" and 0 for head office's changes
    op_id: str = ""
    device: int = 0

    @property
    def relayed(self) -> bool:
        """A station-owned row another device of this station wrote (not head office's)."""
        return bool(self.op_id)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "hq_seq": self.hq_seq,
            "entity": self.entity,
            "entity_id": self.entity_id,
            "op": self.op,
            "payload": self.payload,
        }
        if self.op_id:
            out["op_id"] = self.op_id
            out["device"] = self.device
        return out

    @classmethod
    def from_json(cls, data: Any) -> Change:
        d = read_obj(data, "change")
        payload = d.get("payload", {})
        if not isinstance(payload, dict):
            raise ProtocolError("'payload' must be a JSON object")
        return cls(
            hq_seq=read_int(d, "hq_seq", minimum=1),
            entity=read_str(d, "entity", max_len=32),
            entity_id=read_str(d, "entity_id", max_len=64),
            op=read_str(d, "op", max_len=16),
            payload=payload,
            op_id=read_str(d, "op_id", default="", max_len=36),
            device=read_int(d, "device", minimum=0) if "device" in d else 0,
        )


@dataclass(frozen=True)
class PullPage:
    """``GET /v1/pull`` answer. ``next``: the cursor to send next time (the last hq_seq in
    ``changes``, or ``since`` when empty). ``more``: another page is waiting."""

    changes: tuple[Change, ...]
    next: int
    more: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"changes": [c.to_json() for c in self.changes], "next": self.next,
                "more": self.more}

    @classmethod
    def from_json(cls, data: Any) -> PullPage:
        d = read_obj(data, "page")
        return cls(
            changes=tuple(Change.from_json(c) for c in read_list(d, "changes")),
            next=read_int(d, "next", minimum=0),
            more=read_bool(d, "more"),
        )


@dataclass(frozen=True)
class Snapshot:
    """``GET /v1/snapshot`` answer: every head-office-owned row for this station as changes;
    the station replaces its head-office data with them and continues pulling from ``next``."""

    changes: tuple[Change, ...]
    next: int

    def to_json(self) -> dict[str, Any]:
        return {"changes": [c.to_json() for c in self.changes], "next": self.next}

    @classmethod
    def from_json(cls, data: Any) -> Snapshot:
        d = read_obj(data, "snapshot")
        return cls(
            changes=tuple(Change.from_json(c) for c in read_list(d, "changes")),
            next=read_int(d, "next", minimum=0),
        )


@dataclass(frozen=True)
class DeviceInfo:
    """One device of a station as ``/v1/device`` lists it. ``tag`` is the letter its human
    numbers carry ("" for the station's first device, whose numbers stay as they were)."""

    number: int
    name: str
    tag: str
    revoked: bool = False
    #: ISO UTC of its last push and pull ("" never)
    last_push_at: str = ""
    last_pull_at: str = ""
    #: the last seq head office holds of this device
    high_water: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"number": self.number, "name": self.name, "tag": self.tag,
                "revoked": self.revoked, "last_push_at": self.last_push_at,
                "last_pull_at": self.last_pull_at, "high_water": self.high_water}

    @classmethod
    def from_json(cls, data: Any) -> DeviceInfo:
        d = read_obj(data, "device")
        return cls(
            number=read_int(d, "number", minimum=1),
            name=read_str(d, "name", max_len=64),
            tag=read_str(d, "tag", default="", max_len=2),
            revoked=read_bool(d, "revoked"),
            last_push_at=read_str(d, "last_push_at", default="", max_len=40),
            last_pull_at=read_str(d, "last_pull_at", default="", max_len=40),
            high_water=read_int(d, "high_water", minimum=0) if "high_water" in d else 0,
        )


@dataclass(frozen=True)
class DeviceAnswer:
    """``GET /v1/device``: whose token this is and the station's devices (this one among
    them). ``primary``: the number of the device that applies head office's orders, cancels
    and answers for the station (its lowest active one); the others get the results from it."""

    station_code: str
    station_name: str
    device: DeviceInfo
    devices: tuple[DeviceInfo, ...]
    primary: int = 1

    def to_json(self) -> dict[str, Any]:
        return {"station_code": self.station_code, "station_name": self.station_name,
                "device": self.device.to_json(),
                "devices": [d.to_json() for d in self.devices], "primary": self.primary}

    @classmethod
    def from_json(cls, data: Any) -> DeviceAnswer:
        d = read_obj(data, "device answer")
        return cls(
            station_code=read_str(d, "station_code", max_len=16),
            station_name=read_str(d, "station_name", default="", max_len=64),
            device=DeviceInfo.from_json(d.get("device")),
            devices=tuple(DeviceInfo.from_json(x) for x in read_list(d, "devices")),
            primary=read_int(d, "primary", minimum=1) if "primary" in d else 1,
        )


@dataclass(frozen=True)
class StateRow:
    """One station-owned record as head office holds it (``entity``, id, latest payload;
    ``deleted`` for a tombstone)."""

    entity: str
    entity_id: str
    payload: dict[str, Any]
    deleted: bool = False

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"entity": self.entity, "entity_id": self.entity_id,
                               "payload": self.payload}
        if self.deleted:
            out["deleted"] = True
        return out

    @classmethod
    def from_json(cls, data: Any) -> StateRow:
        d = read_obj(data, "state row")
        payload = d.get("payload", {})
        if not isinstance(payload, dict):
            raise ProtocolError("'payload' must be a JSON object")
        return cls(read_str(d, "entity", max_len=32), read_str(d, "entity_id", max_len=36),
                   payload, read_bool(d, "deleted"))


@dataclass(frozen=True)
class StationStatePage:
    """``GET /v1/station-state?after=&limit=&cursor=``: the station's own records in
    dependency order (``sync.entities.RELAY_ORDER``, then head office's record id).

    ``after``: the position to ask from next (opaque text; "" at the start). ``cursor``: the
    change-log point the download began at, fixed by the first page and sent back with every
    later one; a device pulls from it afterwards (relays after it re-apply in order, so a row
    read newer than the cursor converges). ``total``: rows in the whole download (for the
    progress bar). ``more``: another page is waiting."""

    rows: tuple[StateRow, ...]
    after: str
    cursor: int
    total: int
    more: bool

    def to_json(self) -> dict[str, Any]:
        return {"rows": [r.to_json() for r in self.rows], "after": self.after,
                "cursor": self.cursor, "total": self.total, "more": self.more}

    @classmethod
    def from_json(cls, data: Any) -> StationStatePage:
        d = read_obj(data, "station state page")
        return cls(
            rows=tuple(StateRow.from_json(r) for r in read_list(d, "rows")),
            after=read_str(d, "after", default="", max_len=80),
            cursor=read_int(d, "cursor", minimum=0),
            total=read_int(d, "total", minimum=0),
            more=read_bool(d, "more"),
        )


@dataclass(frozen=True)
class Health:
    protocols: tuple[int, ...]
    server_time: str
    min_protocol: int = MIN_PROTOCOL
    #: head office's identity, created once with its database ("" from a server without one):
    #: a station registering with another head office starts afresh there
    hq_id: str = ""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"protocols": list(self.protocols),
                               "server_time": self.server_time,
                               "min_protocol": self.min_protocol}
        if self.hq_id:
            out["hq_id"] = self.hq_id
        return out

    @classmethod
    def from_json(cls, data: Any) -> Health:
        d = read_obj(data, "health")
        protocols = read_list(d, "protocols")
        if not all(isinstance(p, int) and not isinstance(p, bool) for p in protocols):
            raise ProtocolError("'protocols' must be a list of integers")
        min_protocol = read_int(d, "min_protocol", minimum=1) if "min_protocol" in d else min(
            protocols, default=MIN_PROTOCOL)
        hq_id = read_str(d, "hq_id", max_len=64) if "hq_id" in d else ""
        return cls(tuple(protocols), read_str(d, "server_time", max_len=40), min_protocol,
                   hq_id)


@dataclass(frozen=True)
class ErrorBody:
    """Every non-2xx answer: ``{"error": code, "message": text, ...extras}``.

    Extras: ``expected_seq`` with ``gap``; ``min_protocol`` with ``upgrade_required``.
    """

    error: str
    message: str
    expected_seq: int | None = None
    min_protocol: int | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"error": self.error, "message": self.message}
        if self.expected_seq is not None:
            out["expected_seq"] = self.expected_seq
        if self.min_protocol is not None:
            out["min_protocol"] = self.min_protocol
        return out

    @classmethod
    def from_json(cls, data: Any) -> ErrorBody:
        d = read_obj(data, "error body")
        return cls(
            error=read_str(d, "error", max_len=64),
            message=read_str(d, "message", default="", max_len=2000),
            expected_seq=read_int(d, "expected_seq", minimum=1) if "expected_seq" in d else None,
            min_protocol=read_int(d, "min_protocol", minimum=1) if "min_protocol" in d else None,
        )

    @property
    def code(self) -> ErrorCode | None:
        try:
            return ErrorCode(self.error)
        except ValueError:
            return None
