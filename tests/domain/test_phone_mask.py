"""The phone mask (app.domain.phone_mask): its format, a masked field kept on save, and the
role x purpose table of who sees a number in full."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain import validation as v
from app.domain.enums import Role
from app.domain.phone_mask import Purpose, is_masked, kept, mask, shows_full

mobiles = st.from_regex(r"\A1[3-9][0-9]{9}\Z")
landlines = st.from_regex(r"\A0[0-9]{2,3}-?[2-9][0-9]{6,7}(-[0-9]{1,6})?\Z")
any_text = st.text(alphabet="0123456789-+ ()", max_size=24)
FAST = settings(max_examples=60, deadline=None)


@pytest.mark.parametrize(("number", "shown"), [
    ("13812345678", "138****5678"),
    ("+86 138 1234 5678", "138****5678"),
    ("010-62345678", "010-****5678"),
    ("01062345678", "010-****5678"),
    ("0755-2345678", "0755-****5678"),
    ("07552345678", "0755-****5678"),
    ("021-62345678-123", "021-****5678"),
    ("12345", "****45"),
    ("95511", "****11"),
    ("1", "****1"),
    ("", ""),
    ("138****5678", "138****5678"),
])
def test_format(number: str, shown: str) -> None:
    assert mask(number) == shown


@FAST
@given(mobiles)
def test_a_mobile_keeps_three_and_four(number: str) -> None:
    shown = mask(number)
    assert shown == number[:3] + "****" + number[-4:]


@FAST
@given(landlines)
def test_a_landline_keeps_its_area_code_and_last_four(number: str) -> None:
    shown = mask(v.check_phone(number))
    area, rest = shown.split("-", 1)
    local = re.sub(r"-\d{1,6}$", "", number)  # the extension goes
    assert number.replace("-", "").startswith(area)
    assert rest == "****" + local[-4:]


@FAST
@given(any_text)
def test_some_digits_always_hidden(number: str) -> None:
    shown = mask(number)
    digits = re.sub(r"\D", "", number)
    kept_digits = len(re.sub(r"\D", "", shown))
    assert kept_digits <= (len(digits) - 3 if len(digits) >= 7 else 2)
    if digits:
        assert is_masked(shown) and shown != number
    assert mask(shown) == shown  # a mask masked again is itself


def test_an_unchanged_masked_field_is_the_stored_number() -> None:
    stored = ["13812345678", "010-62345678"]
    assert kept("138****5678", stored) == "13812345678"
    assert kept("010-****5678", stored) == "010-62345678"
    assert kept("139****5678", stored) is None  # typed over: no stored number behind it
    assert kept("13812345678", stored) is None  # not a mask: what was typed stands


@pytest.mark.parametrize(("role", "purpose", "own", "full"), [
    (Role.CLERK, Purpose.ORDER, False, True),
    (Role.CLERK, Purpose.CUSTOMER, False, True),
    (Role.CLERK, Purpose.LIST, False, True),
    (Role.CLERK, Purpose.EXPORT, False, True),
    (Role.CLERK, Purpose.CALLS, False, True),
    (Role.TECHNICIAN, Purpose.ORDER, True, True),
    (Role.TECHNICIAN, Purpose.ORDER, False, False),
    (Role.TECHNICIAN, Purpose.CUSTOMER, True, False),
    (Role.TECHNICIAN, Purpose.LIST, True, False),
    (Role.TECHNICIAN, Purpose.EXPORT, True, False),
    (Role.TECHNICIAN, Purpose.CALLS, True, False),
    (Role.MANAGER, Purpose.ORDER, True, False),
    (Role.MANAGER, Purpose.CUSTOMER, False, False),
    (Role.MANAGER, Purpose.LIST, False, False),
    (Role.MANAGER, Purpose.EXPORT, False, False),
    (Role.MANAGER, Purpose.CALLS, False, True),
])
def test_who_sees_a_number_in_full(role: Role, purpose: Purpose, own: bool,
                                   full: bool) -> None:
    assert shows_full(role, purpose, own=own) is full
