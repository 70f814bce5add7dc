"""The rule for rewriting an order's charge lines as a whole (the charge editor saves its
table): free lines are checked and replaced; lines issued from stock come back unchanged,
since they change only by issuing and returning parts (old parts refer to those rows).
"""

from __future__ import annotations

from app.domain import validation as v
from app.domain.charges import Charge
from app.domain.enums import ChargeKind
from app.domain.errors import RuleViolation
from app.services import text_input as t
from app.store.models import ChargeLine

MAX_UNIT_PRICE_FEN = 100_000_000  # ¥1,000,000

#: what the editor saves: the line as typed
ChargeInput = Charge


def keep_part_lines(current: list[ChargeLine], lines: list[ChargeInput]) -> list[ChargeLine]:
    """The new charge lines: the free lines as given, the part lines kept as they are (the
    same rows: old parts refer to them). A part line given back is matched by its id, or
    without one by its content (an editor that round-trips plain charges)."""
    parts = {c.id: c for c in current if c.part_id is not None}
    unmatched = list(parts.values())
    out: list[ChargeLine] = []
    for i, line in enumerate(lines, start=1):
        line_id = getattr(line, "id", "") or ""
        row = parts.get(line_id)
        if row is None and getattr(line, "part_id", None) is not None:
            raise RuleViolation("Line {line}: parts from stock are added by issuing them to "
                                "the order.", field="charges", line=i)
        if row is None and not line_id:
            row = next((c for c in unmatched if _same(c, line)), None)
        if row is not None:
            if row not in unmatched or not _same(row, line):
                raise RuleViolation("Line {line}: the parts line '{description}' changes only "
                                    "by issuing or returning parts.", field="charges", line=i,
                                    description=row.description)
            unmatched.remove(row)
            out.append(row)
            continue
        c = _check_charge(i, line)
        out.append(ChargeLine(kind=c.kind.value, description=c.description,
                              quantity=c.quantity, unit_price_fen=c.unit_price_fen))
    if unmatched:
        raise RuleViolation("The parts line '{description}' can only be removed by returning "
                            "the part to stock.", field="charges",
                            description=unmatched[0].description)
    for position, row in enumerate(out):
        row.position = position
    return out


def _same(row: ChargeLine, line: ChargeInput) -> bool:
    return (ChargeKind(row.kind) is ChargeKind(line.kind) and row.description == line.description
            and row.quantity == line.quantity and row.unit_price_fen == line.unit_price_fen)


def _check_charge(index: int, line: ChargeInput) -> ChargeInput:
    description = t.check_required(line.description, "charges", "Charge description", 200)
    v.check_range(line.quantity, "charges", "Quantity", 1, 10_000)
    v.check_range(line.unit_price_fen, "charges", "Unit price (fen)", 0, MAX_UNIT_PRICE_FEN)
    return ChargeInput(ChargeKind(line.kind), description, line.quantity, line.unit_price_fen)
