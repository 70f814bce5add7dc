"""Set-up, login with lockout, user management permissions, password hashing."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.domain.enums import Role
from app.domain.errors import RuleViolation
from app.services.errors import LoginFailed, PermissionDenied
from app.services.passwords import hash_password, verify_password
from app.services.users import NewStation, NewUser
from app.store.models import OutboxOp, User
from tests.conftest import PASSWORD


def test_fresh_folder_needs_setup_and_bad_setup_stores_nothing(services) -> None:
    assert services.users.needs_setup()
    with pytest.raises(RuleViolation) as err:
        services.users.set_up_station(
            NewStation("bj 1", "站", "", ""), NewUser("boss", "张", Role.MANAGER, PASSWORD)
        )
    assert err.value.field == "code"
    with pytest.raises(RuleViolation) as err:
        services.users.set_up_station(
            NewStation("BJ1", "站", "", ""), NewUser("boss", "张", Role.MANAGER, "short")
        )
    assert err.value.field == "password"
    assert services.users.needs_setup() and services.users.station() is None


def test_setup_makes_a_manager_whatever_role_is_asked(services) -> None:
    _, user = services.users.set_up_station(
        NewStation("bj1", "站", "", "13800000000"), NewUser("Boss", "张", Role.CLERK, PASSWORD)
    )
    assert user.role is Role.MANAGER and user.username == "boss"
    assert services.users.station().code == "BJ1"
    assert not services.users.needs_setup()
    with pytest.raises(RuleViolation):
        services.users.set_up_station(
            NewStation("BJ2", "站", "", ""), NewUser("b2", "李", Role.MANAGER, PASSWORD)
        )


def test_lockout_after_five_failures_for_fifteen_minutes(services, station, clock) -> None:
    for _ in range(4):
        with pytest.raises(LoginFailed):
            services.users.login("clerk", "wrong-password")
    services.users.login("clerk", PASSWORD)  # success resets the count
    for _ in range(5):
        with pytest.raises(LoginFailed):
            services.users.login("clerk", "wrong-password")
    with pytest.raises(LoginFailed) as err:
        services.users.login("clerk", PASSWORD)
    assert "locked" in str(err.value)
    clock.now += timedelta(minutes=14, seconds=59)
    with pytest.raises(LoginFailed):
        services.users.login("clerk", PASSWORD)
    clock.now += timedelta(seconds=2)
    assert services.users.login("clerk", PASSWORD).role is Role.CLERK


def test_unknown_user_gets_the_same_message(services, station) -> None:
    with pytest.raises(LoginFailed) as unknown:
        services.users.login("nobody", PASSWORD)
    with pytest.raises(LoginFailed) as wrong:
        services.users.login("clerk", "nope-nope")
    assert str(unknown.value) == str(wrong.value)


def test_only_the_manager_manages_users(services, station) -> None:
    with pytest.raises(PermissionDenied):
        services.users.create_user(station["clerk"], NewUser("x1", "某", Role.CLERK, PASSWORD))
    with pytest.raises(PermissionDenied):
        services.users.set_password(station["tech"], station["clerk"].user_id, "new-password")
    services.users.set_password(station["tech"], station["tech"].user_id, "new-password")
    services.users.login("tech", "new-password")
    services.users.set_active(station["manager"], station["tech2"].user_id, False)
    with pytest.raises(LoginFailed):
        services.users.login("tech2", PASSWORD)
    assert [u.username for u in services.users.technicians()] == ["tech", "boss"] or {
        u.username for u in services.users.technicians()
    } == {"tech", "boss"}


def test_password_hash_is_slow_kdf_and_travels_without_the_lockout(services, station) -> None:
    """Issue 15: users log in on every device of the station, so the user payload now carries
    the slow-KDF hash by design (never the password itself); the lockout stays per device."""
    stored = hash_password("s3cret-pass")
    assert stored.startswith("scrypt$") and "s3cret" not in stored
    assert verify_password("s3cret-pass", stored) and not verify_password("other", stored)
    with services.db.read() as s:
        payloads = [json.loads(op.payload) for op in s.scalars(
            select(OutboxOp).where(OutboxOp.entity == "user"))]
        hashes = {u.password_hash for u in s.scalars(select(User))}
    assert payloads and {p["password_hash"] for p in payloads} <= hashes
    assert all(p["password_hash"].startswith("scrypt$") for p in payloads)
    assert all("failed_logins" not in p and "locked_until" not in p for p in payloads)
    assert all(PASSWORD not in json.dumps(p) for p in payloads)


def test_duplicate_username_refused(services, station) -> None:
    with pytest.raises(RuleViolation) as err:
        services.users.create_user(station["manager"], NewUser("CLERK", "重名", Role.CLERK,
                                                               PASSWORD))
    assert err.value.field == "username"


def test_roles_change_but_a_manager_always_remains(services, station) -> None:
    boss, clerk = station["manager"], station["clerk"]
    with pytest.raises(PermissionDenied):
        services.users.set_role(clerk, clerk.user_id, Role.MANAGER)
    with pytest.raises(RuleViolation) as err:
        services.users.set_role(boss, boss.user_id, Role.CLERK)
    assert err.value.field == "role"
    with pytest.raises(RuleViolation):
        services.users.set_active(boss, boss.user_id, False)
    promoted = services.users.set_role(boss, clerk.user_id, Role.MANAGER)
    assert promoted.role is Role.MANAGER
    assert services.users.login("clerk", PASSWORD).role is Role.MANAGER
    services.users.set_role(boss, boss.user_id, Role.TECHNICIAN)  # another manager remains
    assert services.users.login("boss", PASSWORD).role is Role.TECHNICIAN
