"""Head office's side of warranty claims (三包索赔): deciding each line of a station's submitted
claim batch (approved, adjusted to a lower amount with a reason, or rejected with a reason)
and settling the batch once every line is decided (the statement: claimed, approved,
deducted, payable = approved - deducted, never negative).

Head office knows the batch only from the station's pushed ``claim_batch`` record (its
number, period, lines and the manager's overrides inline). Its own answer lives in
``HqClaimBatch`` (per batch) and ``HqClaimDecision`` (per line). Each decide or settle is ONE
change addressed to the owning station, in the same transaction: a ``claim_decision`` carrying
every line decided so far, or the ``claim_settlement`` statement; so applying one twice, or
from a snapshot, ends the same. Each payload's ``hq_revision`` is the ``hq_seq`` of the change
that carries it (it only grows, also across a restore). Refusals are ``AdminError`` messages.

The ``repair-station-hq claims list|decide|settle`` commands are built and run here;
``sync/hq/__main__.py`` only hands them over.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sync.hq import changes
from sync.hq.db import HqDatabase
from sync.hq.errors import AdminError
from sync.hq.i18n import pad, said
from sync.hq.models import HqClaimBatch, HqClaimDecision, HqMeta, HqRecord, HqStation, utcnow
from sync.protocol import Change, HqEntity

ENTITY = "claim_batch"
MAX_REASON = 200
MAX_STATEMENT_NO = 40
#: the station states of a batch that has been submitted to head office
SUBMITTED = frozenset({"submitted", "decided", "settled", "paid"})
APPROVED, ADJUSTED, REJECTED = "approved", "adjusted", "rejected"
#: what ``claims list --status`` filters on (head office's view of the batch)
LIST_STATUSES = ("submitted", "deciding", "decided", "settled", "paid")
_STATEMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]*")
DECIDE_HELP = """\
Each --line is LINE=ANSWER, LINE the line's position on the batch (1, 2, ...) or its id:
  --line 1=approve                      pay the line as claimed
  --line 2=adjust:80.00:"labour above the schedule"   pay 80.00 yuan instead (at most
                                        the amount claimed; a reason is required)
  --line 3=reject:"claimed twice"       pay nothing (a reason is required)
--approve-rest approves every line not decided yet (nor named here). A line may be decided
again until the batch is settled; each decide sends the station head office's whole answer."""


@dataclass(frozen=True)
class LineAnswer:
    """What the operator decided for one line (amounts in fen)."""

    decision: str
    approved_fen: int | None = None  # adjusted: the new amount
    reason: str = ""


@dataclass(frozen=True)
class ClaimLineRow:
    position: int
    line_id: str
    order_number: str
    kind: str
    description: str
    amount_fen: int
    decision: str  # "" pending
    approved_fen: int | None
    reason: str
    flags: tuple[str, ...]  # "check: reason (user)" of each override
    old_part_tag: str = ""


@dataclass(frozen=True)
class ClaimBatchRow:
    batch_id: str
    station: str
    number: str
    period: str
    status: str  # one of LIST_STATUSES
    claimed_fen: int
    approved_fen: int  # of the lines decided so far
    deducted_fen: int
    payable_fen: int
    statement_no: str
    lines: tuple[ClaimLineRow, ...]
    hq_seq: int = 0  # the change the last decide or settle wrote


# -- parsing the command line --------------------------------------------------------------------


def parse_yuan(text: str, what: str) -> int:
    """``"120.5"`` -> 12050 fen; refuses negatives, more than two decimals, non-numbers."""
    raw = (text or "").strip().replace(",", "").removeprefix("¥").strip()
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise AdminError(f"{what} {text!r} is not an amount in yuan (e.g. 120.50).") from None
    if not value.is_finite():
        raise AdminError(f"{what} {text!r} is not an amount in yuan (e.g. 120.50).")
    if value < 0:
        raise AdminError(f"{what} cannot be negative ({text}).")
    if value != value.quantize(Decimal("0.01")):
        raise AdminError(f"{what} {text!r} has more than two decimals (fen).")
    fen = int(value * 100)
    if fen > 10**13:
        raise AdminError(f"{what} {text!r} is too large.")
    return fen


