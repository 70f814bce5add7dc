"""Maintenance reminders (app/services/maintenance.py): the interval comes from the policy's
category (the CSV's maintenance_months column, head office's publication, a station's
apply); the due list counts from the last maintenance, else the install, else the purchase;
the horizon's edges; an open maintenance order or a category without an interval keeps a
product off; opening the order stores it whole (audit + outbox) or nothing; the export is
permission-checked, audited and neutralises formula-like text."""

from __future__ import annotations

import csv
import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.domain.enums import OrderStatus, OrderType
from app.domain.errors import RuleViolation
from app.domain.warranty_policy import WarrantyPolicy
from app.services.customers import CustomerInput, ProductInput
from app.services.errors import PermissionDenied
from app.services.maintenance import FAULT_TEXT, DueBasis
from app.services.order_warnings import Ack, WarningsPending
from app.services.sync_apply import apply_change
from app.services.warranty_policy import DEMO_POLICY_CSV, current_policy
from app.store.models import AuditEntry, OutboxOp, Product, ServiceOrder
from sync import policy_csv
from sync import protocol as p
from sync.hq import policy as hq_policy
from sync.hq.db import HqDatabase
from sync.hq.errors import AdminError
from tests.services.helpers import counts, new_order

TODAY = date(2026, 6, 1)  # the test clock's day


@pytest.fixture
def desk(services, station):
    services.policy.import_bytes(station["manager"], DEMO_POLICY_CSV.encode("utf-8"))
    return station


def product(services, actor, model: str = "KFR-35GW", bought: date | None = None,
            name: str = "李雷", serial: str = "SN-1", phone: str = "13812345678") -> str:
    c = services.customers.create(actor, CustomerInput(name, (phone,), "北京市海淀区学院路1号"))
    return services.customers.add_product(actor, c.id, ProductInput(model, serial, bought)).id


def done_order(services, actor, product_id: str, order_type: OrderType, cleared: datetime,
               status: OrderStatus = OrderStatus.CLOSED) -> str:
    """An order of ``product_id`` finished on ``cleared`` (its state set directly)."""
    with services.db.read() as s:
        prod = s.get(Product, product_id)
        customer_id = prod.customer_id
    from app.domain.enums import OrderSource, ServiceMode
    from app.services.orders import NewOrder
    detail = services.orders.create(actor, NewOrder(
        order_type=order_type, source=OrderSource.PHONE, service_mode=ServiceMode.WORKSHOP,
        fault_description="安装", contact_phone="13812345678", customer_id=customer_id,
        product_id=product_id))
    with services.db.write() as s:
        o = s.get(ServiceOrder, detail.id)
        o.status = status.value
        o.cleared_at = cleared
    return detail.id


def due_ids(services, days: int = 30) -> list[str]:
    return [r.product_id for r in services.maintenance.due(days).rows]


# -- the interval in the policy ---------------------------------------------------------------

def test_the_demo_policy_names_intervals_and_an_old_document_still_loads() -> None:
    policy = policy_csv.parse(DEMO_POLICY_CSV.encode())
    months = {c.name: c.maintenance_months for c in policy.categories}
    assert months["空调"] == 12 and months["油烟机"] == 6 and months["电热水器"] == 12
    assert months["冰箱"] == 0
    assert WarrantyPolicy.from_payload(policy.to_payload()) == policy
    old = policy.to_payload()
    for c in old["categories"]:
        c.pop("maintenance_months", None)
    assert all(c.maintenance_months == 0
               for c in WarrantyPolicy.from_payload(old).categories)
    # a category without an interval writes the document as before (no new key)
    assert "maintenance_months" not in next(c for c in policy.to_payload()["categories"]
                                            if c["name"] == "冰箱")


def test_a_file_without_the_column_has_no_intervals_and_chinese_headings_read() -> None:
    plain = "section,category,key,value,name\ncategory,空调,KFR-,12,\n"
    assert policy_csv.parse(plain.encode()).categories[0].maintenance_months == 0
    chinese = ("类型,品类,键,值,名称,保养周期\ncategory,空调,KFR-,12,,12\n").encode()
    assert policy_csv.parse(chinese).categories[0].maintenance_months == 12


