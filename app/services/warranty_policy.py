"""The warranty policy (三包政策) in force at the station: which one applies
(``current_policy``, read by orders, payers and claims), head office's published policy
arriving by sync (``apply_policy_change``, registered in ``app.services.sync_apply.HANDLERS``),
and the offline import of the same CSV file by a station manager (``PolicyService``).

Each policy the station receives is one ``WarrantyPolicyRow``; the newest applied row is the
policy in force. Head office's revisions only move forward: a change whose revision is not
newer than the newest head-office row changes nothing (a page re-applied, an older
snapshot). The policy is head office's, so an import writes no outbox row (only an audit
entry); the next head-office revision replaces it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.errors import RuleViolation
from app.domain.permissions import Permission
from app.domain.warranty_policy import NO_POLICY, WarrantyPolicy
from app.services import events, payers
from app.services import text_input as t
from app.services.context import Actor
from app.services.journal import record
from app.store.base import utcnow
from app.store.database import Database
from app.store.models import WarrantyPolicyRow
from sync import policy_csv
from sync import protocol as p

#: what a committed policy change announces on the ChangeBus
POLICY = "warranty_policy"
SOURCE_HQ = "hq"
SOURCE_FILE = "file"

#: parsed documents by row id (a row's payload never changes)
_CACHE: dict[str, WarrantyPolicy] = {}


def _newest_row(s: Session) -> WarrantyPolicyRow | None:
    return s.scalars(select(WarrantyPolicyRow).order_by(
        WarrantyPolicyRow.applied_at.desc(), WarrantyPolicyRow.hq_revision.desc(),
        WarrantyPolicyRow.id.desc()).limit(1)).first()


def _policy_of(row: WarrantyPolicyRow) -> WarrantyPolicy:
    policy = _CACHE.get(row.id)
    if policy is None:
        try:
            policy = WarrantyPolicy.from_payload(json.loads(row.payload))
        except (ValueError, TypeError):
            policy = NO_POLICY  # a row this version cannot read: the products' own months
        if len(_CACHE) > 64:
            _CACHE.clear()
        _CACHE[row.id] = policy
    return policy


def current_policy(s: Session) -> WarrantyPolicy:
    """The policy in force: the newest applied policy row, else ``NO_POLICY``."""
    row = _newest_row(s)
    return NO_POLICY if row is None else _policy_of(row)


def store_policy(s: Session, actor: Actor, policy: WarrantyPolicy, *, source: str,
                 revision: int, now: datetime, row_id: str | None = None,
                 detail: str = "") -> WarrantyPolicyRow:
    """Adds ``policy`` as the newest row (in ``s``'s transaction) with an audit entry."""
    row = WarrantyPolicyRow(source=source, hq_revision=revision, label=policy.label[:64],
                            payload=json.dumps(policy.to_payload(), ensure_ascii=False,
                                               sort_keys=True),
                            applied_at=now)
    if row_id:
        row.id = row_id
    s.add(row)
    s.flush()
    record(s, actor, action="policy.apply", entity="warranty_policy", entity_id=row.id,
           detail=detail or f"{source} r{revision}: {policy.label}")
    return row


def apply_policy_change(s: Session, change: p.Change, now: datetime) -> set[str]:
    """Head office's ``HqEntity.WARRANTY_POLICY``: stores the document unless the station
    already holds this revision or a newer one."""
    from app.services.context import SYSTEM

    data = change.payload
    revision = int(data.get("revision") or change.hq_seq)
    newest_hq = s.scalar(select(func.max(WarrantyPolicyRow.hq_revision))
                         .where(WarrantyPolicyRow.source == SOURCE_HQ)) or 0
    if revision <= newest_hq:
        return set()
    document = data.get("document")
    if not isinstance(document, dict):
        raise ValueError("a warranty policy change needs its document")
    policy = WarrantyPolicy.from_payload(document)
    store_policy(s, SYSTEM, policy, source=SOURCE_HQ, revision=revision, now=now,
                 detail=f"head office r{revision}: {policy.label}")
    s.flush()
    if payers.reassign_open_orders(s, SYSTEM, policy, now):
        return {POLICY, events.ORDERS, events.OUTBOX}
    return {POLICY}


@dataclass(frozen=True)
class PolicyInfo:
    """The policy in force and where it came from (``source`` "" when there is none)."""

    policy: WarrantyPolicy
    source: str
    label: str
    revision: int
    applied_at: datetime | None


class PolicyService:
    def __init__(self, db: Database, bus: events.ChangeBus,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.bus = bus
        self.clock = clock

    def current(self) -> PolicyInfo:
        with self.db.read() as s:
            row = _newest_row(s)
            if row is None:
                return PolicyInfo(NO_POLICY, "", "", 0, None)
            return PolicyInfo(_policy_of(row), row.source, row.label, row.hq_revision,
                              row.applied_at)

    def import_file(self, actor: Actor, path: Path) -> PolicyInfo:
        """Loads a policy file (station manager only): every row or none
        (``PolicyFileError`` names each bad row by line and column)."""
        actor.require(Permission.POLICY_IMPORT)
        try:
            data = policy_csv.read_file(Path(path))
        except OSError as exc:
            raise RuleViolation("Cannot read {path}: {reason}", field="path", path=str(path),
                                reason=exc.strerror or str(exc)) from None
        return self._import(actor, data, Path(path).name)

    def import_bytes(self, actor: Actor, data: bytes, source: str = "") -> PolicyInfo:
        """``import_file`` of bytes already read; the same content as the policy in force
        stores nothing."""
        actor.require(Permission.POLICY_IMPORT)
        return self._import(actor, data, source)

    def publish(self, actor: Actor, policy: WarrantyPolicy, source: str = "") -> bool:
        """Makes ``policy`` the one in force (manager only); False when it already is."""
        actor.require(Permission.POLICY_IMPORT)
        return self._publish(actor, policy, source)

    def _import(self, actor: Actor, data: bytes, source: str) -> PolicyInfo:
        self._publish(actor, policy_csv.parse(data, check_text=t.check_drawable), source)
        return self.current()

    def _publish(self, actor: Actor, policy: WarrantyPolicy, source: str) -> bool:
        with self.db.write() as s:
            if _newest_row(s) is not None and current_policy(s).to_payload() == \
                    policy.to_payload():
                return False
            now = self.clock()
            store_policy(s, actor, policy, source=SOURCE_FILE, revision=0, now=now,
                         detail=f"{source}: {policy.label}")
            changed = payers.reassign_open_orders(s, actor, policy, now)
        self.bus.publish({POLICY, events.ORDERS, events.OUTBOX} if changed else {POLICY})
        return True


#: the demo station's policy (``repair-station demo``), in the file form head office sends;
#: its categories and part-number prefixes are those of ``app.services.demo_catalogue``;
#: air conditioners, water heaters (12 months) and range hoods (6) are due for 保养
DEMO_POLICY_CSV = """\
section,category,key,value,name,maintenance_months
label,,,2026版三包政策（演示）,
option,,invoice_required,no,
category,空调,KFR-|KF-,12,,12
category,冰箱,BCD-,12,
category,洗衣机,XQG,12,
category,电热水器,EC,12,,12
category,燃气灶,JZT-,12,
category,油烟机,CXW-,12,,6
key_part,空调,KT-0010-,72,压缩机
key_part,空调,KT-3001-,36,室内机主板
key_part,空调,KT-3003-,36,室外机主板
key_part,冰箱,BX-0104-,60,压缩机
key_part,冰箱,BX-0105-,36,主控板
key_part,洗衣机,XY-1208-,60,变频电机
key_part,洗衣机,XY-1205-,36,电脑板
key_part,电热水器,RSQ-0209-,96,内胆
labour,空调,repair,80,
labour,空调,install,120,
labour,空调,maintenance,60,
labour,冰箱,repair,70,
labour,洗衣机,repair,60,
labour,*,repair,50,
labour,*,install,60,
labour,*,maintenance,40,
labour,*,complaint,0,
labour,*,enquiry,0,
travel,,10,20,
travel,,30,30,
travel,,50,50,
travel,,100,80,
"""


def publish_demo_policy(service: PolicyService, actor: Actor) -> PolicyInfo:
    """Makes the demo policy the one in force (the demo's manager imports it)."""
    return service.import_bytes(actor, DEMO_POLICY_CSV.encode("utf-8"), "demo")
