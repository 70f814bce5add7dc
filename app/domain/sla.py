"""SLA clocks against the trade's service promises.

Respond within 30 minutes of the call, be on site within 24 hours of the call,
clear the fault within 24 hours of starting the work. A clock is *met* when its
event happened in time, *breached* when it happened late, *overdue* when it has
not happened and its deadline has passed, *running* otherwise; a cancelled order's clocks
that had not been met are *stopped* (they neither run nor count as late).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

RESPOND_WITHIN = timedelta(minutes=30)
ARRIVE_WITHIN = timedelta(hours=24)
CLEAR_WITHIN = timedelta(hours=24)


class ClockState(StrEnum):
    MET = "met"
    BREACHED = "breached"
    OVERDUE = "overdue"
    RUNNING = "running"
    NOT_STARTED = "not_started"
    STOPPED = "stopped"  # the order was cancelled before the promise was kept


class Promise(StrEnum):
    RESPOND = "respond"  # 30 分钟响应
    ARRIVE = "arrive"  # 24 小时到场
    CLEAR = "clear"  # 24 小时排除故障


@dataclass(frozen=True)
class Clock:
    promise: Promise
    start: datetime | None
    deadline: datetime | None
    done_at: datetime | None
    state: ClockState

    @property
    def late(self) -> bool:
        return self.state in (ClockState.BREACHED, ClockState.OVERDUE)


@dataclass(frozen=True)
class SlaTimes:
    """The order's timestamps (UTC) the clocks read."""

    called_at: datetime
    responded_at: datetime | None = None
    arrived_at: datetime | None = None
    cleared_at: datetime | None = None
    stopped: bool = False  # cancelled orders stop every running clock


def _clock(
    promise: Promise, start: datetime | None, within: timedelta, done: datetime | None,
    now: datetime, stopped: bool,
) -> Clock:
    if start is None:
        return Clock(promise, None, None, done,
                     ClockState.STOPPED if stopped else ClockState.NOT_STARTED)
    deadline = start + within
    if done is not None:
        state = ClockState.MET if done <= deadline else ClockState.BREACHED
    elif stopped:
        state = ClockState.STOPPED
    else:
        state = ClockState.OVERDUE if now > deadline else ClockState.RUNNING
    return Clock(promise, start, deadline, done, state)


def clocks(times: SlaTimes, now: datetime) -> dict[Promise, Clock]:
    """All three clocks of an order at ``now``. A deadline itself is still in time."""
    return {
        Promise.RESPOND: _clock(
            Promise.RESPOND, times.called_at, RESPOND_WITHIN, times.responded_at, now, times.stopped
        ),
        Promise.ARRIVE: _clock(
            Promise.ARRIVE, times.called_at, ARRIVE_WITHIN, times.arrived_at, now, times.stopped
        ),
        Promise.CLEAR: _clock(
            Promise.CLEAR, times.arrived_at, CLEAR_WITHIN, times.cleared_at, now, times.stopped
        ),
    }


def is_overdue(times: SlaTimes, now: datetime) -> bool:
    """True when any promise is running late right now (not merely missed in the past)."""
    return any(c.state is ClockState.OVERDUE for c in clocks(times, now).values())
