"""The stock ledger's core: movements carry the sign of their kind, sellable stock and old
parts never go below zero (refused with nothing stored), every movement writes its outbox
row, two connections taking the last unit at once: exactly one succeeds."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import func, select

from app.domain.errors import RuleViolation
from app.domain.parts import DocumentPrefix, MovementKind, part_id
from app.services import stock_ledger as ledger
from app.services.context import SYSTEM
from app.store.database import Database
from app.store.models import OutboxOp, Part, StockMovement


def _part(services, part_no: str = "GR-CAP-35") -> Part:
    with services.db.write() as s:
        part = Part(id=part_id(part_no), part_no=part_no, name="启动电容", unit="个",
                    retail_price_fen=4500, station_price_fen=3000)
        s.add(part)
    return part


def _post(services, clock, part: Part, kind: MovementKind, quantity: int) -> None:
    with services.db.write() as s:
        ledger.post(s, SYSTEM, part=s.get(Part, part.id), kind=kind, quantity=quantity,
                    now=clock())


def _movements(services) -> int:
    with services.db.read() as s:
        return s.scalar(select(func.count()).select_from(StockMovement))


def test_on_hand_is_the_sum_of_sellable_movements(services, station, clock) -> None:
    part = _part(services)
    _post(services, clock, part, MovementKind.RECEIVED, 5)
    _post(services, clock, part, MovementKind.ISSUED, -2)
    _post(services, clock, part, MovementKind.RETURNED, 1)
    _post(services, clock, part, MovementKind.COUNT_ADJUSTMENT, -1)
    _post(services, clock, part, MovementKind.OLD_COLLECTED, 1)
    with services.db.read() as s:
        assert ledger.on_hand(s, part.id) == 3
        assert ledger.old_on_hand(s, part.id) == 1
        outbox = s.scalars(select(OutboxOp).where(OutboxOp.entity == ledger.ENTITY)).all()
    assert len(outbox) == 5 and {o.op for o in outbox} == {"event"}


@pytest.mark.parametrize("kind, quantity", [
    (MovementKind.RECEIVED, -1), (MovementKind.ISSUED, 2), (MovementKind.SOLD, 0),
    (MovementKind.RECEIVED, 1.5), (MovementKind.RECEIVED, True),
    (MovementKind.RECEIVED, ledger.MAX_QUANTITY + 1),
])
def test_a_quantity_against_its_kind_is_refused(services, station, clock, kind,
                                                quantity) -> None:
    part = _part(services)
    with pytest.raises(RuleViolation) as err:
        _post(services, clock, part, kind, quantity)
    assert err.value.field == "quantity"
    assert _movements(services) == 0


def test_stock_never_goes_below_zero(services, station, clock) -> None:
    part = _part(services)
    _post(services, clock, part, MovementKind.RECEIVED, 2)
    with pytest.raises(RuleViolation) as err:
        _post(services, clock, part, MovementKind.SOLD, -3)
    assert err.value.params["have"] == 2 and err.value.params["wanted"] == 3
    with pytest.raises(RuleViolation):
        _post(services, clock, part, MovementKind.OLD_SHIPPED, -1)
    assert _movements(services) == 1


def test_two_connections_taking_the_last_unit_one_succeeds(services, station, clock) -> None:
    part = _part(services)
    _post(services, clock, part, MovementKind.RECEIVED, 1)
    barrier = threading.Barrier(2)
    results: list[str] = []

    def take() -> None:
        db = Database.open(services.paths.database, key=services.db.key)  # a connection of its own
        try:
            barrier.wait()
            with db.write() as s:
                ledger.post(s, SYSTEM, part=s.get(Part, part.id), kind=MovementKind.ISSUED,
                            quantity=-1, now=clock())
            results.append("ok")
        except RuleViolation:
            results.append("refused")
        finally:
            db.dispose()

    threads = [threading.Thread(target=take) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results) == ["ok", "refused"]
    with services.db.read() as s:
        assert ledger.on_hand(s, part.id) == 0


def test_document_numbers_count_per_kind_and_day(services, station) -> None:
    with services.db.write() as s:
        first = ledger.next_number(s, DocumentPrefix.SALE, date(2026, 6, 1))
        second = ledger.next_number(s, DocumentPrefix.SALE, date(2026, 6, 1))
        other = ledger.next_number(s, DocumentPrefix.COUNT, date(2026, 6, 1))
        next_day = ledger.next_number(s, DocumentPrefix.SALE, date(2026, 6, 2))
    code = station["manager"].username and first.split("-")[1]
    assert first == f"SA-{code}-20260601-0001" and second.endswith("-0002")
    assert other == f"PC-{code}-20260601-0001" and next_day == f"SA-{code}-20260602-0001"


def test_part_ids_come_from_the_part_number() -> None:
    assert part_id("gr-cap-35 ") == part_id("GR-CAP-35") != part_id("GR-CAP-36")
