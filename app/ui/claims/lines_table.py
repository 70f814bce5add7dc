"""The claim lines table (索赔明细): each line's order, charge, amounts and schedule, its
findings in plain Chinese (blocked red, warning amber, explained grey with the manager's
reason), and head office's decision (approved / adjusted / rejected with amount and reason)
once sync brings it; and the table of the overrides kept with the batch.
"""

from __future__ import annotations

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QTableWidget

from app.domain.claims import Check, ClaimStatus, Decision, Severity
from app.domain.enums import ChargeKind
from app.i18n import tr
from app.services.claims import ClaimBatchDetail, ClaimLineInfo, LineFinding, OverrideInfo
from app.ui.formatting import label, local_time, yuan
from app.ui.parts.common import cell, enum_label, make_table

LINE_HEADERS = ("#", "Order", "Item", "Description", "Qty", "Unit price", "Claimed",
                "Schedule", "Old-part tag", "Claim checks", "Decision", "Approved", "Head office's reason")
OVERRIDE_HEADERS = ("Line", "Warning", "Reason", "By", "When")
FINDING_COLUMN = 9
DECISION_COLUMN = 10
BLOCKED = QColor("#c62828")
WARNING = QColor("#b26a00")
EXPLAINED = QColor("#616161")
REJECTED = QColor("#c62828")
ADJUSTED = QColor("#b26a00")
APPROVED = QColor("#2e7d32")
BLOCKED_BG = QColor("#fdecea")
WARNING_BG = QColor("#fff4e0")


def make_lines_table() -> QTableWidget:
    table = make_table(LINE_HEADERS, "claim_lines_table",
                       {0: 36, 1: 165, 2: 60, 3: 130, 4: 40, 5: 70, 6: 75, 7: 75, 8: 170,
                        9: 250, 10: 60, 11: 70})
    table.setWordWrap(True)
    return table


def make_overrides_table() -> QTableWidget:
    return make_table(OVERRIDE_HEADERS, "claim_overrides_table",
                      {0: 60, 1: 130, 2: 360, 3: 80, 4: 140})


def finding_text(f: LineFinding, reason: str = "") -> str:
    """One finding as the line shows it: its name, its plain reason, and, when explained,
    the manager's reason."""
    text = f"{label(f.check)}：{tr(f.template, **f.params)}"
    if f.overridden:
        text += "  " + tr("(explained: {reason})", reason=reason)
    return text


def fill_lines(table: QTableWidget, detail: ClaimBatchDetail | None) -> None:
    lines = detail.lines if detail else ()
    reasons = {(o.line_id, o.check): o.reason for o in (detail.overrides if detail else ())}
    sent = detail is not None and detail.status is not ClaimStatus.DRAFT
    table.setRowCount(len(lines))
    for r, line in enumerate(lines):
        values = (line.position + 1, line.order_number, enum_label(ChargeKind, line.kind),
                  line.description, line.quantity, yuan(line.unit_fen), yuan(line.amount_fen),
                  yuan(line.schedule_fen), line.old_part_tag)
        for c, value in enumerate(values):
            table.setItem(r, c, cell(value, right=c in (0, 4, 5, 6, 7),
                                     key=line.id if c == 0 else None))
        _finding_cell(table, r, line, reasons)
        _decision_cells(table, r, line, sent)
    table.resizeRowsToContents()


def _finding_cell(table: QTableWidget, row: int, line: ClaimLineInfo,
                  reasons: dict[tuple[str, str], str]) -> None:
    texts = [finding_text(f, reasons.get((line.id, f.check.value), "")) for f in line.findings]
    item = cell("\n".join(texts) if texts else tr("No problem found"))
    item.setToolTip("\n".join(texts))
    if any(f.severity is Severity.BLOCKED for f in line.findings):
        item.setForeground(QBrush(BLOCKED))
        item.setBackground(QBrush(BLOCKED_BG))
    elif any(not f.overridden for f in line.findings):
        item.setForeground(QBrush(WARNING))
        item.setBackground(QBrush(WARNING_BG))
    elif line.findings:
        item.setForeground(QBrush(EXPLAINED))
    table.setItem(row, FINDING_COLUMN, item)


def _decision_cells(table: QTableWidget, row: int, line: ClaimLineInfo, sent: bool) -> None:
    if line.decision is None:
        values = (tr("Awaiting head office") if sent else "", "", "")
        colour = None
    else:
        values = (label(line.decision), yuan(line.approved_fen or 0), line.decision_reason)
        colour = {Decision.APPROVED: APPROVED, Decision.ADJUSTED: ADJUSTED,
                  Decision.REJECTED: REJECTED}[line.decision]
    for c, value in enumerate(values, start=DECISION_COLUMN):
        item = cell(value, right=c == DECISION_COLUMN + 1)
        if colour is not None:
            item.setForeground(QBrush(colour))
        table.setItem(row, c, item)


def fill_overrides(table: QTableWidget, detail: ClaimBatchDetail | None) -> None:
    overrides: tuple[OverrideInfo, ...] = detail.overrides if detail else ()
    positions = {x.id: x.position + 1 for x in (detail.lines if detail else ())}
    table.setRowCount(len(overrides))
    for r, o in enumerate(overrides):
        try:
            check = label(Check(o.check))
        except ValueError:
            check = o.check
        for c, value in enumerate((positions.get(o.line_id, ""), check, o.reason, o.username,
                                   local_time(o.created_at))):
            table.setItem(r, c, cell(value, right=c == 0))
