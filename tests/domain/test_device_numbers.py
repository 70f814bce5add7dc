"""Numbers people read never collide between the devices of one station (issue 15).

Every device numbers offline with its own day counters; device 1 keeps the station's numbers
as they were (``SO-ST01-20261201-0001``), every other device writes its tag letter before the
sequence (``SO-ST01-20261201-B0001``). Whatever the devices, counts, days and documents, the
numbers of two devices are disjoint, each parses back to what made it, and none is longer
than ``MAX_NUMBER_LENGTH`` (35) characters (22 for a five-character station code), so they
fit the number columns (40) and can be read over the phone.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.numbering import (
    DEVICE_TAGS,
    MAX_NUMBER_LENGTH,
    HumanNumber,
    order_number,
    parse_human_number,
    parse_order_number,
    tag_for_device,
)
from app.domain.parts import DocumentPrefix, document_number

PREFIXES = ["SO", *(p.value for p in DocumentPrefix)]

codes = st.from_regex(r"\A[A-Z0-9]{2,16}\Z")
days = st.dates(min_value=date(2020, 1, 1), max_value=date(2099, 12, 31))
#: devices of one station: distinct device numbers (1 = the station's first)
devices = st.lists(st.integers(1, len(DEVICE_TAGS) + 1), min_size=2, max_size=6, unique=True)
#: per device: how many documents of a kind it numbers that day, and where its counter starts
#: (a restore skips 300 numbers; a device set up from another's backup starts where that was)
counts = st.tuples(st.integers(0, 12), st.integers(0, 99_900 - 12))


def make(prefix: str, code: str, day: date, seq: int, tag: str) -> str:
    if prefix == "SO":
        return order_number(code, day, seq, tag)
    return document_number(DocumentPrefix(prefix), code, day, seq, tag)


@settings(max_examples=80, deadline=None)
@given(code=codes, day=days, station_devices=devices, data=st.data())
def test_devices_offline_on_one_day_never_make_the_same_number(code, day, station_devices,
                                                               data) -> None:
    made: dict[str, tuple[int, str, int]] = {}
    for device in station_devices:
        tag = tag_for_device(device)
        for prefix in PREFIXES:
            n, start = data.draw(counts)
            for seq in range(start + 1, start + n + 1):
                number = make(prefix, code, day, seq, tag)
                assert number not in made, (number, made[number], device)
                made[number] = (device, prefix, seq)
                assert len(number) <= MAX_NUMBER_LENGTH
                assert parse_human_number(number.lower()) == HumanNumber(
                    prefix, code, day, tag, seq)
                if prefix == "SO":
                    assert parse_order_number(number) == (code, day, seq)
                else:
                    assert parse_order_number(number) is None


@settings(max_examples=100, deadline=None)
@given(code=codes, day=days, device=st.integers(2, len(DEVICE_TAGS) + 1),
       seq=st.integers(1, 99_999), hq=st.integers(5001, 99_999))
def test_head_office_numbers_never_meet_another_device(code, day, device, seq, hq) -> None:
    """Head office numbers a dispatch in device 1's shape from 5001: never a tagged number."""
    assert order_number(code, day, hq) != order_number(code, day, seq, tag_for_device(device))


def test_device_one_keeps_the_numbers_it_always_made() -> None:
    day = date(2026, 12, 1)
    assert order_number("ST01", day, 1) == "SO-ST01-20261201-0001"
    assert document_number(DocumentPrefix.SALE, "ST01", day, 12) == "SA-ST01-20261201-0012"
    assert order_number("ST01", day, 1, "X") == "SO-ST01-20261201-X0001"
    assert document_number(DocumentPrefix.FEEDBACK, "ST01", day, 7, "B") == (
        "QF-ST01-20261201-B0007")
    assert [tag_for_device(n) for n in (1, 2, 3, 24)] == ["", "B", "C", "Z"]
    assert len(order_number("ABCDEFGHIJKLMNOP", day, 99_999, "Z")) == MAX_NUMBER_LENGTH


@pytest.mark.parametrize("bad", ["A", "I", "O", "BB", "b", "1", "-"])
def test_a_letter_no_device_has_is_refused(bad) -> None:
    with pytest.raises(ValueError):
        order_number("ST01", date(2026, 12, 1), 1, bad)


@pytest.mark.parametrize("text", ["SO-ST01-20261201-A0001", "SO-ST01-20261201-BB0001",
                                  "SO-ST01-20261301-0001", "SO-ST01-20261201-001", "SO-x",
                                  "SO-ST01-20261201-0001-R1"])
def test_what_is_not_a_number_does_not_parse(text) -> None:
    assert parse_order_number(text) is None
