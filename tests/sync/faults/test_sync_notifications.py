"""Customer messages through the fault proxy against the real head office: orders created
offline queue one message each, pushed through a 500 after commit, a dropped answer and a
cut request; head office sends each exactly once (one file per message), one to a gateway
that is down is retried and finally marked failed, and the station pulls every state (through
a cut answer), so its 通知 list says delivered or failed."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from sqlalchemy import select

from app.store.models import Notification
from sync import protocol as p
from sync.hq import notify
from sync.hq.models import HqNotification, utcnow
from sync.hq.senders import FileSender, OutgoingMessage, SendError
from tests.sync.faults.harness import FaultProxy, LiveHq, StationRig, assert_converged
from tests.sync.faults.workload import new_orders


class _SmsDown:
    """Text messages fail; e-mail (none here) would go to the folder."""

    def send(self, message: OutgoingMessage) -> str:
        raise SendError("sms gateway down")


def test_one_message_per_order_under_faults_and_states_back_at_the_station(
        rig: StationRig, live_hq: LiveHq, proxy: FaultProxy, tmp_path) -> None:
    orders = new_orders(rig, 4)
    proxy.plan.queue = [(p.PUSH_PATH, m) for m in ("500_after", "drop_after", "cut_request")]
    rig.sync.sync_now()
    rig.sync.sync_now()  # a second sync pushes nothing new
    assert_converged(rig, live_hq)
    assert live_hq.db is not None
    folder = tmp_path / "out"
    policy = notify.DeliveryPolicy(max_attempts=2, backoff=timedelta(minutes=1))
    now = utcnow()
    result = notify.send_due(live_hq.db, {"sms": FileSender(folder)}, now, policy)
    assert result.delivered == 4
    # a second run, and a run after every backoff, send nothing again
    assert notify.send_due(live_hq.db, {"sms": FileSender(folder)}, now + timedelta(hours=1),
                           policy) == notify.RunResult()
    assert len(list(folder.iterdir())) == 4

    more = new_orders(rig, 1, seed=2)
    rig.sync.sync_now()
    down = {"sms": _SmsDown()}
    assert notify.send_due(live_hq.db, down, now, policy).retrying == 1
    assert notify.send_due(live_hq.db, down, now + timedelta(minutes=1), policy).failed == 1

    proxy.plan.queue = [(p.PULL_PATH, "cut_response")]
    rig.sync.sync_now()
    rig.sync.sync_now()
    with rig.services.db.read() as s:
        rows = list(s.scalars(select(Notification)))
        states = {r.order_id: (r.state, r.attempts, r.state_detail) for r in rows}
    assert Counter(r.order_id for r in rows) == Counter(orders + more)  # one each
    assert all(states[o][:2] == ("delivered", 1) for o in orders)
    assert states[more[0]] == ("failed", 2, "sms gateway down")
    with live_hq.db.read() as s:
        assert len(list(s.scalars(select(HqNotification)))) == 5
