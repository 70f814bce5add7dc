"""Phones masked by role (app.domain.phone_mask, app.services.phone_view): the clerk reads
every number, a technician his own orders' numbers, the manager masked numbers and a reveal
the audit records; searching by digits works for all; a masked field saved unchanged keeps
the stored number; the manager's calls (return visits, the maintenance list) read in full;
the report exports hold no phone at all."""

from __future__ import annotations

import csv
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.domain.enums import OrderSource, OrderType, ServiceMode
from app.domain.errors import RuleViolation
from app.domain.report_tables import ReportQuery
from app.domain.state_machine import Action
from app.services import report_export
from app.services.customers import CustomerInput, ProductInput
from app.services.errors import PermissionDenied
from app.services.order_queries import OrderFilter
from app.services.orders import NewOrder, OrderEdit
from app.services.phone_view import REVEAL_ACTION, reveals
from app.services.sales import SaleLineInput
from app.services.search_build import build_all
from app.store.models import AuditEntry, ServiceOrder
from tests.services.helpers import new_order

MINE, OTHER = "13812345678", "13987654321"
MINE_MASK, OTHER_MASK = "138****5678", "139****4321"


@pytest.fixture
def desk(services, station):
    """Two orders: one assigned to 王师傅 (tech), one to 赵师傅 (tech2); the any-part index
    complete, so a phone's last digits find it."""
    assert build_all(services.db)
    clerk = station["clerk"]
    mine = new_order(services, clerk, phone=MINE, name="李雷", serial="SN-A",
                     technician_id=station["tech"].user_id)
    other = new_order(services, clerk, phone=OTHER, name="韩梅梅", serial="SN-B",
                      technician_id=station["tech2"].user_id)
    return {"mine": mine, "other": other, **station}


def _phones(services, viewer, order_id: str) -> tuple[str, tuple[str, ...]]:
    d = services.orders.detail(order_id, viewer)
    return d.contact_phone, d.customer.phones


def _list(services, viewer) -> dict[str, str]:
    return {r.number: r.contact_phone
            for r in services.orders.search(OrderFilter(), viewer=viewer)}


def _reveal_count(services) -> int:
    with services.db.read() as s:
        return s.scalar(select(func.count()).select_from(AuditEntry)
                        .where(AuditEntry.action == REVEAL_ACTION))


def test_the_clerk_reads_every_number(services, desk) -> None:
    clerk, mine, other = desk["clerk"], desk["mine"], desk["other"]
    assert _phones(services, clerk, other.id) == (OTHER, (OTHER,))
    assert _list(services, clerk) == {mine.number: MINE, other.number: OTHER}
    assert services.customers.search("韩", viewer=clerk)[0].phones == (OTHER,)
    assert services.customers.file(other.customer.id, viewer=clerk).customer.phones == (OTHER,)


def test_a_technician_reads_only_his_own_orders_numbers(services, desk) -> None:
    tech, mine, other = desk["tech"], desk["mine"], desk["other"]
    assert _phones(services, tech, mine.id) == (MINE, (MINE,))
    assert _phones(services, tech, other.id) == (OTHER_MASK, (OTHER_MASK,))
    assert _list(services, tech) == {mine.number: MINE, other.number: OTHER_MASK}
    # his own customer's file and a search are not his order: masked
    assert services.customers.file(mine.customer.id, viewer=tech).customer.phones == (
        MINE_MASK,)
    assert services.customers.search("李", viewer=tech)[0].phones == (MINE_MASK,)
    assert services.customers.get(mine.customer.id, viewer=tech).phones == (MINE_MASK,)
    # his 派工单 in full, another technician's masked
    assert services.reports.sheet(mine.id, viewer=tech).contact_phone == MINE
    assert services.reports.sheet(other.number, viewer=tech).contact_phone == OTHER_MASK
    assert services.reports.sheet(other.number, viewer=tech).other_phones == (OTHER_MASK,)


def test_the_work_order_paper_prints_what_its_reader_may_read(services, desk) -> None:
    from tests.printing.helpers import page_texts

    mine, reports = desk["mine"], services.reports
    own = "".join(page_texts(reports.pdf("work-order", reports.sheet(mine.id,
                                                                      viewer=desk["tech"]))))
    assert MINE in own
    boss = "".join(page_texts(reports.pdf("work-order", reports.sheet(
        mine.id, viewer=desk["manager"]))))
    assert MINE_MASK in boss and MINE not in boss

def test_the_manager_reads_masks_and_finds_by_digits(services, desk) -> None:
    boss, mine, other = desk["manager"], desk["mine"], desk["other"]
    assert _phones(services, boss, mine.id) == (MINE_MASK, (MINE_MASK,))
    assert _list(services, boss) == {mine.number: MINE_MASK, other.number: OTHER_MASK}
    assert services.reports.sheet(mine.id, viewer=boss).contact_phone == MINE_MASK
    # the search matches the stored digits (prefix and last digits); only the shown is masked
    for text in ("1398765", "4321"):
        found = services.orders.search(OrderFilter(text=text), viewer=boss)
        assert [(r.number, r.contact_phone) for r in found] == [(other.number, OTHER_MASK)]
        assert [c.phones for c in services.customers.search(text, viewer=boss)] == [
            (OTHER_MASK,)]
    # the program itself (sync, the demo, no viewer) reads in full
    assert services.orders.detail(mine.id).contact_phone == MINE


