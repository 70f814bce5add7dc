"""Signature images for the tests: a drawn squiggle, a blank pad, a dot."""

from __future__ import annotations

from io import BytesIO

from PIL import Image, ImageDraw


def png(image: Image.Image) -> bytes:
    out = BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def drawn(width: int = 480, height: int = 160, colour: str = "#102040") -> bytes:
    """A signature-like stroke across the pad, white ground."""
    img = Image.new("RGB", (width, height), "white")
    d = ImageDraw.Draw(img)
    points = [(20 + i * 11, height // 2 + (25 if i % 2 else -25)) for i in range(40)
              if 20 + i * 11 < width - 20]
    d.line(points, fill=colour, width=4)
    return png(img)


def blank(width: int = 480, height: int = 160) -> bytes:
    return png(Image.new("RGBA", (width, height), (255, 255, 255, 0)))


def dot(width: int = 480, height: int = 160) -> bytes:
    img = Image.new("RGB", (width, height), "white")
    ImageDraw.Draw(img).ellipse((200, 70, 206, 76), fill="black")
    return png(img)
