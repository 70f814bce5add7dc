"""A real process killed with SIGKILL a hundred times while it writes orders (with photos) and
makes and prunes backups: the database passes integrity_check with every committed order; every
listed backup is whole (integrity_check, its manifest, every photo its rows name, each photo's
content matching its name); a backup that finished is listed unless the rule pruned it; no half
backup is ever listed; the newest restores to a station that opens."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import select

from app.bootstrap import open_services
from app.store import backups as store
from app.store.backup_checks import check_candidate, health_check
from app.store.key_seal import default_key_seal
from app.store.models import ServiceOrder
from app.store.vault import decrypt_bytes
from tests.station_files import station_connect, station_key

KILLS = 100
ROOT = Path(__file__).resolve().parents[2]


def _assert_whole(backup: store.Backup) -> None:
    key = station_key(backup.database)
    facts = check_candidate(backup.database, key)
    assert backup.manifest.outbox_seq == facts.outbox_seq
    assert backup.manifest.key_id == (key.key_id if key else None)
    files = sorted(p for p in (backup.path / "attachments").glob("*/*"))
    assert len(files) == backup.manifest.attachments
    for f in files:  # each photo whole (decrypted and checked against its name)
        assert hashlib.sha256(decrypt_bytes(f.read_bytes(), f.name, key)).hexdigest() == f.name
    conn = station_connect(f"{backup.database.as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        names = {f.name for f in files}
        rows = {r[0] for r in conn.execute("SELECT sha256 FROM attachments")}
        assert rows <= names  # every photo the backup's rows name is in the backup
        orders = set(conn.execute("SELECT id FROM service_orders"))
        ops = set(conn.execute("SELECT entity_id FROM outbox WHERE entity = 'service_order'"))
        assert orders == ops
    finally:
        conn.close()


def _lines(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def _starts(path: Path) -> int:
    """How many backups the writers began (their ``backup_start`` lines)."""
    try:
        return path.read_bytes().count(b'"backup_start"')
    except FileNotFoundError:
        return 0


def test_kill_nine_while_writing_and_backing_up(tmp_path, services, station) -> None:
    data_dir = services.paths.root
    clerk = station["clerk"]
    services.close()
    ack_path = tmp_path / "acks.jsonl"
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.store.backup_writer", str(data_dir), str(ack_path),
         json.dumps(dataclasses.asdict(clerk))],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )
    rng = random.Random(4321)
    started = time.monotonic()
    try:
        for kill in range(KILLS):
            seen, begun = _lines(ack_path), _starts(ack_path)
            server.stdin.write("fork\n")
            server.stdin.flush()
            pid = int(server.stdout.readline())
            if kill % 10 == 0:  # every tenth kill lands just after a backup began
                deadline = time.monotonic() + 20
                while _starts(ack_path) <= begun and time.monotonic() < deadline:
                    time.sleep(0.002)
                assert _starts(ack_path) > begun, "the writer began no backup"
                os.kill(pid, signal.SIGKILL)
                continue
            # the kill lands at a random moment after a random number of finished steps, so
            # every child gets somewhere however loaded the machine is
            wanted, deadline = seen + rng.choice((0, 1, 1, 2)), time.monotonic() + 20
            while _lines(ack_path) < wanted and time.monotonic() < deadline:
                time.sleep(0.005)
            assert _lines(ack_path) >= wanted, "the writer made no progress"
            time.sleep(rng.uniform(0, 0.12))
            os.kill(pid, signal.SIGKILL)
    finally:
        server.stdin.close()
        server.wait(timeout=30)
    assert time.monotonic() - started < 90  # about 30 s on an idle machine
    lines = [json.loads(line) for line in ack_path.read_text(encoding="utf-8").splitlines()
             if line.endswith("}")]
    acked_orders = [a for a in lines if "id" in a]
    acked_backups = [a for a in lines if "backup" in a]
    assert len(acked_orders) > KILLS / 2 and len(acked_backups) > KILLS / 5

    paths = services.paths
    assert health_check(paths.database, services.db.key) is None
    listed = store.list_backups(paths.backups)
    assert listed
    for backup in listed:
        _assert_whole(backup)
    names = {b.path.name for b in listed}
    for ack in acked_backups:  # finished, so listed unless the retention rule removed it
        assert ack["backup"] in names or not (paths.backups / ack["backup"]).exists()
    for entry in paths.backups.iterdir():  # anything else is a leftover no list shows
        assert entry.name in names or entry.name.startswith(".")
    # kills landed inside backups: some begun were never finished (their half folders may
    # already be gone, cleared by a later backup)
    assert _starts(ack_path) > len(acked_backups), "no kill landed inside a backup"

    check = open_services(data_dir)
    try:
        with check.db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"
            orders = {r[0]: r[1] for r in conn.exec_driver_sql(
                "SELECT id, number FROM service_orders")}
            with_photo = {r[0] for r in conn.exec_driver_sql(
                "SELECT order_id FROM attachments")}
        for ack in acked_orders:
            assert orders[ack["id"]] == ack["number"]
            if ack["photo"]:
                assert ack["id"] in with_photo
        # the next backup clears what the killed ones left behind
        check.backups.backup_now(station["manager"])
    finally:
        check.close()
    assert not list(paths.backups.glob(".tmp-*"))

    newest = store.list_backups(paths.backups)[1]  # the newest a killed writer made
    target = tmp_path / "restored"
    done = store.restore(newest.path, target / "station.sqlite3", target / "backups",
                         target / "attachments", backup_key=services.db.key)
    assert done.replaced is None and done.key == services.db.key
    default_key_seal(target).save(done.key)  # what the restore with a recovery key does
    restored = open_services(target)
    try:
        with restored.db.read() as s:
            ids = set(s.scalars(select(ServiceOrder.id)))
        assert ids <= set(orders)
    finally:
        restored.close()
