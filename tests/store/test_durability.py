"""A writer process killed with SIGKILL at random moments, a hundred times: the database
stays intact, every acknowledged order is there whole, and outbox and business rows never
exist one without the other."""

from __future__ import annotations

import dataclasses
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import select, text

from app.bootstrap import open_services
from app.store.models import Customer, OutboxOp, Product, ServiceOrder
from app.store.sqlite_driver import is_plain

KILLS = 100
ROOT = Path(__file__).resolve().parents[2]


def test_kill_nine_a_hundred_times(tmp_path, services, station) -> None:
    data_dir = services.paths.root
    clerk = station["clerk"]
    services.close()
    ack_path = tmp_path / "acks.jsonl"
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.store.durability_writer", str(data_dir), str(ack_path),
         json.dumps(dataclasses.asdict(clerk))],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )
    rng = random.Random(1234)
    started = time.monotonic()
    try:
        for _ in range(KILLS):
            server.stdin.write("fork\n")
            server.stdin.flush()
            pid = int(server.stdout.readline())
            time.sleep(rng.uniform(0.02, 0.25))
            os.kill(pid, signal.SIGKILL)
    finally:
        server.stdin.close()
        server.wait(timeout=30)
    elapsed = time.monotonic() - started
    assert elapsed < 60
    acked = [json.loads(line) for line in ack_path.read_text(encoding="utf-8").splitlines()
             if line.endswith("}")]

    check = open_services(data_dir)
    # the kills hit the encrypted store, as the program runs it
    assert check.db.key is not None and not is_plain(check.paths.database)
    try:
        with check.db.engine.connect() as conn:
            assert conn.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
            assert conn.execute(text("PRAGMA foreign_key_check")).fetchall() == []
        with check.db.read() as s:
            orders = {o.id: o for o in s.scalars(select(ServiceOrder))}
            ops = s.scalars(select(OutboxOp)).all()
            customers = set(s.scalars(select(Customer.id)))
            products = set(s.scalars(select(Product.id)))
        assert len(acked) > KILLS  # the writer got real work done between kills
        for ack in acked:
            order = orders[ack["id"]]
            assert order.number == ack["number"]
            assert order.customer_id in customers and order.product_id in products
        ops_by_entity: dict[str, set[str]] = {}
        for op in ops:
            ops_by_entity.setdefault(op.entity, set()).add(op.entity_id)
        assert ops_by_entity["service_order"] == set(orders)
        assert customers == ops_by_entity["customer"]
        assert products == ops_by_entity["product"]
        seqs = sorted(op.seq for op in ops)
        assert len(seqs) == len(set(seqs))
    finally:
        check.close()
