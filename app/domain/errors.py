"""Errors a rule raises: an English message template plus parameters.

The template is the translation key; the UI renders it in the user's language
(``app.i18n.render``), translating enum parameters to their labels.
"""

from __future__ import annotations

from typing import Any


class RuleViolation(Exception):
    """A business rule refused an input or a move."""

    def __init__(self, template: str, field: str | None = None, **params: Any) -> None:
        self.template = template
        self.field = field
        self.params = params
        super().__init__(template.format(**{k: _plain(v) for k, v in params.items()}))


def _plain(value: Any) -> Any:
    if isinstance(value, tuple | list | frozenset | set):
        return ", ".join(str(_plain(v)) for v in value)
    return getattr(value, "value", value)
