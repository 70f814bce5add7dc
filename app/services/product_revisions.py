"""The current revision of a product, so an edit can be saved against what was read
(``CustomerService.update_product`` refuses a stale one). ``ProductInfo`` does not carry it.
"""

from __future__ import annotations

from sqlalchemy import select

from app.services.errors import not_found
from app.store.database import Database
from app.store.models import Product


def product_revision(db: Database, product_id: str) -> int:
    with db.read() as s:
        revision = s.scalar(select(Product.revision).where(Product.id == product_id))
        if revision is None:
            raise not_found("product")
        return int(revision)
