"""A device that had not seen an erasure sends a row of the erased person afterwards (his
order moved on offline, a message queued to him): head office keeps it and hands it on
without his data, as the erasure left his other rows (PIPL)."""

from __future__ import annotations

import json

from sqlalchemy import select

from sync.hq.models import HqRecord
from tests.sync.hq.conftest import Hq
from tests.sync.hq.test_hq_devices import _add, _first, _pull, _push

CUSTOMER = "11111111-2222-4333-8444-555555555555"
ORDER = "21111111-2222-4333-8444-555555555555"
MESSAGE = "31111111-2222-4333-8444-555555555555"


def _record(hq: Hq, entity: str, entity_id: str) -> dict:
    with hq.db.read() as s:
        text = s.scalar(select(HqRecord.payload).where(HqRecord.entity == entity,
                                                       HqRecord.entity_id == entity_id))
    return json.loads(text)


def test_a_late_row_of_an_erased_person_is_kept_without_his_data(hq: Hq) -> None:
    counter, laptop = _first(hq), _add(hq)
    person = {"id": CUSTOMER, "name": "张三", "address": "北京市海淀区1号", "notes": "",
              "revision": 1, "phones": ["13900001111"], "erased_at": None}
    order = {"id": ORDER, "number": "SO-BJ001-20260601-0001", "status": "received",
             "customer_id": CUSTOMER, "contact_phone": "13900001111",
             "contact_digits": "13900001111", "service_address": "北京市海淀区1号",
             "revision": 1}
    assert _push(hq, counter, counter.op("customer", CUSTOMER, person),
                 counter.op("service_order", ORDER, order)).status_code == 200
    _pull(hq, laptop)  # the laptop has the person and his order, then goes offline
    # the counter PC erases him: the record first, then the tombstones
    erased = {**person, "name": "（已删除）", "address": "", "phones": [], "revision": 2,
              "erased_at": "2026-06-02T10:00:00+00:00"}
    blank = {**order, "contact_phone": "", "contact_digits": "", "service_address": "",
             "revision": 2}
    event = {"id": "e" + CUSTOMER[1:], "customer_id": CUSTOMER, "order_ids": [ORDER],
             "product_ids": [], "sale_ids": [], "row_ids": [ORDER],
             "erased_at": "2026-06-02T10:00:00+00:00", "requested_by": "本人", "reason": "要求"}
    assert _push(hq, counter, counter.op("customer_erasure", event["id"], event, kind="event"),
                 counter.op("customer", CUSTOMER, erased),
                 counter.op("service_order", ORDER, blank)).status_code == 200
    # offline, the laptop took the order on and queued a message to him, then syncs
    moved = {**order, "status": "accepted", "revision": 2}
    message = {"id": MESSAGE, "customer_id": CUSTOMER, "order_id": ORDER, "event": "booked",
               "channel": "sms", "recipient": "13900001111", "params": "{}",
               "state": "queued", "revision": 1}
    answer = _push(hq, laptop, laptop.op("service_order", ORDER, moved),
                   laptop.op("notification", MESSAGE, message))
    assert answer.status_code == 200
    held_order, held_message = _record(hq, "service_order", ORDER), _record(
        hq, "notification", MESSAGE)
    assert held_message["recipient"] == "" and held_message["event"] == "booked"
    assert "13900001111" not in json.dumps(held_order, ensure_ascii=False)
    relayed = [c for c in _pull(hq, counter) if c.entity in ("service_order", "notification")]
    assert relayed and all("13900001111" not in json.dumps(c.payload) for c in relayed)