def parse_line_answers(items: Sequence[str] | None) -> dict[str, LineAnswer]:
    """``["1=approve", "2=adjust:80:reason", "3=reject:reason"]`` as {line ref: answer}."""
    out: dict[str, LineAnswer] = {}
    for item in items or ():
        ref, sep, answer = item.partition("=")
        ref = ref.strip()
        if not sep or not ref:
            raise AdminError(f"--line {item!r}: give LINE=approve, LINE=adjust:YUAN:REASON or "
                             "LINE=reject:REASON (LINE: its position or id).")
        action, _, rest = answer.partition(":")
        action = action.strip().lower()
        if action == "approve":
            if rest.strip():
                raise AdminError(f"--line {item!r}: approve takes no amount or reason.")
            parsed = LineAnswer(APPROVED)
        elif action == "adjust":
            amount, colon, reason = rest.partition(":")
            if not amount.strip():
                raise AdminError(f"--line {item!r}: adjust needs the new amount: "
                                 "LINE=adjust:YUAN:REASON.")
            if not colon or not reason.strip():
                raise AdminError(f"--line {item!r}: an adjusted line needs a reason: "
                                 "LINE=adjust:YUAN:REASON.")
            parsed = LineAnswer(ADJUSTED, parse_yuan(amount, "The adjusted amount"),
                                reason.strip())
        elif action == "reject":
            if not rest.strip():
                raise AdminError(f"--line {item!r}: a rejected line needs a reason: "
                                 "LINE=reject:REASON.")
            parsed = LineAnswer(REJECTED, 0, rest.strip())
        else:
            raise AdminError(f"--line {item!r}: the answer is approve, adjust:YUAN:REASON or "
                             "reject:REASON.")
        if ref in out:
            raise AdminError(f"--line names line {ref} twice.")
        out[ref] = parsed
    return out


# -- the use cases -------------------------------------------------------------------------------


def decide(db: HqDatabase, ref: str, answers: dict[str, LineAnswer],
           approve_rest: bool = False, clock: Callable[[], datetime] = utcnow
           ) -> ClaimBatchRow:
    """Records head office's answers on lines of the submitted batch ``ref`` (number or id)
    and sends the station every line decided so far."""
    if not answers and not approve_rest:
        raise AdminError("Decide at least one line (--line LINE=ANSWER or --approve-rest).")
    now = clock()
    with db.write() as s:
        record, batch = _submitted_batch(db, s, ref)
        number = _number(record, batch)
        side = _side(db, s, record, number)
        if side.settled_at is not None:
            raise AdminError(f"Claim batch {number} is settled (statement {side.statement_no}); "
                             "its decisions can no longer change.")
        lines = _lines(batch)
        if not lines:
            raise AdminError(f"Claim batch {number} has no lines to decide.")
        named = {_line_for(s, number, record, lines, ref_): (ref_, a)
                 for ref_, a in answers.items()}
        if len(named) != len(answers):
            raise AdminError("--line names the same line twice (by position and by id).")
        known = _decisions(s, record.entity_id)
        if approve_rest:
            for line in lines:
                if line["id"] not in named and line["id"] not in known:
                    named[line["id"]] = ("rest", LineAnswer(APPROVED))
        if not named:
            raise AdminError(f"Every line of claim batch {number} is decided already; name "
                             "the lines to change with --line.")
        by_id = {line["id"]: line for line in lines}
        for line_id, (ref_, answer) in named.items():
            claimed = _fen(by_id[line_id].get("amount_fen"))
            approved, reason = _check_answer(ref_, by_id[line_id], answer, claimed)
            row = known.get(line_id)
            if row is None:
                row = HqClaimDecision(line_id=line_id, batch_id=record.entity_id,
                                      station_id=record.station_id)
                s.add(row)
                known[line_id] = row
            row.decision, row.approved_fen, row.reason = answer.decision, approved, reason
            row.decided_at = now
        s.flush()
        seq = _next_seq(db, s)
        payload = {"batch_id": record.entity_id, "number": number, "hq_revision": seq,
                   "lines": [_decision_payload(known[line["id"]]) for line in lines
                             if line["id"] in known]}
        _send(db, s, record, HqEntity.CLAIM_DECISION, payload, now, seq)
        side.decision_payload = _dump(payload)
        side.decision_seq = seq
        side.updated_at = now
        return _row(s, record, side, seq)


