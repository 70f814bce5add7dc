"""Head office sends the customer messages the stations queued (客户通知) and tells each
station how it went.

A message arrives as the station's generic ``notification`` record (its values, never a
text). The delivery run (``send_due``; ``repair-station-hq notify send [--once]``, or the
server's background loop, ``serve --notify-every SECONDS``) takes every message that is due,
builds its text from head office's template (``sync.hq.notify_templates``), hands it to the
sender of its channel (``sync.hq.senders``) and records the outcome in ``hq_notifications``:
``delivered`` (the gateway took it) with the gateway's word, or, after a failed send, another
try after a doubling wait, until ``max_attempts`` failures make it ``failed``. A message its
template refuses (a bad value) fails at once. Each outcome is published in the change log as
``notification_state`` for the message's station, so the station shows it after its next pull.

A message is claimed before it is sent (its next attempt moved past the send's duration in
one write), so two runs at once never send it twice; the sending itself holds no transaction.
"""

from __future__ import annotations

import argparse
import json
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from sync.hq.db import HqDatabase
from sync.hq.i18n import tr
from sync.hq.models import HqNotification, HqRecord, utcnow
from sync.hq.notify_templates import TemplateError, render
from sync.hq.senders import FileSender, OutgoingMessage, Sender, SendError, SmtpSender
from sync.protocol import Change, HqEntity

ENTITY = "notification"
STATE_ENTITY = HqEntity.NOTIFICATION_STATE.value
#: how long a claimed message is kept from another run while it is being sent
LEASE = timedelta(minutes=5)
ENV_PREFIX = "REPAIR_STATION_HQ_"


@dataclass(frozen=True)
class DeliveryPolicy:
    max_attempts: int = 5
    #: the wait after the first failure; doubled after each further one
    backoff: timedelta = timedelta(minutes=1)
    batch: int = 100


@dataclass(frozen=True)
class RunResult:
    delivered: int = 0
    retrying: int = 0
    failed: int = 0


def adopt(db: HqDatabase, now: datetime) -> int:
    """Gives every newly pushed message its delivery row (state ``queued``)."""
    with db.write() as s:
        known = select(HqNotification.id)
        new = s.execute(select(HqRecord.entity_id, HqRecord.station_id).where(
            HqRecord.entity == ENTITY, HqRecord.deleted.is_(False),
            HqRecord.entity_id.not_in(known))).all()
        for entity_id, station_id in new:
            s.add(HqNotification(id=entity_id, station_id=station_id, state="queued",
                                 next_attempt_at=now))
        return len(new)


def send_due(db: HqDatabase, senders: Mapping[str, Sender], now: datetime,
             policy: DeliveryPolicy = DeliveryPolicy()) -> RunResult:
    """One delivery run: every due message once."""
    adopt(db, now)
    delivered = retrying = failed = 0
    for message_id in _claim(db, now, policy.batch):
        state = _send_one(db, message_id, senders, now, policy)
        delivered += state == "delivered"
        retrying += state == "queued"
        failed += state == "failed"
    return RunResult(delivered, retrying, failed)


def _claim(db: HqDatabase, now: datetime, limit: int) -> list[str]:
    with db.write() as s:
        due = list(s.scalars(select(HqNotification.id).where(
            HqNotification.state == "queued",
            or_(HqNotification.next_attempt_at.is_(None),
                HqNotification.next_attempt_at <= now))
            .order_by(HqNotification.next_attempt_at, HqNotification.id).limit(limit)))
        claimed = []
        for message_id in due:
            took = s.execute(update(HqNotification).where(
                HqNotification.id == message_id, HqNotification.state == "queued",
                or_(HqNotification.next_attempt_at.is_(None),
                    HqNotification.next_attempt_at <= now))
                .values(next_attempt_at=now + LEASE))
            if took.rowcount:
                claimed.append(message_id)
        return claimed


def _send_one(db: HqDatabase, message_id: str, senders: Mapping[str, Sender], now: datetime,
              policy: DeliveryPolicy) -> str:
    with db.read() as s:
        record = s.scalar(select(HqRecord).where(HqRecord.entity == ENTITY,
                                                 HqRecord.entity_id == message_id))
        data: dict[str, Any] = json.loads(record.payload) if record is not None else {}
    permanent = ""
    try:
        message = _message(message_id, data)
    except TemplateError as exc:
        permanent, message = str(exc), None
    outcome, detail = "failed", permanent
    if message is not None:
        sender = senders.get(message.channel)
        try:
            if sender is None:
                raise SendError(f"no sender is set up for {message.channel}")
            detail, outcome = sender.send(message), "delivered"
        except SendError as exc:
            detail, outcome = str(exc), "retry"
    from sync.hq.changes import append_change  # changes' snapshot imports this module

    with db.write() as s:
        row = s.get(HqNotification, message_id)
        assert row is not None
        row.attempts += 1
        if outcome == "retry" and row.attempts < policy.max_attempts:
            row.state = "queued"
            row.next_attempt_at = now + policy.backoff * (2 ** (row.attempts - 1))
        else:
            row.state = "delivered" if outcome == "delivered" else "failed"
            row.next_attempt_at = None
        row.state_detail = detail[:200]
        row.state_at = now
        row.state_seq = append_change(db, s, station_id=row.station_id, entity=STATE_ENTITY,
                                      entity_id=row.id, op="upsert", payload=state_payload(row),
                                      now=now)
        state = row.state
    return state


