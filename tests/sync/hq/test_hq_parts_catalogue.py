"""Head office publishes the parts catalogue: ``repair-station-hq parts import FILE.csv``
writes one change per new or changed part (addressed to every station, a revision that only
grows), nothing for an unchanged part and nothing at all for a file with a bad row; pulls
carry the parts and the snapshot after 410 carries the whole catalogue."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from app.domain.parts import part_id
from sync import protocol as p
from sync.hq import catalogue, changes
from sync.hq.__main__ import main
from sync.hq.models import HqChange, HqPart
from tests.sync.hq.conftest import Hq

HEADER = ("part_no,name,specification,models,unit,retail_price,station_price,"
          "return_required,warranty_months\n")
CATALOGUE = HEADER + ("GR-CAP-35,启动电容,35μF 450V,KFR-35GW,个,45.00,30,否,\n"
                      "GR-COMP-01,压缩机,旋转式,KFR-35GW,台,1280.5,960,是,36\n")


def write(tmp_path: Path, text: str, name: str = "parts.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def part_changes(hq: Hq) -> list:
    with hq.db.read() as s:
        return list(s.execute(select(HqChange.entity_id, HqChange.hq_seq, HqChange.station_id,
                                     HqChange.payload).where(HqChange.entity == "part")
                              .order_by(HqChange.hq_seq)))


def test_import_publishes_one_change_per_part_to_every_station(hq: Hq, tmp_path) -> None:
    st = hq.station("BJ001")
    other = hq.station("SH002")
    done = catalogue.import_file(hq.db, write(tmp_path, CATALOGUE), hq.clock)
    assert (done.rows, done.added, done.changed, done.unchanged) == (2, 2, 0, 0)
    logged = part_changes(hq)
    assert [c.entity_id for c in logged] == [part_id("GR-CAP-35"), part_id("GR-COMP-01")]
    assert all(c.station_id is None for c in logged)
    payload = json.loads(logged[1].payload)
    assert payload == {"part_id": part_id("GR-COMP-01"), "part_no": "GR-COMP-01",
                       "name": "压缩机", "specification": "旋转式", "models": "KFR-35GW",
                       "unit": "台", "retail_price_fen": 128050, "station_price_fen": 96000,
                       "return_required": True, "warranty_months": 36, "active": True,
                       "revision": logged[1].hq_seq}
    for station in (st, other):
        page = p.PullPage.from_json(hq.pull(station).json())
        assert [(c.entity, c.payload["part_no"]) for c in page.changes] == [
            ("part", "GR-CAP-35"), ("part", "GR-COMP-01")]


def test_reimport_sends_only_what_changed_with_a_higher_revision(hq: Hq, tmp_path) -> None:
    hq.station("BJ001")
    catalogue.import_file(hq.db, write(tmp_path, CATALOGUE), hq.clock)
    first = {c.entity_id: c.hq_seq for c in part_changes(hq)}
    same = catalogue.import_file(hq.db, write(tmp_path, CATALOGUE, "same.csv"), hq.clock)
    assert (same.added, same.changed, same.unchanged, same.first_seq) == (0, 0, 2, 0)
    assert len(part_changes(hq)) == 2
    edited = CATALOGUE.replace("45.00", "48.00") + "MD-PUMP-08,排水泵,,XQG80,个,88,66,是,\n"
    done = catalogue.import_file(hq.db, write(tmp_path, edited, "v2.csv"), hq.clock)
    assert (done.added, done.changed, done.unchanged) == (1, 1, 1)
    latest = part_changes(hq)[-2:]
    cap = json.loads(latest[0].payload)
    assert cap["part_no"] == "GR-CAP-35" and cap["retail_price_fen"] == 4800
    assert cap["revision"] > first[part_id("GR-CAP-35")]
    with hq.db.read() as s:
        stored = s.get(HqPart, part_id("GR-CAP-35"))
        assert stored.hq_seq == cap["revision"]
        assert json.loads(stored.payload)["retail_price_fen"] == 4800


def test_a_bad_file_publishes_nothing_and_names_line_and_column(hq: Hq, tmp_path,
                                                                 capsys) -> None:
    url = str(hq.db.engine.url.render_as_string(hide_password=False))
    bad = CATALOGUE + "GR-X-1,坏配件,,,个,2000000,1,否,\n" + "GR-CAP-35,重复,,,个,1,1,否,\n"
    code = main(["--db", url, "parts", "import", str(write(tmp_path, bad))])
    err = capsys.readouterr().err
    assert code == 1
    assert "2 problem(s), nothing was published" in err
    assert "Line 4, column retail_price: Retail price is more than 1000000.00 yuan." in err
    assert "Line 5, column part_no: Part number GR-CAP-35 is already on line 2." in err
    assert part_changes(hq) == []
    with hq.db.read() as s:
        assert s.scalar(select(func.count()).select_from(HqPart)) == 0
    code = main(["--db", url, "parts", "import", str(write(tmp_path, CATALOGUE, "gbk.csv",
                                                              encoding="gbk"))])
    out = capsys.readouterr().out
    assert code == 0 and "2 part(s) read: 2 new" in out
    assert code == 0 and json.loads(part_changes(hq)[0].payload)["name"] == "启动电容"
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"part_no,name,retail_price,station_price\nA-1,caf\xe9,1,1\n\xff")
    assert main(["--db", url, "parts", "import", str(latin)]) == 1
    assert "neither UTF-8 nor GBK/GB18030" in capsys.readouterr().err


def test_snapshot_after_410_carries_the_whole_catalogue(hq: Hq, tmp_path) -> None:
    st = hq.station("BJ001")
    catalogue.import_file(hq.db, write(tmp_path, CATALOGUE), hq.clock)
    hq.clock.now += timedelta(days=100)
    catalogue.import_file(hq.db, write(tmp_path, CATALOGUE.replace("压缩机", "压缩机总成"),
                                       "v2.csv"), hq.clock)
    assert changes.prune(hq.db, hq.clock(), retention_days=90) == 2
    assert hq.pull(st, 0).status_code == 410
    snap = p.Snapshot.from_json(hq.client.get(p.SNAPSHOT_PATH, headers=st.headers).json())
    parts = {c.payload["part_no"]: c for c in snap.changes if c.entity == "part"}
    assert set(parts) == {"GR-CAP-35", "GR-COMP-01"}
    assert parts["GR-COMP-01"].payload["name"] == "压缩机总成"
    for change in parts.values():
        assert change.payload["revision"] == change.hq_seq
        assert change.entity_id == part_id(change.payload["part_no"])
    # after a restore the counter moves on: a re-published part gets a higher revision still
    hq.admin.after_restore()
    catalogue.import_file(hq.db, write(tmp_path, CATALOGUE.replace("45.00", "1"), "v3.csv"),
                          hq.clock)
    snap = p.Snapshot.from_json(hq.client.get(p.SNAPSHOT_PATH, headers=st.headers).json())
    cap = next(c for c in snap.changes if c.entity == "part" and
               c.payload["part_no"] == "GR-CAP-35")
    assert cap.payload["revision"] > parts["GR-COMP-01"].payload["revision"] + 1_000_000_000 - 10


def test_the_published_change_model_names_every_head_office_entity() -> None:
    from typing import get_args

    from sync.entities import ENTITIES, relayed
    from sync.hq.schemas import ChangeModel

    # head office's own, and the station entities it relays between a station's devices
    assert set(get_args(ChangeModel.model_fields["entity"].annotation)) == {
        e.value for e in p.HqEntity} | {name for name in ENTITIES if relayed(name)}
