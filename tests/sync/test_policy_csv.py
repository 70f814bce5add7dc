"""The warranty policy file (sync/policy_csv.py): every section read into the policy, yuan to
fen exactly, and every bad row named by line and column with nothing of the file kept."""

from __future__ import annotations

import codecs

import pytest

from app.domain.enums import OrderType
from app.domain.warranty_policy import MAX_FEE_FEN
from app.i18n import render
from app.services.warranty_policy import DEMO_POLICY_CSV
from sync import policy_csv
from sync.policy_csv import PolicyFileError, parse

HEADER = "section,category,key,value,name\n"
GOOD = HEADER + (
    "label,,,2026版三包政策,\n"
    "option,,invoice_required,是,\n"
    "category,空调,KFR-|kf-,12,\n"
    "category,冰箱,BCD-,12,\n"
    "key_part,空调,gr-cmp,72,压缩机\n"
    "labour,空调,repair,80.5,\n"
    "labour,*,repair,50,\n"
    "travel,,30,30.05,\n"
    "travel,,10,0,\n"
)


def problems(text: str, encoding: str = "utf-8") -> list[str]:
    with pytest.raises(PolicyFileError) as caught:
        parse(text.encode(encoding))
    return caught.value.lines()


def test_every_section_is_read_and_yuan_become_fen_exactly() -> None:
    policy = parse(codecs.BOM_UTF8 + GOOD.encode("utf-8"))
    assert policy.label == "2026版三包政策"
    assert policy.invoice_required is True
    assert [(c.name, c.model_prefixes, c.unit_months) for c in policy.categories] == [
        ("空调", ("KFR-", "KF-"), 12), ("冰箱", ("BCD-",), 12)]
    assert [(r.category, r.part_prefix, r.name, r.months) for r in policy.key_parts] == [
        ("空调", "GR-CMP", "压缩机", 72)]
    assert policy.labour_fee("KFR-35GW", OrderType.REPAIR) == 8050
    assert policy.labour_fee("BCD-470", OrderType.REPAIR) == 5000  # the * row
    assert [(b.up_to_km, b.fee_fen) for b in policy.travel] == [(10, 0), (30, 3005)]


def test_the_demo_policy_reads_and_names_the_demo_catalogue() -> None:
    policy = parse(DEMO_POLICY_CSV.encode("utf-8"))
    assert policy.category_for("KFR-35GW/BP3DN1Y").name == "空调"
    assert policy.category_for("XQG100-14B").name == "洗衣机"
    assert policy.key_part_for("BCD-470WDPG", "BX-0104-1113").months == 60
    assert policy.key_part_for("KFR-72LW/NhZbB1", "KT-0010-1072").name == "压缩机"


def test_text_is_kept_as_typed() -> None:
    policy = parse((HEADER + "label,,,三包（2026）,\ncategory,空调,KFR-,12,\n").encode())
    assert policy.label == "三包（2026）"


