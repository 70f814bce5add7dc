"""Load on the head-office server: many stations syncing at once, over real HTTP on loopback.

Starts ``repair-station-hq serve`` as a separate process on 127.0.0.1 (a random free port),
registers N stations, dispatches one order to each and publishes one notice, then lets
``--concurrency`` workers sync the stations: each pushes its ``--changes`` ops in gzip batches of
``--batch`` and pulls once. Prints throughput, latency percentiles and errors (which must be 0),
then checks head office holds exactly N x changes ops.

    python -m benchmarks.sync_server_load                       # SQLite, 1,000 x 100, 16 at a time
    python -m benchmarks.sync_server_load --backend postgresql  # needs REPAIR_STATION_TEST_PG
    python -m benchmarks.sync_server_load --backend both --stations 200

Every loop is bounded (a fixed amount of work per station, no retries); loopback only.
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from sync import protocol as p
from sync.hq.admin import DispatchInput, HqAdmin
from sync.hq.db import HqDatabase
from sync.hq.models import HqReceivedOp

ROOT = Path(__file__).resolve().parents[1]
PG_ENV = "REPAIR_STATION_TEST_PG"


@dataclass
class Tally:
    push_ms: list[float] = field(default_factory=list)
    pull_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def _server(url: str, workers: int) -> Iterator[str]:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "sync.hq", "serve", "--db", url, "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning", "--workers", str(workers)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited: {proc.stderr.read() if proc.stderr else ''}")
            try:
                if httpx.get(base + p.HEALTH_PATH, timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("server did not start within 30 s")
            time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


@contextmanager
def _database(backend: str, workdir: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{workdir / 'hq-bench.sqlite3'}"
        return
    base = os.environ.get(PG_ENV)
    if not base:
        raise SystemExit(f"set {PG_ENV} to a PostgreSQL URL where databases may be created")
    name = f"rs_bench_{secrets.token_hex(4)}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE datname = :n AND pid <> pg_backend_pid()"), {"n": name})
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def _ops(n: int, code: str) -> list[p.PushOp]:
    """A station's day: customers, then orders for them, with realistic payload sizes."""
    out = []
    customer_id = str(uuid.uuid4())
    for seq in range(1, n + 1):
        if seq % 4 == 1:
            customer_id = str(uuid.uuid4())
            entity, entity_id = "customer", customer_id
            payload = {"id": customer_id, "name": f"客户{seq}", "address": "北京市海淀区中关村大街"
                       f"{seq}号院{seq % 9}单元", "phones": ["13800138000"], "notes": "",
                       "revision": 1}
        else:
            entity, entity_id = "service_order", str(uuid.uuid4())
            payload = {"id": entity_id, "number": f"SO-{code}-20260601-{seq:04d}",
                       "status": "received", "order_type": "repair", "service_mode": "on_site",
                       "source": "phone", "customer_id": customer_id, "revision": 1,
                       "contact_phone": "13800138000", "fault_description": "空调不制冷，外机异响"
                       * 3, "charge_lines": [{"kind": "labour", "description": "上门检测",
                                              "quantity": 1, "unit_price_fen": 5000}]}
        out.append(p.PushOp(seq=seq, op_id=str(uuid.uuid4()), entity=entity,
                            entity_id=entity_id, op="upsert", payload=payload,
                            created_at="2026-06-01T02:00:00+00:00", action="create",
                            username="clerk"))
    return out


