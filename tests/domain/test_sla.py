"""SLA clocks on their edges: 30 minutes to respond, 24 hours to arrive and to clear."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.domain.sla import ClockState, Promise, SlaTimes, clocks, is_overdue

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
EPS = timedelta(microseconds=1)


def test_respond_exactly_at_30_minutes_is_met_and_one_tick_later_breached() -> None:
    on_time = clocks(SlaTimes(T0, responded_at=T0 + timedelta(minutes=30)), T0)
    late = clocks(SlaTimes(T0, responded_at=T0 + timedelta(minutes=30) + EPS), T0)
    assert on_time[Promise.RESPOND].state is ClockState.MET
    assert late[Promise.RESPOND].state is ClockState.BREACHED


def test_unresponded_order_becomes_overdue_after_the_deadline() -> None:
    times = SlaTimes(T0)
    assert clocks(times, T0 + timedelta(minutes=30))[Promise.RESPOND].state is ClockState.RUNNING
    assert clocks(times, T0 + timedelta(minutes=30) + EPS)[Promise.RESPOND].state is (
        ClockState.OVERDUE
    )
    assert not is_overdue(times, T0 + timedelta(minutes=30))
    assert is_overdue(times, T0 + timedelta(minutes=31))


def test_arrival_within_24_hours_of_the_call() -> None:
    times = SlaTimes(T0, T0 + timedelta(minutes=5), arrived_at=T0 + timedelta(hours=24))
    assert clocks(times, T0)[Promise.ARRIVE].state is ClockState.MET
    times = SlaTimes(T0, T0 + timedelta(minutes=5), arrived_at=T0 + timedelta(hours=24) + EPS)
    assert clocks(times, T0)[Promise.ARRIVE].state is ClockState.BREACHED
    pending = SlaTimes(T0, T0 + timedelta(minutes=5))
    assert clocks(pending, T0 + timedelta(hours=25))[Promise.ARRIVE].state is ClockState.OVERDUE


def test_clearing_clock_starts_on_arrival() -> None:
    arrived = T0 + timedelta(hours=10)
    times = SlaTimes(T0, T0, arrived_at=arrived)
    clear = clocks(times, arrived + timedelta(hours=23))[Promise.CLEAR]
    assert clear.state is ClockState.RUNNING
    assert clear.deadline == arrived + timedelta(hours=24)
    assert clocks(times, arrived + timedelta(hours=24, seconds=1))[Promise.CLEAR].late
    done = SlaTimes(T0, T0, arrived_at=arrived, cleared_at=arrived + timedelta(hours=24))
    assert clocks(done, arrived + timedelta(days=9))[Promise.CLEAR].state is ClockState.MET


def test_clearing_not_started_before_arrival_and_cancelled_orders_stop() -> None:
    assert clocks(SlaTimes(T0), T0)[Promise.CLEAR].state is ClockState.NOT_STARTED
    stopped = SlaTimes(T0, stopped=True)
    assert not is_overdue(stopped, T0 + timedelta(days=3))
