"""The translation layer: English source text, Simplified Chinese by default, Traditional
Chinese (zh_TW) and any other language that has a folder of gettext .po files.

``tr("Orders")`` returns the text in the current language. Enum members have labels
(``label(OrderStatus.CLOSED)`` -> 已结单). ``render(err)`` turns a rule's message template and
parameters into the current language, translating enum and text parameters too.

Catalogues live in ``locale/<language>/LC_MESSAGES/<area>.po`` (one .po per area, so areas
never edit one file; the loader reads every .po of the language's folder, so a translator may
also hand in one ``messages.po`` made from ``locale/messages.pot``). An enum label is an entry
whose ``msgctxt`` is ``EnumName.MEMBER`` (its msgid is the English label); an entry whose
msgctxt is a Qt class (``QFileDialog``) gives Qt's own text where Qt's catalogue lacks it
(``qt_text``, used by ``app.ui.qt_app``). A .po header
``X-Fallback-Language: zh_CN`` lets a language show another one's text where it has none.
English is the source: it has no catalogue. A new language is a folder, not code.

During the move from Python catalogues, the modules still named in ``CATALOGUES``
(``zh_<area>.py`` with ``TEXT_ZH``/``LABELS_ZH``) are read into zh_CN as well;
``python -m app.i18n.convert`` moves a module into the .po files and drops it from the list.
A leaf module: it imports nothing of ours except the catalogues.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from app.i18n.po import read_po

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN_DIR = "LC_MESSAGES"
SOURCE_LANGUAGE = "en"
DEFAULT_LANGUAGE = "zh_CN"

#: Python catalogue modules not yet moved into .po files (read into zh_CN); emptied by
#: ``python -m app.i18n.convert``
CATALOGUES: tuple[str, ...] = ()


@dataclass
class Catalogue:
    """One language: msgid -> text, ``Enum.MEMBER`` -> label, and where each came from."""

    language: str
    texts: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    areas: dict[str, dict[str, str]] = field(default_factory=dict)  # area -> its own texts
    qt: dict[tuple[str, str], str] = field(default_factory=dict)  # (Qt class, Qt's text)
    header: dict[str, str] = field(default_factory=dict)


def _languages() -> tuple[str, ...]:
    found = sorted(p.name for p in LOCALE_DIR.iterdir()
                   if (p / DOMAIN_DIR).is_dir() and p.name != DEFAULT_LANGUAGE)
    return (DEFAULT_LANGUAGE, *found, SOURCE_LANGUAGE)


def is_label_key(msgctxt: str) -> bool:
    """``OrderStatus.CLOSED`` is an enum label; ``QFileDialog`` is a Qt class's context."""
    kind, dot, member = msgctxt.partition(".")
    return bool(dot and kind and member)


def area_name(module_or_area: str) -> str:
    """``zh_printing`` -> ``printing``; ``zh_cn`` (the first, shared catalogue) -> ``common``."""
    name = module_or_area.removeprefix("zh_")
    return "common" if name == "cn" else name


def _read_language(language: str) -> Catalogue:
    cat = Catalogue(language)
    folder = LOCALE_DIR / language / DOMAIN_DIR
    for path in sorted(folder.glob("*.po")):
        po = read_po(path)
        cat.header = cat.header or po.header
        own = cat.areas.setdefault(path.stem, {})
        for entry in po.entries:
            if not entry.translated:
                continue
            if entry.msgctxt is not None and is_label_key(entry.msgctxt):
                cat.labels[entry.msgctxt] = entry.msgstr
            elif entry.msgctxt is not None:
                cat.qt[(entry.msgctxt, entry.msgid)] = entry.msgstr
            else:
                own[entry.msgid] = entry.msgstr
                cat.texts[entry.msgid] = entry.msgstr
    if language == DEFAULT_LANGUAGE:
        for name in CATALOGUES:  # the transition: modules not yet converted
            module = importlib.import_module(f"app.i18n.{name}")
            cat.areas.setdefault(area_name(name), {}).update(module.TEXT_ZH)
            cat.texts.update(module.TEXT_ZH)
            cat.labels.update(getattr(module, "LABELS_ZH", {}))
    return cat


_CACHE: dict[str, Catalogue] = {}


def catalogue(language: str) -> Catalogue:
    """The language's own entries (no fallback): what its .po files (and modules) hold."""
    if language not in _CACHE:
        _CACHE[language] = _read_language(language)
    return _CACHE[language]


def _effective(language: str) -> tuple[dict[str, str], dict[str, str]]:
    if language == SOURCE_LANGUAGE:
        return {}, {}
    own = catalogue(language)
    fallback = _fallback(language)
    if fallback:
        texts, labels = _effective(fallback)
        return {**texts, **own.texts}, {**labels, **own.labels}
    return own.texts, own.labels


def _fallback(language: str) -> str | None:
    fallback = catalogue(language).header.get("X-Fallback-Language")
    return fallback if fallback and fallback != language and fallback in LANGUAGES else None


def qt_text(context: str, source: str, language: str | None = None) -> str | None:
    """Qt's own text (``QFileDialog``, ``"&Look in:"``) in the language, when a catalogue has
    it; None lets Qt's catalogue (qtbase_<language>.qm) answer."""
    code = language or _language
    while code and code != SOURCE_LANGUAGE:
        text = catalogue(code).qt.get((context, source))
        if text:
            return text
        code = _fallback(code)
    return None


LANGUAGES = _languages()
#: each language's name in itself, for the language choice (a .po header ``X-Language-Name``)
LANGUAGE_NAMES = {code: (catalogue(code).header.get("X-Language-Name", code)
                         if code != SOURCE_LANGUAGE else "English") for code in LANGUAGES}
#: zh_CN's texts and labels (what the completeness tests and ``report --help`` read)
TEXT_ZH: dict[str, str] = catalogue(DEFAULT_LANGUAGE).texts
LABELS_ZH: dict[str, str] = catalogue(DEFAULT_LANGUAGE).labels
AREAS = tuple(sorted(catalogue(DEFAULT_LANGUAGE).areas))

_language = DEFAULT_LANGUAGE
_texts, _labels = _effective(_language)


def set_language(code: str) -> None:
    global _language, _texts, _labels
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r}; choose one of {', '.join(LANGUAGES)}")
    _language = code
    _texts, _labels = _effective(code)


def current_language() -> str:
    return _language


def is_chinese(code: str | None = None) -> bool:
    """zh_CN, zh_TW...: lists joined with 、, Qt's Chinese texts, CJK fonts."""
    return (code or _language).startswith("zh")


def area_texts(area: str, language: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """One area's own entries (``zh_printing`` or ``printing``), for the tests that keep
    areas from translating one source text two ways."""
    return dict(catalogue(language).areas.get(area_name(area), {}))


def tr(text: str, **params: Any) -> str:
    """``text`` in the current language, with ``{name}`` parameters filled in."""
    template = _texts.get(text, text)
    if not params:
        return template
    return template.format(**{k: _param(v) for k, v in params.items()})


def label(member: Enum) -> str:
    """The display name of an enum member (status, type, role...)."""
    key = f"{type(member).__name__}.{member.name}"
    if key in _labels:
        return _labels[key]
    return english_label(member)


def english_label(member: Enum) -> str:
    """The source (English) label: the member's value, underscores as spaces."""
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
        sep = "、" if is_chinese() else ", "
        return sep.join(_param(v) for v in value)
    if isinstance(value, str):
        return _texts.get(value, value)
    return str(value)
