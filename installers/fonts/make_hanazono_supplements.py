"""Builds the two fallback fonts of the printing chain from Debian's fonts-hanazono package.

The printed papers draw each character with the first font of the chain that has a visible
glyph for it: WenQuanYi Micro Hei (the body face), then these two cuts of Hanazono Mincho
(GlyphWiki project, Hanazono Font Licence: use, copy and distribute with or without
modification). Only the characters Micro Hei lacks or draws empty are kept, which takes the
installer from 53 MB of Hanazono to 38 MB:

- ``hanazono-a-supplement.ttf``: from HanaMinA, CJK Extension A, ℃ ℉, pinyin with tones,
  Ⅰ-Ⅻ and the other symbols Micro Hei lacks;
- ``hanazono-b-supplement.ttf``: from HanaMinB, CJK Extensions B to E and the compatibility
  supplement (the supplementary planes).

Run with fontTools installed, from the repository root, after
``apt-get download fonts-hanazono && dpkg-deb -x fonts-hanazono_*.deb hanazono``::

    python installers/fonts/make_hanazono_supplements.py hanazono/usr/share/fonts/truetype/hanazono
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

HERE = Path(__file__).resolve().parents[2] / "resources" / "fonts"
BODY = HERE / "wqy-microhei.ttc"


def inked(font: TTFont) -> set[int]:
    """Code points whose glyph has an outline (an empty glyph draws nothing)."""
    loca = font["loca"]
    ids = {name: i for i, name in enumerate(font.getGlyphOrder())}
    return {cp for cp, name in font.getBestCmap().items() if loca[ids[name] + 1] > loca[ids[name]]}


def supplement(source: Path, target: Path, have: set[int]) -> int:
    font = TTFont(source)
    wanted = [cp for cp in font.getBestCmap() if cp >= 0x20 and cp not in have]
    options = subset.Options()
    options.hinting = False
    options.layout_features = []
    options.notdef_outline = True
    options.name_IDs = ["*"]
    options.drop_tables += ["DSIG", "GSUB", "GPOS", "vhea", "vmtx", "FFTM"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=wanted)
    subsetter.subset(font)
    font.save(target)
    return len(wanted)


def main(folder: str) -> None:
    have = inked(TTFont(BODY, fontNumber=0, lazy=True))
    source = Path(folder)
    a = supplement(source / "HanaMinA.ttf", HERE / "hanazono-a-supplement.ttf", have)
    have |= inked(TTFont(HERE / "hanazono-a-supplement.ttf", lazy=True))
    b = supplement(source / "HanaMinB.ttf", HERE / "hanazono-b-supplement.ttf", have)
    print(f"kept {a} characters of HanaMinA and {b} of HanaMinB")


if __name__ == "__main__":
    main(sys.argv[1])
