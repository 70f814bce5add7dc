"""Typed text that a paper will print: the domain's checks (``app.domain.validation``,
``app.domain.text_rules``), then that some embedded font draws every character
(``app.printing.glyphs`` reads the fonts' coverage once per process).

The functions mirror ``check_required`` / ``check_length`` of the domain, so a service swaps
the module for the fields that reach a paper. Text that only the program reads (passwords,
search text, ids) needs ``check_key``: no lone surrogate.
"""

from __future__ import annotations

from app.domain import text_rules
from app.domain import validation as v
from app.domain.errors import RuleViolation
from app.printing.glyphs import undrawable


def check_drawable(text: str, field: str | None, label: str) -> str:
    """Refuses characters no embedded font draws (they would print as a placeholder)."""
    missing = undrawable(text)
    if missing:
        raise RuleViolation(
            "{label} holds characters that no font of the papers can draw ({chars}); "
            "please replace them.",
            field=field, label=label, chars=text_rules.shown(missing),
        )
    return text


def check_required(
    value: str | None, field: str, label: str, max_len: int, *, multiline: bool = False
) -> str:
    """A printed field that must be filled: trimmed NFC, laid out and drawn by the papers."""
    text = v.check_required(value, field, label, max_len, multiline=multiline)
    return check_drawable(text, field, label)


def check_length(
    value: str | None, field: str, label: str, max_len: int, *, multiline: bool = False
) -> str:
    """A printed field that may be empty: trimmed NFC, laid out and drawn by the papers."""
    text = v.check_length(value, field, label, max_len, multiline=multiline)
    return check_drawable(text, field, label)


def check_key(value: str | None, field: str, label: str) -> None:
    """An id, a number or other text the program only looks up or hashes: refused with a
    message when it holds a lone surrogate (SQLite and UTF-8 cannot take it)."""
    if value is not None:
        text_rules.check_encodable(value, field, label)
