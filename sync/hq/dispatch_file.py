"""Reading orders to dispatch from a CSV or JSON file (what a call centre exports).

CSV: a header row naming columns (UTF-8, with or without BOM, as Excel saves it).
JSON: a list of objects, or ``{"orders": [...]}``. Column / key names in both:
customer, phone, address, fault (required: customer, phone, address), type, mode, model,
serial, purchase_date, warranty_months, reference.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from sync.hq.admin import AdminError, DispatchInput

REQUIRED = ("customer", "phone", "address")
OPTIONAL = ("fault", "type", "mode", "model", "serial", "purchase_date", "warranty_months",
            "reference")
MAX_ORDERS = 5000
MAX_FILE_BYTES = 20_000_000


def read_orders(path: Path) -> list[DispatchInput]:
    """The orders in ``path`` (``.csv`` or ``.json``); ``AdminError`` names the bad row."""
    if not path.is_file():
        raise AdminError(f"File {path} was not found.")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise AdminError(f"File {path} is larger than {MAX_FILE_BYTES} bytes.")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise AdminError(f"File {path} is not UTF-8 text; save it as UTF-8 (CSV UTF-8 in "
                         "Excel).") from None
    suffix = path.suffix.lower()
    if suffix == ".csv":
        rows = _csv_rows(text)
    elif suffix == ".json":
        rows = _json_rows(text)
    else:
        raise AdminError(f"File {path} must end in .csv or .json.")
    if not rows:
        raise AdminError(f"File {path} holds no orders.")
    if len(rows) > MAX_ORDERS:
        raise AdminError(f"File {path} holds {len(rows)} orders; at most {MAX_ORDERS} at once.")
    return [_to_input(n, row) for n, row in enumerate(rows, start=1)]


def _csv_rows(text: str) -> list[dict[str, Any]]:
    reader = csv.DictReader(io.StringIO(text))
    fields = [f.strip().lower() for f in (reader.fieldnames or [])]
    _check_keys(fields, "the CSV header")
    rows = []
    for raw in reader:
        if None in raw:
            raise AdminError(f"Row {reader.line_num}: more cells than header columns.")
        row = {k.strip().lower(): (v or "").strip() for k, v in raw.items()}
        if any(row.values()):
            rows.append(row)
    return rows


def _json_rows(text: str) -> list[dict[str, Any]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise AdminError(f"The JSON file is not valid JSON: {exc}") from None
    if isinstance(data, dict):
        data = data.get("orders")
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise AdminError('The JSON file must hold a list of orders (objects), or '
                         '{"orders": [...]}.')
    for n, row in enumerate(data, start=1):
        _check_keys(list(row), f"order {n}")
    return data


def _check_keys(keys: list[str], where: str) -> None:
    unknown = sorted(set(keys) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        raise AdminError(f"Unknown column(s) in {where}: {', '.join(unknown)}. Known: "
                         f"{', '.join(REQUIRED + OPTIONAL)}.")
    missing = [k for k in REQUIRED if k not in keys]
    if missing and where == "the CSV header":
        raise AdminError(f"The CSV header lacks: {', '.join(missing)}.")


def _to_input(n: int, row: dict[str, Any]) -> DispatchInput:
    def text(key: str, default: str = "") -> str:
        value = row.get(key, default)
        if value is None:
            return default
        if not isinstance(value, str | int):
            raise AdminError(f"Order {n}: {key} must be text.")
        return str(value).strip()

    for key in REQUIRED:
        if not text(key):
            raise AdminError(f"Order {n}: {key} is required.")
    months_text = text("warranty_months", "12") or "12"
    try:
        months = int(months_text)
    except ValueError:
        raise AdminError(f"Order {n}: warranty_months {months_text!r} is not a whole "
                         "number.") from None
    return DispatchInput(
        customer=text("customer"), phone=text("phone"), address=text("address"),
        fault=text("fault"), order_type=text("type", "repair") or "repair",
        service_mode=text("mode", "on_site") or "on_site", model=text("model"),
        serial=text("serial"), purchase_date=text("purchase_date"), warranty_months=months,
        reference=text("reference"),
    )
