"""PDF pages as images, through pypdfium2 (PySide6-Essentials has no QtPdf).

pdfium is not thread-safe, so every call into it holds one lock; the images are plain
QImages, safe to make on a worker thread and hand to the GUI thread.
"""

from __future__ import annotations

import threading

import pypdfium2 as pdfium
from PySide6.QtGui import QImage

_pdfium = threading.Lock()


def page_count(pdf: bytes) -> int:
    with _pdfium:
        document = pdfium.PdfDocument(pdf)
        try:
            return len(document)
        finally:
            document.close()


def render_pages(pdf: bytes, dpi: float, first: int = 0, last: int | None = None) -> list[QImage]:
    """Pages ``first``..``last`` (inclusive, 0-based; all by default) at ``dpi``."""
    with _pdfium:
        document = pdfium.PdfDocument(pdf)
        try:
            end = len(document) - 1 if last is None else min(last, len(document) - 1)
            return [_image(document[i], dpi) for i in range(first, end + 1)]
        finally:
            document.close()


def _image(page: pdfium.PdfPage, dpi: float) -> QImage:
    try:
        # RGBX byte order maps straight onto QImage.Format_RGBX8888
        bitmap = page.render(scale=dpi / 72, rev_byteorder=True, prefer_bgrx=True,
                             may_draw_forms=False)
        try:
            image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride,
                           QImage.Format.Format_RGBX8888)
            return image.copy()  # own the pixels before pdfium frees its buffer
        finally:
            bitmap.close()
    finally:
        page.close()
