"""A new device joins its station: registration, then the station's current state downloaded.

``DeviceJoin`` works on an EMPTY store (no station row, no users: a new data folder or the
first-run window's "join an existing station"): it proves the device token (``/v1/device``),
saves the registration and the token, then ``StateDownload`` loads

1. head office's catalogue, policy and notices (the snapshot's ``FIRST`` part: parts must
   exist before stock rows name them);
2. the station's own records, ``/v1/station-state`` page by page, each page applied (as a
   relayed change: ``app.services.relay_apply``) together with ``join_after/join_done/
   join_total`` in ONE local transaction, so a kill resumes at the next page and ``cancel``
   stops between pages;
3. the rest of a fresh snapshot (claim decisions, settlements, delivery states), with
   ``pull_cursor`` set so the next sync pulls from the download's start (relays after it
   re-apply in head office's order, so a row read newer than the cursor converges).

``SyncService`` uses ``StateDownload`` too: a download cut short is finished by the next sync,
and a device of a station with several whose pull cursor expired (410) downloads the
station's records again, not only the snapshot.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

import requests
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.domain.errors import RuleViolation
from app.domain.permissions import Permission
from app.services import events
from app.services.context import Actor
from app.services.journal import record
from app.services.relay_apply import apply_relayed
from app.services.relay_bulk import apply_many
from app.services.sync_apply import CONFLICTS, NOTICES, add_conflict, apply_change
from app.services.sync_errors import explain
from app.services.sync_service import (
    SYNC_ACTOR,
    TransportFactory,
    check_registration,
    save_devices,
)
from app.services.sync_store import SYNC, UNREADABLE, sync_state
from app.services.sync_token import TokenStore
from app.store.base import utcnow
from app.store.database import Database
from app.store.models import Notice, Station, SyncRegistration, SyncState, User
from app.store.models.sync import SINGLETON_ID
from sync import entities
from sync import protocol as p
from sync.client import ClientConfig, HqTransport, Progress, SyncError

log = logging.getLogger(__name__)

#: the snapshot's part loaded before the station's records (rows reference them)
FIRST = frozenset({p.HqEntity.PART.value, p.HqEntity.WARRANTY_POLICY.value,
                   p.HqEntity.NOTICE.value})
#: ``SyncState.join_stage`` values, in order ("" : not joining / done)
CATALOGUE, RECORDS, REST = "catalogue", "records", "rest"
STAGE = "join"
#: the op id of a synthetic change that carries one downloaded station record
STATE_OP_ID = "state"


@dataclass(frozen=True)
class JoinState:
    """Where a join stands: ``stage`` "" (none or done), "catalogue", "records", "rest";
    ``done`` of ``total`` station records loaded."""

    stage: str
    done: int
    total: int


@dataclass(frozen=True)
class JoinReport:
    station_code: str
    device_number: int
    device_name: str
    #: station records loaded so far (all of them when ``finished``)
    done: int
    total: int
    finished: bool
    cancelled: bool = False


def state_change(row: p.StateRow) -> p.Change:
    """A downloaded station record as the relayed change that writes it."""
    spec = entities.spec(row.entity)
    op = p.OpKind.UPSERT.value
    if row.deleted:
        op = p.OpKind.DELETE.value
    elif spec is not None and p.OpKind.UPSERT not in spec.ops and p.OpKind.EVENT in spec.ops:
        op = p.OpKind.EVENT.value
    return p.Change(hq_seq=0, entity=row.entity, entity_id=row.entity_id, op=op,
                    payload=row.payload, op_id=STATE_OP_ID, device=0)


def apply_state_row(s: Session, change: p.Change, now: datetime) -> set[str]:
    """One station record through the relay applier (always applied, no outbox op)."""
    return apply_relayed(s, change, now)


class StateDownload:
    """The resumable download of a station's current state (see the module docstring)."""

    def __init__(self, db: Database, bus: events.ChangeBus,
                 clock: Callable[[], datetime] = utcnow,
                 cancel: threading.Event | None = None,
                 page_limit: int = p.DEFAULT_STATE_LIMIT) -> None:
        self.db = db
        self.bus = bus
        self.clock = clock
        self.cancel = cancel or threading.Event()
        self.page_limit = page_limit

    def restart(self, transport: HqTransport) -> int:
        """From the beginning (the pull cursor expired): the cursor to pull on from."""
        with self.db.write() as s:
            _begin(sync_state(s))
        return self.run(transport)

    def run(self, transport: HqTransport, progress: Progress | None = None) -> int:
        """Goes on from the stage stored; the pull cursor when done. ``SyncError``
        (CANCELLED when ``cancel`` was set) leaves the stage stored for next time."""
        progress = progress or (lambda stage, done, total: None)
        while True:
            state = self.state()
            if state.stage == "":
                with self.db.read() as s:
                    return sync_state_read(s).pull_cursor
            self._check_cancelled()
            progress(STAGE, state.done, state.total)
            if state.stage == CATALOGUE:
                snap = transport.snapshot()
                self._catalogue(snap)
            elif state.stage == RECORDS:
                self._page(transport)
            elif state.stage == REST:
                snap = transport.snapshot()
                self._rest(snap)
            else:  # an unknown stage (a newer program's): start again
                with self.db.write() as s:
                    _begin(sync_state(s))

    def state(self) -> JoinState:
        with self.db.read() as s:
            st = s.get(SyncState, SINGLETON_ID)
            if st is None:
                return JoinState("", 0, 0)
            return JoinState(st.join_stage, st.join_done, st.join_total)

    def _check_cancelled(self) -> None:
        if self.cancel.is_set():
            raise SyncError(SyncError.CANCELLED,
                            "The download of the station's data was stopped; it goes on from "
                            "where it stopped next time.")

    # -- the stages ---------------------------------------------------------------------------
    def _catalogue(self, snap: p.Snapshot) -> None:
        first = [c for c in snap.changes if c.entity in FIRST]

        def finish(s: Session) -> None:
            keep = [str(c.payload.get("id") or c.entity_id) for c in first
                    if c.entity == p.HqEntity.NOTICE]
            s.execute(delete(Notice).where(Notice.id.not_in(keep)))
            state = sync_state(s)
            # pulled on from here at the end unless the records' cursor is older: a change
            # between the two re-applies harmlessly, none is missed
            state.pull_cursor = snap.next
            state.join_stage = RECORDS

        self._write(first, finish, hq=True, extra={NOTICES, "parts"})

    def _page(self, transport: HqTransport) -> None:
        with self.db.read() as s:
            st = sync_state_read(s)
            after, cursor = st.join_after, st.join_cursor
        page = transport.station_state(after, self.page_limit, cursor)
        changes = [state_change(row) for row in page.rows]

        def finish(s: Session) -> None:
            state = sync_state(s)
            if not state.join_cursor:
                state.join_cursor = page.cursor
            state.join_after = page.after
            state.join_done += len(page.rows)
            state.join_total = max(page.total, state.join_done)
            if not page.more:
                state.join_stage = REST

        self._write(changes, finish, hq=False)

    def _rest(self, snap: p.Snapshot) -> None:
        rest = [c for c in snap.changes if c.entity not in FIRST]

        def finish(s: Session) -> None:
            state = sync_state(s)
            state.pull_cursor = max(0, min(state.pull_cursor, state.join_cursor))
            state.join_stage = ""

        self._write(rest, finish, hq=True)

    def _write(self, changes: Sequence[p.Change], finish: Callable[[Session], None], *,
               hq: bool, extra: set[str] | None = None) -> None:
        try:
            kinds = self._apply(changes, finish, hq=hq, careful=False)
        except UNREADABLE:
            log.warning("a downloaded row could not be applied; retrying the page one row at "
                        "a time", exc_info=True)
            kinds = self._apply(changes, finish, hq=hq, careful=True)
        self.bus.publish(kinds | (extra or set()) | {SYNC, STAGE})

    def _apply(self, changes: Sequence[p.Change], finish: Callable[[Session], None], *,
               hq: bool, careful: bool) -> set[str]:
        now = self.clock()
        kinds: set[str] = set()
        applier = apply_change if hq else apply_state_row
        with self.db.write() as s, s.no_autoflush:
            if not careful and not hq:  # a page of new rows: written many at a time
                kinds |= apply_many(s, changes, now)
                changes = ()
            for change in changes:
                if not careful:
                    kinds |= applier(s, change, now)
                    continue
                try:
                    with s.begin_nested():
                        kinds |= applier(s, change, now)
                except UNREADABLE as exc:
                    key = (f"hq:{change.hq_seq}" if hq
                           else f"state:{change.entity}:{change.entity_id}")
                    add_conflict(s, key[:80], "unreadable_change", change.entity[:32],
                                 change.entity_id[:36], f"{type(exc).__name__}: {exc}"[:500],
                                 json.dumps(change.payload, ensure_ascii=False,
                                            sort_keys=True)[:2000], now)
                    kinds.add(CONFLICTS)
            finish(s)
        return kinds


