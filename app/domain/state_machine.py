"""The service-order state machine and who may make each move.

received -> accepted -> assigned -> in service (on site / in workshop / waiting for parts)
-> completed -> visited -> closed; cancelled (with a reason) from any open state;
a manager may reopen a completed (back to its technician), closed or cancelled order.
Who may make a move is the permission matrix's (``app.domain.permissions``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.domain.enums import OrderStatus, Role
from app.domain.errors import RuleViolation
from app.domain.permissions import MATRIX, Permission, Scope, roles_with

S = OrderStatus


class Action(StrEnum):
    ACCEPT = "accept"  # 接单
    ASSIGN = "assign"  # 派工
    START_ON_SITE = "start_on_site"  # 上门
    START_WORKSHOP = "start_workshop"  # 返厂
    WAIT_PARTS = "wait_parts"  # 待件
    COMPLETE = "complete"  # 完工
    VISIT = "visit"  # 回访
    CLOSE = "close"  # 结单
    CANCEL = "cancel"  # 取消
    REOPEN = "reopen"  # 重新打开


@dataclass(frozen=True)
class Move:
    action: Action
    sources: frozenset[OrderStatus]
    target: OrderStatus
    roles: frozenset[Role]
    #: technicians may only make this move on orders assigned to them
    own_orders_only: bool = False
    #: sources whose move leads elsewhere than ``target`` (source -> target)
    special: tuple[tuple[OrderStatus, OrderStatus], ...] = ()


P = Permission

#: which permission each move needs (its roles and a technician's own-orders scope come
#: from app.domain.permissions.MATRIX, the one table)
PERMISSION_OF: dict[Action, Permission] = {
    Action.ACCEPT: P.ORDER_ACCEPT,
    Action.ASSIGN: P.ORDER_ASSIGN,
    Action.START_ON_SITE: P.ORDER_START,
    Action.START_WORKSHOP: P.ORDER_START,
    Action.WAIT_PARTS: P.ORDER_START,
    Action.COMPLETE: P.ORDER_COMPLETE,
    Action.VISIT: P.ORDER_VISIT,
    Action.CLOSE: P.ORDER_CLOSE,
    Action.CANCEL: P.ORDER_CANCEL,
    Action.REOPEN: P.ORDER_REOPEN,
}
OPEN_STATES = frozenset(s for s in OrderStatus if s.open)


def _move(action: Action, sources: set[OrderStatus], target: OrderStatus,
          special: tuple[tuple[OrderStatus, OrderStatus], ...] = ()) -> Move:
    permission = PERMISSION_OF[action]
    own = any(reach is Scope.OWN for reach in MATRIX[permission].values())
    return Move(action, frozenset(sources), target, roles_with(permission),
                own_orders_only=own, special=special)


MOVES: dict[Action, Move] = {
    m.action: m
    for m in (
        _move(Action.ACCEPT, {S.RECEIVED}, S.ACCEPTED),
        # re-assigning to another technician is allowed until work starts
        _move(Action.ASSIGN, {S.ACCEPTED, S.ASSIGNED}, S.ASSIGNED),
        _move(Action.START_ON_SITE, {S.ASSIGNED, S.IN_WORKSHOP, S.WAITING_PARTS}, S.ON_SITE),
        _move(Action.START_WORKSHOP, {S.ASSIGNED, S.ON_SITE, S.WAITING_PARTS}, S.IN_WORKSHOP),
        _move(Action.WAIT_PARTS, {S.ON_SITE, S.IN_WORKSHOP}, S.WAITING_PARTS),
        _move(Action.COMPLETE, {S.ON_SITE, S.IN_WORKSHOP}, S.COMPLETED),
        _move(Action.VISIT, {S.COMPLETED}, S.VISITED),
        _move(Action.CLOSE, {S.VISITED}, S.CLOSED),
        _move(Action.CANCEL, set(OPEN_STATES), S.CANCELLED),
        # a completed order reopened goes back to its technician: the work was not done
        _move(Action.REOPEN, {S.COMPLETED, S.VISITED, S.CLOSED, S.CANCELLED}, S.RECEIVED,
              special=((S.COMPLETED, S.ASSIGNED), (S.VISITED, S.ASSIGNED))),
    )
}


def target_of(action: Action, current: OrderStatus) -> OrderStatus:
    """The state ``action`` leads to from ``current``; refuses an illegal move, naming both."""
    move = MOVES[action]
    if current not in move.sources:
        raise RuleViolation(
            "Cannot {action} an order that is {status}: allowed only from {allowed}.",
            field="status",
            action=action,
            status=current,
            allowed=_state_list(move.sources),
        )
    return dict(move.special).get(current, move.target)


def check_role(action: Action, role: Role, *, is_assignee: bool) -> None:
    """Refuses a move the role may not make (technicians: only their own orders)."""
    move = MOVES[action]
    if role not in move.roles:
        raise RuleViolation("Your role ({role}) may not {action} orders.", role=role, action=action)
    if role is Role.TECHNICIAN and move.own_orders_only and not is_assignee:
        raise RuleViolation("Technicians may only {action} orders assigned to them.", action=action)


def available_actions(
    current: OrderStatus, role: Role, *, is_assignee: bool
) -> list[Action]:
    """The moves this user may make now, in workflow order (for enabling buttons)."""
    out = []
    for action, move in MOVES.items():
        if current not in move.sources or role not in move.roles:
            continue
        if role is Role.TECHNICIAN and move.own_orders_only and not is_assignee:
            continue
        out.append(action)
    return out


def _state_list(states: frozenset[OrderStatus]) -> tuple[OrderStatus, ...]:
    order = list(OrderStatus)
    return tuple(sorted(states, key=order.index))
