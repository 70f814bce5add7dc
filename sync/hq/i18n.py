"""Head office's words: English source text, Simplified Chinese by default.

``repair-station-hq`` speaks Chinese to head office's operators unless ``--lang en`` (or
``REPAIR_STATION_HQ_LANG=en``) says otherwise; the process has one language. ``tr(text,
**params)`` has the shape of the station's ``app.i18n.tr`` but its own catalogue
(``sync.hq.i18n_zh``), so head office never depends on the station's window or its
catalogues. A ``Message`` error carries its English template and parameters; ``render`` says
it in the current language. The API's JSON error codes stay English: they are the protocol.

``translating_argparse`` puts argparse's own words (usage, options, its errors) through the
same catalogue while a parser is built and used.
"""

from __future__ import annotations

import argparse
import os
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sync.hq.i18n_zh import TEXT_ZH

LANGUAGES = ("zh_CN", "en")
#: the language when no --lang is given (head office's operators: Chinese)
LANG_ENV = "REPAIR_STATION_HQ_LANG"
_ALIASES = {"zh": "zh_CN", "zh_cn": "zh_CN", "zh-cn": "zh_CN", "en": "en", "en_us": "en"}
_language = "zh_CN"


def language_code(code: str) -> str:
    """``zh``/``zh_CN``/``en`` (any case) as one of ``LANGUAGES``; ValueError otherwise."""
    found = _ALIASES.get(code.strip().lower())
    if found is None:
        raise ValueError(f"unknown language {code!r}; choose zh_CN or en")
    return found


def default_language() -> str:
    """``REPAIR_STATION_HQ_LANG`` if set (and known), else Chinese."""
    try:
        return language_code(os.environ.get(LANG_ENV, "zh_CN"))
    except ValueError:
        return "zh_CN"


def set_language(code: str) -> None:
    global _language
    _language = language_code(code)


def current_language() -> str:
    return _language


def tr(text: str, **params: Any) -> str:
    """``text`` in the current language, with ``{name}`` parameters filled in."""
    template = TEXT_ZH.get(text, text) if _language == "zh_CN" else text
    if not params:
        return template
    return template.format(**{k: _param(v) for k, v in params.items()})


def columns(text: str) -> int:
    """How many terminal columns ``text`` takes (a Chinese character two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, width: int, right: bool = False) -> str:
    """``text`` padded to ``width`` terminal columns (a Chinese character takes two), so the
    command's tables line up in Chinese as in English."""
    fill = " " * max(0, width - columns(text))
    return fill + text if right else text + fill


def _param(value: Any) -> Any:
    if isinstance(value, Message):
        return value.render()
    return value


class Message:
    """A message with an English ``template`` and ``params``; ``str`` is the English text
    (logs, tracebacks), ``render()`` the operator's language. Mixed into head office's
    errors."""

    def __init__(self, template: str, **params: Any) -> None:
        self.template = template
        self.params = params
        self.english = template.format(**params) if params else template
        if isinstance(self, BaseException):
            super().__init__(self.english)  # type: ignore[call-arg]

    def __str__(self) -> str:
        return self.english

    def render(self) -> str:
        if self.params or self.template in TEXT_ZH:
            return tr(self.template, **self.params)
        return said(self.template)  # a finished English text (an f-string of older code)


def render(error: BaseException) -> str:
    """An error in the current language: a ``Message`` translated, anything else by
    ``said``."""
    if isinstance(error, Message):
        return error.render()
    return said(str(error))


def said(text: str, _depth: int = 0) -> str:
    """A finished English text in the current language: looked up whole, else matched against
    the catalogue's templates (``"No claim batch {ref} is known..."`` matches the text that
    template makes; its parts are said in turn). Head office's older modules build their
    messages with f-strings; this says them in Chinese without a template at every call."""
    if _language != "zh_CN":
        return text
    whole = TEXT_ZH.get(text)
    if whole is not None:
        return whole
    if _depth > 3:  # a part of a part of a part: names and numbers by then
        return text
    for pattern, names, chinese in _patterns():
        found = pattern.fullmatch(text)
        if found:
            return chinese.format(**{n: said(found.group(n), _depth + 1) for n in names})
    return text


_PATTERNS: list[tuple[re.Pattern[str], list[str], str]] = []


def _patterns() -> list[tuple[re.Pattern[str], list[str], str]]:
    """The catalogue's templates as patterns, the most literal text first (most specific)."""
    if not _PATTERNS:
        found = []
        for english, chinese in TEXT_ZH.items():
            names = re.findall(r"\{(\w+)\}", english)
            if not names:
                continue
            parts = re.split(r"\{\w+\}", english)
            regex = "".join(re.escape(part) + (f"(?P<{names[i]}>.+?)" if i < len(names) else "")
                            for i, part in enumerate(parts))
            literal = sum(len(x) for x in parts)
            if not literal:  # "{problem}" alone would match any text
                continue
            try:
                found.append((re.compile(regex, re.S), names, chinese, literal))
            except re.error:  # a name used twice in one template
                continue
        found.sort(key=lambda x: -x[3])
        _PATTERNS.extend((rx, names, chinese) for rx, names, chinese, _ in found)
    return _PATTERNS


@contextmanager
def translating_argparse() -> Iterator[None]:
    """argparse's own words through ``tr`` while the block runs (restored after: the station's
    command may share the process)."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]

    def one(text: str) -> str:
        return tr(text)

    def many(singular: str, plural: str, n: int) -> str:
        return tr(singular if n == 1 else plural)

    argparse._ = one  # type: ignore[attr-defined]
    argparse.ngettext = many  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


def translate_parser(parser: argparse.ArgumentParser, _done: set[int] | None = None) -> None:
    """Every description and help text of ``parser`` and its sub-commands through ``tr``
    (once each: sub-commands share the actions of their parents)."""
    done = set() if _done is None else _done
    if id(parser) in done:
        return
    done.add(id(parser))
    if parser.description:
        parser.description = tr(parser.description)
    for action in parser._actions:
        if id(action) in done:
            continue
        done.add(id(action))
        if isinstance(action.help, str) and action.help != argparse.SUPPRESS:
            action.help = tr(action.help)
        if isinstance(action, argparse._SubParsersAction):
            for pseudo in action._choices_actions:
                if isinstance(pseudo.help, str):
                    pseudo.help = tr(pseudo.help)
            for sub in action.choices.values():
                translate_parser(sub, done)
