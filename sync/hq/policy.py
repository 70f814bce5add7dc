"""Head office publishes the warranty policy (三包政策): ``repair-station-hq policy import
FILE.csv`` reads the same file a station manager can import offline (``sync.policy_csv``),
keeps it in ``hq_warranty_policies`` and writes ONE change-log entry (entity
``warranty_policy``, addressed to every station, payload ``sync.payloads.WarrantyPolicyPayload``)
in one transaction. A file with one bad row publishes nothing; a file whose policy is the one
already in force publishes nothing either.

The policy's revision is the ``hq_seq`` of the change that published it, so it only grows
(also after ``after-restore`` moves the counter on) and a station never goes back to an older
policy. The snapshot after 410 carries the policy in force (``snapshot_changes``).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.errors import RuleViolation
from app.domain.warranty_policy import WarrantyPolicy
from sync import policy_csv
from sync.hq.db import HqDatabase
from sync.hq.errors import AdminError
from sync.hq.i18n import said
from sync.hq.models import HqChange, HqWarrantyPolicy, new_id, utcnow
from sync.protocol import Change, HqEntity


@dataclass(frozen=True)
class PolicyPublished:
    label: str
    #: the change that published it; 0 when the policy was already in force
    hq_seq: int


def read_policy(path: Path) -> WarrantyPolicy:
    """The file's policy, or ``AdminError`` with every problem (line and column) in English."""
    try:
        return policy_csv.parse(policy_csv.read_file(path))
    except OSError as exc:
        raise AdminError(f"cannot read {path}: {exc.strerror or exc}") from None
    except policy_csv.PolicyFileError as exc:
        raise AdminError(f"{path}: {exc.total} problem(s), nothing was published:\n  "
                         + "\n  ".join(exc.lines())) from None
    except RuleViolation as exc:
        raise AdminError(f"{path}: {exc}") from None


def current(s: Session) -> HqWarrantyPolicy | None:
    """The policy in force at head office (the newest published)."""
    return s.scalars(select(HqWarrantyPolicy).order_by(HqWarrantyPolicy.hq_seq.desc())
                     .limit(1)).first()


def payload_of(row: HqWarrantyPolicy) -> dict[str, Any]:
    """The ``WarrantyPolicyPayload`` of a published policy."""
    return {"policy_id": row.id, "revision": row.hq_seq, "document": json.loads(row.payload)}


def publish(db: HqDatabase, policy: WarrantyPolicy,
            clock: Callable[[], datetime] = utcnow) -> PolicyPublished:
    """Publishes ``policy`` to every station unless it is the one in force."""
    from sync.hq.changes import append_change  # (changes imports us for the snapshot)

    now = clock()
    text = _dump(policy.to_payload())
    with db.write() as s:
        old = current(s)
        if old is not None and old.payload == text:
            return PolicyPublished(policy.label, 0)
        policy_id = new_id()
        document = policy.to_payload()
        # the change's hq_seq is the revision: reserve it, then write the payload naming it
        seq = append_change(db, s, station_id=None, entity=HqEntity.WARRANTY_POLICY.value,
                            entity_id=policy_id, op="upsert",
                            payload={"policy_id": policy_id, "revision": 0,
                                     "document": document}, now=now)
        row = HqWarrantyPolicy(id=policy_id, label=policy.label[:64], payload=text,
                               hq_seq=seq, created_at=now)
        s.add(row)
        change = s.get(HqChange, seq)
        assert change is not None
        change.payload = _dump(payload_of(row))
    return PolicyPublished(policy.label, seq)


def import_file(db: HqDatabase, path: Path,
                clock: Callable[[], datetime] = utcnow) -> PolicyPublished:
    return publish(db, read_policy(path), clock)


def snapshot_changes(s: Session) -> list[Change]:
    """The policy in force, as the change a station applies after 410 (none before any)."""
    row = current(s)
    if row is None:
        return []
    return [Change(row.hq_seq, HqEntity.WARRANTY_POLICY.value, row.id, "upsert",
                   payload_of(row))]


def add_commands(sub: Any, parents: list[argparse.ArgumentParser]) -> None:
    """``policy import FILE.csv``."""
    group = sub.add_parser("policy", parents=parents,
                           help="the warranty policy (三包政策) stations pull")
    cmds = group.add_subparsers(dest="policy_command", required=True, metavar="ACTION")
    one = cmds.add_parser("import", parents=parents,
                          help="publish the warranty policy from a CSV file (all rows or none)")
    one.add_argument("file", type=Path, metavar="FILE.csv",
                     help="columns " + ",".join(policy_csv.COLUMNS))


def run_command(args: argparse.Namespace, db: HqDatabase,
                clock: Callable[[], datetime] = utcnow) -> int:
    done = import_file(db, args.file, clock)
    if done.hq_seq:
        print(said(f"policy '{done.label}' published as revision {done.hq_seq}; stations "
                   "receive it at their next sync."))
    else:
        print(said(f"policy '{done.label}' is already in force; nothing was published."))
    return 0


def _dump(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True)
