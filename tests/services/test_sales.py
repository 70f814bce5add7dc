"""Counter sales (零件销售): stock goes down with the sale and comes back exactly when the manager
voids it; a sale that cannot be filled, or that breaks a rule, stores nothing; who may sell,
under the station price, and void; the receipt prints through ``repair-station print``."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.__main__ import main
from app.domain.errors import RuleViolation
from app.domain.parts import MovementKind, PaymentMethod, part_id
from app.services import stock_ledger as ledger
from app.services.context import SYSTEM
from app.services.customers import CustomerInput
from app.services.errors import NotFound, PermissionDenied
from app.services.events import ChangeBus
from app.services.sales import MAX_UNIT_PRICE_FEN, NewSale, SaleLineInput, SaleService
from app.store.database import Database
from app.store.models import AuditEntry, OutboxOp, Part, Sale, SaleLine, StockMovement
from tests.printing.helpers import page_texts


def add_part(services, part_no: str, name: str = "启动电容", *, retail: int = 4500,
             station: int = 3000, stock: int = 0, clock=None) -> Part:
    with services.db.write() as s:
        part = Part(id=part_id(part_no), part_no=part_no, name=name, unit="个",
                    retail_price_fen=retail, station_price_fen=station)
        s.add(part)
        s.flush()
        if stock:
            ledger.post(s, SYSTEM, part=part, kind=MovementKind.RECEIVED, quantity=stock,
                        now=clock() if clock else part.updated_at)
    return part


def on_hand(services, part: Part) -> int:
    with services.db.read() as s:
        return ledger.on_hand(s, part.id)


def stored(services) -> dict[str, int]:
    with services.db.read() as s:
        return {m.__tablename__: s.scalar(select(func.count()).select_from(m))
                for m in (Sale, SaleLine, StockMovement, OutboxOp, AuditEntry)}


def sale(*lines: SaleLineInput, **kw) -> NewSale:
    return NewSale(lines=lines, payment_method=kw.pop("payment_method", PaymentMethod.CASH), **kw)


@pytest.fixture
def parts(services, station, clock) -> dict[str, Part]:
    return {
        "cap": add_part(services, "GR-CAP-35", "压缩机启动电容", stock=5, clock=clock),
        "belt": add_part(services, "XQB-BELT-01", "洗衣机皮带", retail=2500, station=1500,
                         stock=3, clock=clock),
    }


def test_a_sale_takes_stock_numbers_itself_and_writes_its_outbox(services, station, parts,
                                                                 clock) -> None:
    done = services.sales.sell(station["clerk"], sale(
        SaleLineInput(parts["cap"].id, 2), SaleLineInput(parts["belt"].id, 1, 2000),
        discount_fen=500, payment_method=PaymentMethod.WECHAT,
        customer_name="韩梅梅", customer_phone="138 1234 5678"))
    assert done.number == "SA-BJ001-20260601-0001"
    assert [(line.part_no, line.quantity, line.unit_price_fen) for line in done.lines] == [
        ("GR-CAP-35", 2, 4500), ("XQB-BELT-01", 1, 2000)]
    assert done.subtotal_fen == 11000 and done.total_fen == 10500
    assert done.cashier_name == "李信息" and done.customer_phone == "13812345678"
    assert on_hand(services, parts["cap"]) == 3 and on_hand(services, parts["belt"]) == 2
    with services.db.read() as s:
        op = s.scalar(select(OutboxOp).where(OutboxOp.entity == "sale"))
        moves = s.scalars(select(StockMovement).where(StockMovement.sale_id == done.id)).all()
    assert op is not None and op.entity_id == done.id and '"lines": [' in op.payload
    assert {(m.kind, m.quantity, m.reference) for m in moves} == {
        ("sold", -2, done.number), ("sold", -1, done.number)}
    assert services.sales.sales_of_day(clock().astimezone().date())[0].number == done.number
    assert services.sales.detail(done.number.lower()).id == done.id


def test_a_sale_that_cannot_be_filled_stores_nothing(services, station, parts) -> None:
    before = stored(services)
    with pytest.raises(RuleViolation) as err:
        services.sales.sell(station["clerk"], sale(
            SaleLineInput(parts["cap"].id, 5), SaleLineInput(parts["belt"].id, 4)))
    assert err.value.params["have"] == 3 and err.value.params["wanted"] == 4
    assert stored(services) == before
    assert on_hand(services, parts["cap"]) == 5


def test_two_lines_of_one_part_are_checked_together(services, station, parts) -> None:
    before = stored(services)
    with pytest.raises(RuleViolation):
        services.sales.sell(station["clerk"], sale(
            SaleLineInput(parts["belt"].id, 2), SaleLineInput(parts["belt"].id, 2)))
    assert stored(services) == before


def test_a_void_brings_the_stock_back_exactly_and_keeps_the_sale(services, station, parts,
                                                                 clock) -> None:
    done = services.sales.sell(station["clerk"], sale(
        SaleLineInput(parts["cap"].id, 5), SaleLineInput(parts["belt"].id, 3)))
    assert on_hand(services, parts["cap"]) == 0 and on_hand(services, parts["belt"]) == 0
    clock.now += timedelta(hours=1)
    voided = services.sales.void(station["manager"], done.number, "顾客退货，配件未拆封")
    assert voided.voided and voided.void_reason == "顾客退货，配件未拆封"
    assert voided.voided_by_name == "张站长" and voided.lines == done.lines
    assert on_hand(services, parts["cap"]) == 5 and on_hand(services, parts["belt"]) == 3
    with services.db.read() as s:
        kinds = sorted((m.kind, m.quantity) for m in s.scalars(
            select(StockMovement).where(StockMovement.sale_id == done.id)))
        ops = s.scalars(select(OutboxOp).where(OutboxOp.entity == "sale")
                        .order_by(OutboxOp.seq)).all()
    assert kinds == [("sale_voided", 3), ("sale_voided", 5), ("sold", -5), ("sold", -3)]
    assert [o.action for o in ops] == ["create", "void"] and ops[1].base_revision == 1
    # the stock that came back sells again
    services.sales.sell(station["clerk"], sale(SaleLineInput(parts["cap"].id, 5)))
    assert on_hand(services, parts["cap"]) == 0


def test_a_sale_is_voided_once(services, station, parts) -> None:
    done = services.sales.sell(station["clerk"], sale(SaleLineInput(parts["cap"].id, 1)))
    services.sales.void(station["manager"], done.id, "录错了")
    before = stored(services)
    with pytest.raises(RuleViolation) as err:
        services.sales.void(station["manager"], done.id, "再来一次")
    assert "already voided" in err.value.template
    assert stored(services) == before and on_hand(services, parts["cap"]) == 5


@pytest.mark.parametrize("reason", ["", "   "])
def test_voiding_needs_a_reason(services, station, parts, reason) -> None:
    done = services.sales.sell(station["clerk"], sale(SaleLineInput(parts["cap"].id, 1)))
    with pytest.raises(RuleViolation) as err:
        services.sales.void(station["manager"], done.id, reason)
    assert err.value.field == "reason"
    assert not services.sales.detail(done.id).voided


@pytest.mark.parametrize("who", ["clerk", "tech"])
def test_only_the_manager_voids(services, station, parts, who) -> None:
    done = services.sales.sell(station["clerk"], sale(SaleLineInput(parts["cap"].id, 1)))
    with pytest.raises(PermissionDenied):
        services.sales.void(station[who], done.id, "顾客退货")
    assert not services.sales.detail(done.id).voided
    assert on_hand(services, parts["cap"]) == 4


def test_a_technician_does_not_sell_at_the_counter(services, station, parts) -> None:
    before = stored(services)
    with pytest.raises(PermissionDenied):
        services.sales.sell(station["tech"], sale(SaleLineInput(parts["cap"].id, 1)))
    assert stored(services) == before


def test_a_clerk_may_not_sell_under_the_station_price(services, station, parts) -> None:
    before = stored(services)
    with pytest.raises(PermissionDenied) as err:
        services.sales.sell(station["clerk"], sale(SaleLineInput(parts["cap"].id, 1, 2999)))
    assert err.value.field == "lines" and err.value.params["price"] == "30.00"
    assert stored(services) == before
    # at the station price exactly is allowed; the manager may go under it
    services.sales.sell(station["clerk"], sale(SaleLineInput(parts["cap"].id, 1, 3000)))
    low = services.sales.sell(station["manager"], sale(SaleLineInput(parts["cap"].id, 1, 100)))
    assert low.total_fen == 100


def test_a_clerks_discount_may_not_go_under_the_station_price(services, station,
                                                              parts) -> None:
    # 2 x 45.00 retail = 90.00; the station pays 60.00: at most 30.00 off for a clerk
    lines = (SaleLineInput(parts["cap"].id, 2),)
    before = stored(services)
    with pytest.raises(PermissionDenied) as err:
        services.sales.sell(station["clerk"], sale(*lines, discount_fen=3001))
    assert err.value.field == "discount_fen"
    assert stored(services) == before
    assert services.sales.sell(station["clerk"], sale(*lines, discount_fen=3000)).total_fen \
        == 6000
    assert services.sales.sell(station["manager"], sale(*lines, discount_fen=8000)).total_fen \
        == 1000


@pytest.mark.parametrize("discount", [-1, 9001, 1.5, "10"])
def test_a_discount_is_whole_fen_from_zero_to_the_subtotal(services, station, parts,
                                                           discount) -> None:
    before = stored(services)
    with pytest.raises(RuleViolation) as err:
        services.sales.sell(station["manager"], sale(SaleLineInput(parts["cap"].id, 2),
                                                     discount_fen=discount))
    assert err.value.field == "discount_fen"
    assert stored(services) == before


@pytest.mark.parametrize("quantity", [0, -1, 1.5, True, "2", ledger.MAX_QUANTITY + 1])
def test_a_quantity_is_a_whole_positive_number(services, station, parts, quantity) -> None:
    before = stored(services)
    with pytest.raises(RuleViolation) as err:
        services.sales.sell(station["clerk"], sale(SaleLineInput(parts["cap"].id, quantity)))
    assert err.value.field == "lines"
    assert stored(services) == before


@pytest.mark.parametrize("price", [-1, MAX_UNIT_PRICE_FEN + 1, 10**30, 12.5])
def test_a_price_out_of_range_is_refused(services, station, parts, price) -> None:
    before = stored(services)
    with pytest.raises(RuleViolation) as err:
        services.sales.sell(station["manager"], sale(SaleLineInput(parts["cap"].id, 1, price)))
    assert err.value.field == "lines"
    assert stored(services) == before


def test_a_sale_total_is_bounded(services, station, clock) -> None:
    big = add_part(services, "YSJ-001", "压缩机", retail=MAX_UNIT_PRICE_FEN,
                   station=MAX_UNIT_PRICE_FEN, stock=1000, clock=clock)
    with pytest.raises(RuleViolation) as err:
        services.sales.sell(station["manager"], sale(SaleLineInput(big.id, 101)))
    assert "at most" in err.value.template


def test_an_unknown_part_is_refused(services, station, parts) -> None:
    before = stored(services)
    with pytest.raises(NotFound) as err:
        services.sales.sell(station["clerk"], sale(
            SaleLineInput(parts["cap"].id, 1), SaleLineInput(part_id("NO-SUCH"), 1)))
    assert err.value.field == "lines"
    assert stored(services) == before


def test_no_lines_too_many_lines_and_a_bad_payment_are_refused(services, station,
                                                              parts) -> None:
    with pytest.raises(RuleViolation) as err:
        services.sales.sell(station["clerk"], sale())
    assert err.value.field == "lines"
    with pytest.raises(RuleViolation) as err:
        services.sales.sell(station["clerk"], sale(*[SaleLineInput(parts["cap"].id, 1)] * 201))
    assert err.value.field == "lines"
    with pytest.raises(RuleViolation) as err:
        services.sales.sell(station["clerk"], sale(SaleLineInput(parts["cap"].id, 1),
                                                   payment_method="bitcoin"))
    assert err.value.field == "payment_method"


def test_the_customer_is_a_file_or_a_checked_walk_in(services, station, parts) -> None:
    file = services.customers.create(station["clerk"],
                                     CustomerInput("李雷", ("13900001111",), "学院路1号"))
    on_account = services.sales.sell(station["clerk"], sale(
        SaleLineInput(parts["cap"].id, 1), customer_id=file.id,
        payment_method=PaymentMethod.ON_ACCOUNT))
    assert (on_account.customer_id, on_account.customer_name, on_account.customer_phone) == (
        file.id, "李雷", "13900001111")
    with pytest.raises(RuleViolation) as err:
        services.sales.sell(station["clerk"], sale(SaleLineInput(parts["cap"].id, 1),
                                                   payment_method=PaymentMethod.ON_ACCOUNT,
                                                   customer_name="路人"))
    assert err.value.field == "customer_id"
    with pytest.raises(RuleViolation) as err:
        services.sales.sell(station["clerk"], sale(SaleLineInput(parts["cap"].id, 1),
                                                   customer_phone="12345"))
    assert err.value.field == "customer_phone"
    with pytest.raises(NotFound):
        services.sales.sell(station["clerk"], sale(SaleLineInput(parts["cap"].id, 1),
                                                   customer_id=part_id("nobody")))
    assert on_hand(services, parts["cap"]) == 4


def test_a_part_without_a_retail_price_needs_one_typed(services, station, clock) -> None:
    free = add_part(services, "LS-001", "螺丝", retail=0, station=0, stock=10, clock=clock)
    with pytest.raises(RuleViolation) as err:
        services.sales.sell(station["clerk"], sale(SaleLineInput(free.id, 1)))
    assert err.value.field == "lines"
    assert services.sales.sell(station["clerk"], sale(SaleLineInput(free.id, 1, 50))).total_fen \
        == 50


def test_sales_of_a_range_oldest_first(services, station, parts, clock) -> None:
    first = services.sales.sell(station["clerk"], sale(SaleLineInput(parts["cap"].id, 1)))
    clock.now += timedelta(days=1)
    second = services.sales.sell(station["clerk"], sale(SaleLineInput(parts["cap"].id, 1)))
    day1, day2 = first.sold_at.astimezone().date(), second.sold_at.astimezone().date()
    assert [s.number for s in services.sales.sales_of_day(day1)] == [first.number]
    assert [s.number for s in services.sales.sales_between(day1, day2)] == [
        first.number, second.number]
    assert second.number.endswith("-0001")
    with pytest.raises(RuleViolation):
        services.sales.sales_between(day2, day1)


def test_an_unknown_sale_is_not_found(services, station) -> None:
    with pytest.raises(NotFound):
        services.sales.detail("SA-BJ001-20260601-0099")
    with pytest.raises(NotFound):
        services.sales.receipt_sheet("SA-BJ001-20260601-0099", None)


@pytest.mark.parametrize("paper", ["80MM", "A5"])
def test_the_receipt_prints_through_the_command_line(services, station, parts, tmp_path: Path,
                                                     paper) -> None:
    done = services.sales.sell(station["clerk"], sale(
        SaleLineInput(parts["cap"].id, 2), discount_fen=500,
        payment_method=PaymentMethod.ALIPAY, customer_name="韩梅梅"))
    services.sales.void(station["manager"], done.number, "顾客退货")
    out = tmp_path / f"receipt-{paper}.pdf"
    assert main(["--data-dir", str(services.paths.root), "print", "receipt", done.number,
                 "-o", str(out), "--paper", paper]) == 0
    text = "".join(page_texts(out)).replace(" ", "")
    for words in ("销售小票", done.number, "压缩机启动电容", "支付宝", "韩梅梅", "85.00",
                  "顾客退货"):
        assert words in text, words


def test_an_unknown_receipt_fails_clearly(services, station, tmp_path: Path, capsys) -> None:
    out = tmp_path / "r.pdf"
    assert main(["--data-dir", str(services.paths.root), "print", "receipt",
                 "SA-BJ001-20260601-0042", "-o", str(out)]) == 2
    assert "SA-BJ001-20260601-0042" in capsys.readouterr().err
    assert not out.exists()


def test_takings_per_payment_method_leave_voided_sales_out(services, station, parts,
                                                           clock) -> None:
    clerk = station["clerk"]
    services.sales.sell(clerk, sale(SaleLineInput(parts["cap"].id, 1), discount_fen=500))
    services.sales.sell(clerk, sale(SaleLineInput(parts["belt"].id, 1),
                                    payment_method=PaymentMethod.WECHAT))
    voided = services.sales.sell(clerk, sale(SaleLineInput(parts["cap"].id, 2)))
    services.sales.void(station["manager"], voided.id, "收错款")
    day = clock().astimezone().date()
    takings = services.sales.takings(day, day)
    assert takings[PaymentMethod.CASH] == 4000 and takings[PaymentMethod.WECHAT] == 2500
    assert takings[PaymentMethod.ALIPAY] == 0 and len(takings) == len(PaymentMethod)


def test_two_clerks_selling_the_last_unit_at_once_one_succeeds(services, station,
                                                               clock) -> None:
    last = add_part(services, "GR-SENSOR-01", "温度传感器", stock=1, clock=clock)
    barrier = threading.Barrier(2)
    results: list[str] = []

    def sell() -> None:
        db = Database.open(services.paths.database, key=services.db.key)  # a connection of its own
        try:
            counter = SaleService(db, ChangeBus(), clock)
            barrier.wait()
            counter.sell(station["clerk"], sale(SaleLineInput(last.id, 1)))
            results.append("sold")
        except RuleViolation:
            results.append("refused")
        finally:
            db.dispose()

    threads = [threading.Thread(target=sell) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results) == ["refused", "sold"]
    assert on_hand(services, last) == 0
    assert stored(services)["sales"] == 1


def test_a_part_head_office_dropped_still_sells_from_stock(services, station, parts) -> None:
    with services.db.write() as s:
        s.get(Part, parts["belt"].id).active = False
    done = services.sales.sell(station["clerk"], sale(SaleLineInput(parts["belt"].id, 3)))
    assert done.total_fen == 7500 and on_hand(services, parts["belt"]) == 0
