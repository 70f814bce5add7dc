"""The loopback-only rule for plain http holds on every request, not only at registration
(issue 8, case 7): a stored address changed to plain http elsewhere sends nothing."""

from __future__ import annotations

import pytest
import requests

from app.i18n import render
from app.store.models.sync import SINGLETON_ID, SyncRegistration
from sync import protocol as p
from sync.client import ClientConfig, HqTransport, SyncError


def test_sync_refuses_a_stored_plain_http_address_before_sending(services, station, sync,
                                                                 hq) -> None:
    with services.db.write() as s:
        s.get(SyncRegistration, SINGLETON_ID).hq_url = "http://hq.example.com"
    before = hq.requests
    with pytest.raises(SyncError) as err:
        sync.sync_now()
    assert err.value.code == SyncError.TLS
    assert hq.requests == before  # not one request: the token never left the station
    text = render(err.value)
    assert "https" in text and "未发送任何数据" in text
    assert "hq.example.com" in text


class _Refuse(requests.Session):
    def request(self, *args, **kwargs):  # type: ignore[no-untyped-def,override]
        raise AssertionError("a request was sent")


@pytest.mark.parametrize("url", ["http://hq.example.com", "http://10.1.2.3:8000",
                                 "ftp://127.0.0.1", "HTTP://hq.example.com"])
def test_every_request_checks_the_transport_rule(url: str) -> None:
    transport = HqTransport(ClientConfig(url, "tok"), session=_Refuse())
    calls = (transport.health, lambda: transport.pull(0, 1), transport.snapshot,
             lambda: transport.push(p.PushBatch("BJ001:1:1", 1, 1, ())))
    for call in calls:
        with pytest.raises(SyncError) as err:
            call()
        assert err.value.code == SyncError.TLS


def test_plain_http_on_this_computer_is_still_allowed() -> None:
    sent = []

    class _Record(requests.Session):
        def request(self, method, url, **kwargs):  # type: ignore[no-untyped-def,override]
            sent.append(url)
            raise requests.exceptions.ConnectionError("down")

    config = ClientConfig("http://127.0.0.1:9", "tok", attempts=1)
    with pytest.raises(SyncError) as err:
        HqTransport(config, session=_Record()).health()
    assert err.value.code == SyncError.OFFLINE
    assert sent == ["http://127.0.0.1:9/v1/health"]
