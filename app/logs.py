"""The program's log files and crash reports (no Qt here).

``setup_logging(folder)`` is called once by the window's launcher and by the command line
(``app.__main__``): a rotating file (5 files of 2 MB) in the station's log folder
(``DataPaths.logs``, the one place logs live): ``repair-station.log`` for the window,
``repair-station-cli.log`` for the commands. Every record passes
``RedactingFilter``: mobile and landline numbers, ``password=``/``token:``/``Bearer`` values
and any run of Chinese characters are masked. Log messages are written in English by the
program; Chinese text in a record can only be what a user typed (a customer's name or
address) or a path with a person's name in it, so it never reaches the file. The program
logs ids, never names; the filter is the net under that rule.

``install_excepthook()`` sends every unexpected error (``sys.excepthook``, which PySide6
also calls for an error inside a slot, and ``threading.excepthook``) to the log and then to
the crash listeners (the window's crash dialog). ``crash_report()`` is the text the station
sends to support: versions, the traceback (no local variable values) and the last log lines,
all redacted.
"""

from __future__ import annotations

import logging
import os
import platform
import re
import sys
import threading
import traceback
from collections.abc import Callable
from datetime import datetime
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from app import __version__

LOG_FILE = "repair-station.log"
#: the commands' own file (a scheduled ``sync`` runs beside the window: on Windows one process
#: cannot rotate a file another holds open)
CLI_LOG_FILE = "repair-station-cli.log"
MAX_BYTES = 2 * 1024 * 1024
BACKUP_COUNT = 5
#: DEBUG, INFO, WARNING...: the file's level (INFO unless set)
LEVEL_ENV = "REPAIR_STATION_LOG_LEVEL"
REPORT_LINES = 200
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
#: libraries that would write user data at DEBUG (SQLAlchemy logs statements with their
#: parameters: names, phones, password hashes)
QUIET = {"sqlalchemy": logging.WARNING, "alembic": logging.INFO,
         "multipart": logging.INFO, "PIL": logging.INFO, "asyncio": logging.INFO,
         "fontTools": logging.INFO}

MASK = "***"
_SECRET_RE = re.compile(
    r"(?i)\b([\w-]*?(?:password|passwd|pwd|token|secret|api[_-]?key|authorization|cookie)"
    r"[\w-]*)"
    r"([\"']?\s*[:=]\s*[\"']?)(?:bearer\s+)?[^\s\"'&,;)}\]]+")
_BEARER_RE = re.compile(r"(?i)\b(bearer)\s+[A-Za-z0-9._~+/=-]+")
# a recovery key (nine groups of four, app.store.store_key) and a raw SQLCipher key
_RECOVERY_RE = re.compile(r"(?i)(?<![0-9A-Z])[0-9A-Z]{4}(?:[- ]?[0-9A-Z]{4}){8}(?![0-9A-Z])")
_RAW_KEY_RE = re.compile(r"(?i)x'[0-9a-f]{32,}'")
_MOBILE_RE = re.compile(r"(?<![\d])(?:(?:\+|00)86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?![\d])")
_LANDLINE_RE = re.compile(
    r"(?<![A-Za-z0-9_-])(?:\(0\d{2,3}\)|0\d{2,3})[- ]?[2-9]\d{6,7}(?:-\d{1,6})?(?![\d])")
# CJK ideographs (with extensions and compatibility), kana and hangul: user text
_CJK_RE = re.compile(
    "[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
    "\U00020000-\U0003134f]+")

log = logging.getLogger(__name__)
CrashListener = Callable[[type[BaseException], BaseException, TracebackType | None], None]
_listeners: list[CrashListener] = []
_handler: RotatingFileHandler | None = None


class _LazyFolderHandler(RotatingFileHandler):
    """Creates the log folder with the first record (``--help`` makes no folder)."""

    def _open(self):  # type: ignore[no-untyped-def]
        Path(self.baseFilename).parent.mkdir(parents=True, exist_ok=True)
        return super()._open()


def redact(text: str) -> str:
    """``text`` with phone numbers, secrets and Chinese (user) text masked."""
    text = _SECRET_RE.sub(lambda m: f"{m.group(1)}{m.group(2)}{MASK}", text)
    text = _BEARER_RE.sub(lambda m: f"{m.group(1)} {MASK}", text)
    text = _RAW_KEY_RE.sub(MASK, text)
    text = _RECOVERY_RE.sub(lambda m: m.group(0) if m.group(0).isalpha() else MASK, text)
    text = _MOBILE_RE.sub(MASK, text)
    text = _LANDLINE_RE.sub(MASK, text)
    return _CJK_RE.sub(MASK, text)


