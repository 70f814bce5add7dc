"""The ``repair-station-hq`` command, called through ``main(argv)`` (and once as a real process):
exact argument forms, the token on the last line, clear refusals with non-zero exits."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sync import protocol as p
from sync.hq.__main__ import main
from sync.hq.api import create_app
from sync.hq.db import HqDatabase


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'hq.sqlite3'}"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_add_station_prints_token_last_and_it_works(url: str, capsys) -> None:
    code, out, _ = run(capsys, "--db", url, "add-station", "BJ001", "--name", "北京海淀维修站")
    assert code == 0
    token = out.strip().splitlines()[-1]
    assert len(token) >= 40 and " " not in token
    db = HqDatabase.open(url)
    try:
        client = TestClient(create_app(db=db))
        assert client.get(p.PULL_PATH, headers=p.auth_headers(token)).status_code == 200
    finally:
        db.dispose()
    code, _, err = run(capsys, "--db", url, "add-station", "BJ001", "--name", "again")
    assert code == 1 and "already exists" in err
    code, _, err = run(capsys, "--db", url, "add-station", "bad code!", "--name", "x")
    assert code == 1 and "not a station code" in err


def test_rotate_and_revoke(url: str, capsys) -> None:
    run(capsys, "--db", url, "add-station", "BJ001", "--name", "站")
    code, out, _ = run(capsys, "--db", url, "rotate-token", "BJ001")
    token = out.strip().splitlines()[-1]
    assert code == 0 and len(token) >= 40
    assert run(capsys, "--db", url, "revoke-station", "BJ001")[0] == 0
    code, out, _ = run(capsys, "--db", url, "stations")
    assert code == 0
    line = next(x for x in out.splitlines() if x.startswith("BJ001"))
    assert line.rstrip().endswith("yes") and "never" in line
    code, _, err = run(capsys, "--db", url, "revoke-station", "ZZ999")
    assert code == 1 and "No station ZZ999" in err


def test_dispatch_from_arguments_and_files(url: str, tmp_path: Path, capsys) -> None:
    run(capsys, "--db", url, "add-station", "BJ001", "--name", "站")
    code, out, _ = run(capsys, "--db", url, "dispatch", "BJ001", "--customer", "张三", "--phone",
                       "13800138000", "--address", "北京市海淀区1号", "--fault", "不制冷",
                       "--type", "repair", "--mode", "on_site", "--model", "KFR-35",
                       "--serial", "SN1")
    assert code == 0 and "1 order(s) dispatched to BJ001" in out
    number = out.split()[0]
    assert number.startswith("SO-BJ001-") and number.endswith("-5001")

    csv_file = tmp_path / "orders.csv"
    csv_file.write_text("customer,phone,address,fault,type,mode\n"
                        "李四,010-62345678,北京市朝阳区2号,洗衣机漏水,repair,workshop\n"
                        "王五,13912345678,北京市东城区3号,,install,on_site\n",
                        encoding="utf-8-sig")
    code, out, _ = run(capsys, "--db", url, "dispatch", "BJ001", "--file", str(csv_file))
    assert code == 0 and "2 order(s)" in out and "-5003" in out

    json_file = tmp_path / "orders.json"
    json_file.write_text(json.dumps({"orders": [
        {"customer": "赵六", "phone": "13700137000", "address": "天津", "fault": "异响",
         "warranty_months": 24, "reference": "CC-778"}]}, ensure_ascii=False),
        encoding="utf-8")
    code, out, _ = run(capsys, "--db", url, "dispatch", "BJ001", "--file", str(json_file))
    assert code == 0 and "-5004" in out

    code, out, _ = run(capsys, "--db", url, "stations")
    line = next(x for x in out.splitlines() if x.startswith("BJ001"))
    assert line.split()[-3] == "4"  # backlog: four dispatched orders not yet pulled


@pytest.mark.parametrize(
    ("content", "suffix", "complaint"),
    [
        ("customer,phone\n张三,13800138000\n", ".csv", "lacks: address"),
        ("customer,phone,address,colour\n张三,13800138000,北京,red\n", ".csv", "Unknown column"),
        ("customer,phone,address,fault\n张三,12,北京,坏了\n", ".csv", "Order 1: '12' is not"),
        ("customer,phone,address,fault,type\n张三,13800138000,北京,坏了,fix\n", ".csv",
         "type 'fix' is not one of"),
        ("customer,phone,address\n张三,13800138000,北京\n", ".csv",
         "a repair order needs a fault"),
        ('[{"customer": "张三"}]', ".json", "Order 1: phone is required"),
        ("{nope", ".json", "not valid JSON"),
        ("customer,phone,address\n", ".csv", "holds no orders"),
        ("x", ".txt", "must end in .csv or .json"),
    ],
)
def test_bad_dispatch_files_are_refused_and_nothing_is_sent(
    url: str, tmp_path: Path, capsys, content: str, suffix: str, complaint: str
) -> None:
    run(capsys, "--db", url, "add-station", "BJ001", "--name", "站")
    path = tmp_path / f"orders{suffix}"
    path.write_text(content, encoding="utf-8")
    code, _, err = run(capsys, "--db", url, "dispatch", "BJ001", "--file", str(path))
    assert code == 1
    assert complaint in err
    _, out, _ = run(capsys, "--db", url, "stations")
    assert next(x for x in out.splitlines() if x.startswith("BJ001")).split()[-3] == "0"


def test_dispatch_argument_errors(url: str, capsys) -> None:
    run(capsys, "--db", url, "add-station", "BJ001", "--name", "站")
    code, _, err = run(capsys, "--db", url, "dispatch", "BJ001", "--customer", "张三")
    assert code == 1 and "needs --customer, --phone and --address" in err
    code, _, err = run(capsys, "--db", url, "dispatch", "SH002", "--customer", "张三", "--phone",
                       "13800138000", "--address", "北京", "--fault", "坏了")
    assert code == 1 and "No station SH002" in err
    with pytest.raises(SystemExit) as exc:
        main(["--db", url, "dispatch"])
    assert exc.value.code == 2


def test_cancel_notice_conflicts(url: str, capsys) -> None:
    run(capsys, "--db", url, "add-station", "BJ001", "--name", "站")
    _, out, _ = run(capsys, "--db", url, "dispatch", "BJ001", "--customer", "张三", "--phone",
                    "13800138000", "--address", "北京", "--fault", "坏了")
    number = out.split()[0]
    code, out, _ = run(capsys, "--db", url, "cancel", number.lower(), "--reason", "客户撤单")
    assert code == 0 and f"Order {number} cancelled" in out
    code, _, err = run(capsys, "--db", url, "cancel", number, "--reason", "again")
    assert code == 1 and "already cancelled" in err
    code, _, err = run(capsys, "--db", url, "cancel", "SO-XX-1", "--reason", "x")
    assert code == 1 and "No order" in err
    code, out, _ = run(capsys, "--db", url, "notice", "--title", "春节安排", "--body", "正常值班")
    assert code == 0 and "all stations" in out
    code, out, _ = run(capsys, "--db", url, "notice", "--title", "t", "--body", "b",
                       "--station", "BJ001")
    assert code == 0 and "BJ001" in out
    code, out, _ = run(capsys, "--db", url, "conflicts")
    assert code == 0 and "0 conflict(s)." in out
    code, out, _ = run(capsys, "--db", url, "update-order", number, "--address", "新地址")
    assert code == 1


def test_bad_database_url_is_a_clear_error(capsys, tmp_path: Path) -> None:
    code, _, err = run(capsys, "--db", "not a url", "stations")
    assert code == 2 and "not a database URL" in err
    code, _, err = run(capsys, "--db", "mysql://u:secret@h/db", "stations")
    assert code == 1 and "unsupported database" in err
    code, _, err = run(capsys, "--db",
                       "postgresql+psycopg://u:hunter2@127.0.0.1:1/none", "stations")
    assert code == 1 and "cannot use database" in err
    assert "hunter2" not in err  # secrets never in messages


def test_console_script_runs_as_a_real_process(url: str) -> None:
    cmd = [sys.executable, "-m", "sync.hq", "--db", url, "add-station", "GZ003", "--name",
           "广州天河维修站"]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=60,
                          cwd=Path(__file__).resolve().parents[3])
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.strip().splitlines()[-1]) >= 40
    bad = subprocess.run([sys.executable, "-m", "sync.hq", "--db", url, "frobnicate"],
                         capture_output=True, text=True, timeout=60,
                         cwd=Path(__file__).resolve().parents[3])
    assert bad.returncode == 2 and "invalid choice" in bad.stderr


def test_after_restore_and_prune_commands(url: str, capsys) -> None:
    run(capsys, "--db", url, "add-station", "BJ001", "--name", "站")
    code, out, _ = run(capsys, "--db", url, "after-restore")
    assert code == 0 and "Change log moved on to 1000000001" in out
    code, out, _ = run(capsys, "--db", url, "prune", "--retention-days", "30")
    assert code == 0 and "0 change-log row(s) older than 30 days removed." in out


def test_serve_answers_on_loopback_and_stops(url: str) -> None:
    import socket
    import time

    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "sync.hq", "serve", "--db", url, "--host",
                             "127.0.0.1", "--port", str(port), "--log-level", "warning"],
                            cwd=Path(__file__).resolve().parents[3],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.1)
        assert r.status_code == 200 and r.json()["protocols"] == [1, 2]
        assert httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=5).status_code == 200
    finally:
        proc.terminate()
        assert proc.wait(timeout=30) is not None


def test_rejected_command_lists_refused_ops(url: str, capsys) -> None:
    run(capsys, "--db", url, "add-station", "BJ001", "--name", "站")
    code, out, _ = run(capsys, "--db", url, "rejected")
    assert code == 0 and out.strip() == "0 rejected op(s)."
    code, _, err = run(capsys, "--db", url, "rejected", "--station", "b-1")
    assert code == 1 and "not a station code" in err
