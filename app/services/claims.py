"""Warranty claims at the station (三包索赔): the manager builds the period's draft batch from
finished in-warranty orders (``build``; rebuilding adds orders finished since and keeps the
overrides), sees each line's findings (``detail``), explains a warning in writing
(``override``), drops a line (``remove_line``) and submits the batch (``submit``): from then
on it travels to head office as the station-owned ``claim_batch`` record (lines and
overrides inline), and only head office's decisions and settlement change it
(``app.services.claims_sync``) until the manager marks the statement paid (``mark_paid``).

Who may do what: a claim asks head office for money in the station's name, so every write is
the station manager's (站长); anyone may read. A draft stays at the station (audit only);
submission and payment write the outbox row in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain import claims as c
from app.domain.claims import Check, ClaimStatus, Decision, Finding, Severity
from app.domain.errors import RuleViolation
from app.domain.parts import DocumentPrefix
from app.domain.permissions import Permission
from app.services import claim_facts as facts
from app.services import events
from app.services import stock_ledger as ledger
from app.services import text_input as t
from app.services.context import Actor
from app.services.errors import not_found
from app.services.journal import record, row_payload
from app.services.warranty_policy import current_policy
from app.store.base import utcnow
from app.store.database import Database
from app.store.models import ClaimBatch, ClaimLine, ClaimOverride, Part, ServiceOrder

#: the outbox entity of a batch (a station-owned RECORD in sync/entities.py)
ENTITY = "claim_batch"
#: ChangeBus kind this service (and claims_sync) announces
CLAIMS = "claims"
MAX_NOTE = 200


@dataclass(frozen=True)
class LineFinding:
    check: Check
    severity: Severity
    template: str
    params: dict[str, Any]
    overridden: bool


@dataclass(frozen=True)
class ClaimLineInfo:
    id: str
    position: int
    order_id: str
    order_number: str
    kind: str
    description: str
    quantity: int
    unit_fen: int
    amount_fen: int
    schedule_fen: int
    part_id: str | None
    part_no: str
    old_part_id: str | None
    old_part_tag: str
    decision: Decision | None
    approved_fen: int | None
    decision_reason: str
    decided_at: datetime | None
    findings: tuple[LineFinding, ...]

    @property
    def blocked(self) -> bool:
        return any(f.severity is Severity.BLOCKED for f in self.findings)

    @property
    def outstanding(self) -> tuple[LineFinding, ...]:
        """What stops this line being sent: blocked findings, warnings not explained."""
        return tuple(f for f in self.findings
                     if f.severity is Severity.BLOCKED or not f.overridden)


@dataclass(frozen=True)
class OverrideInfo:
    id: str
    line_id: str
    check: str
    reason: str
    username: str
    created_at: datetime


@dataclass(frozen=True)
class ClaimBatchDetail:
    id: str
    number: str
    period: str
    status: ClaimStatus
    revision: int
    created_at: datetime
    submitted_at: datetime | None
    lines: tuple[ClaimLineInfo, ...]
    overrides: tuple[OverrideInfo, ...]
    statement_no: str
    claimed_fen: int
    approved_fen: int
    deducted_fen: int
    payable_fen: int
    settled_at: datetime | None
    paid_at: datetime | None
    paid_note: str

    @property
    def total_fen(self) -> int:
        """What the batch claims: the exact sum of its lines."""
        return c.total([line.amount_fen for line in self.lines])

    @property
    def decided_fen(self) -> int:
        """What head office's decisions so far grant."""
        return c.total([line.approved_fen or 0 for line in self.lines])

    @property
    def editable(self) -> bool:
        return self.status is ClaimStatus.DRAFT

    @property
    def problems(self) -> tuple[tuple[ClaimLineInfo, LineFinding], ...]:
        return tuple((line, f) for line in self.lines for f in line.outstanding)

    @property
    def submittable(self) -> bool:
        return self.editable and bool(self.lines) and not self.problems


