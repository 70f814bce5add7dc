"""What every all-or-nothing CSV import shares (the parts catalogue, the warranty policy):
reading a bounded file, decoding it strictly (UTF-8 with or without the BOM, or GB18030),
the header with its Chinese aliases, the records with their line numbers, and the list of
problems — each by line and column, the first ``MAX_PROBLEMS`` kept, all counted — that
refuses the whole file. Pure Python; the file modules add their columns and row checks.
"""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

from app.domain.errors import RuleViolation

MAX_PROBLEMS = 20

#: ``problem(line, column, error)``: a row's problem ("" column: the row as a whole)
Problem = Callable[[int, str, RuleViolation], None]


class FileRefused(RuleViolation):
    """The file was refused: ``problems`` (at most ``MAX_PROBLEMS``) name line and column;
    ``total`` is how many there were. Nothing of the file may be stored. A file module
    subclasses it with its own ``template`` (what kind of file it was)."""

    template_text = "The file has {count} problem(s); nothing was imported:\n{problems}"

    def __init__(self, problems: Sequence[RuleViolation], total: int) -> None:
        super().__init__(self.template_text, field="file", count=total,
                         problems=tuple(problems[:MAX_PROBLEMS]))
        self.problems = tuple(problems[:MAX_PROBLEMS])
        self.total = total

    def lines(self) -> list[str]:
        """The problems in English, one a line (head office's operators read these)."""
        more = self.total - len(self.problems)
        tail = [f"... and {more} more"] if more > 0 else []
        return [str(p) for p in self.problems] + tail


class Problems:
    """Collects a file's problems; ``problem`` is what the row checks call."""

    def __init__(self) -> None:
        self.kept: list[RuleViolation] = []
        self.total = 0

    def problem(self, line: int, column: str, error: RuleViolation) -> None:
        self.total += 1
        if len(self.kept) >= MAX_PROBLEMS:
            return
        if column:
            self.kept.append(RuleViolation("Line {line}, column {column}: {problem}",
                                           field="file", line=line, column=column,
                                           problem=error))
        else:
            self.kept.append(RuleViolation("Line {line}: {problem}", field="file", line=line,
                                           problem=error))

    def refuse_if_any(self, refused: type[FileRefused]) -> None:
        if self.total:
            raise refused(self.kept, self.total)


def read_bounded(path: Path, max_bytes: int, too_large: str) -> bytes:
    """The file's bytes; ``too_large`` (with ``{limit}`` MB) when it is bigger than such a
    file can be (``OSError`` propagates: the caller says it could not read the file)."""
    with open(path, "rb") as fh:
        data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise RuleViolation(too_large, field="file", limit=max_bytes // (1024 * 1024))
    return data


def decode(data: bytes) -> str:
    """UTF-8 (BOM or not) or GB18030 (a superset of GBK), strictly; anything else refused."""
    if data.startswith(b"PK\x03\x04"):
        raise RuleViolation("This is an Excel workbook, not a CSV file; in Excel choose "
                            "Save As, then 'CSV UTF-8 (comma delimited)'.", field="file")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in data[:4096]:
        raise RuleViolation("The file is UTF-16 ('Unicode text') or binary; save it as "
                            "'CSV UTF-8 (comma delimited)' and import it again.", field="file")
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8):].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise RuleViolation("The file says it is UTF-8 but byte {offset} is not; save it "
                                "again as 'CSV UTF-8 (comma delimited)'.", field="file",
                                offset=exc.start + len(codecs.BOM_UTF8)) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise RuleViolation("The file is neither UTF-8 nor GBK/GB18030 text (byte {offset} "
                            "fits neither); save it from Excel as 'CSV UTF-8 (comma "
                            "delimited)' and import it again.", field="file",
                            offset=exc.start) from None


def header(record: list[str], line: int, problem: Problem, columns: Sequence[str],
           required: Sequence[str], aliases: Mapping[str, str]) -> list[str] | None:
    """The column names of the header row (its Chinese headings read through ``aliases``;
    an empty heading, as Excel adds at the end, names nothing), or None when it is wrong."""
    names: list[str] = []
    bad = False
    for cell in record:
        raw = unicodedata.normalize("NFKC", cell).strip().lstrip("\ufeff")
        name = aliases.get(raw, raw.lower())
        if not raw:
            name = ""
        elif name not in columns:
            problem(line, raw[:40], RuleViolation(
                "Unknown column; the columns are {columns}.", field="file",
                columns=", ".join(columns)))
            bad = True
        elif name in names:
            problem(line, raw[:40], RuleViolation("This column appears twice.", field="file"))
            bad = True
        names.append(name)
    for name in required:
        if name not in names:
            problem(line, name, RuleViolation("The header lacks this column.", field="file"))
            bad = True
    return None if bad else names


def records(text: str, problem: Problem) -> Iterator[tuple[int, list[str]]]:
    """The non-blank records with the line each starts on (a quoted cell may span lines);
    a malformed CSV ends the file with its problem."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    line = 1
    try:
        for record in reader:
            start, line = line, reader.line_num + 1
            if any(cell.strip() for cell in record):
                yield start, record
    except csv.Error as exc:
        problem(line, "", RuleViolation("The CSV is malformed here ({reason}).", field="file",
                                        reason=str(exc)))


def empty_file(problem: Problem) -> None:
    problem(1, "", RuleViolation("The file is empty; the first row must name the columns.",
                                 field="file"))
