"""Checks of what people type: phones, names, lengths, dates. Each failure names its field.

Text is never altered beyond NFC and trimming: what the papers cannot hold is refused with a
message (``app.domain.text_rules``), not deleted.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from app.domain import text_rules
from app.domain.errors import RuleViolation

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
# area code 0xx / 0xxx, then a 7-8 digit number, optional extension
LANDLINE_RE = re.compile(r"^0\d{2,3}-?[2-9]\d{6,7}(-\d{1,6})?$")

MAX_NAME = 40
MAX_SHORT = 64
MAX_ADDRESS = 200
MAX_TEXT = 4000


def normalize_phone(raw: str) -> str:
    """Strips spaces, dots and a +86/0086 prefix; keeps the dash of a landline's area code."""
    text = unicodedata.normalize("NFKC", raw).strip()
    text = re.sub(r"[\s().]", "", text)
    for prefix in ("+86", "0086"):
        if text.startswith(prefix):
            text = text[len(prefix):].lstrip("-")
    return text


def phone_digits(raw: str) -> str:
    """Digits only, for search and indexing."""
    return re.sub(r"\D", "", normalize_phone(raw))


def check_phone(raw: str, field: str = "phone") -> str:
    """A Chinese mobile (11 digits, 1[3-9]…) or landline (0 + area code + number)."""
    text_rules.check_encodable(raw, field, "Phone number")
    text = normalize_phone(raw)
    if not text:
        raise RuleViolation("Phone number is required.", field=field)
    if MOBILE_RE.match(text) or LANDLINE_RE.match(text):
        return text
    raise RuleViolation(
        "'{value}' is not a valid mobile (11 digits starting with 1) or landline "
        "(area code + number, e.g. 010-62345678).",
        field=field,
        value=raw.strip()[:30],
    )


def clean_text(value: str | None, field: str | None = "text", label: str = "Text") -> str:
    """NFC and trimmed, nothing else changed; refuses a lone surrogate (it cannot be stored
    or searched). Control characters stay: the checks below refuse them with a message."""
    if value is None:
        return ""
    text_rules.check_encodable(value, field, label)
    return unicodedata.normalize("NFC", value).strip()


def check_required(
    value: str | None, field: str, label: str, max_len: int, *, multiline: bool = True
) -> str:
    text = clean_text(value, field, label)
    if not text:
        raise RuleViolation("{label} is required.", field=field, label=label)
    return check_length(text, field, label, max_len, multiline=multiline)


def check_length(
    value: str | None, field: str, label: str, max_len: int, *, multiline: bool = True
) -> str:
    """Trimmed NFC text of at most ``max_len`` characters that the papers can lay out;
    ``multiline`` fields may hold newlines and tabs."""
    text = clean_text(value, field, label)
    if len(text) > max_len:
        raise RuleViolation(
            "{label} is too long ({length} characters, at most {limit}).",
            field=field, label=label, length=len(text), limit=max_len,
        )
    return text_rules.check_layout(text, field, label, multiline)


def check_not_future(value: date | None, field: str, label: str, today: date) -> date | None:
    if value is not None and value > today:
        raise RuleViolation("{label} cannot be in the future.", field=field, label=label)
    return value


def check_range(value: int, field: str, label: str, low: int, high: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise RuleViolation(
            "{label} must be a whole number from {low} to {high}.",
            field=field, label=label, low=low, high=high,
        )
    return value


def parse_money_fen(text: str, field: str = "price") -> int:
    """'12.5' -> 1250 fen, exactly (no float); refuses more than two decimals or negatives."""
    raw = clean_text(text, field, "Amount").replace(",", "").replace("¥", "").replace("￥", "")
    match = re.fullmatch(r"(\d{1,9})(?:\.(\d{1,2}))?", raw)
    if not match:
        raise RuleViolation(
            "'{value}' is not an amount in yuan (e.g. 12.50).", field=field, value=raw[:20]
        )
    yuan, cents = match.group(1), (match.group(2) or "").ljust(2, "0")
    return int(yuan) * 100 + int(cents)


def format_fen(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}{fen // 100}.{fen % 100:02d}"
