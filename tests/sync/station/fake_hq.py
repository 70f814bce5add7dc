"""An in-memory head office speaking protocol v1 (or v2, ``protocols``) through a ``requests``
adapter.

Fast station tests use it instead of a server: the client's real ``HqTransport`` code runs
(headers, gzip, retries, status handling); only the socket is replaced. It keeps the same
rules as the contract: per-station high water, stored acknowledgements, 409 on a gap,
change log with cursor and 410 below the retained horizon. Faults are queued by tests.

Protocol 2 (``hq.protocols = [1, 2]``): devices per station (``add_device``) with their own
high water and batch ids, ``/v1/device``, ``/v1/station-state`` over ``book.state_rows``,
``/v1/device/start``; ``book.clashes[entity_id]`` answers an op with a stale/merge result.
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
    #: protocol 2: device number -> (name, tag, revoked); device 1 is the station's token
    devices: dict[int, list[Any]] = field(default_factory=lambda: {1: ["前台电脑", "", False]})
    #: high water of devices 2.. (device 1's is ``high_water``)
    device_hw: dict[int, int] = field(default_factory=dict)
    #: entity_id -> {"status", "kind", "current", "reason"} answered to an op on that row
    clashes: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: the station's records for ``/v1/station-state`` (StateRow JSON), in order
    state_rows: list[dict[str, Any]] = field(default_factory=list)
    #: every batch received: (batch_id, [(seq, seen_hq_seq)])
    batches: list[tuple[str, list[tuple[int, int]]]] = field(default_factory=list)
    #: the ``first_seq`` of each ``/v1/device/start``: (device, first_seq)
    starts: list[tuple[int, int]] = field(default_factory=list)

    def hw(self, device: int) -> int:
        return self.high_water if device <= 1 else self.device_hw.get(device, 0)

    def set_hw(self, device: int, value: int) -> None:
        if device <= 1:
            self.high_water = value
        else:
            self.device_hw[device] = value


class FakeHq:
    def __init__(self) -> None:
        self.tokens: dict[str, str] = {}
        #: token -> device number (absent: 1)
        self.token_device: dict[str, int] = {}
        #: what ``/v1/health`` offers; [1, 2] for a head office with devices
        self.protocols: list[int] = [1]
        #: every request's (method, path)
        self.paths: list[tuple[str, str]] = []
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

    def add_device(self, code: str, token: str, number: int, name: str, tag: str) -> None:
        self.tokens[token] = code
        self.token_device[token] = number
        self.books[code].devices[number] = [name, tag, False]

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
        self.paths.append((request.method or "", path))
        if path == p.HEALTH_PATH:
            return 200, {"protocols": list(self.protocols),
                         "server_time": "2026-06-01T00:00:00+00:00"}
        if int(request.headers.get(p.PROTOCOL_HEADER, "0") or 0) < self.min_protocol:
            return 426, {"error": "upgrade_required", "min_protocol": self.min_protocol,
                         "message": "upgrade"}
        token = p.bearer_token(request.headers.get("Authorization"))
        if token in self.revoked:
            return 403, {"error": "revoked", "message": "revoked"}
        if token not in self.tokens:
            return 401, {"error": "unauthorized", "message": "who are you"}
        book = self.books[self.tokens[token]]
        device = self.token_device.get(token, 1)
        if book.devices.get(device, [None, None, False])[2]:
            return 403, {"error": "revoked", "message": "revoked"}
        if path == p.PUSH_PATH:
            body = p.decode_body(request.body, request.headers.get("Content-Encoding"))
            return self._push(book, p.PushBatch.from_json(body), device)
        query = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        if 2 in self.protocols:
            if path == p.DEVICE_PATH:
                return 200, self._device(book, device)
            if path == p.STATION_STATE_PATH:
                return 200, self._state(book, query)
            if path == p.DEVICE_START_PATH:
                body = p.decode_body(request.body, request.headers.get("Content-Encoding"))
                book.starts.append((device, int(body["first_seq"])))
                book.set_hw(device, int(body["first_seq"]) - 1)
                return 200, {"high_water": book.hw(device)}
        if path == p.PULL_PATH:
            return self._pull(book, int(query.get("since", 0)), int(query.get("limit", 500)))
        if path == p.SNAPSHOT_PATH:
            mine = [c for st, c in self.changes if st in (None, book.code)]
            return 200, {"changes": [c.to_json() for c in mine],
                         "next": self.last_seq}
        return 404, {"error": "not_found", "message": path}

    def _device(self, book: StationBook, device: int) -> dict[str, Any]:
        def info(n: int) -> dict[str, Any]:
            name, tag, revoked = book.devices[n]
            return p.DeviceInfo(n, name, tag, revoked, "2026-06-01T01:00:00+00:00", "",
                                book.hw(n)).to_json()

        active = [n for n, d in sorted(book.devices.items()) if not d[2]]
        return p.DeviceAnswer(book.code, f"{book.code} 站", p.DeviceInfo.from_json(info(device)),
                              tuple(p.DeviceInfo.from_json(info(n))
                                    for n in sorted(book.devices)),
                              active[0] if active else 1).to_json()

    def _state(self, book: StationBook, query: dict[str, str]) -> dict[str, Any]:
        start = int(query.get("after") or 0)
        limit = int(query.get("limit", p.DEFAULT_STATE_LIMIT))
        rows = book.state_rows[start:start + limit]
        cursor = int(query.get("cursor") or 0) or self.last_seq
        end = start + len(rows)
        return {"rows": rows, "after": str(end), "cursor": cursor,
                "total": len(book.state_rows), "more": end < len(book.state_rows)}

    def _push(self, book: StationBook, batch: p.PushBatch, device: int = 1
              ) -> tuple[int, Any]:
        if batch.station_code != book.code or batch.device != device:
            return 400, {"error": "bad_request", "message": "not your batch"}
        book.batches.append((batch.batch_id, [(op.seq, op.seen_hq_seq) for op in batch.ops]))
        high_water = book.hw(device)
        if batch.to_seq <= high_water:
            stored = book.acks.get(batch.batch_id)
            ack = dict(stored) if stored else {"batch_id": batch.batch_id,
                                               "high_water": high_water, "results": []}
            ack["replayed"] = True
            return 200, ack
        if batch.from_seq > high_water + 1:
            return 409, {"error": "gap", "message": "gap", "expected_seq": high_water + 1}
        results = []
        for op in batch.ops:
            if op.seq <= high_water:
                continue
            if op.entity in book.reject_entities:
                results.append({"op_id": op.op_id, "status": "rejected",
                                "reason": f"{op.entity} not accepted"})
                continue
            clash = book.clashes.get(op.entity_id)
            if clash is not None:
                results.append({"op_id": op.op_id, **clash})
                if clash.get("status") != "conflict":
                    continue
            book.applied[op.op_id] += 1
            book.rows[(op.entity, op.entity_id)] = op.payload
            if clash is None:
                results.append({"op_id": op.op_id, "status": "applied"})
        book.set_hw(device, batch.to_seq)
        ack = {"batch_id": batch.batch_id, "high_water": batch.to_seq, "replayed": False,
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
