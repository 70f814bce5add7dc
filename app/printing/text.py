"""Turning values into printable text: user text escaped for reportlab's Paragraph markup,
money from integer fen (with the amount in Chinese capitals, 人民币大写), local times.

reportlab's Paragraph parses its text as markup, so a customer's address holding
``<img src="/etc/hostname">`` would read a local file. Every user value goes through
``escape`` on its way into a Paragraph; our own markup never holds user text unescaped.
``escape`` also wraps each run of characters the body font cannot draw in the fallback face
that can (``glyphs``).
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from app.printing.fonts import BODY
from app.printing.glyphs import runs

_ESCAPES = str.maketrans({
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "'": "&#39;",
})

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_PLACES = ((3, "仟"), (2, "佰"), (1, "拾"), (0, ""))
_GROUPS = ("", "万", "亿", "万亿")


def escape(value: object) -> str:
    """``value`` as Paragraph text that prints exactly as typed: markup characters escaped,
    newlines as line breaks, each run of characters in the embedded font that draws it."""
    if value is None:
        return ""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    out = []
    for font, piece in runs(text):
        piece = piece.translate(_ESCAPES).replace("\n", "<br/>")
        out.append(piece if font == BODY.name else f'<font name="{font}">{piece}</font>')
    return "".join(out)


def yuan(fen: int) -> str:
    """1234550 -> '12,345.50' (integer arithmetic, never float)."""
    sign = "-" if fen < 0 else ""
    fen = abs(int(fen))
    return f"{sign}{fen // 100:,}.{fen % 100:02d}"


def rmb_upper(fen: int) -> str:
    """The amount in Chinese financial capitals: 123456 -> 壹仟贰佰叁拾肆元伍角陆分."""
    if fen < 0:
        return "负" + rmb_upper(-fen)
    whole, jiao, fen_ = fen // 100, fen // 10 % 10, fen % 10
    if whole == 0 and jiao == 0 and fen_ == 0:
        return "零元整"
    out = _integer_upper(whole) + "元" if whole else ""
    if jiao:
        out += _DIGITS[jiao] + "角"
    if fen_:
        if whole and not jiao:
            out += "零"
        out += _DIGITS[fen_] + "分"
    else:
        out += "整"
    return out


def _integer_upper(n: int) -> str:
    groups: list[int] = []
    while n:
        groups.append(n % 10000)
        n //= 10000
    out = ""
    gap = False
    for index in reversed(range(len(groups))):
        group = groups[index]
        if group == 0:
            gap = bool(out)
            continue
        if out and (gap or group < 1000):
            out += "零"
        out += _group_upper(group) + _GROUPS[index]
        gap = False
    return out


def _group_upper(group: int) -> str:
    out = ""
    zero = False
    for power, unit in _PLACES:
        digit = group // 10**power % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += _DIGITS[digit] + unit
    return out


def local_time(value: datetime | None, tz: tzinfo | None = None) -> str:
    """An aware UTC time as local 'YYYY-MM-DD HH:MM' (``tz`` None: the computer's zone)."""
    if value is None:
        return ""
    return value.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def day(value: date | None) -> str:
    return "" if value is None else value.strftime("%Y-%m-%d")
