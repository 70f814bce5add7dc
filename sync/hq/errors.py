"""The one error head-office admin use cases raise: a message for the operator."""

from __future__ import annotations


class AdminError(Exception):
    """An operator's request head office cannot carry out; the message says why."""
