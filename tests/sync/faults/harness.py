"""Loopback fault rig: the real head-office server (uvicorn, sync/hq) in a thread, a small
fault-injecting HTTP proxy in front of it, stations in temporary data folders, and the
end-of-test comparison of both sides (every op exactly once, counts and checksums equal).
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import uvicorn
from sqlalchemy import or_, select, text

from app.bootstrap import Services, open_services
from app.domain.enums import Role
from app.services.sync_service import SyncService
from app.services.sync_token import FileTokenStore
from app.services.users import NewStation, NewUser
from app.store.models import OutboxOp
from sync import entities
from sync.client import ClientConfig, HqTransport
from sync.hq.admin import HqAdmin
from sync.hq.api import create_app
from sync.hq.db import HqDatabase
from sync.hq.models import HqBase, HqReceivedOp, HqRecord, HqStation

ROOT = Path(__file__).resolve().parents[3]
PASSWORD = "correct-horse"


# -- the head-office server ----------------------------------------------------------------------


class LiveHq:
    """``sync.hq`` served by uvicorn on 127.0.0.1 (random port) in a background thread."""

    def __init__(self, db_path: Path, ssl_files: tuple[Path, Path] | None = None,
                 db_url: str | None = None) -> None:
        self.db_path = db_path
        #: (certificate, key) to serve HTTPS
        self.ssl_files = ssl_files
        #: a PostgreSQL database instead of the SQLite file (emptied on start)
        self.url_db = db_url or f"sqlite:///{db_path}"
        self.db: HqDatabase | None = None
        self.admin: HqAdmin | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    def start(self) -> LiveHq:
        if self.url_db.startswith("postgresql"):
            self.db = HqDatabase.open(self.url_db, create=False)
            HqBase.metadata.create_all(self.db.engine)
            names = ", ".join(t.name for t in HqBase.metadata.sorted_tables)
            with self.db.engine.begin() as conn:
                conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            self.db.create_all()
        else:
            self.db = HqDatabase.open(self.url_db)
        self.admin = HqAdmin(self.db)
        app = create_app(db=self.db)
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self.port))
        self.port = sock.getsockname()[1]
        tls: dict[str, Any] = {}
        if self.ssl_files is not None:
            tls = {"ssl_certfile": str(self.ssl_files[0]), "ssl_keyfile": str(self.ssl_files[1])}
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off",
                                **tls)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]},
                                        daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("head-office server did not start")
            time.sleep(0.02)
        return self

    @property
    def url(self) -> str:
        scheme = "https" if self.ssl_files else "http"
        return f"{scheme}://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
            assert self._thread is not None
            self._thread.join(timeout=10)
            self._server = None
        if self.db is not None:
            self.db.engine.dispose()
            self.db = None


# -- the fault proxy -----------------------------------------------------------------------------

#: pass | 500 | 500_after (HQ committed, answered 500) | drop (before forwarding) |
#: drop_after (HQ committed, answer lost) |
#: cut_request (half the body arrives) | cut_response (half the answer) | delay:<s> | hold
Mode = str


@dataclass
class FaultPlan:
    """Faults for matching requests, in order; then ``default`` (or a random choice)."""

    queue: list[tuple[str, Mode]] = field(default_factory=list)
    default: Mode = "pass"
    chooser: Callable[[str, str], Mode] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    seen: list[tuple[str, str, Mode]] = field(default_factory=list)

    def next(self, method: str, path: str) -> Mode:
        with self.lock:
            queued = [i for i, (prefix, _) in enumerate(self.queue) if path.startswith(prefix)]
            if queued:
                mode = self.queue.pop(queued[0])[1]
            else:
                mode = self.chooser(method, path) if self.chooser else self.default
            self.seen.append((method, path, mode))
            return mode


class FaultProxy:
    """An HTTP proxy on loopback that forwards to the server unless the plan says otherwise."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.plan = FaultPlan()
        self.committed = threading.Event()
        self.release = threading.Event()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                proxy._handle(self)

            def do_POST(self) -> None:
                proxy._handle(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        mode = self.plan.next(h.command, h.path)
        length = int(h.headers.get("Content-Length") or 0)
        if mode == "drop":
            h.close_connection = True
            _kill(h)
            return
        if mode == "cut_request":
            h.rfile.read(length // 2)
            _kill(h)
            return
        body = h.rfile.read(length) if length else b""
        if mode == "500":
            self._reply(h, 500, {}, json.dumps({"error": "server_error",
                                                "message": "injected"}).encode())
            return
        if mode.startswith("delay:"):
            time.sleep(float(mode.split(":", 1)[1]))
        status, headers, data = self._forward(h, body)
        if mode == "500_after":  # head office committed, then the answer became an error
            self._reply(h, 500, {}, json.dumps({"error": "server_error",
                                                "message": "injected after"}).encode())
            return
        if mode == "drop_after":
            _kill(h)
            return
        if mode == "hold":
            self.committed.set()
            self.release.wait(30)
            _kill(h)
            return
        if mode == "cut_response":
            h.send_response(status)
            h.send_header("Content-Type", "application/json")
            if "Content-Encoding" in headers:
                h.send_header("Content-Encoding", headers["Content-Encoding"])
            h.send_header("Content-Length", str(len(data)))
            h.end_headers()
            h.wfile.write(data[: len(data) // 2])
            h.wfile.flush()
            _kill(h)
            return
        self._reply(h, status, headers, data)

    def _forward(self, h: BaseHTTPRequestHandler, body: bytes) -> tuple[int, dict[str, str],
                                                                         bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.upstream_port, timeout=60)
        try:
            headers = {k: v for k, v in h.headers.items()
                       if k.lower() not in ("host", "connection", "content-length")}
            headers["Content-Length"] = str(len(body))
            conn.request(h.command, h.path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            headers = {"Content-Type": response.getheader("Content-Type") or
                       "application/json"}
            # head office compresses large answers: the body is only readable with it
            if response.getheader("Content-Encoding"):
                headers["Content-Encoding"] = response.getheader("Content-Encoding")
            return response.status, headers, data
        finally:
            conn.close()

    def _reply(self, h: BaseHTTPRequestHandler, status: int, headers: dict[str, str],
               data: bytes) -> None:
        h.send_response(status)
        for key, value in headers.items():
            h.send_header(key, value)
        if "Content-Type" not in headers:
            h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(data)))
        h.send_header("Connection", "close")
        h.end_headers()
        h.wfile.write(data)
        h.close_connection = True


def _kill(h: BaseHTTPRequestHandler) -> None:
    h.close_connection = True
    with contextlib.suppress(OSError):
        h.connection.shutdown(socket.SHUT_RDWR)


# -- stations ------------------------------------------------------------------------------------


def fast_transport(config: ClientConfig) -> HqTransport:
    config.backoff_base, config.backoff_cap = 0.01, 0.05
    config.read_timeout = 10
    return HqTransport(config)


@dataclass
class StationRig:
    code: str
    services: Services
    sync: SyncService
    token: str

    @property
    def root(self) -> Path:
        return self.services.paths.root

    def close(self) -> None:
        self.services.close()


def make_station(root: Path, code: str, hq: LiveHq, url: str,
                 clock: Callable[[], Any] | None = None) -> StationRig:
    services = open_services(root, clock=clock) if clock else open_services(root)
    services.users.set_up_station(NewStation(code, f"{code} 维修站", "北京", "010-62345678"),
                                  NewUser("boss", "张站长", Role.MANAGER, PASSWORD))
    assert hq.admin is not None
    token = hq.admin.add_station(code, f"{code} station")
    sync = SyncService(services.db, services.bus, FileTokenStore(root),
                       clock or services.sync.clock, fast_transport)
    boss = services.users.login("boss", PASSWORD)
    sync.register(boss, url, code, token)
    services.sync = sync
    return StationRig(code, services, sync, token)


def station_env() -> dict[str, str]:
    env = dict(os.environ)
    env["REPAIR_STATION_TOKEN_FILE_ONLY"] = "1"
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def sync_process(root: Path) -> subprocess.Popen[bytes]:
    """``repair-station --data-dir root sync`` as a real process (to be killed with -9)."""
    return subprocess.Popen([sys.executable, "-m", "app", "--data-dir", str(root), "sync"],
                            cwd=ROOT, env=station_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


# -- comparing both sides ------------------------------------------------------------------------


def _digest(rows: list[tuple[Any, ...]]) -> str:
    h = hashlib.sha256()
    for row in rows:
        h.update(json.dumps(row, ensure_ascii=False, sort_keys=True).encode())
    return h.hexdigest()


def assert_converged(station: StationRig, hq: LiveHq) -> dict[str, Any]:
    """Every station op at HQ exactly once; HQ's copy of each row equals the station's latest."""
    with station.services.db.read() as s:
        ops = [(o.seq, o.op_id, o.entity, o.entity_id, o.op)
               for o in s.scalars(select(OutboxOp).order_by(OutboxOp.seq))]
        latest: dict[tuple[str, str], Any] = {}
        # head office keeps the latest state of each row, and every ledger event (movements)
        ledger = [e.name for e in entities.ENTITIES.values()
                  if e.storage is entities.Storage.LEDGER]
        kept = (select(OutboxOp)
                .where(or_(OutboxOp.op != "event", OutboxOp.entity.in_(ledger)))
                .order_by(OutboxOp.seq))
        for o in s.scalars(kept):
            latest[(o.entity, o.entity_id)] = json.loads(o.payload)
    assert hq.db is not None
    with hq.db.read() as s:
        st = s.scalar(select(HqStation).where(HqStation.code == station.code))
        assert st is not None
        received = [(r.seq, r.op_id, r.entity, r.entity_id, r.op)
                    for r in s.scalars(select(HqReceivedOp)
                                       .where(HqReceivedOp.station_id == st.id)
                                       .order_by(HqReceivedOp.seq))]
        records = {(r.entity, r.entity_id): json.loads(r.payload)
                   for r in s.scalars(select(HqRecord).where(HqRecord.station_id == st.id))}
    assert len(received) == len({r[1] for r in received}), "an op was applied twice"
    assert len(received) == len(ops), f"station {len(ops)} ops, head office {len(received)}"
    assert _digest(received) == _digest(ops)
    station_rows = sorted((k[0], k[1], v) for k, v in latest.items())
    hq_rows = sorted((k[0], k[1], v) for k, v in records.items())
    assert len(hq_rows) == len(station_rows)
    assert _digest(hq_rows) == _digest(station_rows)
    assert station.sync.status().pending == 0
    return {"ops": len(ops), "rows": len(station_rows)}
