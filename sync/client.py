"""The station's sync engine: push the outbox, pull head office's changes.

No Qt and no database here: the engine talks to the station store through ``LocalSide``
(implemented by ``app.services.sync_store``) and to head office through
``sync.station_transport.HqTransport``, so the program, the command line, the tests and the
benchmark all drive the same code. Push reads the outbox one batch at a time and pull applies
one page at a time, so memory stays bounded whatever the backlog.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from sync import protocol as p
from sync.station_transport import (
    Answer,
    ClientConfig,
    HqTransport,
    SyncError,
)
from sync.station_transport import error_body as _error_body

__all__ = [
    "Answer",
    "ClientConfig",
    "DanglingReferences",
    "HqTransport",
    "LocalSide",
    "Progress",
    "PushPosition",
    "SNAPSHOT_FIRST",
    "SyncEngine",
    "SyncError",
    "SyncReport",
]

class DanglingReferences(Exception):
    """A pulled page names rows that only a later page holds (``LocalSide.apply_page``)."""


#: how many pages are held back and applied together before a dangling reference is taken
#: for what it is (a row head office never relayed) and becomes a conflict
MAX_HELD_PAGES = 8

#: the pull cursor of a station that starts afresh (registered with another head office): its
#: next pull begins with a snapshot
SNAPSHOT_FIRST = -1

# -- the station side the engine works on -----------------------------------------------------


@dataclass(frozen=True)
class PushPosition:
    acked_seq: int
    inflight: tuple[int, int] | None


class LocalSide(Protocol):
    """What the engine needs from the station store; each call is one local transaction."""

    def push_position(self) -> PushPosition: ...

    def read_ops(self, after_seq: int, through_seq: int | None, limit: int) -> list[p.PushOp]: ...

    def pending_count(self) -> int: ...

    def mark_inflight(self, from_seq: int, to_seq: int) -> None: ...

    def record_ack(self, from_seq: int, to_seq: int, ack: p.PushAck,
                   ops: Sequence[p.PushOp]) -> None: ...

    def rewind(self, acked_seq: int) -> None: ...

    def pull_cursor(self) -> int: ...

    def apply_page(self, changes: Sequence[p.Change], next_cursor: int,
                   snapshot: bool, *, can_wait: bool = False) -> None:
        """Applies ``changes`` and stores ``next_cursor``, in one transaction. With
        ``can_wait``, a change naming a row the page does not hold (another device's
        transaction cut by the page boundary) raises ``DanglingReferences`` and nothing is
        stored: the engine hands the page again together with the next one."""
        ...


#: progress(stage, done, total): stage is "push" or "pull"; total 0 when unknown
Progress = Callable[[str, int, int], None]


@dataclass
class SyncReport:
    pushed_ops: int = 0
    batches: int = 0
    replayed_batches: int = 0
    rejected: int = 0
    resends: int = 0
    pulled_changes: int = 0
    pages: int = 0
    snapshots: int = 0
    details: list[str] = field(default_factory=list)


class SyncEngine:
    """One sync: push everything pending, then pull everything new."""

    def __init__(
        self, transport: HqTransport, local: LocalSide, station_code: str,
        progress: Progress | None = None, device: int = 1,
        restate: Callable[[HqTransport], int] | None = None,
    ) -> None:
        self.transport = transport
        self.local = local
        self.station_code = station_code
        self.progress = progress or (lambda stage, done, total: None)
        #: this device's number at head office: its batch ids name it (1: as in protocol 1)
        self.device = device
        #: a device of a station with several: on 410 the station's own records are
        #: downloaded again too (other devices' changes fell out of the log); returns the
        #: cursor to pull on from
        self.restate = restate

    def run(self) -> SyncReport:
        report = SyncReport()
        self.push(report)
        self.pull(report)
        if report.pulled_changes and self.local.pending_count():
            # applying head office's changes wrote outbox rows (receipts, conflicts): send them
            self.push(report)
        return report

    def push(self, report: SyncReport | None = None) -> SyncReport:
        report = report or SyncReport()
        cfg = self.transport.config
        total = self.local.pending_count()
        done = 0
        self.progress("push", 0, total)
        if total == 0:
            self._probe(report)
            total = self.local.pending_count()
        # every 409 moves the acked point strictly down, so this cannot loop forever
        while True:
            position = self.local.push_position()
            if position.inflight is not None:
                lo, hi = position.inflight
                ops = self.local.read_ops(lo - 1, hi, cfg.max_ops)
            else:
                ops = _trim(self.local.read_ops(position.acked_seq, None, cfg.max_ops),
                            cfg.max_bytes)
                if not ops:
                    break
                lo, hi = position.acked_seq + 1, ops[-1].seq
                self.local.mark_inflight(lo, hi)
            if not ops:  # the in-flight range holds nothing any more; start afresh
                self.local.rewind(position.acked_seq)
                continue
            batch = p.PushBatch.build(self.station_code, ops, from_seq=lo, device=self.device)
            answer = self.transport.push(batch)
            if answer.status == 200:
                ack = p.PushAck.from_json(answer.data)
                self.local.record_ack(lo, hi, ack, ops)
                report.batches += 1
                report.pushed_ops += len(ops)
                report.replayed_batches += int(ack.replayed)
                report.rejected += len(ack.by_status(p.OpStatus.REJECTED))
                done += len(ops)
                self.progress("push", min(done, total), total)
                continue
            if answer.status == 409:
                self._resend_from(answer, lo, report)
                total = self.local.pending_count()
                continue
            self.transport.raise_for(answer)
        return report

    def _probe(self, report: SyncReport) -> None:
        """With nothing pending, re-sends the last acknowledged op: head office answers with
        its stored result, or (restored from a backup) with a 409 naming where to resume."""
        position = self.local.push_position()
        if position.inflight is not None or position.acked_seq == 0:
            return
        last = self.local.read_ops(position.acked_seq - 1, position.acked_seq, 1)
        if not last:
            return
        batch = p.PushBatch.build(self.station_code, last, from_seq=last[0].seq,
                                  device=self.device)
        answer = self.transport.push(batch)
        if answer.status == 409:
            self._resend_from(answer, last[0].seq, report)
            return
        self.transport.raise_for(answer)

    def _resend_from(self, answer: Answer, sent_from: int, report: SyncReport) -> None:
        """A 409: head office has less than we thought (restored from a backup). Its
        ``expected_seq`` lies below what we sent; everything from there is sent again."""
        body = _error_body(answer.data)
        expected = body.expected_seq if body is not None else None
        if expected is None or expected >= sent_from:
            raise SyncError(SyncError.PROTOCOL,
                            "Head office asked for changes from {seq}, which does not fit what "
                            "this station sent.", seq=expected or 0)
        self.local.rewind(expected - 1)
        report.resends += 1
        report.details.append(f"head office expected seq {expected}; resending")

    def pull(self, report: SyncReport | None = None) -> SyncReport:
        report = report or SyncReport()
        cfg = self.transport.config
        cursor = self.local.pull_cursor()
        self.progress("pull", 0, 0)
        held: list[p.Change] = []  # pages waiting for the rest of what they name
        held_pages = 0
        while True:
            # a station starting afresh with another head office takes its snapshot first
            answer = (self.transport.pull(cursor, cfg.page_limit) if cursor != SNAPSHOT_FIRST
                      else None)
            if answer is None or answer.status == 410:
                if report.snapshots:
                    raise SyncError(SyncError.PROTOCOL,
                                    "Head office refused the cursor of its own snapshot ({seq}).",
                                    seq=cursor)
                report.snapshots += 1
                if self.restate is not None and answer is not None:
                    cursor = self.restate(self.transport)
                    self.progress("pull", report.pulled_changes, 0)
                    continue
                snap = self.transport.snapshot()
                self.local.apply_page(snap.changes, snap.next, snapshot=True)
                report.pulled_changes += len(snap.changes)
                cursor = snap.next
                self.progress("pull", report.pulled_changes, 0)
                continue
            self.transport.raise_for(answer)
            page = p.PullPage.from_json(answer.data)
            if page.next < cursor:
                raise SyncError(SyncError.PROTOCOL,
                                "Head office moved the pull cursor backwards ({seq}).",
                                seq=page.next)
            changes = held + list(page.changes)
            if changes or page.next != cursor:
                can_wait = page.more and held_pages < MAX_HELD_PAGES
                try:
                    self.local.apply_page(changes, page.next, snapshot=False,
                                          can_wait=can_wait)
                except DanglingReferences:
                    # the rest of another device's transaction is on the next page
                    held, held_pages = changes, held_pages + 1
                    report.pages += 1
                    report.pulled_changes += len(page.changes)
                    cursor = page.next
                    continue
                held, held_pages = [], 0
            report.pages += 1
            report.pulled_changes += len(page.changes)
            cursor = page.next
            self.progress("pull", report.pulled_changes, 0)
            if not page.more:
                break
        return report


def _trim(ops: list[p.PushOp], max_bytes: int) -> list[p.PushOp]:
    """The longest prefix under ``max_bytes`` of JSON (always at least one op)."""
    size = 0
    for index, op in enumerate(ops):
        size += len(p.dumps(op.to_json()))
        if size > max_bytes and index > 0:
            return ops[:index]
    return ops
