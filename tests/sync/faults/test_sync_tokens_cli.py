"""Tokens: station A cannot touch station B's data, a revoked token and an old protocol get
clear answers with the outbox intact; the register/sync commands and where the token lives."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

import pytest

from sync import protocol as p
from sync.client import ClientConfig, HqTransport, SyncEngine, SyncError
from sync.hq.admin import DispatchInput
from tests.sync.faults.harness import (
    ROOT,
    LiveHq,
    StationRig,
    assert_converged,
    fast_transport,
    make_station,
    station_env,
)
from tests.sync.faults.workload import new_orders


def test_station_a_token_cannot_read_or_write_station_b(tmp_path: Path, live_hq: LiveHq,
                                                       rig: StationRig) -> None:
    other = make_station(tmp_path / "b", "SH002", live_hq, live_hq.url)
    try:
        assert live_hq.admin is not None
        live_hq.admin.dispatch("SH002", [DispatchInput("乙客户", "13700001111", "上海", "坏了")])
        new_orders(other, 2)
        ops = other.sync.store.read_ops(0, None, 500)
        a_transport = HqTransport(ClientConfig(live_hq.url, rig.token))
        answer = a_transport.push(p.PushBatch.build("SH002", ops, from_seq=1))
        assert answer.status == 400
        # B's data pulled with A's token: none of it
        page = a_transport.pull(0, 500)
        assert page.status == 200
        assert not [c for c in page.data["changes"] if c["entity"] == "dispatch_order"]
        other.sync.sync_now()
        assert_converged(other, live_hq)
    finally:
        other.close()


def test_revoked_token_and_old_protocol_keep_the_outbox(rig: StationRig,
                                                        live_hq: LiveHq) -> None:
    new_orders(rig, 3)
    pending = rig.sync.status().pending
    assert live_hq.admin is not None
    live_hq.admin.revoke_station(rig.code)
    with pytest.raises(SyncError) as err:
        rig.sync.sync_now()
    assert err.value.code == SyncError.REVOKED
    assert rig.sync.status().pending == pending
    new_token = live_hq.admin.rotate_token(rig.code)
    with pytest.raises(SyncError) as old:
        engine = SyncEngine(fast_transport(ClientConfig(live_hq.url, new_token, protocol=0)),
                            rig.sync.store, rig.code)
        engine.run()
    assert old.value.code == SyncError.UPGRADE_REQUIRED
    assert rig.sync.status().pending == pending
    with pytest.raises(SyncError) as rotated:
        rig.sync.sync_now()  # the station still holds the rotated-away token
    assert rotated.value.code == SyncError.UNAUTHORIZED
    from tests.sync.faults.workload import boss

    rig.sync.register(boss(rig), live_hq.url, rig.code, new_token)
    rig.sync.sync_now()
    assert_converged(rig, live_hq)


def _cli(root: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app", "--data-dir", str(root), *args],
                          cwd=ROOT, env=station_env(), input=stdin, capture_output=True,
                          text=True, timeout=60)


@pytest.mark.slow
def test_register_and_sync_commands(tmp_path: Path, live_hq: LiveHq) -> None:
    from app.bootstrap import open_services
    from app.domain.enums import Role
    from app.services.users import NewStation, NewUser

    root = tmp_path / "cli-station"
    services = open_services(root)
    services.users.set_up_station(NewStation("GZ003", "广州站", "广州", "020-82345678"),
                                  NewUser("boss", "站长", Role.MANAGER, "correct-horse"))
    services.close()
    assert live_hq.admin is not None
    token = live_hq.admin.add_station("GZ003", "Guangzhou")

    wrong = _cli(root, "register", "--hq", live_hq.url, "--station", "GZ003", "--token-stdin",
                 stdin="not-the-token\n")
    assert wrong.returncode == 3
    assert "令牌" in wrong.stderr
    not_registered = _cli(root, "sync")
    assert not_registered.returncode == 2

    ok = _cli(root, "register", "--hq", live_hq.url, "--station", "GZ003", "--token-stdin",
              stdin=token + "\n")
    assert ok.returncode == 0, ok.stderr
    assert token not in ok.stdout + ok.stderr
    token_file = root / "sync-token"
    assert token_file.read_text() == token
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert token.encode() not in (root / "station.sqlite3").read_bytes()

    run = _cli(root, "sync")
    assert run.returncode == 0, run.stderr
    assert "同步完成" in run.stdout
    assert token not in run.stdout + run.stderr

    live_hq.admin.revoke_station("GZ003")
    revoked = _cli(root, "sync")
    assert revoked.returncode == 3
    assert "吊销" in revoked.stderr
