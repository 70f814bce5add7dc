"""The one error head-office admin use cases raise: a message for the operator."""

from __future__ import annotations

from sync.hq.i18n import Message


class AdminError(Message, Exception):
    """An operator's request head office cannot carry out; the message says why.

    ``AdminError("No station {code}.", code=code)``: an English template and its parameters,
    said in the operator's language by ``sync.hq.i18n.render`` (``str`` is the English)."""
