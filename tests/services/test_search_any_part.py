"""Search by any part (issue 12, item 3): the order and customer searches find a phone's last
digits, a given name, part of a serial or order number, a model and the words of the fault,
diagnosis and actions, best first (prefix matches, then any-part matches, newest first in
each), with the filters and the keyset paging still working; the documents follow every
write and only it; the background builder fills an index behind the ORM's back, resumes after
a stop, and until it is complete the search still finds prefixes."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import text

from app.domain.enums import OrderStatus
from app.services import search_build
from app.services.customers import CustomerInput, add_customer
from app.services.order_queries import OrderFilter
from app.services.search_build import SearchBuilder, build_all, index_ready, mark_stale
from app.services.search_docs import ORDERS, stored_text
from tests.services.helpers import new_order


def _orders(services, text_: str, **kw) -> list[str]:
    return [r.number for r in services.orders.search(OrderFilter(text=text_, **kw))]


def _customers(services, text_: str) -> list[str]:
    return [c.name for c in services.customers.search(text_)]


@pytest.fixture
def world(services, station, clock):
    """Three customers' orders, a minute apart (newest last), over a complete index."""
    assert build_all(services.db)
    clerk = station["clerk"]
    made = {}
    for key, kw in {
        "ming": dict(name="张小明", phone="13812348000", serial="SNA1234567", fault="空调不制冷"),
        "nana": dict(name="欧阳娜娜", phone="13900001111", serial="XQB777", fault="洗衣机漏水"),
        "lei": dict(name="李雷", phone="15013812340", serial="SNQ770", fault="不加热"),
        "han": dict(name="韩梅梅", phone="18611112222", serial="XSNQ770Z", fault="显示E4"),
    }.items():
        made[key] = new_order(services, clerk, **kw)
        clock.now += timedelta(minutes=1)
    rec = services.orders.add_repair_record(station["manager"], made["ming"].id,
                                            "压缩机损坏", "更换压缩机", 30)
    made["ming_record"] = rec.repairs[-1].id
    return made


def _fts_in_step(services) -> None:
    """FTS5's own check that each index holds exactly its documents' text."""
    with services.db.write() as s:
        for fts in ("order_codes_fts", "order_words_fts", "customer_codes_fts",
                    "customer_words_fts"):
            s.execute(text(f"INSERT INTO {fts} ({fts}, rank) VALUES ('integrity-check', 1)"))


def _number(world, key: str) -> str:
    return world[key].number


QUERIES = [
    # (query, expected order keys in order, expected customer names in order)
    ("8000", ["ming"], ["张小明"]),                       # last 4 digits of a phone
    ("2348000", ["ming"], ["张小明"]),
    ("小明", ["ming"], ["张小明"]),                        # given name without surname
    ("娜娜", ["nana"], ["欧阳娜娜"]),                      # ... after a compound surname
    ("a12345", ["ming"], ["张小明"]),                      # part of a serial, any case
    ("XQB7", ["nana"], ["欧阳娜娜"]),
    ("35GW", ["han", "lei", "nana", "ming"], ["韩梅梅", "李雷", "欧阳娜娜", "张小明"]),  # model
    ("漏水", ["nana"], []),                                # fault words
    ("压缩机", ["ming"], []),                              # diagnosis / actions words
    ("更换", ["ming"], []),
    ("空调 压缩机", ["ming"], []),                         # two words: both must match
    ("洗衣机 压缩机", [], []),
    ("学院路", [], ["韩梅梅", "李雷", "欧阳娜娜", "张小明"]),  # address words: customers
]


@pytest.mark.parametrize(("query", "orders", "customers"), QUERIES,
                         ids=[q[0] for q in QUERIES])
def test_each_kind_of_query_finds_its_orders_and_customers(services, world, query, orders,
                                                           customers) -> None:
    assert _orders(services, query) == [_number(world, k) for k in orders]
    assert _customers(services, query) == customers


def test_part_of_an_order_number_with_or_without_its_dash(services, world) -> None:
    number = _number(world, "nana")  # SO-BJ001-YYYYMMDD-0002
    assert _orders(services, number[-9:]) == [number]
    assert _orders(services, number[-13:]) == [number]  # its date and sequence
    assert _orders(services, number[-9:].replace("-", "")) == []  # numbers keep their dash
    assert _orders(services, number) == [number]


