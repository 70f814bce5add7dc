"""The 售后服务维修单 carries the customer's signature taken on screen (issue 16 item 4): the
stored PNG drawn in the 客户签字 box (an image XObject whose pixels are the stored ones) with
the signer's name and time, under no text; a reopened (voided) signature prints an empty box
for signing on paper."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from io import BytesIO

from PIL import Image
from pypdf import PdfReader

from app.printing.data import Paper, SignatureMark
from app.printing.repair_report import render
from tests.printing.helpers import page_texts, sample_sheet, unembedded_fonts
from tests.printing.test_any_length import check_pdf
from tests.printing.test_letterhead_images import placed_images, text_origins
from tests.services.signature_helpers import drawn
from tests.services.test_signatures import _working


def _images(pdf: bytes) -> list[Image.Image]:
    return [img.image for page in PdfReader(BytesIO(pdf)).pages for img in page.images]


def _same_pixels(a: Image.Image, png: bytes) -> bool:
    want = Image.open(BytesIO(png)).convert("RGB")
    return a.size == want.size and a.convert("RGB").tobytes() == want.tobytes()


def test_the_report_draws_the_stored_signature_with_name_and_time(services, station) -> None:
    order = _working(services, station)
    image = drawn()
    services.signatures.sign(station["tech"], order.id, "李雷", image)
    pdf = services.reports.build("report", order.id)
    assert any(_same_pixels(img, image) for img in _images(pdf))
    text = "".join(page_texts(pdf))
    assert "李雷 于 2026-06-01" in text and "在屏幕上签字" in text
    assert not unembedded_fonts(pdf)
    services.signatures.reopen(station["manager"], order.id, "客户要求加项")
    assert not _images(services.reports.build("report", order.id))  # sign on paper


def test_the_signature_sits_in_its_box_under_no_text_on_both_papers() -> None:
    image = drawn()
    name = "欧阳" * 20  # the longest signer's name the service takes
    sheet = dataclasses.replace(sample_sheet(), signature=SignatureMark(
        image, name, datetime(2026, 6, 1, 7, 5, tzinfo=UTC)))
    for paper in (Paper.A4, Paper.A5):
        out = BytesIO()
        render(sheet, paper, out)
        pdf = out.getvalue()
        check_pdf(pdf, paper, [name], [])
        width, height = (float(v) for v in PdfReader(BytesIO(pdf)).pages[0].mediabox[2:])
        found = 0
        for images, origins in zip(placed_images(pdf), text_origins(pdf), strict=True):
            for size, (x0, y0, x1, y1) in images:
                if size != "480x160":
                    continue
                found += 1
                assert 0 <= x0 < x1 <= width and 0 <= y0 < y1 <= height
                assert abs((x1 - x0) / (y1 - y0) - 3.0) < 0.01  # kept in proportion
                assert not [p for p in origins if x0 < p[0] < x1 and y0 < p[1] < y1]
        assert found == 1
