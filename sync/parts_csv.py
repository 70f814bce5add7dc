"""The parts catalogue file (配件目录 CSV), read the same way by head office
(``repair-station-hq parts import``) and by a station that has not synced yet
(``repair-station parts import``): decoding, the columns, every field's check, and the list
of problems that refuses a file.

Columns (a header row names them; English or the Chinese headings Excel users type):
``part_no,name,specification,models,unit,retail_price,station_price,return_required,
warranty_months``. Prices are yuan with up to two decimals (stored as integer fen),
booleans 是/否/yes/no/1/0/true/false, an empty warranty means "the unit's". The text is
UTF-8 (with or without the BOM Excel's "CSV UTF-8" writes) or GBK/GB18030 (Excel's plain
"CSV" on a Chinese Windows), decoded strictly; anything else is refused, never guessed.

A file is all or nothing: ``parse`` returns every row or raises ``CatalogueFileError`` naming
each bad row by line and column (the first ``MAX_PROBLEMS``) and how many there were.

Pure Python on top of ``app.domain`` (the domain's text checks and limits, which head office
already uses for order numbers); the station passes its font check as ``check_text``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.domain import parts as dp
from app.domain import validation as v
from app.domain.errors import RuleViolation
from sync.csv_file import MAX_PROBLEMS as MAX_PROBLEMS  # the tests read it here
from sync.csv_file import (
    FileRefused,
    Problem,
    Problems,
    decode,
    empty_file,
    header,
    read_bounded,
    records,
)

#: a catalogue of 50,000 parts is about 15 MB; more is not a parts file
MAX_FILE_BYTES = 64 * 1024 * 1024
#: the most a part may cost: the same bound as an order's charge line
#: (app.services.orders.MAX_UNIT_PRICE_FEN), so a catalogue price always fits an order
MAX_PRICE_FEN = 100_000_000
MAX_WARRANTY_MONTHS = 120

COLUMNS = ("part_no", "name", "specification", "models", "unit", "retail_price",
           "station_price", "return_required", "warranty_months")
REQUIRED = ("part_no", "name", "retail_price", "station_price")
#: headings Chinese users type in Excel, for the columns above
ALIASES = {
    "配件编号": "part_no", "配件号": "part_no", "零件编号": "part_no", "编号": "part_no",
    "配件名称": "name", "名称": "name", "规格": "specification", "规格型号": "specification",
    "适用机型": "models", "适用型号": "models", "单位": "unit", "零售价": "retail_price",
    "站价": "station_price", "网点价": "station_price", "结算价": "station_price",
    "旧件返还": "return_required", "需返旧件": "return_required",
    "保修月数": "warranty_months", "质保月数": "warranty_months",
}
LABELS = {
    "part_no": "Part number", "name": "Part name", "specification": "Specification",
    "models": "Compatible models", "unit": "Unit", "retail_price": "Retail price",
    "station_price": "Station price", "return_required": "Old part returned",
    "warranty_months": "Warranty months",
}
TRUE_WORDS = frozenset({"是", "yes", "y", "1", "true", "需要"})
FALSE_WORDS = frozenset({"否", "no", "n", "0", "false", "", "不需要"})
PART_NO_RE = re.compile(r"[A-Z0-9][A-Z0-9._/+#-]*")
_MODEL_SEPARATORS = re.compile(r"[,，、;；]")

#: a check of printed text on top of the domain's: (text, field, label) -> text
TextCheck = Callable[[str, str, str], str]


@dataclass(frozen=True)
class CatalogueRow:
    """One part of the file, checked; ``line`` is where its record starts."""

    line: int
    part_no: str
    name: str
    specification: str
    models: str
    unit: str
    retail_price_fen: int
    station_price_fen: int
    return_required: bool
    warranty_months: int | None

    @property
    def part_id(self) -> str:
        return dp.part_id(self.part_no)

    def fields(self) -> dict[str, Any]:
        """The part's catalogue fields as head office sends them (``HqEntity.PART``)."""
        return {"part_id": self.part_id, "part_no": self.part_no, "name": self.name,
                "specification": self.specification, "models": self.models,
                "unit": self.unit, "retail_price_fen": self.retail_price_fen,
                "station_price_fen": self.station_price_fen,
                "return_required": self.return_required,
                "warranty_months": self.warranty_months, "active": True}


class CatalogueFileError(FileRefused):
    """The parts file was refused (see ``sync.csv_file.FileRefused``)."""

    template_text = "The parts file has {count} problem(s); nothing was imported:\n{problems}"


def read_file(path: Path) -> bytes:
    """The file's bytes; refuses a file too large to be a parts catalogue (``OSError``
    propagates: the caller says it could not read the file)."""
    return read_bounded(path, MAX_FILE_BYTES,
                        "The file is larger than {limit} MB; it is not a parts catalogue.")


