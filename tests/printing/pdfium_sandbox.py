"""pdfium with no system fonts: run as ``python -m tests.printing.pdfium_sandbox FONT_DIR PDF
PNG DPI`` by tests/printing/test_pdf_engines.py, in its own process so the test session's
pdfium keeps its normal set-up.

pypdfium2 starts pdfium on import with the default font folders (/usr/share/fonts, ...); this
restarts it with ``FONT_DIR`` (an empty folder) as the only one, and wraps the system-font
handler to record every face pdfium asks for. It renders page 1 at ``DPI`` (grey) to ``PNG``
and prints JSON: the page size in points, the faces asked for, the page's text, and each
character with its box (left, bottom, right, top in points; a pair of UTF-16 units beyond the
Basic Multilingual Plane joined into one character).
"""

from __future__ import annotations

import ctypes
import json
import sys

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pypdfium2 import _library_scope
from pypdfium2.internal import bases

#: pdfium keeps the font-folder pointers it was started with: they live as long as the process
_KEEP: list[object] = []


def restart_with_font_folder(folder: str) -> None:
    """Restarts pdfium with ``folder`` as its only system-font folder."""
    _library_scope.destroy_lib()
    path = ctypes.create_string_buffer(folder.encode())
    paths = (ctypes.POINTER(ctypes.c_char) * 2)(ctypes.cast(path, ctypes.POINTER(ctypes.c_char)),
                                                None)
    _KEEP.extend((path, paths))
    pdfium_c.FPDF_InitLibraryWithConfig(pdfium_c.FPDF_LIBRARY_CONFIG(
        version=2, m_pUserFontPaths=paths, m_pIsolate=None, m_v8EmbedderSlot=0))
    bases.LIBRARY_AVAILABLE = True


class FaceRecorder(pdfium.PdfSysfontBase):
    """Passes every request to pdfium's own handler and notes the face asked for."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[str] = []

    def MapFont(self, _, weight, italic, charset, pitch_family, face, exact):
        name = ctypes.cast(face, ctypes.c_char_p).value if face else b""
        self.asked.append((name or b"").decode("latin-1"))
        return self.default.MapFont(self.default, weight, italic, charset, pitch_family, face,
                                    exact)


def characters(textpage: pdfium.PdfTextPage) -> list[tuple[str, tuple[float, ...]]]:
    units = [pdfium_c.FPDFText_GetUnicode(textpage.raw, i) for i in range(textpage.count_chars())]
    found: list[tuple[str, tuple[float, ...]]] = []
    index = 0
    while index < len(units):
        unit, box = units[index], textpage.get_charbox(index)
        if 0xD800 <= unit < 0xDC00 and index + 1 < len(units) \
                and 0xDC00 <= units[index + 1] < 0xE000:
            unit = 0x10000 + ((unit - 0xD800) << 10) + (units[index + 1] - 0xDC00)
            index += 1
        found.append((chr(unit) if not 0xD800 <= unit < 0xE000 else "\ufffd", box))
        index += 1
    return found


def main(argv: list[str]) -> int:
    font_dir, pdf, png, dpi = argv[0], argv[1], argv[2], float(argv[3])
    restart_with_font_folder(font_dir)
    recorder = FaceRecorder()
    recorder.setup()
    document = pdfium.PdfDocument(pdf)
    texts: list[str] = []
    try:
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            if index == 0:
                size = page.get_size()
                page.render(scale=dpi / 72, grayscale=True).to_pil().save(png)
                chars = characters(textpage)
            textpage.close()
            page.close()
    finally:
        document.close()
    json.dump({"size": size, "pages": len(texts), "asked": recorder.asked,
               "text": "\n".join(texts), "chars": chars}, sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
