"""The station's letterhead images on paper: the logo beside the station's name and the stamp
in a paper's 盖章 box, each scaled to fit its box with its proportions kept, never past it.

The bytes are PNG or JPEG that ``app.services.station_settings`` checked (reportlab decoded
them); a paper gets them from ``StationHeader.logo`` / ``.stamp``. reportlab embeds one image
once per document however many pages draw it.
"""

from __future__ import annotations

from functools import lru_cache
from io import BytesIO

from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable


@lru_cache(maxsize=8)
def reader(data: bytes) -> ImageReader:
    return ImageReader(BytesIO(data))


def fit(data: bytes, max_width: float, max_height: float) -> tuple[float, float]:
    """The size ``data`` is drawn at inside ``max_width`` × ``max_height`` (aspect kept)."""
    width, height = reader(data).getSize()
    if width <= 0 or height <= 0 or max_width <= 0 or max_height <= 0:
        return 0.0, 0.0
    scale = min(max_width / width, max_height / height)
    return width * scale, height * scale


def draw_fitted(canvas: Canvas, data: bytes, x: float, y: float, max_width: float,
                max_height: float, centre: bool = False) -> float:
    """Draws ``data`` fitted into the box at (``x``, ``y``) (bottom left), vertically centred
    and at the left (or centred); the width it took."""
    width, height = fit(data, max_width, max_height)
    if not width:
        return 0.0
    left = x + (max_width - width) / 2 if centre else x
    canvas.drawImage(reader(data), left, y + (max_height - height) / 2, width, height,
                     mask="auto")
    return width


class ImageBox(Flowable):
    """A box ``height`` high and as wide as it is given, the image fitted and centred in it
    (the stamp in a signature cell)."""

    def __init__(self, data: bytes, height: float) -> None:
        super().__init__()
        self.data = data
        self.height = height
        self.width = 0.0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, self.height

    def draw(self) -> None:
        draw_fitted(self.canv, self.data, 0, 0, self.width, self.height, centre=True)


def stamp_box(stamp: bytes | None, height: float) -> Flowable | None:
    """The stamp fitted into ``height``; None when the station has no stamp image."""
    return ImageBox(stamp, height) if stamp else None
