"""Which embedded font draws each character: the coverage of the font chain (``fonts.CHAIN``)
read from the font files, the characters no face can draw, and the splitting of a text into
runs of one face each.

A glyph counts only when it has an outline: Micro Hei maps ℃, ǎ and Ⅴ to empty glyphs that
print nothing. Space characters need only be mapped. A character no face draws (it can only
arrive by sync: input refuses it) prints as ``PLACEHOLDER``, never as a blank.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Iterable

from fontTools.ttLib import TTFont

from app.printing.fonts import BODY, CHAIN, Face, register_face

PLACEHOLDER = "〓"  # 补字符号 (U+3013): the typesetter's mark for a character it has no type for
#: characters the layout itself handles (line breaks, tabs become spaces)
LAYOUT = frozenset("\n\r\t")

_lock = threading.Lock()
_drawn: dict[str, frozenset[str]] = {}


def drawn_by(face: Face) -> frozenset[str]:
    """The characters ``face`` draws visibly (read once per process from its cmap and loca)."""
    found = _drawn.get(face.name)
    if found is None:
        with _lock:
            found = _drawn.get(face.name)
            if found is None:
                found = _drawn[face.name] = _read_coverage(face)
    return found


def _read_coverage(face: Face) -> frozenset[str]:
    font = TTFont(face.path, fontNumber=face.index, lazy=True)
    try:
        loca = font["loca"]
        ids = {name: i for i, name in enumerate(font.getGlyphOrder())}
        chars = set()
        for code, glyph in font.getBestCmap().items():
            i = ids[glyph]
            char = chr(code)
            if loca[i + 1] > loca[i] or unicodedata.category(char) == "Zs":
                chars.add(char)
        return frozenset(chars)
    finally:
        font.close()


def face_for(char: str) -> Face | None:
    """The first face of the chain that draws ``char``; None when none does."""
    for face in CHAIN:
        if char in drawn_by(face):
            return face
    return None


def undrawable(text: str) -> list[str]:
    """The distinct characters of ``text`` that no embedded font draws, in order."""
    body = drawn_by(BODY)
    if body.issuperset(text):
        return []
    missing: dict[str, None] = {}
    for char in text:
        if char not in body and char not in LAYOUT and face_for(char) is None:
            missing[char] = None
    return list(missing)


def undrawable_in(texts: Iterable[str]) -> list[str]:
    """``undrawable`` over several texts, each character once."""
    found: dict[str, None] = {}
    for text in texts:
        found.update(dict.fromkeys(undrawable(text)))
    return list(found)


def runs(text: str) -> list[tuple[str, str]]:
    """``text`` as (font name, piece) runs, each drawn by one registered face; characters no
    face draws become ``PLACEHOLDER`` in the body face. Layout characters stay in the run
    they stand in."""
    body = drawn_by(BODY)
    if body.issuperset(text):
        return [(BODY.name, text)] if text else []
    out: list[tuple[str, list[str]]] = []
    for char in text:
        if char in body or char in LAYOUT:
            name = BODY.name if char in body or not out else out[-1][0]
        else:
            face = face_for(char)
            if face is None:
                name, char = BODY.name, PLACEHOLDER
            else:
                name = register_face(face)
        if out and out[-1][0] == name:
            out[-1][1].append(char)
        else:
            out.append((name, [char]))
    return [(name, "".join(chars)) for name, chars in out]
