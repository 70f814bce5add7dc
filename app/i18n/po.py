"""Reads and writes gettext .po files in pure Python (no compile step, no .mo at run time).

``read_po(path)`` gives a ``PoFile``: its header fields and its ``Entry`` list (msgctxt,
msgid, msgstr, flags, comments). Fuzzy and untranslated entries are read but the loader
skips them, as gettext does. ``write_po`` writes the same subset the way Poedit and Babel do
(header first, one blank line between entries), so a file round-trips unchanged. Plural
forms are not used by the program (its texts take counts as ``{n}`` parameters) and are
refused rather than misread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
_UNESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}


class PoError(ValueError):
    """A .po file this reader cannot read (with the file and line)."""


@dataclass
class Entry:
    msgid: str
    msgstr: str = ""
    msgctxt: str | None = None
    flags: set[str] = field(default_factory=set)
    comments: list[str] = field(default_factory=list)  # "#. " extracted / "# " translator
    locations: list[str] = field(default_factory=list)  # "#: file:line"

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and "fuzzy" not in self.flags


@dataclass
class PoFile:
    header: dict[str, str]
    entries: list[Entry]


def unquote(text: str, where: str) -> str:
    text = text.strip()
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        raise PoError(f"{where}: expected a quoted string, got {text!r}")
    out, i, body = [], 0, text[1:-1]
    while i < len(body):
        ch = body[i]
        if ch == "\\":
            if i + 1 >= len(body) or body[i + 1] not in _ESCAPES:
                raise PoError(f"{where}: unknown escape in {text!r}")
            out.append(_ESCAPES[body[i + 1]])
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def quote(text: str) -> str:
    return '"' + "".join(_UNESCAPES.get(ch, ch) for ch in text) + '"'


def parse_po(text: str, name: str = "<po>") -> PoFile:
    entries: list[Entry] = []
    fields: dict[str, str] = {}
    comments: list[str] = []
    locations: list[str] = []
    flags: set[str] = set()
    current: str | None = None  # which field a continuation line belongs to

    def flush() -> None:
        nonlocal fields, comments, locations, flags, current
        if "msgid" in fields:
            entries.append(Entry(msgid=fields["msgid"], msgstr=fields.get("msgstr", ""),
                                 msgctxt=fields.get("msgctxt"), flags=flags,
                                 comments=comments, locations=locations))
        elif fields:
            raise PoError(f"{name}: an entry without msgid")
        fields, comments, locations, flags, current = {}, [], [], set(), None

    for number, raw in enumerate(text.splitlines(), 1):
        where = f"{name}:{number}"
        line = raw.strip()
        if not line:
            flush()
            continue
        if line.startswith("#~"):  # obsolete entry: kept by tools, not by us
            continue
        if line.startswith("#"):
            if "msgid" in fields:  # a comment starts the next entry
                flush()
            if line.startswith("#,"):
                flags |= {f.strip() for f in line[2:].split(",") if f.strip()}
            elif line.startswith("#:"):
                locations += line[2:].split()
            elif line.startswith("#|"):
                pass  # previous msgid of a fuzzy entry
            else:
                comments.append(line[1:].strip(". ").strip() if line.startswith("#.")
                                else line[1:].strip())
            continue
        if line.startswith('"'):
            if current is None:
                raise PoError(f"{where}: a string outside any field")
            fields[current] += unquote(line, where)
            continue
        keyword, _, rest = line.partition(" ")
        if keyword in ("msgid_plural",) or keyword.startswith("msgstr["):
            raise PoError(f"{where}: plural forms are not used by this program")
        if keyword not in ("msgctxt", "msgid", "msgstr"):
            raise PoError(f"{where}: unknown keyword {keyword!r}")
        if keyword in fields or (keyword == "msgctxt" and "msgid" in fields):
            flush()  # a new entry with no blank line before it
        fields[keyword] = unquote(rest, where)
        current = keyword
    flush()
    header: dict[str, str] = {}
    if entries and entries[0].msgid == "" and entries[0].msgctxt is None:
        for row in entries.pop(0).msgstr.splitlines():
            key, sep, value = row.partition(":")
            if sep:
                header[key.strip()] = value.strip()
    return PoFile(header=header, entries=entries)


def read_po(path: Path) -> PoFile:
    return parse_po(path.read_text(encoding="utf-8"), str(path))


def format_po(po: PoFile) -> str:
    head = "".join(f"{key}: {value}\n" for key, value in po.header.items())
    blocks = [_block(Entry(msgid="", msgstr=head))]
    blocks += [_block(entry) for entry in po.entries]
    return "\n".join(blocks)


def write_po(path: Path, po: PoFile) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(format_po(po), encoding="utf-8", newline="\n")


def _block(entry: Entry) -> str:
    lines = [f"#. {c}" for c in entry.comments]
    if entry.locations:
        lines.append("#: " + " ".join(entry.locations))
    if entry.flags:
        lines.append("#, " + ", ".join(sorted(entry.flags)))
    if entry.msgctxt is not None:
        lines.append("msgctxt " + quote(entry.msgctxt))
    lines += _field("msgid", entry.msgid)
    lines += _field("msgstr", entry.msgstr)
    return "\n".join(lines) + "\n"


def _field(keyword: str, value: str) -> list[str]:
    if "\n" not in value[:-1]:
        return [f"{keyword} {quote(value)}"]
    parts = value.splitlines(keepends=True)  # one line per text line, as gettext writes them
    return [f'{keyword} ""'] + [quote(p) for p in parts]
