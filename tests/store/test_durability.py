"""A writer process killed with SIGKILL at random moments, a hundred times: the database
stays intact, every acknowledged order is there whole, and outbox and business rows never
exist one without the other."""

from __future__ import annotations

import json
import os
import random
import signal
import time
from pathlib import Path

from sqlalchemy import select, text

from app.bootstrap import open_services
from app.domain.enums import OrderSource, OrderType, ServiceMode
from app.services.customers import CustomerInput, ProductInput
from app.services.orders import NewOrder
from app.store.models import Customer, OutboxOp, Product, ServiceOrder

KILLS = 100

def _writer(data_dir: Path, clerk, write_fd: int) -> None:
    """Child: create orders forever, acknowledging each after its commit returned."""
    services = open_services(data_dir)
    rng = random.Random(os.getpid())
    out = os.fdopen(write_fd, "w", buffering=1)
    while True:
        n = rng.randrange(10**8)
        order = services.orders.create(clerk, NewOrder(
            order_type=OrderType.REPAIR, source=OrderSource.PHONE,
            service_mode=ServiceMode.ON_SITE, fault_description=f"不制冷 {n}",
            contact_phone=f"139{n:08d}",
            customer=CustomerInput(f"客户{n}", (f"139{n:08d}",), "北京"),
            product=ProductInput("KFR-35GW", f"SN{n}"),
        ))
        out.write(json.dumps({"id": order.id, "number": order.number}) + "\n")


def test_kill_nine_a_hundred_times(tmp_path, services, station) -> None:
    data_dir = services.paths.root
    clerk = station["clerk"]
    services.close()
    acked: list[dict] = []
    rng = random.Random(1234)
    started = time.monotonic()
    for _ in range(KILLS):
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # child
            os.close(read_fd)
            try:
                _writer(data_dir, clerk, write_fd)
            finally:
                os._exit(0)
        os.close(write_fd)
        time.sleep(rng.uniform(0.05, 0.25))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        with os.fdopen(read_fd) as pipe:
            for line in pipe.read().splitlines():
                if line.endswith("}"):
                    acked.append(json.loads(line))
    elapsed = time.monotonic() - started
    assert elapsed < 60

    check = open_services(data_dir)
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
