"""Every move of the order state machine, allowed and refused, and who may make it."""

from __future__ import annotations

import pytest

from app.domain.enums import OrderStatus, Role
from app.domain.errors import RuleViolation
from app.domain.state_machine import MOVES, Action, available_actions, check_role, target_of
from app.i18n import render, set_language

S = OrderStatus

EXPECTED = {
    (Action.ACCEPT, S.RECEIVED): S.ACCEPTED,
    (Action.ASSIGN, S.ACCEPTED): S.ASSIGNED,
    (Action.ASSIGN, S.ASSIGNED): S.ASSIGNED,
    (Action.START_ON_SITE, S.ASSIGNED): S.ON_SITE,
    (Action.START_ON_SITE, S.IN_WORKSHOP): S.ON_SITE,
    (Action.START_ON_SITE, S.WAITING_PARTS): S.ON_SITE,
    (Action.START_WORKSHOP, S.ASSIGNED): S.IN_WORKSHOP,
    (Action.START_WORKSHOP, S.ON_SITE): S.IN_WORKSHOP,
    (Action.START_WORKSHOP, S.WAITING_PARTS): S.IN_WORKSHOP,
    (Action.WAIT_PARTS, S.ON_SITE): S.WAITING_PARTS,
    (Action.WAIT_PARTS, S.IN_WORKSHOP): S.WAITING_PARTS,
    (Action.COMPLETE, S.ON_SITE): S.COMPLETED,
    (Action.COMPLETE, S.IN_WORKSHOP): S.COMPLETED,
    (Action.VISIT, S.COMPLETED): S.VISITED,
    (Action.CLOSE, S.VISITED): S.CLOSED,
    (Action.REOPEN, S.COMPLETED): S.ASSIGNED,
    (Action.REOPEN, S.VISITED): S.ASSIGNED,
    (Action.REOPEN, S.CLOSED): S.RECEIVED,
    (Action.REOPEN, S.CANCELLED): S.RECEIVED,
    **{(Action.CANCEL, s): S.CANCELLED for s in S if s not in (S.CLOSED, S.CANCELLED)},
}

ALL_PAIRS = [(a, s) for a in Action for s in S]


@pytest.mark.parametrize(("action", "status"), ALL_PAIRS)
def test_every_pair_is_allowed_exactly_when_expected(action: Action, status: OrderStatus) -> None:
    expected = EXPECTED.get((action, status))
    if expected is None:
        with pytest.raises(RuleViolation) as err:
            target_of(action, status)
        assert err.value.params["status"] is status
        assert err.value.params["action"] is action
    else:
        assert target_of(action, status) is expected


def test_refusal_names_both_states_in_chinese_and_english() -> None:
    with pytest.raises(RuleViolation) as err:
        target_of(Action.CLOSE, S.RECEIVED)
    assert "已受理" in render(err.value) and "已回访" in render(err.value)
    set_language("en")
    assert "received" in render(err.value) and "visited" in render(err.value)


@pytest.mark.parametrize("action", [Action.CANCEL, Action.REOPEN])
@pytest.mark.parametrize("role", [Role.CLERK, Role.TECHNICIAN])
def test_only_the_manager_cancels_and_reopens(action: Action, role: Role) -> None:
    with pytest.raises(RuleViolation):
        check_role(action, role, is_assignee=True)
    check_role(action, Role.MANAGER, is_assignee=False)


def test_technician_works_only_own_orders() -> None:
    check_role(Action.COMPLETE, Role.TECHNICIAN, is_assignee=True)
    with pytest.raises(RuleViolation):
        check_role(Action.COMPLETE, Role.TECHNICIAN, is_assignee=False)
    with pytest.raises(RuleViolation):
        check_role(Action.ASSIGN, Role.TECHNICIAN, is_assignee=True)


def test_clerk_may_not_do_the_technicians_work() -> None:
    with pytest.raises(RuleViolation):
        check_role(Action.START_ON_SITE, Role.CLERK, is_assignee=False)


def test_available_actions_match_the_table() -> None:
    for status in S:
        for role in Role:
            for own in (True, False):
                actions = available_actions(status, role, is_assignee=own)
                for action in actions:
                    assert status in MOVES[action].sources
                    check_role(action, role, is_assignee=own)
    assert available_actions(S.ON_SITE, Role.TECHNICIAN, is_assignee=True) == [
        Action.START_WORKSHOP, Action.WAIT_PARTS, Action.COMPLETE,
    ]
    assert available_actions(S.ON_SITE, Role.TECHNICIAN, is_assignee=False) == []
