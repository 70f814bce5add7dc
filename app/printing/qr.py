"""QR codes of printed papers, from reportlab's own QR widget and encoder (no image files).

The code's dark modules are drawn as one filled path straight on the canvas: rendering the
widget through renderPDF would select Helvetica, an unembedded font, on every page, and
building its shapes costs more than the rest of the page.
The payload is a plain ASCII identifier (an order number), so any phone scanner reads it and
no user text ever reaches the code.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import groupby

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas

_PAYLOAD_RE = re.compile(r"^[A-Za-z0-9._:/-]{1,64}$")

Cells = tuple[tuple[float, float, float, float], ...]


@lru_cache(maxsize=512)
def qr_cells(payload: str) -> tuple[Cells, float]:
    """The dark modules (x, y, w, h) of ``payload``'s QR code, in module units from the lower
    left, and the code's side length in modules."""
    if not _PAYLOAD_RE.match(payload):
        raise ValueError(f"QR payloads are plain ASCII identifiers, got {payload!r}")
    # the widget's own encoder; its draw() would build hundreds of validated shape objects
    code = QrCodeWidget(payload, barLevel="M", barBorder=0).qr
    code.make()
    count = code.getModuleCount()
    cells: list[tuple[float, float, float, float]] = []
    for row_index, row in enumerate(code.modules):
        y = count - 1 - row_index
        column = 0
        for dark, run in groupby(bool(m) for m in row):
            length = len(list(run))
            if dark:
                cells.append((column, y, length, 1))
            column += length
    return tuple(cells), float(count)


def draw_qr(canvas: Canvas, payload: str, x: float, y: float, size: float) -> None:
    """Draws the ``size`` x ``size`` QR code of ``payload`` with its lower left at (x, y)."""
    cells, side = qr_cells(payload)
    scale = size / side
    path = canvas.beginPath()
    for cx, cy, cw, ch in cells:
        path.rect(x + cx * scale, y + cy * scale, cw * scale, ch * scale)
    canvas.saveState()
    canvas.setFillColor(colors.black)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()
