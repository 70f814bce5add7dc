"""Building blocks of the service forms: the bordered field grid (客户姓名 | value | 联系电话 |
value), section bands, tick boxes, ruled lines for handwriting and the charge lines table.

User values are always escaped here (``para``); labels are English source text translated
with ``tr``. Flowables only: page furniture lives in ``layout``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from app.domain.charges import total_fen
from app.i18n import label, tr
from app.printing.data import ChargeRow
from app.printing.grid import LINE, PAD, Cell, GridRow
from app.printing.layout import BAND, RULE, SHADE, Styles
from app.printing.text import escape, rmb_upper, yuan


def para(value: object, style) -> Paragraph:
    """A Paragraph that prints ``value`` exactly as typed (markup characters escaped)."""
    return Paragraph(escape(value), style)


@dataclass(frozen=True)
class Field:
    """One labelled value of the grid. ``label`` is English source text (translated here);
    ``value`` is user text (escaped) or a ready flowable."""

    label: str
    value: object
    wide: bool = False  # the value spans the rest of the row
    min_height: float = 0.0  # room to write by hand


@dataclass(frozen=True)
class Section:
    """A shaded band across the grid that names the fields below it."""

    title: str


class CheckBoxes(Flowable):
    """A row of boxes with labels (□ 非常满意 □ 满意 ...), ticked where chosen.

    Drawn with lines, not glyphs: the shipped font has no ballot-box characters.
    """

    def __init__(self, options: Sequence[str], checked: int | None, font: str,
                 size: float) -> None:
        super().__init__()
        self.options = list(options)
        self.checked = checked
        self.font = font
        self.size = size

    def _places(self, width: float) -> list[tuple[float, int]]:
        """(x, line) of each box: the boxes go on as many lines as the width needs."""
        places = []
        x, line = 0.0, 0
        for text in self.options:
            step = self.size * 1.3 + stringWidth(text, self.font, self.size)
            if x > 0 and x + step > width:
                x, line = 0.0, line + 1
            places.append((x, line))
            x += step + self.size * 1.6
        return places

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self._at = self._places(avail_width)
        lines = 1 + max((line for _x, line in self._at), default=0)
        self.height = self.size * 1.4 * lines
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        box = self.size * 0.95
        c.setLineWidth(0.7)
        c.setFont(self.font, self.size)
        for index, (text, (x, line)) in enumerate(zip(self.options, self._at, strict=True)):
            y = self.height - self.size * 1.4 * (line + 1) + (self.size * 1.4 - box) / 2
            c.rect(x, y, box, box, stroke=1, fill=0)
            if index == self.checked:
                c.setLineWidth(1.3)
                c.lines([(x + box * 0.18, y + box * 0.52, x + box * 0.42, y + box * 0.2),
                         (x + box * 0.42, y + box * 0.2, x + box * 0.85, y + box * 0.85)])
                c.setLineWidth(0.7)
            c.drawString(x + box + self.size * 0.35, y + box * 0.15, text)


class RuledLines(Flowable):
    """Blank lines to write on by hand."""

    def __init__(self, count: int, gap: float) -> None:
        super().__init__()
        self.count = count
        self.gap = gap

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.height = self.count * self.gap
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        c.setStrokeColorRGB(0.6, 0.6, 0.6)
        c.setLineWidth(0.4)
        c.setDash(1, 2)
        for i in range(1, self.count + 1):
            y = self.height - i * self.gap + 1
            c.line(0, y, self.width, y)


def grid_commands(styles: Styles) -> list[tuple]:
    """Borders, padding and the font of every grid; without FONT, empty cells select
    reportlab's default Helvetica, which is not embedded."""
    return [
        ("FONT", (0, 0), (-1, -1), styles.cell.fontName, styles.cell.fontSize),
        ("GRID", (0, 0), (-1, -1), LINE, RULE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
        ("TOPPADDING", (0, 0), (-1, -1), PAD - 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), PAD),
    ]


def field_grid(
    rows: Sequence[Section | Field | tuple[Field, ...]], styles: Styles, width: float,
    label_share: float = 0.15,
) -> list[Flowable]:
    """The bordered grid (label | value | label | value, shaded labels) as rows that split
    across pages (``grid.GridRow``). A row of one wide field spans the width after its label;
    a row of three fields shares it in three (signatures and stamp)."""
    label_w = width * label_share
    out: list[Flowable] = []
    band: Cell | None = None
    for row in rows:
        if isinstance(row, Section):
            if band is not None:
                out.append(GridRow([], band=band))
            band = Cell(width, (Paragraph(escape(tr(row.title)), styles.section),), shade=BAND)
            continue
        fields = (row,) if isinstance(row, Field) else row
        value_w = (width - len(fields) * label_w) / (2 if len(fields) == 1 else len(fields))
        cells: list[Cell] = []
        for f in fields:
            cells.append(_label_cell(f.label, label_w, styles))
            cells.append(Cell(width - label_w if len(fields) == 1 else value_w,
                              _value(f.value, styles)))
        out.append(GridRow(cells, min_height=max(f.min_height for f in fields), band=band))
        band = None
    if band is not None:
        out.append(GridRow([], band=band))
    return out


