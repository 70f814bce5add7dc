"""The gateways head office sends customer messages through (客户通知): a ``Sender`` takes
one finished ``OutgoingMessage`` and either returns what the gateway said or raises
``SendError`` (the delivery run, ``sync.hq.notify``, retries it later).

- ``SmtpSender``: e-mail through an SMTP server (``smtplib``; STARTTLS when asked; the
  password read from an environment variable, never from the command line);
- ``FileSender``: one ``.eml`` file per message in a folder, for pilots and for text messages
  until a gateway is contracted (a person or a gateway's upload tool picks them up).

Message texts reach here already built from head office's templates with every value checked
(``sync.hq.notify_templates``); the senders check the headers once more (no CR/LF).
Pure Python: no Qt, no station code.
"""

from __future__ import annotations

import os
import re
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Protocol

_SAFE_NAME = re.compile(r"[^A-Za-z0-9_.-]")


@dataclass(frozen=True)
class OutgoingMessage:
    """One message as it leaves head office."""

    id: str  # the station's notification id (the file name, the Message-ID's left part)
    channel: str  # sms | email
    recipient: str
    subject: str
    body: str


class SendError(Exception):
    """The gateway did not take the message; the text says why (kept as the detail)."""


class Sender(Protocol):
    """Sends one message; returns the gateway's word (kept as the state's detail)."""

    def send(self, message: OutgoingMessage) -> str: ...


def _check_headers(message: OutgoingMessage) -> None:
    for value in (message.recipient, message.subject, message.id):
        if "\r" in value or "\n" in value:
            raise SendError("a header holds a line break; refused")


def _email(message: OutgoingMessage, from_addr: str) -> EmailMessage:
    _check_headers(message)
    mail = EmailMessage()
    mail["From"] = from_addr
    mail["To"] = message.recipient
    mail["Subject"] = message.subject
    mail["Date"] = formatdate(usegmt=True)
    domain = from_addr.rpartition("@")[2] or "localhost"
    mail["Message-ID"] = make_msgid(idstring=_SAFE_NAME.sub("", message.id)[:40], domain=domain)
    mail.set_content(message.body)
    return mail


class SmtpSender:
    """E-mail through an SMTP server."""

    def __init__(self, host: str, port: int = 25, user: str = "", password_env: str = "",
                 from_addr: str = "", starttls: bool = False, timeout: float = 20.0) -> None:
        if not from_addr or "@" not in from_addr or any(c in from_addr for c in "\r\n"):
            raise ValueError("the sender address (From) must be an e-mail address")
        self.host, self.port, self.user = host, port, user
        self.password_env, self.from_addr = password_env, from_addr
        self.starttls, self.timeout = starttls, timeout

    def send(self, message: OutgoingMessage) -> str:
        if message.channel != "email":
            raise SendError(f"the SMTP sender sends e-mail, not {message.channel}")
        mail = _email(message, self.from_addr)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls()
                if self.user:
                    smtp.login(self.user, os.environ.get(self.password_env, ""))
                refused = smtp.send_message(mail)
        except (smtplib.SMTPException, OSError) as exc:
            raise SendError(f"SMTP {self.host}:{self.port}: {exc}"[:200]) from exc
        if refused:
            raise SendError(f"SMTP refused {', '.join(refused)}"[:200])
        return f"accepted by {self.host}:{self.port}"


class FileSender:
    """One file per message in ``folder`` (``<id>.eml``: an e-mail, or a text message with
    the number in ``To``), written whole (temporary name, then renamed)."""

    def __init__(self, folder: Path | str, from_addr: str = "noreply@localhost") -> None:
        self.folder = Path(folder)
        self.from_addr = from_addr

    def send(self, message: OutgoingMessage) -> str:
        mail = _email(message, self.from_addr)
        mail["X-Channel"] = message.channel
        name = _SAFE_NAME.sub("_", message.id)[:60] or "message"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            path = self.folder / f"{name}.eml"
            tmp = path.with_suffix(".tmp")
            tmp.write_bytes(bytes(mail))
            os.replace(tmp, path)
        except OSError as exc:
            raise SendError(f"cannot write to {self.folder}: {exc.strerror or exc}"[:200]) from exc
        return f"written to {path.name}"
