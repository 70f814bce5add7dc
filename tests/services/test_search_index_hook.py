"""The search documents' hook: every write transaction tells the refreshers which orders,
customers, products and repair records it touched, once, just before it commits; a rolled
back transaction tells them nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection, text

from app.bootstrap import Services, open_services
from app.services import search_index
from app.services.search_index import Dirty
from app.store.models import Customer, CustomerPhone, Product, RepairRecord, ServiceOrder

SEEN: list[Dirty] = []


def _spy(connection: Connection, dirty: Dirty) -> None:
    # runs inside the transaction: what it reads is what will commit
    count = connection.execute(text("SELECT count(*) FROM service_orders")).scalar_one()
    SEEN.append(Dirty(set(dirty.orders), set(dirty.customers), set(dirty.products),
                      set(dirty.records)))
    SEEN[-1].orders_in_store = count  # type: ignore[attr-defined]


@pytest.fixture()
def station(tmp_path: Path) -> Iterator[Services]:
    svc = open_services(tmp_path / "data")
    search_index.register(_spy)
    SEEN.clear()
    yield svc
    search_index._refreshers.remove(_spy)
    svc.close()


def test_one_call_per_transaction_with_every_touched_record(station: Services) -> None:
    with station.db.write() as s:
        c = Customer(name="张小明", phones=[CustomerPhone(number="138 0013 8000",
                                                          digits="13800138000")])
        s.add(c)
        s.flush()
        p = Product(customer_id=c.id, model="KFR-35GW", serial_no="SN123456")
        s.add(p)
        s.flush()
        o = ServiceOrder(number="SO-1", order_type="repair", source="phone",
                         service_mode="on_site", status="received", customer_id=c.id,
                         product_id=p.id, fault_description="不制冷")
        s.add(o)
        s.flush()
        s.add(RepairRecord(order_id=o.id, diagnosis="缺氟", actions="加氟"))
    assert len(SEEN) == 1
    seen = SEEN[0]
    assert seen.orders == {o.id} and seen.customers == {c.id} and seen.products == {p.id}
    assert len(seen.records) == 1
    assert seen.orders_in_store == 1  # type: ignore[attr-defined]


def test_a_rolled_back_transaction_refreshes_nothing(station: Services) -> None:
    with pytest.raises(RuntimeError), station.db.write() as s:
        s.add(Customer(name="李四"))
        s.flush()
        raise RuntimeError("refused")
    with station.db.write() as s:
        s.add(Customer(name="王五"))
    assert len(SEEN) == 1 and len(SEEN[0].customers) == 1


def test_a_write_of_nothing_searchable_calls_no_refresher(station: Services) -> None:
    from app.store.models import Setting

    with station.db.write() as s:
        s.add(Setting(key="x", value="y"))
    assert SEEN == []


def test_every_store_opened_is_hooked_even_where_a_closed_one_lived(tmp_path: Path) -> None:
    # a closed store's session factory is freed, and the next one is often made at its
    # address: the hook must not take the new factory for the old one and skip it
    import gc

    from app.store.database import Database

    svc = open_services(tmp_path / "data")
    engine = svc.db.engine
    search_index.register(_spy)
    addresses: list[int] = []
    try:
        for i in range(20):
            db = Database(engine)
            search_index.install(db)
            addresses.append(id(db.write_sessions))
            SEEN.clear()
            with db.write() as s:
                s.add(Customer(name=f"客户{i}"))
            assert len(SEEN) == 1, f"store {i} was not hooked"
            del db, s
            gc.collect(0)  # the youngest objects only: a full collection costs seconds here
    finally:
        search_index._refreshers.remove(_spy)
        svc.close()
    # the case this is about did happen: a factory was made at a freed one's address
    assert len(set(addresses)) < len(addresses)
