"""Sync as the program uses it: registration, one sync run, status, conflicts and notices.

One sync runs at a time (the background timer and "sync now" share a lock). Every run's
outcome is stored (``sync_state``), so the status bar and the command line can say what
happened last. The token comes from the token store and goes only into the transport.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

import requests
from sqlalchemy import func, select, update

from app.domain import validation as v
from app.domain.errors import RuleViolation
from app.domain.numbering import STATION_CODE_RE
from app.domain.permissions import Permission
from app.services import events
from app.services import text_input as t
from app.services.conflict_fields import ACKNOWLEDGED, ACTION
from app.services.context import Actor
from app.services.errors import not_found
from app.services.journal import record
from app.services.sync_conflicts import ConflictInfo, conflict_info, list_conflicts, mark_settled
from app.services.sync_errors import explain
from app.services.sync_store import SYNC, StationSyncStore, sync_state
from app.services.sync_token import TokenStore
from app.store.base import utcnow
from app.store.database import Database
from app.store.models import (
    Notice,
    OutboxOp,
    Station,
    SyncConflict,
    SyncRegistration,
    SyncState,
)
from app.store.models.sync import SINGLETON_ID
from sync import protocol as p
from sync.client import (
    SNAPSHOT_FIRST,
    ClientConfig,
    HqTransport,
    Progress,
    SyncEngine,
    SyncError,
    SyncReport,
)

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})

TransportFactory = Callable[[ClientConfig], HqTransport]


@dataclass(frozen=True)
class SyncStatus:
    registered: bool
    hq_url: str
    station_code: str
    last_attempt_at: datetime | None
    last_success_at: datetime | None
    last_result: str
    last_message: str
    pending: int
    open_conflicts: int
    unread_notices: int

    @property
    def last_error(self) -> SyncError | None:
        """The last run's failure (render it with ``app.i18n.render``), None after success."""
        if self.last_result in ("", "ok") or not self.last_message:
            return None
        try:
            data = json.loads(self.last_message)
            return SyncError(self.last_result, data["template"], **data["params"])
        except (ValueError, KeyError, TypeError, IndexError):
            return SyncError(self.last_result, "{detail}", detail=self.last_message)

    @property
    def online(self) -> bool:
        """The last attempt reached head office (what the status bar shows)."""
        return self.registered and self.last_result == "ok"


@dataclass(frozen=True)
class NoticeInfo:
    id: str
    title: str
    body: str
    published_at: datetime
    read_at: datetime | None


