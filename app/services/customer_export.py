"""The customer's export (``CustomerPrivacyService.export_customer``): the rows as JSON-ready
data, the paper built from them, and the .zip (``个人信息.pdf``, ``data.json``, ``photos/``)
written to a temporary file beside the target and renamed into place.
"""

from __future__ import annotations

import json
import os
import re
import zipfile
from collections.abc import Callable
from datetime import datetime, tzinfo
from enum import Enum
from io import BytesIO
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.enums import OrderStatus, OrderType, Payer
from app.domain.errors import RuleViolation
from app.domain.parts import PaymentMethod
from app.domain.payments import PaymentKind
from app.i18n import label
from app.printing.data import Paper, StationHeader
from app.services.customer_records import CustomerRecords
from app.services.journal import row_payload
from app.services.signatures import export_rows
from app.store.models import Notification, User

PDF_NAME = "个人信息.pdf"
JSON_NAME = "data.json"
PHOTOS = "photos"
FORMAT = "repair-station customer export 1"



def _shown(kind: type[Enum], value: Any) -> str:
    """A stored enum value as the paper shows it (its Chinese label); an unknown one as is."""
    try:
        return label(kind(value))
    except ValueError:
        return str(value or "")

def _label(enum: type[Enum], value: str) -> str:
    try:
        return label(enum(value))
    except ValueError:
        return value


def _safe(name: str) -> str:
    """A photo's file name as a member name of the .zip (no folders, no control characters)."""
    clean = re.sub(r"[\\/:*?\"<>|\x00-\x1f]", "_", name).strip(". ") or "photo"
    return clean[-80:]


def collect(s: Session, found: CustomerRecords, now: datetime) -> dict[str, Any]:
    """Every row about the customer, JSON-ready; photos named by where they go in the .zip."""
    c = found.customer
    users = {u.id: u.display_name for u in s.scalars(select(User))}
    payments: dict[str, list[dict[str, Any]]] = {}
    for p in found.payments:
        payments.setdefault(p.order_id, []).append(row_payload(p))
    visits = {v.order_id: row_payload(v, attempts=[row_payload(a) for a in v.attempts])
              for v in found.visits}
    cards: dict[str, list[dict[str, Any]]] = {}
    for card in found.cards:
        photos = [row_payload(ph, file=f"{PHOTOS}/{_safe(card.number)}/"
                                       f"{n:02d}_{_safe(ph.filename)}")
                  for n, ph in enumerate(card.photos, start=1)]
        cards.setdefault(card.order_id or "", []).append(row_payload(card, photos=photos))
    products = {p.id: p for p in found.products}
    signed = export_rows(s, [o.id for o in found.orders])
    orders = []
    for o in found.orders:
        product = products.get(o.product_id or "")
        orders.append(row_payload(
            o, technician_name=users.get(o.technician_id or "", ""),
            product_model=product.model if product else "",
            serial_no=product.serial_no if product else "",
            charge_lines=[row_payload(line) for line in o.charge_lines],
            repair_records=[row_payload(r, technician_name=users.get(r.technician_id or "", ""))
                            for r in o.repair_records],
            attachments=[row_payload(a, file=f"{PHOTOS}/{_safe(o.number)}/"
                                             f"{n:02d}_{_safe(a.filename)}")
                         for n, a in enumerate(o.attachments, start=1)],
            payments=payments.get(o.id, []), return_visit=visits.get(o.id),
            feedback_cards=cards.get(o.id, []), signatures=signed.get(o.id, [])))
    return {
        "format": FORMAT,
        "exported_at": now.isoformat(),
        "customer": row_payload(c, phones=[p.number for p in c.phones]),
        "products": [row_payload(p) for p in found.products],
        "orders": orders,
        "sales": [row_payload(x, lines=[row_payload(line) for line in x.lines])
                  for x in found.sales],
        "erasures": [row_payload(e) for e in found.erasures],
        "notifications": [row_payload(n) for n in s.scalars(
            select(Notification).where(Notification.customer_id == c.id)
            .order_by(Notification.created_at, Notification.id))],
    }