@pytest.mark.parametrize("bad", ["abc", "-3", "241", "1.5"])
def test_a_bad_interval_refuses_the_file_naming_the_row(bad: str) -> None:
    text = DEMO_POLICY_CSV.replace("category,油烟机,CXW-,12,,6", f"category,油烟机,CXW-,12,,{bad}")
    line = text.splitlines().index(f"category,油烟机,CXW-,12,,{bad}") + 1
    with pytest.raises(policy_csv.PolicyFileError) as err:
        policy_csv.parse(text.encode())
    assert err.value.total == 1
    assert err.value.lines() == [
        f"Line {line}, column maintenance_months: Maintenance interval (months) must be a "
        "whole number from 0 to 240."]


def test_a_station_import_with_a_bad_interval_stores_nothing(services, station) -> None:
    bad = DEMO_POLICY_CSV.replace("category,油烟机,CXW-,12,,6", "category,油烟机,CXW-,12,,0.5")
    with pytest.raises(policy_csv.PolicyFileError) as err:
        services.policy.import_bytes(station["manager"], bad.encode("utf-8"))
    assert err.value.field == "file" and err.value.total == 1
    assert err.value.lines() == ["Line 9, column maintenance_months: Maintenance interval "
                                 "(months) must be a whole number from 0 to 240."]
    assert services.policy.current().source == ""  # no policy stored


def test_only_a_category_row_takes_an_interval() -> None:
    text = DEMO_POLICY_CSV.replace("travel,,10,20,", "travel,,10,20,,6")
    with pytest.raises(policy_csv.PolicyFileError) as err:
        policy_csv.parse(text.encode())
    assert "column maintenance_months: Only a category row takes a maintenance interval." \
        in err.value.lines()[0]


def test_head_office_publishes_the_interval_and_a_station_applies_it(services, tmp_path,
                                                                     desk) -> None:
    hq = HqDatabase.open(f"sqlite:///{tmp_path / 'hq.sqlite3'}")
    try:
        path = tmp_path / "policy.csv"
        path.write_text(DEMO_POLICY_CSV.replace("category,冰箱,BCD-,12,",
                                                "category,冰箱,BCD-,12,,24"),
                        encoding="utf-8-sig")
        done = hq_policy.import_file(hq, path)
        assert done.hq_seq > 0
        with hq.read() as s:
            payload = hq_policy.payload_of(hq_policy.current(s))
        fridge = next(c for c in payload["document"]["categories"] if c["name"] == "冰箱")
        assert fridge["maintenance_months"] == 24
        bad = tmp_path / "bad.csv"
        bad.write_text(DEMO_POLICY_CSV.replace("category,油烟机,CXW-,12,,6",
                                               "category,油烟机,CXW-,12,,半年"),
                       encoding="utf-8-sig")
        with pytest.raises(AdminError) as err:
            hq_policy.read_policy(bad)
        assert str(err.value).endswith(
            "1 problem(s), nothing was published:\n  Line 9, column maintenance_months: "
            "Maintenance interval (months) must be a whole number from 0 to 240.")
    finally:
        hq.dispose()
    change = p.Change(done.hq_seq, p.HqEntity.WARRANTY_POLICY.value, payload["policy_id"],
                      "upsert", json.loads(json.dumps(payload)))
    with services.db.write() as s:
        apply_change(s, change, services.orders.clock())
    with services.db.read() as s:
        months = {c.name: c.maintenance_months for c in current_policy(s).categories}
    assert months["冰箱"] == 24 and months["空调"] == 12
    fridge_id = product(services, desk["clerk"], "BCD-215", date(2025, 6, 1))
    assert fridge_id not in due_ids(services)  # 24 months: due 2027
    assert fridge_id in due_ids(services, 366)


# -- the due list -----------------------------------------------------------------------------

