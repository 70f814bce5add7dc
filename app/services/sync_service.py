"""Sync as the program uses it: registration, one sync run, status, conflicts and notices.

One sync runs at a time (the background timer and "sync now" share a lock). Every run's
outcome is stored (``sync_state``), so the status bar and the command line can say what
happened last. The token comes from the token store and goes only into the transport.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import requests
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from app.domain import validation as v
from app.domain.enums import Role
from app.domain.errors import RuleViolation
from app.domain.numbering import STATION_CODE_RE, tag_for_device
from app.domain.permissions import Permission
from app.services import events
from app.services import text_input as t
from app.services.conflict_fields import ACKNOWLEDGED, ACTION
from app.services.context import Actor
from app.services.device_status import (
    DeviceStatus,
    UnsentChange,
    device_status,
    unsent,
    write_unsent_csv,
)
from app.services.errors import not_found
from app.services.journal import record
from app.services.sync_conflicts import ConflictInfo, conflict_info, list_conflicts, mark_settled
from app.services.sync_errors import explain
from app.services.sync_store import SYNC, StationSyncStore, sync_state
from app.services.sync_token import TokenStore
from app.store.base import utcnow
from app.store.database import Database
from app.store.models import (
    DocumentCounter,
    Notice,
    OrderCounter,
    OutboxOp,
    Station,
    SyncConflict,
    SyncDevice,
    SyncRegistration,
    SyncState,
    User,
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
#: who journals what the sync itself writes (the user rows shared once)
SYNC_ACTOR = Actor(user_id="", username="sync", display_name="sync", role=Role.MANAGER)
#: how long a negotiated protocol is trusted before ``/v1/health`` is asked again
PROTOCOL_TTL_S = 3600.0


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
    #: this device's number at head office and the name head office gave it ("" unknown)
    device_number: int = 1
    device_name: str = ""

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
        #: hq_url -> (protocol both speak, monotonic time it was learnt)
        self._protocols: dict[str, tuple[int, float]] = {}

    # -- registration -----------------------------------------------------------------------
    def register(
        self, actor: Actor, hq_url: str, station_code: str, token: str,
        ca_bundle: str | None = None, check: bool = True,
    ) -> None:
        """Stores where head office is and the token, after proving the token works."""
        actor.require(Permission.SYNC_REGISTER)
        url, code, token = check_registration(hq_url, station_code, token, ca_bundle)
        with self.db.read() as s:
            local_code = s.scalar(select(Station.code))
        if local_code and local_code != code:
            raise RuleViolation("This station is {local}; the code given was {code}.",
                                field="station_code", local=local_code, code=code)
        hq_id, answer = "", None
        if check:
            hq_id, answer = self._check_registration(url, token, ca_bundle)
        # with no line (``check`` False), a device token still says which device this is
        offline_device = None if check else p.token_device(token)
        if answer is not None and answer.station_code.upper() != code:
            raise RuleViolation("This token is for station {other}, not {code}.",
                                field="token", other=answer.station_code, code=code)
        adopt_through, start_due = 0, 0
        if answer is not None:
            adopt_through = self._adopt_backup(url, token, ca_bundle, answer)
        elif offline_device is not None:
            # set up from another device's backup with no line: its ops are adopted here and
            # head office hears where this device's own start at the first sync
            adopt_through = self._backup_seq(offline_device)
            start_due = adopt_through + 1 if adopt_through else 0
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
            if adopt_through:
                # set up from another device's backup: every op in it is that device's (it
                # pushes them itself); this device's own begin after them
                state.push_acked_seq = adopt_through
                state.inflight_from = state.inflight_to = None
                s.execute(update(OutboxOp).where(OutboxOp.acked_at.is_(None))
                          .values(acked_at=self.clock()))
                # the users are the other device's rows too: it shares their hashes
                state.credentials_shared = True
                state.device_start_seq = start_due
                # the day counters were the other device's: this one's letter starts at 1
                s.execute(delete(OrderCounter))
                s.execute(delete(DocumentCounter))
            if answer is not None:
                save_devices(s, answer, self.clock())
            elif offline_device is not None:
                # its own human numbers from the first order on (the name comes at the sync)
                reg.device_number = offline_device
                reg.device_tag = tag_for_device(offline_device)
                reg.device_name = ""
                s.execute(delete(SyncDevice))
            record(s, actor, action="sync_register", entity="station", entity_id=code,
                   detail=url)
        self.bus.publish({SYNC})

    def _check_registration(self, url: str, token: str, ca_bundle: str | None
                            ) -> tuple[str, p.DeviceAnswer | None]:
        """Proves the token with head office: its identity, and (protocol 2) which device of
        the station the token is. Failures in the user's words."""
        transport = self.transport_factory(ClientConfig(url, token, ca_bundle or None))
        try:
            health = transport.health()
            # an older head office (protocol 1 only) still takes this station as one device
            common = set(health.protocols) & set(p.SUPPORTED_PROTOCOLS)
            if not common:
                raise SyncError(SyncError.UPGRADE_REQUIRED,
                                "Head office does not speak sync protocol {n}; please "
                                "upgrade the program.", n=p.PROTOCOL_VERSION)
            transport.config.protocol = max(common)
            self._protocols[url] = (transport.config.protocol, time.monotonic())
            if transport.config.protocol >= p.DEVICES_PROTOCOL:
                return health.hq_id, transport.device()
            # a real authenticated call; 410 (head office pruned its oldest changes) still
            # proves the token: the first sync then takes a snapshot
            transport.raise_for(transport.pull(0, 1), expected=(200, 410))
            return health.hq_id, None
        except (SyncError, p.ProtocolError, requests.RequestException) as exc:
            raise explain(exc) from exc
        finally:
            transport.close()

    def _backup_seq(self, device: int) -> int:
        """The last outbox seq of a store registered as another device of the station (a
        restored backup of it), 0 when there is nothing to adopt."""
        with self.db.read() as s:
            reg = s.get(SyncRegistration, SINGLETON_ID)
            last = s.scalar(select(func.max(OutboxOp.seq))) or 0
            if reg is None or reg.device_number == device or not last:
                return 0
            return last

    def _adopt_backup(self, url: str, token: str, ca_bundle: str | None,
                      answer: p.DeviceAnswer) -> int:
        """The one place that decides "set up from another device's backup": a store that
        was registered as another device of the station (restored from its backup) and holds
        outbox rows, registering with this device's token. Head office is told first that
        this device's seq starts after the backup's (``POST /v1/device/start``); the rows are
        then marked as not this device's (the caller, in its transaction). Returns the last
        seq in the backup (0: nothing to adopt)."""
        with self.db.read() as s:
            reg = s.get(SyncRegistration, SINGLETON_ID)
            last = s.scalar(select(func.max(OutboxOp.seq))) or 0
            if reg is None or reg.device_number == answer.device.number or not last:
                return 0
        transport = self.transport_factory(ClientConfig(url, token, ca_bundle or None))
        try:
            transport.config.protocol = p.DEVICES_PROTOCOL
            transport.device_start(last + 1)
        except (SyncError, p.ProtocolError, requests.RequestException) as exc:
            raise explain(exc) from exc
        finally:
            transport.close()
        return last

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
            device = reg.device_number
            state = s.get(SyncState, SINGLETON_ID)
            joining = bool(state and state.join_stage)
            several = device > 1 or (s.scalar(
                select(func.count()).select_from(SyncDevice)
                .where(SyncDevice.revoked.is_(False))) or 0) > 1
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
                protocol = self._negotiate(transport, url)
                restate = None
                if protocol >= p.DEVICES_PROTOCOL:
                    from app.services.device_join import StateDownload

                    self._tell_device_start(transport)

                    download = StateDownload(self.db, self.bus, self.clock, self._cancel)
                    if joining:  # a join or a re-download cut short: finished first
                        download.run(transport, progress)
                    if several:
                        restate = download.restart
                else:
                    device = 1  # a protocol-1 head office: this station is its one device
                engine = SyncEngine(transport, self.store, code, progress, device=device,
                                    restate=restate)
                report = engine.run()
                if protocol >= p.DEVICES_PROTOCOL:
                    # after a sync that got through (a refused one journals nothing)
                    if self._share_credentials():
                        engine.push(report)
                    answer = transport.device()
                    with self.db.write() as s:
                        save_devices(s, answer, self.clock())
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

    def _tell_device_start(self, transport: HqTransport) -> None:
        """A device set up with no line from another device's backup (``register`` with
        ``check=False``) tells head office, before its first push, where its own seq starts."""
        with self.db.read() as s:
            state = s.get(SyncState, SINGLETON_ID)
            first = state.device_start_seq if state else 0
        if not first:
            return
        transport.device_start(first)
        with self.db.write() as s:
            sync_state(s).device_start_seq = 0

    def _negotiate(self, transport: HqTransport, url: str) -> int:
        known = self._protocols.get(url)
        if known is not None and time.monotonic() - known[1] < PROTOCOL_TTL_S:
            transport.config.protocol = known[0]
            return known[0]
        protocol = transport.negotiate()
        self._protocols[url] = (protocol, time.monotonic())
        return protocol

    def _share_credentials(self) -> bool:
        """Once per station: every user row journalled again with its password hash, so
        head office holds them for the devices that join later (stations from before
        devices sent users without it)."""
        from app.services.users import _user_payload

        with self.db.write() as s:
            state = sync_state(s)
            if state.credentials_shared:
                return False
            for user in s.scalars(select(User).order_by(User.created_at, User.id)):
                record(s, SYNC_ACTOR, action="share_credentials", entity="user",
                       entity_id=user.id, payload=_user_payload(user), audit=False)
            state.credentials_shared = True
        return True

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
            elif result == SyncError.REVOKED:
                _mark_revoked(s, self.clock())
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
                device_number=reg.device_number if reg else 1,
                device_name=reg.device_name if reg else "",
            )

    # -- devices ----------------------------------------------------------------------------
    def device_status(self) -> DeviceStatus:
        """This device and the station's others as head office last listed them."""
        with self.db.read() as s:
            return device_status(s)

    def unsent_changes(self, actor: Actor, limit: int = 500) -> list[UnsentChange]:
        """The outbox rows head office has not acknowledged, oldest first (for a device head
        office stopped: what it never received). They name customers: the manager's."""
        actor.require(Permission.UNSENT_VIEW)
        with self.db.read() as s:
            return unsent(s, limit)

    def export_unsent(self, actor: Actor, path: Path | str) -> int:
        """Every unacknowledged outbox row as a .csv a manager can read; the count."""
        actor.require(Permission.UNSENT_VIEW)
        with self.db.read() as s:
            rows = unsent(s, limit=1_000_000)
        return write_unsent_csv(rows, path)

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


