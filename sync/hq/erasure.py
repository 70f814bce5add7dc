"""A customer's personal data erased at a station (the ``customer_erasure`` event, issue 14):
head office erases its copy too, in the push's transaction.

The event names the customer file and the ids of every row of his that head office may hold
(products, orders, their repair records, photos, payments, visits, feedback cards, sales); it
carries no personal data. Head office first gathers the person's values from what it still
keeps of those rows (the order projection's name and phone, dispatch payloads, stored records,
refused ops), then replaces the personal fields (``app.domain.erasure``) and masks those
values everywhere it keeps them for that station: its records, the order projection and its
dispatch payload, the change log's payloads about the orders, refused ops, conflicts and their
settlements, the stored acknowledgements. The event itself stays as the generic record (who
erased, who asked, why, when) like any station row.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.domain.erasure import (
    CUSTOMER_FIELDS,
    ERASED_NAME,
    PERSONAL_FIELDS,
    scrub_payload,
    scrub_text,
    scrub_value,
    secrets_of,
)
from sync.hq.models import (
    HqBatch,
    HqChange,
    HqConflict,
    HqConflictSettlement,
    HqOrder,
    HqReceivedOp,
    HqRecord,
    HqRejectedOp,
)

ENTITY = "customer_erasure"
_CHUNK = 500


def _ids(payload: dict[str, Any], key: str) -> set[str]:
    value = payload.get(key)
    return {v for v in value if isinstance(v, str) and v} if isinstance(value, list) else set()


def _chunks(values: Iterable[str]) -> Iterable[list[str]]:
    items = sorted(values)
    for i in range(0, len(items), _CHUNK):
        yield items[i:i + _CHUNK]


def _load(text: str) -> Any:
    try:
        return json.loads(text) if text else None
    except ValueError:
        return None


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _personal_values(payload: Any, customer: bool = False) -> list[Any]:
    """The values of the personal fields inside ``payload`` (nested too)."""
    out: list[Any] = []
    if isinstance(payload, dict):
        fields = CUSTOMER_FIELDS if customer else PERSONAL_FIELDS
        for key, value in payload.items():
            if key in fields:
                out.append(value)
            elif key == "customer" and isinstance(value, dict):
                out += _personal_values(value, customer=True)
            else:
                out += _personal_values(value)
    elif isinstance(payload, list):
        for value in payload:
            out += _personal_values(value, customer)
    return out


def erase(s: Session, station_id: int, payload: dict[str, Any]) -> None:
    """Erases head office's copy of the customer named by the ``customer_erasure`` payload."""
    customer_id = payload.get("customer_id")
    if not isinstance(customer_id, str) or not customer_id:
        return
    orders = _ids(payload, "order_ids")
    ids = {customer_id} | orders | _ids(payload, "product_ids") | _ids(payload, "sale_ids") \
        | _ids(payload, "row_ids")
    records = [r for chunk in _chunks(ids) for r in s.scalars(
        select(HqRecord).where(HqRecord.station_id == station_id,
                               HqRecord.entity_id.in_(chunk),
                               HqRecord.entity != ENTITY))]
    projections = [o for chunk in _chunks(orders) for o in s.scalars(
        select(HqOrder).where(HqOrder.station_id == station_id, HqOrder.id.in_(chunk)))]
    changes = [c for chunk in _chunks(orders) for c in s.scalars(
        select(HqChange).where(HqChange.entity_id.in_(chunk),
                               or_(HqChange.station_id == station_id,
                                   HqChange.station_id.is_(None))))]
    refused = [r for chunk in _chunks(ids) for r in s.scalars(
        select(HqRejectedOp).where(HqRejectedOp.station_id == station_id,
                                   HqRejectedOp.entity_id.in_(chunk)))]
    # the person's values, from every copy head office still holds
    values: list[Any] = []
    for r in records:
        values += _personal_values(_load(r.payload), customer=r.entity == "customer")
    for o in projections:
        values += [o.customer_name, o.contact_phone, *_personal_values(_load(o.dispatch_payload))]
    for c in changes:
        values += _personal_values(_load(c.payload))
    for r in refused:
        values += _personal_values(_load(r.payload), customer=r.entity == "customer")
    secrets = [x for x in secrets_of(values) if x != ERASED_NAME]

    for r in records:
        r.payload = _dump(scrub_payload(_load(r.payload) or {}, secrets,
                                        customer=r.entity == "customer"))
    for o in projections:
        o.customer_name = ERASED_NAME if o.customer_name else ""
        o.contact_phone = ""
        if o.dispatch_payload:
            o.dispatch_payload = _dump(scrub_payload(_load(o.dispatch_payload) or {}, secrets))
        o.cancel_reason = scrub_text(o.cancel_reason, secrets)
    for c in changes:
        c.payload = _dump(scrub_payload(_load(c.payload) or {}, secrets))
    for r in refused:
        loaded = _load(r.payload)
        r.payload = (_dump(scrub_payload(loaded, secrets, customer=r.entity == "customer"))
                     if loaded is not None else scrub_text(r.payload, secrets))
        r.reason = scrub_text(r.reason, secrets)
    for op in (o for chunk in _chunks(ids) for o in s.scalars(
            select(HqReceivedOp).where(HqReceivedOp.station_id == station_id,
                                       HqReceivedOp.entity_id.in_(chunk)))):
        op.reason = scrub_text(op.reason, secrets)
    if not secrets:
        return
    likes = [HqConflict.detail.contains(x, autoescape=True) for x in secrets]
    conflicts = {c.id: c for c in s.scalars(select(HqConflict).where(
        HqConflict.station_id == station_id,
        or_(HqConflict.subject_id.in_(sorted(ids)[:_CHUNK]), *likes)))}
    for c in conflicts.values():
        c.detail = scrub_text(c.detail, secrets)
        settled = s.get(HqConflictSettlement, c.id)
        if settled is not None:
            settled.fields = _dump(scrub_value(_load(settled.fields) or {}, secrets))
            if settled.resolution:
                settled.resolution = _dump(scrub_value(_load(settled.resolution) or {}, secrets))
            settled.note = scrub_text(settled.note, secrets)
    for batch in s.scalars(select(HqBatch).where(
            HqBatch.station_id == station_id,
            or_(*[HqBatch.ack_json.contains(x, autoescape=True) for x in secrets]))):
        batch.ack_json = scrub_text(batch.ack_json, secrets)


#: what an erasure blanks in a row of the person that a device wrote before it had seen the
#: erasure (its later op, accepted or merged): kept so, head office would hold him again
LATE_FIELDS: dict[str, dict[str, Any]] = {
    "service_order": {"contact_phone": "", "contact_digits": "", "service_address": ""},
    "notification": {"recipient": ""},
    "order_signature": {"image_png": "", "signer_name": ""},
    "sale": {"customer_phone": "", "customer_name": ERASED_NAME},
}


def late_fields(entity: str, payload: dict[str, Any]) -> dict[str, Any]:
    """The fields of the person a row of ``entity`` still carries (empty: none, or not a
    row that names one)."""
    fields = LATE_FIELDS.get(entity, {})
    return {k: v for k, v in fields.items() if payload.get(k) not in (None, "", v)}


def customer_of(payload: dict[str, Any], order_payload: dict[str, Any] | None) -> str:
    """The customer a row belongs to: its own ``customer_id``, else its order's."""
    found = payload.get("customer_id") or (order_payload or {}).get("customer_id")
    return str(found or "")


def is_erased(customer_payload: str | None) -> bool:
    data = _load(customer_payload) if customer_payload else None
    return isinstance(data, dict) and bool(data.get("erased_at"))