def test_the_managers_reveal_is_audited_and_nobody_elses(services, desk, clock) -> None:
    boss, mine = desk["manager"], desk["mine"]
    shown = services.orders.reveal_phone(boss, mine.id)
    assert (shown.contact_phone, shown.phones) == (MINE, (MINE,))
    assert services.customers.reveal_phone(boss, mine.customer.id) == (MINE,)
    with services.db.read() as s:
        by_order, by_customer = reveals(s, mine.id), reveals(s, mine.customer.id)
        assert [(e.username, e.user_id, e.entity) for e in by_order + by_customer] == [
            ("boss", boss.user_id, "service_order"), ("boss", boss.user_id, "customer")]
        assert by_order[0].at is not None and mine.number in by_order[0].detail
        assert mine.customer.id in by_order[0].detail  # whose number
        assert MINE not in by_order[0].detail + by_customer[0].detail  # never the number
    before = _reveal_count(services)
    for who in ("clerk", "tech", "tech2"):
        with pytest.raises(PermissionDenied):
            services.orders.reveal_phone(desk[who], mine.id)
        with pytest.raises(PermissionDenied):
            services.customers.reveal_phone(desk[who], mine.customer.id)
    assert _reveal_count(services) == before


def test_a_masked_field_saved_unchanged_keeps_the_stored_number(services, desk) -> None:
    boss, mine = desk["manager"], desk["mine"]
    d = services.orders.detail(mine.id, boss)
    saved = services.orders.update(boss, d.id, OrderEdit(
        d.order_type, d.service_mode, "空调不制冷,已约周六", d.contact_phone,
        d.service_address, d.product.id), d.revision)
    assert saved.contact_phone == MINE_MASK and saved.fault_description == "空调不制冷,已约周六"
    with services.db.read() as s:
        row = s.get(ServiceOrder, mine.id)
        assert (row.contact_phone, row.contact_digits) == (MINE, MINE)
    # a mask that is not the stored number's is refused, nothing saved
    with pytest.raises(RuleViolation) as refused:
        services.orders.update(boss, d.id, OrderEdit(
            d.order_type, d.service_mode, "x", "137****5678", d.service_address,
            d.product.id), saved.revision)
    assert refused.value.field == "contact_phone"

    c = services.customers.get(mine.customer.id, viewer=boss)
    services.customers.update(boss, c.id, CustomerInput(
        c.name, (*c.phones, "010-62345678"), "北京市海淀区学院路2号"), c.revision)
    assert services.customers.get(c.id).phones == (MINE, "010-62345678")
    with pytest.raises(RuleViolation) as refused:
        services.customers.update(boss, c.id, CustomerInput(c.name, ("136****0000",)),
                                  c.revision + 1)
    assert refused.value.field == "phones"
    assert services.customers.get(c.id).phones == (MINE, "010-62345678")


def test_a_new_order_for_a_masked_customer_takes_the_stored_number(services, desk) -> None:
    boss = desk["manager"]
    customer = services.customers.search("李", viewer=boss)[0]
    assert customer.phones == (MINE_MASK,)
    created = services.orders.create(boss, NewOrder(
        OrderType.REPAIR, OrderSource.PHONE, ServiceMode.WORKSHOP, "冰箱不制冷",
        customer.phones[0], customer_id=customer.id,
        product=ProductInput("BCD-470WDPG", "SN-FRIDGE")))
    assert created.contact_phone == MINE_MASK  # shown to her masked, stored in full
    with services.db.read() as s:
        assert s.get(ServiceOrder, created.id).contact_phone == MINE


def test_the_managers_calls_read_in_full(services, desk) -> None:
    boss, clerk, tech, mine = desk["manager"], desk["clerk"], desk["tech"], desk["mine"]
    services.orders.transition(tech, mine.id, Action.START_ON_SITE)
    services.orders.transition(tech, mine.id, Action.COMPLETE)
    assert [r.phone for r in services.visits.queue(viewer=boss)] == [MINE]
    assert [r.phone for r in services.visits.queue(viewer=clerk)] == [MINE]
    assert [r.phone for r in services.visits.queue(viewer=tech)] == [MINE_MASK]
    assert services.visits.queue_row(mine.id, viewer=boss).phone == MINE


def test_the_report_exports_hold_no_phone(services, desk, tmp_path) -> None:
    boss = desk["manager"]
    query = ReportQuery(date(2026, 1, 1), date(2026, 12, 31))
    for info in services.station_reports.catalogue():
        result = services.station_reports.run(boss, info.name, query)
        for fmt in ("csv", "xlsx"):
            path = report_export.export(result, tmp_path / f"{info.name}.{fmt}", fmt,
                                        tz=services.orders.clock().tzinfo)
            if fmt == "csv":
                with path.open(encoding="utf-8-sig") as f:
                    cells = [c for row in csv.reader(f) for c in row]
            else:
                book = load_workbook(path, read_only=True)
                cells = [str(c) for ws in book.worksheets
                         for row in ws.iter_rows(values_only=True) for c in row if c]
                book.close()
            text = " ".join(cells)
            assert "12345678" not in text and "87654321" not in text, info.name



def test_the_walk_in_phone_of_a_sale_is_masked_for_the_manager(services, desk, clock) -> None:
    from tests.services.test_sales import add_part, sale

    cap = add_part(services, "GR-CAP-35", stock=2, clock=clock)
    done = services.sales.sell(desk["clerk"], sale(SaleLineInput(cap.id, 1),
                                                   customer_phone=OTHER))
    day = clock().astimezone().date()
    for who, shown in (("clerk", OTHER), ("manager", OTHER_MASK)):
        viewer = desk[who]
        assert [x.customer_phone for x in services.sales.sales_of_day(day, viewer=viewer)] == [
            shown]
        assert services.sales.detail(done.number, viewer=viewer).customer_phone == shown
    # the receipt goes to the customer: the paper's own reading, in full
    assert services.sales.receipt_sheet(done.number, services.reports.letterhead()
                                        ).customer_phone == OTHER
