"""The warranty policy file (三包政策 CSV), read the same way by head office
(``repair-station-hq policy import``) and by a station without a line
(``repair-station policy import``): the columns, every row's check, the list of problems that
refuses a file, and the ``WarrantyPolicy`` it describes.

Columns (a header row names them): ``section,category,key,value,name``. One row per fact:

- ``category``: ``category`` = the category's name (空调), ``key`` = its model prefixes
  separated by ``|`` (``KFR-|KF-``), ``value`` = the whole unit's warranty months, and the
  optional column ``maintenance_months`` (保养周期) = the periodic-maintenance interval in
  months (empty or 0: none; only a category row may fill it; a file without the column has
  no intervals);
- ``key_part``: ``category``, ``key`` = a part-number prefix, ``value`` = months,
  ``name`` = the part's name (压缩机);
- ``labour``: ``category`` (or ``*`` for every category), ``key`` = the order type
  (repair/install/maintenance/complaint/enquiry), ``value`` = the fee in yuan (two decimals);
- ``travel``: ``key`` = the band's last kilometre, ``value`` = the fee in yuan;
- ``option``: ``key`` = ``invoice_required``, ``value`` = yes/no;
- ``label``: ``value`` = the policy's name or version.

The text is decoded like the parts file (``sync.parts_csv.decode``: UTF-8 with or without the
BOM, or GB18030). A file is all or nothing: ``parse`` returns the policy or raises
``PolicyFileError`` naming each bad row by line and column. Pure Python, no Qt.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from pathlib import Path

from app.domain import validation as v
from app.domain.enums import OrderType
from app.domain.errors import RuleViolation
from app.domain.warranty_policy import (
    ANY_CATEGORY,
    MAX_FEE_FEN,
    MAX_KM,
    MAX_MONTHS,
    Category,
    KeyPartRule,
    LabourFee,
    TravelBand,
    WarrantyPolicy,
)
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
from sync.parts_csv import TextCheck

MAX_FILE_BYTES = 1024 * 1024
MAX_LABEL = 64
MAX_NAME = 32
MAX_PREFIX = 32
COLUMNS = ("section", "category", "key", "value", "name", "maintenance_months")
REQUIRED = ("section", "key", "value")
ALIASES = {"类型": "section", "项目": "section", "品类": "category", "类别": "category",
           "键": "key", "值": "value", "名称": "name", "保养周期": "maintenance_months",
           "保养周期（月）": "maintenance_months", "保养月数": "maintenance_months"}
SECTIONS = ("category", "key_part", "labour", "travel", "option", "label")
OPTIONS = ("invoice_required",)
TRUE_WORDS = frozenset({"是", "yes", "y", "1", "true", "需要"})
FALSE_WORDS = frozenset({"否", "no", "n", "0", "false", "不需要"})
PREFIX_RE = re.compile(r"[A-Z0-9][A-Z0-9._/+#-]*")



class PolicyFileError(FileRefused):
    """The policy file was refused (see ``sync.csv_file.FileRefused``)."""

    template_text = "The policy file has {count} problem(s); nothing was imported:\n{problems}"


def read_file(path: Path) -> bytes:
    """The file's bytes; refuses a file too large to be a policy (``OSError`` propagates)."""
    return read_bounded(path, MAX_FILE_BYTES,
                        "The file is larger than {limit} MB; it is not a warranty policy.")


def parse(data: bytes, check_text: TextCheck | None = None) -> WarrantyPolicy:
    """The policy the file states, or ``PolicyFileError`` listing what is wrong."""
    text = decode(data)
    found = Problems()
    problem = found.problem
    builder = _Builder(problem, check_text)
    names: list[str] | None = None
    header_line = 0
    for start, record in records(text, problem):
        if names is None:
            names, header_line = header(record, start, problem, COLUMNS, REQUIRED,
                                        ALIASES), start
            if names is None:
                break
            continue
        if any(c.strip() for c in record[len(names):]):
            problem(start, "", RuleViolation(
                "This row has {found} values but the header names {expected} columns.",
                field="file", found=len(record), expected=len(names)))
            continue
        # text (names, the label) is kept as typed; keys and numbers are read half-width
        cells = {name: record[i].strip() if i < len(record) else ""
                 for i, name in enumerate(names) if name}
        cells.update({f"_{name}": unicodedata.normalize("NFKC", cells[name])
                      for name in ("section", "key", "value", "maintenance_months")
                      if name in cells})
        builder.row(start, cells)
    if names is None and not found.total:
        empty_file(problem)
    elif names is not None:
        builder.finish(header_line)
    found.refuse_if_any(PolicyFileError)
    return builder.policy()