def test_prefix_matches_come_first_then_any_part_newest_first(services, world) -> None:
    # SNQ770 is lei's serial exactly and part of han's (newer): the exact one first
    assert _orders(services, "SNQ770") == [_number(world, "lei"), _number(world, "han")]
    # 1381234 starts ming's phone and is inside lei's (newer)
    assert _orders(services, "1381234") == [_number(world, "ming"), _number(world, "lei")]
    assert _customers(services, "1381234") == ["张小明", "李雷"]
    # a given name's prefix tier: 张 finds 张小明 by prefix, nothing more
    assert _orders(services, "张")[:1] == [_number(world, "ming")]


def test_paging_walks_both_tiers_once(services, world) -> None:
    seen, after = [], None
    while True:
        page = services.orders.search(OrderFilter(text="SNQ770"), after, limit=1)
        if not page:
            break
        seen += [r.number for r in page]
        after = (page[-1].called_at, page[-1].id)
    assert seen == [_number(world, "lei"), _number(world, "han")]
    seen, after = [], None
    for _ in range(10):
        page = services.orders.search(OrderFilter(text="35GW"), after, limit=3)
        seen += [r.number for r in page]
        if len(page) < 3:
            break
        after = (page[-1].called_at, page[-1].id)
    assert seen == [_number(world, k) for k in ("han", "lei", "nana", "ming")]


def test_filters_still_apply_to_any_part_matches(services, world, station) -> None:
    received = _orders(services, "35GW", status=OrderStatus.RECEIVED)
    assert _number(world, "ming") in received
    assert _orders(services, "35GW", customer_id=world["lei"].customer.id) == [
        _number(world, "lei")]
    assert _orders(services, "35GW", status=OrderStatus.CLOSED) == []
    assert _orders(services, "35GW", called_from=world["nana"].called_at) == [
        _number(world, k) for k in ("han", "lei", "nana")]
    assert _orders(services, "8000", open_only=True) == [_number(world, "ming")]


def test_a_voided_record_no_longer_finds_the_order(services, world, station) -> None:
    assert _orders(services, "压缩机") == [_number(world, "ming")]
    services.corrections.void_record(station["manager"], world["ming"].id,
                                     world["ming_record"], "录错了")
    assert _orders(services, "压缩机") == []
    assert _orders(services, "不制冷") == [_number(world, "ming")]  # the fault stays
    _fts_in_step(services)


def test_a_renamed_customer_is_found_by_the_new_name(services, world, station) -> None:
    summary = services.customers.get(world["ming"].customer.id)
    services.customers.update(station["clerk"], summary.id,
                              CustomerInput("张大明", summary.phones, summary.address),
                              summary.revision)
    assert _orders(services, "大明") == [_number(world, "ming")]
    assert _orders(services, "小明") == []
    assert _customers(services, "大明") == ["张大明"]
    _fts_in_step(services)


def test_a_rollback_leaves_no_document(services, world, station) -> None:
    with services.db.read() as s:
        before = s.execute(text("SELECT count(*) FROM customer_search")).scalar_one()
    with pytest.raises(RuntimeError), services.db.write() as s:
        add_customer(s, station["clerk"], CustomerInput("周小川", ("13700007777",)))
        raise RuntimeError("refused")
    with services.db.read() as s:
        assert s.execute(text("SELECT count(*) FROM customer_search")).scalar_one() == before
    assert _customers(services, "7777") == []


def test_documents_hold_what_the_brief_says(services, world) -> None:
    with services.db.read() as s:
        doc = stored_text(s.connection(), ORDERS, world["ming"].id)
    assert doc is not None
    codes = doc["codes"].split("\n")
    assert world["ming"].number in codes and "13812348000" in codes
    assert "SNA1234567" in codes and "KFR-35GW" in codes
    assert "小明" in doc["names"].split()
    assert "压缩机" in doc["words"].split() and "制冷" in doc["words"]


