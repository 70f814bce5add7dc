"""Head office's identity (issue 8, case 9): made once with its database, kept when head office
starts again, another for another database, sent in the health answer."""

from __future__ import annotations

from pathlib import Path

from sync import protocol as p
from sync.hq.db import HqDatabase, hq_identity


def _identity(db: HqDatabase) -> str:
    with db.read() as s:
        return hq_identity(s)


def test_identity_is_made_once_and_differs_between_databases(hq_db: HqDatabase,
                                                             tmp_path: Path) -> None:
    first = _identity(hq_db)
    assert first
    hq_db.create_all()  # head office starting again
    assert _identity(hq_db) == first
    other = HqDatabase.open(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    try:
        assert _identity(other) not in ("", first)
    finally:
        other.dispose()


def test_health_sends_the_identity(hq) -> None:  # type: ignore[no-untyped-def]
    health = p.Health.from_json(hq.client.get(p.HEALTH_PATH).json())
    assert health.hq_id == _identity(hq.db)
    # an older server's answer without it still reads
    assert p.Health.from_json({"protocols": [1], "server_time": "x"}).hq_id == ""
