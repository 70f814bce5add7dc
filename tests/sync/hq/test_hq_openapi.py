"""The published OpenAPI document describes the same messages ``sync.protocol`` puts on the
wire, and every error answer is JSON with ``error`` and ``message``."""

from __future__ import annotations

import uuid

from sync import protocol as p
from sync.hq.schemas import (
    ErrorModel,
    HealthModel,
    PullPageModel,
    PushAckModel,
    PushBatchModel,
    SnapshotModel,
)
from tests.sync.hq.conftest import Hq, op


def test_openapi_lists_endpoints_and_message_models(hq: Hq) -> None:
    doc = hq.client.get("/openapi.json").json()
    assert set(doc["paths"]) == {"/v1/health", "/v1/push", "/v1/pull", "/v1/snapshot",
                                 "/v1/device", "/v1/station-state", "/v1/device/start"}
    schemas = doc["components"]["schemas"]
    for name in ("PushBatchModel", "OpModel", "PushAckModel", "PullPageModel", "SnapshotModel",
                 "ErrorModel", "HealthModel", "DeviceAnswerModel", "StationStatePageModel",
                 "DeviceStartModel", "DeviceInfoModel"):
        assert name in schemas, name
    push = doc["paths"]["/v1/push"]["post"]
    assert push["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/PushBatchModel")
    assert {"200", "401", "403", "409", "426"} <= set(push["responses"])
    assert "410" in doc["paths"]["/v1/pull"]["get"]["responses"]
    assert hq.client.get("/docs").status_code == 200


def test_models_accept_what_the_protocol_module_produces(hq: Hq) -> None:
    st = hq.station("BJ001")
    batch = p.PushBatch.build("BJ001", [op(1, "customer", str(uuid.uuid4()), {"name": "张三"})])
    PushBatchModel.model_validate(batch.to_json())
    ack = hq.push(st, batch).json()
    PushAckModel.model_validate(ack)
    hq.admin.notice("通知", "内容")
    PullPageModel.model_validate(hq.pull(st).json())
    SnapshotModel.model_validate(hq.client.get(p.SNAPSHOT_PATH, headers=st.headers).json())
    HealthModel.model_validate(hq.client.get(p.HEALTH_PATH).json())
    for r in (hq.pull(st, 99), hq.client.get(p.PULL_PATH)):
        body = ErrorModel.model_validate(r.json())
        assert body.error in set(p.ErrorCode)
        assert r.status_code == p.ERROR_STATUS[p.ErrorCode(body.error)]
