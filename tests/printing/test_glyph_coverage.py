"""Every character of GB 18030's mandatory repertoire (the two-byte GBK set and CJK Extension A),
CJK Extension B and the trade's symbols maps to a glyph with an outline in some embedded font;
a character none can draw prints as the visible placeholder, never as a blank."""

from __future__ import annotations

import struct
from io import BytesIO

import pytest
from fontTools.ttLib import TTFont

from app.printing import glyphs
from app.printing.data import Paper
from app.printing.fonts import CHAIN
from app.printing.registry import documents
from tests.printing.helpers import page_texts, sample_sheet

SYMBOLS = ("℃℉±×ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ①②③④⑤⑥⑦⑧⑨⑩"
           "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ")


def gbk_two_byte() -> set[str]:
    """The characters of GB 18030's two-byte part (GBK), less the user-defined areas."""
    found = set()
    for lead in range(0x81, 0xFF):
        for trail in [*range(0x40, 0x7F), *range(0x80, 0xFF)]:
            try:
                char = bytes([lead, trail]).decode("gb18030")
            except UnicodeDecodeError:
                continue
            if not 0xE000 <= ord(char) <= 0xF8FF:
                found.add(char)
    return found


EXTENSION_A = {chr(c) for c in range(0x3400, 0x4DB6)}  # the 6,582 of GB 18030-2005
EXTENSION_B = {chr(c) for c in range(0x20000, 0x2A6D7)}  # the 42,711 of Unicode 3.1
PRINTABLE_ASCII = {chr(c) for c in range(0x21, 0x7F)}


def _contours(glyf, name: str) -> int:  # type: ignore[no-untyped-def]
    """The glyph's numberOfContours, read from its header: the first int16 of its own bytes
    in the glyf table (expanding every outline of 110,000 glyphs took 18 s)."""
    glyph = glyf.glyphs[name]
    data = glyph.__dict__.get("data")
    if data is None:  # already expanded
        return glyph.numberOfContours
    return struct.unpack(">h", data[:2])[0] if data else 0


@pytest.fixture(scope="module")
def outlines() -> dict[str, set[str]]:
    """Per face, read here with fontTools' glyf table (not the loca shortcut the program
    uses): the characters whose glyph has contours."""
    found: dict[str, set[str]] = {}
    for face in CHAIN:
        font = TTFont(face.path, fontNumber=face.index)
        glyf = font["glyf"]
        found[face.name] = {chr(code) for code, name in font.getBestCmap().items()
                            if _contours(glyf, name) != 0}
        font.close()
    return found


def test_the_header_read_agrees_with_the_expanded_outline() -> None:
    font = TTFont(CHAIN[0].path, fontNumber=CHAIN[0].index)
    glyf = font["glyf"]
    names = sorted(set(font.getBestCmap().values()))[:3000]
    assert [_contours(glyf, n) != 0 for n in names] == \
        [glyf[n].numberOfContours != 0 for n in names]
    font.close()


@pytest.mark.parametrize("repertoire, size", [
    ("gbk", 21_000), ("extension A", 6_582), ("extension B", 42_711), ("symbols", 44),
    ("ascii", 94),
])
def test_every_character_has_a_visible_glyph(repertoire: str, size: int,
                                             outlines: dict[str, set[str]]) -> None:
    chars = {"gbk": gbk_two_byte, "extension A": lambda: EXTENSION_A,
             "extension B": lambda: EXTENSION_B, "symbols": lambda: set(SYMBOLS),
             "ascii": lambda: PRINTABLE_ASCII}[repertoire]()
    assert len(chars) >= size
    missing = sorted(c for c in chars if glyphs.face_for(c) is None)
    assert not missing, f"no face draws {len(missing)}: {' '.join(missing[:20])}"
    empty = sorted(c for c in chars
                   if c not in outlines[glyphs.face_for(c).name] and not c.isspace())
    assert not empty, f"drawn by an empty glyph: {' '.join(f'U+{ord(c):04X}' for c in empty[:20])}"


def test_micro_hei_empty_glyphs_fall_through_to_the_supplement() -> None:
    for char in "℃℉ǎǐǒǔǘǚǜⅤⅩ":
        assert glyphs.face_for(char) is not glyphs.BODY, char
    assert glyphs.face_for("维") is glyphs.BODY


def test_runs_split_text_by_the_face_that_draws_each_character() -> None:
    runs = glyphs.runs("出风温度12℃，客户䶮𠀀")
    assert "".join(piece for _font, piece in runs) == "出风温度12℃，客户䶮𠀀"
    assert all(glyphs.face_for(c) is not None and glyphs.face_for(c).name == font
               for font, piece in runs for c in piece if not c.isspace())
    assert len(runs) >= 3


def test_a_character_no_font_draws_prints_as_the_placeholder_not_blank() -> None:
    undrawable = "\U0001F9FF\U000E0100"  # nazar amulet emoji, a variation selector
    assert glyphs.undrawable("王" + undrawable) == list(undrawable)
    buffer = BytesIO()
    documents()["report"].render(sample_sheet(customer_name="王" + undrawable), Paper.A4,
                                 buffer)
    text = page_texts(buffer.getvalue())[0]
    assert "王" + glyphs.PLACEHOLDER * 2 in text