def _label_cell(text: str, width: float, styles: Styles) -> Cell:
    def continued() -> tuple[Flowable, ...]:
        return (Paragraph(escape(tr("{label} (continued)", label=tr(text))), styles.label),)

    return Cell(width, (Paragraph(escape(tr(text)), styles.label),), shade=SHADE,
                continued=continued)


def _value(value: object, styles: Styles) -> tuple[Flowable, ...]:
    if isinstance(value, Flowable):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, Flowable) for v in value):
        return tuple(value)
    return (para(value, styles.cell),)


#: the charges table's headings; 付费方 only when the lines carry their payer
CHARGE_HEADS = ("No.", "Charge type", "Item / part", "Payer", "Qty", "Unit price (¥)",
                "Amount (¥)")


def charge_table(charges: Sequence[ChargeRow], styles: Styles, width: float,
                 title: str = "Charge details") -> Table:
    """The section band, then 序号 | 类别 | 项目 | 数量 | 单价 | 金额; both repeated on every page,
    then the total in figures and in Chinese capitals. Lines that carry their payer
    (``ChargeRow.payer``) get a 付费方 column after the item."""
    payers = any(getattr(line, "payer", None) is not None for line in charges)
    shares = ((0.07, 0.1, 0.37, 0.09, 0.09, 0.14, 0.14) if payers
              else (0.07, 0.11, 0.44, 0.1, 0.14, 0.14))
    widths = [width * s for s in shares]
    cols = len(shares)
    heads = tuple(h for h in CHARGE_HEADS if payers or h != "Payer")
    head = [Paragraph(escape(tr(t)), styles.head) for t in heads]
    band = [Paragraph(escape(tr(title)), styles.section), *[""] * (cols - 1)]
    data: list[list[object]] = [band, head]
    for n, line in enumerate(charges, start=1):
        payer = getattr(line, "payer", None)
        data.append([
            Paragraph(str(n), styles.head),
            Paragraph(escape(label(line.kind)), styles.head),
            para(line.description, styles.cell),
            *((Paragraph(escape(label(payer)) if payer else "", styles.head),) if payers
              else ()),
            Paragraph(str(line.quantity), styles.number),
            Paragraph(yuan(line.unit_price_fen), styles.number),
            Paragraph(yuan(line.amount_fen), styles.number),
        ])
    if not charges:
        data.append([Paragraph(escape(tr("No charges")), styles.head), *[""] * (cols - 1)])
    total = total_fen(charges)
    total_row = len(data)
    data.append([Paragraph(escape(tr("Total")), styles.head), "",
                 para(tr("RMB in words: {words}", words=rmb_upper(total)), styles.cell),
                 *[""] * (cols - 4), Paragraph("¥ " + yuan(total), styles.number)])
    commands = [
        *grid_commands(styles),
        ("SPAN", (0, 0), (-1, 0)),
        ("BACKGROUND", (0, 0), (-1, 0), BAND),
        ("BACKGROUND", (0, 1), (-1, 1), SHADE),
        ("SPAN", (0, total_row), (1, total_row)),
        ("SPAN", (2, total_row), (cols - 2, total_row)),
        ("BACKGROUND", (0, total_row), (1, total_row), SHADE),
    ]
    if not charges:
        commands.append(("SPAN", (0, 2), (cols - 1, 2)))
    table = Table(data, colWidths=widths, repeatRows=2, splitByRow=1, hAlign="LEFT")
    table.setStyle(TableStyle(commands))
    return table


def gap(height_mm: float = 2.5) -> Flowable:
    return Spacer(1, height_mm * mm)


def list_table(heads: Sequence[str], rows: Sequence[Sequence[object]], shares: Sequence[float],
               styles: Styles, width: float, *, numbers: Sequence[int] = (),
               footer: Sequence[object] | None = None,
               row_height: float | None = None) -> Table:
    """A ruled list: translated column heads repeated on every page, one row per item (user
    text escaped; the columns in ``numbers`` right-aligned), and an optional footer row.
    ``row_height``: the least height of a row, room to write in by hand."""
    head = [Paragraph(escape(tr(h)), styles.head) for h in heads]
    data: list[list[object]] = [head]
    for row in rows:
        data.append([_cell(value, styles.number if i in numbers else styles.cell)
                     for i, value in enumerate(row)])
    if not rows:
        data.append([Paragraph(escape(tr("None")), styles.head)] + [""] * (len(heads) - 1))
    if footer is not None:
        data.append([_cell(value, styles.number if i in numbers else styles.cell)
                     for i, value in enumerate(footer)])
    commands = [*grid_commands(styles), ("BACKGROUND", (0, 0), (-1, 0), SHADE)]
    if not rows:
        commands.append(("SPAN", (0, 1), (-1, 1)))
    if footer is not None:
        commands.append(("BACKGROUND", (0, len(data) - 1), (-1, len(data) - 1), SHADE))
    heights = [0.0] + [row_height or 0.0] * (len(data) - 1)
    table = Table(data, colWidths=[width * s for s in shares], repeatRows=1, splitByRow=1,
                  hAlign="LEFT", minRowHeights=heights)
    table.setStyle(TableStyle(commands))
    return table


def _cell(value: object, style) -> object:
    return value if isinstance(value, Flowable) else para(value, style)
