"""Every registered paper lays out any text the services accept, at any length up to each
field's limit: random mixes of common Chinese, CJK Extensions A and B, Latin, the trade's
symbols, markup characters and line breaks. Every page renders; the text comes back out of
the PDF in order, the rare characters exactly as often as they went in; no drawn character
lies over another or outside the page's frame.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from io import BytesIO

import pypdfium2 as pdfium
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app.domain import validation as v
from app.domain.enums import ChargeKind
from app.printing.data import SHEET_PAPERS, ChargeRow, OrderSheet, Paper, RepairNote, StationHeader
from app.printing.layout import SPECS
from app.printing.registry import documents
from app.services.customers import SERIAL_MAX
from tests.printing.helpers import page_texts, sample_sheet

CHARGE_DESCRIPTION_MAX = 200  # app.services.orders: _charge

SYMBOLS = "℃℉±×ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ①②③④⑤⑥⑦⑧⑨⑩āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
MARKUP = "<>&;\"'/=#[]{}()\\"
EXT_A = st.integers(0x3400, 0x4DB5).map(chr)
EXT_B = st.integers(0x20000, 0x2A6D6).map(chr)
RARE = st.one_of(EXT_A, EXT_B)
CHAR = st.one_of(
    st.integers(0x4E00, 0x9FA5).map(chr),  # the unified ideographs of GBK
    RARE,
    st.sampled_from(SYMBOLS + MARKUP),
    st.characters(min_codepoint=0x21, max_codepoint=0x7E),
    st.sampled_from("，。：；、（）¥"),
)


#: the longest stretch Hypothesis draws character by character; longer texts repeat a
#: drawn stretch (drawing thousands of characters one by one overran Hypothesis's buffer,
#: so the texts at their limit were seldom tried, and slowly)
PIECE = 60


def text(limit: int, lines: bool = False) -> st.SearchStrategy[str]:
    """Up to ``limit`` characters, often long, sometimes the whole limit; spaces (and line
    breaks) inside."""
    inner = st.one_of(CHAR, st.just(" "), *([st.just("\n")] if lines else []))
    piece = st.text(inner, min_size=1, max_size=min(limit, PIECE))

    def grown(drawn: tuple[str, int]) -> str:
        stretch, size = drawn
        return (stretch * (size // len(stretch) + 1))[:size]

    longer = st.tuples(piece, st.integers(1, limit)).map(grown).map(str.strip)
    whole = st.tuples(st.text(CHAR, min_size=1, max_size=min(limit, PIECE)),
                      st.just(limit)).map(grown)
    return st.one_of(piece.map(str.strip), longer, whole).filter(bool)


@st.composite
def sheets(draw) -> OrderSheet:
    return sample_sheet(
        station=StationHeader(draw(text(v.MAX_SHORT)), draw(text(v.MAX_ADDRESS)),
                              "010-62345678"),
        customer_name=draw(text(v.MAX_NAME)),
        address=draw(text(v.MAX_ADDRESS)),
        product_model=draw(text(v.MAX_SHORT)),
        serial_no=draw(text(SERIAL_MAX)),
        invoice_no=draw(text(v.MAX_SHORT)),
        fault=draw(text(v.MAX_TEXT, lines=True)),
        technician_name=draw(text(v.MAX_NAME)),
        hq_reference=draw(text(v.MAX_SHORT)),
        repairs=tuple(RepairNote(draw(text(v.MAX_NAME)), draw(text(v.MAX_TEXT, lines=True)),
                                 draw(text(v.MAX_TEXT, lines=True)), 30)
                      for _ in range(draw(st.integers(0, 2)))),
        charges=tuple(ChargeRow(ChargeKind.PARTS, draw(text(CHARGE_DESCRIPTION_MAX)), 1, 100)
                      for _ in range(draw(st.integers(0, 6)))),
    )


def longest() -> OrderSheet:
    """Every field at its limit with the widest characters."""
    wide = "䶮𠀀Ｗ"

    def full(limit: int) -> str:
        return (wide * limit)[:limit]

    return sample_sheet(
        station=StationHeader(full(v.MAX_SHORT), full(v.MAX_ADDRESS), "010-62345678"),
        customer_name=full(v.MAX_NAME), address=full(v.MAX_ADDRESS),
        product_model=full(v.MAX_SHORT), serial_no=full(SERIAL_MAX),
        invoice_no=full(v.MAX_SHORT), fault=full(v.MAX_TEXT),
        technician_name=full(v.MAX_NAME), hq_reference=full(v.MAX_SHORT),
        repairs=(RepairNote(full(v.MAX_NAME), full(v.MAX_TEXT), full(v.MAX_TEXT), 30),),
        charges=(ChargeRow(ChargeKind.PARTS, full(CHARGE_DESCRIPTION_MAX), 1, 100),),
    )


def printed_values(name: str, sheet: OrderSheet) -> list[str]:
    """The user texts ``name`` prints once (the work order has no repairs or charges); the
    letterhead's are on every page."""
    values = [sheet.customer_name, sheet.address,
              sheet.product_model, sheet.serial_no, sheet.invoice_no, sheet.fault,
              sheet.hq_reference]
    if name == "report":
        values += [r.diagnosis for r in sheet.repairs] + [r.actions for r in sheet.repairs]
        values += [c.description for c in sheet.charges]
        values += [r.technician_name for r in sheet.repairs] or [sheet.technician_name]
    else:
        values.append(sheet.technician_name)
    return values