def test_due_from_purchase_install_and_last_maintenance(services, desk) -> None:
    clerk = desk["clerk"]
    bought = product(services, clerk, "KFR-35GW", date(2025, 5, 20), name="甲", serial="A")
    installed = product(services, clerk, "KFR-26GW", date(2024, 1, 1), name="乙", serial="B")
    done_order(services, clerk, installed, OrderType.INSTALL,
               datetime(2025, 6, 10, 3, 0, tzinfo=UTC))
    serviced = product(services, clerk, "CXW-200", date(2023, 1, 1), name="丙", serial="C")
    done_order(services, clerk, serviced, OrderType.INSTALL, datetime(2023, 2, 1, tzinfo=UTC))
    done_order(services, clerk, serviced, OrderType.MAINTENANCE,
               datetime(2025, 11, 30, 3, 0, tzinfo=UTC))
    # a cancelled maintenance counts for nothing; an older one is not the newest
    done_order(services, clerk, serviced, OrderType.MAINTENANCE,
               datetime(2026, 5, 30, tzinfo=UTC), status=OrderStatus.CANCELLED)
    done_order(services, clerk, serviced, OrderType.MAINTENANCE,
               datetime(2025, 1, 2, tzinfo=UTC), status=OrderStatus.COMPLETED)
    page = services.maintenance.due(30)
    assert page.today == TODAY and page.horizon == date(2026, 7, 1) and page.total == 3
    by_id = {r.product_id: r for r in page.rows}
    assert (by_id[bought].basis, by_id[bought].last_service, by_id[bought].due_on) == (
        DueBasis.PURCHASE, date(2025, 5, 20), date(2026, 5, 20))
    assert (by_id[installed].basis, by_id[installed].due_on) == (DueBasis.INSTALL,
                                                                 date(2026, 6, 10))
    assert (by_id[serviced].basis, by_id[serviced].last_service, by_id[serviced].due_on) == (
        DueBasis.MAINTENANCE, date(2025, 11, 30), date(2026, 5, 30))  # 油烟机: 6 months
    # overdue first, then by due date
    assert [r.product_id for r in page.rows] == [bought, serviced, installed]
    assert by_id[bought].overdue and by_id[bought].overdue_days == 12
    assert not by_id[installed].overdue and by_id[installed].overdue_days == -9
    row = by_id[bought]
    assert (row.customer_name, row.phone, row.address, row.model, row.serial_no,
            row.category, row.interval_months) == ("甲", "13812345678", "北京市海淀区学院路1号",
                                                   "KFR-35GW", "A", "空调", 12)


def test_the_horizon_day_is_listed_and_the_day_after_is_not(services, desk) -> None:
    on_edge = product(services, desk["clerk"], "KFR-35GW", date(2025, 7, 1), serial="E1")
    after = product(services, desk["clerk"], "KFR-35GW", date(2025, 7, 2), serial="E2")
    assert due_ids(services, 30) == [on_edge]
    assert due_ids(services, 31) == [on_edge, after]
    assert due_ids(services, 0) == []


def test_month_ends_clamp_like_the_warranty(services, desk) -> None:
    leap = product(services, desk["clerk"], "CXW-200", date(2025, 8, 31), serial="L")
    (row,) = services.maintenance.due(30).rows
    assert row.product_id == leap and row.due_on == date(2026, 2, 28)


def test_an_open_maintenance_order_or_no_interval_keeps_a_product_off(services, desk) -> None:
    clerk = desk["clerk"]
    busy = product(services, clerk, "KFR-35GW", date(2025, 1, 1), serial="O")
    fridge = product(services, clerk, "BCD-215", date(2024, 1, 1), serial="F")  # 冰箱: none
    unknown = product(services, clerk, "XYZ-1", date(2024, 1, 1), serial="U")  # no category
    free = product(services, clerk, "EC6002", date(2025, 2, 1), serial="W")
    assert due_ids(services) == [busy, free]
    services.maintenance.create_order(clerk, busy)
    assert due_ids(services) == [free]
    assert fridge not in due_ids(services, 366) and unknown not in due_ids(services, 366)


