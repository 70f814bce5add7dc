"""The station key as people meet it (issue 14 item 1): the recovery key shown at set-up until
a manager says it is saved, shown again to a manager who types his password (a wrong one
counts towards the lockout), refused to other roles, audited without the key itself, and
where this PC keeps it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.bootstrap import Services
from app.domain.errors import RuleViolation
from app.services.context import Actor
from app.services.errors import LoginFailed, PermissionDenied
from app.services.users import MAX_FAILURES
from app.store import store_encryption
from app.store.models import AuditEntry
from app.store.store_key import StoreKey
from tests.conftest import PASSWORD, ManualClock


def _audit(services: Services, entity: str = "store_key") -> list[AuditEntry]:
    with services.db.read() as s:
        rows = list(s.scalars(select(AuditEntry).where(AuditEntry.entity == entity)
                              .order_by(AuditEntry.at)))
        s.expunge_all()
        return rows


def test_a_new_station_shows_its_recovery_key_until_a_manager_saves_it(
        services: Services, station: dict[str, Actor]) -> None:
    keys = services.store_keys
    assert services.db.key is not None
    assert keys.recovery_pending()
    text = keys.recovery_key_for_setup()
    assert StoreKey.from_recovery_text(text) == services.db.key
    assert len(text.split("-")) == 9

    keys.acknowledge(station["manager"])

    assert not keys.recovery_pending()
    assert not (services.paths.root / store_encryption.RECOVERY_PENDING).exists()
    with pytest.raises(RuleViolation):
        keys.recovery_key_for_setup()
    saved = _audit(services)
    assert [(a.action, a.username) for a in saved] == [("recovery_key_saved", "boss")]
    assert saved[0].entity_id == services.db.key.key_id


def test_only_a_manager_sees_or_saves_the_key(services: Services,
                                              station: dict[str, Actor]) -> None:
    for who in ("clerk", "tech"):
        with pytest.raises(PermissionDenied):
            services.store_keys.recovery_key(station[who], PASSWORD)
        with pytest.raises(PermissionDenied):
            services.store_keys.acknowledge(station[who])
    assert services.store_keys.recovery_pending()
    assert _audit(services) == []


def test_the_manager_sees_the_key_again_with_his_password_and_it_is_audited(
        services: Services, station: dict[str, Actor]) -> None:
    text = services.store_keys.recovery_key(station["manager"], PASSWORD)
    assert StoreKey.from_recovery_text(text) == services.db.key
    [entry] = _audit(services)
    assert entry.action == "view_recovery_key"
    assert text not in entry.detail and services.db.key.key_id == entry.entity_id


def test_a_wrong_password_counts_towards_the_lockout(services: Services, clock: ManualClock,
                                                     station: dict[str, Actor]) -> None:
    boss = station["manager"]
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(RuleViolation) as err:
            services.store_keys.recovery_key(boss, "wrong-password")
        assert err.value.field == "password"
        assert "wrong" in err.value.template
    with pytest.raises(RuleViolation) as err:
        services.store_keys.recovery_key(boss, "wrong-password")
    assert "locked" in err.value.template
    # the right password is refused too while locked, and the log-in as well
    with pytest.raises(RuleViolation, match="locked"):
        services.store_keys.recovery_key(boss, PASSWORD)
    with pytest.raises(LoginFailed, match="locked"):
        services.users.login("boss", PASSWORD)
    refused = [a.action for a in _audit(services)]
    assert refused == ["view_recovery_key_refused"] * MAX_FAILURES
    assert [a.action for a in _audit(services, "user") if a.action == "locked"] == ["locked"]
    clock.now += timedelta(minutes=16)
    assert services.store_keys.recovery_key(boss, PASSWORD)


def test_the_settings_page_learns_where_the_key_is_kept(services: Services) -> None:
    found = services.store_keys.protection()
    assert found.encrypted
    assert found.key_id == services.db.key.key_id
    # the tests keep keys in a user-only file (REPAIR_STATION_KEY_FILE_ONLY), never the keyring
    assert not found.protected_by_os
    assert found.where.endswith(".key")


def test_the_paper_is_built_only_for_this_stations_key(services: Services,
                                                       station: dict[str, Actor]) -> None:
    text = services.store_keys.recovery_key_for_setup()
    sheet = services.store_keys.sheet(text.replace("-", " ").lower())
    assert sheet.recovery_key == text and sheet.station_code == "BJ001"
    assert sheet.key_id == services.db.key.key_id and len(sheet.groups) == 9
    with pytest.raises(RuleViolation):
        services.store_keys.sheet(StoreKey.generate().recovery_text())
