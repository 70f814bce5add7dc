"""QR codes of printed papers, from reportlab's own QR widget (no image files).

The widget's dark modules are drawn as one filled path straight on the canvas: rendering the
widget through renderPDF would select Helvetica, an unembedded font, on every page.
The payload is a plain ASCII identifier (an order number), so any phone scanner reads it and
no user text ever reaches the code.
"""

from __future__ import annotations

import re
from functools import lru_cache

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Group, Rect
from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas

_PAYLOAD_RE = re.compile(r"^[A-Za-z0-9._:/-]{1,64}$")

Cells = tuple[tuple[float, float, float, float], ...]


@lru_cache(maxsize=512)
def qr_cells(payload: str) -> tuple[Cells, float]:
    """The dark modules (x, y, w, h) of ``payload``'s QR code and the code's side length."""
    if not _PAYLOAD_RE.match(payload):
        raise ValueError(f"QR payloads are plain ASCII identifiers, got {payload!r}")
    widget = QrCodeWidget(payload, barLevel="M", barBorder=0)
    x0, y0, x1, _y1 = widget.getBounds()
    cells: list[tuple[float, float, float, float]] = []
    stack = [widget.draw()]
    while stack:
        node = stack.pop()
        if isinstance(node, Group):
            stack.extend(node.contents)
        elif isinstance(node, Rect) and node.fillColor == widget.barFillColor:
            cells.append((node.x - x0, node.y - y0, node.width, node.height))
    return tuple(cells), x1 - x0


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
