"""The policy in force at the station (app/services/warranty_policy.py): only the manager
imports a file, a bad file stores nothing, the same content twice stores one row; head
office's revisions apply once and never go back; the CLI imports and shows it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.domain.enums import OrderType
from app.domain.warranty_policy import NO_POLICY
from app.services.errors import PermissionDenied
from app.services.sync_apply import apply_change
from app.services.warranty_policy import DEMO_POLICY_CSV, current_policy
from app.store.models import AuditEntry, OutboxOp, WarrantyPolicyRow
from sync import policy_csv
from sync import protocol as p

DEMO = DEMO_POLICY_CSV.encode("utf-8")


def rows(services) -> int:
    with services.db.read() as s:
        return s.scalar(select(func.count()).select_from(WarrantyPolicyRow))


def change(seq: int, label: str, months: int = 12) -> p.Change:
    document = policy_csv.parse(DEMO).to_payload()
    document["label"] = label
    document["categories"][0]["unit_months"] = months
    return p.Change(seq, p.HqEntity.WARRANTY_POLICY.value, f"pol-{seq}", "upsert",
                    {"policy_id": f"pol-{seq}", "revision": seq, "document": document})


def apply(services, c: p.Change) -> set[str]:
    with services.db.write() as s:
        return apply_change(s, c, services.orders.clock())


@pytest.mark.parametrize("role", ["clerk", "tech"])
def test_only_the_manager_imports_a_policy(services, station, tmp_path, role) -> None:
    path = tmp_path / "policy.csv"
    path.write_bytes(DEMO)
    with pytest.raises(PermissionDenied):
        services.policy.import_file(station[role], path)
    with pytest.raises(PermissionDenied):
        services.policy.import_bytes(station[role], DEMO)
    with pytest.raises(PermissionDenied):
        services.policy.publish(station[role], policy_csv.parse(DEMO))
    assert rows(services) == 0
    info = services.policy.import_file(station["manager"], path)
    assert info.source == "file" and info.label == "2026版三包政策（演示）"
    assert info.policy.labour_fee("KFR-35GW", OrderType.REPAIR) == 8000


def test_import_is_audited_not_pushed_and_the_same_content_stores_nothing(services,
                                                                          station) -> None:
    with services.db.read() as s:
        outbox = s.scalar(select(func.count()).select_from(OutboxOp))
    first = services.policy.import_bytes(station["manager"], DEMO, "a.csv")
    services.orders.clock.now += timedelta(hours=1)
    again = services.policy.import_bytes(station["manager"], DEMO, "b.csv")
    assert rows(services) == 1 and again.applied_at == first.applied_at
    with services.db.read() as s:
        assert s.scalar(select(func.count()).select_from(OutboxOp)) == outbox
        assert s.scalar(select(func.count()).select_from(AuditEntry)
                        .where(AuditEntry.action == "policy.apply")) == 1


def test_a_bad_file_stores_nothing(services, station) -> None:
    with pytest.raises(policy_csv.PolicyFileError):
        services.policy.import_bytes(station["manager"],
                                     DEMO + "labour,空调,fix,80,\n".encode())
    assert rows(services) == 0 and services.policy.current().policy is NO_POLICY


def test_head_office_revisions_apply_once_and_never_go_back(services, station) -> None:
    assert services.policy.current().source == ""
    assert apply(services, change(5, "v5")) == {"warranty_policy"}
    assert apply(services, change(5, "v5")) == set()  # re-applied page: nothing
    assert rows(services) == 1
    services.orders.clock.now += timedelta(minutes=1)
    apply(services, change(9, "v9", months=24))
    services.orders.clock.now += timedelta(minutes=1)
    assert apply(services, change(7, "v7")) == set()  # an older snapshot
    info = services.policy.current()
    assert (info.source, info.label, info.revision) == ("hq", "v9", 9)
    with services.db.read() as s:
        assert current_policy(s).categories[0].unit_months == 24
    assert rows(services) == 2


def test_a_file_import_after_head_office_is_in_force_until_the_next_revision(services,
                                                                             station) -> None:
    apply(services, change(3, "hq"))
    services.orders.clock.now += timedelta(minutes=1)
    services.policy.import_bytes(station["manager"], DEMO, "local.csv")
    assert services.policy.current().source == "file"
    services.orders.clock.now += timedelta(minutes=1)
    apply(services, change(4, "hq v4"))
    assert services.policy.current().label == "hq v4"


def test_cli_policy_import_and_show(services, station, tmp_path, capsys) -> None:
    from app.__main__ import main

    path = tmp_path / "policy.csv"
    assert main(["--data-dir", str(services.paths.root), "policy", "demo", "-o",
                 str(path)]) == 0
    services.close()
    assert main(["--data-dir", str(services.paths.root), "policy", "import", str(path)]) == 0
    assert "已从" in capsys.readouterr().out
    assert main(["--data-dir", str(services.paths.root), "policy", "import", str(path)]) == 0
    assert "未重复导入" in capsys.readouterr().out
    assert main(["--data-dir", str(services.paths.root), "policy", "show"]) == 0
    out = capsys.readouterr().out
    assert "空调：机型 KFR-|KF-，整机 12 个月" in out and "压缩机（KT-0010-）：72 个月" in out
    bad = tmp_path / "bad.csv"
    bad.write_text("section,category,key,value,name\ncategory,空调,KFR-,abc,\n",
                   encoding="utf-8")
    assert main(["--data-dir", str(services.paths.root), "policy", "import", str(bad)]) == 2
    assert "第 2 行「value」列" in capsys.readouterr().err


def test_a_new_policy_re_decides_the_payers_of_open_orders_only(services, station) -> None:
    from datetime import date

    from app.domain.enums import ChargeKind, OrderSource, OrderType, Payer, ServiceMode
    from app.domain.state_machine import Action
    from app.services.customers import CustomerInput, ProductInput
    from app.services.orders import ChargeInput, NewOrder

    def order(serial: str):
        made = services.orders.create(station["clerk"], NewOrder(
            OrderType.REPAIR, OrderSource.PHONE, ServiceMode.ON_SITE, "不制冷", "13812345678",
            customer=CustomerInput("李雷", ("13812345678",), "北京市海淀区学院路1号"),
            product=ProductInput("BCD-470WDPG", serial, date(2025, 1, 10), "FP1", 24),
            technician_id=station["tech"].user_id))
        return services.orders.set_charges(station["tech"], made.id, [
            ChargeInput(ChargeKind.LABOUR, "维修工时费", 1, 7000)], made.revision)

    still_open, finished = order("SN1"), order("SN2")
    services.orders.transition(station["tech"], finished.id, Action.START_ON_SITE)
    finished = services.orders.transition(station["tech"], finished.id, Action.COMPLETE)
    assert still_open.claimed_fen == finished.claimed_fen == 7000  # the product's 24 months
    with services.db.read() as s:
        pushed = s.scalar(select(func.count()).select_from(OutboxOp))
    services.policy.import_bytes(station["manager"], DEMO, "demo")  # 冰箱: 12 months
    again = services.orders.detail(still_open.id)
    assert again.charges[0].payer is Payer.CUSTOMER and again.revision == still_open.revision + 1
    assert services.orders.detail(finished.id).charges[0].payer is Payer.MAKER
    with services.db.read() as s:
        assert s.scalar(select(func.count()).select_from(OutboxOp)) == pushed + 1
