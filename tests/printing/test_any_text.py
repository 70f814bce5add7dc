"""Whatever a person types prints as typed: any mix of Chinese, ASCII and markup characters
lays out without error and comes back out of the PDF unchanged (line breaks aside)."""

from __future__ import annotations

import re
from io import BytesIO

from hypothesis import given, settings
from hypothesis import strategies as st

from app.printing.data import Paper
from app.printing.registry import documents
from tests.printing.helpers import page_texts, sample_sheet

ALPHABET = st.sampled_from(
    list("<>&;\"'/=#![]{}()\\") + [chr(c) for c in range(0x21, 0x7F)]
    + list("维修站客户空调不制冷，。：（）¥") + [" "]
)
TEXT = st.text(ALPHABET, min_size=1, max_size=120).filter(lambda s: s.strip())


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@settings(max_examples=25, deadline=None)
@given(name=TEXT, fault=TEXT)
def test_typed_text_round_trips_through_the_pdf(name: str, fault: str) -> None:
    buffer = BytesIO()
    documents()["report"].render(sample_sheet(customer_name=name, fault=fault), Paper.A5,
                                 buffer)
    text = _squash("".join(page_texts(buffer.getvalue())))
    assert _squash(name) in text
    assert _squash(fault) in text
