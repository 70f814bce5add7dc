"""The served OpenAPI document as the server behaves, where FastAPI's defaults say otherwise.

FastAPI cannot see that the protocol header is checked by hand (missing: 426), that the token
travels as a bearer scheme, or that request validation answers 400 (``bad_request``), never
422. ``tests/sync/hq/test_hq_openapi_fuzz.py`` runs a schema fuzzer against the result.
"""

from __future__ import annotations

from typing import Any

from sync import protocol as p

SCHEME = "stationToken"
_PROTOCOL_PARAM = p.PROTOCOL_HEADER.lower()
_ERROR_REF = {"$ref": "#/components/schemas/ErrorModel"}


def conform(doc: dict[str, Any]) -> dict[str, Any]:
    """``doc`` (FastAPI's generated document) corrected in place, and returned."""
    components = doc.setdefault("components", {})
    components.setdefault("securitySchemes", {})[SCHEME] = {
        "type": "http", "scheme": "bearer",
        "description": "the device's token (a station's first device: `repair-station-hq "
                       "add-station`; its others: `add-device`); missing or unknown: 401, "
                       "revoked (the station or this device): 403"}
    schemas = components.get("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    for path, item in doc.get("paths", {}).items():
        for operation in item.values():
            operation.get("responses", {}).pop("422", None)
            params = operation.get("parameters", [])
            if path == p.HEALTH_PATH:
                continue
            operation["parameters"] = [x for x in params
                                       if not (x.get("in") == "header"
                                               and x.get("name") == "authorization")]
            operation["security"] = [{SCHEME: []}]
            for param in operation["parameters"]:
                if param.get("in") == "header" and param.get("name") == _PROTOCOL_PARAM:
                    param["required"] = True
                    param["schema"] = {"type": "string", "title": "Protocol"}
                    param["description"] = (
                        f"the sync protocol version the client speaks ({p.PROTOCOL_VERSION}); "
                        "missing or older than head office's minimum: 426, one head office "
                        "does not speak yet: 400")
            responses = operation.setdefault("responses", {})
            for status in ("400", "401", "403", "426"):
                responses.setdefault(status, {
                    "description": "an error",
                    "content": {"application/json": {"schema": _ERROR_REF}}})
    return doc
