"""``repair-station unlock --recovery-key-stdin`` and ``recovery-key show --user U
--password-stdin`` (issue 14 item 1), run in-process: the key from standard input checked
against the database then kept on this PC, clear Chinese refusals with their exit codes, and
every command ending with exit 3 and a message (never a traceback) on data this PC holds no
key for."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import select

from app.__main__ import main
from app.bootstrap import open_services
from app.domain.enums import Role
from app.services.users import NewStation, NewUser
from app.store.key_seal import default_key_seal
from app.store.models import AuditEntry
from app.store.store_key import StoreKey
from tests.conftest import PASSWORD


@pytest.fixture
def moved(tmp_path: Path) -> tuple[Path, StoreKey]:
    """A set-up station whose data came from another PC: its key is not kept here."""
    root = tmp_path / "station"
    services = open_services(root)
    services.users.set_up_station(NewStation("GZ003", "广州站", "广州", "020-82345678"),
                                  NewUser("boss", "周站长", Role.MANAGER, PASSWORD))
    boss = services.users.login("boss", PASSWORD)
    services.users.create_user(boss, NewUser("clerk", "陈信息", Role.CLERK, PASSWORD))
    key = services.db.key
    services.close()
    default_key_seal(root).clear()
    return root, key


def _run(monkeypatch, capsys, root: Path, *args: str, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(["--data-dir", str(root), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_every_command_says_the_key_is_missing_with_exit_3(moved, monkeypatch, capsys) -> None:
    root, _key = moved
    code, out, err = _run(monkeypatch, capsys, root, "users", "list")
    assert code == 3
    assert "本机没有它的密钥" in err and "repair-station unlock --recovery-key-stdin" in err
    assert "Traceback" not in err + out


def test_unlock_checks_the_key_then_keeps_it(moved, monkeypatch, capsys) -> None:
    root, key = moved
    code, _out, err = _run(monkeypatch, capsys, root, "unlock", "--recovery-key-stdin",
                           stdin="not-a-key\n")
    assert code == 2 and "这不是有效的恢复密钥" in err
    code, _out, err = _run(monkeypatch, capsys, root, "unlock", "--recovery-key-stdin",
                           stdin=StoreKey.generate().recovery_text() + "\n")
    assert code == 3 and "另一个维修站的密钥" in err
    assert default_key_seal(root).load() is None
    code, _out, err = _run(monkeypatch, capsys, root, "unlock", "--recovery-key-stdin",
                           stdin="\n")
    assert code == 2 and "没有恢复密钥" in err

    typed = key.recovery_text().lower().replace("-", " ")
    code, out, err = _run(monkeypatch, capsys, root, "unlock", "--recovery-key-stdin",
                          stdin=typed + "\n")
    assert code == 0, err
    assert key.key_id in out and key.recovery_text() not in out
    assert default_key_seal(root).load() == key
    code, out, _err = _run(monkeypatch, capsys, root, "users", "list")
    assert code == 0 and "boss" in out


def test_unlock_on_a_folder_without_data_says_so(tmp_path: Path, monkeypatch, capsys) -> None:
    code, _out, err = _run(monkeypatch, capsys, tmp_path / "empty", "unlock",
                           "--recovery-key-stdin", stdin="x\n")
    assert code == 2 and "没有维修站数据" in err


def test_the_manager_sees_the_key_with_his_password(moved, monkeypatch, capsys) -> None:
    root, key = moved
    default_key_seal(root).save(key)
    code, out, err = _run(monkeypatch, capsys, root, "recovery-key", "show", "--user", "boss",
                          "--password-stdin", stdin=PASSWORD + "\n")
    assert code == 0, err
    assert out.strip() == key.recovery_text()
    assert key.key_id in err and PASSWORD not in out + err

    code, out, err = _run(monkeypatch, capsys, root, "recovery-key", "show", "--user", "boss",
                          "--password-stdin", stdin="wrong-password\n")
    assert code == 2 and "当前密码不正确" in err and key.recovery_text() not in out
    code, out, err = _run(monkeypatch, capsys, root, "recovery-key", "show", "--user", "clerk",
                          "--password-stdin", stdin=PASSWORD + "\n")
    assert code == 2 and "查看本站的恢复密钥" in err and out == ""
    code, out, err = _run(monkeypatch, capsys, root, "recovery-key", "show", "--user", "nobody",
                          "--password-stdin", stdin=PASSWORD + "\n")
    assert code == 2 and "nobody" in err

    services = open_services(root)
    try:
        with services.db.read() as s:
            actions = list(s.scalars(select(AuditEntry.action)
                                     .where(AuditEntry.entity == "store_key")))
    finally:
        services.close()
    assert sorted(actions) == ["view_recovery_key", "view_recovery_key_refused"]
