"""One's own password (the current one checked, wrong ones counted towards the lockout like a
failed login, the password rules) and the command line's reset of a forgotten password."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.domain.errors import RuleViolation
from app.services.errors import LoginFailed, NotFound
from app.services.users import MAX_FAILURES
from app.store.models import AuditEntry, User
from tests.conftest import PASSWORD

NEW = "a-new-horse-1"


def _audit(services, action: str) -> list[AuditEntry]:
    with services.db.read() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def _user(services, username: str) -> User:
    with services.db.read() as s:
        return s.scalars(select(User).where(User.username == username)).one()


def test_right_current_password_changes_it_and_the_old_one_stops_working(services,
                                                                        station) -> None:
    clerk = station["clerk"]
    before = _user(services, "clerk").password_hash
    services.users.change_own_password(clerk, PASSWORD, NEW)
    assert _user(services, "clerk").password_hash != before
    assert services.users.login("clerk", NEW).user_id == clerk.user_id
    with pytest.raises(LoginFailed):
        services.users.login("clerk", PASSWORD)
    entry = _audit(services, "change_password")
    assert [(e.user_id, e.entity_id) for e in entry] == [(clerk.user_id, clerk.user_id)]


def test_wrong_current_password_is_refused_and_counted_like_a_failed_login(services,
                                                                          station) -> None:
    clerk = station["clerk"]
    before = _user(services, "clerk").password_hash
    with pytest.raises(RuleViolation) as err:
        services.users.change_own_password(clerk, "not-my-password", NEW)
    assert err.value.field == "old_password"
    assert err.value.template == "The current password is wrong."
    user = _user(services, "clerk")
    assert user.password_hash == before and user.failed_logins == 1
    # the failures add up with the login's: 1 here + 3 at the login, the 5th locks
    for _ in range(MAX_FAILURES - 2):
        with pytest.raises(LoginFailed):
            services.users.login("clerk", "wrong-password")
    with pytest.raises(RuleViolation) as locked:
        services.users.change_own_password(clerk, "still-wrong", NEW)
    assert "locked" in locked.value.template
    with pytest.raises(LoginFailed) as login:
        services.users.login("clerk", PASSWORD)  # the right one, but locked
    assert "locked" in login.value.template
    assert _audit(services, "locked")


def test_a_locked_account_cannot_change_its_password_even_with_the_right_one(
        services, station, clock) -> None:
    clerk = station["clerk"]
    for _ in range(MAX_FAILURES):
        with pytest.raises(RuleViolation):
            services.users.change_own_password(clerk, "wrong-password", NEW)
    before = _user(services, "clerk").password_hash
    with pytest.raises(RuleViolation) as err:
        services.users.change_own_password(clerk, PASSWORD, NEW)
    assert "locked" in err.value.template and err.value.params["minutes"] in (15, 16)
    assert _user(services, "clerk").password_hash == before
    clock.now += timedelta(minutes=15, seconds=1)
    services.users.change_own_password(clerk, PASSWORD, NEW)
    assert services.users.login("clerk", NEW)


@pytest.mark.parametrize("new, field", [("short", "password"), (PASSWORD, "password"),
                                        ("x" * 129, "password"), ("ab\udc00cdefgh", "password")])
def test_the_new_password_follows_the_rules_and_nothing_is_stored(services, station, new,
                                                                  field) -> None:
    before = _user(services, "clerk")
    with pytest.raises(RuleViolation) as err:
        services.users.change_own_password(station["clerk"], PASSWORD, new)
    assert err.value.field == field
    after = _user(services, "clerk")
    assert after.password_hash == before.password_hash
    assert after.failed_logins == before.failed_logins  # a rule, not a wrong password
    assert not _audit(services, "change_password")


def test_an_actor_without_an_account_is_refused(services, station) -> None:
    from app.services.context import SYSTEM

    with pytest.raises(NotFound):
        services.users.change_own_password(SYSTEM, PASSWORD, NEW)


def test_command_line_reset_clears_the_lockout_and_is_audited(services, station) -> None:
    for _ in range(MAX_FAILURES):
        with pytest.raises(LoginFailed):
            services.users.login("boss", "wrong-password")
    assert _user(services, "boss").locked_until is not None
    info = services.users.reset_password_by_command_line(" BOSS ", NEW)
    assert info.username == "boss"
    user = _user(services, "boss")
    assert user.locked_until is None and user.failed_logins == 0
    assert services.users.login("boss", NEW)
    [entry] = [e for e in _audit(services, "set_password") if e.entity_id == user.id]
    assert entry.detail == "reset by the command line" and entry.username == "system"


def test_command_line_reset_refuses_an_unknown_user_and_a_weak_password(services,
                                                                        station) -> None:
    with pytest.raises(RuleViolation) as unknown:
        services.users.reset_password_by_command_line("nobody", NEW)
    assert unknown.value.field == "username"
    before = _user(services, "boss").password_hash
    with pytest.raises(RuleViolation) as weak:
        services.users.reset_password_by_command_line("boss", "short")
    assert weak.value.field == "password"
    assert _user(services, "boss").password_hash == before
    assert not _audit(services, "set_password")
