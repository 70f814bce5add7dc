"""Head office's answers to a submitted claim batch, applied at the station (registered in
``app.services.sync_apply.HANDLERS``): ``claim_decision`` (each line approved, adjusted or
rejected, with the amount paid and the reason; the batch is decided once every line is) and
``claim_settlement`` (the period's statement; the batch is settled).

Both payloads are head office's whole answer so far, so applying one twice, or from a
snapshot, ends the same; the batch's ``hq_revision`` keeps the newest applied, and an older
change alters nothing. An answer the station cannot square with its batch (a line it does not
hold, a statement whose sums do not add up, a batch it never submitted) changes nothing and
becomes a conflict for a person on both sides. Head office owns these fields, so applying
them writes audit only: the station does not push them back.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.claims import ClaimStatus, Decision
from app.services.claims import CLAIMS, ENTITY
from app.services.context import SYSTEM
from app.services.journal import record
from app.store.models import ClaimBatch
from sync import protocol as p

MAX_REASON = 200
MAX_FEN = 10**12
_ANSWERABLE = frozenset({ClaimStatus.SUBMITTED.value, ClaimStatus.DECIDED.value,
                         ClaimStatus.SETTLED.value, ClaimStatus.PAID.value})


def apply_decision(s: Session, change: p.Change, now: datetime) -> set[str]:
    """``claim_decision``: every line head office has decided so far."""
    data = change.payload
    batch, refused = _batch(s, change, "claim_decision", now)
    if batch is None:
        return refused
    revision = _revision(data, change)
    if revision <= batch.hq_revision:
        return set()
    by_id = {line.id: line for line in batch.lines}
    answers: list[tuple[Any, Decision, int, str, datetime | None]] = []
    problems: list[str] = []
    for item in data.get("lines") or []:
        line = by_id.get(str(item.get("line_id") or ""))
        if line is None:
            problems.append(f"no line {str(item.get('line_id'))[:40]!r} in {batch.number}")
            continue
        try:
            decision = Decision(item.get("decision"))
            amount = _fen(item.get("approved_fen", 0))
        except ValueError as exc:
            problems.append(f"{batch.number} line {line.position + 1}: {exc}")
            continue
        if decision is Decision.REJECTED:
            amount = 0
        elif decision is Decision.APPROVED and item.get("approved_fen") is None:
            amount = line.amount_fen
        answers.append((line, decision, amount, str(item.get("reason") or "")[:MAX_REASON],
                        _when(item.get("decided_at"))))
    if problems:
        return _conflict(s, change, "claim_decision_mismatch", batch, "; ".join(problems), now)
    for line, decision, amount, reason, decided_at in answers:
        line.decision = decision.value
        line.approved_fen = amount
        line.decision_reason = reason
        line.decided_at = decided_at or now
    batch.hq_revision = revision
    if batch.status == ClaimStatus.SUBMITTED.value and batch.lines and all(
            line.decision for line in batch.lines):
        batch.status = ClaimStatus.DECIDED.value
    batch.updated_at = now
    s.flush()
    record(s, SYSTEM, action="claim.hq_decision", entity=ENTITY, entity_id=batch.id,
           detail=f"{batch.number} r{revision}: {len(answers)} lines, {batch.status}")
    return {CLAIMS}


def apply_settlement(s: Session, change: p.Change, now: datetime) -> set[str]:
    """``claim_settlement``: the statement (claimed, approved, deducted, payable)."""
    data = change.payload
    batch, refused = _batch(s, change, "claim_settlement", now)
    if batch is None:
        return refused
    revision = _revision(data, change)
    if revision <= batch.hq_revision:
        return set()
    try:
        claimed, approved = _fen(data.get("claimed_fen")), _fen(data.get("approved_fen"))
        deducted, payable = _fen(data.get("deducted_fen")), _fen(data.get("payable_fen"))
    except ValueError as exc:
        return _conflict(s, change, "claim_settlement_mismatch", batch, str(exc), now)
    lines_sum = sum(line.amount_fen for line in batch.lines)
    problems = []
    if claimed != lines_sum:
        problems.append(f"claimed {claimed} fen, the batch's lines add up to {lines_sum} fen")
    if payable != approved - deducted:
        problems.append(f"payable {payable} fen is not approved {approved} - deducted "
                        f"{deducted} fen")
    if batch.status == ClaimStatus.PAID.value:
        problems.append(f"{batch.number} is already marked paid at the station")
    if problems:
        return _conflict(s, change, "claim_settlement_mismatch", batch, "; ".join(problems),
                         now)
    batch.statement_no = str(data.get("statement_no") or "")[:40]
    batch.claimed_fen, batch.approved_fen = claimed, approved
    batch.deducted_fen, batch.payable_fen = deducted, payable
    batch.settled_at = _when(data.get("settled_at")) or now
    batch.status = ClaimStatus.SETTLED.value
    batch.hq_revision = revision
    batch.updated_at = now
    s.flush()
    record(s, SYSTEM, action="claim.hq_settlement", entity=ENTITY, entity_id=batch.id,
           detail=f"{batch.number} {batch.statement_no}: payable {payable} fen")
    return {CLAIMS}


# -- helpers -------------------------------------------------------------------------------------


def _batch(s: Session, change: p.Change, what: str, now: datetime) -> tuple[ClaimBatch | None, set[str]]:
    """The submitted batch the change answers, or None with the conflict recorded."""
    from app.services.sync_apply import CONFLICTS, add_conflict

    data = change.payload
    batch = s.get(ClaimBatch, str(data.get("batch_id") or change.entity_id)[:36])
    if batch is None and data.get("number"):
        batch = s.scalar(select(ClaimBatch).where(ClaimBatch.number == str(data["number"])[:40]))
    if batch is None:
        add_conflict(s, f"hq:{change.hq_seq}", "unknown_claim_batch", ENTITY,
                     str(change.entity_id), "no such claim batch at this station",
                     _summary(data), now, hq_seq=change.hq_seq)
        return None, {CONFLICTS}
    if batch.status not in _ANSWERABLE:
        add_conflict(s, f"hq:{change.hq_seq}", "claim_batch_not_submitted", ENTITY, batch.id,
                     f"{batch.number}: {batch.status} at the station",
                     f"{what}: {_summary(data)}", now, hq_seq=change.hq_seq)
        return None, {CONFLICTS}
    return batch, set()


def _conflict(s: Session, change: p.Change, kind: str, batch: ClaimBatch, why: str,
              now: datetime) -> set[str]:
    from app.services.sync_apply import CONFLICTS, add_conflict

    add_conflict(s, f"hq:{change.hq_seq}", kind, ENTITY, batch.id, f"{batch.number}: {why}",
                 _summary(change.payload), now, hq_seq=change.hq_seq)
    return {CONFLICTS}


def _revision(data: dict[str, Any], change: p.Change) -> int:
    value = data.get("hq_revision")
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    return int(change.hq_seq)


def _fen(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_FEN:
        raise ValueError(f"not an amount in fen: {value!r}")
    return value


def _when(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _summary(payload: dict[str, Any]) -> str:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True)[:2000]
