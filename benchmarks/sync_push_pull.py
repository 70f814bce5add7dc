"""Push and pull of many changes between one station and the reference head-office server.

    python -m benchmarks.sync_push_pull [--changes 100000] [--dispatches 10000] [--keep DIR]

Head office runs as its own process (``python -m sync.hq serve``, SQLite) on loopback. The
station side runs each phase in a fresh child process so its peak memory (``ru_maxrss``) is
the sync's alone; the figure beside it is the same process's RSS just before the sync started
(interpreter, imports, open database), so the difference is what the sync itself used.

Phases: push ``--changes`` outbox rows (customers, as after a month offline); pull the same
number of head-office changes (notices: the pull pipeline itself — pages, JSON, one local
transaction per page with its cursor); pull ``--dispatches`` dispatched orders (each creates a
customer and an order and journals both) and push those receipts back.

Issue 14: the station store is encrypted (SQLCipher). The first ``open_services`` on a
plain station made before that encrypts it in place (timed by
``benchmarks.encrypted_store``), so this runs on the encrypted store; raw connections to
a station file go through ``benchmarks.station_db`` (the program's driver, keyed).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CODE = "BENCH1"
CHUNK = 5_000


def _rss_kib() -> int:
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") // 1024


# -- child: one phase ----------------------------------------------------------------------------


def child(data_dir: Path, phase: str) -> dict[str, Any]:
    from app.bootstrap import open_services
    from app.services.sync_service import SyncService
    from app.services.sync_token import FileTokenStore
    from sync.client import ClientConfig, HqTransport, SyncEngine

    services = open_services(data_dir)
    sync = SyncService(services.db, services.bus, FileTokenStore(data_dir))
    status = sync.status()
    token = FileTokenStore(data_dir).load()
    assert token
    engine = SyncEngine(HqTransport(ClientConfig(status.hq_url, token)), sync.store, CODE)
    before = _rss_kib()
    start = time.perf_counter()
    if phase == "push":
        report = engine.push()
        count = report.pushed_ops
    elif phase == "pull":
        report = engine.pull()
        count = report.pulled_changes
    else:
        report = engine.run()
        count = report.pulled_changes
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    services.close()
    return {"phase": phase, "count": count, "seconds": seconds, "rss_before_kib": before,
            "peak_kib": peak, "pushed": report.pushed_ops, "batches": report.batches,
            "pages": report.pages}


# -- parent: set-up and orchestration ------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_health(url: str, proc: subprocess.Popen[bytes]) -> None:
    import requests

    session = requests.Session()
    session.trust_env = False
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("head-office server exited")
        try:
            if session.get(url + "/v1/health", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            time.sleep(0.2)
    raise RuntimeError("head-office server did not start")


def _station_backlog(data_dir: Path, n: int) -> None:
    from sqlalchemy import insert

    from app.bootstrap import open_services
    from app.domain.enums import Role
    from app.services.users import NewStation, NewUser
    from app.store.base import utcnow
    from app.store.models import Customer, CustomerPhone, OutboxOp

    services = open_services(data_dir)
    services.users.set_up_station(NewStation(CODE, "基准站", "北京", "010-62345678"),
                                  NewUser("boss", "站长", Role.MANAGER, "correct-horse"))
    now = utcnow()
    for start in range(0, n, CHUNK):
        customers, phones, ops = [], [], []
        for i in range(start, min(n, start + CHUNK)):
            cid = str(uuid.uuid4())
            number = f"139{i:08d}"
            row = {"id": cid, "name": f"客户{i}", "address": "北京市海淀区中关村大街1号",
                   "notes": "", "revision": 1, "created_at": now, "updated_at": now}
            customers.append(row)
            phones.append({"customer_id": cid, "number": number, "digits": number,
                           "position": 0})
            payload = {**row, "created_at": now.isoformat(), "updated_at": now.isoformat(),
                       "phones": [number]}
            ops.append({"op_id": str(uuid.uuid4()), "entity": "customer", "entity_id": cid,
                        "op": "upsert", "payload": json.dumps(payload, ensure_ascii=False,
                                                              sort_keys=True),
                        "base_revision": 0, "action": "create", "username": "boss",
                        "schema_version": 1, "created_at": now})
        with services.db.write() as s:
            s.execute(insert(Customer), customers)
            s.execute(insert(CustomerPhone), phones)
            s.execute(insert(OutboxOp), ops)
    services.close()


def _register(data_dir: Path, url: str, token: str) -> None:
    from app.bootstrap import open_services
    from app.services.context import SYSTEM
    from app.services.sync_service import SyncService
    from app.services.sync_token import FileTokenStore

    services = open_services(data_dir)
    SyncService(services.db, services.bus, FileTokenStore(data_dir)).register(
        SYSTEM, url, CODE, token)
    services.close()


def _hq_notices(db_url: str, n: int) -> None:
    """``n`` notices in head office's change log, written in bulk (one transaction)."""
    from sqlalchemy import insert, select

    from sync.hq.db import HqDatabase
    from sync.hq.models import HqChange, HqMeta, HqNotice, HqStation, utcnow

    db = HqDatabase.open(db_url)
    now = utcnow()
    with db.write() as s:
        station_id = s.scalar(select(HqStation.id).where(HqStation.code == CODE))
        counter = s.scalars(select(HqMeta).where(HqMeta.key == "last_hq_seq")).one()
        first = counter.value + 1
        counter.value += n
        for start in range(0, n, CHUNK):
            notices, rows = [], []
            for i in range(start, min(n, start + CHUNK)):
                nid = str(uuid.uuid4())
                body = f"第{i}号通知：各维修站请按新流程登记旧件，月底前寄回总部。"
                notices.append({"id": nid, "station_id": station_id, "title": f"公告{i}",
                                "body": body, "published_at": now, "hq_seq": first + i})
                payload = {"id": nid, "title": f"公告{i}", "body": body,
                           "published_at": now.isoformat()}
                rows.append({"hq_seq": first + i, "station_id": station_id,
                             "entity": "notice", "entity_id": nid, "op": "upsert",
                             "payload": json.dumps(payload, ensure_ascii=False,
                                                   sort_keys=True), "created_at": now})
            s.execute(insert(HqNotice), notices)
            s.execute(insert(HqChange), rows)
    db.dispose()