def test_no_purchase_date_counts_from_the_day_the_product_was_registered(services,
                                                                         desk) -> None:
    pid = product(services, desk["clerk"], "KFR-35GW", None, serial="R")
    with services.db.write() as s:
        s.get(Product, pid).created_at = datetime(2025, 5, 1, 2, 0, tzinfo=UTC)
    (row,) = services.maintenance.due(30).rows
    assert (row.product_id, row.basis, row.due_on) == (pid, DueBasis.REGISTERED,
                                                       date(2026, 5, 1))


def test_pages_and_the_horizon_check(services, desk) -> None:
    ids = [product(services, desk["clerk"], "KFR-35GW", date(2025, 1, d), serial=f"P{d}",
                   phone=f"1381234{d:04d}") for d in range(1, 8)]
    first = services.maintenance.due(30, limit=3)
    second = services.maintenance.due(30, limit=3, offset=3)
    beyond = services.maintenance.due(30, limit=3, offset=30)
    assert first.total == second.total == beyond.total == 7
    assert [r.product_id for r in first.rows + second.rows] == ids[:6]
    assert beyond.rows == ()
    for bad in (-1, 367, "30"):
        with pytest.raises(RuleViolation) as err:
            services.maintenance.due(bad)
        assert err.value.field == "days"


def test_a_station_without_intervals_lists_nothing(services, station) -> None:
    product(services, station["clerk"], "KFR-35GW", date(2020, 1, 1))
    assert services.maintenance.due(366).rows == ()


# -- opening the order ------------------------------------------------------------------------

def test_creating_the_order_stores_it_whole_with_audit_and_outbox(services, desk) -> None:
    pid = product(services, desk["clerk"], "KFR-35GW", date(2025, 1, 1), name="韩梅梅",
                  phone="13900001111")
    before = counts(services)
    order = services.maintenance.create_order(desk["clerk"], pid)
    after = counts(services)
    assert after["service_orders"] == before["service_orders"] + 1
    assert after["customers"] == before["customers"] and after["products"] == before["products"]
    assert order.order_type is OrderType.MAINTENANCE
    assert order.fault_description == FAULT_TEXT
    assert order.contact_phone == "13900001111"
    assert order.service_address == "北京市海淀区学院路1号"
    assert order.product is not None and order.product.id == pid
    with services.db.read() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.entity_id == order.id)) >= 1
        assert s.scalar(select(func.count()).select_from(OutboxOp).where(
            OutboxOp.entity_id == order.id)) >= 1
    assert pid not in due_ids(services)


def test_a_second_open_maintenance_order_is_refused_and_nothing_is_stored(services,
                                                                          desk) -> None:
    pid = product(services, desk["clerk"], "KFR-35GW", date(2025, 1, 1))
    first = services.maintenance.create_order(desk["clerk"], pid)
    before = counts(services)
    with pytest.raises(RuleViolation) as err:
        services.maintenance.create_order(desk["clerk"], pid)
    assert err.value.field == "product_id" and first.number in str(err.value)
    assert counts(services) == before
    with pytest.raises(PermissionDenied):
        services.maintenance.create_order(desk["tech"], pid)
    assert counts(services) == before


def test_an_open_repair_on_the_product_needs_an_acknowledgement(services, desk) -> None:
    repair = new_order(services, desk["clerk"], serial="SN-R")
    pid = repair.product.id
    before = counts(services)
    with pytest.raises(WarningsPending):
        services.maintenance.create_order(desk["clerk"], pid)
    assert counts(services) == before
    order = services.maintenance.create_order(desk["clerk"], pid,
                                              Ack("顺便保养", frozenset({"open_orders"})))
    assert order.order_type is OrderType.MAINTENANCE


# -- the export -------------------------------------------------------------------------------

