"""search index: documents of orders, customers and repair records with their words and
codes, FTS5 indexes over them (trigram for codes, words for text) kept in step by triggers,
and the build state of each index

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 12:30:00

The documents are filled by the program in the background after this revision (a station
with a million orders must not wait at start-up); until an index is complete its search
falls back to the prefix search of the earlier revisions.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

#: (content table, key column, [(fts table, columns, tokenizer)])
_INDEXES = (
    ("order_search", "doc", (("order_codes_fts", ("codes",), "trigram"),
                             ("order_words_fts", ("names", "words"), "unicode61"))),
    ("customer_search", "doc", (("customer_codes_fts", ("codes",), "trigram"),
                                ("customer_words_fts", ("names",), "unicode61"))),
    ("repair_knowledge", "doc", (("knowledge_fts", ("words", "tags"), "unicode61"),)),
)


#: FTS tables the program writes itself next to their documents (app.services.search_docs):
#: an FTS5 insert inside a trigger flushes a segment per row, 25x slower when a million
#: orders are indexed; only the delete trigger stays, for a document a cascade removes
_WRITTEN_BY_PROGRAM = frozenset(["order_codes_fts", "order_words_fts", "customer_codes_fts",
                                 "customer_words_fts", "knowledge_fts"])


def _fts_ddl(content: str, key: str, fts: str, columns: tuple[str, ...],
             tokenizer: str) -> list[str]:
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    delete = f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.{key}, {old});"
    insert = f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.{key}, {new});"
    ddl = [
        f"CREATE VIRTUAL TABLE {fts} USING fts5({cols}, content='{content}', "
        f"content_rowid='{key}', tokenize='{tokenizer}')",
        f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {content} BEGIN {delete} END",
    ]
    if fts not in _WRITTEN_BY_PROGRAM:
        ddl += [f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {content} BEGIN {insert} END",
                f"CREATE TRIGGER {fts}_au AFTER UPDATE ON {content} BEGIN {delete} {insert} END"]
    return ddl


def upgrade() -> None:
    op.create_table(
        "order_search",
        sa.Column("doc", sa.Integer(), primary_key=True),
        sa.Column("order_id", sa.String(36),
                  sa.ForeignKey("service_orders.id", ondelete="CASCADE"), nullable=False),
        sa.Column("codes", sa.Text(), nullable=False),
        sa.Column("names", sa.Text(), nullable=False),
        sa.Column("words", sa.Text(), nullable=False),
        sa.UniqueConstraint("order_id"),
    )
    op.create_table(
        "customer_search",
        sa.Column("doc", sa.Integer(), primary_key=True),
        sa.Column("customer_id", sa.String(36),
                  sa.ForeignKey("customers.id", ondelete="CASCADE"), nullable=False),
        sa.Column("codes", sa.Text(), nullable=False),
        sa.Column("names", sa.Text(), nullable=False),
        sa.UniqueConstraint("customer_id"),
    )
    op.create_table(
        "repair_knowledge",
        sa.Column("doc", sa.Integer(), primary_key=True),
        sa.Column("record_id", sa.String(36),
                  sa.ForeignKey("repair_records.id", ondelete="CASCADE"), nullable=False),
        sa.Column("order_id", sa.String(36),
                  sa.ForeignKey("service_orders.id", ondelete="CASCADE"), nullable=False),
        sa.Column("model", sa.String(64), nullable=False),
        sa.Column("words", sa.Text(), nullable=False),
        # the model's and its family's tag words (app.services.knowledge.model_tags)
        sa.Column("tags", sa.Text(), nullable=False),
        sa.UniqueConstraint("record_id"),
    )
    op.create_index("ix_repair_knowledge_order_id", "repair_knowledge", ["order_id"])
    op.create_table(
        "search_state",
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    for content, key, ftss in _INDEXES:
        for fts, columns, tokenizer in ftss:
            for statement in _fts_ddl(content, key, fts, columns, tokenizer):
                op.execute(statement)


def downgrade() -> None:
    for _content, _key, ftss in reversed(_INDEXES):
        for fts, _columns, _tokenizer in ftss:
            for suffix in ("_au", "_ad", "_ai"):
                op.execute(f"DROP TRIGGER IF EXISTS {fts}{suffix}")
            op.execute(f"DROP TABLE IF EXISTS {fts}")
    op.drop_table("search_state")
    op.drop_index("ix_repair_knowledge_order_id", "repair_knowledge")
    op.drop_table("repair_knowledge")
    op.drop_table("customer_search")
    op.drop_table("order_search")