def settle(db: HqDatabase, ref: str, deduct_fen: int = 0, reason: str = "",
           statement_no: str = "", clock: Callable[[], datetime] = utcnow) -> ClaimBatchRow:
    """Settles the batch ``ref`` once every line is decided: the statement goes to the
    station (claimed = the lines' sum, approved = the decided amounts' sum, payable =
    approved - deducted)."""
    reason = (reason or "").strip()
    if deduct_fen < 0:
        raise AdminError("The deduction cannot be negative.")
    if deduct_fen and not reason:
        raise AdminError("Give the reason for the deduction (--reason).")
    if len(reason) > MAX_REASON:
        raise AdminError(f"The reason is longer than {MAX_REASON} characters.")
    statement_no = (statement_no or "").strip().upper()
    if statement_no and (len(statement_no) > MAX_STATEMENT_NO
                         or not _STATEMENT.fullmatch(statement_no)):
        raise AdminError(f"Statement number {statement_no!r} must be at most "
                         f"{MAX_STATEMENT_NO} letters, digits, '.', '/' or '-'.")
    now = clock()
    with db.write() as s:
        record, batch = _submitted_batch(db, s, ref)
        number = _number(record, batch)
        side = _side(db, s, record, number)
        if side.settled_at is not None:
            raise AdminError(f"Claim batch {number} is already settled (statement "
                             f"{side.statement_no}).")
        lines = _lines(batch)
        known = _decisions(s, record.entity_id)
        open_ = [str(n) for n, line in enumerate(lines, start=1) if line["id"] not in known]
        if not lines or open_:
            raise AdminError(f"Claim batch {number} cannot be settled: line(s) "
                             f"{', '.join(open_) or '(none)'} are not decided yet.")
        claimed = sum(_fen(line.get("amount_fen")) for line in lines)
        approved = sum(known[line["id"]].approved_fen for line in lines)
        if deduct_fen > approved:
            raise AdminError(f"Cannot deduct {_yuan(deduct_fen)}: only {_yuan(approved)} is "
                             "approved, and the payable amount is never negative.")
        if not statement_no:
            statement_no = _statement_no(s, record, batch)
        elif s.scalar(select(HqClaimBatch.id).where(
                HqClaimBatch.statement_no == statement_no)) is not None:
            raise AdminError(f"Statement number {statement_no} is already used.")
        seq = _next_seq(db, s)
        payload = {"batch_id": record.entity_id, "number": number,
                   "statement_no": statement_no, "hq_revision": seq, "claimed_fen": claimed,
                   "approved_fen": approved, "deducted_fen": deduct_fen,
                   "payable_fen": approved - deduct_fen, "settled_at": now.isoformat(),
                   "deduct_reason": reason}
        _send(db, s, record, HqEntity.CLAIM_SETTLEMENT, payload, now, seq)
        side.statement_no, side.claimed_fen, side.approved_fen = statement_no, claimed, approved
        side.deducted_fen, side.payable_fen = deduct_fen, approved - deduct_fen
        side.deduct_reason, side.settled_at = reason, now
        side.settlement_payload, side.settlement_seq, side.updated_at = _dump(payload), seq, now
        return _row(s, record, side, seq)


