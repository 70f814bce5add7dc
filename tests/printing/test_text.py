"""Escaping, money and time formatting of printed values."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from reportlab.platypus import Paragraph

from app.printing.data import Paper
from app.printing.layout import styles_for
from app.printing.text import escape, local_time, rmb_upper, yuan


@pytest.mark.parametrize("raw", [
    "<b>", "&amp;", "0.1 <A <0.9", '<img src="/etc/hostname">', "a 'quoted' \"text\"",
    "</para>", "<font size=40>x</font>", "&#60;", "<br/>",
])
def test_escaped_text_parses_and_keeps_every_character(raw: str) -> None:
    paragraph = Paragraph(escape(raw), styles_for(Paper.A4).cell)
    words = "".join("".join(str(w) for w in frag.words) if hasattr(frag, "words") else frag.text
                    for frag in paragraph.frags)
    assert words.replace(" ", "") == raw.replace(" ", "")


def test_newlines_become_line_breaks_and_nothing_else_is_markup() -> None:
    assert escape("a\r\nb\nc") == "a<br/>b<br/>c"
    assert escape(None) == ""
    assert "<" not in escape("<<>>").replace("<br/>", "")


@pytest.mark.parametrize("fen, figures, words", [
    (0, "0.00", "零元整"),
    (5, "0.05", "伍分"),
    (50, "0.50", "伍角整"),
    (12500, "125.00", "壹佰贰拾伍元整"),
    (123456, "1,234.56", "壹仟贰佰叁拾肆元伍角陆分"),
    (100005, "1,000.05", "壹仟元零伍分"),
    (100507, "1,005.07", "壹仟零伍元零柒分"),
    (10500000, "105,000.00", "壹拾万伍仟元整"),
    (10000000100, "100,000,001.00", "壹亿零壹元整"),
    (-350, "-3.50", "负叁元伍角整"),
])
def test_money_in_figures_and_capitals(fen: int, figures: str, words: str) -> None:
    assert yuan(fen) == figures
    assert rmb_upper(fen) == words


def test_times_print_in_the_local_zone() -> None:
    beijing = timezone(timedelta(hours=8))
    assert local_time(datetime(2026, 6, 1, 18, 30, tzinfo=UTC), beijing) == "2026-06-02 02:30"
    assert local_time(None, beijing) == ""
