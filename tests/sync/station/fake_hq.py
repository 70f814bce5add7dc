"""An in-memory head office speaking protocol v1 through a ``requests`` adapter.

Fast station tests use it instead of a server: the client's real ``HqTransport`` code runs
(headers, gzip, retries, status handling); only the socket is replaced. It keeps the same
rules as the contract: per-station high water, stored acknowledgements, 409 on a gap,
change log with cursor and 410 below the retained horizon. Faults are queued by tests.
"""

from __future__ import annotations

import json
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
from requests.adapters import BaseAdapter

from sync import protocol as p


@dataclass
class StationBook:
    code: str
    high_water: int = 0
    acks: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: op_id -> times applied (must end at exactly 1)
    applied: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    #: entity_id -> latest payload per entity
    rows: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    reject_entities: set[str] = field(default_factory=set)


class FakeHq:
    def __init__(self) -> None:
        self.tokens: dict[str, str] = {}
        self.revoked: set[str] = set()
        self.books: dict[str, StationBook] = {}
        self.changes: list[tuple[str | None, p.Change]] = []
        self.horizon = 0  # pull below this answers 410
        #: queued faults: "500", "drop" (connection error before handling),
        #: "lose_ack" (handled, then the connection drops)
        self.faults: list[str] = []
        self.min_protocol = 1
        self.requests = 0
        self.last_seq = 0
        self.slow_started = threading.Event()
        self.slow_release = threading.Event()

    def add_station(self, code: str, token: str) -> None:
        self.tokens[token] = code
        self.books[code] = StationBook(code)

    def publish(self, entity: str, entity_id: str, payload: dict[str, Any],
                station: str | None = None, op: str = "upsert") -> int:
        self.last_seq += 1
        seq = self.last_seq
        self.changes.append((station, p.Change(seq, entity, entity_id, op, payload)))
        return seq

    # -- request handling -----------------------------------------------------------------------
    def handle(self, request: requests.PreparedRequest) -> tuple[int, Any]:
        self.requests += 1
        parts = urlsplit(request.url or "")
        path = parts.path
        if path == p.HEALTH_PATH:
            return 200, {"protocols": [1], "server_time": "2026-06-01T00:00:00+00:00"}
        if int(request.headers.get(p.PROTOCOL_HEADER, "0") or 0) < self.min_protocol:
            return 426, {"error": "upgrade_required", "min_protocol": self.min_protocol,
                         "message": "upgrade"}
        token = p.bearer_token(request.headers.get("Authorization"))
        if token in self.revoked:
            return 403, {"error": "revoked", "message": "revoked"}
        if token not in self.tokens:
            return 401, {"error": "unauthorized", "message": "who are you"}
        book = self.books[self.tokens[token]]
        if path == p.PUSH_PATH:
            body = p.decode_body(request.body, request.headers.get("Content-Encoding"))
            return self._push(book, p.PushBatch.from_json(body))
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if path == p.PULL_PATH:
            return self._pull(book, int(query.get("since", 0)), int(query.get("limit", 500)))
        if path == p.SNAPSHOT_PATH:
            mine = [c for st, c in self.changes if st in (None, book.code)]
            return 200, {"changes": [c.to_json() for c in mine],
                         "next": self.last_seq}
        return 404, {"error": "not_found", "message": path}

    def _push(self, book: StationBook, batch: p.PushBatch) -> tuple[int, Any]:
        if batch.station_code != book.code:
            return 400, {"error": "bad_request", "message": "not your batch"}
        if batch.to_seq <= book.high_water:
            stored = book.acks.get(batch.batch_id)
            ack = dict(stored) if stored else {"batch_id": batch.batch_id,
                                               "high_water": book.high_water, "results": []}
            ack["replayed"] = True
            return 200, ack
        if batch.from_seq > book.high_water + 1:
            return 409, {"error": "gap", "message": "gap", "expected_seq": book.high_water + 1}
        results = []
        for op in batch.ops:
            if op.seq <= book.high_water:
                continue
            if op.entity in book.reject_entities:
                results.append({"op_id": op.op_id, "status": "rejected",
                                "reason": f"{op.entity} not accepted"})
                continue
            book.applied[op.op_id] += 1
            book.rows[(op.entity, op.entity_id)] = op.payload
            results.append({"op_id": op.op_id, "status": "applied"})
        book.high_water = batch.to_seq
        ack = {"batch_id": batch.batch_id, "high_water": book.high_water, "replayed": False,
               "results": results}
        book.acks[batch.batch_id] = ack
        return 200, ack

    def _pull(self, book: StationBook, since: int, limit: int) -> tuple[int, Any]:
        if since < self.horizon:
            return 410, {"error": "cursor_expired", "message": "too old"}
        mine = [c for st, c in self.changes if c.hq_seq > since and st in (None, book.code)]
        page = mine[:limit]
        return 200, {"changes": [c.to_json() for c in page],
                     "next": page[-1].hq_seq if page else since, "more": len(mine) > limit}


class FakeAdapter(BaseAdapter):
    def __init__(self, hq: FakeHq) -> None:
        super().__init__()
        self.hq = hq
        self.seen_verify: list[Any] = []
        self.seen_timeouts: list[Any] = []

    def send(self, request: requests.PreparedRequest, stream: bool = False,
             timeout: Any = None, verify: Any = True, cert: Any = None,
             proxies: Any = None) -> requests.Response:
        self.seen_verify.append(verify)
        self.seen_timeouts.append(timeout)
        fault = self.hq.faults.pop(0) if self.hq.faults else None
        if fault == "slow":
            self.hq.slow_started.set()
            self.hq.slow_release.wait(10)
        if fault == "drop":
            raise requests.ConnectionError("dropped")
        if fault == "garbage":  # a captive portal or a misconfigured proxy answering
            response = requests.Response()
            response.status_code = 200
            response._content = b"<html>login to the hotel wifi</html>"
            response.url = request.url or ""
            response.request = request
            return response
        if fault == "500":
            status, data = 500, {"error": "server_error", "message": "boom"}
        elif fault == "bad409":  # a gap answer that names no sequence to resume from
            status, data = 409, {"error": "gap", "message": "gap"}
        else:
            status, data = self.hq.handle(request)
        if fault == "lose_ack":
            raise requests.ConnectionError("connection lost after commit")
        response = requests.Response()
        response.status_code = status
        response._content = json.dumps(data).encode()
        response.headers["Content-Type"] = "application/json"
        response.url = request.url or ""
        response.request = request
        return response

    def close(self) -> None:
        pass


def fake_transport_factory(hq: FakeHq, adapters: list[FakeAdapter] | None = None):
    """A ``TransportFactory`` for ``SyncService`` whose sessions talk to ``hq``."""
    from sync.client import HqTransport

    def make(config):  # type: ignore[no-untyped-def]
        session = requests.Session()
        adapter = FakeAdapter(hq)
        session.mount("https://", adapter)
        session.mount("http://", adapter)
        if adapters is not None:
            adapters.append(adapter)
        config.backoff_base = 0.001
        config.backoff_cap = 0.01
        return HqTransport(config, session=session)

    return make