class SyncService:
    def __init__(
        self,
        db: Database,
        bus: events.ChangeBus,
        tokens: TokenStore,
        clock: Callable[[], datetime] = utcnow,
        transport_factory: TransportFactory = HqTransport,
    ) -> None:
        self.db = db
        self.bus = bus
        self.tokens = tokens
        self.clock = clock
        self.transport_factory = transport_factory
        self.store = StationSyncStore(db, bus, clock)
        self._running = threading.Lock()
        self._cancel = threading.Event()

    # -- registration -----------------------------------------------------------------------
    def register(
        self, actor: Actor, hq_url: str, station_code: str, token: str,
        ca_bundle: str | None = None, check: bool = True,
    ) -> None:
        """Stores where head office is and the token, after proving the token works."""
        actor.require(Permission.SYNC_REGISTER)
        for value, name, label in ((hq_url, "hq_url", "Head-office address"),
                                   (station_code, "station_code", "Station code"),
                                   (token, "token", "Token"),
                                   (ca_bundle, "ca_bundle", "CA bundle")):
            t.check_key(value, name, label)
        url = _check_url(hq_url)
        code = station_code.strip().upper()
        if not STATION_CODE_RE.match(code):
            raise RuleViolation("Station code must be 2-16 capital letters or digits.",
                                field="station_code")
        token = token.strip()
        if not token:
            raise RuleViolation("The token is required.", field="token")
        with self.db.read() as s:
            local_code = s.scalar(select(Station.code))
        if local_code and local_code != code:
            raise RuleViolation("This station is {local}; the code given was {code}.",
                                field="station_code", local=local_code, code=code)
        hq_id = ""
        if check:
            hq_id = self._check_registration(url, token, ca_bundle)
        self.tokens.save(token)
        with self.db.write() as s:
            reg = s.get(SyncRegistration, SINGLETON_ID)
            if reg is None:
                reg = SyncRegistration(id=SINGLETON_ID)
                s.add(reg)
            known_id = reg.hq_id or ""
            reg.hq_url, reg.station_code, reg.ca_bundle = url, code, ca_bundle or ""
            reg.hq_id = hq_id or known_id
            reg.registered_at, reg.registered_by = self.clock(), actor.username
            state = sync_state(s)
            if known_id and hq_id and known_id != hq_id:
                # another head office (another database), not the same one at a new address:
                # it has none of this station's ops and its change log is another's, so the
                # station starts afresh there (every op re-sent, a snapshot pulled)
                state.push_acked_seq = 0
                state.inflight_from = state.inflight_to = None
                state.pull_cursor = SNAPSHOT_FIRST
                s.execute(update(OutboxOp).values(acked_at=None))
            record(s, actor, action="sync_register", entity="station", entity_id=code,
                   detail=url)
        self.bus.publish({SYNC})

    def _check_registration(self, url: str, token: str, ca_bundle: str | None) -> str:
        """Proves the token with head office; its identity. Failures in the user's words."""
        transport = self.transport_factory(ClientConfig(url, token, ca_bundle or None))
        try:
            health = transport.health()
            # an older head office (protocol 1 only) still takes this station as one device
            if not set(health.protocols) & set(p.SUPPORTED_PROTOCOLS):
                raise SyncError(SyncError.UPGRADE_REQUIRED,
                                "Head office does not speak sync protocol {n}; please "
                                "upgrade the program.", n=p.PROTOCOL_VERSION)
            # a real authenticated call; 410 (head office pruned its oldest changes) still
            # proves the token: the first sync then takes a snapshot
            transport.raise_for(transport.pull(0, 1), expected=(200, 410))
            return health.hq_id
        except (SyncError, p.ProtocolError, requests.RequestException) as exc:
            raise explain(exc) from exc
        finally:
            transport.close()

    def is_registered(self) -> bool:
        with self.db.read() as s:
            return s.get(SyncRegistration, SINGLETON_ID) is not None

    # -- running ----------------------------------------------------------------------------
    def sync_now(self, progress: Progress | None = None) -> SyncReport:
        """One full sync (push, then pull). Raises ``SyncError`` with a clear code."""
        if not self._running.acquire(blocking=False):
            raise SyncError(SyncError.BUSY, "A sync is already running.")
        try:
            return self._run(progress)
        finally:
            self._running.release()

    def _run(self, progress: Progress | None) -> SyncReport:
        with self.db.read() as s:
            reg = s.get(SyncRegistration, SINGLETON_ID)
            if reg is None:
                raise SyncError(SyncError.NOT_REGISTERED,
                                "This station is not registered with head office yet.")
            url, code, ca = reg.hq_url, reg.station_code, reg.ca_bundle
        token = self.tokens.load()
        if not token:
            raise SyncError(SyncError.NOT_REGISTERED,
                            "The head-office token is missing; register the station again.")
        self._note_attempt()
        self._cancel.clear()
        transport = self.transport_factory(ClientConfig(url, token, ca or None,
                                                        cancel=self._cancel))
        try:
            try:
                report = SyncEngine(transport, self.store, code, progress).run()
            except (SyncError, p.ProtocolError, requests.RequestException) as exc:
                # said as a person reads it, with what to do next (never "ConnectionError")
                raise explain(exc) from exc
        except SyncError as exc:
            # the template and its parameters, so each window shows it in its own language
            self._note_result(exc.code, json.dumps({"template": exc.template,
                                                    "params": exc.params},
                                                   ensure_ascii=False, default=str),
                              success=False)
            raise
        finally:
            transport.close()
        self._note_result("ok", "", success=True)
        return report

    def cancel(self) -> None:
        """Asks a running sync to stop at its next request or retry (the program is closing).
        Whatever was acknowledged or applied stays; the rest is sent next time."""
        self._cancel.set()

    def _note_attempt(self) -> None:
        with self.db.write() as s:
            sync_state(s).last_attempt_at = self.clock()

    def _note_result(self, result: str, message: str, success: bool) -> None:
        with self.db.write() as s:
            state = sync_state(s)
            state.last_result, state.last_message = result, message[:2000]
            if success:
                state.last_success_at = self.clock()
        self.bus.publish({SYNC})

    # -- status -----------------------------------------------------------------------------
    def status(self) -> SyncStatus:
        with self.db.read() as s:
            reg = s.get(SyncRegistration, SINGLETON_ID)
            state = s.get(SyncState, SINGLETON_ID)
            acked = state.push_acked_seq if state else 0
            pending = s.scalar(select(func.count()).where(OutboxOp.seq > acked)) or 0
            conflicts = s.scalar(select(func.count()).select_from(SyncConflict)
                                 .where(SyncConflict.resolved_at.is_(None))) or 0
            unread = s.scalar(select(func.count()).select_from(Notice)
                              .where(Notice.read_at.is_(None))) or 0
            return SyncStatus(
                registered=reg is not None, hq_url=reg.hq_url if reg else "",
                station_code=reg.station_code if reg else "",
                last_attempt_at=state.last_attempt_at if state else None,
                last_success_at=state.last_success_at if state else None,
                last_result=state.last_result if state else "",
                last_message=state.last_message if state else "",
                pending=pending, open_conflicts=conflicts, unread_notices=unread,
            )

    # -- conflicts --------------------------------------------------------------------------
    def conflicts(self, include_resolved: bool = False, limit: int = 500) -> list[ConflictInfo]:
        """Newest first, each with its fields side by side (``app.services.sync_conflicts``)."""
        with self.db.read() as s:
            return list_conflicts(s, include_resolved, limit)

    def resolve_conflict(self, actor: Actor, conflict_id: str, note: str = "") -> ConflictInfo:
        """Marks a conflict settled with a note (settling fields or a cancel is
        ``sync_conflicts.ConflictDesk``); head office hears of it when it knows the conflict."""
        actor.require(Permission.CONFLICT_RESOLVE)
        t.check_key(conflict_id, "conflict_id", "Conflict")
        note = v.check_length(note, "note", "Note", 2000, multiline=False)
        with self.db.write() as s:
            conflict = s.get(SyncConflict, conflict_id)
            if conflict is None:
                raise not_found("conflict")
            if conflict.resolved_at is None:
                mark_settled(s, actor, conflict,
                             {ACTION: {"choice": ACKNOWLEDGED, "value": None}}, note,
                             self.clock())
            result = conflict_info(s, conflict)
        self.bus.publish({SYNC, "conflicts", events.OUTBOX})
        return result

    # -- notices ----------------------------------------------------------------------------
    def notices(self, limit: int = 500) -> list[NoticeInfo]:
        with self.db.read() as s:
            rows = s.scalars(select(Notice).order_by(Notice.published_at.desc(), Notice.id)
                             .limit(limit))
            return [NoticeInfo(n.id, n.title, n.body, n.published_at, n.read_at) for n in rows]

    def mark_notice_read(self, actor: Actor, notice_id: str) -> None:
        t.check_key(notice_id, "notice_id", "Notice")
        with self.db.write() as s:
            notice = s.get(Notice, notice_id)
            if notice is None:
                raise not_found("notice")
            if notice.read_at is None:
                notice.read_at, notice.read_by = self.clock(), actor.username
        self.bus.publish({SYNC, "notices"})


def _check_url(raw: str) -> str:
    url = raw.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise RuleViolation("Head-office address must look like https://hq.example.com.",
                            field="hq_url")
    # plain http only on this machine (tests, a local proxy): TLS is never switched off
    if parts.scheme == "http" and parts.hostname not in LOOPBACK_HOSTS:
        raise RuleViolation("Head office must be reached over https.", field="hq_url")
    return url
