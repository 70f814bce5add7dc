"""The head-office HTTP API (FastAPI): ``create_app(db_url)`` builds it.

Every request but ``/v1/health`` needs the protocol header and a device token; the station and
device are the token's, never the body's (a station's first device holds its original token). Database work runs in the thread pool; errors are always JSON
``{"error": code, "message": text}``. The OpenAPI document is at /openapi.json and /docs.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import FastAPI, Header, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from pydantic.json_schema import models_json_schema
from starlette.concurrency import run_in_threadpool

from sync import protocol as p
from sync.hq import apply, changes, devices, openapi_doc, station_state
from sync.hq.auth import AuthError, StationIdentity, identify
from sync.hq.db import DEFAULT_URL, HqDatabase, hq_identity
from sync.hq.models import HqDevice, HqStation, utcnow
from sync.hq.schemas import (
    DeviceAnswerModel,
    DeviceInfoModel,
    DeviceStartModel,
    ErrorModel,
    HealthModel,
    PullPageModel,
    PushAckModel,
    PushBatchModel,
    SnapshotModel,
    StationStatePageModel,
)

log = logging.getLogger(__name__)

#: a gzip body bigger than this on the wire is refused before inflating it
MAX_WIRE_BYTES = 8_000_000
PRUNE_EVERY_S = 3600.0
#: answers smaller than this go uncompressed
GZIP_MIN_BYTES = 4096
#: the largest cursor both databases can compare (BIGINT): a larger one is a bad request
INT64_MAX = 2**63 - 1
DB_ENV = "REPAIR_STATION_HQ_DB"
RETENTION_ENV = "REPAIR_STATION_HQ_RETENTION_DAYS"


class HqHttpError(Exception):
    def __init__(self, code: p.ErrorCode, message: str, **extra: int) -> None:
        super().__init__(message)
        self.body = p.ErrorBody(code.value, message, extra.get("expected_seq"),
                                extra.get("min_protocol"))
        self.status = p.ERROR_STATUS[code]


def _error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {c: {"model": ErrorModel} for c in codes}


class _Pruner:
    """Prunes the change log at start-up and then at most once an hour, from a request."""

    def __init__(self, db: HqDatabase, retention_days: int, clock: Callable[[], datetime]):
        self.db, self.retention_days, self.clock = db, retention_days, clock
        self._lock = threading.Lock()
        self._last = float("-inf")

    def maybe(self) -> None:
        now = time.monotonic()
        if now - self._last < PRUNE_EVERY_S or not self._lock.acquire(blocking=False):
            return
        try:
            self._last = now
            gone = changes.prune(self.db, self.clock(), self.retention_days)
            if gone:
                log.info("pruned %d change-log rows older than %d days", gone,
                         self.retention_days)
        finally:
            self._lock.release()


def create_app(
    db_url: str = DEFAULT_URL,
    *,
    db: HqDatabase | None = None,
    retention_days: int = changes.DEFAULT_RETENTION_DAYS,
    clock: Callable[[], datetime] = utcnow,
) -> FastAPI:
    """The head-office server on ``db_url`` (tables created if missing) or on ``db``."""
    if retention_days < 1:
        raise ValueError("retention must be at least one day")
    database = db or HqDatabase.open(db_url)
    pruner = _Pruner(database, retention_days, clock)
    pruner.maybe()
    app = FastAPI(
        title="Repair Station head office",
        version=f"protocol {p.PROTOCOL_VERSION}",
        description="Sync API between repair stations and head office. See "
                    "docs/sync-protocol.md for the rules behind these messages.",
    )
    app.state.db = database
    # pull pages and a joining device's station-state pages are JSON of up to a few MB:
    # compressed for a client that accepts gzip (the station's requests always does)
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MIN_BYTES, compresslevel=5)

    @app.exception_handler(HqHttpError)
    async def _hq_error(_request: Request, exc: HqHttpError) -> JSONResponse:
        return JSONResponse(exc.body.to_json(), status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def _bad_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(x) for x in first.get("loc", ()))
        message = f"{where}: {first.get('msg', 'invalid request')}"
        return JSONResponse(p.ErrorBody(p.ErrorCode.BAD_REQUEST.value, message).to_json(),
                            status_code=400)

    @app.exception_handler(Exception)
    async def _server_error(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=exc)
        return JSONResponse(p.ErrorBody(p.ErrorCode.SERVER_ERROR.value,
                                        "Head office had an internal error; try again later.")
                            .to_json(), status_code=500)

    def authenticate(authorization: str | None, protocol: str | None) -> StationIdentity:
        version = _check_protocol(protocol)
        try:
            with database.read() as s:
                identity = identify(s, p.bearer_token(authorization))
        except AuthError as exc:
            raise HqHttpError(exc.code, exc.message) from None
        _check_device_protocol(version, identity)
        return identity

    @app.get(p.HEALTH_PATH, response_model=HealthModel, tags=["sync"])
    def health() -> dict[str, Any]:
        """Which protocol versions head office speaks, and its clock (for display only)."""
        with database.read() as s:
            hq_id = hq_identity(s)
        return p.Health(p.SUPPORTED_PROTOCOLS, clock().isoformat(), hq_id=hq_id).to_json()

    @app.post(
        p.PUSH_PATH,
        response_model=PushAckModel,
        tags=["sync"],
        responses=_error_responses(400, 401, 403, 409, 413, 426),
        openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/PushBatchModel"}}}}},
    )
    async def push(
        request: Request,
        authorization: Annotated[str | None, Header()] = None,
        x_repair_station_protocol: Annotated[str | None, Header()] = None,
    ) -> JSONResponse:
        """Applies one batch of the station's outbox, whole and exactly once."""
        station = await run_in_threadpool(authenticate, authorization,
                                          x_repair_station_protocol)
        body = await _read_body(request)
        try:
            # inflating and parsing up to 16 MB must not stall the event loop
            batch = await run_in_threadpool(_parse_batch, body,
                                            request.headers.get("content-encoding"))
        except p.ProtocolError as exc:
            code = p.ErrorCode.TOO_LARGE if "larger than" in str(exc) or "at most" in str(
                exc) else p.ErrorCode.BAD_REQUEST
            raise HqHttpError(code, f"The batch was refused: {exc}") from None
        if batch.station_code != station.code:
            raise HqHttpError(p.ErrorCode.BAD_REQUEST,
                              f"The batch names station {batch.station_code} but the token "
                              f"belongs to station {station.code}.")
        if batch.device != station.device_number:
            raise HqHttpError(p.ErrorCode.BAD_REQUEST,
                              f"The batch names device {batch.device} but the token belongs "
                              f"to device {station.device_number} of station {station.code}.")
        try:
            ack = await run_in_threadpool(apply.push, database, station, batch, clock())
        except apply.DeviceRevoked:
            raise HqHttpError(p.ErrorCode.REVOKED, "This device's token was revoked by head "
                              "office; nothing of the batch was kept.") from None
        except apply.Gap as gap:
            raise HqHttpError(p.ErrorCode.GAP,
                              f"Ops are missing before seq {batch.from_seq}; send from seq "
                              f"{gap.expected_seq}.", expected_seq=gap.expected_seq) from None
        return JSONResponse(ack.to_json())

    @app.get(p.PULL_PATH, response_model=PullPageModel, tags=["sync"],
             responses=_error_responses(400, 401, 403, 410, 426))
    def pull(
        since: Annotated[int, Query(ge=0, le=INT64_MAX)] = 0,
        limit: Annotated[int, Query(ge=1, le=INT64_MAX)] = p.DEFAULT_PULL_LIMIT,
        authorization: Annotated[str | None, Header()] = None,
        x_repair_station_protocol: Annotated[str | None, Header()] = None,
    ) -> JSONResponse:
        """Head office's changes for this station after ``since``, oldest first."""
        station = authenticate(authorization, x_repair_station_protocol)
        pruner.maybe()
        try:
            with database.read() as s:
                device = _device_view(s, station)
                page = changes.pull_page(s, station.id, since, min(limit, p.MAX_PULL_LIMIT),
                                         device)
        except changes.CursorExpired:
            if device.needs_snapshot:
                raise HqHttpError(p.ErrorCode.CURSOR_EXPIRED,
                                  "This device is now the station's primary device and must "
                                  "re-download head office's data first (GET /v1/snapshot)."
                                  ) from None
            raise HqHttpError(p.ErrorCode.CURSOR_EXPIRED,
                              f"Cursor {since} is no longer in head office's change log; "
                              "download a snapshot (GET /v1/snapshot).") from None
        _mark_pulled(database, device, page.next, clock())
        return JSONResponse(page.to_json())

    @app.get(p.SNAPSHOT_PATH, response_model=SnapshotModel, tags=["sync"],
             responses=_error_responses(400, 401, 403, 426))
    def snapshot(
        authorization: Annotated[str | None, Header()] = None,
        x_repair_station_protocol: Annotated[str | None, Header()] = None,
    ) -> JSONResponse:
        """Every head-office-owned row for this station; pull on from ``next``."""
        station = authenticate(authorization, x_repair_station_protocol)
        with database.read() as s:
            device = _device_view(s, station)
            snap = changes.snapshot(s, station.id, primary=device.primary)
        _mark_pulled(database, device, snap.next, clock(), snapshot_taken=device.needs_snapshot)
        return JSONResponse(snap.to_json())

    @app.get(p.DEVICE_PATH, response_model=DeviceAnswerModel, tags=["devices"],
             responses=_error_responses(400, 401, 403, 426))
    def device(
        authorization: Annotated[str | None, Header()] = None,
        x_repair_station_protocol: Annotated[str | None, Header()] = None,
    ) -> JSONResponse:
        """Who this token is: the station, this device, all the station's devices (with their
        last push and pull) and which is primary."""
        station = authenticate(authorization, x_repair_station_protocol)
        with database.read() as s:
            answer = devices.answer(s, _device_id(s, station))
        return JSONResponse(answer.to_json())

    @app.get(p.STATION_STATE_PATH, response_model=StationStatePageModel, tags=["devices"],
             responses=_error_responses(400, 401, 403, 426))
    def station_state_page(
        after: Annotated[str, Query(max_length=80)] = "",
        limit: Annotated[int, Query(ge=1, le=INT64_MAX)] = p.DEFAULT_STATE_LIMIT,
        cursor: Annotated[int | None, Query(ge=0, le=INT64_MAX)] = None,
        authorization: Annotated[str | None, Header()] = None,
        x_repair_station_protocol: Annotated[str | None, Header()] = None,
    ) -> JSONResponse:
        """The station's own records as head office holds them (tombstones too), in
        dependency order, for a device that joins; send back ``after`` and ``cursor``."""
        station = authenticate(authorization, x_repair_station_protocol)
        try:
            with database.read() as s:
                state = station_state.page(s, station.id, after,
                                           min(limit, p.MAX_STATE_LIMIT), cursor)
        except station_state.BadPosition as exc:
            raise HqHttpError(p.ErrorCode.BAD_REQUEST, str(exc)) from None
        return JSONResponse(state.to_json())

    @app.post(p.DEVICE_START_PATH, response_model=DeviceInfoModel, tags=["devices"],
              responses=_error_responses(400, 401, 403, 409, 426),
              openapi_extra={"requestBody": {"required": True, "content": {
                  "application/json": {"schema": {
                      "$ref": "#/components/schemas/DeviceStartModel"}}}}})
    async def device_start(
        request: Request,
        authorization: Annotated[str | None, Header()] = None,
        x_repair_station_protocol: Annotated[str | None, Header()] = None,
    ) -> JSONResponse:
        """A device set up from another device's backup starts its seq at ``first_seq`` (its
        high water becomes ``first_seq - 1``): only before it has pushed anything."""
        station = await run_in_threadpool(authenticate, authorization,
                                          x_repair_station_protocol)
        first_seq = _first_seq(await _read_body(request))
        return await run_in_threadpool(_start_device, station, first_seq)

    def _start_device(station: StationIdentity, first_seq: int) -> JSONResponse:
        with database.read() as s:
            device_id = _device_id(s, station)
        try:
            moved = devices.start(database, device_id, first_seq)
        except devices.AlreadyStarted as exc:
            raise HqHttpError(p.ErrorCode.GAP,
                              f"This device has already pushed or started (head office holds "
                              f"its ops up to seq {exc.high_water}); its seq cannot be moved. "
                              f"Send from seq {exc.high_water + 1}.",
                              expected_seq=exc.high_water + 1) from None
        return JSONResponse(moved.to_json())

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version,
                                 description=app.description, routes=app.routes)
            # the push body is read raw (gzip), so FastAPI cannot see its model: add it here
            _, defs = models_json_schema([(PushBatchModel, "validation"),
                                          (DeviceStartModel, "validation")],
                                         ref_template="#/components/schemas/{model}")
            schema.setdefault("components", {}).setdefault("schemas", {}).update(
                defs.get("$defs", {}))
            app.openapi_schema = openapi_doc.conform(schema)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