class _Builder:
    """Collects the checked rows; every duplicate and dangling category is a problem."""

    def __init__(self, problem: Problem, check_text: TextCheck | None) -> None:
        self.problem = problem
        self.check_text = check_text
        self.label = ""
        self.invoice_required = False
        self.categories: dict[str, tuple[int, Category]] = {}
        self.prefixes: dict[str, int] = {}
        self.key_parts: dict[tuple[str, str], tuple[int, KeyPartRule]] = {}
        self.labour: dict[tuple[str, OrderType], tuple[int, LabourFee]] = {}
        self.travel: dict[int, tuple[int, TravelBand]] = {}
        self.once: dict[str, int] = {}  # label / option key -> first line

    # -- one row ------------------------------------------------------------------------------
    def row(self, line: int, cells: dict[str, str]) -> None:
        section = cells.get("_section", "").lower()
        if section not in SECTIONS:
            self.problem(line, "section", RuleViolation(
                "Unknown section '{value}'; the sections are {sections}.", field="section",
                value=section[:20], sections=", ".join(SECTIONS)))
            return
        with contextlib.suppress(_Bad):  # the row's problem is reported; the row dropped
            if section != "category" and cells.get("_maintenance_months"):
                raise self._fail(line, "maintenance_months", RuleViolation(
                    "Only a category row takes a maintenance interval.",
                    field="maintenance_months"))
            getattr(self, f"_{section}")(line, cells)

    def _fail(self, line: int, column: str, error: RuleViolation) -> _Bad:
        self.problem(line, column, error)
        return _Bad()

    def _category(self, line: int, cells: dict[str, str]) -> None:
        name = self._text(line, cells, "category", "Category", MAX_NAME, required=True)
        prefixes: list[str] = []
        raw = cells.get("_key", "")
        parts = [p.strip() for p in raw.split("|")]
        if not raw or any(not p for p in parts):
            raise self._fail(line, "key", RuleViolation(
                "List the model prefixes separated by | (e.g. KFR-|KF-), none empty.",
                field="key"))
        for prefix in parts:
            prefixes.append(self._prefix(line, "key", prefix, "Model prefix"))
        months = self._months(line, cells)
        raw_interval = cells.get("_maintenance_months", "")
        interval = self._whole(line, "maintenance_months", raw_interval,
                               "Maintenance interval (months)", MAX_MONTHS) if raw_interval else 0
        if name in self.categories:
            raise self._fail(line, "category", RuleViolation(
                "Category {name} is already on line {first}.", field="category", name=name,
                first=self.categories[name][0]))
        for prefix in prefixes:
            if prefix in self.prefixes:
                raise self._fail(line, "key", RuleViolation(
                    "Model prefix {prefix} is already on line {first}.", field="key",
                    prefix=prefix, first=self.prefixes[prefix]))
        for prefix in prefixes:
            self.prefixes[prefix] = line
        self.categories[name] = (line, Category(name, tuple(prefixes), months, interval))

    def _key_part(self, line: int, cells: dict[str, str]) -> None:
        category = self._text(line, cells, "category", "Category", MAX_NAME, required=True)
        prefix = self._prefix(line, "key", cells.get("_key", ""), "Part-number prefix")
        months = self._months(line, cells)
        name = self._text(line, cells, "name", "Part name", MAX_NAME, required=True)
        first = self.key_parts.get((category, prefix))
        if first is not None:
            raise self._fail(line, "key", RuleViolation(
                "Key part {prefix} of {category} is already on line {first}.", field="key",
                prefix=prefix, category=category, first=first[0]))
        self.key_parts[(category, prefix)] = (line, KeyPartRule(category, prefix, name, months))

    def _labour(self, line: int, cells: dict[str, str]) -> None:
        category = self._text(line, cells, "category", "Category", MAX_NAME, required=True)
        word = cells.get("_key", "").lower()
        try:
            order_type = OrderType(word)
        except ValueError:
            raise self._fail(line, "key", RuleViolation(
                "'{value}' is not an order type; use one of {types}.", field="key",
                value=word[:20], types=", ".join(t.value for t in OrderType))) from None
        fee = self._fee(line, cells)
        first = self.labour.get((category, order_type))
        if first is not None:
            raise self._fail(line, "key", RuleViolation(
                "The labour fee for {order_type} on {category} is already on line {first}.",
                field="key", order_type=order_type, category=category, first=first[0]))
        self.labour[(category, order_type)] = (line, LabourFee(category, order_type, fee))

    def _travel(self, line: int, cells: dict[str, str]) -> None:
        km = self._whole(line, "key", cells.get("_key", ""), "Distance (km)", MAX_KM)
        fee = self._fee(line, cells)
        first = self.travel.get(km)
        if first is not None:
            raise self._fail(line, "key", RuleViolation(
                "The travel band up to {km} km is already on line {first}.", field="key",
                km=km, first=first[0]))
        self.travel[km] = (line, TravelBand(km, fee))

    def _option(self, line: int, cells: dict[str, str]) -> None:
        key = cells.get("_key", "").lower()
        if key not in OPTIONS:
            raise self._fail(line, "key", RuleViolation(
                "Unknown option '{value}'; the options are {options}.", field="key",
                value=key[:30], options=", ".join(OPTIONS)))
        word = cells.get("_value", "").lower()
        if word not in TRUE_WORDS | FALSE_WORDS:
            raise self._fail(line, "value", RuleViolation(
                "'{value}' is not 是/否 (yes/no, 1/0, true/false).", field="value",
                value=word[:20]))
        self._once(line, key)
        self.invoice_required = word in TRUE_WORDS

    def _label(self, line: int, cells: dict[str, str]) -> None:
        label = self._text(line, cells, "value", "Policy name", MAX_LABEL, required=True)
        self._once(line, "label")
        self.label = label

    # -- fields -------------------------------------------------------------------------------
    def _once(self, line: int, key: str) -> None:
        if key in self.once:
            raise self._fail(line, "key", RuleViolation(
                "{key} is already on line {first}.", field="key", key=key,
                first=self.once[key]))
        self.once[key] = line

    def _text(self, line: int, cells: dict[str, str], column: str, label: str, limit: int,
              *, required: bool) -> str:
        try:
            if required:
                text = v.check_required(cells.get(column, ""), column, label, limit,
                                        multiline=False)
            else:
                text = v.check_length(cells.get(column, ""), column, label, limit,
                                      multiline=False)
            return self.check_text(text, column, label) if self.check_text else text
        except RuleViolation as exc:
            raise self._fail(line, column, exc) from None

    def _prefix(self, line: int, column: str, raw: str, label: str) -> str:
        text = raw.strip().upper()
        if not text:
            raise self._fail(line, column, RuleViolation("{label} is required.", field=column,
                                                         label=label))
        if len(text) > MAX_PREFIX or not PREFIX_RE.fullmatch(text):
            raise self._fail(line, column, RuleViolation(
                "{label} {value} may hold only letters, digits and . _ / + # - (at most "
                "{limit} characters).", field=column, label=label, value=text[:40],
                limit=MAX_PREFIX))
        return text

    def _whole(self, line: int, column: str, raw: str, label: str, high: int) -> int:
        if not raw.isdigit() or len(raw) > 6 or int(raw) > high:
            raise self._fail(line, column, RuleViolation(
                "{label} must be a whole number from {low} to {high}.", field=column,
                label=label, low=0, high=high))
        return int(raw)

    def _months(self, line: int, cells: dict[str, str]) -> int:
        return self._whole(line, "value", cells.get("_value", ""), "Warranty months",
                           MAX_MONTHS)

    def _fee(self, line: int, cells: dict[str, str]) -> int:
        raw = cells.get("_value", "")
        try:
            if not raw:
                raise RuleViolation("{label} is required.", field="value", label="Fee")
            fen = v.parse_money_fen(raw, "value")
        except RuleViolation as exc:
            raise self._fail(line, "value", exc) from None
        if fen > MAX_FEE_FEN:
            raise self._fail(line, "value", RuleViolation(
                "{label} is more than {limit} yuan.", field="value", label="Fee",
                limit=v.format_fen(MAX_FEE_FEN)))
        return fen

    # -- the whole file -----------------------------------------------------------------------
    def finish(self, header_line: int) -> None:
        """Problems only the whole file shows: no category, a rule of an unknown one."""
        for (category, _prefix), (line, _rule) in self.key_parts.items():
            if category not in self.categories:
                self.problem(line, "category", RuleViolation(
                    "Category {name} has no category row in this file.", field="category",
                    name=category))
        for (category, _type), (line, _fee) in self.labour.items():
            if category != ANY_CATEGORY and category not in self.categories:
                self.problem(line, "category", RuleViolation(
                    "Category {name} has no category row in this file.", field="category",
                    name=category))
        if not self.categories:
            self.problem(header_line, "", RuleViolation(
                "The policy names no product category (a row of section category).",
                field="file"))

    def policy(self) -> WarrantyPolicy:
        def values(d: dict) -> tuple:
            return tuple(item for _line, item in sorted(d.values(), key=lambda x: x[0]))

        return WarrantyPolicy(label=self.label, categories=values(self.categories),
                              key_parts=values(self.key_parts), labour=values(self.labour),
                              travel=values(self.travel),
                              invoice_required=self.invoice_required)


class _Bad(Exception):
    """A row's problem was reported; the row is dropped."""
