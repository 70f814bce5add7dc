"""Phone numbers, money and text checks."""

from __future__ import annotations

import pytest

from app.domain.errors import RuleViolation
from app.domain.numbering import order_number, parse_order_number
from app.domain.validation import (
    check_length,
    check_phone,
    format_fen,
    parse_money_fen,
    phone_digits,
)


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("13812345678", "13812345678"),
        (" 138 1234 5678 ", "13812345678"),
        ("+86 13812345678", "13812345678"),
        ("010-62345678", "010-62345678"),
        ("0755-8765432", "0755-8765432"),
        ("02162345678", "02162345678"),
        ("010-62345678-123", "010-62345678-123"),
        ("１３８１２３４５６７８", "13812345678"),  # full-width digits from a Chinese IME
    ],
)
def test_valid_phones(raw: str, stored: str) -> None:
    assert check_phone(raw) == stored


@pytest.mark.parametrize(
    "raw", ["", "12812345678", "1381234567", "138123456789", "62345678", "010-1234567",
            "abc", "13812345678x"],
)
def test_invalid_phones_are_refused_with_the_field(raw: str) -> None:
    with pytest.raises(RuleViolation) as err:
        check_phone(raw, "contact_phone")
    assert err.value.field == "contact_phone"


def test_phone_digits_for_search() -> None:
    assert phone_digits("010-6234 5678") == "01062345678"


@pytest.mark.parametrize(("text", "fen"), [("12.5", 1250), ("0.01", 1), ("¥1,200", 120000),
                                           ("3", 300), ("99.99", 9999)])
def test_money_parses_exactly(text: str, fen: int) -> None:
    assert parse_money_fen(text) == fen
    assert parse_money_fen(format_fen(fen)) == fen


@pytest.mark.parametrize("text", ["-1", "1.234", "abc", "", "1e3"])
def test_bad_money_refused(text: str) -> None:
    with pytest.raises(RuleViolation):
        parse_money_fen(text)


def test_length_limit_names_the_label() -> None:
    with pytest.raises(RuleViolation) as err:
        check_length("x" * 41, "name", "Customer name", 40)
    assert err.value.params["length"] == 41


def test_order_numbers_round_trip() -> None:
    from datetime import date

    number = order_number("BJ001", date(2026, 11, 27), 7)
    assert number == "SO-BJ001-20261127-0007"
    assert parse_order_number(number) == ("BJ001", date(2026, 11, 27), 7)
    assert order_number("BJ001", date(2026, 11, 27), 12345).endswith("-12345")
    assert parse_order_number("SO-x") is None