def app_from_env() -> FastAPI:
    """App factory for several worker processes (``serve --workers N``): settings come from
    ``REPAIR_STATION_HQ_DB`` and ``REPAIR_STATION_HQ_RETENTION_DAYS``."""
    return create_app(os.environ.get(DB_ENV, DEFAULT_URL),
                      retention_days=int(os.environ.get(RETENTION_ENV,
                                                        changes.DEFAULT_RETENTION_DAYS)))


def _check_protocol(value: str | None) -> int:
    try:
        version = int(value or "0")
    except ValueError:
        version = 0
    if version < p.MIN_PROTOCOL:
        raise HqHttpError(p.ErrorCode.UPGRADE_REQUIRED,
                          f"This program speaks an old sync protocol ({version}); head office "
                          f"needs {p.MIN_PROTOCOL} or newer. Please upgrade the program.",
                          min_protocol=p.MIN_PROTOCOL)
    if version not in p.SUPPORTED_PROTOCOLS:
        raise HqHttpError(p.ErrorCode.BAD_REQUEST,
                          f"Head office does not speak protocol {version} yet (it speaks "
                          f"{', '.join(map(str, p.SUPPORTED_PROTOCOLS))}).")
    return version


def _check_device_protocol(version: int, identity: StationIdentity) -> None:
    """A program of protocol 1 knows of one device per station: refused (426) for a station
    that has several active devices, and for any device but the first."""
    if version >= p.DEVICES_PROTOCOL:
        return
    if identity.multi_device or identity.device_number > 1:
        raise HqHttpError(p.ErrorCode.UPGRADE_REQUIRED,
                          f"Station {identity.code} has several devices; this program speaks "
                          f"sync protocol {version}, which knows only one device per station. "
                          f"Please upgrade the program on every device of the station (protocol "
                          f"{p.DEVICES_PROTOCOL} or newer).", min_protocol=p.DEVICES_PROTOCOL)


