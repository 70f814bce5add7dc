"""The warranty policy's rules (app/domain/warranty_policy.py): the longest model prefix
wins, a key part can be covered while the unit is not, 29 February, invoice_required,
the travel bands' edges and the labour fee falling back to every category."""

from __future__ import annotations

from datetime import date

from app.domain.enums import OrderType, WarrantyStatus
from app.domain.warranty_policy import (
    NO_POLICY,
    Category,
    CoverageBasis,
    CoverageReason,
    KeyPartRule,
    LabourFee,
    TravelBand,
    WarrantyPolicy,
    part_coverage,
    unit_coverage,
)

POLICY = WarrantyPolicy(
    label="t",
    categories=(Category("空调", ("KF",), 12), Category("柜机", ("KFR-72",), 24),
                Category("冰箱", ("BCD-",), 12)),
    key_parts=(KeyPartRule("空调", "KT-0010-", "压缩机", 72),
               KeyPartRule("空调", "KT-0010-10", "变频压缩机", 84),
               KeyPartRule("冰箱", "BX-0104-", "压缩机", 60)),
    labour=(LabourFee("空调", OrderType.REPAIR, 8000), LabourFee("*", OrderType.REPAIR, 5000),
            LabourFee("*", OrderType.INSTALL, 6000)),
    travel=(TravelBand(30, 3000), TravelBand(10, 2000), TravelBand(50, 5000)),
)


def test_the_longest_model_prefix_wins() -> None:
    assert POLICY.category_for("KFR-72LW/NhZbB1").name == "柜机"
    assert POLICY.category_for("kfr-35gw").name == "空调"
    assert POLICY.category_for("XQG100") is None
    assert POLICY.key_part_for("KFR-35GW", "KT-0010-1035").name == "变频压缩机"
    assert POLICY.key_part_for("KFR-35GW", "KT-0010-2035").name == "压缩机"
    # a key part belongs to its category: a fridge's compressor rule says nothing of an AC's
    assert POLICY.key_part_for("KFR-72LW", "KT-0010-1072") is None  # 柜机 has no rule
    assert POLICY.key_part_for("BCD-470", "KT-0010-1035") is None


def test_a_key_part_is_covered_while_the_unit_is_not() -> None:
    bought, on = date(2024, 3, 1), date(2026, 3, 1)
    unit = unit_coverage(POLICY, "KFR-35GW", bought, "FP1", 36, on)
    assert unit.status is WarrantyStatus.OUT_OF_WARRANTY
    assert unit.reason is CoverageReason.PERIOD_ENDED and unit.ends_on == date(2025, 2, 28)
    assert unit.rule == "空调" and unit.months == 12  # the policy, not the product's 36
    part = part_coverage(POLICY, "KFR-35GW", "KT-0010-1035", None, bought, "FP1", 36, on)
    assert part.status is WarrantyStatus.IN_WARRANTY and part.basis is CoverageBasis.PART
    assert (part.months, part.rule, part.ends_on) == (84, "变频压缩机", date(2031, 2, 28))
    # no rule: the catalogue's months, then the unit's
    board = part_coverage(POLICY, "KFR-35GW", "KT-3001-3501", 36, bought, "FP1", 36, on)
    assert board.status is WarrantyStatus.IN_WARRANTY and board.months == 36
    plain = part_coverage(POLICY, "KFR-35GW", "KT-3001-3501", None, bought, "FP1", 36, on)
    assert plain.basis is CoverageBasis.UNIT and plain.status is WarrantyStatus.OUT_OF_WARRANTY


def test_a_purchase_on_29_february_is_covered_to_28_february() -> None:
    bought = date(2024, 2, 29)
    last = unit_coverage(POLICY, "BCD-470", bought, "FP1", 12, date(2025, 2, 28))
    assert last.status is WarrantyStatus.IN_WARRANTY and last.ends_on == date(2025, 2, 28)
    after = unit_coverage(POLICY, "BCD-470", bought, "FP1", 12, date(2025, 3, 1))
    assert after.status is WarrantyStatus.OUT_OF_WARRANTY
    leap = part_coverage(POLICY, "BCD-470", "BX-0104-1", None, bought, "FP1", 12,
                         date(2029, 2, 28))
    assert leap.ends_on == date(2029, 2, 28) and leap.status is WarrantyStatus.IN_WARRANTY


def test_invoice_required_puts_a_unit_without_invoice_out_of_warranty() -> None:
    strict = WarrantyPolicy(categories=POLICY.categories, key_parts=POLICY.key_parts,
                            invoice_required=True)
    on, bought = date(2026, 1, 10), date(2025, 6, 1)
    refused = unit_coverage(strict, "KFR-35GW", bought, "  ", 12, on)
    assert refused.status is WarrantyStatus.OUT_OF_WARRANTY
    assert refused.reason is CoverageReason.NO_INVOICE and refused.no_invoice
    part = part_coverage(strict, "KFR-35GW", "KT-0010-1035", None, bought, "", 12, on)
    assert part.reason is CoverageReason.NO_INVOICE
    lenient = unit_coverage(POLICY, "KFR-35GW", bought, "", 12, on)
    assert lenient.status is WarrantyStatus.IN_WARRANTY and lenient.no_invoice
    with_invoice = unit_coverage(strict, "KFR-35GW", bought, "FP1", 12, on)
    assert with_invoice.status is WarrantyStatus.IN_WARRANTY and not with_invoice.no_invoice


def test_no_purchase_date_and_a_service_before_purchase() -> None:
    unknown = unit_coverage(POLICY, "KFR-35GW", None, "FP1", 12, date(2026, 1, 1))
    assert unknown.status is WarrantyStatus.UNKNOWN
    assert unknown.reason is CoverageReason.NO_PURCHASE_DATE
    early = unit_coverage(POLICY, "KFR-35GW", date(2026, 2, 1), "FP1", 12, date(2026, 1, 1))
    assert early.reason is CoverageReason.BEFORE_PURCHASE


def test_without_a_policy_the_products_own_months_apply() -> None:
    c = unit_coverage(NO_POLICY, "KFR-35GW", date(2024, 3, 1), "FP1", 36, date(2026, 3, 1))
    assert c.status is WarrantyStatus.IN_WARRANTY and c.months == 36 and c.rule == ""


def test_travel_band_edges() -> None:
    assert [POLICY.travel_fee(km) for km in (0, 10, 11, 30, 31, 50)] == [
        2000, 2000, 3000, 3000, 5000, 5000]
    assert POLICY.travel_fee(51) is None and POLICY.travel_fee(None) is None
    assert NO_POLICY.travel_fee(1) is None


def test_labour_fee_falls_back_to_every_category() -> None:
    assert POLICY.labour_fee("KFR-35GW", OrderType.REPAIR) == 8000
    assert POLICY.labour_fee("KFR-72LW", OrderType.REPAIR) == 5000  # 柜机: the * row
    assert POLICY.labour_fee("XQG100", OrderType.REPAIR) == 5000  # no category at all
    assert POLICY.labour_fee("KFR-35GW", OrderType.INSTALL) == 6000
    assert POLICY.labour_fee("KFR-35GW", OrderType.MAINTENANCE) is None


def test_the_document_round_trips() -> None:
    assert WarrantyPolicy.from_payload(POLICY.to_payload()) == POLICY
