"""Repair knowledge (维修知识库): what past repairs found, did and used for a symptom like the
one typed, best first.

This module owns:
- a repair record's knowledge document (``repair_knowledge``): the order's fault with the
  record's diagnosis and actions as search words (``app.domain.search_words``), the product
  model, and the model's and its family's tag words. Only completed work is knowledge: a
  document exists while the record is not voided and its order is completed, visited or
  closed. The refresher registered with ``search_index`` rewrites the documents of every
  record, order and product a write session touched, in that transaction;
- the background build for stations upgraded with repairs already stored: batches of
  records in storage order, each one short write transaction, its place kept in the settings
  (``search.knowledge.cursor``) and the state in ``search_state`` ("knowledge"), so it
  resumes where it stopped and starts again when ``WORDS_VERSION`` changes;
- the query, ``KnowledgeService.similar``: bm25 over an OR of the symptom's telling words,
  ranked within the newest ``WINDOW`` matches (and, with a model of which few of those are,
  also within the newest ``WINDOW`` matches of the model's family, kept to it by the index's
  tags), a boost for the same model and family, identical diagnosis and actions grouped
  with how often they occurred, newest as the tie-break; the parts the group's orders took
  (their part charge lines).

Reading needs no permission: every role at the station may learn from past repairs.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from sqlalchemy import Connection, text

from app.domain.enums import ChargeKind, OrderStatus
from app.domain.errors import RuleViolation
from app.domain.search_words import WORDS_VERSION, fts_phrase, query_tokens, words
from app.services import search_index
from app.services import text_input as t
from app.services.search_index import Dirty
from app.store.base import utcnow
from app.store.database import Database

STATE = "knowledge"
CURSOR_KEY = "search.knowledge.cursor"
#: the statuses of completed work
DONE = (OrderStatus.COMPLETED.value, OrderStatus.VISITED.value, OrderStatus.CLOSED.value)
#: records per build transaction (about a tenth of a second each)
BATCH = 2000
#: matches ranked per query: the newest this many of the symptom's words (and as many again
#: of the model's family); bm25 over every match of a very common word would read them all
WINDOW = 800
#: same-family matches among the newest that make the family's own search unneeded
FAMILY_ENOUGH = 100
#: the symptom's words used at most (longest first): a pasted essay stays a quick query
MAX_WORDS = 12
MAX_SYMPTOM = 500
MAX_LIMIT = 50
#: how much a past repair of the same model / of the same family counts more
SAME_MODEL_BOOST = 1.5
SAME_FAMILY_BOOST = 1.25
#: orders of a group whose parts are read (the newest)
PART_SAMPLE = 40
_CHUNK = 500


# -- documents -------------------------------------------------------------------------------
@lru_cache(maxsize=4096)
def _model_key(model: str) -> str:
    folded = unicodedata.normalize("NFKC", model).lower()
    return "".join(ch for ch in folded if ch.isascii() and ch.isalnum())


@lru_cache(maxsize=4096)
def model_family(model: str) -> str:
    """The series a model belongs to: the model with its numbers (capacity, generation) left
    out, so KFR-26GW/BP3DN1Y and KFR-35GW/BP3DN1Y are one family, KFR-72LW/NhZbB1 another."""
    return re.sub(r"[0-9]+", "0", _model_key(model))


def model_tags(model: str) -> str:
    """The tag words of ``model`` (``m<model>`` and ``f<family>``), ``""`` without one."""
    key = _model_key(model)
    if not key:
        return ""
    return f"m{key} f{model_family(model)}"


#: a record with what its document needs, and whether it is completed work
_DOC_ROWS = (
    "SELECT r.id, r.order_id, r.diagnosis, r.actions, o.fault_description, "
    "coalesce(p.model, ''), r.voided_at IS NULL "
    "AND o.status IN ('completed', 'visited', 'closed') FROM repair_records r "
    "JOIN service_orders o ON o.id = r.order_id "
    "LEFT JOIN products p ON p.id = o.product_id "
)
def _chunks(ids: Iterable[str]) -> Iterable[list[str]]:
    items = sorted(ids)
    for i in range(0, len(items), _CHUNK):
        yield items[i:i + _CHUNK]


def _marks(values: list) -> tuple[str, dict[str, object]]:
    params = {f"k{i}": v for i, v in enumerate(values)}
    return ", ".join(f":k{i}" for i in range(len(values))), params


def _dbapi(conn: Connection):  # type: ignore[no-untyped-def]
    """The sqlite3 cursor of ``conn``, inside its transaction (bulk rows, no SQL compiling)."""
    return conn.connection.driver_connection.cursor()  # type: ignore[union-attr]


def _write(cursor, rows: list[tuple]) -> None:  # type: ignore[no-untyped-def]
    """Documents for the completed work among ``rows`` (``_DOC_ROWS``), none for the rest.

    The program writes the FTS rows itself, in rowid order (an FTS5 insert inside a trigger,
    or on a rowid below the last one written, flushes a segment per row: 25x slower); only
    the delete trigger stays, for a document a cascade removes. An unchanged document is
    left alone."""
    gone = [(row[0],) for row in rows if not row[6]]
    if gone:
        cursor.executemany("DELETE FROM repair_knowledge WHERE record_id = ?", gone)
    wanted = {rid: (oid, model[:64], words(fault, diagnosis, actions), model_tags(model))
              for rid, oid, diagnosis, actions, fault, model, done in rows if done}
    if not wanted:
        return
    ids = list(wanted)
    old = {r[0]: r[1:] for r in cursor.execute(
        "SELECT record_id, doc, order_id, model, words, tags FROM repair_knowledge "
        f"WHERE record_id IN ({', '.join('?' * len(ids))})", ids)}
    deletes: list[tuple] = []
    inserts: list[tuple] = []
    for rid, (oid, model, text_words, tags) in wanted.items():
        before = old.get(rid)
        if before is None:
            cursor.execute("INSERT INTO repair_knowledge (record_id, order_id, model, words, "
                           "tags) VALUES (?, ?, ?, ?, ?)", (rid, oid, model, text_words, tags))
            inserts.append((cursor.lastrowid, text_words, tags))
            continue
        doc, b_oid, b_model, b_words, b_tags = before
        if (b_oid, b_model, b_words, b_tags) == (oid, model, text_words, tags):
            continue
        cursor.execute("UPDATE repair_knowledge SET order_id = ?, model = ?, words = ?, "
                       "tags = ? WHERE doc = ?", (oid, model, text_words, tags, doc))
        if (b_words, b_tags) != (text_words, tags):
            deletes.append(("delete", doc, b_words, b_tags))
            inserts.append((doc, text_words, tags))
    cursor.executemany("INSERT INTO knowledge_fts (knowledge_fts, rowid, words, tags) "
                       "VALUES (?, ?, ?, ?)", sorted(deletes, key=lambda d: d[1]))
    cursor.executemany("INSERT INTO knowledge_fts (rowid, words, tags) VALUES (?, ?, ?)",
                       sorted(inserts))


def refresh_records(conn: Connection, record_ids: Iterable[str]) -> None:
    """Rewrites the documents of ``record_ids``: made for completed work, gone otherwise."""
    cursor = _dbapi(conn)
    for chunk in _chunks(record_ids):
        rows = cursor.execute(_DOC_ROWS + f"WHERE r.id IN ({', '.join('?' * len(chunk))})",
                              chunk).fetchall()
        _write(cursor, rows)


def _ids(conn: Connection, sql: str, keys: set[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(keys):
        marks, params = _marks(chunk)
        found.update(r[0] for r in conn.execute(text(sql.format(marks=marks)), params))
    return found


def refresh(conn: Connection, dirty: Dirty) -> None:
    """The refresher: the documents of the records, orders and products ``dirty`` names."""
    records = set(dirty.records)
    orders = set(dirty.orders)
    if dirty.products:
        orders |= _ids(conn, "SELECT id FROM service_orders WHERE product_id IN ({marks})",
                       dirty.products)
    if orders:
        records |= _ids(conn, "SELECT id FROM repair_records WHERE order_id IN ({marks})",
                        orders)
    if records:
        refresh_records(conn, records)


search_index.register(refresh)


# -- results ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class PartUse:
    """A part the repairs of a suggestion took, and on how many of their orders."""

    description: str
    part_id: str | None
    times: int


@dataclass(frozen=True)
class Suggestion:
    """One way similar past repairs went: the diagnosis and actions (as written the newest
    time), how often, the parts, and an example."""

    diagnosis: str
    actions: str
    #: past repairs with this diagnosis and these actions among the matches
    times: int
    parts: tuple[PartUse, ...]
    #: the newest of them: when (UTC), which order, its fault and model
    last_at: datetime
    order_number: str
    fault: str
    model: str
    #: one of them was on the model asked about / on its family
    same_model: bool
    same_family: bool
    score: float


@dataclass(frozen=True)
class BuildProgress:
    done: int
    total: int
    complete: bool


def _norm(value: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", value).split())


def _telling(tokens: list[str]) -> list[str]:
    """The words worth matching: single characters (不, 无, 大) only when nothing longer."""
    longer = [tok for tok in tokens if len(tok) > 1]
    return (longer or tokens)[:MAX_WORDS]


@dataclass
class _Group:
    diagnosis: str
    actions: str
    best: float
    #: (created_at as stored, order_id, model, diagnosis, actions), newest first once grouped
    members: list[tuple[str, str, str, str, str]]
    same_model: bool = False
    same_family: bool = False


class KnowledgeService:
    def __init__(self, db: Database, clock: Callable[[], datetime] = utcnow) -> None:
        self._db = db
        self._clock = clock

    # -- query ---------------------------------------------------------------------------
    def similar(self, symptom: str, model: str | None = None, limit: int = 10, *,
                exclude_order_id: str | None = None) -> list[Suggestion]:
        """The diagnoses, actions and parts of past repairs like ``symptom``, best first."""
        if symptom is None or not symptom.strip():
            raise RuleViolation("Type a symptom to look up similar repairs.", field="symptom")
        t.check_key(symptom, "symptom", "Symptom")
        if model:
            t.check_key(model, "model", "Product model")
        if not 1 <= limit <= MAX_LIMIT:
            raise RuleViolation("Ask for 1 to {most} suggestions.", field="limit",
                                most=MAX_LIMIT)
        tokens = _telling(query_tokens(symptom[:MAX_SYMPTOM]))
        if not tokens:
            return []
        match = "words : (" + " OR ".join(fts_phrase(tok) for tok in tokens) + ")"
        model = (model or "").strip()
        family = model_family(model) if _model_key(model) else ""
        with self._db.read() as session:
            conn = session.connection()
            hits = self._matches(conn, match)
            rows = self._details(conn, list(hits))
            # the family's own repairs, when few of the newest matches are of it (a rare
            # model's history lies further back than the newest matches of common words)
            if family and sum(model_family(r[1]) == family for r in rows) < FAMILY_ENOUGH:
                more = self._matches(conn, f"{match} AND tags : \"f{family}\"")
                more = {doc: score for doc, score in more.items() if doc not in hits}
                rows += self._details(conn, list(more))
                hits.update(more)
            groups = _group(rows, hits, _model_key(model), family, exclude_order_id)
            ranked = sorted(groups.values(), key=_rank_key, reverse=True)[:limit]
            parts = self._parts(conn, ranked)
            examples = self._examples(conn, ranked)
        return [_suggestion(g, parts.get(id(g), ()), examples) for g in ranked]

    @staticmethod
    def _matches(conn: Connection, match: str) -> dict[int, float]:
        rows = conn.exec_driver_sql(
            "SELECT rowid, bm25(knowledge_fts, 1.0, 0.0) FROM knowledge_fts "
            "WHERE knowledge_fts MATCH ? ORDER BY rowid DESC LIMIT ?", (match, WINDOW))
        return {doc: -score for doc, score in rows}

    @staticmethod
    def _details(conn: Connection, docs: list[int]) -> list[tuple]:
        """(doc, model, order_id, diagnosis, actions, created_at) of ``docs``: thousands of
        rows, read on the DBAPI cursor."""
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        rows: list[tuple] = []
        for i in range(0, len(docs), _CHUNK):
            chunk = docs[i:i + _CHUNK]
            rows += cursor.execute(
                "SELECT k.doc, k.model, k.order_id, r.diagnosis, r.actions, r.created_at "
                "FROM repair_knowledge k JOIN repair_records r ON r.id = k.record_id "
                f"WHERE k.doc IN ({', '.join('?' * len(chunk))})", chunk).fetchall()
        return rows

    @staticmethod
    def _examples(conn: Connection, ranked: list[_Group]) -> dict[str, tuple[str, str]]:
        """The number and fault of each group's newest order."""
        ids = [g.members[0][1] for g in ranked]
        if not ids:
            return {}
        rows = conn.exec_driver_sql(
            "SELECT id, number, fault_description FROM service_orders "
            f"WHERE id IN ({', '.join('?' * len(ids))})", tuple(ids))
        return {oid: (number, fault) for oid, number, fault in rows}

    @staticmethod
    def _parts(conn: Connection, ranked: list[_Group]) -> dict[int, tuple[PartUse, ...]]:
        owner: dict[str, list[int]] = {}
        for group in ranked:
            for member in group.members[:PART_SAMPLE]:
                owner.setdefault(member[1], []).append(id(group))
        counts: dict[int, Counter[tuple[str, str | None]]] = {id(g): Counter() for g in ranked}
        order_ids = list(owner)
        for i in range(0, len(order_ids), _CHUNK):
            chunk = order_ids[i:i + _CHUNK]
            rows = conn.exec_driver_sql(
                "SELECT DISTINCT order_id, description, part_id FROM charge_lines "
                f"WHERE kind = ? AND order_id IN ({', '.join('?' * len(chunk))})",
                (ChargeKind.PARTS.value, *chunk))
            for order_id, description, part_id in rows:
                for gid in owner[order_id]:
                    counts[gid][(description, part_id)] += 1
        return {gid: tuple(PartUse(d, p, n) for (d, p), n in c.most_common())
                for gid, c in counts.items()}

    # -- build ---------------------------------------------------------------------------
    def progress(self) -> BuildProgress:
        with self._db.read() as session:
            conn = session.connection()
            state = conn.execute(text("SELECT version, complete FROM search_state "
                                      "WHERE name = :n"), {"n": STATE}).first()
            total = conn.execute(text("SELECT coalesce(max(rowid), 0) FROM repair_records")
                                 ).scalar_one()
            cursor = _cursor(conn)
        complete = bool(state and state[0] == WORDS_VERSION and state[1])
        if state is None or state[0] != WORDS_VERSION:
            cursor = 0
        return BuildProgress(total if complete else min(cursor, total), total, complete)

    def build_step(self, batch: int = BATCH) -> BuildProgress:
        """Indexes the next ``batch`` records in one short write transaction."""
        with self._db.write() as session:
            conn = session.connection()
            state = conn.execute(text("SELECT version, complete FROM search_state "
                                      "WHERE name = :n"), {"n": STATE}).first()
            total = conn.execute(text("SELECT coalesce(max(rowid), 0) FROM repair_records")
                                 ).scalar_one()
            if state is not None and state[0] == WORDS_VERSION and state[1]:
                return BuildProgress(total, total, True)
            cursor = 0 if state is None or state[0] != WORDS_VERSION else _cursor(conn)
            raw = _dbapi(conn)
            rows = raw.execute(_DOC_ROWS.replace("SELECT ", "SELECT r.rowid, ", 1) +
                               "WHERE r.rowid > ? ORDER BY r.rowid LIMIT ?",
                               (cursor, batch)).fetchall()
            if rows:
                _write(raw, [row[1:] for row in rows])
                cursor = rows[-1][0]
            complete = len(rows) < batch
            conn.execute(text(
                "INSERT INTO search_state (name, version, complete, updated_at) "
                "VALUES (:n, :v, :c, :at) ON CONFLICT (name) DO UPDATE SET "
                "version = excluded.version, complete = excluded.complete, "
                "updated_at = excluded.updated_at"),
                {"n": STATE, "v": WORDS_VERSION, "c": complete,
                 "at": self._clock().replace(tzinfo=None)})
            conn.execute(text("INSERT INTO settings (key, value) VALUES (:k, :v) "
                              "ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
                         {"k": CURSOR_KEY, "v": str(cursor)})
        return BuildProgress(total if complete else min(cursor, total), total, complete)

    def build(self, progress: Callable[[BuildProgress], None] | None = None,
              should_stop: Callable[[], bool] | None = None,
              batch: int = BATCH) -> BuildProgress:
        """Builds to the end (or until ``should_stop()``), one batch per transaction."""
        while True:
            state = self.build_step(batch)
            if progress:
                progress(state)
            if state.complete or (should_stop and should_stop()):
                return state


def _group(rows: list[tuple], hits: dict[int, float], model_key: str, family: str,
           exclude_order_id: str | None) -> dict[tuple[str, str], _Group]:
    """The matches grouped by diagnosis and actions, each scored by its best member."""
    raw: dict[tuple[str, str], _Group] = {}
    boost: dict[str, tuple[bool, bool, float]] = {}
    for doc, doc_model, order_id, diagnosis, actions, at in rows:
        if order_id == exclude_order_id:
            continue
        kin = boost.get(doc_model)
        if kin is None:
            same_model = bool(model_key) and _model_key(doc_model) == model_key
            same_family = bool(family) and model_family(doc_model) == family
            kin = boost[doc_model] = (same_model, same_family, (
                SAME_MODEL_BOOST if same_model else
                SAME_FAMILY_BOOST if same_family else 1.0))
        score = hits[doc] * kin[2]
        group = raw.get((diagnosis, actions))
        if group is None:
            group = raw[(diagnosis, actions)] = _Group(diagnosis, actions, score, [])
        elif score > group.best:
            group.best = score
        group.same_model |= kin[0]
        group.same_family |= kin[1]
        # stored as ISO text: its order is the time order
        group.members.append((str(at), order_id, doc_model, diagnosis, actions))
    # the same words with other spaces or widths are the same repair
    groups: dict[tuple[str, str], _Group] = {}
    for group in raw.values():
        key = (_norm(group.diagnosis), _norm(group.actions))
        into = groups.get(key)
        if into is None:
            groups[key] = group
            continue
        into.best = max(into.best, group.best)
        into.same_model |= group.same_model
        into.same_family |= group.same_family
        into.members.extend(group.members)
    for group in groups.values():
        group.members.sort(reverse=True)
        group.diagnosis, group.actions = (x.strip() for x in group.members[0][3:5])
    return groups


def _cursor(conn: Connection) -> int:
    value = conn.execute(text("SELECT value FROM settings WHERE key = :k"),
                         {"k": CURSOR_KEY}).scalar()
    try:
        return int(value or 0)
    except ValueError:
        return 0


def _rank_key(group: _Group) -> tuple[float, int, str]:
    # the best match, worth more the more often that repair was the answer; then newest
    times = len(group.members)
    return (round(group.best * (1 + 0.5 * math.log10(times)), 9), times,
            group.members[0][0])


def _suggestion(group: _Group, parts: tuple[PartUse, ...],
                examples: dict[str, tuple[str, str]]) -> Suggestion:
    at, order_id, model = group.members[0][:3]
    number, fault = examples.get(order_id, ("", ""))
    when = datetime.fromisoformat(at).replace(tzinfo=UTC)  # stored as naive UTC
    return Suggestion(group.diagnosis, group.actions, len(group.members), parts, when, number,
                      fault, model, group.same_model, group.same_family,
                      round(group.best, 6))
