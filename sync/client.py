"""The station's sync client: HTTP transport to head office and the push/pull engine.

No Qt and no database here: the engine talks to the station store through ``LocalSide``
(implemented by ``app.services.sync_store``), so it can be driven by the program, the command
line, the tests and the benchmark alike.

Safety rules this module keeps:
- every request has a timeout and passes ``verify=`` itself; ``trust_env`` is off so
  ``REQUESTS_CA_BUNDLE`` or a proxy variable can never override the configured trust;
- connection errors and 5xx are retried with exponential backoff and jitter; TLS failures,
  401/403/426 are not (retrying cannot fix them) and become a ``SyncError`` with a clear code;
- the token is only ever put in the Authorization header, never in a message or log line;
- push reads the outbox one batch at a time, pull applies one page at a time, so memory
  stays bounded whatever the backlog.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import requests

from sync import protocol as p

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({500, 502, 503, 504})
#: the line failed (refused, reset, timed out, answer cut short): the request may be repeated,
#: every request being idempotent (a push by its batch id, the rest are reads)
RETRY_ERRORS = (
    requests.ConnectionError,
    requests.Timeout,
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
)


class SyncError(Exception):
    """A sync that could not finish. ``code`` is stable (for exit codes and the UI); the
    message is an English template with ``params`` so ``app.i18n.render`` can translate it."""

    OFFLINE = "offline"
    UNAUTHORIZED = "unauthorized"
    REVOKED = "revoked"
    UPGRADE_REQUIRED = "upgrade_required"
    TLS = "tls"
    SERVER = "server"
    PROTOCOL = "protocol"
    NOT_REGISTERED = "not_registered"
    BUSY = "busy"

    def __init__(self, code: str, template: str, **params: Any) -> None:
        self.code = code
        self.template = template
        self.params = params
        self.field = None
        super().__init__(template.format(**params))


def _unauthorized() -> SyncError:
    return SyncError(SyncError.UNAUTHORIZED,
                     "Head office does not accept this station's token (wrong or replaced). "
                     "Ask head office for a new token and register again. Nothing was lost: "
                     "pending changes stay in the outbox.")


def _revoked() -> SyncError:
    return SyncError(SyncError.REVOKED,
                     "Head office has revoked this station's token. Contact head office. "
                     "Nothing was lost: pending changes stay in the outbox.")


def _upgrade(min_protocol: int | None) -> SyncError:
    return SyncError(SyncError.UPGRADE_REQUIRED,
                     "Head office needs a newer version of Repair Station (sync protocol {n} or "
                     "later). Please upgrade the program; pending changes stay in the outbox.",
                     n=min_protocol or p.PROTOCOL_VERSION + 1)


def _offline(detail: str) -> SyncError:
    return SyncError(SyncError.OFFLINE,
                     "Head office cannot be reached ({detail}). Working offline; pending "
                     "changes stay in the outbox and are sent at the next sync.",
                     detail=detail)


@dataclass
class ClientConfig:
    hq_url: str
    token: str
    #: company CA bundle (PEM path); None means the system's trusted roots
    ca_bundle: str | None = None
    connect_timeout: float = 5.0
    read_timeout: float = 60.0
    attempts: int = 5
    backoff_base: float = 0.5
    backoff_cap: float = 30.0
    max_ops: int = p.MAX_BATCH_OPS
    max_bytes: int = p.MAX_BATCH_BYTES
    page_limit: int = p.DEFAULT_PULL_LIMIT
    protocol: int = p.PROTOCOL_VERSION

    def __repr__(self) -> str:  # the token must never reach a log through a repr
        return f"ClientConfig(hq_url={self.hq_url!r}, ca_bundle={self.ca_bundle!r})"


@dataclass
class Answer:
    status: int
    data: Any


class HqTransport:
    """HTTP to head office: one ``requests.Session``, verified TLS, timeouts, retries."""

    def __init__(
        self,
        config: ClientConfig,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.config = config
        self.session = session or requests.Session()
        self.session.trust_env = False
        self.sleep = sleep
        self.rng = rng or random.Random()
        self.base = config.hq_url.rstrip("/")

    def close(self) -> None:
        self.session.close()

    @property
    def verify(self) -> str | bool:
        return self.config.ca_bundle or True

    def health(self) -> p.Health:
        answer = self._request("GET", p.HEALTH_PATH, auth=False)
        self.raise_for(answer)
        return p.Health.from_json(answer.data)

    def push(self, batch: p.PushBatch) -> Answer:
        return self._request("POST", p.PUSH_PATH, body=p.encode_body(batch.to_json()))

    def pull(self, since: int, limit: int) -> Answer:
        return self._request("GET", p.PULL_PATH, params={"since": since, "limit": limit})

    def snapshot(self) -> p.Snapshot:
        answer = self._request("GET", p.SNAPSHOT_PATH)
        self.raise_for(answer)
        return p.Snapshot.from_json(answer.data)

    # -- internals --------------------------------------------------------------------------
    def _request(
        self, method: str, path: str, *, auth: bool = True,
        params: dict[str, Any] | None = None, body: bytes | None = None,
    ) -> Answer:
        headers = {"Accept": "application/json"}
        if auth:
            headers.update(p.auth_headers(self.config.token, self.config.protocol))
        if body is not None:
            headers["Content-Type"] = "application/json"
            headers["Content-Encoding"] = "gzip"
        url = self.base + path
        timeout = (self.config.connect_timeout, self.config.read_timeout)
        last_problem = ""
        for attempt in range(self.config.attempts):
            if attempt:
                self.sleep(self._delay(attempt))
            try:
                response = self.session.request(
                    method, url, params=params, data=body, headers=headers,
                    timeout=timeout, verify=self.verify, allow_redirects=False,
                )
            except requests.exceptions.SSLError as exc:
                raise SyncError(SyncError.TLS,
                                "The head-office certificate could not be verified ({detail}). "
                                "Check the address and the company CA bundle.",
                                detail=type(exc).__name__) from exc
            except RETRY_ERRORS as exc:
                last_problem = type(exc).__name__
                log.info("sync %s %s attempt %d failed: %s", method, path, attempt + 1,
                         last_problem)
                continue
            if response.status_code in RETRY_STATUSES:
                last_problem = f"HTTP {response.status_code}"
                log.info("sync %s %s attempt %d: %s", method, path, attempt + 1, last_problem)
                continue
            return Answer(response.status_code, _json_of(response))
        if last_problem.startswith("HTTP"):
            raise SyncError(SyncError.SERVER,
                            "Head office reported an error ({detail}) several times; try again "
                            "later. Pending changes stay in the outbox.", detail=last_problem)
        raise _offline(last_problem)

    def _delay(self, attempt: int) -> float:
        ceiling = min(self.config.backoff_cap, self.config.backoff_base * 2 ** (attempt - 1))
        # full jitter: many stations coming back online at once do not retry in step
        return self.rng.uniform(ceiling / 2, ceiling)

    def raise_for(self, answer: Answer, expected: Sequence[int] = (200,)) -> None:
        if answer.status in expected:
            return
        body = _error_body(answer.data)
        if answer.status == 401:
            raise _unauthorized()
        if answer.status == 403:
            raise _revoked()
        if answer.status == 426:
            raise _upgrade(body.min_protocol if body else None)
        raise SyncError(SyncError.PROTOCOL,
                        "Head office gave an unexpected answer (HTTP {status}: {detail}).",
                        status=answer.status, detail=(body.error if body else "no details"))


def _json_of(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _error_body(data: Any) -> p.ErrorBody | None:
    try:
        return p.ErrorBody.from_json(data)
    except p.ProtocolError:
        return None


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
                   snapshot: bool) -> None: ...


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
        progress: Progress | None = None,
    ) -> None:
        self.transport = transport
        self.local = local
        self.station_code = station_code
        self.progress = progress or (lambda stage, done, total: None)

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
            batch = p.PushBatch.build(self.station_code, ops, from_seq=lo)
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
                body = _error_body(answer.data)
                expected = body.expected_seq if body else None
                if expected is None or expected > lo:
                    raise SyncError(SyncError.PROTOCOL,
                                    "Head office asked for changes from {seq}, which does not "
                                    "fit what this station sent.", seq=expected or 0)
                # head office has less than we thought (restored from a backup): send again
                self.local.rewind(expected - 1)
                report.resends += 1
                report.details.append(f"head office expected seq {expected}; resending")
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
        batch = p.PushBatch.build(self.station_code, last, from_seq=last[0].seq)
        answer = self.transport.push(batch)
        if answer.status == 409:
            body = _error_body(answer.data)
            if body is None or body.expected_seq is None or body.expected_seq > last[0].seq:
                raise SyncError(SyncError.PROTOCOL,
                                "Head office asked for changes from {seq}, which does not "
                                "fit what this station sent.", seq=body.expected_seq or 0
                                if body else 0)
            self.local.rewind(body.expected_seq - 1)
            report.resends += 1
            report.details.append(f"head office expected seq {body.expected_seq}; resending")
            return
        self.transport.raise_for(answer)

    def pull(self, report: SyncReport | None = None) -> SyncReport:
        report = report or SyncReport()
        cfg = self.transport.config
        cursor = self.local.pull_cursor()
        self.progress("pull", 0, 0)
        while True:
            answer = self.transport.pull(cursor, cfg.page_limit)
            if answer.status == 410:
                if report.snapshots:
                    raise SyncError(SyncError.PROTOCOL,
                                    "Head office refused the cursor of its own snapshot ({seq}).",
                                    seq=cursor)
                snap = self.transport.snapshot()
                self.local.apply_page(snap.changes, snap.next, snapshot=True)
                report.snapshots += 1
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
            if page.changes or page.next != cursor:
                self.local.apply_page(page.changes, page.next, snapshot=False)
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
