"""``repair-station demo`` fills the claims the way daily use would: last month's draft batch
holds a claim tripping each check (a repeat repair, a board without its old part, no serial,
impossible times, above the schedule, one blocked after the warranty end) with one warning
explained in writing, and the month before's clean batch is submitted."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from app.bootstrap import Services
from app.domain.claims import Check, ClaimStatus, Severity
from app.services.demo_claims import OVERRIDE_REASON
from app.store.models import OutboxOp


@pytest.fixture()
def demo(demo_station: Services) -> Services:
    """The session's demo station (20 customers, 80 orders): these tests only read it."""
    return demo_station


def test_last_months_draft_trips_every_check(demo: Services) -> None:
    batches = demo.claims.list()
    drafts = [b for b in batches if b.status is ClaimStatus.DRAFT]
    assert len(drafts) == 1
    draft = demo.claims.detail(drafts[0].id)
    found = {f.check for x in draft.lines for f in x.findings}
    assert {Check.REPEAT_REPAIR, Check.OLD_PART_MISSING, Check.MISSING_SERIAL,
            Check.MISSING_PURCHASE_PROOF, Check.IMPOSSIBLE_TIMES, Check.ABOVE_SCHEDULE,
            Check.AFTER_WARRANTY_END} <= found
    assert any(f.severity is Severity.BLOCKED for x in draft.lines for f in x.findings)
    assert [(o.check, o.reason) for o in draft.overrides] == [
        (Check.MISSING_SERIAL.value, OVERRIDE_REASON)]
    assert not draft.submittable
    assert draft.total_fen == sum(x.amount_fen for x in draft.lines)


def test_the_month_befores_clean_batch_is_submitted(demo: Services) -> None:
    sent = [b for b in demo.claims.list() if b.status is ClaimStatus.SUBMITTED]
    assert len(sent) == 1
    batch = demo.claims.detail(sent[0].id)
    assert batch.lines and all(not x.findings for x in batch.lines)
    assert batch.period < demo.claims.list(None)[0].period
    with demo.db.read() as s:
        ops = list(s.scalars(select(OutboxOp).where(OutboxOp.entity == "claim_batch")))
    assert len(ops) == 1
    payload = json.loads(ops[0].payload)
    assert payload["number"] == batch.number and len(payload["lines"]) == len(batch.lines)