def _mark_revoked(s: Session, now: datetime) -> None:
    """Head office refused this device's token as revoked: the device list says so at once
    (the settings page then lists what head office never received), until a sync with a new
    token lists the devices again."""
    reg = s.get(SyncRegistration, SINGLETON_ID)
    number = reg.device_number if reg else 1
    listed = s.scalar(select(func.count()).select_from(SyncDevice)) or 0
    if number == 1 and listed <= 1:
        return  # a station's only device: its token revoked, as before devices
    row = s.get(SyncDevice, number)
    if row is None:
        row = SyncDevice(number=number, name=reg.device_name if reg else "",
                         tag=reg.device_tag if reg else "", high_water=0, listed_at=now)
        s.add(row)
    row.revoked = True


def save_devices(s: Session, answer: p.DeviceAnswer, now: datetime) -> None:
    """Stores who this device is and the station's devices (``/v1/device``), in the caller's
    transaction."""
    reg = s.get(SyncRegistration, SINGLETON_ID)
    if reg is not None:
        reg.device_number = answer.device.number
        reg.device_name = answer.device.name
        reg.device_tag = answer.device.tag
        reg.primary_device = answer.primary
    s.execute(delete(SyncDevice))
    listed = {d.number: d for d in answer.devices}
    listed.setdefault(answer.device.number, answer.device)
    for d in listed.values():
        s.add(SyncDevice(number=d.number, name=d.name, tag=d.tag, revoked=d.revoked,
                         last_push_at=_when(d.last_push_at), last_pull_at=_when(d.last_pull_at),
                         high_water=d.high_water, listed_at=now))


def _when(text: str) -> datetime | None:
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    # stored like every time of the store: UTC
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


def check_registration(hq_url: str, station_code: str, token: str,
                       ca_bundle: str | None) -> tuple[str, str, str]:
    """Head office's address, the station code and the token as typed, checked (a clear
    message on each), cleaned: (url, code, token). Registering and joining both take them."""
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
    return url, code, token


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