def sync_state_read(s: Session) -> SyncState:
    state = s.get(SyncState, SINGLETON_ID)
    return state if state is not None else SyncState(id=SINGLETON_ID, pull_cursor=0,
                                                      join_stage="", join_after="",
                                                      join_cursor=0, join_done=0,
                                                      join_total=0)


def _begin(state: SyncState) -> None:
    state.join_stage, state.join_after = CATALOGUE, ""
    state.join_cursor = state.join_done = state.join_total = 0


class DeviceJoin:
    """A new device joining its station (see the module docstring)."""

    def __init__(self, db: Database, bus: events.ChangeBus, tokens: TokenStore,
                 clock: Callable[[], datetime] = utcnow,
                 transport_factory: TransportFactory = HqTransport,
                 page_limit: int = p.DEFAULT_STATE_LIMIT, *,
                 running: threading.Lock | None = None) -> None:
        """``running``: the sync's lock (``SyncService._running``), so a sync or a backup
        never runs while the download does."""
        self.db = db
        self.bus = bus
        self.tokens = tokens
        self.clock = clock
        self.transport_factory = transport_factory
        self.page_limit = page_limit
        self._cancel = threading.Event()
        self._running = running or threading.Lock()

    # -- reading ------------------------------------------------------------------------------
    def is_empty(self) -> bool:
        """No station and no users here: a device may join (the first-run window's choice)."""
        with self.db.read() as s:
            return (s.scalar(select(func.count()).select_from(Station)) or 0) == 0 and (
                s.scalar(select(func.count()).select_from(User)) or 0) == 0

    def state(self) -> JoinState:
        return self._download().state()

    def pending(self) -> bool:
        """A join was begun and not finished (``resume`` goes on with it)."""
        return self.state().stage != ""

    # -- joining ------------------------------------------------------------------------------
    def start(self, actor: Actor | None, hq_url: str, station_code: str, token: str,
              ca_bundle: str | None = None, progress: Progress | None = None) -> JoinReport:
        """Registers this empty store as a device of ``station_code`` with ``token`` (a
        device token head office made) and downloads the station's state. A join begun
        before for the same station goes on where it stopped. ``actor`` None: the first-run
        window, before the store has any user; given, it must be allowed to register."""
        if actor is not None:
            actor.require(Permission.SYNC_REGISTER)
        url, code, token = check_registration(hq_url, station_code, token, ca_bundle)
        with self.db.read() as s:
            reg = s.get(SyncRegistration, SINGLETON_ID)
            joined_code = reg.station_code if reg is not None else ""
        resuming = self.pending() and joined_code == code
        if not resuming and not self.is_empty():
            raise RuleViolation("This data folder already holds a station; a device joins "
                                "with an empty data folder.", field="station_code")
        if self.pending() and joined_code != code:
            raise RuleViolation("This data folder is joining station {local}; the code given "
                                "was {code}.", field="station_code", local=joined_code,
                                code=code)
        self._cancel.clear()
        transport = self.transport_factory(ClientConfig(url, token, ca_bundle or None,
                                                        cancel=self._cancel))
        try:
            try:
                answer, hq_id = self._check(transport, code)
            except (SyncError, p.ProtocolError, requests.RequestException) as exc:
                raise explain(exc) from exc
            self.tokens.save(token)
            now = self.clock()
            with self.db.write() as s:
                reg = s.get(SyncRegistration, SINGLETON_ID)
                if reg is None:
                    reg = SyncRegistration(id=SINGLETON_ID)
                    s.add(reg)
                reg.hq_url, reg.station_code, reg.ca_bundle = url, code, ca_bundle or ""
                reg.hq_id = hq_id or reg.hq_id or ""
                reg.registered_at = now
                reg.registered_by = actor.username if actor else "join"
                save_devices(s, answer, now)
                state = sync_state(s)
                if not resuming:
                    _begin(state)
                    state.push_acked_seq, state.pull_cursor = 0, 0
                    state.inflight_from = state.inflight_to = None
                    # the users arrive with their hashes from head office: nothing to share
                    state.credentials_shared = True
                record(s, actor or SYNC_ACTOR, action="device_join", entity="station",
                       entity_id=code, detail=f"{url} #{answer.device.number}")
            self.bus.publish({SYNC})
            return self._go(transport, progress)
        finally:
            transport.close()

    def resume(self, progress: Progress | None = None) -> JoinReport:
        """Goes on with a join begun before (after a kill or ``cancel``)."""
        with self.db.read() as s:
            reg = s.get(SyncRegistration, SINGLETON_ID)
            if reg is None:
                raise SyncError(SyncError.NOT_REGISTERED,
                                "This station is not registered with head office yet.")
            url, ca = reg.hq_url, reg.ca_bundle
        token = self.tokens.load()
        if not token:
            raise SyncError(SyncError.NOT_REGISTERED,
                            "The head-office token is missing; register the station again.")
        self._cancel.clear()
        transport = self.transport_factory(ClientConfig(url, token, ca or None,
                                                        cancel=self._cancel))
        try:
            try:
                transport.negotiate()
            except (SyncError, p.ProtocolError, requests.RequestException) as exc:
                raise explain(exc) from exc
            return self._go(transport, progress)
        finally:
            transport.close()

    def cancel(self) -> None:
        """Stops the download between two pages (``resume`` goes on later)."""
        self._cancel.set()

    # -- internals ----------------------------------------------------------------------------
    def _download(self) -> StateDownload:
        return StateDownload(self.db, self.bus, self.clock, self._cancel, self.page_limit)

    def _check(self, transport: HqTransport, code: str) -> tuple[p.DeviceAnswer, str]:
        health = transport.health()
        common = set(health.protocols) & set(p.SUPPORTED_PROTOCOLS)
        if max(common, default=0) < p.DEVICES_PROTOCOL:
            raise SyncError(SyncError.UPGRADE_REQUIRED,
                            "Head office does not support several devices per station yet "
                            "(sync protocol {n}); ask head office to upgrade.",
                            n=p.DEVICES_PROTOCOL)
        transport.config.protocol = max(common)
        answer = transport.device()
        if answer.station_code.upper() != code:
            raise RuleViolation("This token is for station {other}, not {code}.",
                                field="token", other=answer.station_code, code=code)
        return answer, health.hq_id

    def _go(self, transport: HqTransport, progress: Progress | None) -> JoinReport:
        if not self._running.acquire(blocking=False):
            raise SyncError(SyncError.BUSY, "A sync is already running.")
        cancelled = False
        try:
            try:
                self._download().run(transport, progress)
            except SyncError as exc:
                if exc.code != SyncError.CANCELLED:
                    raise explain(exc) from exc
                cancelled = True
            except (p.ProtocolError, requests.RequestException) as exc:
                raise explain(exc) from exc
        finally:
            self._running.release()
        state = self.state()
        if progress is not None and not cancelled:
            progress(STAGE, state.done, state.total)
        with self.db.read() as s:
            reg = s.get(SyncRegistration, SINGLETON_ID)
            assert reg is not None
            self.bus.publish({SYNC, STAGE, events.OUTBOX})
            return JoinReport(reg.station_code, reg.device_number, reg.device_name,
                              state.done, state.total, finished=state.stage == "",
                              cancelled=cancelled)


__all__ = ["DeviceJoin", "JoinReport", "JoinState", "StateDownload", "apply_state_row",
           "state_change"]
