"""Head-office test fixtures: a fresh HQ database per test on every configured backend (SQLite
always; PostgreSQL when REPAIR_STATION_TEST_PG names a server where databases may be created),
an API client, a real uvicorn on a random loopback port, and helpers to build pushes.
"""

from __future__ import annotations

import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from sync import protocol as p
from sync.hq.admin import HqAdmin
from sync.hq.api import create_app
from sync.hq.db import HqDatabase
from sync.hq.models import HqBase
from tests.pg_databases import BACKENDS, fresh_database


class HqClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str | None]:
    """A database of its own for this test session on the configured PostgreSQL server."""
    with fresh_database("rs_test") as url:
        yield url


@pytest.fixture(params=BACKENDS)
def hq_db(request: pytest.FixtureRequest, tmp_path: Path, pg_url: str | None
          ) -> Iterator[HqDatabase]:
    if request.param == "sqlite":
        db = HqDatabase.open(f"sqlite:///{tmp_path / 'hq.sqlite3'}")
    else:
        assert pg_url is not None
        db = HqDatabase.open(pg_url, create=False)
        HqBase.metadata.create_all(db.engine)
        names = ", ".join(t.name for t in HqBase.metadata.sorted_tables)
        with db.engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        db.create_all()
    yield db
    db.dispose()


@dataclass
class Station:
    code: str
    token: str
    next_seq: int = 1
    sent: list[p.PushOp] = field(default_factory=list)

    @property
    def headers(self) -> dict[str, str]:
        return p.auth_headers(self.token)

    def ops(self, n: int, entity: str = "customer", **payload: Any) -> list[p.PushOp]:
        """``n`` new ops with the next seqs (fresh entity ids)."""
        out = []
        for _ in range(n):
            seq = self.next_seq
            self.next_seq += 1
            out.append(op(seq, entity, str(uuid.uuid4()), {"name": f"客户{seq}", **payload}))
        self.sent.extend(out)
        return out


def op(seq: int, entity: str, entity_id: str, payload: dict[str, Any], kind: str = "upsert",
       action: str = "update", base_revision: int = 0) -> p.PushOp:
    return p.PushOp(seq=seq, op_id=str(uuid.uuid4()), entity=entity, entity_id=entity_id,
                    op=kind, payload=payload, base_revision=base_revision,
                    created_at="2026-06-01T10:00:00+08:00", action=action, username="clerk")


def gz(batch: p.PushBatch) -> dict[str, Any]:
    """Keyword arguments for a gzip push of ``batch``."""
    return {"content": p.encode_body(batch.to_json()),
            "headers": {"Content-Encoding": "gzip", "Content-Type": "application/json"}}


@dataclass
class Hq:
    db: HqDatabase
    admin: HqAdmin
    client: TestClient
    clock: HqClock

    def station(self, code: str, name: str = "测试维修站") -> Station:
        return Station(code, self.admin.add_station(code, name))

    def push(self, st: Station, batch: p.PushBatch, token: str | None = None) -> Any:
        kw = gz(batch)
        kw["headers"].update(p.auth_headers(token or st.token))
        return self.client.post(p.PUSH_PATH, **kw)

    def pull(self, st: Station, since: int = 0, limit: int = 500) -> Any:
        return self.client.get(p.PULL_PATH, params={"since": since, "limit": limit},
                               headers=st.headers)


@pytest.fixture
def hq(hq_db: HqDatabase) -> Iterator[Hq]:
    clock = HqClock()
    app = create_app(db=hq_db, clock=clock)
    with TestClient(app) as client:
        yield Hq(hq_db, HqAdmin(hq_db, clock), client, clock)


@dataclass
class LiveServer:
    url: str
    db: HqDatabase


@pytest.fixture
def live_server(hq_db: HqDatabase) -> Iterator[LiveServer]:
    """The app under a real uvicorn on 127.0.0.1, a random free port, in a thread."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(db=hq_db), log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    yield LiveServer(f"http://127.0.0.1:{port}", hq_db)
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()
