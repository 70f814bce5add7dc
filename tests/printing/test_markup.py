"""User text is data, not markup: names, addresses, faults and charge lines that look like
reportlab markup print exactly as typed, and nothing is read from disk or fetched."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.domain.enums import ChargeKind
from app.printing.data import SHEET_PAPERS, ChargeRow, Paper
from app.printing.registry import documents
from app.services.orders import ChargeInput
from tests.printing.helpers import page_texts, repaired_order, sample_for, sample_sheet

IMG = '<img src="/etc/hostname">'
HOSTILE = {
    "customer_name": "<b>",
    "address": IMG,
    "fault": "0.1 <A <0.9",
    "serial_no": "&amp;",
    "product_model": "<font size=40>X</font>",
}


def _no_images(pdf: bytes) -> bool:
    for page in PdfReader(BytesIO(pdf)).pages:
        xobjects = page["/Resources"].get_object().get("/XObject")
        for ref in (xobjects.get_object().values() if xobjects else []):
            if ref.get_object().get("/Subtype") == "/Image":
                return False
    return True


def _hostname() -> str:
    path = Path("/etc/hostname")
    return path.read_text().strip() if path.exists() else ""


@pytest.mark.parametrize("name", [n for n, d in documents().items() if d.subject == "order"])
@pytest.mark.parametrize("paper", list(SHEET_PAPERS))
def test_markup_like_values_print_verbatim(name: str, paper: Paper) -> None:
    sheet = sample_sheet(**HOSTILE, charges=(ChargeRow(ChargeKind.OTHER, "&amp; <b>bold</b>", 1,
                                                       100),))
    buffer = BytesIO()
    documents()[name].render(sheet, paper, buffer)
    pdf = buffer.getvalue()
    text = "\n".join(page_texts(pdf))
    for value in HOSTILE.values():
        assert value in text, value
    if name == "report":
        assert "&amp; <b>bold</b>" in text
    assert _no_images(pdf)
    hostname = _hostname()
    if len(hostname) >= 4:
        assert hostname not in text


def _hostile_parts_sheet(subject: str):
    from app.printing.data import CountLine, OldPartLabel, SaleLine

    if subject == "sale":
        return sample_for("sale", customer_name="<b>", voided=True, void_reason="&amp;",
                          lines=(SaleLine("<i>", IMG, 1, 100),))
    if subject == "count":
        return sample_for("count", lines=(CountLine("<b>", "<i>", IMG, "&amp;", 1, 1, 100),))
    if subject == "recovery_key":  # only the station's own words are typed
        from app.printing.data import StationHeader

        return sample_for(subject, station_code="<b>",
                          station=StationHeader(IMG, "<i>", "&amp;"))
    if subject == "customer":
        return sample_for(subject, name="<b>", notes=IMG, address="&amp;",
                          phones=("<i>",))
    if subject == "route":
        from dataclasses import replace

        from app.printing.route_sheet import RoutePart

        visit = sample_for(subject).visits[0]
        return sample_for(subject, technician="<b>", visits=(replace(
            visit, customer_name="<i>", fault=IMG, address="&amp;",
            parts=(RoutePart("<b>", IMG, 1),)),))
    if subject == "feedback":
        return sample_for("feedback", product_model="<b>", fault_phenomenon=IMG,
                          customer_opinion="&amp;", faulty_part="<i>")
    if subject in ("claim_batch", "claim_settlement"):
        from dataclasses import replace

        from app.printing.claim_batch import ClaimOverrideNote

        first = sample_for(subject).lines[0]
        return sample_for(subject, lines=(replace(
            first, customer_name="<b>", description=IMG, decision_reason="<i>",
            overrides=(ClaimOverrideNote("repeat_repair", "&amp;", "boss"),)),))
    if subject == "statistics":
        from dataclasses import replace

        table = sample_for(subject).tables[0]
        return sample_for(subject, facts=(("<b>", IMG),), tables=(replace(
            table, title="&amp;", rows=(("<i>", "1", "2", "3%"),), totals=None),))
    return sample_for("shipment", carrier=IMG, created_by="<b>", parts=(OldPartLabel(
        "OP-BJ001-20260601-0001", "<i>", "<font size=40>X</font>", "SO-BJ001-20260601-0001",
        None, "&amp;"),))


@pytest.mark.parametrize("name", [n for n, d in documents().items() if d.subject != "order"])
def test_markup_like_values_on_the_parts_papers_print_verbatim(name: str) -> None:
    spec = documents()[name]
    buffer = BytesIO()
    spec.render(_hostile_parts_sheet(spec.subject), spec.papers[0], buffer)
    pdf = buffer.getvalue()
    text = "".join("\n".join(page_texts(pdf)).split())
    for value in {"sale": ("<b>", IMG, "&amp;", "<i>"), "count": ("<b>", IMG, "&amp;", "<i>"),
                  "shipment": ("<i>", "<fontsize=40>X</font>", "&amp;"),
                  "feedback": ("<b>", IMG, "&amp;", "<i>"),
                  "claim_batch": ("<b>", IMG, "&amp;"),
                  "claim_settlement": (IMG, "<i>"),
                  "statistics": ("<b>", IMG, "&amp;", "<i>"),
                  "recovery_key": ("<b>", IMG, "&amp;", "<i>"),
                  "customer": ("<b>", IMG, "&amp;", "<i>"),
                  "route": ("<b>", IMG, "&amp;", "<i>")}[spec.subject]:
        assert "".join(value.split()) in text, value
    assert _no_images(pdf)


def test_markup_typed_into_an_order_prints_verbatim(services, station, clock) -> None:
    order = repaired_order(
        services, station, clock, name="<b>", address=IMG, fault="0.1 <A <0.9",
        diagnosis="&amp; & &lt;",
        charges=[ChargeInput(ChargeKind.PARTS, '<img src="http://example.com/x.png">', 1, 100)],
    )
    pdf = services.reports.build("report", order.number)
    text = "\n".join(page_texts(pdf))
    for value in ("<b>", IMG, "0.1 <A <0.9", "&amp; & &lt;",
                  '<img src="http://example.com/x.png">'):
        assert value in text, value
    assert _no_images(pdf)
