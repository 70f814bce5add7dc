"""Who may talk to head office: the station comes from the token, never the body; revoked,
rotated and unknown tokens; protocol versions."""

from __future__ import annotations

from sqlalchemy import func, select

from sync import protocol as p
from sync.hq.admin import DispatchInput
from sync.hq.auth import token_hash
from sync.hq.models import HqReceivedOp, HqRecord, HqStation
from tests.sync.hq.conftest import Hq, op


def test_health_needs_no_token(hq: Hq) -> None:
    r = hq.client.get(p.HEALTH_PATH)
    assert r.status_code == 200
    health = p.Health.from_json(r.json())
    assert health.protocols == (1, 2) and health.server_time.startswith("2026-06-01T02:00")


def test_token_is_stored_only_as_its_hash(hq: Hq) -> None:
    st = hq.station("BJ001")
    with hq.db.read() as s:
        stored = s.scalar(select(HqStation.token_hash))
    assert stored == token_hash(st.token) and st.token not in stored
    assert len(st.token) >= 40


def test_station_a_cannot_write_as_b_even_if_the_body_says_b(hq: Hq) -> None:
    a, b = hq.station("BJ001"), hq.station("SH002")
    r = hq.push(b, p.PushBatch.build("SH002", b.ops(1)), token=a.token)
    assert r.status_code == 400
    assert "token belongs to station BJ001" in r.json()["message"]
    with hq.db.read() as s:
        assert s.scalar(select(func.count()).select_from(HqReceivedOp)) == 0


def test_station_a_cannot_overwrite_bs_rows(hq: Hq) -> None:
    a, b = hq.station("BJ001"), hq.station("SH002")
    theirs = b.ops(1)[0]
    hq.push(b, p.PushBatch.build("SH002", [theirs]))
    hijack = op(1, "customer", theirs.entity_id, {"name": "被改"})
    order_b = op(2, "service_order", "9" * 8 + "-0000-0000-0000-000000000001",
                 {"number": "SO-SH002-20260601-0001", "status": "received"})
    hq.push(b, p.PushBatch.build("SH002", [op(2, order_b.entity, order_b.entity_id,
                                              order_b.payload)]))
    r = hq.push(a, p.PushBatch.build("BJ001", [hijack, order_b]))
    results = p.PushAck.from_json(r.json()).results
    assert [x.status for x in results] == ["rejected", "rejected"]
    assert "belongs to another station" in results[0].reason
    assert "belongs to another station" in results[1].reason
    with hq.db.read() as s:
        rec = s.scalar(select(HqRecord).where(HqRecord.entity_id == theirs.entity_id))
        assert '"客户1"' in rec.payload


def test_station_a_never_reads_bs_changes(hq: Hq) -> None:
    a, b = hq.station("BJ001"), hq.station("SH002")
    hq.admin.dispatch("SH002", [_order()])
    hq.admin.notice("给上海", "只给SH002", "SH002")
    hq.admin.notice("全体", "所有站")
    seen_a = hq.pull(a).json()["changes"]
    seen_b = hq.pull(b).json()["changes"]
    assert [(c["entity"], c["payload"].get("title")) for c in seen_a] == [("notice", "全体")]
    assert [c["entity"] for c in seen_b] == ["dispatch_order", "notice", "notice"]
    snap_a = hq.client.get(p.SNAPSHOT_PATH, headers=a.headers).json()
    assert [c["entity"] for c in snap_a["changes"]] == ["notice"]


def test_revoked_token_gets_403_and_rotation_restores(hq: Hq) -> None:
    st = hq.station("BJ001")
    hq.admin.revoke_station("BJ001")
    for r in (hq.pull(st), hq.push(st, p.PushBatch.build("BJ001", st.ops(1))),
              hq.client.get(p.SNAPSHOT_PATH, headers=st.headers)):
        assert r.status_code == 403
        assert r.json()["error"] == "revoked"
        assert "revoked" in r.json()["message"]
    new = hq.admin.rotate_token("BJ001")
    assert hq.pull(st).status_code == 401  # the revoked token stays dead
    st.token = new
    assert hq.pull(st).status_code == 200


def test_rotated_token_replaces_the_old_one(hq: Hq) -> None:
    st = hq.station("BJ001")
    old = st.token
    st.token = hq.admin.rotate_token("BJ001")
    assert st.token != old
    r = hq.client.get(p.PULL_PATH, headers=p.auth_headers(old))
    assert r.status_code == 401 and r.json()["error"] == "unauthorized"
    assert hq.pull(st).status_code == 200


def test_missing_or_unknown_token_is_401(hq: Hq) -> None:
    hq.station("BJ001")
    header = {p.PROTOCOL_HEADER: "1"}
    assert hq.client.get(p.PULL_PATH, headers=header).status_code == 401
    for auth in ("Bearer nonsense", "Basic dXNlcjpwdw==", "Bearer"):
        r = hq.client.get(p.PULL_PATH, headers={**header, "Authorization": auth})
        assert r.status_code == 401, auth
        assert set(r.json()) == {"error", "message"}


def test_old_protocol_gets_426_before_anything_else(hq: Hq) -> None:
    st = hq.station("BJ001")
    for version in (None, "0", "abc"):
        headers = {"Authorization": f"Bearer {st.token}"}
        if version is not None:
            headers[p.PROTOCOL_HEADER] = version
        r = hq.client.get(p.PULL_PATH, headers=headers)
        assert r.status_code == 426, version
        assert r.json()["error"] == "upgrade_required"
        assert r.json()["min_protocol"] == 1
        assert "upgrade" in r.json()["message"]
    # even with a bad token the answer is "upgrade", which is what the user must do first
    r = hq.client.get(p.PULL_PATH, headers={p.PROTOCOL_HEADER: "0"})
    assert r.status_code == 426
    r = hq.client.get(p.PULL_PATH, headers=p.auth_headers(st.token, protocol=7))
    assert r.status_code == 400 and "protocol 7" in r.json()["message"]


def _order() -> DispatchInput:
    return DispatchInput("王五", "13912345678", "上海市浦东新区", "洗衣机不脱水")