def _first_seq(body: bytes) -> int:
    """``first_seq`` of a ``device/start`` body; 400 when it is not ``{"first_seq": n>=1}``."""
    try:
        return DeviceStartModel.model_validate_json(body or b"null").first_seq
    except ValueError as exc:
        first = exc.errors()[0] if isinstance(exc, ValidationError) and exc.errors() else {}
        where = ".".join(str(x) for x in first.get("loc", ())) or "body"
        raise HqHttpError(p.ErrorCode.BAD_REQUEST,
                          f"{where}: {first.get('msg', 'invalid request')} (send "
                          '{"first_seq": n}, n at least 1)') from None


def _device_id(s: Any, station: StationIdentity) -> int:
    return station.device_id or devices.first_device(s, station.id).id


def _device_view(s: Any, station: StationIdentity) -> devices.DeviceView:
    return devices.device_view(s, _device_id(s, station))


def _parse_batch(body: bytes, content_encoding: str | None) -> p.PushBatch:
    return p.PushBatch.from_json(p.decode_body(body, content_encoding))


async def _read_body(request: Request) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_WIRE_BYTES:
        raise HqHttpError(p.ErrorCode.TOO_LARGE, f"The body exceeds {MAX_WIRE_BYTES} bytes.")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_WIRE_BYTES:
            raise HqHttpError(p.ErrorCode.TOO_LARGE, f"The body exceeds {MAX_WIRE_BYTES} bytes.")
        chunks.append(chunk)
    return b"".join(chunks)


def _mark_pulled(db: HqDatabase, device: devices.DeviceView, cursor: int, now: datetime,
                 snapshot_taken: bool = False) -> None:
    """The device (and its station) last pulled now, up to ``cursor``; with
    ``snapshot_taken`` its pending snapshot is done."""
    with db.write() as s:
        row = s.get(HqStation, device.station_id)
        if row is not None:
            row.last_pull_at = now
            row.pulled_seq = max(row.pulled_seq, cursor)
        mine = s.get(HqDevice, device.id)
        if mine is not None:
            mine.last_pull_at = now
            mine.pulled_seq = max(mine.pulled_seq, cursor)
            if snapshot_taken:
                mine.needs_snapshot = False
