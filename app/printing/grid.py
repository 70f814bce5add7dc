"""One row of a bordered form grid that splits across pages: ``GridRow``.

reportlab's Table cannot split a row whose cells span columns: a long 故障描述 was drawn up over
the letterhead and off the page. A ``GridRow`` is one row of bordered cells, laid out by us:
when a row does not fit the rest of the page, each value cell's text is split where the page
ends, the row closes there, and the rest continues at the top of the next page in a row of
the same shape whose labels are repeated and marked as continued. Nothing is cut and no cell
is drawn outside its box.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from reportlab.lib import colors
from reportlab.platypus import Flowable

from app.printing.layout import RULE

LINE = 0.6
PAD = 3  # left, right and bottom padding of a cell
TOP = PAD - 1


@dataclass(frozen=True)
class Cell:
    """One box of the row. ``content`` is drawn top to bottom inside the padding."""

    width: float
    content: tuple[Flowable, ...]
    shade: colors.Color | None = None
    #: a label: repeated (as ``continued``) on the rows a split carries to the next page
    continued: Callable[[], tuple[Flowable, ...]] | None = None
    centred: bool = True
    _sizes: list[tuple[float, float]] = field(default_factory=list, compare=False, repr=False)


class GridRow(Flowable):
    """A row of bordered cells; see the module docstring for how it splits."""

    def __init__(self, cells: Sequence[Cell], min_height: float = 0.0,
                 band: Cell | None = None) -> None:
        super().__init__()
        self.cells = list(cells)
        self.min_height = min_height
        #: a section title drawn across the top of the row; it stays with the row's first
        #: part, so a title never stands alone at the foot of a page
        self.band = band
        self.width = sum(c.width for c in self.cells) if self.cells else band.width
        self.height = 0.0
        self._band_height = 0.0

    def _inner(self, cell: Cell) -> float:
        return max(cell.width - 2 * PAD, 1.0)

    def _content_height(self, cell: Cell, avail_height: float) -> float:
        sizes = [f.wrap(self._inner(cell), avail_height) for f in cell.content]
        cell._sizes[:] = sizes
        return sum(h for _w, h in sizes) + sum(f.getSpaceAfter() for f in cell.content[:-1])

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._band_height = (self._content_height(self.band, avail_height) + TOP + PAD
                             if self.band is not None else 0.0)
        if self.cells:
            tallest = max(self._content_height(c, avail_height) for c in self.cells)
            rows = max(tallest + TOP + PAD, self.min_height)
        else:
            rows = 0.0
        self.height = self._band_height + rows
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        self.wrap(avail_width, avail_height)
        room = avail_height - self._band_height - TOP - PAD
        if room <= 0 or not self.cells:
            return []
        firsts: list[Cell] = []
        rests: list[Cell] = []
        moved = False
        for cell in self.cells:
            head, tail = _split_content(cell.content, self._inner(cell), room)
            if head is None:  # nothing of this cell fits: the whole row goes to the next page
                return []
            if tail and cell.continued is not None:
                return []  # a label never splits: too little room for the row to start here
            firsts.append(replace(cell, content=head, _sizes=[]))
            if cell.continued is not None:
                rests.append(replace(cell, content=cell.continued(), _sizes=[]))
            else:
                rests.append(replace(cell, content=tail, _sizes=[]))
                moved = moved or bool(tail)
        if not moved:
            return []
        if not any(c.content for c in firsts if c.continued is None):
            return []  # only labels would stand on this page: start the row on the next one
        return [GridRow(firsts, band=self.band), GridRow(rests)]

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(LINE)
        rows = self.height - self._band_height
        if self.band is not None:
            self._draw_cell(self.band, 0.0, rows, self._band_height)
        x = 0.0
        for cell in self.cells:
            self._draw_cell(cell, x, 0.0, rows)
            x += cell.width
        canvas.restoreState()

    def _draw_cell(self, cell: Cell, x: float, y: float, height: float) -> None:
        canvas = self.canv
        if cell.shade is not None:
            canvas.saveState()
            canvas.setFillColor(cell.shade)
            canvas.rect(x, y, cell.width, height, stroke=0, fill=1)
            canvas.restoreState()
        canvas.rect(x, y, cell.width, height, stroke=1, fill=0)
        sizes = cell._sizes or [f.wrap(self._inner(cell), height) for f in cell.content]
        used = sum(h for _w, h in sizes)
        top = y + height - TOP
        if cell.centred:
            top -= (height - TOP - PAD - used) / 2
        for flowable, (_w, h) in zip(cell.content, sizes, strict=True):
            top -= h
            flowable.drawOn(canvas, x + PAD, top)
            top -= flowable.getSpaceAfter()


def _split_content(content: tuple[Flowable, ...], width: float,
                   room: float) -> tuple[tuple[Flowable, ...] | None, tuple[Flowable, ...]]:
    """The flowables of ``content`` that fit in ``room`` and the ones that follow; None when
    not even the first piece fits."""
    head: list[Flowable] = []
    left = room
    for index, flowable in enumerate(content):
        _w, h = flowable.wrap(width, left)
        if h <= left:
            head.append(flowable)
            left -= h + flowable.getSpaceAfter()
            continue
        parts = flowable.split(width, left)
        if len(parts) >= 2:
            return (*head, parts[0]), (*parts[1:], *content[index + 1:])
        if not head:
            return None, content
        return tuple(head), content[index:]
    return tuple(head), ()
