"""The search indexes' own rows: one document per order, per customer and per repair record,
holding the words and codes the FTS5 tables index (the FTS5 tables read these rows as their
external content, kept in step by triggers, see migration 0009), and the state of each
index's background build.

The documents are derived: they are never synced, and can be rebuilt from the records at any
time (``SearchState`` says whether one is complete for the current ``WORDS_VERSION``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.store.base import Base, utcnow

#: the FTS5 virtual tables (migration 0009); SQLite adds shadow tables named after them
FTS_TABLES = ("order_codes_fts", "order_words_fts", "customer_codes_fts",
              "customer_words_fts", "knowledge_fts")
FTS_SHADOW_SUFFIXES = ("_data", "_idx", "_content", "_docsize", "_config")


def is_fts_table(name: str) -> bool:
    """Is ``name`` an FTS5 table or one of its shadow tables (no model declares them)?"""
    return any(name == t or (name.startswith(t) and name[len(t):] in FTS_SHADOW_SUFFIXES)
               for t in FTS_TABLES)


class OrderSearchDoc(Base):
    """An order as search sees it: ``codes`` (number, phone digits, serial, model) is read by
    the trigram index (any 3+ characters), ``names`` (customer name and given name) and
    ``words`` (fault, diagnosis, actions) by the word index."""

    __tablename__ = "order_search"

    doc: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[str] = mapped_column(
        ForeignKey("service_orders.id", ondelete="CASCADE"), unique=True)
    codes: Mapped[str] = mapped_column(Text, default="")
    names: Mapped[str] = mapped_column(Text, default="")
    words: Mapped[str] = mapped_column(Text, default="")


class CustomerSearchDoc(Base):
    """A customer file as search sees it: phones' digits, serials and models in ``codes``;
    name, given name and address words in ``names``."""

    __tablename__ = "customer_search"

    doc: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[str] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), unique=True)
    codes: Mapped[str] = mapped_column(Text, default="")
    names: Mapped[str] = mapped_column(Text, default="")


class KnowledgeDoc(Base):
    """A past repair for the repair knowledge (维修知识库): the order's fault with the
    record's diagnosis and actions as ``words``, the product model apart, and in ``tags`` the
    model's and its family's tag words (so a search can keep to one family in the index)."""

    __tablename__ = "repair_knowledge"

    doc: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[str] = mapped_column(
        ForeignKey("repair_records.id", ondelete="CASCADE"), unique=True)
    order_id: Mapped[str] = mapped_column(
        ForeignKey("service_orders.id", ondelete="CASCADE"), index=True)
    model: Mapped[str] = mapped_column(String(64), default="")
    words: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[str] = mapped_column(Text, default="")


class SearchState(Base):
    """How far an index's background build has come."""

    __tablename__ = "search_state"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    #: the ``WORDS_VERSION`` the documents were made with
    version: Mapped[int] = mapped_column(default=0)
    complete: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
