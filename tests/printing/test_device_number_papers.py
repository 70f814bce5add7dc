"""A device's numbers are one letter longer (``SO-BJ001-20261201-B0001``; issue 15): every
paper that prints a number prints the longest a device can make (a 16-character station
code, tag Z, 99,999 a day: ``MAX_NUMBER_LENGTH``) whole, inside the page, over nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from io import BytesIO

import pytest

from app.domain.numbering import MAX_NUMBER_LENGTH, human_number
from app.printing.registry import documents
from tests.printing.helpers import STATION_NAME, sample_for
from tests.printing.test_any_length import check_pdf

CODE = "ABCDEFGHJKLMNP12"
DAY = date(2026, 12, 1)


def longest(prefix: str, seq: int = 99_999) -> str:
    number = human_number(prefix, CODE, DAY, seq, "Z")
    assert len(number) == MAX_NUMBER_LENGTH
    return number


PREFIX = {"order": "SO", "sale": "SA", "count": "PC", "shipment": "RS", "feedback": "QF",
          "claim_batch": "CB", "claim_settlement": "CB"}
CASES = [(name, paper) for name, spec in documents().items() if spec.subject in PREFIX
         for paper in spec.papers]


def tagged(subject: str):
    """The subject's sample sheet with every number in it the longest a device makes."""
    sheet = sample_for(subject, number=longest(PREFIX[subject]))
    values = [sheet.number]
    if subject == "shipment":
        sheet = replace(sheet, parts=tuple(replace(p, tag_no=longest("OP", 99_998 - i),
                                                   order_no=longest("SO", 99_998 - i))
                                           for i, p in enumerate(sheet.parts)))
        values += [p.tag_no for p in sheet.parts]
    if subject == "feedback":
        sheet = replace(sheet, order_number=longest("SO"))
        values.append(sheet.order_number)
    if subject.startswith("claim"):
        sheet = replace(sheet, lines=tuple(replace(line, order_number=longest("SO", 90_000 + i))
                                           for i, line in enumerate(sheet.lines)))
        values += [line.order_number for line in sheet.lines]
    return sheet, values


@pytest.mark.parametrize("name, paper", CASES)
def test_the_longest_device_number_prints_whole(name, paper) -> None:
    spec = documents()[name]
    sheet, values = tagged(spec.subject)
    buffer = BytesIO()
    spec.render(sheet, paper, buffer)
    check_pdf(buffer.getvalue(), paper, values, [STATION_NAME])