def test_the_export_writes_the_call_list_audited_and_refuses_a_technician(
        services, desk, tmp_path: Path) -> None:
    import openpyxl

    product(services, desk["clerk"], "KFR-35GW", date(2025, 1, 1), name="=HYPERLINK(1)",
            serial="X1", phone="13900002222")
    product(services, desk["clerk"], "EC6002", date(2025, 2, 1), name="王芳", serial="X2",
            phone="13900003333")
    with pytest.raises(PermissionDenied):
        services.maintenance.export(desk["tech"], tmp_path / "no.xlsx")
    assert not (tmp_path / "no.xlsx").exists()
    done = services.maintenance.export(desk["clerk"], tmp_path / "due.xlsx")
    assert done.rows == 2
    sheet = openpyxl.load_workbook(tmp_path / "due.xlsx").worksheets[-1]
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    values = [c.value for c in cells]
    assert "13900002222" in values and "王芳" in values and "13900003333" in values
    (formula_like,) = [c for c in cells if c.value == "=HYPERLINK(1)"]
    assert formula_like.data_type == "s" and formula_like.quotePrefix  # text, never evaluated
    assert not any(c.data_type == "f" for c in cells)
    assert any(isinstance(v, datetime | date) for v in values)  # dates as dates
    services.maintenance.export(desk["manager"], tmp_path / "due.csv")
    text = (tmp_path / "due.csv").read_text(encoding="utf-8-sig")
    flat = [c for row in csv.reader(text.splitlines()) for c in row]
    assert "13900003333" in flat and "=HYPERLINK(1)" not in flat
    with services.db.read() as s:
        details = list(s.scalars(select(AuditEntry.detail).where(
            AuditEntry.action == "maintenance.export").order_by(AuditEntry.id)))
    assert len(details) == 2 and details[0].startswith("2 rows")
    with pytest.raises(RuleViolation):
        services.maintenance.export(desk["clerk"], tmp_path / "due.pdf")


def test_the_call_list_table_holds_every_due_row(services, desk) -> None:
    product(services, desk["clerk"], "KFR-35GW", date(2025, 1, 1), name="=1+1")
    table = services.maintenance.due_table(30)
    assert len(table.rows) == 1
    row = table.rows[0]
    assert row[table.column("customer")] == "=1+1"  # kept exactly; the writers neutralise
    assert row[table.column("due_on")] == date(2026, 1, 1)
    assert row[table.column("overdue_days")] == (TODAY - date(2026, 1, 1)).days


# -- the command line -------------------------------------------------------------------------

def test_the_command_lists_and_exports_the_due_products(services, desk, tmp_path,
                                                        capsys) -> None:
    from app.__main__ import main

    product(services, desk["clerk"], "KFR-35GW", date(2025, 1, 10), name="李雷",
            phone="13800000001")
    root = str(services.paths.root)
    assert main(["--data-dir", root, "maintenance", "due"]) == 0
    out = capsys.readouterr().out.splitlines()
    # the command runs on the real clock (the test's product is long overdue by now)
    assert "共 1 台产品到期保养" in out[0]
    cells = out[1].split("\t")
    assert cells[0] == "2026-01-10" and cells[1].startswith("已逾期")
    assert cells[2:4] == ["李雷", "13800000001"]
    assert main(["--data-dir", root, "maintenance", "due", "--days", "400"]) == 2
    assert "0 到 366" in capsys.readouterr().err
    target = tmp_path / "due.csv"
    assert main(["--data-dir", root, "maintenance", "due", "--csv", str(target)]) == 0
    assert "13800000001" in target.read_text(encoding="utf-8-sig")
    with services.db.read() as s:
        (who,) = s.scalars(select(AuditEntry.username).where(
            AuditEntry.action == "maintenance.export"))
    assert who == "cli"


def test_the_demo_station_has_products_due(demo_station) -> None:
    page = demo_station.maintenance.due(366)
    assert page.total > 0
    assert {r.category for r in page.rows} <= {"空调", "电热水器", "油烟机"}
    assert any(r.overdue for r in page.rows)