@pytest.mark.parametrize(("row", "expected"), [
    ("warranty,,,,", "Line 3, column section: Unknown section 'warranty'"),
    ("category,,KFR-,12,", "Line 3, column category: Category is required."),
    ("category,洗衣机,XQG||,12,", "Line 3, column key: List the model prefixes separated by |"),
    ("category,洗衣机,XQG 1,12,", "Line 3, column key: Model prefix XQG 1 may hold only"),
    ("category,洗衣机,XQG,241,", "Line 3, column value: Warranty months must be a whole number "
                                 "from 0 to 240."),
    ("category,洗衣机,XQG,1.5,", "Line 3, column value: Warranty months must be a whole"),
    ("key_part,空调,GR-CMP,72,", "Line 3, column name: Part name is required."),
    ("key_part,空调,,72,压缩机", "Line 3, column key: Part-number prefix is required."),
    ("labour,空调,fix,80,", "Line 3, column key: 'fix' is not an order type"),
    ("labour,空调,repair,80.123,", "Line 3, column value: '80.123' is not an amount in yuan"),
    ("labour,空调,repair,-5,", "Line 3, column value: '-5' is not an amount in yuan"),
    ("labour,空调,repair,,", "Line 3, column value: Fee is required."),
    ("labour,空调,repair,100000.01,", "Line 3, column value: Fee is more than 100000.00 yuan."),
    ("travel,,ten,10,", "Line 3, column key: Distance (km) must be a whole number from 0 to "
                        "10000."),
    ("travel,,10001,10,", "Line 3, column key: Distance (km) must be a whole number"),
    ("option,,free_parts,yes,", "Line 3, column key: Unknown option 'free_parts'"),
    ("option,,invoice_required,maybe,", "Line 3, column value: 'maybe' is not 是/否"),
    ("label,,,,", "Line 3, column value: Policy name is required."),
    ("label,,," + "名" * 65 + ",", "Line 3, column value: Policy name is too long"),
    ("labour,空调,repair,80,,extra", "Line 3: This row has 6 values but the header names 5"),
    ("key_part,热水器,RSQ-,96,内胆", "Line 3, column category: Category 热水器 has no "
                                    "category row in this file."),
    ("labour,热水器,repair,50,", "Line 3, column category: Category 热水器 has no category"),
])
def test_a_bad_row_is_named_by_line_and_column(row: str, expected: str) -> None:
    found = problems(HEADER + "category,空调,KFR-,12,\n" + row + "\n")
    assert len(found) == 1 and found[0].startswith(expected), found


@pytest.mark.parametrize(("rows", "expected"), [
    ("category,空调,KF-,24,", "Line 3, column category: Category 空调 is already on line 2."),
    ("category,柜机,KFR-,24,", "Line 3, column key: Model prefix KFR- is already on line 2."),
    ("key_part,空调,CMP,72,压缩机\nkey_part,空调,cmp,60,压缩机",
     "Line 4, column key: Key part CMP of 空调 is already on line 3."),
    ("labour,空调,repair,80,\nlabour,空调,repair,90,",
     "Line 4, column key: The labour fee for repair on 空调 is already on line 3."),
    ("travel,,10,5,\ntravel,,10,6,",
     "Line 4, column key: The travel band up to 10 km is already on line 3."),
    ("label,,,A,\nlabel,,,B,", "Line 4, column key: label is already on line 3."),
    ("option,,invoice_required,no,\noption,,invoice_required,yes,",
     "Line 4, column key: invoice_required is already on line 3."),
])
def test_duplicates_are_refused_with_the_first_line(rows: str, expected: str) -> None:
    found = problems(HEADER + "category,空调,KFR-,12,\n" + rows + "\n")
    assert found == [found[0]] and found[0].startswith(expected), found


def test_header_problems_and_empty_files() -> None:
    assert problems("") == ["Line 1: The file is empty; the first row must name the columns."]
    assert problems("section,key,value,colour\n")[0].startswith(
        "Line 1, column colour: Unknown column")
    assert problems("section,category,value\n") == [
        "Line 1, column key: The header lacks this column."]
    assert problems(HEADER) == [
        "Line 1: The policy names no product category (a row of section category)."]
    assert problems(HEADER + "travel,,10,5,\n") == [
        "Line 1: The policy names no product category (a row of section category)."]


def test_every_problem_of_a_file_is_listed_and_counted() -> None:
    rows = "".join(f"travel,,{km},x,\n" for km in range(30))
    with pytest.raises(PolicyFileError) as caught:
        parse((HEADER + "category,空调,KFR-,12,\n" + rows).encode())
    err = caught.value
    assert err.total == 30 and len(err.problems) == policy_csv.MAX_PROBLEMS
    assert err.lines()[-1] == "... and 10 more"
    assert "第 3 行「value」列" in render(err) and "30 处错误" in render(err)


def test_a_gbk_file_from_excel_reads() -> None:
    policy = parse(GOOD.replace("是", "否").encode("gbk"))
    assert policy.categories[0].name == "空调" and policy.invoice_required is False


def test_fee_limit_is_the_domains() -> None:
    fee = f"{MAX_FEE_FEN // 100}.00"
    policy = parse((HEADER + f"category,空调,KFR-,12,\nlabour,*,install,{fee},\n").encode())
    assert policy.labour_fee("KFR-1", OrderType.INSTALL) == MAX_FEE_FEN