def parse(data: bytes, check_text: TextCheck | None = None) -> list[CatalogueRow]:
    """Every row of the file, or ``CatalogueFileError`` listing what is wrong."""
    text = decode(data)
    found = Problems()
    problem = found.problem
    names: list[str] | None = None
    header_line = 0
    rows: list[CatalogueRow] = []
    first_line: dict[str, int] = {}
    for start, record in records(text, problem):
        if names is None:
            names, header_line = header(record, start, problem, COLUMNS, REQUIRED,
                                        ALIASES), start
            if names is None:
                break
            continue
        row = _row(names, record, start, problem, check_text)
        if row is None:
            continue
        seen = first_line.get(row.part_no)
        if seen is not None:
            problem(start, "part_no", RuleViolation(
                "Part number {part_no} is already on line {first}.", field="part_no",
                part_no=row.part_no, first=seen))
            continue
        first_line[row.part_no] = start
        rows.append(row)
    if names is None and not found.total:
        empty_file(problem)
    elif names is not None and not rows and not found.total:
        problem(header_line, "", RuleViolation("The file has no parts below its header.",
                                               field="file"))
    found.refuse_if_any(CatalogueFileError)
    return rows


def _row(header: list[str], record: list[str], line: int, problem: Problem,
         check_text: TextCheck | None) -> CatalogueRow | None:
    if any(c.strip() for c in record[len(header):]):
        problem(line, "", RuleViolation(
            "This row has {found} values but the header names {expected} columns.",
            field="file", found=len(record), expected=len(header)))
        return None
    cells = {name: record[i] if i < len(record) else ""
             for i, name in enumerate(header) if name}
    values: dict[str, Any] = {}
    ok = True
    for name in COLUMNS:
        try:
            values[name] = _FIELDS[name](cells.get(name, ""), name, check_text)
        except RuleViolation as exc:
            problem(line, name, exc)
            ok = False
    if not ok:
        return None
    return CatalogueRow(line, values["part_no"], values["name"], values["specification"],
                        values["models"], values["unit"], values["retail_price"],
                        values["station_price"], values["return_required"],
                        values["warranty_months"])


def check_part_no(raw: str, field: str = "part_no") -> str:
    """A part number as stored: half-width capitals, digits and ``. _ / + # -``."""
    text = unicodedata.normalize("NFKC", v.clean_text(raw, field, "Part number")).upper()
    text = v.check_required(text, field, "Part number", dp.MAX_PART_NO, multiline=False)
    if not PART_NO_RE.fullmatch(text):
        raise RuleViolation("Part number {part_no} may hold only letters, digits and . _ / + # "
                            "- (no spaces).", field=field, part_no=text[:40])
    return text


def _text(required: bool, limit: int) -> Callable[[str, str, TextCheck | None], str]:
    def check(raw: str, field: str, check_text: TextCheck | None) -> str:
        label = LABELS[field]
        if required:
            text = v.check_required(raw, field, label, limit, multiline=False)
        else:
            text = v.check_length(raw, field, label, limit, multiline=False)
        return check_text(text, field, label) if check_text and text else text

    return check


def _models(raw: str, field: str, check_text: TextCheck | None) -> str:
    cleaned = v.clean_text(raw, field, LABELS[field])
    joined = ",".join(m.strip() for m in _MODEL_SEPARATORS.split(cleaned) if m.strip())
    return _text(False, dp.MAX_MODELS)(joined, field, check_text)


def _price(raw: str, field: str, _check: TextCheck | None) -> int:
    if not v.clean_text(raw, field, LABELS[field]):
        raise RuleViolation("{label} is required.", field=field, label=LABELS[field])
    fen = v.parse_money_fen(unicodedata.normalize("NFKC", raw), field)
    if fen > MAX_PRICE_FEN:
        raise RuleViolation("{label} is more than {limit} yuan.", field=field,
                            label=LABELS[field], limit=v.format_fen(MAX_PRICE_FEN))
    return fen


def _flag(raw: str, field: str, _check: TextCheck | None) -> bool:
    word = unicodedata.normalize("NFKC", v.clean_text(raw, field, LABELS[field])).lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise RuleViolation("'{value}' is not 是/否 (yes/no, 1/0, true/false).", field=field,
                        value=word[:20])


def _months(raw: str, field: str, _check: TextCheck | None) -> int | None:
    text = unicodedata.normalize("NFKC", v.clean_text(raw, field, LABELS[field]))
    if not text:
        return None
    if not text.isdigit() or len(text) > 4:
        raise RuleViolation("{label} must be a whole number from {low} to {high}.",
                            field=field, label=LABELS[field], low=0, high=MAX_WARRANTY_MONTHS)
    return v.check_range(int(text), field, LABELS[field], 0, MAX_WARRANTY_MONTHS)


_FIELDS: dict[str, Callable[[str, str, TextCheck | None], Any]] = {
    "part_no": lambda raw, field, _check: check_part_no(raw, field),
    "name": _text(True, dp.MAX_PART_NAME),
    "specification": _text(False, dp.MAX_SPECIFICATION),
    "models": _models,
    "unit": _text(False, dp.MAX_UNIT),
    "retail_price": _price,
    "station_price": _price,
    "return_required": _flag,
    "warranty_months": _months,
}
