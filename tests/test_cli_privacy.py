"""``repair-station customer export|erase``: the customer found by a phone only he has, the
.zip written, the erasure asked to be confirmed (nothing erased on another answer) and made
with 删除, a second one refused with a clear message and exit 2."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from app.__main__ import main
from app.bootstrap import Services
from app.domain.erasure import ERASED_NAME
from app.services.context import Actor
from tests.services.helpers import new_order

PHONE = "13955556666"


def test_export_then_erase_from_the_command_line(
        services: Services, station: dict[str, Actor], tmp_path: Path,
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    order = new_order(services, station["clerk"], name="诸葛亮", phone=PHONE, serial="SN-CLI")
    root = str(services.paths.root)
    target = tmp_path / "诸葛亮.zip"
    assert main(["--data-dir", root, "customer", "export", PHONE, "--to", str(target)]) == 0
    assert "个人信息" in capsys.readouterr().out
    with zipfile.ZipFile(target) as z:
        assert "诸葛亮" in z.read("data.json").decode("utf-8")

    erase = ["--data-dir", root, "customer", "erase", PHONE, "--requested-by", "客户本人",
             "--reason", "不再使用本站服务"]
    monkeypatch.setattr("sys.stdin", io.StringIO("不\n"))
    assert main(erase) == 1
    assert services.customers.get(order.customer.id).name == "诸葛亮"
    monkeypatch.setattr("sys.stdin", io.StringIO("删除\n"))
    assert main(erase) == 0
    assert "已删除" in capsys.readouterr().out
    assert services.customers.get(order.customer.id).name == ERASED_NAME
    # the phone is gone with the file: by id, a second erasure is refused
    assert main([*erase[:4], order.customer.id, *erase[5:], "--yes"]) == 2
    assert "已经删除" in capsys.readouterr().err