def _raw_order(conn, number: str, phone: str, serial: str, name: str) -> None:
    """A customer, product and order written behind the ORM's back (as a bulk fill does)."""
    cid, pid, oid = (str(uuid.uuid4()) for _ in range(3))
    now = "2026-11-01 08:00:00.000000"
    conn.execute(text("INSERT INTO customers (id, name, address, notes, revision, created_at,"
                      " updated_at) VALUES (:c, :n, '', '', 1, :t, :t)"),
                 {"c": cid, "n": name, "t": now})
    conn.execute(text("INSERT INTO customer_phones (customer_id, number, digits, position)"
                      " VALUES (:c, :p, :p, 0)"), {"c": cid, "p": phone})
    conn.execute(text("INSERT INTO products (id, customer_id, model, serial_no, invoice_no,"
                      " warranty_months, revision, created_at, updated_at) VALUES (:p, :c,"
                      " 'BCD-215', :s, '', 12, 1, :t, :t)"),
                 {"p": pid, "c": cid, "s": serial, "t": now})
    conn.execute(text(
        "INSERT INTO service_orders (id, number, order_type, source, service_mode, status,"
        " customer_id, product_id, contact_phone, contact_digits, service_address,"
        " fault_description, cancel_reason, hq_reference, called_at, revision, created_at,"
        " updated_at) VALUES (:o, :num, 'repair', 'phone', 'on_site', 'received', :c, :p,"
        " :ph, :ph, '', '冰箱不制冷', '', '', :t, 1, :t, :t)"),
        {"o": oid, "num": number, "c": cid, "p": pid, "ph": phone, "t": now})


def test_builder_indexes_rows_written_behind_the_orms_back_and_resumes(services,
                                                                       station) -> None:
    with services.db.engine.begin() as conn:
        for i in range(5):
            _raw_order(conn, f"SO-BJ001-20261101-{i + 1:04d}", f"1350000{i}{i}{i}{i}",
                       f"RAWSN{i:05d}", f"孙{'一二三四五'[i]}丰")
    assert not index_ready_now(services)
    assert _orders(services, "3333") == []                 # no index yet: prefixes only
    assert _orders(services, "13500003333") == ["SO-BJ001-20261101-0004"]
    assert _customers(services, "孙四") == ["孙四丰"]          # the name prefix still works

    builder = SearchBuilder(services.db, batch=2)
    steps = []
    assert not builder.run(lambda done, total: steps.append((done, total)),
                           should_stop=lambda: len(steps) >= 2)
    assert steps[-1][0] == 4 and steps[-1][1] == 10       # 4 of 5 orders + 5 customers
    assert not index_ready_now(services)

    resumed = SearchBuilder(services.db, batch=2)
    assert resumed.progress().done == 4                     # resumes where it stopped
    assert resumed.run()
    assert index_ready_now(services)
    assert _orders(services, "3333") == ["SO-BJ001-20261101-0004"]  # phone's last digits
    assert _orders(services, "四丰") == ["SO-BJ001-20261101-0004"]  # given name
    assert _customers(services, "SN00002") == ["孙三丰"]
    _fts_in_step(services)


def index_ready_now(services) -> bool:
    with services.db.read() as s:
        return index_ready(s.connection(), "orders")


def test_a_words_version_bump_rebuilds(services, world, monkeypatch) -> None:
    assert index_ready_now(services)
    monkeypatch.setattr(search_build, "WORDS_VERSION", search_build.WORDS_VERSION + 1)
    assert not index_ready_now(services)
    assert _orders(services, "8000") == []                   # back to prefixes meanwhile
    assert build_all(services.db)
    assert index_ready_now(services)
    assert _orders(services, "8000") == [_number(world, "ming")]


def test_mark_stale_falls_back_until_rebuilt(services, world) -> None:
    with services.db.write() as s:
        mark_stale(s.connection())
    assert _orders(services, "小明") == []
    assert _orders(services, "张小") == [_number(world, "ming")]
    assert build_all(services.db)
    assert _orders(services, "小明") == [_number(world, "ming")]


def test_the_command_line_rebuilds_and_reports(services, world, capsys) -> None:
    from app.__main__ import main

    folder = str(services.paths.root)
    with services.db.write() as s:
        mark_stale(s.connection())
    assert main(["--data-dir", folder, "search", "status"]) == 0
    assert capsys.readouterr().out.splitlines() == ["orders: 未完成", "customers: 未完成"]
    assert main(["--data-dir", folder, "search", "rebuild"]) == 0
    assert "搜索索引已建立" in capsys.readouterr().out
    assert main(["--data-dir", folder, "search", "status"]) == 0
    assert capsys.readouterr().out.splitlines() == ["orders: 已完成", "customers: 已完成"]
    assert _orders(services, "8000") == [_number(world, "ming")]


def test_an_order_whose_call_time_changes_moves_its_document(services, world) -> None:
    from app.store.models import ServiceOrder

    with services.db.write() as s:
        order = s.get(ServiceOrder, world["ming"].id)
        order.called_at = order.called_at + timedelta(hours=1)  # now the newest
    assert _orders(services, "35GW")[0] == _number(world, "ming")
    assert _orders(services, "8000") == [_number(world, "ming")]
    _fts_in_step(services)
