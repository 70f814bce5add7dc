"""The wire format: round trips, validation of what comes in, bounded gzip, batch ids."""

from __future__ import annotations

import gzip

import pytest

from sync import entities as e
from sync import protocol as p


def _op(seq: int, entity: str = "customer") -> p.PushOp:
    return p.PushOp(seq=seq, op_id=f"00000000-0000-0000-0000-{seq:012d}", entity=entity,
                    entity_id="11111111-1111-1111-1111-111111111111", op="upsert",
                    payload={"name": "张三", "seq": seq}, base_revision=seq - 1,
                    created_at="2026-06-01T02:00:00+00:00", action="update", username="clerk")


def test_batch_round_trips_through_gzip_json() -> None:
    batch = p.PushBatch.build("BJ001", [_op(3), _op(4), _op(6)], from_seq=3)
    body = p.encode_body(batch.to_json())
    assert gzip.decompress(body).decode("utf-8").count("张三") == 3
    again = p.PushBatch.from_json(p.decode_body(body, "gzip"))
    assert again == batch
    assert again.batch_id == "BJ001:3:6"
    assert again.station_code == "BJ001"


def test_ack_page_snapshot_health_error_round_trip() -> None:
    ack = p.PushAck("BJ001:1:2", 2, True, (p.OpResult("a", "applied"),
                                          p.OpResult("b", "rejected", "unknown entity")))
    assert p.PushAck.from_json(ack.to_json()) == ack
    assert [r.op_id for r in ack.by_status(p.OpStatus.REJECTED)] == ["b"]
    page = p.PullPage((p.Change(7, "notice", "n1", "upsert", {"title": "t"}),), 7, True)
    assert p.PullPage.from_json(page.to_json()) == page
    snap = p.Snapshot(page.changes, 9)
    assert p.Snapshot.from_json(snap.to_json()) == snap
    health = p.Health((1,), "2026-06-01T02:00:00+00:00")
    assert p.Health.from_json(health.to_json()) == health
    err = p.ErrorBody("gap", "missing ops", expected_seq=5)
    assert p.ErrorBody.from_json(err.to_json()) == err
    assert err.code is p.ErrorCode.GAP
    assert p.ErrorBody("whatever", "").code is None


@pytest.mark.parametrize(
    ("mutate", "complaint"),
    [
        (lambda d: d.update(batch_id="BJ001:1:9"), "does not match"),
        (lambda d: d.update(batch_id="bj001:1:2"), "malformed"),
        (lambda d: d["ops"].reverse(), "out of order"),
        (lambda d: d["ops"][0].update(seq=0), ">= 1"),
        (lambda d: d["ops"][0].update(op="merge"), "'op' must be one of"),
        (lambda d: d["ops"][0].update(payload=[1]), "JSON object"),
        (lambda d: d["ops"][1].update(op_id=d["ops"][0]["op_id"]), "appears twice"),
        (lambda d: d.update(from_seq=True), "integer"),
        (lambda d: d.update(ops="x"), "must be a list"),
    ],
)
def test_bad_batches_are_refused_with_a_reason(mutate, complaint: str) -> None:
    data = p.PushBatch.build("BJ001", [_op(1), _op(2)]).to_json()
    mutate(data)
    with pytest.raises(p.ProtocolError, match=complaint):
        p.PushBatch.from_json(data)


def test_payload_given_as_json_text_is_accepted() -> None:
    data = _op(1).to_json()
    data["payload"] = '{"name": "李四"}'
    assert p.PushOp.from_json(data).payload == {"name": "李四"}


def test_too_many_ops_refused() -> None:
    with pytest.raises(p.ProtocolError, match="at most"):
        p.PushBatch.build("BJ001", [_op(i) for i in range(1, p.MAX_BATCH_OPS + 2)])


def test_gzip_bomb_and_garbage_refused() -> None:
    bomb = gzip.compress(b"[" + b"0," * 2_000_000 + b"0]")
    with pytest.raises(p.ProtocolError, match="larger than"):
        p.decode_body(bomb, "gzip", max_bytes=1_000_000)
    with pytest.raises(p.ProtocolError, match="not valid gzip"):
        p.decode_body(b"not gzip at all", "gzip")
    with pytest.raises(p.ProtocolError, match="truncated"):
        p.decode_body(gzip.compress(b'{"a": 1}')[:-12], "gzip")
    with pytest.raises(p.ProtocolError, match="encoding"):
        p.decode_body(b"{}", "br")
    with pytest.raises(p.ProtocolError, match="UTF-8 JSON"):
        p.decode_body(b"{nope")
    assert p.decode_body(b'{"a": 1}', None) == {"a": 1}


def test_batch_ids_and_headers() -> None:
    assert p.parse_batch_id(p.make_batch_id("GZ02", 501, 1000)) == ("GZ02", 501, 1000)
    for bad in ("GZ02:0:3", "GZ02:5:4", "GZ02:1", "", "G:1:2"):
        with pytest.raises(p.ProtocolError):
            p.parse_batch_id(bad)
    # a device's batch names it; the first device's reads as in protocol 1
    assert p.parse_batch_id_device(p.make_batch_id("GZ02", 1, 9, device=3)) == ("GZ02", 3, 1, 9)
    assert p.make_batch_id("GZ02", 1, 9, device=1) == "GZ02:1:9"
    for bad in ("GZ02/0:1:2", "GZ02/:1:2", "GZ02/12345:1:2"):
        with pytest.raises(p.ProtocolError):
            p.parse_batch_id_device(bad)
    headers = p.auth_headers("tok")
    assert headers == {"Authorization": "Bearer tok",
                       "X-Repair-Station-Protocol": str(p.PROTOCOL_VERSION)}
    assert p.auth_headers("tok", 1)["X-Repair-Station-Protocol"] == "1"
    assert p.bearer_token(headers["Authorization"]) == "tok"
    assert p.bearer_token("Basic abc") is None
    assert p.bearer_token("Bearer ") is None
    assert p.bearer_token(None) is None


def test_entity_table_is_consistent_and_covers_the_outbox() -> None:
    e.check_declarations()
    pushed = {s.name for s in e.station_entities()}
    assert {"station", "user", "customer", "product", "service_order", "repair_record",
            "attachment"} <= pushed
    assert {s.name for s in e.hq_entities()} == {h.value for h in p.HqEntity}
    assert e.spec("service_order").conflict is e.ConflictRule.STATE_MACHINE
    assert e.spec("nonsense") is None
