"""Feedback cards at head office: a card a station submitted (its outbox payload as the
station writes it, photos' metadata inline) arrives as the generic record and is listed by
``repair-station-hq feedback list``, per station and cause; nothing of a draft arrives."""

from __future__ import annotations

import json
from pathlib import Path

from PIL import Image
from sqlalchemy import select

from app.domain.feedback import CauseCategory
from app.services.feedback import CardFields
from app.store.models import OutboxOp
from sync import protocol as p
from sync.hq import feedback as hq_feedback
from sync.hq.__main__ import main as hq_main
from tests.sync.hq.conftest import Hq, op


def _station_cards(services, station, tmp_path: Path) -> list[dict]:
    tech = station["tech"]
    photo = tmp_path / "p.png"
    Image.new("RGB", (40, 30), "#813").save(photo, "PNG")
    first = services.feedback.new(tech, CardFields(
        product_model="KFR-35GW", fault_phenomenon="外机不转\n有焦味",
        cause_category=CauseCategory.MATERIAL, faulty_part="启动电容"))
    first = services.feedback.attach_photo(tech, first.id, photo)
    services.feedback.submit(tech, first.id)
    second = services.feedback.new(tech, CardFields(
        product_model="XQB60-1", fault_phenomenon="脱水异响", cause_category=CauseCategory.USE))
    services.feedback.submit(tech, second.id)
    services.feedback.new(tech, CardFields(product_model="DRAFT-ONLY"))
    with services.db.read() as s:
        return [json.loads(o.payload) for o in s.scalars(
            select(OutboxOp).where(OutboxOp.entity == "feedback_card").order_by(OutboxOp.seq))]


def test_submitted_cards_arrive_and_are_listed(hq: Hq, services, station, tmp_path,
                                               capsys) -> None:
    payloads = _station_cards(services, station, tmp_path)
    assert [x["product_model"] for x in payloads] == ["KFR-35GW", "XQB60-1"]
    bj = hq.station("BJ001")
    ops = [op(n, "feedback_card", x["id"], x) for n, x in enumerate(payloads, start=1)]
    answer = hq.push(bj, p.PushBatch.build(bj.code, ops))
    assert answer.status_code == 200
    assert [r for r in answer.json().get("results", []) if r["status"] != "applied"] == []
    rows = hq_feedback.cards(hq.db)
    assert {(r.station, r.product_model, r.cause_category, r.photos) for r in rows} == {
        ("BJ001", "KFR-35GW", "material", 1), ("BJ001", "XQB60-1", "use", 0)}
    assert [r.product_model for r in hq_feedback.cards(hq.db, cause="use")] == ["XQB60-1"]
    assert hq_feedback.cards(hq.db, code="SH001") == []
    assert [r.number for r in hq_feedback.cards(hq.db, model="kfr")] == [payloads[0]["number"]]

    url = hq.db.engine.url.render_as_string(hide_password=False)
    assert hq_main(["--db", url, "feedback", "list", "--cause", "material"]) == 0
    out = capsys.readouterr().out
    assert payloads[0]["number"] in out and "外机不转 有焦味" in out
    assert "1 feedback card(s)." in out and "XQB60-1" not in out
