"""Errors services raise, on top of the domain's ``RuleViolation`` (message template + params)."""

from __future__ import annotations

from app.domain.errors import RuleViolation


class PermissionDenied(RuleViolation):
    """The user's role may not do this."""


class NotFound(RuleViolation):
    """The row asked for does not exist (any more)."""


class LoginFailed(RuleViolation):
    """Wrong user name or password, or the account is locked."""


class StaleEdit(RuleViolation):
    """Someone else changed the row since it was opened."""


def stale(entity_label: str) -> StaleEdit:
    return StaleEdit(
        "This {entity} was changed by someone else since you opened it; reopen it and try again.",
        entity=entity_label,
    )


def not_found(entity_label: str) -> NotFound:
    return NotFound("The {entity} was not found.", entity=entity_label)
