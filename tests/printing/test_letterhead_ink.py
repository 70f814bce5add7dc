"""A station name whose first letter's ink reaches left of its advance (the hook of a J)
stays inside the frame on every sheet paper: hypothesis found it crossing the margin."""

from __future__ import annotations

from io import BytesIO

import pypdfium2 as pdfium
import pytest

from app.printing.data import Paper, StationHeader
from app.printing.layout import SPECS
from app.printing.registry import documents
from tests.printing.helpers import sample_for
from tests.printing.test_any_length import drawn_boxes

HOOKED = StationHeader("J廂江苏 Jiangsu 维修站", "一一", "010-62345678")
CASES = [(name, paper) for name, spec in documents().items() for paper in spec.papers
         if paper is not Paper.ROLL80]


@pytest.mark.parametrize(("name", "paper"), CASES)
def test_a_hooked_first_letter_stays_inside_the_margin(name: str, paper: Paper) -> None:
    spec = documents()[name]
    buffer = BytesIO()
    spec.render(sample_for(spec.subject, station=HOOKED), paper, buffer)
    pdf = buffer.getvalue()
    edge = SPECS[paper].margin
    width = pdfium.PdfDocument(pdf)[0].get_size()[0]
    boxes = drawn_boxes(pdf)[0]
    assert any(c == "J" for *_box, c, _place in boxes)
    assert not [c for left, _b, right, _t, c, _p in boxes if left < edge - 1
                or right > width - edge + 1]
