"""Every text the program shows has a Simplified and a Traditional Chinese entry, every label
exists, placeholders match, and the .po files are standard gettext (Babel reads them the same).
English is the source text: it needs no catalogue."""

from __future__ import annotations

import functools
import string
import warnings
from enum import Enum
from pathlib import Path

import pytest

from app.domain import enums, sla, state_machine
from app.i18n import (
    CATALOGUES,
    LANGUAGES,
    LOCALE_DIR,
    TEXT_ZH,
    area_name,
    area_texts,
    catalogue,
    label,
    set_language,
    tr,
)
from app.i18n.extract import shown_texts
from app.i18n.po import read_po

ROOT = Path(__file__).resolve().parent.parent
CHINESE = [code for code in LANGUAGES if code != "en"]
#: areas still in Python modules during the move (zh_CN only until converted)
PENDING = {area_name(name) for name in CATALOGUES}


@functools.cache
def _shown() -> tuple[tuple[str, str, int], ...]:
    return tuple(shown_texts(ROOT))


def _pending_texts() -> set[str]:
    return {text for area in PENDING for text in area_texts(area)}


def test_languages_are_the_locale_folders() -> None:
    assert LANGUAGES == ("zh_CN", "zh_TW", "en")


@pytest.mark.parametrize("language", CHINESE)
def test_every_shown_text_has_a_translation(language: str) -> None:
    own = catalogue(language).texts
    pending = _pending_texts() if language != "zh_CN" else set()
    missing = sorted({f"{where}:{line}: {text!r}" for where, text, line in _shown()
                      if text not in own and text not in pending})
    assert not missing, f"no {language} entry for:\n" + "\n".join(missing)


def test_traditional_has_every_entry_of_simplified() -> None:
    """zh_TW is complete: every zh_CN .po entry and label (not only those found in code)."""
    cn, tw = catalogue("zh_CN"), catalogue("zh_TW")
    pending = _pending_texts()
    missing = sorted(t for t in cn.texts if t not in tw.texts and t not in pending)
    assert not missing, "no zh_TW entry for:\n" + "\n".join(missing)
    pending_labels = {k for name in CATALOGUES for k in _module_labels(name)}
    assert sorted(set(cn.labels) - set(tw.labels) - pending_labels) == []
    assert set(cn.qt) == set(tw.qt)  # Qt's own texts its catalogue lacks


def _module_labels(name: str) -> dict[str, str]:
    import importlib

    return getattr(importlib.import_module(f"app.i18n.{name}"), "LABELS_ZH", {})


ENUMS = [enums.Role, enums.OrderType, enums.OrderSource, enums.ServiceMode, enums.OrderStatus,
         enums.ChargeKind, enums.WarrantyStatus, state_machine.Action, sla.Promise,
         sla.ClockState]


@pytest.mark.parametrize("language", CHINESE)
@pytest.mark.parametrize("enum_type", ENUMS)
def test_every_enum_member_has_a_label(enum_type: type[Enum], language: str) -> None:
    labels = catalogue(language).labels
    for member in enum_type:
        assert f"{enum_type.__name__}.{member.name}" in labels
    set_language(language)
    try:
        assert all(label(m) != m.value for m in enum_type)
    finally:
        set_language("zh_CN")


def test_label_entries_carry_the_english_label_as_msgid() -> None:
    from app.i18n import english_label

    by_key = {e.msgctxt: e.msgid for p in sorted(LOCALE_DIR.glob("zh_*/LC_MESSAGES/*.po"))
              for e in read_po(p).entries if e.msgctxt}
    for enum_type in ENUMS:
        for member in enum_type:
            key = f"{enum_type.__name__}.{member.name}"
            assert by_key.get(key, english_label(member)) == english_label(member), key


def test_english_falls_back_to_source_text() -> None:
    set_language("en")
    assert tr("Customer name") == "Customer name"
    assert label(enums.OrderStatus.WAITING_PARTS) == "waiting parts"
    set_language("zh_TW")
    assert tr("Customer name") == "客戶姓名"
    assert label(enums.OrderStatus.CLOSED) == "已結單"
    set_language("zh_CN")
    assert tr("Customer name") == "客户姓名"


def _fields(s: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(s) if f}


@pytest.mark.parametrize("language", CHINESE)
def test_placeholders_match_between_languages(language: str) -> None:
    bad = [src for src, text in catalogue(language).texts.items()
           if _fields(src) != _fields(text)]
    assert not bad, bad