def _when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def to_sheet(data: dict[str, Any], station: StationHeader, now: datetime,
             tz: tzinfo | None = None) -> Any:
    """The paper's sheet (``app.printing.personal_data``) from ``collect``'s data."""
    from app.printing.personal_data import (
        ChargeLine,
        OrderRecord,
        PersonalDataSheet,
        ProductLine,
        SaleRecord,
    )

    c = data["customer"]
    orders = []
    for o in data["orders"]:
        repairs = tuple(
            "\n".join(x for x in (r.get("technician_name", ""), r["diagnosis"], r["actions"])
                      if x) for r in o["repair_records"] if not r.get("voided_at"))
        payments = tuple(f"{p['received_at'][:10]} {_shown(PaymentKind, p['kind'])} "
                         f"{_shown(PaymentMethod, p['method'])} "
                         f"¥{p['amount_fen'] / 100:.2f} {p['reason']}".strip()
                         for p in o["payments"])
        visit = o["return_visit"]
        visit_text = ""
        if visit:
            scores = [str(visit.get(k) or "-") for k in
                      ("speed_score", "attitude_score", "quality_score", "price_score")]
            visit_text = " / ".join(scores) + (f"\n{visit['comments']}" if visit["comments"]
                                               else "")
        feedback = tuple("\n".join(x for x in (f["number"], f["fault_phenomenon"],
                                                f["customer_opinion"]) if x)
                         for f in o["feedback_cards"])
        orders.append(OrderRecord(
            number=o["number"], order_type=_label(OrderType, o["order_type"]),
            status=_label(OrderStatus, o["status"]), called_at=_when(o["called_at"]),
            closed_at=_when(o["closed_at"]),
            product=" ".join(x for x in (o["product_model"], o["serial_no"]) if x),
            contact_phone=o["contact_phone"], service_address=o["service_address"],
            fault=o["fault_description"], technician=o["technician_name"], repairs=repairs,
            charges=tuple(ChargeLine(line["description"], line["quantity"],
                                     line["quantity"] * line["unit_price_fen"],
                                     _label(Payer, line["payer"]))
                          for line in o["charge_lines"]),
            payments=payments, visit=visit_text, feedback=feedback,
            photos=len([a for a in o["attachments"] if not a.get("voided_at")])))
    sales = tuple(SaleRecord(x["number"], _when(x["sold_at"]),
                             sum(line["quantity"] * line["unit_price_fen"] for line in x["lines"])
                             - x["discount_fen"], x["customer_name"], x["customer_phone"])
                  for x in data["sales"])
    return PersonalDataSheet(
        station=station, number=c["id"], printed_at=now, name=c["name"],
        phones=tuple(c["phones"]), address=c["address"], notes=c["notes"],
        created_at=_when(c["created_at"]), erased_at=_when(c.get("erased_at")),
        products=tuple(ProductLine(p["model"], p["serial_no"], p["purchase_date"] or "",
                                   p["invoice_no"]) for p in data["products"]),
        orders=tuple(orders), sales=sales, tz=tz)


def _photos(data: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for o in data["orders"]:
        out += o["attachments"]
        for card in o["feedback_cards"]:
            out += card["photos"]
    return out


def write_zip(target: Path, data: dict[str, Any], station: StationHeader, now: datetime,
              tz: tzinfo | None, read_photo: Callable[[str], bytes]) -> tuple[int, int, int]:
    """Writes the .zip (whole or not at all); (orders, photos written, photos missing)."""
    from app.printing.personal_data import render

    if target.suffix.lower() != ".zip":
        raise RuleViolation("The export is a .zip file; give a name ending in .zip.",
                            field="target")
    if not target.parent.is_dir():
        raise RuleViolation("The folder {folder} does not exist.", field="target",
                            folder=str(target.parent))
    written = missing = 0
    partial = target.with_name(f".{target.name}.partial")
    try:
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
            used: set[str] = set()
            for photo in _photos(data):
                name = photo["file"]
                while name in used:
                    name = name.replace("/", "/_", 1) if "/" in name else "_" + name
                try:
                    content = read_photo(photo["sha256"])
                except (OSError, RuleViolation):  # missing, foreign or damaged here
                    photo["file"] = None  # named in data.json, its file is gone
                    missing += 1
                    continue
                photo["file"] = name
                used.add(name)
                archive.writestr(name, content)
                written += 1
            archive.writestr(JSON_NAME, json.dumps(data, ensure_ascii=False, indent=2))
            pdf = BytesIO()
            render(to_sheet(data, station, now, tz), Paper.A4, pdf)
            archive.writestr(PDF_NAME, pdf.getvalue())
        with open(partial, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return len(data["orders"]), written, missing
