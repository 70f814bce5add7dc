"""No secret and nothing personal in the log files after the demo and a sync: ``repair-station
demo`` into a temporary folder, ``register`` and ``sync`` against the reference head-office
server (in-process, ``tests/sync/faults/harness.LiveHq``), all through the command line's
logging at DEBUG into the rotating file; then every log file is searched for the demo's
passwords, the station token, every customer phone and every customer name in the database.

The demo is the whole generator (every area's demo data) at a smaller size than the default
300 customers / 1,000 orders, which takes minutes on a shared machine and adds only rows.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import logs
from app.__main__ import main
from tests.station_files import station_connect
from tests.sync.faults.harness import LiveHq


@pytest.fixture
def hq(tmp_path: Path) -> Iterator[LiveHq]:
    server = LiveHq(tmp_path / "hq.sqlite3").start()
    yield server
    server.stop()


def _personal(database: Path) -> set[str]:
    """Every customer's name and phone (as stored and as digits) in the station database."""
    with station_connect(database) as conn:
        names = {row[0] for row in conn.execute("SELECT name FROM customers")}
        phones = set()
        for number, digits in conn.execute("SELECT number, digits FROM customer_phones"):
            phones |= {number, digits}
    assert len(names) >= 20 and len(phones) >= 20
    return {text for text in names | phones if text}


def test_no_password_token_phone_or_name_in_the_logs_after_demo_and_sync(
        tmp_path: Path, hq: LiveHq, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv(logs.LEVEL_ENV, "DEBUG")
    monkeypatch.setenv("REPAIR_STATION_TOKEN_FILE_ONLY", "1")
    root = tmp_path / "station"
    assert main(["--data-dir", str(root), "demo", "--customers", "20", "--orders", "60"]) == 0
    passwords = re.findall(r"密码: (\S+)", capsys.readouterr().out)
    assert len(passwords) >= 3

    with station_connect(root / "station.sqlite3") as conn:
        code = conn.execute("SELECT code FROM station").fetchone()[0]
    assert hq.admin is not None
    token = hq.admin.add_station(code, "演示站")
    monkeypatch.setattr("sys.stdin", io.StringIO(token + "\n"))
    assert main(["--data-dir", str(root), "register", "--hq", hq.url, "--station", code,
                 "--token-stdin"]) == 0
    assert main(["--data-dir", str(root), "sync"]) == 0
    assert "同步完成" in capsys.readouterr().out

    files = sorted((root / "logs").glob("*.log*"))
    assert {p.name for p in files} >= {logs.CLI_LOG_FILE}
    assert files, "no log file was written"
    text = "\n".join(path.read_text(encoding="utf-8") for path in files)
    assert " DEBUG " in text  # the file really took everything down to DEBUG
    assert "POST /v1/push" in text and "GET /v1/pull" in text  # the sync is in there
    secrets = {*passwords, token} | _personal(root / "station.sqlite3")
    found = sorted(secret for secret in secrets if secret in text)
    assert not found, f"in the logs: {found}"
    assert "bearer " not in text.lower().replace("bearer ***", "")
