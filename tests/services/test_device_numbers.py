"""Two devices of one station, offline on the same day, number orders, sales and counts with
their own counters: the numbers are disjoint, device 1's are the station's old ones and the
other device's carry its tag letter (``app.services.device_identity``)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from app.bootstrap import Services, open_services
from app.domain.parts import DocumentPrefix
from app.services import stock_ledger as ledger
from app.services.device_identity import device_tag
from app.services.order_queries import OrderFilter
from app.services.sales import SaleLineInput
from app.store.models.sync import SyncRegistration
from tests.conftest import _template
from tests.services.helpers import new_order
from tests.services.test_sales import add_part, sale


def register(services: Services, number: int, tag: str) -> None:
    with services.db.write() as s:
        reg = s.scalar(select(SyncRegistration))
        if reg is None:
            reg = SyncRegistration(hq_url="https://hq.example", station_code="BJ001")
            s.add(reg)
        reg.device_number, reg.device_tag = number, tag


@pytest.fixture
def laptop(tmp_path, clock) -> Iterator[Services]:
    """A second device of the same station: the same set-up store, its own counters."""
    folder = tmp_path / "laptop"
    shutil.copytree(_template(True, clock).folder, folder)
    svc = open_services(folder, clock=clock)
    yield svc
    svc.close()


def work_a_day(services: Services, actors, n: int, day) -> list[str]:
    """``n`` orders, ``n`` sales and a count number: what a device numbers in a day."""
    manager = actors["manager"]
    part = add_part(services, "GR-CAP-35", stock=10 * n)
    numbers = [new_order(services, actors["clerk"], serial=f"SN{i:04d}").number
               for i in range(n)]
    numbers += [services.sales.sell(manager, sale(SaleLineInput(part.id, 1))).number
                for _ in range(n)]
    with services.db.write() as s:
        numbers.append(ledger.next_number(s, DocumentPrefix.COUNT, day))
    return numbers


def test_two_devices_number_the_same_day_apart(services, station, laptop, clock) -> None:
    register(services, 1, "")
    register(laptop, 2, "B")
    day = clock().astimezone().date()
    counter_pc = work_a_day(services, station, 3, day)
    # the laptop is a copy of the same set-up station: the same users (ids) log in there
    field = work_a_day(laptop, station, 3, day)
    assert not set(counter_pc) & set(field)
    assert counter_pc[0] == "SO-BJ001-20260601-0001" and counter_pc[3] == "SA-BJ001-20260601-0001"
    assert field[:2] == ["SO-BJ001-20260601-B0001", "SO-BJ001-20260601-B0002"]
    assert field[3] == "SA-BJ001-20260601-B0001" and field[-1] == "PC-BJ001-20260601-B0001"
    # the laptop finds its own numbers as it finds any order (the search knows the letter)
    assert laptop.orders.find_by_number(field[1].lower()).number == field[1]
    found = laptop.orders.search(OrderFilter(text=field[1]))
    assert [r.number for r in found] == [field[1]]
    assert {r.number for r in laptop.orders.search(OrderFilter(text="SO-BJ001-20260601"))} == (
        set(field[:3]))


def test_an_unregistered_store_numbers_as_device_one(services, station) -> None:
    with services.db.read() as s:
        assert device_tag(s) == ""


def test_a_tag_no_number_may_carry_stops_numbering(services, station, clock) -> None:
    register(services, 2, "I")
    with pytest.raises(ValueError), services.db.write() as s:
        ledger.next_number(s, DocumentPrefix.SALE, clock().date())
