"""A customer erased at a station (issue 14, item 3): once the station's outbox (its rows
before, the erasure after) reaches head office, head office's database holds none of the
person's name, phone, address or notes, keeps the orders' numbers and the erasure record, and
another station's rows stay as they were."""

from __future__ import annotations

import json

from sqlalchemy import select, text

from app.bootstrap import Services
from app.domain.erasure import ERASED_NAME
from app.services.context import Actor
from app.store.models import OutboxOp
from sync import protocol as p
from sync.hq.models import HqChange, HqOrder, HqRecord
from tests.services.test_customer_privacy import NAME, SECRETS, filled  # noqa: F401
from tests.sync.hq.conftest import Hq, op


def _push_outbox(hq: Hq, services: Services, bj, after: int = 0) -> int:
    with services.db.read() as s:
        rows = list(s.scalars(select(OutboxOp).where(OutboxOp.seq > after)
                              .order_by(OutboxOp.seq)))
    ops = [op(r.seq, r.entity, r.entity_id, json.loads(r.payload), r.op, r.action,
              r.base_revision) for r in rows]
    answer = hq.push(bj, p.PushBatch.build(bj.code, ops))
    assert answer.status_code == 200, answer.text
    assert [r for r in answer.json()["results"] if r["status"] != "applied"] == []
    return rows[-1].seq


HQ_NAME, HQ_ADDRESS = "欧阳娜娜女士", "上海市浦东新区秘密路88号3楼"


def _dispatched(hq: Hq, order_id: str) -> None:
    """As if head office's call centre had dispatched the order: its dispatch payload (with
    the customer as head office wrote him) on the projection and in the change log."""
    dispatch = {"order_id": order_id, "contact_phone": "13987654321",
                "service_address": HQ_ADDRESS, "fault_description": "不制冷",
                "customer": {"name": HQ_NAME, "phones": ["13987654321"],
                             "address": HQ_ADDRESS}}
    with hq.db.write() as s:
        order = s.get(HqOrder, order_id)
        order.customer_name, order.dispatched = HQ_NAME, True
        order.dispatch_payload = json.dumps(dispatch, ensure_ascii=False)
        s.add(HqChange(hq_seq=900, station_id=order.station_id, entity="dispatch_order",
                       entity_id=order_id, op="upsert",
                       payload=json.dumps(dispatch, ensure_ascii=False)))


def _everything(hq: Hq) -> str:
    parts = []
    with hq.db.engine.connect() as conn:
        for table in hq.db.engine.dialect.get_table_names(conn):
            for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                parts += [str(v) for v in row if v is not None]
    return "\n".join(parts)


def test_head_office_erases_its_copy_and_keeps_the_record(
        hq: Hq, services: Services, station: dict[str, Actor],
        filled: dict[str, str]) -> None:  # noqa: F811
    bj = hq.station("BJ001")
    last = _push_outbox(hq, services, bj)
    _dispatched(hq, filled["first"])
    before = _everything(hq)
    assert NAME in before and HQ_NAME in before and "13987654321" in before  # its copies
    services.privacy.erase_customer(station["manager"], filled["customer"], "客户本人",
                                    "依法要求删除")
    _push_outbox(hq, services, bj, last)
    after = _everything(hq)
    assert [x for x in (*SECRETS, HQ_NAME, HQ_ADDRESS) if x in after] == []
    assert "路人甲" in after and "13700001111" in after  # another customer's file stays
    with hq.db.read() as s:
        order = s.get(HqOrder, filled["first"])
        assert order.number == filled["first_number"] and order.contact_phone == ""
        customer = s.scalars(select(HqRecord).where(
            HqRecord.entity_id == filled["customer"])).one()
        assert json.loads(customer.payload)["name"] == ERASED_NAME
        erasure = json.loads(s.scalars(select(HqRecord.payload).where(
            HqRecord.entity == "customer_erasure")).one())
    assert (erasure["requested_by"], erasure["reason"]) == ("客户本人", "依法要求删除")
    assert erasure["customer_id"] == filled["customer"]
