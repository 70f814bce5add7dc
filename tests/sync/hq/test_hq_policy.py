"""Head office publishes the warranty policy: ``repair-station-hq policy import FILE.csv``
writes ONE change (addressed to every station, its revision its hq_seq), nothing for the
policy already in force and nothing for a file with a bad row; the snapshot after 410
carries the policy in force; a real station pulls it end to end and its orders' payers follow.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.domain.enums import OrderSource, OrderType, ServiceMode, WarrantyStatus
from app.services.customers import CustomerInput, ProductInput
from app.services.orders import NewOrder
from app.services.warranty_policy import DEMO_POLICY_CSV
from app.store.models import WarrantyPolicyRow
from sync import protocol as p
from sync.hq import changes
from sync.hq import policy as hq_policy
from sync.hq.__main__ import main
from sync.hq.models import HqChange, HqWarrantyPolicy
from tests.sync.faults.harness import PASSWORD, LiveHq, StationRig, make_station
from tests.sync.hq.conftest import Hq


def write(tmp_path: Path, text: str, name: str = "policy.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8-sig")
    return path


def policy_changes(hq_db) -> list:
    with hq_db.read() as s:
        return list(s.execute(select(HqChange.entity_id, HqChange.hq_seq, HqChange.station_id,
                                     HqChange.payload)
                              .where(HqChange.entity == "warranty_policy")
                              .order_by(HqChange.hq_seq)))


def test_import_publishes_one_change_once(hq: Hq, tmp_path, capsys) -> None:
    st = hq.station("BJ001")
    url = str(hq.db.engine.url.render_as_string(hide_password=False))
    assert main(["--db", url, "policy", "import", str(write(tmp_path, DEMO_POLICY_CSV))]) == 0
    assert "published as revision" in capsys.readouterr().out
    logged = policy_changes(hq.db)
    assert len(logged) == 1 and logged[0].station_id is None
    payload = json.loads(logged[0].payload)
    assert payload["revision"] == logged[0].hq_seq and payload["policy_id"] == logged[0].entity_id
    assert payload["document"]["label"] == "2026版三包政策（演示）"
    assert {c["name"] for c in payload["document"]["categories"]} >= {"空调", "冰箱"}
    page = p.PullPage.from_json(hq.pull(st).json())
    assert [c.entity for c in page.changes] == ["warranty_policy"]
    # the same content again publishes nothing
    assert main(["--db", url, "policy", "import",
                 str(write(tmp_path, DEMO_POLICY_CSV, "again.csv"))]) == 0
    assert "already in force" in capsys.readouterr().out
    assert len(policy_changes(hq.db)) == 1
    # a changed policy publishes a higher revision
    done = hq_policy.import_file(hq.db, write(tmp_path, DEMO_POLICY_CSV.replace(
        "category,冰箱,BCD-,12,", "category,冰箱,BCD-,24,"), "v2.csv"), hq.clock)
    assert done.hq_seq > logged[0].hq_seq and len(policy_changes(hq.db)) == 2


def test_a_bad_file_publishes_nothing(hq: Hq, tmp_path, capsys) -> None:
    url = str(hq.db.engine.url.render_as_string(hide_password=False))
    bad = DEMO_POLICY_CSV + "travel,,10,5,\nlabour,空调,repair,abc,\n"
    assert main(["--db", url, "policy", "import", str(write(tmp_path, bad))]) == 1
    err = capsys.readouterr().err
    assert "2 problem(s), nothing was published" in err
    assert "column key: The travel band up to 10 km is already on line" in err
    assert "column value: 'abc' is not an amount in yuan" in err
    assert policy_changes(hq.db) == []
    with hq.db.read() as s:
        assert s.scalar(select(func.count()).select_from(HqWarrantyPolicy)) == 0


def test_the_snapshot_after_410_carries_the_policy_in_force(hq: Hq, tmp_path) -> None:
    st = hq.station("BJ001")
    hq_policy.import_file(hq.db, write(tmp_path, DEMO_POLICY_CSV), hq.clock)
    hq.clock.now += timedelta(days=100)
    hq_policy.import_file(hq.db, write(tmp_path, DEMO_POLICY_CSV.replace(
        "2026版三包政策（演示）", "2026版 第二版"), "v2.csv"), hq.clock)
    assert changes.prune(hq.db, hq.clock(), retention_days=90) == 1
    assert hq.pull(st, 0).status_code == 410
    snap = p.Snapshot.from_json(hq.client.get(p.SNAPSHOT_PATH, headers=st.headers).json())
    sent = [c for c in snap.changes if c.entity == "warranty_policy"]
    assert len(sent) == 1
    assert sent[0].payload["document"]["label"] == "2026版 第二版"
    assert sent[0].payload["revision"] == sent[0].hq_seq


# -- end to end: a real head office and a real station ------------------------------------


@pytest.fixture
def real_hq(tmp_path: Path) -> Iterator[LiveHq]:
    live = LiveHq(tmp_path / "hq.sqlite3").start()
    yield live
    live.stop()


@pytest.fixture
def rig(tmp_path: Path, real_hq: LiveHq) -> Iterator[StationRig]:
    station = make_station(tmp_path / "st1", "BJ001", real_hq, real_hq.url)
    yield station
    station.close()


def test_a_station_pulls_the_policy_and_its_orders_follow_it(rig: StationRig, real_hq: LiveHq,
                                                             tmp_path: Path) -> None:
    assert real_hq.db is not None
    clerk = rig.services.users.login("boss", PASSWORD)
    bought = (rig.services.orders.clock() - timedelta(days=500)).date()
    order = rig.services.orders.create(clerk, NewOrder(
        OrderType.REPAIR, OrderSource.PHONE, ServiceMode.ON_SITE, "不制冷", "13812345678",
        customer=CustomerInput("李雷", ("13812345678",), "北京市海淀区学院路1号"),
        product=ProductInput("BCD-470WDPG", "SN1", bought, "FP1", 24)))
    # the product's own 24 months cover it until head office's policy says 12
    assert order.coverage.status is WarrantyStatus.IN_WARRANTY
    hq_policy.import_file(real_hq.db, write(tmp_path, DEMO_POLICY_CSV))
    assert rig.sync.sync_now().pulled_changes == 1
    info = rig.services.policy.current()
    assert info.source == "hq" and info.label == "2026版三包政策（演示）"
    after = rig.services.orders.detail(order.id)
    assert after.coverage.status is WarrantyStatus.OUT_OF_WARRANTY
    assert after.coverage.rule == "冰箱" and isinstance(after.coverage.ends_on, date)
    # nothing new: nothing pulled, nothing stored twice
    assert rig.sync.sync_now().pulled_changes == 0
    with rig.services.db.read() as s:
        assert s.scalar(select(func.count()).select_from(WarrantyPolicyRow)) == 1
    # after head office is restored from a backup, the snapshot brings it again: no new row
    assert real_hq.admin is not None
    real_hq.admin.after_restore()
    assert rig.sync.sync_now().snapshots == 1
    with rig.services.db.read() as s:
        assert s.scalar(select(func.count()).select_from(WarrantyPolicyRow)) == 1
