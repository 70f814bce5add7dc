"""Every sync failure in the user's language with what to do next (issue 9, item 3): each way
the line, TLS, head office's answers or its JSON can fail maps to a message of its own, in
Chinese, naming the next step, and never a class name such as ConnectionError."""

from __future__ import annotations

import pytest
import requests

from app.i18n import render
from app.services import sync_errors as se
from sync import protocol as p
from sync.client import SyncError
from sync.station_transport import Answer, ClientConfig, HqTransport

CLASS_NAMES = ("ConnectionError", "Timeout", "SSLError", "ReadTimeout", "ChunkedEncoding",
               "ProtocolError", "JSONDecodeError", "HTTPError", "Traceback")


def _said(exc: BaseException) -> str:
    text = render(se.explain(exc))
    for name in CLASS_NAMES:
        assert name not in text, text
    return text


@pytest.mark.parametrize(("raised", "code", "words"), [
    # what the transport raises after its retries (the detail is the exception's class name)
    (SyncError(SyncError.OFFLINE, "Head office cannot be reached ({detail}). Working offline; "
               "pending changes stay in the outbox and are sent at the next sync.",
               detail="ConnectionError"), SyncError.OFFLINE, ("无法连接总部", "检查", "F9")),
    (SyncError(SyncError.OFFLINE, "x {detail}", detail="ReadTimeout"), SyncError.OFFLINE,
     ("没有及时应答", "F9")),
    (SyncError(SyncError.OFFLINE, "x {detail}", detail="ChunkedEncodingError"),
     SyncError.OFFLINE, ("连接中断", "F9")),
    (SyncError(SyncError.TLS, "The head-office certificate could not be verified ({detail}). "
               "Check the address and the company CA bundle.", detail="SSLError"),
     SyncError.TLS, ("证书", "CA 证书文件")),
    (SyncError(SyncError.UNAUTHORIZED, "x"), SyncError.UNAUTHORIZED, ("令牌", "重新注册")),
    (SyncError(SyncError.REVOKED, "x"), SyncError.REVOKED, ("吊销", "致电总部")),
    (SyncError(SyncError.UPGRADE_REQUIRED, "x {n}", n=2), SyncError.UPGRADE_REQUIRED,
     ("更新版本", "安装")),
    (SyncError(SyncError.SERVER, "Head office reported an error ({detail}) several times; try "
               "again later. Pending changes stay in the outbox.", detail="HTTP 503"),
     SyncError.SERVER, ("服务器出现故障", "503", "稍后")),
    (SyncError(SyncError.PROTOCOL, "Head office gave an unexpected answer (HTTP {status}: "
               "{detail}).", status=409, detail="gap"), SyncError.PROTOCOL,
     ("同步进度", "409", "F9")),
    (SyncError(SyncError.PROTOCOL, "x {status} {detail}", status=410, detail="cursor_expired"),
     SyncError.PROTOCOL, ("重新下载",)),
    (SyncError(SyncError.PROTOCOL, "x {status} {detail}", status=400, detail="bad_request"),
     SyncError.PROTOCOL, ("拒绝", "400")),
    (SyncError(SyncError.PROTOCOL, "Head office sent an answer this program cannot read "
               "({detail}).", detail="Expecting value: line 1"), SyncError.PROTOCOL,
     ("无法读取", "检查总部地址")),
    # what escapes the transport unwrapped
    (requests.ConnectionError("refused"), SyncError.OFFLINE, ("无法连接总部",)),
    (requests.Timeout("slow"), SyncError.OFFLINE, ("没有及时应答",)),
    (requests.exceptions.SSLError("bad cert"), SyncError.TLS, ("证书",)),
    (requests.exceptions.ChunkedEncodingError("cut"), SyncError.OFFLINE, ("连接中断",)),
    (requests.exceptions.InvalidURL("x"), SyncError.PROTOCOL, ("地址无法使用",)),
    (p.ProtocolError("bad json"), SyncError.PROTOCOL, ("无法读取",)),
    (ValueError("Expecting value"), SyncError.PROTOCOL, ("无法读取",)),
    (RuntimeError("boom"), SyncError.PROTOCOL, ("意外问题", "F9")),
])
def test_each_failure_is_said_in_chinese_with_the_next_step(raised, code, words) -> None:
    mapped = se.explain(raised)
    assert mapped.code == code
    text = _said(raised)
    for word in words:
        assert word in text, text


@pytest.mark.parametrize(("status", "code", "word"), [
    (401, SyncError.UNAUTHORIZED, "令牌"), (403, SyncError.REVOKED, "吊销"),
    (426, SyncError.UPGRADE_REQUIRED, "更新"), (409, SyncError.PROTOCOL, "进度"),
    (410, SyncError.PROTOCOL, "重新下载"), (500, SyncError.SERVER, "故障"),
    (502, SyncError.SERVER, "502"), (418, SyncError.PROTOCOL, "418"),
])
def test_each_http_answer_has_its_own_message(status, code, word) -> None:
    transport = HqTransport(ClientConfig("https://hq.example.com", "t"))
    with pytest.raises(SyncError) as err:
        transport.raise_for(Answer(status, {"error": "x"}))
    mapped = se.explain(err.value)
    assert mapped.code == code and word in render(mapped)
    assert se.of_status(status).code == code


def test_messages_already_in_the_users_words_are_kept() -> None:
    for code in (SyncError.NOT_REGISTERED, SyncError.BUSY, SyncError.CANCELLED):
        original = SyncError(code, "A sync is already running.")
        assert se.explain(original) is original
    once = se.explain(requests.ConnectionError())
    assert se.explain(once) is once
    plain_http = SyncError(SyncError.TLS, "Head office at {host} would be reached without "
                           "https, which is allowed only on this computer; nothing was sent. "
                           "Register again with the head-office https address.", host="x")
    assert se.explain(plain_http) is plain_http


def test_a_dropped_line_during_sync_is_stored_and_raised_in_the_users_words(
        services, station, sync, hq) -> None:
    hq.faults = ["drop"] * 10
    with pytest.raises(SyncError) as err:
        sync.sync_now()
    assert err.value.code == SyncError.OFFLINE
    text = render(err.value)
    assert "无法连接总部" in text and "ConnectionError" not in text
    stored = sync.status().last_error
    assert stored is not None and render(stored) == text


def test_registration_with_a_wrong_token_says_what_to_do(services, station, hq) -> None:
    from app.services.sync_service import SyncService
    from app.services.sync_token import FileTokenStore
    from tests.sync.station.fake_hq import fake_transport_factory

    svc = SyncService(services.db, services.bus, FileTokenStore(services.paths.root / "t"),
                      transport_factory=fake_transport_factory(hq))
    with pytest.raises(SyncError) as err:
        svc.register(station["manager"], "https://hq.example.com", "BJ001", "wrong")
    assert err.value.code == SyncError.UNAUTHORIZED
    assert "重新注册" in render(err.value)
    assert not svc.is_registered()