@pytest.mark.parametrize("language", CHINESE)
def test_areas_never_translate_one_source_text_two_ways(language: str) -> None:
    first: dict[str, tuple[str, str]] = {}
    clashes = []
    for area, texts in sorted(catalogue(language).areas.items()):
        for source, text in texts.items():
            if source in first and first[source][1] != text:
                clashes.append(f"{source!r}: {first[source]} vs ({area}, {text!r})")
            first.setdefault(source, (area, text))
    assert not clashes, "\n".join(clashes)


def test_traditional_has_no_simplified_characters() -> None:
    """zh_TW was converted by OpenCC at authoring time; nothing Simplified is left in it (a
    hand edit in Simplified would show here)."""
    import opencc

    to_traditional = opencc.OpenCC("s2tw")
    both = set("里")  # a Traditional character too (公里, 奧里亞文), which s2tw reads as 裏
    tw = catalogue("zh_TW")
    bad = [text for text in [*tw.texts.values(), *tw.labels.values()]
           if any(a != b and a not in both
                  for a, b in zip(text, to_traditional.convert(text), strict=False))]
    assert not bad, bad


def test_traditional_uses_the_trades_words() -> None:
    set_language("zh_TW")
    try:
        assert label(enums.Role.CLERK) == "客服專員"
        assert label(enums.OrderType.REPAIR) == "報修"
        assert label(enums.Role.TECHNICIAN) == "維修工程師"
        assert "保修" not in "".join(catalogue("zh_TW").texts.values())
    finally:
        set_language("zh_CN")


def test_every_po_file_reads_the_same_with_babel() -> None:
    """The files are standard gettext: Babel (what Poedit, Weblate and pybabel build on)
    reads every entry as our reader does."""
    from babel.messages.pofile import read_po as babel_read

    paths = sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po")) + [LOCALE_DIR / "messages.pot"]
    assert len(paths) > 3
    for path in paths:
        ours = {(e.msgctxt, e.msgid): e.msgstr for e in read_po(path).entries}
        with path.open("rb") as f:
            theirs = {(m.context, m.id): m.string for m in babel_read(f) if m.id}
        assert theirs == ours, path


def test_template_lists_every_shown_text_and_label(tmp_path: Path) -> None:
    """The .pot a translator starts a new language from (``pybabel init -i messages.pot``)
    has every source text, with where the code shows it, and the enum labels in msgctxt."""
    from babel.messages.pofile import read_po as babel_read

    from app.i18n.convert import write_template
    from app.i18n.extract import enum_values

    path = write_template(ROOT, enum_values(ROOT), tmp_path / "messages.pot")
    with path.open("rb") as f:
        pot = {(m.context, m.id): m for m in babel_read(f) if m.id}
    texts = {msgid for ctxt, msgid in pot if ctxt is None}
    assert {t for _, t, _ in _shown()} <= texts
    assert set(TEXT_ZH) <= texts
    assert pot[("OrderStatus.CLOSED", "closed")].string == ""
    assert pot[(None, "Customer name")].locations


def test_unused_entries_are_only_a_warning() -> None:
    used = {t for _, t, _ in _shown()}
    unused = [t for t in TEXT_ZH if t not in used]
    if unused:  # many are found only by other tests (report columns, papers' fixed lists)
        warnings.warn(f"{len(unused)} zh_CN entries not found by the extractor", stacklevel=1)


@pytest.mark.parametrize("language", CHINESE)
def test_bundled_fonts_draw_every_character_of_the_catalogue(language: str) -> None:
    """The window's bundled face (WenQuanYi Micro Hei, with outlines, not empty glyphs) and the
    papers' font chain draw every character zh_CN and zh_TW use (Traditional included)."""
    from app.printing.fonts import BODY
    from app.printing.glyphs import LAYOUT, drawn_by, undrawable_in

    cat = catalogue(language)
    texts = [*cat.texts.values(), *cat.labels.values(), *cat.qt.values()]
    chars = {ch for text in texts for ch in text} - LAYOUT
    assert sorted(chars - drawn_by(BODY)) == []
    assert undrawable_in(texts) == []


def test_package_data_carries_every_catalogue_file() -> None:
    """A non-editable ``pip install`` (a wheel) takes the .po files and the .pot along
    (a wheel built from the tree held them all)."""
    import fnmatch
    import tomllib

    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))[
        "tool"]["setuptools"]["package-data"]["app.i18n"]
    files = [p.relative_to(LOCALE_DIR.parent).as_posix()
             for p in LOCALE_DIR.rglob("*") if p.is_file()]
    assert files
    assert [f for f in files if not any(fnmatch.fnmatch(f, pat) for pat in patterns)] == []
