"""The station's logo and stamp on the papers (issue 13, item 3): the logo beside the name on
every page of every paper, the stamp in the 盖章 box of the papers that have one, each inside
the page and under no text; a station without images prints no image at all."""

from __future__ import annotations

import dataclasses
from io import BytesIO

import pytest
from hypothesis import HealthCheck, example, given, settings
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ContentStream

from app.printing.data import Paper, StationHeader
from app.printing.registry import documents
from tests.printing.helpers import STATION_NAME, page_texts, sample_for, unembedded_fonts
from tests.printing.test_any_length import check_pdf, longest, printed_values, sheets
from tests.printing.test_claim_papers import LONGEST as CLAIM_LONGEST
from tests.printing.test_claim_papers import _values as claim_values
from tests.printing.test_claim_papers import claim_sheets

#: the papers with a 盖章 (station stamp) box
STAMPED = {"report", "claim-batch", "settlement"}
#: label sheets: no letterhead, so no logo
LABELS = {"old-part-tags"}


def picture(size: tuple[int, int], fmt: str, colour: tuple[int, ...]) -> bytes:
    buffer = BytesIO()
    Image.new("RGBA" if fmt == "PNG" else "RGB", size, colour).save(buffer, fmt)
    return buffer.getvalue()


LOGO = picture((240, 80), "PNG", (200, 20, 20, 255))
STAMP = picture((300, 300), "JPEG", (220, 0, 0))


def render(name: str, station: StationHeader, paper: Paper | None = None) -> bytes:
    spec = documents()[name]
    sheet = sample_for(spec.subject)
    sheet = dataclasses.replace(sheet, station=station)
    buffer = BytesIO()
    spec.render(sheet, paper or spec.papers[0], buffer)
    return buffer.getvalue()


def _multiply(a: list[float], b: list[float]) -> list[float]:
    return [a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3],
            a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3],
            a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5]]


def placed_images(pdf: bytes) -> list[list[tuple[str, tuple[float, float, float, float]]]]:
    """Per page, each image drawn: (its digest of pixels' size, (x0, y0, x1, y1))."""
    reader = PdfReader(BytesIO(pdf))
    pages = []
    for page in reader.pages:
        xobjects = page["/Resources"].get("/XObject", {})
        ctm, stack, found = [1.0, 0, 0, 1.0, 0, 0], [], []
        for operands, op in ContentStream(page.get_contents(), reader).operations:
            if op == b"q":
                stack.append(ctm)
            elif op == b"Q":
                ctm = stack.pop()
            elif op == b"cm":
                ctm = _multiply([float(x) for x in operands], ctm)
            elif op == b"Do":
                xobject = xobjects[operands[0]].get_object()
                if xobject.get("/Subtype") == "/Image":
                    size = f"{xobject['/Width']}x{xobject['/Height']}"
                    x0, y0 = ctm[4], ctm[5]
                    found.append((size, (x0, y0, x0 + ctm[0], y0 + ctm[3])))
        pages.append(found)
    return pages


def text_origins(pdf: bytes) -> list[list[tuple[float, float]]]:
    out = []
    for page in PdfReader(BytesIO(pdf)).pages:
        points: list[tuple[float, float]] = []

        def visit(text, cm, tm, _font, _size, points=points):
            if text.strip():
                m = _multiply(tm, cm)
                points.append((m[4], m[5]))

        page.extract_text(visitor_text=visit)
        out.append(points)
    return out


STATION = StationHeader(STATION_NAME, "北京市海淀区中关村大街1号", "010-62345678", LOGO, STAMP)


@pytest.mark.parametrize("name", sorted(set(documents()) - LABELS))
def test_every_paper_draws_the_logo_on_every_page_and_the_stamp_in_its_box(name: str) -> None:
    pdf = render(name, STATION)
    pages = placed_images(pdf)
    width, height = (float(v) for v in PdfReader(BytesIO(pdf)).pages[0].mediabox[2:])
    stamp_pages = 0
    for images, origins in zip(pages, text_origins(pdf), strict=True):
        sizes = [size for size, _box in images]
        assert sizes.count("240x80") == 1, sizes  # the logo, once on each page
        stamp_pages += sizes.count("300x300")
        for _size, (x0, y0, x1, y1) in images:
            assert 0 <= x0 < x1 <= width and 0 <= y0 < y1 <= height
            # kept in proportion
            assert (x1 - x0) / (y1 - y0) == pytest.approx(3.0 if _size == "240x80" else 1.0,
                                                          rel=0.01)
            inside = [(x, y) for x, y in origins if x0 + 0.5 < x < x1 - 0.5
                      and y0 + 0.5 < y < y1 - 0.5]
            assert not inside, f"text drawn over the image at {inside}"
    assert stamp_pages == (1 if name in STAMPED else 0)
    assert "".join("".join(page_texts(pdf)).split()).count(STATION_NAME) >= 1
    assert not unembedded_fonts(pdf)