class RedactingFilter(logging.Filter):
    """Masks a record's message, its traceback and its stack before any handler writes it."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: keep what can be kept
            message = f"{record.msg!s} {record.args!r}"
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def log_level() -> int:
    name = os.environ.get(LEVEL_ENV, "INFO").strip().upper()
    level = logging.getLevelName(name)
    return level if isinstance(level, int) else logging.INFO


def setup_logging(folder: Path, level: int | None = None,
                  file_name: str = LOG_FILE) -> RotatingFileHandler:
    """The rotating, redacted log file ``file_name`` in ``folder``; a second call for the
    same file keeps the first handler, another file replaces it."""
    global _handler
    path = Path(folder) / file_name
    if _handler is not None:
        if Path(_handler.baseFilename) == path.resolve():
            return _handler
        stop_logging()
    handler = _LazyFolderHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT,
                                  encoding="utf-8", delay=True)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    wanted = log_level() if level is None else level
    handler.setLevel(wanted)
    if root.level == logging.NOTSET or root.level > wanted:
        root.setLevel(wanted)
    for name, quiet in QUIET.items():
        library = logging.getLogger(name)
        if library.level == logging.NOTSET or library.level < quiet:
            library.setLevel(quiet)
    _handler = handler
    return handler


def stop_logging() -> None:
    """Closes the log file (tests, and the window's end)."""
    global _handler
    if _handler is not None:
        logging.getLogger().removeHandler(_handler)
        _handler.close()
        _handler = None


def current_handler() -> RotatingFileHandler | None:
    """The log file's handler while logging is set up."""
    return _handler


def log_files() -> list[Path]:
    """The current log file and its rotated predecessors, oldest first."""
    if _handler is None:
        return []
    base = Path(_handler.baseFilename)
    rotated = [base.with_name(f"{base.name}.{n}") for n in range(BACKUP_COUNT, 0, -1)]
    return [p for p in [*rotated, base] if p.exists()]


def last_lines(count: int = REPORT_LINES) -> list[str]:
    """The newest ``count`` log lines, redacted again (a file may predate this program)."""
    if _handler is not None:
        _handler.flush()
    lines: list[str] = []
    for path in reversed(log_files()):
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        lines = text.splitlines()[-(count - len(lines)):] + lines
        if len(lines) >= count:
            break
    return [redact(line) for line in lines[-count:]]


# -- unexpected errors -----------------------------------------------------------------------

def add_crash_listener(listener: CrashListener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def remove_crash_listener(listener: CrashListener) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def handle_unexpected(exc_type: type[BaseException], exc: BaseException,
                      tb: TracebackType | None) -> None:
    """Logs the error (redacted) and tells the listeners; Ctrl+C stays Python's."""
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    if logging.getLogger().handlers:  # else logging's last resort would print it twice
        log.critical("unexpected error", exc_info=(exc_type, exc, tb))
    if sys.stderr is not None:  # a console (pythonw on Windows has none)
        sys.__excepthook__(exc_type, exc, tb)
    for listener in list(_listeners):
        try:
            listener(exc_type, exc, tb)
        except Exception:  # a failing crash dialog must not hide the first error
            log.exception("the crash listener failed")


def _thread_hook(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit:
        return
    exc = args.exc_value if args.exc_value is not None else args.exc_type()
    handle_unexpected(args.exc_type, exc, args.exc_traceback)


def install_excepthook() -> None:
    """Every unexpected error in any thread goes to ``handle_unexpected``."""
    sys.excepthook = handle_unexpected
    threading.excepthook = _thread_hook


# -- the crash report ------------------------------------------------------------------------

def crash_report(exc_type: type[BaseException], exc: BaseException,
                 tb: TracebackType | None, versions: dict[str, str] | None = None) -> str:
    """What support needs and nothing personal: versions, the traceback as Python prints it
    (file, line, code; no local variable values) and the last log lines, redacted."""
    lines = [
        "Repair Station crash report",
        f"Time: {datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"Program version: {__version__}",
        f"Python: {platform.python_version()} ({platform.python_implementation()})",
        f"OS: {platform.platform()}",
    ]
    lines += [f"{name}: {value}" for name, value in (versions or {}).items()]
    lines += ["", *"".join(traceback.format_exception(exc_type, exc, tb))
              .rstrip().splitlines()]
    lines += ["", f"Last {REPORT_LINES} log lines:", *last_lines(REPORT_LINES)]
    return redact("\n".join(lines)) + "\n"


def write_report(folder: Path, text: str) -> Path:
    """Writes ``text`` as ``repair-station-crash-<time>.txt`` in ``folder``."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path = Path(folder) / f"repair-station-crash-{stamp}.txt"
    n = 1
    while path.exists():
        n += 1
        path = Path(folder) / f"repair-station-crash-{stamp}-{n}.txt"
    path.write_text(text, encoding="utf-8")
    return path
