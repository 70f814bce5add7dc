"""The sheets the claim papers print, read from the station's store: 三包索赔清单 (subject
``claim_batch``, by the batch's number or id) and 索赔结算单 (subject ``claim_settlement``, by
the batch's number or id or the statement's number; refused until head office settled it).
Registered with ``ReportService`` so ``repair-station print claim-batch|settlement NUMBER``
and the print window find them. Reads only; no Qt.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.domain.claims import ClaimStatus
from app.domain.errors import RuleViolation
from app.printing.claim_batch import ClaimOverrideNote, ClaimPaperLine, ClaimSheet
from app.printing.data import StationHeader
from app.services.errors import not_found
from app.store.base import utcnow
from app.store.database import Database
from app.store.models import ClaimBatch, ServiceOrder, User

#: the subjects the two papers are about (``DocumentSpec.subject``)
BATCH_SUBJECT = "claim_batch"
SETTLEMENT_SUBJECT = "claim_settlement"
_SETTLED = frozenset({ClaimStatus.SETTLED.value, ClaimStatus.PAID.value})


class ClaimPapers:
    def __init__(self, db: Database, clock: Callable[[], datetime] = utcnow,
                 tz: tzinfo | None = None) -> None:
        self.db = db
        self.clock = clock
        self.tz = tz

    def batch_sheet(self, key: str, letterhead: StationHeader) -> ClaimSheet:
        """The claim list of the batch numbered (or with id) ``key``; NotFound otherwise."""
        with self.db.read() as s:
            return claim_sheet(s, find_batch(s, key), letterhead, self.clock(), self.tz)

    def settlement_sheet(self, key: str, letterhead: StationHeader) -> ClaimSheet:
        """The settlement statement of the batch ``key`` (its number or id, or the
        statement's number); a batch head office has not settled is refused."""
        with self.db.read() as s:
            batch = find_batch(s, key, statements=True)
            if batch.status not in _SETTLED or not batch.statement_no:
                raise RuleViolation("Claim batch {number} is not settled yet; the settlement "
                                    "statement prints once head office has settled it.",
                                    field="number", number=batch.number)
            return claim_sheet(s, batch, letterhead, self.clock(), self.tz)


def find_batch(s: Session, key: str, statements: bool = False) -> ClaimBatch:
    key = (key or "").strip()
    if not key or len(key) > 40:
        raise not_found("claim batch")
    batch = s.get(ClaimBatch, key)
    if batch is None:
        match = [ClaimBatch.number == key.upper()]
        if statements:
            match.append(ClaimBatch.statement_no == key.upper())
        batch = s.scalars(select(ClaimBatch).where(or_(*match))
                          .order_by(ClaimBatch.number)).first()
    if batch is None:
        raise not_found("claim batch")
    return batch


def claim_sheet(s: Session, batch: ClaimBatch, letterhead: StationHeader, printed_at: datetime,
                tz: tzinfo | None = None) -> ClaimSheet:
    """The batch's printable facts: every line with its order's customer and product, the
    overrides kept with it, head office's decisions and statement."""
    lines = sorted(batch.lines, key=lambda x: x.position)
    orders = {o.id: o for o in s.scalars(select(ServiceOrder).where(
        ServiceOrder.id.in_({x.order_id for x in lines})))}
    notes: dict[str, list[ClaimOverrideNote]] = {}
    for o in sorted(batch.overrides, key=lambda o: (o.created_at, o.id)):
        notes.setdefault(o.line_id, []).append(
            ClaimOverrideNote(o.check, o.reason, o.username, o.created_at))
    rows = []
    for n, x in enumerate(lines, start=1):
        order = orders.get(x.order_id)
        product = order.product if order is not None else None
        rows.append(ClaimPaperLine(
            n, order.number if order else "", order.customer.name if order else "",
            product.model if product else "", product.serial_no if product else "",
            x.kind, x.description, x.quantity, x.unit_fen, x.amount_fen, x.old_part_tag,
            tuple(notes.get(x.id, ())), x.decision, x.approved_fen, x.decision_reason))
    submitter = s.get(User, batch.submitted_by) if batch.submitted_by else None
    return ClaimSheet(
        station=letterhead, number=batch.number, period=batch.period, status=batch.status,
        lines=tuple(rows), printed_at=printed_at, submitted_at=batch.submitted_at,
        submitted_by=submitter.display_name if submitter else "",
        statement_no=batch.statement_no, claimed_fen=batch.claimed_fen,
        approved_fen=batch.approved_fen, deducted_fen=batch.deducted_fen,
        payable_fen=batch.payable_fen, settled_at=batch.settled_at, paid_at=batch.paid_at,
        paid_note=batch.paid_note, tz=tz)
