"""Stock counts (盘点): a count reconciles with movements made while it is open (on-hand ends
at what was counted plus what moved after counting), lines never counted are left alone,
a count posts once, a scanner's part number finds its line, who may open, count and post, and
the count sheet prints through ``repair-station print``."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.__main__ import main
from app.domain.errors import RuleViolation
from app.domain.parts import CountStatus, MovementKind, PaymentMethod
from app.services import stock_ledger as ledger
from app.services.context import SYSTEM
from app.services.errors import NotFound, PermissionDenied
from app.services.sales import NewSale, SaleLineInput
from app.store.models import OutboxOp, Part, PartSetting, StockCount, StockMovement
from tests.printing.helpers import page_texts
from tests.services.test_sales import add_part, on_hand


def shelve(services, part: Part, location: str) -> None:
    with services.db.write() as s:
        s.add(PartSetting(part_id=part.id, location=location))


def receive(services, clock, part: Part, quantity: int) -> None:
    with services.db.write() as s:
        ledger.post(s, SYSTEM, part=s.get(Part, part.id), kind=MovementKind.RECEIVED,
                    quantity=quantity, now=clock())


def movements(services) -> int:
    with services.db.read() as s:
        return s.scalar(select(func.count()).select_from(StockMovement))


@pytest.fixture
def parts(services, station, clock) -> dict[str, Part]:
    made = {
        "cap": add_part(services, "GR-CAP-35", "压缩机启动电容", stock=10, clock=clock),
        "belt": add_part(services, "XQB-BELT-01", "洗衣机皮带", retail=2500, station=1500,
                         stock=10, clock=clock),
        "fuse": add_part(services, "GR-FUSE-10", "温度保险丝", retail=800, station=500,
                         stock=4, clock=clock),
        "motor": add_part(services, "XQB-MOTOR-02", "排水电机", retail=9000, station=6000,
                          stock=2, clock=clock),
    }
    for key, location in (("cap", "A-01-02"), ("belt", "A-02-01"), ("fuse", "A-01-01"),
                          ("motor", "B-01-01")):
        shelve(services, made[key], location)
    return made


def test_a_count_reconciles_with_movements_made_while_it_is_open(services, station, parts,
                                                                 clock) -> None:
    boss, clerk, tech = station["manager"], station["clerk"], station["tech"]
    count = services.counts.open(boss, "a-")
    assert count.number == "PC-BJ001-20260601-0001" and count.status is CountStatus.OPEN
    assert [line.part_no for line in count.lines] == ["GR-FUSE-10", "GR-CAP-35", "XQB-BELT-01"]
    assert [line.book_quantity for line in count.lines] == [4, 10, 10]

    clock.now += timedelta(minutes=10)
    receive(services, clock, parts["cap"], 5)  # arrives before the capacitors are counted
    line = services.counts.enter(tech, count.id, parts["cap"].id, 14)  # one missing
    assert (line.book_quantity, line.counted, line.difference) == (15, 14, -1)
    assert line.value_fen == -3000 and line.counted_by_name == "王师傅"
    services.sales.sell(clerk, NewSale([SaleLineInput(parts["cap"].id, 3)],
                                       PaymentMethod.CASH))  # sold after counting

    services.counts.enter_scanned(clerk, count.number, "XQB-BELT-01\r\n", 8)  # two missing
    receive(services, clock, parts["belt"], 4)  # arrives after the belts were counted
    # the fuses are never counted

    result = services.counts.post(boss, count.number, "年中盘点")
    assert sorted(result.adjustments) == [("GR-CAP-35", -1), ("XQB-BELT-01", -2)]
    assert [line.part_no for line in result.uncounted] == ["GR-FUSE-10"]
    assert result.count.status is CountStatus.POSTED and result.count.posted_by_name == "张站长"
    assert result.count.value_fen == -1 * 3000 - 2 * 1500
    assert on_hand(services, parts["cap"]) == 14 - 3  # counted, less what was sold since
    assert on_hand(services, parts["belt"]) == 8 + 4  # counted, plus what arrived since
    assert on_hand(services, parts["fuse"]) == 4  # never counted: left alone
    assert on_hand(services, parts["motor"]) == 2  # on another shelf: not in the count
    with services.db.read() as s:
        adjustments = s.scalars(select(StockMovement).where(
            StockMovement.kind == MovementKind.COUNT_ADJUSTMENT.value)).all()
        ops = s.scalars(select(OutboxOp).where(OutboxOp.entity == "stock_count")
                        .order_by(OutboxOp.seq)).all()
    assert {(m.reason, m.reference, m.count_id) for m in adjustments} == {
        ("年中盘点", count.number, count.id)}
    assert [o.action for o in ops] == ["open", "post"]  # entries write their audit only
    assert '"counted": 14' in ops[1].payload and '"lines": [' in ops[0].payload


def test_a_count_that_matches_the_books_posts_no_movement(services, station, parts) -> None:
    count = services.counts.open(station["manager"])
    assert len(count.lines) == 4
    services.counts.enter(station["clerk"], count.id, parts["motor"].id, 2)
    before = movements(services)
    result = services.counts.post(station["manager"], count.id, "抽盘")
    assert result.adjustments == () and movements(services) == before


def test_counting_again_replaces_the_entry(services, station, parts, clock) -> None:
    count = services.counts.open(station["manager"], "B")
    services.counts.enter(station["tech"], count.id, parts["motor"].id, 5)
    receive(services, clock, parts["motor"], 1)
    again = services.counts.enter(station["tech"], count.id, parts["motor"].id, 3)
    assert (again.book_quantity, again.counted) == (3, 3)
    services.counts.post(station["manager"], count.id, "复盘")
    assert on_hand(services, parts["motor"]) == 3


def test_a_count_posts_once(services, station, parts) -> None:
    count = services.counts.open(station["manager"])
    services.counts.enter(station["clerk"], count.id, parts["fuse"].id, 3)
    services.counts.post(station["manager"], count.id, "月末盘点")
    before = movements(services)
    with pytest.raises(RuleViolation) as err:
        services.counts.post(station["manager"], count.id, "月末盘点")
    assert "already posted" in err.value.template
    with pytest.raises(RuleViolation):
        services.counts.enter(station["clerk"], count.id, parts["fuse"].id, 1)
    assert movements(services) == before and on_hand(services, parts["fuse"]) == 3


def test_posting_needs_a_reason_and_something_counted(services, station, parts) -> None:
    count = services.counts.open(station["manager"])
    with pytest.raises(RuleViolation) as err:
        services.counts.post(station["manager"], count.id, "月末盘点")
    assert err.value.field == "count"
    services.counts.enter(station["clerk"], count.id, parts["fuse"].id, 3)
    with pytest.raises(RuleViolation) as err:
        services.counts.post(station["manager"], count.id, " ")
    assert err.value.field == "reason"
    assert services.counts.detail(count.id).status is CountStatus.OPEN


def test_a_sale_after_counting_that_the_shelf_could_not_hold_refuses_the_post(
        services, station, parts) -> None:
    count = services.counts.open(station["manager"], "B")
    services.counts.enter(station["clerk"], count.id, parts["motor"].id, 0)  # none found
    services.sales.sell(station["clerk"], NewSale([SaleLineInput(parts["motor"].id, 1)],
                                                  PaymentMethod.CASH))
    before = movements(services)
    with pytest.raises(RuleViolation) as err:
        services.counts.post(station["manager"], count.id, "盘亏")
    assert err.value.field == "quantity"  # the ledger names the part; recount it
    assert movements(services) == before
    services.counts.enter(station["clerk"], count.id, parts["motor"].id, 0)
    services.counts.post(station["manager"], count.id, "盘亏")
    assert on_hand(services, parts["motor"]) == 0


def test_one_count_is_open_at_a_time(services, station, parts) -> None:
    first = services.counts.open(station["manager"], "A")
    with pytest.raises(RuleViolation) as err:
        services.counts.open(station["manager"], "B")
    assert err.value.params["number"] == first.number
    assert services.counts.current().number == first.number
    with services.db.read() as s:
        assert s.scalar(select(func.count()).select_from(StockCount)) == 1


def test_a_prefix_no_shelf_matches_is_refused(services, station, parts) -> None:
    with pytest.raises(RuleViolation) as err:
        services.counts.open(station["manager"], "Z-")
    assert err.value.field == "location"
    assert services.counts.current() is None


@pytest.mark.parametrize("counted", [-1, 1.5, True, "3", ledger.MAX_QUANTITY + 1])
def test_a_counted_quantity_is_a_whole_number_from_zero(services, station, parts,
                                                        counted) -> None:
    count = services.counts.open(station["manager"])
    with pytest.raises(RuleViolation) as err:
        services.counts.enter(station["clerk"], count.id, parts["cap"].id, counted)
    assert err.value.field == "counted"
    assert services.counts.detail(count.id).counted_lines == []


def test_a_scanner_entry_finds_its_line(services, station, parts) -> None:
    count = services.counts.open(station["manager"], "A")
    line = services.counts.find_line(count.number, " gr-cap-35\r\n")
    assert (line.part_no, line.location, line.book_quantity) == ("GR-CAP-35", "A-01-02", 10)
    # an input method left in full width types Ｇ and －
    assert services.counts.find_line(count.id, "ＧＲ－ＣＡＰ－３５").id == line.id
    with pytest.raises(NotFound) as err:
        services.counts.find_line(count.id, "GR-CAP-99")
    assert err.value.field == "part_no" and err.value.params["number"] == "GR-CAP-99"
    with pytest.raises(RuleViolation) as err:
        services.counts.find_line(count.id, "XQB-MOTOR-02")  # on shelf B: not this count
    assert "not in count" in err.value.template
    with pytest.raises(RuleViolation) as err:
        services.counts.find_line(count.id, "\r\n")
    assert err.value.field == "part_no"


def test_only_the_manager_opens_a_count(services, station, parts) -> None:
    for who in ("clerk", "tech"):
        with pytest.raises(PermissionDenied):
            services.counts.open(station[who])
    assert services.counts.current() is None


def test_only_the_manager_posts_a_count(services, station, parts) -> None:
    count = services.counts.open(station["manager"])
    services.counts.enter(station["tech"], count.id, parts["fuse"].id, 1)
    for who in ("clerk", "tech"):
        with pytest.raises(PermissionDenied):
            services.counts.post(station[who], count.id, "月末盘点")
    assert on_hand(services, parts["fuse"]) == 4
    assert services.counts.detail(count.id).status is CountStatus.OPEN


def test_counts_list_newest_first(services, station, parts, clock) -> None:
    first = services.counts.open(station["manager"], "A")
    services.counts.enter(station["clerk"], first.id, parts["cap"].id, 10)
    services.counts.post(station["manager"], first.id, "月末盘点")
    clock.now += timedelta(hours=1)
    second = services.counts.open(station["manager"], "B")
    listed = services.counts.counts()
    assert [c.number for c in listed] == [second.number, first.number]
    assert (listed[1].line_count, listed[1].counted_count) == (3, 1)


def test_the_count_sheet_prints_through_the_command_line(services, station, parts,
                                                         tmp_path: Path) -> None:
    count = services.counts.open(station["manager"])
    services.counts.enter(station["clerk"], count.id, parts["belt"].id, 9)
    sheet = services.reports.subject_sheet("count-sheet", count.number)
    assert [line.location for line in sheet.lines] == ["A-01-01", "A-01-02", "A-02-01",
                                                       "B-01-01"]
    out = tmp_path / "count.pdf"
    assert main(["--data-dir", str(services.paths.root), "print", "count-sheet", count.number,
                 "-o", str(out)]) == 0
    text = "".join(page_texts(out)).replace(" ", "")
    for words in ("盘点表", count.number, "洗衣机皮带", "A-02-01", "-15.00"):
        assert words in text, words
    assert main(["--data-dir", str(services.paths.root), "print", "count-sheet",
                 "PC-BJ001-20260601-0099", "-o", str(tmp_path / "x.pdf")]) == 2
    # the sheet is laid out for A4 only: another paper is refused, nothing written
    assert main(["--data-dir", str(services.paths.root), "print", "count-sheet", count.number,
                 "-o", str(tmp_path / "a5.pdf"), "--paper", "A5"]) == 2
    assert not (tmp_path / "x.pdf").exists() and not (tmp_path / "a5.pdf").exists()