def batches(db: HqDatabase, code: str | None = None,
            statuses: Sequence[str] = ()) -> list[ClaimBatchRow]:
    """Every claim batch stations pushed (optionally one station's, in some states), with
    its lines, head office's decisions and the overrides' flags, by station and number."""
    with db.read() as s:
        stmt = (select(HqRecord).join(HqStation, HqStation.id == HqRecord.station_id)
                .where(HqRecord.entity == ENTITY, HqRecord.deleted.is_(False)))
        if code:
            stmt = stmt.where(HqStation.code == code.strip().upper())
        out = []
        for record in s.scalars(stmt):
            side = s.get(HqClaimBatch, record.entity_id)
            row = _row(s, record, side, 0)
            if row.status != "draft" and (not statuses or row.status in statuses):
                out.append(row)
        return sorted(out, key=lambda r: (r.station, r.number))


def snapshot_changes(s: Session, station_id: int) -> list[Change]:
    """Head office's latest decisions and settlement of each of the station's batches."""
    out: list[Change] = []
    for side in s.scalars(select(HqClaimBatch).where(HqClaimBatch.station_id == station_id)
                          .order_by(HqClaimBatch.decision_seq)):
        if side.decision_payload:
            out.append(Change(side.decision_seq, HqEntity.CLAIM_DECISION.value, side.id,
                              "upsert", json.loads(side.decision_payload)))
        if side.settlement_payload:
            out.append(Change(side.settlement_seq, HqEntity.CLAIM_SETTLEMENT.value, side.id,
                              "upsert", json.loads(side.settlement_payload)))
    return sorted(out, key=lambda c: c.hq_seq)


# -- the command line ----------------------------------------------------------------------------


def add_commands(sub: Any, parents: list[argparse.ArgumentParser]) -> None:
    """``claims list [--station CODE] [--status S ...]``, ``claims decide BATCH --line
    LINE=ANSWER ... [--approve-rest]``, ``claims settle BATCH [--deduct YUAN --reason R]
    [--statement-no NO]``."""
    group = sub.add_parser("claims", parents=parents,
                           help="stations' warranty claim batches: list, decide, settle")
    cmds = group.add_subparsers(dest="claims_command", required=True, metavar="ACTION")
    listed = cmds.add_parser("list", parents=parents,
                             help="batches with their lines, amounts, decisions and flags")
    listed.add_argument("--station", help="only this station's batches")
    listed.add_argument("--status", action="append", choices=LIST_STATUSES, default=[],
                        help="only batches in this state (repeat for several)")
    one = cmds.add_parser("decide", parents=parents, epilog=DECIDE_HELP,
                          formatter_class=argparse.RawDescriptionHelpFormatter,
                          help="approve, adjust or reject lines of a submitted batch")
    one.add_argument("batch", metavar="BATCH_NUMBER", help="the batch's number (or id)")
    one.add_argument("--line", action="append", metavar="LINE=ANSWER", default=[],
                     help="approve | adjust:YUAN:REASON | reject:REASON (repeat per line)")
    one.add_argument("--approve-rest", action="store_true",
                     help="approve every line not decided yet")
    done = cmds.add_parser("settle", parents=parents,
                           help="send the statement of a batch whose lines are all decided")
    done.add_argument("batch", metavar="BATCH_NUMBER", help="the batch's number (or id)")
    done.add_argument("--deduct", default="0", metavar="YUAN",
                      help="deduct this much from the approved amount (needs --reason)")
    done.add_argument("--reason", default="", help="why the deduction is made")
    done.add_argument("--statement-no", default="",
                      help="the statement's number (default ST-<station>-<yyyymm>-<nn>)")


