"""The printed satisfaction boxes follow the return visit's scale: four aspects, each with
five boxes 1..5; the recorded scores are the ticked boxes (read back from the PDF's text),
all blank before the visit; the ballot-box glyphs come from an embedded font; the visit's
comments print in their box at any length."""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

import pytest

from app.domain.visits import ASPECT_LABELS, MAX_COMMENTS
from app.i18n import tr
from app.printing.data import Paper
from app.printing.glyphs import face_for
from app.printing.order_blocks import EMPTY, TICKED
from app.printing.registry import documents
from tests.printing.helpers import ink_share, page_texts, sample_sheet, unembedded_fonts
from tests.printing.test_any_length import check_pdf
from tests.services.test_visits import completed

PAPERS = [(name, paper) for name in ("report", "work-order") for paper in (Paper.A4, Paper.A5)]


def render(name: str, paper: Paper, sheet) -> bytes:
    out = BytesIO()
    documents()[name].render(sheet, paper, out)
    return out.getvalue()


def ticked(text: str) -> list[int | None]:
    """Per aspect (in asking order), the score whose box is ticked; None when none is."""
    flat = re.sub(r"\s+", "", text)
    found: list[int | None] = []
    for source in ASPECT_LABELS.values():
        at = flat.index(tr(source))
        boxes = [c for c in flat[at:] if c in (TICKED, EMPTY)][:5]
        assert len(boxes) == 5, f"{source}: {boxes}"
        marks = [i + 1 for i, c in enumerate(boxes) if c == TICKED]
        assert len(marks) <= 1
        found.append(marks[0] if marks else None)
    return found


def test_the_box_glyphs_are_drawn_by_an_embedded_font() -> None:
    assert face_for(TICKED) is not None and face_for(EMPTY) is not None


@pytest.mark.parametrize(("name", "paper"), PAPERS)
def test_recorded_scores_are_the_ticked_boxes(name: str, paper: Paper, tmp_path: Path) -> None:
    pdf = render(name, paper, sample_sheet(visit_scores=(5, 4, 2, 1)))
    text = "".join(page_texts(pdf))
    if name == "report":
        assert ticked(text) == [5, 4, 2, 1]
        assert text.count(TICKED) == 4  # one per aspect (the warranty boxes are drawn)
    else:  # the work order is printed before the visit: the customer ticks by hand
        assert ticked(text) == [None] * 4
    assert unembedded_fonts(pdf) == []
    path = tmp_path / "paper.pdf"
    path.write_bytes(pdf)
    assert ink_share(path) > 0.01


@pytest.mark.parametrize("paper", [Paper.A4, Paper.A5])
def test_before_the_visit_every_box_is_blank(paper: Paper) -> None:
    text = "".join(page_texts(render("report", paper, sample_sheet(visit_scores=None))))
    assert ticked(text) == [None] * 4
    assert text.count(EMPTY) == 20


@pytest.mark.parametrize("paper", [Paper.A4, Paper.A5])
def test_every_score_ticks_its_own_box(paper: Paper) -> None:
    for score in range(1, 6):
        pdf = render("report", paper, sample_sheet(visit_scores=(score,) * 4))
        assert ticked("".join(page_texts(pdf))) == [score] * 4


@pytest.mark.parametrize("paper", [Paper.A4, Paper.A5])
def test_long_visit_comments_stay_in_their_box(paper: Paper) -> None:
    comments = ("客户说修完两天又不制冷，希望尽快上门。䶮𠀀Ｗ" * 200)[:MAX_COMMENTS]
    sheet = sample_sheet(visit_scores=(2, 3, 1, 2), visit_comments=comments)
    pdf = render("report", paper, sheet)
    check_pdf(pdf, paper, [sheet.fault, comments], [sheet.station.name])
    assert ticked("".join(page_texts(pdf))) == [2, 3, 1, 2]


def test_the_report_of_a_visited_order_ticks_what_the_clerk_recorded(
        services, station, clock) -> None:
    order = completed(services, station, clock)
    before = "".join(page_texts(services.reports.build("report", order.number)))
    assert ticked(before) == [None] * 4
    services.visits.record_visit(station["clerk"], order.id,
                                 {"speed": 3, "attitude": 5, "quality": 4, "price": 2},
                                 "收费偏高")
    after = "".join(page_texts(services.reports.build("report", order.number)))
    assert ticked(after) == [3, 5, 4, 2]
    assert "收费偏高" in after
