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


class FieldErrors(RuleViolation):
    """Several fields refused at once (a form's every missing or bad field in one go).

    ``errors`` holds one ``RuleViolation`` per field, in form order; ``field`` is the first
    one's (so code that knows only one field still points at the first). Rendered, it reads
    every message, one a line.
    """

    def __init__(self, errors: list[RuleViolation] | tuple[RuleViolation, ...]) -> None:
        if not errors:
            raise ValueError("FieldErrors needs at least one error")
        self.errors: tuple[RuleViolation, ...] = tuple(errors)
        super().__init__("{errors}", field=self.errors[0].field, errors=self.errors)


class ErrorCollector:
    """Runs checks and keeps going after a refusal: ``value = c.check(fn, *args)`` returns
    the check's result or ``default`` when it refused; ``c.raise_if_any()`` raises the one
    refusal alone, several as ``FieldErrors``. A field is reported once (its first refusal)."""

    def __init__(self) -> None:
        self.errors: list[RuleViolation] = []

    def check(self, fn: Any, *args: Any, default: Any = None, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except FieldErrors as err:
            self.errors.extend(err.errors)
        except RuleViolation as err:
            self.add(err)
        return default

    def add(self, err: RuleViolation) -> None:
        if err.field is None or all(e.field != err.field for e in self.errors):
            self.errors.append(err)

    def has(self, field: str) -> bool:
        return any(e.field == field for e in self.errors)

    def raise_if_any(self) -> None:
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise FieldErrors(self.errors)
