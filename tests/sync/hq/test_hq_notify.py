"""Head office sends the customer messages: each value checked before it enters the Chinese
template (a line break or an overlong value refused, the amount in yuan), the file sender's
one file per message, the SMTP sender against a real SMTP server on the loopback (aiosmtpd),
and a failed send retried after a doubling wait and finally marked failed, each state
published in the change log for the message's station (and in its snapshot)."""

from __future__ import annotations

import email
import json
import socket
import uuid
from datetime import timedelta
from email import policy as email_policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from sync import protocol as p
from sync.hq import changes, notify
from sync.hq.models import HqChange, HqNotification
from sync.hq.notify_templates import TemplateError, render, yuan
from sync.hq.senders import FileSender, OutgoingMessage, SendError, SmtpSender
from tests.sync.hq.conftest import op


def _message(event: str = "done", channel: str = "sms", recipient: str = "13812345678",
             **params: object) -> dict:
    return {"order_id": str(uuid.uuid4()), "customer_id": str(uuid.uuid4()), "event": event,
            "channel": channel, "recipient": recipient, "state": "queued", "attempts": 0,
            "params": json.dumps({"order_no": "BJ001-20260601-0001", **params})}


def test_the_template_checks_each_value_and_writes_the_amount_in_yuan() -> None:
    subject, body = render("booked", {"order_no": "BJ001-20260601-0001",
                                      "window": "6月3日 周三 14:00-16:00",
                                      "technician": "王师傅"})
    assert subject == "上门服务预约 BJ001-20260601-0001"
    assert "6月3日 周三 14:00-16:00" in body and "王师傅" in body
    assert "¥123.05" in render("done", {"order_no": "A-1", "amount_fen": "12305"})[1]
    assert yuan(7) == "¥0.07"
    # a value is never read as a template: braces stay braces
    assert "{order_no}" in render("booked", {"order_no": "A-1", "window": "{order_no}"})[1]
    for bad in ({"order_no": "A-1\r\nBcc: x@example.com"},
                {"order_no": "A-1", "window": "x" * 61},
                {"order_no": "A-1", "window": "周三\n14:00"},
                {"order_no": "A-1"},  # no window
                {"order_no": "A-1", "window": "w", "technician": ["王"]}):
        with pytest.raises(TemplateError):
            render("booked", bad)
    for amount in ("-5", "1.5", "abc", True):
        with pytest.raises(TemplateError):
            render("done", {"order_no": "A-1", "amount_fen": amount})
    with pytest.raises(TemplateError):
        render("unknown", {"order_no": "A-1"})


def test_the_file_sender_writes_one_message_per_file(tmp_path: Path) -> None:
    sender = FileSender(tmp_path / "out")
    text = render("order_received", {"order_no": "A-1"})
    word = sender.send(OutgoingMessage("id-1", "sms", "13812345678", *text))
    sender.send(OutgoingMessage("id-1", "sms", "13812345678", *text))  # a resend: the same file
    [path] = (tmp_path / "out").iterdir()
    assert path.name == "id-1.eml" and "id-1.eml" in word
    mail = email.message_from_bytes(path.read_bytes(), policy=email_policy.default)
    assert mail["To"] == "13812345678" and mail["X-Channel"] == "sms"
    assert mail["Subject"] == "您的报修已受理 A-1" and "A-1" in mail.get_content()
    with pytest.raises(SendError):
        sender.send(OutgoingMessage("id-2", "email", "a@b.cn\r\nBcc: c@d.cn", "s", "b"))


class _Inbox:
    def __init__(self) -> None:
        self.mails: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):
        self.mails.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


