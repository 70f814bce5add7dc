"""The one CJK font every printed document uses: WenQuanYi Micro Hei, shipped in
``resources/fonts/`` and embedded (subset) into each PDF, so Chinese shows on any PC and in
any viewer without relying on the viewer's own fonts.
"""

from __future__ import annotations

import threading
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from app.paths import resources_dir

FONT_NAME = "WQYMicroHei"
FONT_FILE = "wqy-microhei.ttc"
#: index of "WenQuanYi Micro Hei" (proportional) inside the .ttc; 1 is the Mono face
SUBFONT_INDEX = 0

_lock = threading.Lock()


def font_path() -> Path:
    return resources_dir() / "fonts" / FONT_FILE


def register_fonts() -> str:
    """Registers the font with reportlab once per process; returns its name."""
    with _lock:
        if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
            path = font_path()
            if not path.is_file():
                raise FileNotFoundError(f"the CJK font is missing: {path}")
            pdfmetrics.registerFont(TTFont(FONT_NAME, str(path), subfontIndex=SUBFONT_INDEX))
    return FONT_NAME