def run_command(args: argparse.Namespace, db: HqDatabase,
                clock: Callable[[], datetime] = utcnow) -> int:
    action = args.claims_command
    if action == "list":
        rows = batches(db, args.station, args.status)
        for row in rows:
            _print_batch(row)
        print(said(f"{len(rows)} claim batch(es)."))
    elif action == "decide":
        row = decide(db, args.batch, parse_line_answers(args.line), args.approve_rest, clock)
        _print_batch(row)
        print(said(f"Claim batch {row.number}: {sum(1 for x in row.lines if x.decision)} of "
                   f"{len(row.lines)} line(s) decided; the station learns it at its next "
                   "sync."))
    else:
        row = settle(db, args.batch, parse_yuan(args.deduct, "The deduction"), args.reason,
                     args.statement_no, clock)
        print(said(f"Claim batch {row.number} settled, statement {row.statement_no}: "
                   f"claimed {_yuan(row.claimed_fen)}, approved {_yuan(row.approved_fen)}, "
                   f"deducted {_yuan(row.deducted_fen)}, payable {_yuan(row.payable_fen)} yuan; "
                   "the station learns it at its next sync."))
    return 0


def _print_batch(row: ClaimBatchRow) -> None:
    approved_label = said("approved so far" if row.status in ("submitted", "deciding")
                          else "approved")
    print(f"{row.station}  {row.number}  {row.period}  {said(row.status)}  {said('claimed')} "
          f"{_yuan(row.claimed_fen)}  {approved_label} {_yuan(row.approved_fen)}"
          + (f"  {said('deducted')} {_yuan(row.deducted_fen)}  {said('payable')} "
             f"{_yuan(row.payable_fen)}  {said('statement')} {row.statement_no}"
             if row.statement_no else ""))
    print(f"  {'#':>3} {pad(said('ORDER'), 24)} {pad(said('KIND'), 8)} "
          f"{pad(said('CLAIMED'), 12, True)} {pad(said('DECISION'), 9)} "
          f"{pad(said('APPROVED'), 12, True)}  {said('DESCRIPTION / REASON / FLAGS')}")
    for x in row.lines:
        approved = _yuan(x.approved_fen) if x.approved_fen is not None else "-"
        print(f"  {x.position:>3} {x.order_number:<24} {pad(said(x.kind), 8)} "
              f"{_yuan(x.amount_fen):>12} {pad(said(x.decision or 'pending'), 9)} "
              f"{approved:>12}  {x.description}")
        print(f"      {said('line')} {x.line_id}"
              + (f"  {said('old-part tag')} {x.old_part_tag}" if x.old_part_tag else ""))
        if x.reason:
            print(f"      {said('reason:')} {x.reason}")
        for flag in x.flags:
            print(f"      {said('override')} {flag}")


# -- internals -----------------------------------------------------------------------------------


def _submitted_batch(db: HqDatabase, s: Session, ref: str
                     ) -> tuple[HqRecord, dict[str, Any]]:
    record = _record(db, s, ref)
    batch = json.loads(record.payload)
    status = str(batch.get("status") or "")
    if status not in SUBMITTED:
        raise AdminError(f"Claim batch {_number(record, batch)} is {status or 'unknown'} at "
                         "the station; only a submitted batch is decided or settled.")
    return record, batch


def _record(db: HqDatabase, s: Session, ref: str) -> HqRecord:
    """The station's pushed batch, by id or number, locked so two answers queue up."""
    ref = (ref or "").strip()
    if not ref:
        raise AdminError("Name the claim batch (its number).")
    query = select(HqRecord).where(HqRecord.entity == ENTITY, HqRecord.deleted.is_(False))
    record = s.scalar(db.lock_for_update(query.where(HqRecord.entity_id == ref)))
    if record is None:
        number = ref.upper()
        known = s.scalar(select(HqClaimBatch.id).where(HqClaimBatch.number == number))
        if known is not None:
            record = s.scalar(db.lock_for_update(query.where(HqRecord.entity_id == known)))
        else:
            needle = json.dumps({"number": number}, ensure_ascii=False)[1:-1]
            for candidate in s.scalars(db.lock_for_update(query.where(
                    HqRecord.payload.contains(needle, autoescape=True)))):
                if str(json.loads(candidate.payload).get("number") or "").upper() == number:
                    record = candidate
                    break
    if record is None:
        raise AdminError(f"No claim batch {ref!r} is known to head office (has the station "
                         "submitted it and synced since?).")
    return record


