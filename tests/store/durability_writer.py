"""A fork server for the durability test: run as ``python -m tests.store.durability_writer
DATA_DIR ACK_FILE CLERK_JSON``. It warms the services up once, then for every line read on
stdin forks a writer child and answers with the child's pid. The child creates orders forever,
appending one acknowledgement line per committed order, until the test kills it with SIGKILL.

Forking from this warm, single-threaded process makes each writer start at once, without the
test runner's threads or cold SQLAlchemy caches.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sys
from pathlib import Path

from app.bootstrap import open_services
from app.domain.enums import OrderSource, OrderType, Role, ServiceMode
from app.services.context import Actor
from app.services.customers import CustomerInput, ProductInput
from app.services.orders import NewOrder


def _new_order(n: int) -> NewOrder:
    return NewOrder(
        order_type=OrderType.REPAIR, source=OrderSource.PHONE, service_mode=ServiceMode.ON_SITE,
        fault_description=f"不制冷 {n}", contact_phone=f"139{n:08d}",
        customer=CustomerInput(f"客户{n}", (f"139{n:08d}",), "北京"),
        product=ProductInput("KFR-35GW", f"SN{n}"),
    )


def _write_forever(services, clerk: Actor, ack_path: Path) -> None:
    rng = random.Random(os.getpid())
    with ack_path.open("a", buffering=1, encoding="utf-8") as out:
        while True:
            order = services.orders.create(clerk, _new_order(rng.randrange(10**8)))
            out.write(json.dumps({"id": order.id, "number": order.number}) + "\n")


def main() -> None:
    data_dir, ack_file, clerk_json = sys.argv[1:4]
    fields = json.loads(clerk_json)
    clerk = Actor(fields["user_id"], fields["username"], fields["display_name"], Role.CLERK)
    services = open_services(Path(data_dir))  # the encrypted store, keyed as the program does
    services.orders.create(clerk, _new_order(0))  # warm caches; counted as unacknowledged
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped automatically
    for _line in sys.stdin:
        services.db.engine.dispose()  # no connection may cross the fork
        pid = os.fork()
        if pid == 0:
            try:
                _write_forever(services, clerk, Path(ack_file))
            finally:
                os._exit(1)
        print(pid, flush=True)


if __name__ == "__main__":
    main()
