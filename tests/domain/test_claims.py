"""The claim checks (三包索赔审核) on their edges: 29/30/31 days, equal times, exactly the
schedule vs one fen more, the last covered day vs the day after; blocked vs warning."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from app.domain import claims as c
from app.domain.claims import Check, ClaimFacts, EarlierRepair, Severity

CALL = datetime(2026, 5, 20, 2, 0, tzinfo=UTC)


def facts(**kw) -> ClaimFacts:
    base = ClaimFacts(
        line_id="L1", order_id="O1", order_number="SO-1", kind="labour", amount_fen=5000,
        schedule_fen=5000, phone="13812345678", serial="SN1", purchase_date=date(2026, 1, 1),
        invoice_no="INV-1", called_at=CALL, responded_at=CALL, arrived_at=CALL,
        completed_at=CALL, service_date=CALL.date(), warranty_ends=date(2026, 12, 31),
        fault="空调不制冷")
    return replace(base, **kw)


def checks(f: ClaimFacts) -> set[Check]:
    return {x.check for x in c.findings(f)}


def test_a_clean_line_has_no_finding():
    assert c.findings(facts()) == []


def test_severities():
    assert {k for k in Check if k.severity is Severity.BLOCKED} == {
        Check.ORDER_CLAIMED_TWICE, Check.TAG_USED_TWICE, Check.AFTER_WARRANTY_END}
    assert not Check.AFTER_WARRANTY_END.overridable
    assert Check.REPEAT_REPAIR.overridable
    assert set(c.REASON_TEXT) == set(Check)


@pytest.mark.parametrize("days,repeat", [(0, True), (29, True), (30, True), (31, False),
                                         (-1, False)])
def test_repeat_repair_window(days, repeat):
    earlier = EarlierRepair("SO-0", CALL.date() - timedelta(days=days), frozenset(), "不制冷")
    found = c.check_repeat(facts(earlier=(earlier,)))
    assert (found is not None) is repeat
    if repeat:
        assert found.params == {"serial": "SN1", "days": days, "other": "SO-0"}
        assert found.severity is Severity.WARNING


def test_repeat_repair_needs_the_same_fault_and_a_serial():
    other_fault = EarlierRepair("SO-0", CALL.date() - timedelta(days=5), frozenset(), "漏水")
    assert c.check_repeat(facts(earlier=(other_fault,))) is None
    same = EarlierRepair("SO-0", CALL.date() - timedelta(days=5), frozenset(), "空调制冷效果差，不制冷")
    assert c.check_repeat(facts(earlier=(same,), serial="")) is None
    assert c.check_repeat(facts(earlier=(same,))) is not None
    # both replaced parts: the part numbers decide, whatever the texts say
    with_part = EarlierRepair("SO-0", CALL.date() - timedelta(days=5), frozenset({"GR-CAP"}),
                              "漏水")
    assert c.check_repeat(facts(earlier=(with_part,), part_nos=frozenset({"gr-cap"}))) \
        is not None
    assert c.check_repeat(facts(earlier=(with_part,), part_nos=frozenset({"GR-MOTOR"}))) \
        is None


def test_fault_similarity():
    assert c.fault_similarity("不制冷", "空调 不制冷！") == 1.0
    assert c.fault_similarity("不制冷", "漏水") == 0.0
    assert c.fault_similarity("", "漏水") == 0.0
    assert not c.same_fault(frozenset(), "不制热", frozenset(), "不制冷")
    assert c.same_fault(frozenset(), "压缩机不启动噪音大", frozenset(), "压缩机不启动")


def test_warranty_end_edges():
    ends = date(2026, 5, 20)
    assert c.check_warranty_end(facts(warranty_ends=ends)) is None  # the last covered day
    found = c.check_warranty_end(facts(warranty_ends=ends - timedelta(days=1)))
    assert found.check is Check.AFTER_WARRANTY_END
    assert found.params == {"served": "2026-05-20", "ends": "2026-05-19"}
    assert c.check_warranty_end(facts(warranty_ends=None)) is None


def test_schedule_exact_vs_one_fen_more():
    assert c.check_schedule(facts(amount_fen=5000, schedule_fen=5000)) is None
    found = c.check_schedule(facts(amount_fen=5001, schedule_fen=5000))
    assert found.params == {"amount": 5001, "schedule": 5000}
    assert c.check_schedule(facts(amount_fen=10**9, schedule_fen=None)) is None


def test_times_equal_is_fine_one_second_early_is_not():
    second = timedelta(seconds=1)
    assert c.check_times(facts()) is None
    found = c.check_times(facts(completed_at=CALL + timedelta(hours=1),
                                arrived_at=CALL + timedelta(hours=1) + second))
    assert found.params == {"what": ("completed_before_arrival",)}
    found = c.check_times(facts(arrived_at=CALL - second, completed_at=CALL + second))
    assert found.params == {"what": ("arrival_before_call",)}
    found = c.check_times(facts(responded_at=CALL - second))
    assert found.params == {"what": ("response_before_call",)}
    assert c.check_times(facts(arrived_at=None, completed_at=None, responded_at=None)) is None


def test_missing_phone_serial_proof():
    assert checks(facts(phone=" ")) == {Check.MISSING_PHONE}
    assert checks(facts(serial="")) == {Check.MISSING_SERIAL}
    assert c.check_proof(facts(invoice_no="")).params == {"missing": ("invoice",)}
    assert c.check_proof(facts(purchase_date=None, invoice_no="")).params == {
        "missing": ("purchase_date", "invoice")}


def test_old_part_missing_only_for_return_required_part_lines():
    part = facts(kind="parts", part_no="GR-CAP", return_required=True)
    assert checks(part) == {Check.OLD_PART_MISSING}
    assert checks(replace(part, old_part_tag="OP-1")) == set()
    assert checks(replace(part, return_required=False)) == set()


def test_claimed_twice_and_tag_twice_block():
    found = c.findings(facts(other_batch="CB-1", serial=""))
    assert found[0].check is Check.ORDER_CLAIMED_TWICE
    assert found[0].params == {"order": "SO-1", "batch": "CB-1"}
    assert found[-1].check is Check.MISSING_SERIAL  # blocked first, warnings after
    assert checks(facts(twin_in_batch=True, first_of_order=False)) == {
        Check.ORDER_CLAIMED_TWICE}
    assert checks(facts(old_part_tag="OP-1", tag_elsewhere="CB-2")) == {Check.TAG_USED_TWICE}


def test_order_findings_sit_on_the_first_line_only():
    assert checks(facts(serial="", phone="", first_of_order=False)) == set()
    assert checks(facts(other_batch="CB-1", first_of_order=False)) == set()


def test_outstanding():
    found = c.findings(facts(serial="", phone="", warranty_ends=date(2026, 1, 1)))
    left = c.outstanding(found, {"missing_serial", "after_warranty_end"})
    assert {x.check for x in left} == {Check.AFTER_WARRANTY_END, Check.MISSING_PHONE}


def test_periods():
    assert c.period_bounds("2026-12") == (date(2026, 12, 1), date(2027, 1, 1))
    assert c.period_bounds("2026-02") == (date(2026, 2, 1), date(2026, 3, 1))
    for bad in ("2026-13", "2026-1", "26-01", "", "2026-00"):
        with pytest.raises(ValueError):
            c.parse_period(bad)
