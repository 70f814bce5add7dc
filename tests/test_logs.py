"""The log file: rotation at its size limit, the redacting filter (a log line with a phone,
a password, a token or a customer's name reaches the file masked), the unexpected-error hook
and the crash report (versions, traceback without local values, last lines; nothing personal).
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import __version__, logs

log = logging.getLogger("tests.logs")


@pytest.fixture
def log_dir(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "logs"
    hooks = sys.excepthook, threading.excepthook
    logs.setup_logging(folder, logging.DEBUG)
    yield folder
    logs.stop_logging()
    sys.excepthook, threading.excepthook = hooks


def _text(folder: Path) -> str:
    logs.last_lines(0)  # flushes
    return "".join(p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.log*")))


@pytest.mark.parametrize("raw", [
    "13800138000", "138-0013-8000", "138 0013 8000", "+8613800138000", "+86 139-1234-5678",
    "010-62345678", "0755 2345678", "(020)82345678", "02082345678", "0571-8888888-801",
])
def test_every_phone_form_is_masked(raw: str) -> None:
    assert logs.redact(f"call {raw} now") == "call *** now"
    assert logs.redact(f"电话{raw}") == "******"  # right after Chinese text too


@pytest.mark.parametrize("raw, masked", [
    ("password=hunter22 ok", "password=*** ok"),
    ("login {'password': 'hunter22'}", "login {'password': '***'}"),
    ("GET /sync/pull?cursor=3&token=abc.DEF-123 200", "GET /sync/pull?cursor=3&token=*** 200"),
    ("Authorization: Bearer abc.DEF-123", "Authorization: ***"),
    ("headers={'X-Station-Token': 'abc'}", "headers={'X-Station-Token': '***'}"),
    ("sent with bearer abc.DEF", "sent with bearer ***"),
    ("customer 周建华 at 北京市朝阳区", "customer *** at ***"),
])
def test_secrets_and_user_text_are_masked(raw: str, masked: str) -> None:
    assert logs.redact(raw) == masked


def test_ids_times_counts_and_paths_stay_readable() -> None:
    line = ("2026-12-01 12:56:54,123 order 8a3e51c4-0f6d-4e2b-9a51-6e1f2d3c4b5a "
            "BJ001-20260601-0042 took 1234 ms, 1764590000000, /tmp/station/logs/repair-station.log")
    assert logs.redact(line) == line


def test_a_log_line_with_a_phone_or_a_name_reaches_the_file_masked(log_dir: Path) -> None:
    log.info("customer %s called from %s", "周建华", "13600001111")
    log.warning("landline 010-62345678 password=%s", "hunter22")
    try:
        raise ValueError("no customer with phone 13912345678")
    except ValueError:
        log.exception("lookup failed for 王师傅")
    text = _text(log_dir)
    for secret in ("13600001111", "010-62345678", "hunter22", "13912345678", "周建华",
                   "王师傅"):
        assert secret not in text
    assert "customer *** called from ***" in text
    assert "ValueError: no customer with phone ***" in text
    # the filter also guards other handlers (a console) since it edits the record itself
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "phone %s", ("13800138000",),
                               None)
    assert logs.RedactingFilter().filter(record) and record.getMessage() == "phone ***"


def test_sqlalchemy_statements_are_not_logged_at_debug(log_dir: Path) -> None:
    assert logging.getLogger("sqlalchemy.engine").getEffectiveLevel() >= logging.WARNING
    log.debug("debug reaches the file")
    assert "debug reaches the file" in _text(log_dir)


def test_the_file_rotates_at_its_size_limit_and_keeps_five(log_dir: Path) -> None:
    line = "x" * 199
    for _ in range(logs.MAX_BYTES // 200 + 50):
        log.info(line)
    base = log_dir / logs.LOG_FILE
    first = log_dir / f"{logs.LOG_FILE}.1"
    assert first.exists()
    assert first.stat().st_size <= logs.MAX_BYTES
    assert first.stat().st_size > logs.MAX_BYTES - 1000
    assert base.stat().st_size < logs.MAX_BYTES
    handler = logs.current_handler()
    assert handler is not None and handler in logging.getLogger().handlers
    handler.maxBytes = 5_000  # the count, quickly
    for _ in range(400):
        log.info(line)
    names = sorted(p.name for p in log_dir.iterdir())
    assert names == [logs.LOG_FILE] + [f"{logs.LOG_FILE}.{n}" for n in range(1, 6)]


def test_setup_is_once_per_folder(log_dir: Path, tmp_path: Path) -> None:
    first = logs.setup_logging(log_dir)
    assert logs.setup_logging(log_dir) is first
    other = logs.setup_logging(tmp_path / "other")
    assert other is not first and first not in logging.getLogger().handlers


def _fails_with_locals() -> None:
    customer_phone = "13755556666"  # noqa: F841 (a local value the report must not show)
    customer_name = "林美玲"  # noqa: F841
    raise RuntimeError("sync page 3 could not be applied")


def test_unexpected_errors_are_logged_and_reported_without_personal_data(
        log_dir: Path) -> None:
    seen: list[BaseException] = []

    def listener(exc_type, exc, tb) -> None:
        seen.append(exc)

    logs.install_excepthook()
    logs.add_crash_listener(listener)
    try:
        log.info("opened order for 林美玲 13755556666")
        try:
            _fails_with_locals()
        except RuntimeError:
            sys.excepthook(*sys.exc_info())
        worker = threading.Thread(target=_fails_with_locals)
        worker.start()
        worker.join()
    finally:
        logs.remove_crash_listener(listener)
    assert len(seen) == 2 and all(isinstance(e, RuntimeError) for e in seen)
    text = _text(log_dir)
    assert text.count("CRITICAL tests.logs") == 0 and text.count("unexpected error") == 2
    report = logs.crash_report(type(seen[0]), seen[0], seen[0].__traceback__,
                               {"Qt": "6.x"})
    assert f"Program version: {__version__}" in report and "Python: " in report
    assert "OS: " in report and "Qt: 6.x" in report
    assert "in _fails_with_locals" in report
    assert "RuntimeError: sync page 3 could not be applied" in report
    assert "opened order for *** ***" in report  # the last log lines
    for personal in ("13755556666", "林美玲"):
        assert personal not in report
    path = logs.write_report(log_dir.parent, report)
    assert path.read_text(encoding="utf-8") == report and path.suffix == ".txt"
    assert logs.write_report(log_dir.parent, report) != path  # never overwrites


def test_the_store_key_never_reaches_a_log() -> None:
    from app.store.store_key import StoreKey

    key = StoreKey(bytes(range(20)))
    for raw in (f"recovery key {key.recovery_text()}", key.recovery_text().replace("-", " "),
                key.sqlcipher_pragma(), f"{key!r}"):
        out = logs.redact(raw)
        assert key.recovery_text() not in out and key.recovery_text()[:9] not in out
        assert key.database_key.hex() not in out
    # a 64-digit digest or a UUID is not a key
    digest, uuid = "ab" * 32, "0f8fad5b-d9cb-469f-a165-70867728950e"
    assert logs.redact(digest) == digest and logs.redact(uuid) == uuid