def _message(message_id: str, data: dict[str, Any]) -> OutgoingMessage:
    channel = str(data.get("channel") or "")
    recipient = str(data.get("recipient") or "")
    if channel not in ("sms", "email"):
        raise TemplateError(f"unknown channel {channel[:8]!r}")
    if not recipient or any(c in recipient for c in "\r\n") or len(recipient) > 120:
        raise TemplateError("no usable recipient")
    try:
        params = json.loads(str(data.get("params") or "{}"))
    except ValueError as exc:
        raise TemplateError("the values are not readable") from exc
    if not isinstance(params, dict):
        raise TemplateError("the values are not readable")
    subject, body = render(str(data.get("event") or ""), params)
    return OutgoingMessage(message_id, channel, recipient, subject, body)


def state_payload(row: HqNotification) -> dict[str, Any]:
    return {"notification_id": row.id, "state": row.state, "state_detail": row.state_detail,
            "attempts": row.attempts,
            "state_at": row.state_at.isoformat() if row.state_at else None}


def snapshot_changes(s: Session, station_id: int) -> list[Change]:
    """The latest state head office published of each of the station's messages."""
    return [Change(row.state_seq, STATE_ENTITY, row.id, "upsert", state_payload(row))
            for row in s.scalars(select(HqNotification).where(
                HqNotification.station_id == station_id, HqNotification.state_seq > 0)
                .order_by(HqNotification.state_seq))]


# -- configuration and the command line ---------------------------------------------------------


def senders_from(args: argparse.Namespace | None = None,
                 env: Mapping[str, str] = os.environ) -> dict[str, Sender]:
    """The senders set up by the command line (``args``) or the environment
    (REPAIR_STATION_HQ_SMTP_HOST, _SMTP_PORT, _SMTP_USER, _SMTP_PASSWORD_ENV, _SMTP_FROM,
    _SMTP_STARTTLS, _NOTIFY_DIR): e-mail through SMTP when a host is given, else to the
    folder; text messages to the folder."""
    def get(name: str, default: str = "") -> str:
        value = getattr(args, name.lower(), None) if args is not None else None
        return str(value) if value not in (None, "") else env.get(ENV_PREFIX + name, default)

    out: dict[str, Sender] = {}
    folder = get("NOTIFY_DIR")
    if folder:
        out["sms"] = out["email"] = FileSender(Path(folder), get("SMTP_FROM", "noreply@localhost"))
    host = get("SMTP_HOST")
    if host:
        out["email"] = SmtpSender(
            host, int(get("SMTP_PORT", "25")), get("SMTP_USER"),
            get("SMTP_PASSWORD_ENV", ENV_PREFIX + "SMTP_PASSWORD"), get("SMTP_FROM"),
            get("SMTP_STARTTLS", "").lower() in ("1", "true", "yes", "on"))
    return out


def add_commands(sub: Any, parents: list[argparse.ArgumentParser]) -> None:
    """``notify send [--once] [--every S] [--max-attempts N] [--backoff S]`` with the sender
    options."""
    group = sub.add_parser("notify", parents=parents, help="send the customer messages")
    cmds = group.add_subparsers(dest="notify_command", required=True, metavar="ACTION")
    send = cmds.add_parser("send", parents=parents,
                           help="send the messages that are due, retrying failed ones")
    send.add_argument("--once", action="store_true", help="one run, then stop")
    send.add_argument("--every", type=int, default=60, help="seconds between runs")
    add_sender_options(send)


def add_sender_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--smtp-host", help="SMTP server for e-mail")
    parser.add_argument("--smtp-port", type=int, help="SMTP port (25)")
    parser.add_argument("--smtp-user", help="SMTP login name")
    parser.add_argument("--smtp-password-env",
                        help="environment variable holding the SMTP password")
    parser.add_argument("--smtp-from", help="the sender address (From)")
    parser.add_argument("--smtp-starttls", action="store_true", default=None,
                        help="STARTTLS before login")
    parser.add_argument("--notify-dir", help="folder for one file per message (pilots)")
    parser.add_argument("--max-attempts", type=int, default=5,
                        help="failed sends before a message is marked failed")
    parser.add_argument("--backoff", type=int, default=60,
                        help="seconds before the first retry (doubled each time)")


def policy_from(args: argparse.Namespace) -> DeliveryPolicy:
    if not 1 <= args.max_attempts <= 50 or not 0 <= args.backoff <= 86400:
        raise ValueError("--max-attempts must be 1..50 and --backoff 0..86400 seconds")
    return DeliveryPolicy(args.max_attempts, timedelta(seconds=args.backoff))


def run_command(args: argparse.Namespace, db: HqDatabase,
                clock: Callable[[], datetime] = utcnow) -> int:
    senders, policy = senders_from(args), policy_from(args)
    if not senders:
        raise ValueError("no sender is set up: give --smtp-host or --notify-dir")
    stop = threading.Event()
    while True:
        result = send_due(db, senders, clock(), policy)
        print(tr("{delivered} delivered, {retrying} to retry, {failed} failed.",
                 delivered=result.delivered, retrying=result.retrying, failed=result.failed))
        if args.once:
            return 0
        try:
            stop.wait(max(1, args.every))
        except KeyboardInterrupt:
            return 0


def start_loop(db: HqDatabase, senders: Mapping[str, Sender], every: float,
               policy: DeliveryPolicy = DeliveryPolicy(),
               clock: Callable[[], datetime] = utcnow) -> threading.Event:
    """The server's background delivery loop (a daemon thread); set the event to stop it."""
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(every):
            try:
                send_due(db, senders, clock(), policy)
            except Exception:  # a bad run must not end the loop
                continue

    threading.Thread(target=loop, name="hq-notify", daemon=True).start()
    return stop