@dataclass(frozen=True)
class ClaimBatchRow:
    id: str
    number: str
    period: str
    status: ClaimStatus
    lines: int
    total_fen: int
    created_at: datetime
    submitted_at: datetime | None
    payable_fen: int


class ClaimService:
    def __init__(self, db: Database, bus: events.ChangeBus,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.bus = bus
        self.clock = clock

    # -- reading ------------------------------------------------------------------------------
    def list(self, period: str | None = None) -> list[ClaimBatchRow]:
        """Batches newest period first; only ``period``'s if given."""
        stmt = (select(ClaimBatch, func.count(ClaimLine.id),
                       func.coalesce(func.sum(ClaimLine.amount_fen), 0))
                .outerjoin(ClaimLine, ClaimLine.batch_id == ClaimBatch.id)
                .group_by(ClaimBatch.id)
                .order_by(ClaimBatch.period.desc(), ClaimBatch.number.desc()))
        if period is not None:
            stmt = stmt.where(ClaimBatch.period == _period(period))
        with self.db.read() as s:
            return [ClaimBatchRow(b.id, b.number, b.period, ClaimStatus(b.status), int(n),
                                  int(total), b.created_at, b.submitted_at, b.payable_fen)
                    for b, n, total in s.execute(stmt)]

    def detail(self, batch_id: str) -> ClaimBatchDetail:
        """The batch (by id or by number CB-...) with its lines, findings and overrides."""
        with self.db.read() as s:
            return _detail(s, _find(s, batch_id))

    # -- the manager's draft ------------------------------------------------------------------
    def build(self, actor: Actor, period: str) -> ClaimBatchDetail:
        """Gathers the period's finished, maker-paid orders not yet claimed into the period's
        draft batch (created when there is none)."""
        actor.require(Permission.CLAIM_MANAGE)
        period = _period(period)
        now = self.clock()
        with self.db.write() as s:
            batch = self._draft_for(s, actor, period, now)
            policy = current_policy(s)
            added = 0
            for order in facts.candidates(s, period, batch.id):
                added += self._add(s, batch, policy, order)
            _bump(batch, now)
            record(s, actor, action="claim.build", entity=ENTITY, entity_id=batch.id,
                   detail=f"{batch.number} {period} +{added}")
            result = _detail(s, batch)
        self.bus.publish({CLAIMS})
        return result

    def add_order(self, actor: Actor, batch_id: str, order_key: str) -> ClaimBatchDetail:
        """Adds one order (by id or number) to a draft; an order that is not finished, has
        nothing under warranty or is already claimed is refused."""
        actor.require(Permission.CLAIM_MANAGE)
        t.check_key(order_key, "order", "Order")
        now = self.clock()
        with self.db.write() as s:
            batch = self._editable(s, batch_id)
            key = (order_key or "").strip()
            order = s.get(ServiceOrder, key[:36]) or s.scalar(
                select(ServiceOrder).where(ServiceOrder.number == key.upper()[:40]))
            if order is None:
                raise not_found("order")
            if order.status not in facts.DONE_STATES:
                raise RuleViolation("Order {number} is not finished; only completed orders "
                                    "can be claimed.", field="order", number=order.number)
            if not facts.has_maker_lines(order):
                raise RuleViolation("Order {number} has nothing under warranty to claim.",
                                    field="order", number=order.number)
            taken = facts.claimed_orders(s).get(order.id)
            if taken:
                raise RuleViolation("Order {number} is already claimed in batch {batch}.",
                                    field="order", number=order.number, batch=taken)
            self._add(s, batch, current_policy(s), order)
            _bump(batch, now)
            record(s, actor, action="claim.add_order", entity=ENTITY, entity_id=batch.id,
                   detail=f"{batch.number} {order.number}")
            result = _detail(s, batch)
        self.bus.publish({CLAIMS})
        return result

    def remove_line(self, actor: Actor, batch_id: str, line_id: str) -> ClaimBatchDetail:
        """Drops a line from a draft (its overrides go with it)."""
        actor.require(Permission.CLAIM_MANAGE)
        t.check_key(line_id, "line_id", "Claim line")
        now = self.clock()
        with self.db.write() as s:
            batch = self._editable(s, batch_id)
            line = _line(batch, line_id)
            batch.lines.remove(line)
            for o in [o for o in batch.overrides if o.line_id == line.id]:
                batch.overrides.remove(o)
            _bump(batch, now)
            record(s, actor, action="claim.remove_line", entity=ENTITY, entity_id=batch.id,
                   detail=f"{batch.number} {line.kind} {line.description}")
            result = _detail(s, batch)
        self.bus.publish({CLAIMS})
        return result

    def override(self, actor: Actor, batch_id: str, line_id: str, check: str,
                 reason: str) -> ClaimBatchDetail:
        """The manager's written reason to send a line despite one of its warnings (a second
        reason for the same warning replaces the first). A blocked finding cannot be
        overridden."""
        actor.require(Permission.CLAIM_OVERRIDE)
        t.check_key(line_id, "line_id", "Claim line")
        reason = t.check_required(reason, "reason", "Reason", c.MAX_OVERRIDE_REASON)
        try:
            code = Check(check)
        except ValueError:
            raise RuleViolation("Unknown check '{check}'.", field="check",
                                check=str(check)[:40]) from None
        if not code.overridable:
            raise RuleViolation("{check} blocks the claim; it cannot be overridden. Remove "
                                "the line instead.", field="check", check=code)
        now = self.clock()
        with self.db.write() as s:
            batch = self._editable(s, batch_id)
            line = _line(batch, line_id)
            found = facts.facts_of(s, current_policy(s), batch)[line.id]
            if code not in {f.check for f in c.findings(found)}:
                raise RuleViolation("This line has no warning '{check}' to override.",
                                    field="check", check=code)
            existing = next((o for o in batch.overrides
                             if o.line_id == line.id and o.check == code.value), None)
            if existing is None:
                batch.overrides.append(ClaimOverride(
                    line_id=line.id, check=code.value, reason=reason,
                    user_id=actor.user_id or None, username=actor.username, created_at=now))
            else:
                existing.reason, existing.username = reason, actor.username
                existing.user_id, existing.created_at = actor.user_id or None, now
            _bump(batch, now)
            record(s, actor, action="claim.override", entity=ENTITY, entity_id=batch.id,
                   detail=f"{batch.number} {code.value}: {reason}")
            result = _detail(s, batch)
        self.bus.publish({CLAIMS})
        return result

    def submit(self, actor: Actor, batch_id: str) -> ClaimBatchDetail:
        """Sends the draft to head office (at the next sync). Refused while a line is blocked
        or has a warning without the manager's reason; the message lists them."""
        actor.require(Permission.CLAIM_SUBMIT)
        now = self.clock()
        with self.db.write() as s:
            batch = self._editable(s, batch_id)
            detail = _detail(s, batch)
            if not detail.lines:
                raise RuleViolation("Claim batch {number} has no lines to submit.",
                                    field="lines", number=batch.number)
            if detail.problems:
                raise RuleViolation(
                    "Claim batch {number} cannot be submitted yet:\n{problems}",
                    field="lines", number=batch.number,
                    problems=tuple(_problem(line, f) for line, f in detail.problems))
            batch.status = ClaimStatus.SUBMITTED.value
            batch.submitted_at = now
            batch.submitted_by = actor.user_id or None
            journal(s, actor, batch, "submit", now)
            result = _detail(s, batch)
        self.bus.publish({CLAIMS, events.OUTBOX})
        return result

    def mark_paid(self, actor: Actor, batch_id: str, note: str = "") -> ClaimBatchDetail:
        """Head office's payment of a settled statement has arrived."""
        actor.require(Permission.CLAIM_MARK_PAID)
        note = t.check_length(note, "note", "Note", MAX_NOTE)
        now = self.clock()
        with self.db.write() as s:
            batch = _find(s, batch_id)
            if batch.status != ClaimStatus.SETTLED.value:
                raise RuleViolation("Claim batch {number} is {status}; only a settled "
                                    "statement can be marked paid.", field="status",
                                    number=batch.number, status=ClaimStatus(batch.status))
            batch.status = ClaimStatus.PAID.value
            batch.paid_at = now
            batch.paid_by = actor.user_id or None
            batch.paid_note = note
            journal(s, actor, batch, "paid", now)
            result = _detail(s, batch)
        self.bus.publish({CLAIMS, events.OUTBOX})
        return result

    # -- helpers --------------------------------------------------------------------------------
    def _draft_for(self, s: Session, actor: Actor, period: str, now: datetime) -> ClaimBatch:
        batch = s.scalar(select(ClaimBatch).where(ClaimBatch.period == period,
                                                  ClaimBatch.status == ClaimStatus.DRAFT.value))
        if batch is None:
            batch = ClaimBatch(
                number=ledger.next_number(s, DocumentPrefix.CLAIM_BATCH,
                                          now.astimezone().date()),
                period=period, status=ClaimStatus.DRAFT.value,
                created_by=actor.user_id or None, created_at=now, updated_at=now)
            s.add(batch)
            s.flush()
        return batch

    def _editable(self, s: Session, batch_id: str) -> ClaimBatch:
        batch = _find(s, batch_id)
        if batch.status != ClaimStatus.DRAFT.value:
            raise RuleViolation("Claim batch {number} is {status}; after submission only head "
                                "office's decisions change it.", field="status",
                                number=batch.number, status=ClaimStatus(batch.status))
        return batch

    def _add(self, s: Session, batch: ClaimBatch, policy: Any, order: ServiceOrder) -> int:
        position = max((x.position for x in batch.lines), default=-1) + 1
        new = facts.lines_for(s, policy, order)
        for i, n in enumerate(new):
            batch.lines.append(ClaimLine(
                position=position + i, order_id=n.order_id, charge_line_id=n.charge_line_id,
                kind=n.kind, description=n.description, quantity=n.quantity,
                unit_fen=n.unit_fen, amount_fen=n.amount_fen, schedule_fen=n.schedule_fen,
                part_id=n.part_id, old_part_id=n.old_part_id, old_part_tag=n.old_part_tag))
        s.flush()
        return 1 if new else 0


# -- shared with claims_sync ---------------------------------------------------------------------


def journal(s: Session, actor: Actor, batch: ClaimBatch, action: str, now: datetime) -> None:
    """Bumps the batch and writes its audit entry and ONE outbox upsert: the batch row with
    its lines and overrides inline."""
    base = batch.revision
    _bump(batch, now)
    s.flush()
    record(s, actor, action=f"claim.{action}"[:32], entity=ENTITY, entity_id=batch.id,
           payload=push_payload(s, batch), base_revision=base,
           detail=f"{batch.number} {batch.status}")


def push_payload(s: Session, batch: ClaimBatch) -> dict[str, Any]:
    numbers = dict(s.execute(select(ServiceOrder.id, ServiceOrder.number).where(
        ServiceOrder.id.in_({x.order_id for x in batch.lines}))).all())
    part_nos = dict(s.execute(select(Part.id, Part.part_no).where(
        Part.id.in_({x.part_id for x in batch.lines if x.part_id}))).all())
    lines = [{"id": x.id, "order_id": x.order_id, "order_number": numbers.get(x.order_id, ""),
              "kind": x.kind, "description": x.description, "quantity": x.quantity,
              "unit_fen": x.unit_fen, "amount_fen": x.amount_fen,
              "schedule_fen": x.schedule_fen, "part_id": x.part_id,
              "part_no": part_nos.get(x.part_id or "", ""), "old_part_id": x.old_part_id,
              "old_part_tag": x.old_part_tag}
             for x in sorted(batch.lines, key=lambda x: x.position)]
    overrides = [{"id": o.id, "line_id": o.line_id, "check": o.check, "reason": o.reason,
                  "username": o.username, "created_at": o.created_at.isoformat()}
                 for o in batch.overrides]
    return row_payload(batch, lines=lines, overrides=overrides)


def _bump(batch: ClaimBatch, now: datetime) -> None:
    batch.revision += 1
    batch.updated_at = now


def _period(text: str) -> str:
    t.check_key(text, "period", "Period")
    try:
        c.parse_period(text)
    except ValueError:
        raise RuleViolation("The period must be a month written YYYY-MM, such as 2026-05.",
                            field="period") from None
    return text.strip()


def _find(s: Session, key: str) -> ClaimBatch:
    t.check_key(key, "batch", "Claim batch")
    key = (key or "").strip()
    batch = s.get(ClaimBatch, key[:36]) or s.scalar(
        select(ClaimBatch).where(ClaimBatch.number == key.upper()[:40]))
    if batch is None:
        raise not_found("claim batch")
    return batch


def _line(batch: ClaimBatch, line_id: str) -> ClaimLine:
    line = next((x for x in batch.lines if x.id == line_id), None)
    if line is None:
        raise RuleViolation("That line is not in claim batch {number}.", field="line_id",
                            number=batch.number)
    return line


def _problem(line: ClaimLineInfo, f: LineFinding) -> RuleViolation:
    what = "blocked" if f.severity is Severity.BLOCKED else "needs a reason"
    return RuleViolation("Line {n} ({order}, {what}): {reason}", n=line.position + 1,
                         order=line.order_number, what=what,
                         reason=RuleViolation(f.template, **f.params))


def finding_params(f: Finding) -> dict[str, Any]:
    """The finding's parameters ready for ``tr()``: amounts in 元, words translatable."""
    params = dict(f.params)
    if f.check is Check.ABOVE_SCHEDULE:
        params = {k: f"¥{v / 100:.2f}" for k, v in params.items()}
    elif f.check is Check.MISSING_PURCHASE_PROOF:
        params["missing"] = tuple(c.PROOF_TEXT[x] for x in params["missing"])
    elif f.check is Check.IMPOSSIBLE_TIMES:
        params["what"] = tuple(c.TIMES_TEXT[x] for x in params["what"])
    return params


def _detail(s: Session, batch: ClaimBatch) -> ClaimBatchDetail:
    s.flush()
    lines = sorted(batch.lines, key=lambda x: x.position)
    found = facts.facts_of(s, current_policy(s), batch)
    overridden = {(o.line_id, o.check) for o in batch.overrides}
    numbers = dict(s.execute(select(ServiceOrder.id, ServiceOrder.number).where(
        ServiceOrder.id.in_({x.order_id for x in lines}))).all())
    part_nos = dict(s.execute(select(Part.id, Part.part_no).where(
        Part.id.in_({x.part_id for x in lines if x.part_id}))).all())
    infos = []
    for x in lines:
        fs = tuple(LineFinding(f.check, f.severity, f.template, finding_params(f),
                               (x.id, f.check.value) in overridden)
                   for f in c.findings(found[x.id]))
        infos.append(ClaimLineInfo(
            x.id, x.position, x.order_id, numbers.get(x.order_id, ""), x.kind, x.description,
            x.quantity, x.unit_fen, x.amount_fen, x.schedule_fen, x.part_id,
            part_nos.get(x.part_id or "", ""), x.old_part_id, x.old_part_tag,
            Decision(x.decision) if x.decision else None, x.approved_fen, x.decision_reason,
            x.decided_at, fs))
    overrides = tuple(OverrideInfo(o.id, o.line_id, o.check, o.reason, o.username,
                                   o.created_at) for o in batch.overrides)
    return ClaimBatchDetail(
        batch.id, batch.number, batch.period, ClaimStatus(batch.status), batch.revision,
        batch.created_at, batch.submitted_at, tuple(infos), overrides, batch.statement_no,
        batch.claimed_fen, batch.approved_fen, batch.deducted_fen, batch.payable_fen,
        batch.settled_at, batch.paid_at, batch.paid_note)
