"""The one translation catalogue: English source text, Simplified Chinese by default.

``tr("Orders")`` returns the text in the current language. Enum members have labels
(``label(OrderStatus.CLOSED)`` -> 已结单). ``render(err)`` turns a rule's message template and
parameters into the current language, translating enum and text parameters too.
A leaf module: it imports nothing of ours except the catalogues.
"""

from __future__ import annotations

import importlib
from enum import Enum
from typing import Any

from app.i18n.zh_cn import LABELS_ZH

#: one catalogue module per area, so areas never edit each other's file
CATALOGUES = ("zh_cn", "zh_ui", "zh_sync", "zh_printing", "zh_parts", "zh_order_parts",
              "zh_sales", "zh_parts_orders", "zh_parts_ui", "zh_warranty", "zh_claims",
              "zh_feedback", "zh_visits", "zh_order_desk", "zh_corrections",
              "zh_claim_papers", "zh_conflicts", "zh_reports", "zh_report_output",
              "zh_reports_ui", "zh_search", "zh_maintenance", "zh_backups",
              "zh_accounts", "zh_settings")
TEXT_ZH: dict[str, str] = {}
for _name in CATALOGUES:
    _module = importlib.import_module(f"app.i18n.{_name}")
    TEXT_ZH.update(_module.TEXT_ZH)
    LABELS_ZH.update(getattr(_module, "LABELS_ZH", {}))  # an area's own enums

LANGUAGES = ("zh_CN", "en")
_language = "zh_CN"


def set_language(code: str) -> None:
    global _language
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r}; choose one of {', '.join(LANGUAGES)}")
    _language = code


def current_language() -> str:
    return _language


def tr(text: str, **params: Any) -> str:
    """``text`` in the current language, with ``{name}`` parameters filled in."""
    template = TEXT_ZH.get(text, text) if _language == "zh_CN" else text
    if not params:
        return template
    return template.format(**{k: _param(v) for k, v in params.items()})


def label(member: Enum) -> str:
    """The display name of an enum member (status, type, role...)."""
    key = f"{type(member).__name__}.{member.name}"
    if _language == "zh_CN" and key in LABELS_ZH:
        return LABELS_ZH[key]
    return str(member.value).replace("_", " ")


def render(error: Exception) -> str:
    """A rule violation (``template`` + ``params``) in the current language; else ``str``."""
    template = getattr(error, "template", None)
    if template is None:
        return str(error)
    return tr(template, **getattr(error, "params", {}))


def _param(value: Any) -> str:
    if isinstance(value, Enum):
        return label(value)
    if getattr(value, "template", None) is not None:  # a rule inside a rule (a file's bad row)
        return render(value)
    if isinstance(value, tuple | list) and value and all(
            getattr(v, "template", None) is not None for v in value):
        return "\n".join(render(v) for v in value)  # several such rules: one a line
    if isinstance(value, tuple | list | frozenset | set):
        sep = "、" if _language == "zh_CN" else ", "
        return sep.join(_param(v) for v in value)
    if isinstance(value, str):
        return TEXT_ZH.get(value, value) if _language == "zh_CN" else value
    return str(value)
