"""The embedded fonts of every printed paper: the fallback chain (WenQuanYi Micro Hei for the
body, then two supplements cut from Hanazono Mincho for CJK Extension A, the supplementary
planes and the symbols Micro Hei draws empty), shipped in ``resources/fonts/`` and embedded
(subset) into each PDF, so every character shows on any PC and in any viewer without the
viewer's own fonts. Faces register with reportlab the first time a paper needs them.

Also mends two things of reportlab's: its ToUnicode map for characters beyond the Basic
Multilingual Plane (written as five hex digits instead of a UTF-16 pair, so 𠀀 extracted as
garbage), and its hanging punctuation: a character that may not start a line (，。）℃…) was
hung past the end of the line, over a cell's border or the page's margin.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib import textsplit
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import paragraph

from app.paths import resources_dir


@dataclass(frozen=True)
class Face:
    """One font file of the chain, under the name reportlab knows it by."""

    name: str
    file: str
    #: index of the face inside a .ttc collection
    index: int = 0

    @property
    def path(self) -> Path:
        return resources_dir() / "fonts" / self.file


#: first face that has a visible glyph draws the character
CHAIN: tuple[Face, ...] = (
    # index 0 of the collection is "WenQuanYi Micro Hei" (proportional); 1 is the Mono face
    Face("WQYMicroHei", "wqy-microhei.ttc", 0),
    Face("HanazonoA", "hanazono-a-supplement.ttf"),
    Face("HanazonoB", "hanazono-b-supplement.ttf"),
)
BODY = CHAIN[0]
FONT_NAME = BODY.name

_lock = threading.Lock()


def font_path() -> Path:
    return BODY.path


def register_face(face: Face) -> str:
    """Registers ``face`` with reportlab once per process; returns its name."""
    with _lock:
        if face.name not in pdfmetrics.getRegisteredFontNames():
            if not face.path.is_file():
                raise FileNotFoundError(f"an embedded font is missing: {face.path}")
            _mend_to_unicode()
            pdfmetrics.registerFont(TTFont(face.name, str(face.path), subfontIndex=face.index))
    return face.name


def register_fonts() -> str:
    """Registers the body font; returns its name (fallback faces register on first use)."""
    return register_face(BODY)


def _utf16_hex(code: int) -> str:
    return "".join(f"{unit:04X}" for unit in _utf16_units(code))


def _utf16_units(code: int) -> tuple[int, ...]:
    if code < 0x10000:
        return (code,)
    code -= 0x10000
    return (0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF))


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode CMap with each code point written as UTF-16BE, as the PDF
    reference asks (reportlab writes ``<20000>`` for U+20000, which no reader decodes)."""
    return "\n".join([
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *(f"<{i:02X}> <{_utf16_hex(v)}>" for i, v in enumerate(subset)),
        "endbfchar",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ])


def _mend_to_unicode() -> None:
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap
    # the CJK line breaker hangs one such character in the right margin; with none listed it
    # carries the character to the next line instead, so text stays inside its box. Both
    # breakers read the list: cjkFragSplit (a paragraph of several fragments) and
    # textsplit.wordSplit (one fragment: a roll's letterhead line, 地址：。。。)
    paragraph.ALL_CANNOT_START = ""
    textsplit.ALL_CANNOT_START = ""