def _sync_station(base: str, code: str, token: str, changes: int, batch: int,
                  tally: Tally) -> None:
    ops = _ops(changes, code)
    headers = {**p.auth_headers(token), "Content-Encoding": "gzip",
               "Content-Type": "application/json"}
    with httpx.Client(base_url=base, timeout=60) as client:
        for lo in range(0, len(ops), batch):
            body = p.encode_body(p.PushBatch.build(code, ops[lo:lo + batch]).to_json())
            t0 = time.perf_counter()
            r = client.post(p.PUSH_PATH, content=body, headers=headers)
            ms = (time.perf_counter() - t0) * 1000
            with tally.lock:
                tally.push_ms.append(ms)
                if r.status_code != 200 or r.json()["high_water"] != ops[
                        min(lo + batch, len(ops)) - 1].seq:
                    tally.errors.append(f"{code} push {r.status_code} {r.text[:200]}")
        t0 = time.perf_counter()
        r = client.get(p.PULL_PATH, params={"since": 0}, headers=p.auth_headers(token))
        ms = (time.perf_counter() - t0) * 1000
        with tally.lock:
            tally.pull_ms.append(ms)
            if r.status_code != 200 or len(r.json()["changes"]) != 2:
                tally.errors.append(f"{code} pull {r.status_code} {r.text[:200]}")


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def run(backend: str, stations: int, changes: int, concurrency: int, batch: int,
        workers: int = 1) -> dict:
    with tempfile.TemporaryDirectory() as tmp, _database(backend, Path(tmp)) as url:
        db = HqDatabase.open(url)
        admin = HqAdmin(db)
        t0 = time.perf_counter()
        tokens = {f"S{i:04d}": admin.add_station(f"S{i:04d}", f"压测站{i}")
                  for i in range(stations)}
        for code in tokens:
            admin.dispatch(code, [DispatchInput("张三", "13800138000", "北京", "不制冷")])
        admin.notice("压测通知", "所有站点")
        setup_s = time.perf_counter() - t0
        tally = Tally()
        with _server(url, workers) as base:
            t0 = time.perf_counter()
            with ThreadPoolExecutor(max_workers=concurrency) as pool:
                futures = [pool.submit(_sync_station, base, code, token, changes, batch, tally)
                           for code, token in tokens.items()]
                for f in futures:
                    try:
                        f.result(timeout=600)
                    except Exception as exc:  # counted, not hidden
                        tally.errors.append(repr(exc))
            wall = time.perf_counter() - t0
        with db.read() as s:
            stored = s.scalar(select(func.count()).select_from(HqReceivedOp)) or 0
        db.dispose()
    requests = len(tally.push_ms) + len(tally.pull_ms)
    all_ms = tally.push_ms + tally.pull_ms
    return {
        "backend": backend, "stations": stations, "changes": stations * changes,
        "concurrency": concurrency, "batch": batch, "workers": workers, "setup_s": setup_s, "wall_s": wall,
        "changes_per_s": stations * changes / wall, "requests_per_s": requests / wall,
        "push_p50_ms": _pct(tally.push_ms, 0.50), "push_p99_ms": _pct(tally.push_ms, 0.99),
        "pull_p99_ms": _pct(tally.pull_ms, 0.99), "p99_ms": _pct(all_ms, 0.99),
        "errors": len(tally.errors) + (0 if stored == stations * changes else 1),
        "stored_ops": stored, "first_errors": tally.errors[:3],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="sqlite")
    ap.add_argument("--stations", type=int, default=1000)
    ap.add_argument("--changes", type=int, default=100, help="ops per station")
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--batch", type=int, default=50, help="ops per push")
    ap.add_argument("--workers", type=int, default=1, help="server processes")
    args = ap.parse_args(argv)
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    failed = False
    for backend in backends:
        r = run(backend, args.stations, args.changes, args.concurrency, args.batch,
                args.workers)
        print(f"{r['backend']:>10}: {r['stations']} stations x {args.changes} changes "
              f"({r['changes']} ops, batches of {r['batch']}), {r['concurrency']} at a time, "
              f"{r['workers']} server process(es)")
        print(f"{'':>10}  {r['wall_s']:.1f} s, {r['changes_per_s']:.0f} changes/s, "
              f"{r['requests_per_s']:.1f} requests/s")
        print(f"{'':>10}  push p50 {r['push_p50_ms']:.0f} ms, push p99 {r['push_p99_ms']:.0f} ms,"
              f" pull p99 {r['pull_p99_ms']:.0f} ms, all p99 {r['p99_ms']:.0f} ms")
        print(f"{'':>10}  errors {r['errors']}, ops stored {r['stored_ops']} "
              f"(setup {r['setup_s']:.1f} s)")
        for e in r["first_errors"]:
            print(f"{'':>10}  ! {e}")
        failed |= r["errors"] > 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