def _hq_dispatch(db_url: str, n: int) -> None:
    from sync.hq.admin import DispatchInput, HqAdmin
    from sync.hq.db import HqDatabase

    db = HqDatabase.open(db_url)
    HqAdmin(db).dispatch(CODE, [
        DispatchInput(f"派单客户{i}", f"137{i:08d}", "上海市浦东新区", "空调不制冷",
                      model="KFR-35GW", serial=f"SN{i:08d}")
        for i in range(n)])
    db.dispose()


def _run_child(data_dir: Path, phase: str) -> dict[str, Any]:
    out = subprocess.run([sys.executable, "-m", "benchmarks.sync_push_pull", "--phase", phase,
                          "--data-dir", str(data_dir)], cwd=ROOT, capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--changes", type=int, default=100_000)
    parser.add_argument("--dispatches", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, default=None, help="work folder to keep")
    parser.add_argument("--phase", choices=["push", "pull", "run"], help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase:
        print(json.dumps(child(args.data_dir, args.phase)))
        return 0

    work = args.keep or Path(tempfile.mkdtemp(prefix="sync-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    station_dir, db_url = work / "station", f"sqlite:///{work / 'hq.sqlite3'}"
    from sync.hq.admin import HqAdmin
    from sync.hq.db import HqDatabase

    hq_db = HqDatabase.open(db_url)
    token = HqAdmin(hq_db).add_station(CODE, "Benchmark station")
    hq_db.dispose()
    t = time.perf_counter()
    _station_backlog(station_dir, args.changes)
    print(f"station backlog of {args.changes} changes written in "
          f"{time.perf_counter() - t:.1f} s", file=sys.stderr)
    port = _free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    server = subprocess.Popen([sys.executable, "-m", "sync.hq", "serve", "--db", db_url,
                               "--host", "127.0.0.1", "--port", str(port), "--log-level",
                               "warning"], cwd=ROOT, env=env)
    rows = []
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_health(url, server)
        _register(station_dir, url, token)
        rows.append(("push: station changes", _run_child(station_dir, "push")))
        _hq_notices(db_url, args.changes)
        rows.append(("pull: head-office notices", _run_child(station_dir, "pull")))
        _hq_dispatch(db_url, args.dispatches)
        rows.append(("pull: dispatched orders (+ push receipts)",
                     _run_child(station_dir, "run")))
    finally:
        server.terminate()
        server.wait(30)
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)

    print("| phase | changes | seconds | changes/s | RSS before MiB | peak RSS MiB | "
          "sync's own MiB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, r in rows:
        rate = r["count"] / r["seconds"] if r["seconds"] else 0
        print(f"| {name} | {r['count']:,} | {r['seconds']:.1f} | {rate:,.0f} | "
              f"{r['rss_before_kib'] / 1024:.0f} | {r['peak_kib'] / 1024:.0f} | "
              f"{(r['peak_kib'] - r['rss_before_kib']) / 1024:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
