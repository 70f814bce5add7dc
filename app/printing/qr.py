"""QR codes of printed papers, drawn with reportlab's own QR widget (no image files).

The payload is a plain ASCII identifier (an order number), so any phone scanner reads it and
no user text ever reaches the code.
"""

from __future__ import annotations

import re

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing

_PAYLOAD_RE = re.compile(r"^[A-Za-z0-9._:/-]{1,64}$")


def qr_drawing(payload: str, size: float) -> Drawing:
    """A ``size`` x ``size`` (points) drawing of the QR code of ``payload``."""
    if not _PAYLOAD_RE.match(payload):
        raise ValueError(f"QR payloads are plain ASCII identifiers, got {payload!r}")
    widget = QrCodeWidget(payload, barLevel="M", barBorder=0)
    x0, y0, x1, y1 = widget.getBounds()
    width, height = x1 - x0, y1 - y0
    sx, sy = size / width, size / height
    drawing = Drawing(size, size, transform=[sx, 0, 0, sy, -x0 * sx, -y0 * sy])
    drawing.add(widget)
    return drawing
