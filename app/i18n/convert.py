"""``python -m app.i18n.convert``: moves Python catalogue modules into the .po files and
writes the ``.pot`` template. Re-runnable: a module already moved is skipped.

For each module named (``zh_search`` ...; ``--all`` for every one still in ``CATALOGUES``):
its ``TEXT_ZH`` and ``LABELS_ZH`` go into ``locale/zh_CN/LC_MESSAGES/<area>.po`` (the
module's text wins over an older entry of the same msgid, and says so), each msgid zh_TW does
not have yet goes into ``locale/zh_TW/LC_MESSAGES/<area>.po`` converted by OpenCC (``s2twp``:
Traditional characters with Taiwan's words) and then ``TW_TERMS`` (the trade's words,
reviewed); an existing zh_TW entry is a translator's and is kept. Then the module file is
deleted and dropped from ``CATALOGUES`` in ``app/i18n/__init__.py``. Last, ``messages.pot``
is written from the source (``app.i18n.extract``) and the zh_CN catalogue.

OpenCC is needed only here (``pip install -e .[test]``), never at run time.
"""

from __future__ import annotations

import argparse
import ast
import re
import runpy
import sys
from pathlib import Path

from app.i18n import is_label_key
from app.i18n.extract import english_label, enum_values, shown_texts
from app.i18n.po import Entry, PoFile, read_po, write_po

ROOT = Path(__file__).resolve().parents[2]
DEFAULT = "zh_CN"
TRADITIONAL = "zh_TW"
HEADERS = {
    "zh_CN": {"Language": "zh_CN", "X-Language-Name": "简体中文"},
    "zh_TW": {"Language": "zh_TW", "X-Language-Name": "繁體中文",
              "X-Fallback-Language": "zh_CN"},
}

#: after OpenCC: the words a Taiwan (and Hong Kong, Macau) station uses for this trade
TW_TERMS = (
    ("資訊員", "客服專員"),  # 信息员, the clerk who takes calls: not "IT staff"
    ("保修", "保固"),        # warranty
    ("賬", "帳"),            # 帳號, 帳戶, 對帳
    ("二維碼", "QR 碼"),
    ("型別", "類型"),        # 文件类型 -> 檔案類型 (as Qt's own zh_TW dialogs say)
    ("上門", "到府"),        # on-site visit
    ("質量", "品質"),
    ("幫助", "說明"),
    ("專案", "項目"),        # 收费项目, 评价项目: items, not projects
    ("稽核", "審核"),        # a claim's review by head office, not an audit
    ("資料資料夾", "資料存放資料夾"),  # 数据文件夹
    ("政策檔案", "政策文件"),
    ("釋出", "發布"),
)


def po_path(root: Path, language: str, area: str) -> Path:
    return root / "app" / "i18n" / "locale" / language / "LC_MESSAGES" / f"{area}.po"


def area_name(module: str) -> str:
    name = module.removeprefix("zh_")
    return "common" if name == "cn" else name


def header(language: str, area: str) -> dict[str, str]:
    return {
        "Project-Id-Version": f"repair-station {area}",
        "PO-Revision-Date": "2026-12-01 00:00+0000",
        "Last-Translator": "Repair Station team",
        "Language-Team": HEADERS.get(language, {}).get("X-Language-Name", language),
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        **HEADERS.get(language, {"Language": language}),
    }


def load_po(path: Path, language: str, area: str) -> PoFile:
    if not path.is_file():
        return PoFile(header(language, area), [])
    po = read_po(path)
    po.header = {**header(language, area), **po.header}  # fields added since it was written
    return po


def _key(entry: Entry) -> tuple[str | None, str]:
    """An enum label is known by its msgctxt alone (its English msgid follows the value)."""
    label = entry.msgctxt is not None and is_label_key(entry.msgctxt)
    return (entry.msgctxt, "" if label else entry.msgid)


def merge(po: PoFile, new: list[Entry], *, keep_existing: bool, where: str) -> int:
    """Adds ``new`` to ``po``; an entry with the same key is replaced (or kept). Returns how
    many entries changed."""
    index = {_key(e): e for e in po.entries}
    changed = 0
    for entry in new:
        old = index.get(_key(entry))
        if old is None:
            po.entries.append(entry)
            index[_key(entry)] = entry
            changed += 1
        elif not keep_existing and (old.msgstr, old.msgid) != (entry.msgstr, entry.msgid):
            print(f"{where}: {entry.msgctxt or entry.msgid!r}: {old.msgstr!r} -> "
                  f"{entry.msgstr!r}")
            old.msgstr, old.msgid = entry.msgstr, entry.msgid
            old.flags.discard("fuzzy")
            changed += 1
    return changed


def to_traditional(text: str, converter: object | None = None) -> str:
    if converter is None:
        converter = _opencc()
    out = converter.convert(text)  # type: ignore[attr-defined]
    for simplified_word, word in TW_TERMS:
        out = out.replace(simplified_word, word)
    return out


_CONVERTER: object | None = None


def _opencc() -> object:
    global _CONVERTER
    if _CONVERTER is None:
        try:
            import opencc
        except ImportError as exc:  # pragma: no cover - the tool's only outside need
            raise SystemExit("OpenCC is needed to write zh_TW: pip install -e '.[test]'") \
                from exc
        _CONVERTER = opencc.OpenCC("s2twp")
    return _CONVERTER


def module_entries(path: Path, enums: dict[str, dict[str, str]]) -> list[Entry]:
    data = runpy.run_path(str(path))
    entries = [Entry(msgid=k, msgstr=v) for k, v in data.get("TEXT_ZH", {}).items()]
    entries += [Entry(msgid=english_label(k, enums), msgstr=v, msgctxt=k)
                for k, v in data.get("LABELS_ZH", {}).items()]
    return entries


