"""The compatible product models of listed parts, for the stock screen: the stock list
(``StockQueries.stock_list``) carries no models, and reading each part's catalogue entry one
by one would cost a query a row. Read-only; nothing here writes.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from app.store.database import Database
from app.store.models import Part

#: ids per IN (...) query, below SQLite's bound-parameter limit
CHUNK = 500


def models_of(db: Database, part_ids: Sequence[str]) -> dict[str, str]:
    """``{part id: models}`` of the parts that exist among ``part_ids``."""
    ids = list(dict.fromkeys(part_ids))
    out: dict[str, str] = {}
    with db.read() as s:
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start:start + CHUNK]
            out.update(s.execute(select(Part.id, Part.models).where(Part.id.in_(chunk))).all())
    return out