def _side(db: HqDatabase, s: Session, record: HqRecord, number: str) -> HqClaimBatch:
    side = s.scalar(db.lock_for_update(select(HqClaimBatch).where(
        HqClaimBatch.id == record.entity_id)))
    if side is None:
        side = HqClaimBatch(id=record.entity_id, station_id=record.station_id, number=number,
                            decision_payload="", decision_seq=0, claimed_fen=0,
                            approved_fen=0, deducted_fen=0, payable_fen=0, deduct_reason="",
                            settlement_payload="", settlement_seq=0)
        s.add(side)
        s.flush()
    return side


def _number(record: HqRecord, batch: dict[str, Any]) -> str:
    return str(batch.get("number") or record.entity_id)


def _lines(batch: dict[str, Any]) -> list[dict[str, Any]]:
    return [x for x in batch.get("lines") or [] if isinstance(x, dict) and x.get("id")]


def _line_for(s: Session, number: str, record: HqRecord, lines: list[dict[str, Any]],
              ref: str) -> str:
    """The id of the line ``ref`` (its 1-based position or its id) names on this batch."""
    if ref.isdigit():
        position = int(ref)
        if not 1 <= position <= len(lines):
            raise AdminError(f"Claim batch {number} has lines 1 to {len(lines)}; there is no "
                             f"line {position}.")
        return str(lines[position - 1]["id"])
    for line in lines:
        if str(line["id"]) == ref:
            return ref
    other = s.scalar(select(HqClaimDecision.batch_id).where(HqClaimDecision.line_id == ref))
    elsewhere = ""
    if other is not None and other != record.entity_id:
        elsewhere = " (it belongs to another claim batch)"
    elif _line_elsewhere(s, ref, record):
        elsewhere = " (it belongs to another claim batch or station)"
    raise AdminError(f"Line {ref} is not on claim batch {number}{elsewhere}.")


def _line_elsewhere(s: Session, line_id: str, record: HqRecord) -> bool:
    needle = json.dumps({"id": line_id}, ensure_ascii=False)[1:-1]
    return s.scalar(select(func.count()).select_from(HqRecord).where(
        HqRecord.entity == ENTITY, HqRecord.id != record.id,
        HqRecord.payload.contains(needle, autoescape=True))) != 0


def _check_answer(ref: str, line: dict[str, Any], answer: LineAnswer,
                  claimed: int) -> tuple[int, str]:
    """(approved fen, reason) for the answer, or AdminError."""
    reason = answer.reason.strip()
    if len(reason) > MAX_REASON:
        raise AdminError(f"Line {ref}: the reason is longer than {MAX_REASON} characters.")
    if "\x00" in reason:
        raise AdminError(f"Line {ref}: the reason holds a NUL character.")
    if answer.decision == APPROVED:
        return claimed, reason
    if not reason:
        raise AdminError(f"Line {ref}: an {answer.decision} line needs a reason.")
    if answer.decision == REJECTED:
        return 0, reason
    if answer.decision != ADJUSTED:
        raise AdminError(f"Line {ref}: unknown decision {answer.decision!r}.")
    amount = answer.approved_fen
    if amount is None or amount < 0:
        raise AdminError(f"Line {ref}: the adjusted amount cannot be negative.")
    if amount > claimed:
        raise AdminError(f"Line {ref}: the adjusted amount {_yuan(amount)} is more than the "
                         f"{_yuan(claimed)} claimed.")
    return amount, reason


