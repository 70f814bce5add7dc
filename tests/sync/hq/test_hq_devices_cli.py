"""``repair-station-hq add-device`` / ``devices`` / ``revoke-device``: the token printed once
on the last line and nothing else secret, the list, the revocation report, clear refusals."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sync import protocol as p
from sync.hq.__main__ import main
from sync.hq.api import create_app
from sync.hq.db import HqDatabase
from tests.sync.hq.conftest import gz


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'hq.sqlite3'}"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_add_device_list_and_revoke(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "--db", url, "--lang", "en", "add-station", "BJ001", "--name", "站")
    code, out, _ = run(capsys, "--db", url, "--lang", "en", "add-device", "BJ001", "--name",
                       "外勤笔记本")
    assert code == 0 and "Device 2 (外勤笔记本) added to station BJ001" in out
    lines = out.strip().splitlines()
    token = lines[-1]
    assert len(lines) == 2 and len(token) >= 40 and " " not in token
    db = HqDatabase.open(url)
    try:
        client = TestClient(create_app(db=db))
        o = p.PushOp(1, str(uuid.uuid4()), "customer", str(uuid.uuid4()), "upsert",
                     {"name": "甲"}, created_at="2026-06-01T10:00:00+08:00")
        kw = gz(p.PushBatch.build("BJ001", [o], device=2))
        kw["headers"].update(p.auth_headers(token))
        assert client.post(p.PUSH_PATH, **kw).status_code == 200
    finally:
        db.dispose()
    code, out, _ = run(capsys, "--db", url, "--lang", "en", "devices", "BJ001")
    assert code == 0 and token not in out
    rows = {x.split()[0]: x for x in out.splitlines()[1:-1]}
    assert "1号机" in rows["1"] and "primary" in rows["1"]
    assert "外勤笔记本" in rows["2"] and " B " in rows["2"] and "active" in rows["2"]
    assert "2 device(s)." in out
    code, out, _ = run(capsys, "--db", url, "--lang", "en", "revoke-device", "BJ001", "2")
    assert code == 0 and "is revoked" in out and "up to seq 1" in out
    assert "upsert customer" in out
    code, out, _ = run(capsys, "--db", url, "--lang", "zh_CN", "revoke-device", "BJ001", "1")
    assert code == 0 and "已吊销" in out and "现已没有在用设备" in out
    code, out, _ = run(capsys, "--db", url, "--lang", "en", "devices", "BJ001")
    assert out.count("revoked") == 2


def test_device_commands_refuse_clearly(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "--db", url, "add-station", "BJ001", "--name", "站")
    for argv, text in ((("add-device", "ZZ999", "--name", "x"), "No station ZZ999"),
                       (("add-device", "BJ001", "--name", " "), "device name is required"),
                       (("add-device", "BJ001", "--name", "名" * 65), "at most 64"),
                       (("add-device", "BJ001", "--name", "笔记本\x07"), "cannot show (U+0007)"),
                       (("revoke-device", "BJ001", "5"), "has no device 5"),
                       (("devices", "ZZ999"), "No station ZZ999")):
        code, out, err = run(capsys, "--db", url, "--lang", "en", *argv)
        assert code == 1 and text in err, (argv, err)
        assert out == ""
    code, _, err = run(capsys, "--db", url, "--lang", "zh_CN", "revoke-device", "BJ001", "5")
    assert code == 1 and "没有设备 5" in err
