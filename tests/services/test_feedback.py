"""Quality feedback cards: prefilled from an order (model, serial, fault, first part) or made on
their own, edited as drafts with real photos only, submitted once with every required field
(each missing one named at once), pushed to head office only on submission with the photos'
metadata inline, and final after it; who may do what, each check with its own test."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from app.domain import feedback as fb
from app.domain.enums import OrderStatus
from app.domain.errors import RuleViolation
from app.domain.feedback import CauseCategory, FeedbackStatus
from app.domain.state_machine import Action
from app.services.errors import PermissionDenied, StaleEdit
from app.services.feedback import CardFields, CardInvalid, problems_of
from app.store.models import AuditEntry, FeedbackCard, FeedbackPhoto, OutboxOp
from tests.services.helpers import new_order
from tests.services.test_order_parts import assigned_order, make_part

FULL = CardFields(product_model="KFR-35GW", serial_no="SN0001", production_info="2025-03",
                  fault_phenomenon="不制冷", faulty_part="启动电容",
                  cause_category=CauseCategory.MATERIAL, use_environment="沿海",
                  customer_opinion="希望尽快修好")


def photo(tmp_path: Path, name: str = "p.jpg", kind: str = "JPEG",
          size: tuple[int, int] = (64, 48)) -> Path:
    path = tmp_path / name
    Image.new("RGB", size, "#3a7").save(path, kind)
    return path


def outbox(services, card_id: str) -> list[OutboxOp]:
    with services.db.read() as s:
        return list(s.scalars(select(OutboxOp).where(OutboxOp.entity_id == card_id)
                              .order_by(OutboxOp.seq)))


def stored(services) -> tuple[int, int, int]:
    with services.db.read() as s:
        return tuple(s.scalar(select(func.count()).select_from(m))
                     for m in (FeedbackCard, FeedbackPhoto, OutboxOp))


def test_a_card_from_an_order_is_prefilled(services, station) -> None:
    part = make_part(services)
    order = assigned_order(services, station)
    services.order_parts.issue(station["tech"], order.id, part.id, 1)
    card = services.feedback.new_from_order(station["tech"], order.id)
    assert card.number.startswith("QF-BJ001-20260601-")
    assert card.status is FeedbackStatus.DRAFT and card.editable
    assert card.order_number == order.number
    f = card.fields
    assert (f.product_model, f.serial_no, f.fault_phenomenon, f.faulty_part) == (
        "KFR-35GW", "SN0001", "空调不制冷", "启动电容")
    assert card.part_id == part.id
    assert f.customer_opinion == "" and f.cause_category is None
    assert card.created_by == "王师傅"
    assert [r.id for r in services.feedback.for_order(order.id)] == [card.id]


def test_an_order_without_parts_leaves_the_part_empty_and_numbers_count_up(
        services, station) -> None:
    order = new_order(services, station["clerk"])
    first = services.feedback.new_from_order(station["clerk"], order.id)
    second = services.feedback.new(station["clerk"])
    assert first.fields.faulty_part == "" and first.part_id is None
    assert first.number.endswith("-0001") and second.number.endswith("-0002")
    assert second.order_id is None and second.order_number == ""


def test_a_draft_stays_at_the_station_until_submitted(services, station, tmp_path) -> None:
    tech = station["tech"]
    card = services.feedback.new(tech, FULL)
    card = services.feedback.attach_photo(tech, card.id, photo(tmp_path))
    card = services.feedback.save(tech, card.id, FULL, card.revision)
    assert outbox(services, card.id) == []
    with services.db.read() as s:
        actions = list(s.scalars(select(AuditEntry.action)
                                 .where(AuditEntry.entity_id == card.id)))
    assert actions == ["feedback.create", "feedback.photo_add", "feedback.update"]
    done = services.feedback.submit(tech, card.id, card.revision)
    assert done.status is FeedbackStatus.SUBMITTED and not done.editable
    assert done.submitted_by == "王师傅" and done.submitted_at is not None
    [op] = outbox(services, card.id)
    payload = json.loads(op.payload)
    assert (op.entity, op.op, op.base_revision) == ("feedback_card", "upsert", card.revision)
    assert payload["status"] == "submitted" and payload["cause_category"] == "material"
    assert payload["number"] == card.number and payload["fault_phenomenon"] == "不制冷"
    [p] = payload["photos"]
    assert set(p) == {"id", "sha256", "filename", "size", "position"}
    assert p["filename"] == "p.jpg" and p["size"] == (tmp_path / "p.jpg").stat().st_size
    assert services.orders.attachment_path(p["sha256"]).is_file()


def test_a_submitted_card_is_final(services, station, tmp_path) -> None:
    tech = station["tech"]
    card = services.feedback.submit(tech, services.feedback.new(tech, FULL).id)
    before = stored(services)
    with pytest.raises(RuleViolation, match="draft"):
        services.feedback.save(tech, card.id, FULL, card.revision)
    with pytest.raises(RuleViolation, match="draft"):
        services.feedback.attach_photo(tech, card.id, photo(tmp_path))
    with pytest.raises(RuleViolation, match="already submitted"):
        services.feedback.submit(tech, card.id)
    assert stored(services) == before


def test_submit_names_every_missing_field_at_once(services, station) -> None:
    card = services.feedback.new(station["tech"], CardFields(serial_no="SN1"))
    with pytest.raises(CardInvalid) as err:
        services.feedback.submit(station["tech"], card.id)
    assert [p.field for p in err.value.problems] == ["product_model", "fault_phenomenon",
                                                     "cause_category"]
    assert services.feedback.detail(card.id).status is FeedbackStatus.DRAFT
    assert outbox(services, card.id) == []
    one = services.feedback.new(station["tech"], CardFields(product_model="X",
                                                            fault_phenomenon="不转"))
    with pytest.raises(RuleViolation) as single:
        services.feedback.submit(station["tech"], one.id)
    assert single.value.field == "cause_category"


def test_save_refuses_every_bad_field_at_once_and_stores_nothing(services, station) -> None:
    card = services.feedback.new(station["clerk"])
    bad = CardFields(product_model="X" * (fb.MAX_MODEL + 1), fault_phenomenon="a\u202eb",
                     customer_opinion="y" * (fb.MAX_OPINION + 1), cause_category="weather")
    with pytest.raises(CardInvalid) as err:
        services.feedback.save(station["clerk"], card.id, bad, card.revision)
    assert [p.field for p in problems_of(err.value)] == [
        "product_model", "fault_phenomenon", "customer_opinion", "cause_category"]
    assert services.feedback.detail(card.id).revision == card.revision
    with pytest.raises(StaleEdit):
        services.feedback.save(station["clerk"], card.id, FULL, card.revision + 5)


def test_text_is_kept_exactly(services, station) -> None:
    text = "  外机\n噪音大 <b>&amp;  "
    card = services.feedback.new(station["tech"], CardFields(fault_phenomenon=text))
    assert card.fields.fault_phenomenon == text.strip()


@pytest.mark.parametrize("make, message", [
    (lambda tmp: tmp / "nothing.jpg", "not found"),
    (lambda tmp: (tmp / "x.txt").write_text("hello") and tmp / "x.txt", "not a JPEG"),
    (lambda tmp: photo(tmp, "g.gif", "GIF"), "not a JPEG"),
    (lambda tmp: (tmp / "t.jpg").write_bytes(photo(tmp, "o.jpg").read_bytes()[:60])
     and tmp / "t.jpg", "damaged"),
    (lambda tmp: (tmp / "fake.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 100)
     and tmp / "fake.png", "damaged"),
])
def test_only_real_photos_are_attached(services, station, tmp_path, make, message) -> None:
    card = services.feedback.new(station["tech"])
    before = stored(services)
    with pytest.raises(RuleViolation, match=message) as err:
        services.feedback.attach_photo(station["tech"], card.id, make(tmp_path))
    assert err.value.field == "file"
    assert stored(services) == before


def test_a_photo_too_large_is_refused(services, station, tmp_path, monkeypatch) -> None:
    card = services.feedback.new(station["tech"])
    monkeypatch.setattr(fb, "MAX_PHOTO_BYTES", 100)
    with pytest.raises(RuleViolation, match="MB"):
        services.feedback.attach_photo(station["tech"], card.id, photo(tmp_path))


def test_at_most_six_photos_and_one_can_be_removed(services, station, tmp_path) -> None:
    tech = station["tech"]
    card = services.feedback.new(tech)
    for n in range(fb.MAX_PHOTOS):
        card = services.feedback.attach_photo(
            tech, card.id, photo(tmp_path, f"p{n}.png", "PNG", (20 + n, 20)))
    with pytest.raises(RuleViolation, match="at most 6"):
        services.feedback.attach_photo(tech, card.id, photo(tmp_path, "x.jpg"))
    assert [p.position for p in card.photos] == list(range(6))
    gone = card.photos[2]
    card = services.feedback.remove_photo(tech, card.id, gone.id, card.revision)
    assert len(card.photos) == 5 and gone.id not in {p.id for p in card.photos}
    assert gone.path.is_file()  # the store keeps the file
    card = services.feedback.attach_photo(tech, card.id, photo(tmp_path, "y.jpg"))
    assert card.photos[-1].position == 6


def test_list_filters_by_status_and_text(services, station) -> None:
    tech = station["tech"]
    a = services.feedback.new(tech, FULL)
    b = services.feedback.new(tech, CardFields(product_model="XQB60-1", serial_no="W100"))
    services.feedback.submit(tech, a.id)
    assert [r.id for r in services.feedback.list()] == [b.id, a.id]
    assert [r.id for r in services.feedback.list(FeedbackStatus.SUBMITTED)] == [a.id]
    assert [r.id for r in services.feedback.list(text="xqb60")] == [b.id]
    assert [r.id for r in services.feedback.list(text="启动电容")] == [a.id]
    assert services.feedback.list(text="100%") == []
    assert services.feedback.find(a.number.lower()).id == a.id


# -- who may do what: each check has its test ------------------------------------------------


def test_a_clerk_may_draft_but_not_submit(services, station, tmp_path) -> None:
    clerk = station["clerk"]
    card = services.feedback.new(clerk, FULL)
    card = services.feedback.attach_photo(clerk, card.id, photo(tmp_path))
    with pytest.raises(PermissionDenied):
        services.feedback.submit(clerk, card.id)
    assert services.feedback.submit(station["manager"], card.id).status is \
        FeedbackStatus.SUBMITTED


def test_a_technician_fills_cards_only_for_their_orders(services, station) -> None:
    order = assigned_order(services, station, tech="tech2")
    before = stored(services)
    with pytest.raises(PermissionDenied):
        services.feedback.new_from_order(station["tech"], order.id)
    assert stored(services) == before
    assert services.feedback.new_from_order(station["tech2"], order.id).order_id == order.id


@pytest.mark.parametrize("call", ["save", "attach", "remove", "submit"])
def test_a_technician_may_not_change_another_technicians_card(
        services, station, tmp_path, call) -> None:
    tech, other = station["tech"], station["tech2"]
    card = services.feedback.new(tech, FULL)
    card = services.feedback.attach_photo(tech, card.id, photo(tmp_path))
    calls = {
        "save": lambda: services.feedback.save(other, card.id, FULL, card.revision),
        "attach": lambda: services.feedback.attach_photo(other, card.id,
                                                         photo(tmp_path, "b.jpg")),
        "remove": lambda: services.feedback.remove_photo(other, card.id, card.photos[0].id),
        "submit": lambda: services.feedback.submit(other, card.id),
    }
    with pytest.raises(PermissionDenied):
        calls[call]()
    assert services.feedback.detail(card.id).revision == card.revision


def test_a_technician_may_change_a_card_of_their_order_a_clerk_started(services,
                                                                       station) -> None:
    order = assigned_order(services, station)
    card = services.feedback.new_from_order(station["clerk"], order.id)
    card = services.feedback.save(station["tech"], card.id, FULL, card.revision)
    assert services.feedback.submit(station["tech"], card.id).status is FeedbackStatus.SUBMITTED


def test_no_card_from_a_cancelled_order(services, station) -> None:
    order = new_order(services, station["clerk"])
    order = services.orders.transition(station["manager"], order.id, Action.CANCEL,
                                       reason="客户取消")
    assert order.status is OrderStatus.CANCELLED
    with pytest.raises(RuleViolation, match="cancelled"):
        services.feedback.new_from_order(station["manager"], order.id)