def _squash(value: str) -> str:
    return re.sub(r"\s+", "", value)


def _is_subsequence(needle: str, haystack: str) -> bool:
    chars = iter(haystack)
    return all(c in chars for c in needle)


def _rare(value: str) -> Counter[str]:
    return Counter(c for c in value if 0x3400 <= ord(c) <= 0x4DBF or ord(c) >= 0x20000)


def drawn_boxes(pdf: bytes) -> list[list[tuple[float, float, float, float, str, int]]]:
    """Per page, the tight box pdfium reports for every drawn (non-space) character, with the
    character's place in the page's text."""
    document = pdfium.PdfDocument(pdf)
    pages = []
    try:
        for page in document:
            page.render(scale=0.2)  # every page renders
            textpage = page.get_textpage()
            boxes = []
            for i in range(textpage.count_chars()):
                char = textpage.get_text_range(i, 1)
                if not char.strip():
                    continue
                left, bottom, right, top = textpage.get_charbox(i)
                if right - left > 0.05 and top - bottom > 0.05:
                    boxes.append((left, bottom, right, top, char, i))
            pages.append(boxes)
    finally:
        document.close()
    return pages


def overlaps(boxes: list[tuple[float, float, float, float, str, int]]) -> list[str]:
    """Pairs of characters whose ink boxes cover each other by more than a quarter (two
    neighbours in the text may touch: a J's hook reaches under the K before it)."""
    grid: dict[tuple[int, int], list[int]] = {}
    found = []
    for index, (left, bottom, right, top, _c, place) in enumerate(boxes):
        cells = {(int(x // 6), int(y // 6)) for x in (left, right) for y in (bottom, top)}
        near = {j for cell in cells for j in grid.get(cell, ())}
        for j in near:
            l2, b2, r2, t2, c2, place2 = boxes[j]
            if abs(place - place2) == 1:
                continue
            w = min(right, r2) - max(left, l2)
            h = min(top, t2) - max(bottom, b2)
            if w > 0 and h > 0:
                smaller = min((right - left) * (top - bottom), (r2 - l2) * (t2 - b2))
                if w * h > 0.25 * smaller:
                    found.append(f"{boxes[index][4]!r}@({left:.0f},{bottom:.0f}) over {c2!r}")
        for cell in cells:
            grid.setdefault(cell, []).append(index)
    return found


def check_layout(name: str, paper: Paper, sheet: OrderSheet) -> None:
    buffer = BytesIO()
    documents()[name].render(sheet, paper, buffer)
    check_pdf(buffer.getvalue(), paper, printed_values(name, sheet),
              [sheet.station.name, sheet.station.address])


def check_pdf(pdf: bytes, paper: Paper, values: list[str], letterhead: list[str],
              margin: float | None = None) -> None:
    """``values`` each come out once and in order, ``letterhead`` on every page; no drawn
    character lies over another or outside the page less ``margin`` (the paper's margin)."""
    pages = page_texts(pdf)
    extracted = _squash("".join(pages))
    for value in values:
        assert _is_subsequence(_squash(value), extracted), f"lost part of {value[:40]!r}"
    for page in pages:
        for value in letterhead:
            assert _is_subsequence(_squash(value), _squash(page)), f"lost {value[:40]!r}"
    expected = sum((_rare(value) for value in values + letterhead * len(pages)), Counter())
    got = _rare(extracted)
    assert {c: got[c] for c in expected} == dict(expected), "a rare character lost or doubled"
    spec = SPECS[paper]
    edge = spec.margin if margin is None else margin
    for number, boxes in enumerate(drawn_boxes(pdf), start=1):
        assert boxes, f"page {number} draws nothing"
        width, height = pdfium.PdfDocument(pdf)[number - 1].get_size()
        outside = [c for left, bottom, right, top, c, _place in boxes
                   if left < edge - 1 or right > width - edge + 1
                   or bottom < edge - 3 or top > height - edge + 3]
        assert not outside, f"page {number}: drawn outside the frame: {outside[:5]}"
        clashes = overlaps(boxes)
        assert not clashes, f"page {number}: characters drawn over others: {clashes[:5]}"


CASES = [(name, paper) for name, spec in documents().items() if spec.subject == "order"
         for paper in spec.papers]


@pytest.mark.parametrize("name, paper", CASES)
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                HealthCheck.data_too_large])
@given(sheet=sheets())
@example(sheet=longest())
def test_any_accepted_text_lays_out_whole(name: str, paper: Paper, sheet: OrderSheet) -> None:
    check_layout(name, paper, sheet)


@pytest.mark.parametrize("paper", list(SHEET_PAPERS))
def test_three_long_texts_do_not_overlap_each_other_or_the_letterhead(paper: Paper) -> None:
    """The case the issue reported: 600 characters each in 故障描述, 故障诊断 and 维修措施."""
    sheet = sample_sheet(fault="故障描述的文字" * 86, repairs=(
        RepairNote("王师傅", "故障诊断的文字" * 86, "维修措施的文字" * 86, 30),))
    check_layout("report", paper, sheet)
    long_fault = replace(sheet, fault=("压缩机运转时有异响，" * 400)[:4000])
    check_layout("report", paper, long_fault)
    check_layout("work-order", paper, long_fault)