@pytest.mark.parametrize("name", sorted(STAMPED))
def test_the_stamp_sits_in_the_box_beside_its_label(name: str) -> None:
    pdf = render(name, STATION)
    pages = placed_images(pdf)
    page = next(i for i, images in enumerate(pages) if any(s == "300x300" for s, _ in images))
    (x0, y0, x1, y1), = [box for s, box in pages[page] if s == "300x300"]
    # the 盖章 label is the text nearest left of the stamp, on the same band of the page
    reader = PdfReader(BytesIO(pdf))
    labels: list[tuple[float, float]] = []

    def visit(text, cm, tm, _font, _size):
        if "盖章" in text:
            m = _multiply(tm, cm)
            labels.append((m[4], m[5]))

    reader.pages[page].extract_text(visitor_text=visit)
    assert any(x < x0 and y0 - 30 < y < y1 + 30 for x, y in labels), labels


@pytest.mark.parametrize("name", sorted(documents()))
def test_a_station_without_images_prints_none(name: str) -> None:
    plain = StationHeader(STATION_NAME, "北京市海淀区中关村大街1号", "010-62345678")
    assert all(not images for images in placed_images(render(name, plain)))


@pytest.mark.parametrize("paper", [Paper.A4, Paper.A5])
def test_the_logo_moves_the_name_right_of_it(paper: Paper) -> None:
    pdf = render("report", STATION, paper)
    (_size, (x0, y0, x1, y1)), = [i for i in placed_images(pdf)[0] if i[0] == "240x80"]
    reader = PdfReader(BytesIO(pdf))
    names: list[float] = []

    def visit(text, cm, tm, _font, _size):
        if STATION_NAME in text:
            names.append(_multiply(tm, cm)[4])

    reader.pages[0].extract_text(visitor_text=visit)
    assert names and all(x >= x1 for x in names)


@pytest.mark.parametrize("paper", [Paper.A4, Paper.A5])
def test_the_longest_letterhead_stays_right_of_the_logo_and_inside_the_page(paper: Paper) -> None:
    """The longest name and address the service takes, beside a logo: every line of the
    letterhead starts right of it, and none runs past the page's right margin."""
    station = StationHeader("维" * 64, "北京市海淀区" * 33 + "一号", "010-62345678", LOGO)
    pdf = render("report", station, paper)
    (_size, (x0, y0, x1, y1)), = [i for i in placed_images(pdf)[0] if i[0] == "240x80"]
    reader = PdfReader(BytesIO(pdf))
    width = float(reader.pages[0].mediabox[2])
    starts: list[tuple[float, float]] = []

    def visit(text, cm, tm, _font, size):
        if text.strip() and ("维" in text or "海淀" in text):
            m = _multiply(tm, cm)
            starts.append((m[4], m[5]))

    reader.pages[0].extract_text(visitor_text=visit)
    band = [(x, y) for x, y in starts if y >= y0 - 2]
    assert band and all(x >= x1 for x, _y in band)
    text = "".join("".join(page_texts(pdf)).split())
    assert "维" * 64 in text and "北京市海淀区" * 33 + "一号" in text
    assert not unembedded_fonts(pdf)
    assert all(x < width for x, _y in starts)


# -- any accepted text beside the images (the hypothesis layout checks, images added) ---------

def _with_images(sheet):
    station = dataclasses.replace(sheet.station, logo=LOGO, stamp=STAMP)
    return dataclasses.replace(sheet, station=station)


def _no_ink_on_images(pdf: bytes) -> None:
    """No drawn character's box reaches into a logo or stamp."""
    from tests.printing.test_any_length import drawn_boxes

    for number, (images, boxes) in enumerate(zip(placed_images(pdf), drawn_boxes(pdf),
                                                 strict=True), start=1):
        assert images, f"page {number} has no logo"
        for _size, (x0, y0, x1, y1) in images:
            under = [c for left, bottom, right, top, c, _place in boxes
                     if left < x1 - 0.5 and right > x0 + 0.5 and bottom < y1 - 0.5
                     and top > y0 + 0.5]
            assert not under, f"page {number}: characters over an image: {under[:5]}"


ORDER_CASES = [(name, paper) for name, spec in documents().items() if spec.subject == "order"
               for paper in spec.papers]
SLOW = settings(max_examples=2, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.mark.parametrize("name, paper", ORDER_CASES)
@SLOW
@given(sheet=sheets())
@example(sheet=longest())
def test_any_accepted_order_text_lays_out_whole_beside_the_images(name: str, paper: Paper,
                                                                   sheet) -> None:
    sheet = _with_images(sheet)
    buffer = BytesIO()
    documents()[name].render(sheet, paper, buffer)
    check_pdf(buffer.getvalue(), paper, printed_values(name, sheet),
              [sheet.station.name, sheet.station.address])
    _no_ink_on_images(buffer.getvalue())


@pytest.mark.parametrize("name", ["claim-batch", "settlement"])
@SLOW
@given(sheet=claim_sheets())
@example(sheet=CLAIM_LONGEST)
def test_any_accepted_claim_text_lays_out_whole_beside_the_images(name: str, sheet) -> None:
    sheet = _with_images(sheet)
    buffer = BytesIO()
    documents()[name].render(sheet, Paper.A4, buffer)
    check_pdf(buffer.getvalue(), Paper.A4, claim_values(name, sheet),
              [sheet.station.name, sheet.station.address])
    _no_ink_on_images(buffer.getvalue())
