"""The served OpenAPI document is what the server does (issue 8, case 10): a schema fuzzer
(schemathesis) sends requests made from /openapi.json, with a station's token and without,
and fails on a 5xx, a status the document does not declare, or an answer that does not match
its declared schema. Bounded: a few dozen requests per operation and backend."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from sync import protocol as p
from tests.sync.hq.conftest import Hq

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


@pytest.fixture
def served(hq: Hq) -> Any:
    hq.station("BJ001")
    return schemathesis.openapi.from_asgi("/openapi.json", hq.client.app)


@pytest.fixture
def token(hq: Hq) -> str:
    return hq.station("SH002").token


schema = schemathesis.pytest.from_fixture("served")


@schema.parametrize()
@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_served_document_matches_the_server(case: Any, token: str) -> None:
    case.call_and_validate(checks=CHECKS)
    if case.path != p.HEALTH_PATH:
        headers = dict(case.headers or {})
        headers.update({p.AUTH_HEADER: f"{p.BEARER} {token}",
                        p.PROTOCOL_HEADER: str(p.PROTOCOL_VERSION)})
        case.call_and_validate(headers=headers, checks=CHECKS)


def test_document_declares_the_header_the_scheme_and_no_422(hq: Hq) -> None:
    doc = hq.client.get("/openapi.json").json()
    assert doc["components"]["securitySchemes"]["stationToken"] == {
        "type": "http", "scheme": "bearer",
        "description": doc["components"]["securitySchemes"]["stationToken"]["description"]}
    for path in (p.PUSH_PATH, p.PULL_PATH, p.SNAPSHOT_PATH):
        (operation,) = doc["paths"][path].values()
        header = next(x for x in operation["parameters"]
                      if x["name"] == p.PROTOCOL_HEADER.lower())
        assert header["required"] is True
        assert {"400", "401", "403", "426"} <= set(operation["responses"])
        assert "422" not in operation["responses"]
        assert operation["security"] == [{"stationToken": []}]
        r = hq.client.request(next(iter(doc["paths"][path])).upper(), path)
        assert r.status_code == 426
    assert "HTTPValidationError" not in doc["components"]["schemas"]
