"""A plain station database of an older program encrypted in place: every row kept, no
plain copy left, and a kill -9 at any moment leaves the old or the new store whole."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.bootstrap import build_services, open_services, prepare_store
from app.domain.enums import Role
from app.paths import DataPaths
from app.services.users import NewStation, NewUser
from app.store import migrate, sqlite_driver
from app.store.database import Database
from app.store.key_seal import default_key_seal
from app.store.store_encryption import (
    ENCRYPTION_PENDING,
    RECOVERY_PENDING,
    StoreKeyMissing,
    unlock,
)
from app.store.store_key import RecoveryKeyInvalid, StoreKey
from tests.services.helpers import new_order

NAME, PHONE, ADDRESS = "欧阳明秀", "13912345678", "北京市海淀区学院路1号"
FILLER_ROWS = 150_000


def _all_rows(path: Path, key: StoreKey | None) -> dict[str, list[tuple]]:
    conn = sqlite_driver.connect(path, key)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name")]
        return {t: sorted(map(tuple, conn.execute(f'SELECT * FROM "{t}"')), key=repr)
                for t in tables}
    finally:
        conn.close()


def _plain_station(root: Path, filler: int = 0) -> DataPaths:
    """A station as the program before encryption left it: a plain file, one order."""
    paths = DataPaths(root).ensure()
    db = Database.open(paths.database)
    migrate.upgrade(db.engine, None, None)
    services = build_services(paths, db)
    services.users.set_up_station(
        NewStation("HZ001", "杭州西湖维修站", "杭州市西湖区", "0571-88888888"),
        NewUser("boss", "站长", Role.MANAGER, "correct-horse"))
    boss = services.users.login("boss", "correct-horse")
    new_order(services, boss, name=NAME, phone=PHONE)
    if filler:
        with db.engine.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE filler (id INTEGER PRIMARY KEY, t TEXT)")
            conn.exec_driver_sql(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
                "INSERT INTO filler (t) SELECT printf('%s-%d', ?, i) FROM n", (filler, PHONE))
    db.dispose()
    assert sqlite_driver.is_plain(paths.database)
    return paths


def _no_plain_bytes(root: Path) -> None:
    needles = [s.encode() for s in (NAME, PHONE, ADDRESS)]
    for file in root.rglob("*"):
        if file.is_file():
            data = file.read_bytes()
            assert not any(n in data for n in needles), file


def test_a_plain_station_is_encrypted_with_every_row_kept(tmp_path: Path) -> None:
    paths = _plain_station(tmp_path / "station")
    before = _all_rows(paths.database, None)
    services = open_services(paths.root)
    try:
        key = services.db.key
        assert key is not None
        assert services.customers.search(NAME)
    finally:
        services.close()
    assert not sqlite_driver.is_plain(paths.database)
    after = _all_rows(paths.database, key)
    for table, rows in before.items():
        if table != "alembic_version":
            assert after[table] == rows, table
    assert (paths.root / RECOVERY_PENDING).exists()
    assert not (paths.root / ENCRYPTION_PENDING).exists()
    assert sorted(p.name for p in paths.root.iterdir() if p.name.startswith("station")) == [
        "station.sqlite3"] + [n for n in ("station.sqlite3-shm", "station.sqlite3-wal")
                              if (paths.root / n).exists()]
    _no_plain_bytes(paths.root)


def test_without_the_key_the_store_refuses_and_the_recovery_key_unlocks(
        tmp_path: Path) -> None:
    root = tmp_path / "station"
    services = open_services(root)
    key = services.db.key
    assert key is not None
    services.close()
    seal = default_key_seal(root)
    seal.clear()  # as on another PC
    with pytest.raises(StoreKeyMissing):
        open_services(root)
    with pytest.raises(RecoveryKeyInvalid):
        unlock(root / "station.sqlite3", seal, "ABCD-EFGH")
    with pytest.raises(sqlite_driver.StoreKeyWrong):
        unlock(root / "station.sqlite3", seal, StoreKey.generate().recovery_text())
    assert seal.load() is None
    unlock(root / "station.sqlite3", seal, key.recovery_text().lower())
    open_services(root).close()
    seal.save(StoreKey.generate())  # a key of another station sealed for this folder
    with pytest.raises(sqlite_driver.StoreKeyWrong):
        open_services(root)


_CHILD = """
import sys
from app.bootstrap import prepare_store
from app.paths import DataPaths
print("go", flush=True)
prepare_store(DataPaths(sys.argv[1]))
print("done", flush=True)
"""


def test_kill_nine_during_the_encryption_leaves_one_store_whole(tmp_path: Path) -> None:
    template = _plain_station(tmp_path / "template", filler=FILLER_ROWS)
    original = _all_rows(template.database, None)
    rng = random.Random(14)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    outcomes: set[str] = set()
    for round_ in range(6):
        root = tmp_path / f"s{round_}"
        shutil.copytree(template.root, root)
        child = subprocess.Popen([sys.executable, "-c", _CHILD, str(root)], env=env,
                                 stdout=subprocess.PIPE, text=True)
        assert child.stdout is not None and child.stdout.readline().strip() == "go"
        time.sleep(rng.uniform(0.0, 0.8))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        db = root / "station.sqlite3"
        if db.exists() and sqlite_driver.is_plain(db):
            outcomes.add("old")
            assert _all_rows(db, None) == original
        elif db.exists():
            outcomes.add("new")
        else:
            outcomes.add("between")  # killed between the renames: resume finishes it
        key = prepare_store(DataPaths(root))  # the next start completes the work
        assert not sqlite_driver.is_plain(db)
        after = _all_rows(db, key)
        assert {t: r for t, r in after.items() if t != "alembic_version"} == {
            t: r for t, r in original.items() if t != "alembic_version"}
        assert not [p for p in root.iterdir() if p.name.endswith((".plain", ".encrypting",
                                                                    ".encrypted"))]
        _no_plain_bytes(root)
    assert "old" in outcomes, outcomes  # some kills landed inside the encryption
