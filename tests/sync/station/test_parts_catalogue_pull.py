"""The catalogue from head office to a station, through a real head office (``sync.hq``
under uvicorn on loopback): a part published with ``parts import`` arrives at the next pull,
replaces what an offline import wrote (the station's shelf settings stay), a newer revision
replaces it again, an older one never does, and after head office is restored from a
backup the 410 -> snapshot path brings the whole catalogue."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from app.domain.parts import part_id
from app.services.sync_apply import apply_change
from app.store.models import Part, SyncConflict
from sync import protocol as p
from sync.hq import catalogue
from tests.sync.faults.harness import PASSWORD, LiveHq, StationRig, make_station

HEADER = ("part_no,name,specification,models,unit,retail_price,station_price,"
          "return_required,warranty_months\n")
CATALOGUE = HEADER + ("GR-CAP-35,启动电容,35μF 450V,KFR-35GW,个,45.00,30,否,\n"
                      "GR-COMP-01,压缩机,旋转式,KFR-35GW,台,1280.5,960,是,36\n")


@pytest.fixture
def real_hq(tmp_path: Path) -> Iterator[LiveHq]:
    hq = LiveHq(tmp_path / "hq.sqlite3").start()
    yield hq
    hq.stop()


@pytest.fixture
def rig(tmp_path: Path, real_hq: LiveHq) -> Iterator[StationRig]:
    station = make_station(tmp_path / "st1", "BJ001", real_hq, real_hq.url)
    yield station
    station.close()


def publish(hq: LiveHq, tmp_path: Path, text: str, name: str = "parts.csv") -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert hq.db is not None
    catalogue.import_file(hq.db, path)


def parts(rig: StationRig) -> dict[str, Part]:
    with rig.services.db.read() as s:
        return {x.part_no: x for x in s.scalars(select(Part))}


def test_published_parts_arrive_and_replace_an_offline_import(rig: StationRig,
                                                              real_hq: LiveHq,
                                                              tmp_path: Path) -> None:
    boss = rig.services.users.login("boss", PASSWORD)
    offline = tmp_path / "offline.csv"
    offline.write_text(HEADER + "GR-CAP-35,电容（本地）,,,个,50,35,否,\n", encoding="utf-8")
    rig.services.catalogue.import_csv(boss, offline)
    rig.services.catalogue.set_setting(boss, part_id("GR-CAP-35"), location="A-01",
                                       low_stock_threshold=3)
    publish(real_hq, tmp_path, CATALOGUE)
    report = rig.sync.sync_now()
    assert report.pulled_changes == 2
    got = parts(rig)
    cap, comp = got["GR-CAP-35"], got["GR-COMP-01"]
    assert (cap.name, cap.retail_price_fen, cap.station_price_fen) == ("启动电容", 4500, 3000)
    assert cap.hq_revision > 0 and comp.hq_revision > cap.hq_revision
    assert (comp.unit, comp.return_required, comp.warranty_months) == ("台", True, 36)
    info = rig.services.catalogue.get(part_id("GR-CAP-35"))
    assert (info.location, info.low_stock_threshold) == ("A-01", 3)
    # an offline import now leaves head office's parts alone
    result = rig.services.catalogue.import_csv(boss, offline)
    assert result.skipped_from_hq == 1 and parts(rig)["GR-CAP-35"].name == "启动电容"
    # a change at head office reaches the station; an unchanged re-import sends nothing
    publish(real_hq, tmp_path, CATALOGUE.replace("压缩机", "压缩机总成"), "v2.csv")
    assert rig.sync.sync_now().pulled_changes == 1
    assert parts(rig)["GR-COMP-01"].name == "压缩机总成"
    publish(real_hq, tmp_path, CATALOGUE.replace("压缩机", "压缩机总成"), "v3.csv")
    assert rig.sync.sync_now().pulled_changes == 0
    assert [r.part_no for r in rig.services.catalogue.search("kfr")] == ["GR-CAP-35",
                                                                       "GR-COMP-01"]


def test_after_a_restore_the_snapshot_brings_the_whole_catalogue(rig: StationRig,
                                                                 real_hq: LiveHq,
                                                                 tmp_path: Path) -> None:
    publish(real_hq, tmp_path, CATALOGUE)
    rig.sync.sync_now()
    before = parts(rig)
    assert real_hq.admin is not None
    real_hq.admin.after_restore()  # every cursor is now expired: the station must re-download
    publish(real_hq, tmp_path, CATALOGUE + "MD-PUMP-08,排水泵,,XQG80,个,88,66,是,\n", "v2.csv")
    report = rig.sync.sync_now()
    assert report.snapshots == 1
    after = parts(rig)
    assert set(after) == {"GR-CAP-35", "GR-COMP-01", "MD-PUMP-08"}
    assert after["GR-CAP-35"].hq_revision == before["GR-CAP-35"].hq_revision
    assert after["MD-PUMP-08"].hq_revision > 1_000_000_000
    assert rig.sync.sync_now().pulled_changes == 0


def test_a_part_change_is_idempotent_and_never_goes_back(rig: StationRig) -> None:
    pid = part_id("GR-CAP-35")
    base = {"part_id": pid, "part_no": "GR-CAP-35", "name": "启动电容", "specification": "",
            "models": "", "unit": "个", "retail_price_fen": 4500, "station_price_fen": 3000,
            "return_required": False, "warranty_months": None, "active": True}

    def apply(seq: int, revision: int, **fields: object) -> set[str]:
        change = p.Change(seq, p.HqEntity.PART.value, pid, "upsert",
                          {**base, **fields, "revision": revision})
        with rig.services.db.write() as s:
            return apply_change(s, change, rig.services.sync.clock())

    assert apply(10, 10) == {"parts", "stock"}
    assert apply(10, 10, name="again") == set()  # the same page re-applied
    assert apply(20, 20, name="新名称") == {"parts", "stock"}
    assert apply(15, 15, name="旧名称") == set()  # an older revision (a stale snapshot)
    got = parts(rig)["GR-CAP-35"]
    assert (got.name, got.hq_revision) == ("新名称", 20)
    # another id holding the number is a conflict for a person, never a second part
    change = p.Change(30, p.HqEntity.PART.value, "other-id", "upsert",
                      {**base, "part_id": "other-id", "revision": 30})
    with rig.services.db.write() as s:
        assert apply_change(s, change, rig.services.sync.clock()) == {"conflicts"}
    with rig.services.db.read() as s:
        assert s.scalars(select(SyncConflict)).one().kind == "part_number_clash"
    assert len(parts(rig)) == 1


def test_one_page_may_carry_the_same_new_part_twice(rig: StationRig) -> None:
    pid = part_id("MD-PUMP-08")
    base = {"part_id": pid, "part_no": "MD-PUMP-08", "name": "排水泵", "unit": "个",
            "retail_price_fen": 8800, "station_price_fen": 6600}
    with rig.services.db.write() as s, s.no_autoflush:  # as sync_store applies a page
        for seq, name in ((41, "排水泵"), (42, "排水泵总成")):
            apply_change(s, p.Change(seq, p.HqEntity.PART.value, pid, "upsert",
                                     {**base, "name": name, "revision": seq}),
                         rig.services.sync.clock())
    got = parts(rig)["MD-PUMP-08"]
    assert (got.name, got.hq_revision, got.warranty_months) == ("排水泵总成", 42, None)