def convert_module(root: Path, module: str, enums: dict[str, dict[str, str]]) -> bool:
    """Moves one module into the .po files; False when it was moved before."""
    path = root / "app" / "i18n" / f"{module}.py"
    area = area_name(module)
    if not path.is_file():
        drop_from_catalogues(root, module)
        return False
    entries = module_entries(path, enums)
    cn_path = po_path(root, DEFAULT, area)
    cn = load_po(cn_path, DEFAULT, area)
    merge(cn, entries, keep_existing=False, where=f"{module} -> {cn_path.name}")
    write_po(cn_path, cn)
    fill_traditional(root, area)
    path.unlink()
    drop_from_catalogues(root, module)
    print(f"{module}: {len(entries)} entries -> {area}.po (zh_CN, zh_TW)")
    return True


def fill_traditional(root: Path, area: str, *, retranslate: bool = False) -> int:
    """Gives zh_TW every entry of the area's zh_CN .po it lacks (all of them again with
    ``retranslate``: a translator's edits are lost then). Returns how many it wrote."""
    cn = load_po(po_path(root, DEFAULT, area), DEFAULT, area)
    tw_path = po_path(root, TRADITIONAL, area)
    tw = load_po(tw_path, TRADITIONAL, area)
    if retranslate:
        tw.entries = []
    added = merge(tw, [Entry(msgid=e.msgid, msgctxt=e.msgctxt, msgstr=to_traditional(e.msgstr))
                       for e in cn.entries if e.translated], keep_existing=True, where="zh_TW")
    write_po(tw_path, tw)
    return added


_TUPLE = re.compile(r"^CATALOGUES(?:: [^=\n]+)? = \((.*?)\)\n", re.M | re.S)


def catalogues(root: Path) -> list[str]:
    match = _TUPLE.search((root / "app" / "i18n" / "__init__.py").read_text(encoding="utf-8"))
    if match is None:
        raise SystemExit("CATALOGUES = (...) not found in app/i18n/__init__.py")
    value = ast.literal_eval(f"({match.group(1)},)") if match.group(1).strip() else ()
    return [str(v) for v in value]


def drop_from_catalogues(root: Path, module: str) -> None:
    init = root / "app" / "i18n" / "__init__.py"
    text = init.read_text(encoding="utf-8")
    names = [n for n in catalogues(root) if n != module]
    if not names:
        new = "CATALOGUES: tuple[str, ...] = ()\n"
    else:
        lines, line = [], "CATALOGUES = ("
        for name in names:
            item = f'"{name}", '
            if len(line) + len(item) > 96:
                lines.append(line.rstrip())
                line = " " * len("CATALOGUES = (")
            line += item
        lines.append(line.rstrip().rstrip(",") + ")")
        new = "\n".join(lines) + "\n"
    match = _TUPLE.search(text)
    assert match is not None
    init.write_text(text[:match.start()] + new + text[match.end():], encoding="utf-8")


def write_template(root: Path, enums: dict[str, dict[str, str]],
                   path: Path | None = None) -> Path:
    """``locale/messages.pot``: every source text (with where the code shows it) and every
    catalogued one (report columns, lists of texts), and the enum labels."""
    entries: dict[tuple[str | None, str], Entry] = {}
    for where, text, line in sorted(shown_texts(root)):
        entry = entries.setdefault((None, text), Entry(msgid=text))
        entry.locations.append(f"{where}:{line}")
    folder = root / "app" / "i18n" / "locale" / DEFAULT / "LC_MESSAGES"
    for po_file in sorted(folder.glob("*.po")):
        for e in read_po(po_file).entries:
            entries.setdefault(_key(e), Entry(msgid=e.msgid, msgctxt=e.msgctxt))
    for module in catalogues(root):  # still Python during the move
        module_path = root / "app" / "i18n" / f"{module}.py"
        for e in module_entries(module_path, enums) if module_path.is_file() else []:
            entries.setdefault(_key(e), Entry(msgid=e.msgid, msgctxt=e.msgctxt))
    for e in entries.values():
        if "{" in e.msgid:
            e.flags.add("python-brace-format")
    pot = PoFile({"Project-Id-Version": "repair-station", "MIME-Version": "1.0",
                  "Content-Type": "text/plain; charset=UTF-8",
                  "Content-Transfer-Encoding": "8bit"}, list(entries.values()))
    out = path or root / "app" / "i18n" / "locale" / "messages.pot"
    write_po(out, pot)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.i18n.convert", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("modules", nargs="*", help="catalogue modules to move (zh_search ...)")
    parser.add_argument("--all", action="store_true",
                        help="every module still listed in CATALOGUES")
    parser.add_argument("--traditional", action="store_true",
                        help="give zh_TW each entry it lacks of every zh_CN .po (after an "
                             "entry was added to a zh_CN .po by hand)")
    parser.add_argument("--retranslate", action="store_true",
                        help="write every zh_TW entry again from zh_CN (loses zh_TW edits)")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    enums = enum_values(args.root)
    modules = catalogues(args.root) if args.all else args.modules
    for module in modules:
        if not convert_module(args.root, module.removesuffix(".py"), enums):
            print(f"{module}: already in the .po files")
    if args.traditional or args.retranslate:
        folder = args.root / "app" / "i18n" / "locale" / DEFAULT / "LC_MESSAGES"
        for path in sorted(folder.glob("*.po")):
            added = fill_traditional(args.root, path.stem, retranslate=args.retranslate)
            if added:
                print(f"zh_TW {path.stem}.po: {added} entries written")
    print(f"template: {write_template(args.root, enums).relative_to(args.root)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
