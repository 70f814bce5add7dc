"""A fork server for the kill-during-backup test: ``python -m tests.store.backup_writer
DATA_DIR ACK_FILE CLERK_JSON``. Like ``durability_writer``, it warms the services once, then
forks a child for every line on stdin and answers with its pid. The child writes orders (a
photo on every other one) and every third step makes a backup and prunes (a third of the
children start with one), appending one
acknowledgement line per committed order and per finished backup, until it is killed.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sys
from pathlib import Path

from PIL import Image

from app.bootstrap import build_services
from app.domain.enums import Role
from app.paths import DataPaths
from app.services.context import Actor
from app.store import backups as store
from app.store.database import Database
from tests.station_files import station_key
from tests.store.durability_writer import _new_order


def _write_and_back_up(services, clerk: Actor, ack_path: Path, work: Path) -> None:
    rng = random.Random(os.getpid())
    paths = services.paths
    with ack_path.open("a", buffering=1, encoding="utf-8") as out:
        n = rng.randrange(3)  # a third of the children start with a backup
        while True:
            if n % 3 == 0:
                # tells the test a backup is under way (it aims some kills inside one)
                out.write(json.dumps({"backup_start": n}) + "\n")
                made = store.make_backup(paths.database, paths.backups, paths.attachments,
                                         "manual", key=services.db.key)
                out.write(json.dumps({"backup": made.path.name,
                                      "seq": made.manifest.outbox_seq}) + "\n")
                store.prune(paths.backups)
            n += 1
            order = services.orders.create(clerk, _new_order(rng.randrange(10**8)))
            photo = None
            if n % 2 == 0:
                photo = work / f"{os.getpid()}-{n}.png"
                Image.new("RGB", (8, 8), tuple(rng.randrange(256) for _ in range(3))).save(photo)
                services.orders.attach_photo(clerk, order.id, photo)
            out.write(json.dumps({"id": order.id, "number": order.number,
                                  "photo": photo is not None}) + "\n")


def main() -> None:
    data_dir, ack_file, clerk_json = sys.argv[1:4]
    fields = json.loads(clerk_json)
    clerk = Actor(fields["user_id"], fields["username"], fields["display_name"], Role.CLERK)
    paths = DataPaths(Path(data_dir))
    services = build_services(paths, Database.open(paths.database,
                                                   key=station_key(paths.database)))
    services.orders.create(clerk, _new_order(0))  # warm caches; counted as unacknowledged
    work = Path(ack_file).parent / "photos"
    work.mkdir(exist_ok=True)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    for _line in sys.stdin:
        services.db.engine.dispose()  # no connection may cross the fork
        pid = os.fork()
        if pid == 0:
            try:
                _write_and_back_up(services, clerk, Path(ack_file), work)
            finally:
                os._exit(1)
        print(pid, flush=True)


if __name__ == "__main__":
    main()
