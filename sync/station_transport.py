"""HTTP to head office for the station: verified TLS, timeouts, retries, clear errors.

Safety rules this module keeps:
- every request has a timeout and passes ``verify=`` itself; ``trust_env`` is off so
  ``REQUESTS_CA_BUNDLE`` or a proxy variable can never override the configured trust;
- connection errors and 5xx are retried with exponential backoff and jitter; TLS failures,
  401/403/426 are not (retrying cannot fix them) and become a ``SyncError`` with a clear code;
- the token is only ever put in the Authorization header, never in a message or log line.
No Qt, no database.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

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
    CANCELLED = "cancelled"

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


def _device_revoked() -> SyncError:
    return SyncError(SyncError.REVOKED,
                     "Head office has stopped this device (its token was revoked). Contact "
                     "head office. Nothing was lost: the changes head office never received "
                     "stay in the outbox (list them with `repair-station unsent`).",
                     device=True)


def _upgrade(min_protocol: int | None) -> SyncError:
    return SyncError(SyncError.UPGRADE_REQUIRED,
                     "Head office needs a newer version of Repair Station (sync protocol {n} or "
                     "later). Please upgrade the program; pending changes stay in the outbox.",
                     n=min_protocol or p.PROTOCOL_VERSION + 1)


#: the only hosts plain http may reach (tests, a local proxy): TLS is never switched off
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def plain_http_elsewhere(url: str) -> bool:
    """True when ``url`` would reach another computer over plain http (never allowed)."""
    parts = urlsplit(url)
    return parts.scheme != "https" and (parts.scheme != "http"
                                        or parts.hostname not in LOOPBACK_HOSTS)


def _insecure(url: str) -> SyncError:
    return SyncError(SyncError.TLS,
                     "Head office at {host} would be reached without https, which is allowed "
                     "only on this computer; nothing was sent. Register again with the "
                     "head-office https address.", host=urlsplit(url).hostname or url[:80])


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
    #: set by the program when it closes: no new request, no more waiting between retries
    cancel: threading.Event | None = None

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

    def negotiate(self) -> int:
        """The highest protocol both sides speak (``/v1/health``), kept in the config for
        every later request. A protocol-1 head office takes the station as its one device."""
        health = self.health()
        common = set(health.protocols) & set(p.SUPPORTED_PROTOCOLS)
        if not common:
            raise _upgrade(health.min_protocol)
        self.config.protocol = max(common)
        return self.config.protocol

    def device(self) -> p.DeviceAnswer:
        """``GET /v1/device`` (protocol 2): this token's device and the station's devices."""
        answer = self._request("GET", p.DEVICE_PATH)
        self.raise_for(answer)
        return p.DeviceAnswer.from_json(answer.data)

    def station_state(self, after: str, limit: int, cursor: int) -> p.StationStatePage:
        """One page of the station's own records for a joining device (protocol 2);
        ``cursor`` 0 on the first request, then the first page's."""
        params: dict[str, Any] = {"after": after, "limit": limit}
        if cursor:
            params["cursor"] = cursor
        answer = self._request("GET", p.STATION_STATE_PATH, params=params)
        self.raise_for(answer)
        return p.StationStatePage.from_json(answer.data)

    def device_start(self, first_seq: int) -> None:
        """``POST /v1/device/start``: this device's first seq (set up from another device's
        backup, its own ops come after the backup's)."""
        # plain JSON: head office reads this small body as a model, not as a gzip push
        body = p.dumps({"first_seq": first_seq})
        answer = self._request("POST", p.DEVICE_START_PATH, body=body, gzip=False)
        if answer.status == 409:
            known = error_body(answer.data)
            if known is not None and known.expected_seq == first_seq:
                return  # started there before (its answer lost, or registering again)
        self.raise_for(answer, expected=(200, 204))

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
        params: dict[str, Any] | None = None, body: bytes | None = None, gzip: bool = True,
    ) -> Answer:
        # checked on every request, not only at registration: a stored address changed to
        # plain http elsewhere must never receive the token (or anything else)
        if plain_http_elsewhere(self.base):
            raise _insecure(self.base)
        headers = {"Accept": "application/json"}
        if auth:
            headers.update(p.auth_headers(self.config.token, self.config.protocol))
        if body is not None:
            headers["Content-Type"] = "application/json"
            if gzip:
                headers["Content-Encoding"] = "gzip"
        url = self.base + path
        timeout = (self.config.connect_timeout, self.config.read_timeout)
        last_problem = ""
        for attempt in range(self.config.attempts):
            if attempt:
                if self.config.cancel is not None:
                    self.config.cancel.wait(self._delay(attempt))
                else:
                    self.sleep(self._delay(attempt))
            self.check_cancelled()
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

    def check_cancelled(self) -> None:
        if self.config.cancel is not None and self.config.cancel.is_set():
            raise SyncError(SyncError.CANCELLED,
                            "The sync was stopped because the program is closing; pending "
                            "changes stay in the outbox.")

    def _delay(self, attempt: int) -> float:
        ceiling = min(self.config.backoff_cap, self.config.backoff_base * 2 ** (attempt - 1))
        # full jitter: many stations coming back online at once do not retry in step
        return self.rng.uniform(ceiling / 2, ceiling)

    def raise_for(self, answer: Answer, expected: Sequence[int] = (200,)) -> None:
        if answer.status in expected:
            return
        body = error_body(answer.data)
        if answer.status == 401:
            raise _unauthorized()
        if answer.status == 403:
            raise _device_revoked() if self.config.protocol >= p.DEVICES_PROTOCOL \
                else _revoked()
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


def error_body(data: Any) -> p.ErrorBody | None:
    try:
        return p.ErrorBody.from_json(data)
    except p.ProtocolError:
        return None