def _decisions(s: Session, batch_id: str) -> dict[str, HqClaimDecision]:
    return {d.line_id: d for d in s.scalars(select(HqClaimDecision).where(
        HqClaimDecision.batch_id == batch_id))}


def _decision_payload(d: HqClaimDecision) -> dict[str, Any]:
    return {"line_id": d.line_id, "decision": d.decision, "approved_fen": d.approved_fen,
            "reason": d.reason, "decided_at": d.decided_at.isoformat()}


def _statement_no(s: Session, record: HqRecord, batch: dict[str, Any]) -> str:
    station = s.get(HqStation, record.station_id)
    code = station.code if station else "HQ"
    period = re.sub(r"\D", "", str(batch.get("period") or ""))[:6] or "000000"
    stem = f"ST-{code}-{period}-"
    used = set(s.scalars(select(HqClaimBatch.statement_no).where(
        HqClaimBatch.statement_no.like(f"{stem}%"))))
    n = 1
    while f"{stem}{n:02d}" in used:
        n += 1
    return f"{stem}{n:02d}"


def _next_seq(db: HqDatabase, s: Session) -> int:
    """The hq_seq the next change of this transaction gets (the counter is locked)."""
    counter = s.scalars(db.lock_for_update(select(HqMeta).where(
        HqMeta.key == "last_hq_seq"))).one()
    return counter.value + 1


def _send(db: HqDatabase, s: Session, record: HqRecord, entity: HqEntity,
          payload: dict[str, Any], now: datetime, expected: int) -> None:
    seq = changes.append_change(db, s, station_id=record.station_id, entity=entity.value,
                                entity_id=record.entity_id, op="upsert", payload=payload,
                                now=now)
    if seq != expected:  # the counter is locked by this transaction: cannot happen
        raise RuntimeError(f"change-log counter moved: {seq} != {expected}")


def _row(s: Session, record: HqRecord, side: HqClaimBatch | None, seq: int) -> ClaimBatchRow:
    batch = json.loads(record.payload)
    known = _decisions(s, record.entity_id) if side is not None else {}
    station = s.get(HqStation, record.station_id)
    flags: dict[str, list[str]] = {}
    for o in batch.get("overrides") or []:
        if isinstance(o, dict):
            flags.setdefault(str(o.get("line_id") or ""), []).append(
                f"{o.get('check') or ''}: {o.get('reason') or ''} ({o.get('username') or ''})")
    lines = []
    for n, line in enumerate(_lines(batch), start=1):
        d = known.get(line["id"])
        lines.append(ClaimLineRow(
            n, str(line["id"]), str(line.get("order_number") or ""),
            str(line.get("kind") or ""), str(line.get("description") or ""),
            _fen(line.get("amount_fen")), d.decision if d else "",
            d.approved_fen if d else None, d.reason if d else "",
            tuple(flags.get(str(line["id"]), ())), str(line.get("old_part_tag") or "")))
    station_status = str(batch.get("status") or "")
    settled = side is not None and side.settled_at is not None
    if station_status == "paid":
        status = "paid"
    elif settled:
        status = "settled"
    elif station_status not in SUBMITTED:
        status = station_status or "draft"
    elif lines and all(x.decision for x in lines):
        status = "decided"
    else:
        status = "deciding" if any(x.decision for x in lines) else "submitted"
    approved = sum(x.approved_fen or 0 for x in lines)
    return ClaimBatchRow(
        record.entity_id, station.code if station else "", _number(record, batch),
        str(batch.get("period") or ""), status, sum(x.amount_fen for x in lines),
        side.approved_fen if settled and side else approved,
        side.deducted_fen if settled and side else 0,
        side.payable_fen if settled and side else 0,
        (side.statement_no or "") if settled and side else "", tuple(lines), seq)


def _fen(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _yuan(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100:,}.{abs(fen) % 100:02d}"


def _dump(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True)
