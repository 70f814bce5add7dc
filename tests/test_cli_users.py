"""``repair-station users list`` and ``users reset-password USERNAME --password-stdin`` as a
real process: the password from standard input, clear Chinese refusals with exit 2, the
lockout cleared, the audit entry, and never the password in the output or the log."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from app.bootstrap import open_services
from app.domain.enums import Role
from app.services.errors import LoginFailed
from app.services.users import MAX_FAILURES, NewStation, NewUser
from app.store.models import AuditEntry, User

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct-horse"
NEW = "forgot-it-then-9"


def _cli(root: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run([sys.executable, "-m", "app", "--data-dir", str(root), *args],
                          cwd=ROOT, env=env, input=stdin, capture_output=True, text=True,
                          timeout=120)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "station"
    services = open_services(root)
    services.users.set_up_station(NewStation("GZ003", "广州站", "广州", "020-82345678"),
                                  NewUser("boss", "周站长", Role.MANAGER, PASSWORD))
    boss = services.users.login("boss", PASSWORD)
    services.users.create_user(boss, NewUser("clerk", "陈信息", Role.CLERK, PASSWORD))
    for _ in range(MAX_FAILURES):
        with pytest.raises(LoginFailed):
            services.users.login("boss", "wrong-password")
    services.close()
    return root


def test_reset_password_from_stdin_unlocks_and_audits(folder: Path) -> None:
    done = _cli(folder, "users", "reset-password", "boss", "--password-stdin",
                stdin=NEW + "\n")
    assert done.returncode == 0, done.stderr
    assert "已为 boss（周站长）设置新密码，账号已解锁。" in done.stdout
    assert NEW not in done.stdout + done.stderr
    services = open_services(folder)
    try:
        assert services.users.login("boss", NEW).username == "boss"  # the lockout is gone
        with services.db.read() as s:
            user = s.scalars(select(User).where(User.username == "boss")).one()
            entries = list(s.scalars(select(AuditEntry).where(
                AuditEntry.action == "set_password", AuditEntry.entity_id == user.id)))
        assert [e.detail for e in entries] == ["reset by the command line"]
    finally:
        services.close()
    logs = "".join(p.read_text(encoding="utf-8") for p in (folder / "logs").glob("*.log*"))
    assert NEW not in logs


@pytest.mark.parametrize("username, stdin, message", [
    ("nobody", NEW + "\n", "错误：没有用户名为“nobody”的用户。"),
    ("boss", "short\n", "错误：密码至少 8 个字符。"),
    ("boss", "", "错误：标准输入中没有密码。"),
])
def test_reset_password_refuses_with_exit_2_and_changes_nothing(folder: Path, username: str,
                                                               stdin: str,
                                                               message: str) -> None:
    done = _cli(folder, "users", "reset-password", username, "--password-stdin", stdin=stdin)
    assert done.returncode == 2
    assert message in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    services = open_services(folder)
    try:
        with pytest.raises(LoginFailed):  # still locked
            services.users.login("boss", PASSWORD)
    finally:
        services.close()


def test_users_list_prints_every_account(folder: Path) -> None:
    done = _cli(folder, "users", "list")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "boss\t周站长\t站长\t启用" in lines
    assert any(line.startswith("clerk\t陈信息\t") for line in lines)


def test_no_station_data_is_exit_2(tmp_path: Path) -> None:
    done = _cli(tmp_path / "empty", "users", "list")
    assert done.returncode == 2
    assert "错误" in done.stderr