def test_the_smtp_sender_delivers_to_a_real_server() -> None:
    inbox = _Inbox()
    # aiosmtpd's controller checks its server by connecting to the port it was given, so the
    # port is one the system just handed out on 127.0.0.1
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        sender = SmtpSender("127.0.0.1", port, from_addr="service@example.com", timeout=5)
        subject, body = render("visit_thanks", {"order_no": "A-1"})
        word = sender.send(OutgoingMessage("n-1", "email", "meimei@example.com", subject, body))
        assert f"127.0.0.1:{port}" in word
        [(sender_addr, rcpts, content)] = inbox.mails
        assert sender_addr == "service@example.com" and rcpts == ["meimei@example.com"]
        mail = email.message_from_bytes(content, policy=email_policy.default)
        assert mail["Subject"] == "感谢您的评价 A-1" and "回访" in mail.get_content()
        with pytest.raises(SendError):
            sender.send(OutgoingMessage("n-2", "sms", "13812345678", subject, body))
    finally:
        controller.stop()
    with pytest.raises(SendError):  # the server is gone: a send error, retried later
        sender.send(OutgoingMessage("n-3", "email", "meimei@example.com", subject, body))


class _Down:
    def send(self, message: OutgoingMessage) -> str:
        raise SendError("gateway down")


def test_a_failed_send_is_retried_with_backoff_then_failed_and_published(hq,
                                                                        tmp_path) -> None:
    st = hq.station("BJ001")
    good, bad, broken = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
    batch = p.PushBatch.build(st.code, [
        op(1, "notification", good, _message(channel="email", recipient="a@example.com",
                                              amount_fen="100")),
        op(2, "notification", bad, _message(amount_fen="100")),
        op(3, "notification", broken, _message(event="visit_thanks", recipient="")),
    ], from_seq=1)
    assert hq.push(st, batch).status_code == 200
    senders = {"email": FileSender(tmp_path / "mail"), "sms": _Down()}
    policy = notify.DeliveryPolicy(max_attempts=3, backoff=timedelta(minutes=1))
    now = hq.clock.now
    first = notify.send_due(hq.db, senders, now, policy)
    assert (first.delivered, first.retrying, first.failed) == (1, 1, 1)
    assert len(list((tmp_path / "mail").iterdir())) == 1
    # not due again before its wait; then 1 min, then 2 min
    assert notify.send_due(hq.db, senders, now + timedelta(seconds=59), policy) == \
        notify.RunResult()
    assert notify.send_due(hq.db, senders, now + timedelta(minutes=1), policy).retrying == 1
    assert notify.send_due(hq.db, senders, now + timedelta(minutes=2), policy) == \
        notify.RunResult()
    assert notify.send_due(hq.db, senders, now + timedelta(minutes=3), policy).failed == 1
    assert notify.send_due(hq.db, senders, now + timedelta(days=1), policy) == notify.RunResult()
    with hq.db.read() as s:
        rows = {r.id: (r.state, r.attempts, r.state_detail, r.station_id)
                for r in s.scalars(select(HqNotification))}
        published = [(c.entity_id, json.loads(c.payload)["state"], json.loads(c.payload)
                      ["attempts"]) for c in s.scalars(select(HqChange)
                                                       .order_by(HqChange.hq_seq))]
        snap = changes.snapshot(s, rows[bad][3])
    assert rows[good][:2] == ("delivered", 1)
    assert rows[bad][:3] == ("failed", 3, "gateway down")
    assert rows[broken][0] == "failed" and "recipient" in rows[broken][2]
    assert [x for x in published if x[0] == bad] == [(bad, "queued", 1), (bad, "queued", 2),
                                                     (bad, "failed", 3)]
    last = {c.entity_id: c.payload["state"] for c in snap.changes
            if c.entity == "notification_state"}
    assert last == {good: "delivered", bad: "failed", broken: "failed"}
    pulled = hq.pull(st).json()
    assert {c["entity"] for c in pulled["changes"]} == {"notification_state"}


def test_the_command_sends_once_to_the_folder(hq, tmp_path, capsys) -> None:
    from sync.hq.__main__ import main

    st = hq.station("BJ002")
    batch = p.PushBatch.build(st.code, [op(1, "notification", str(uuid.uuid4()),
                                           _message(amount_fen="0"))], from_seq=1)
    assert hq.push(st, batch).status_code == 200
    url = hq.db.engine.url.render_as_string(hide_password=False)
    assert main(["--db", url, "notify", "send", "--once", "--notify-dir",
                 str(tmp_path / "out")]) == 0
    assert "1 delivered" in capsys.readouterr().out
    assert len(list((tmp_path / "out").iterdir())) == 1
    assert main(["--db", url, "notify", "send", "--once"]) == 1  # no sender set up
