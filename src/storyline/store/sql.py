"""The store operations written once, in SQL both databases run; `sqlite.py` and `postgres.py` are the dialects.

A fix to saving, merging or reading lands here, once. The statements use `?` placeholders (PostgreSQL's cursor
adapter turns them into psycopg's `%s`), name every column they read (rows are read by name: `sqlite3.Row`,
psycopg's dict rows), and use only SQL both databases share: `ON CONFLICT` upserts, row-value comparisons,
scalar subqueries in `UPDATE`. What a dialect still says, and why it differs:

- `_tx()` and `batch()`: SQLite takes its one-writer lock with `BEGIN IMMEDIATE` and defers the FTS5 index of a
  batch; PostgreSQL serialises story writes across processes with an advisory lock (`store/postgres.py`).
- `_insert_row()`: the article row and its full-text entry (a row of SQLite's FTS5 table; PostgreSQL's
  `tsvector` column, written in the same INSERT), and `search()`, which queries them.
- times (`_to_db`, `_from_db`): ISO text in SQLite, `timestamptz` in PostgreSQL; `_EARLIEST` sorts before all.
- names the released schemas gave differently: the insertion-order column (SQLite's `rowid`, PostgreSQL's
  identity `seq`) and the event span columns (`first`/`last`, `first_day`/`last_day`); no migration renames them.
- `_in()`: an id list as `IN (?, ?, …)` (SQLite binds scalars only) or `= ANY(?)` with one array (PostgreSQL).
"""

from __future__ import annotations

import json
import threading
from abc import abstractmethod
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from typing import Any, ClassVar, Generic, Protocol, Self, TypeVar

from storyline.errors import NotFoundError, StoreError
from storyline.models import Article, Change, Event, Story
from storyline.outlets import distinct_outlets
from storyline.store.base import STORY_ORDERS, Store, StoryOrder
from storyline.store.migrations import Migration
from storyline.store.rows import Row, build_articles, build_changes, link_json, paragraphs_json

_PAGE = 500  # articles materialised per query when iterating
# ORDER BY per StoryOrder; the last key breaks ties so paging is stable. `IS NULL` first: undated stories last
# (both dialects sort NULLs differently by default).
_STORY_ORDER_SQL: dict[str, str] = {
    "latest": "last_published IS NULL, last_published DESC, updated DESC",
    "first": "first_published IS NULL, first_published DESC, updated DESC",
    "size": "(SELECT COUNT(*) FROM articles a WHERE a.story_id = stories.id) DESC, last_published IS NULL, "
            "last_published DESC",
}
_MAX_TOMBSTONE_HOPS = 1000  # merges form chains; a cycle would be a bug, so stop following it

# The article columns `rows.build_articles` reads, after the dialect's insertion-order column.
ARTICLE_COLUMNS = (
    "id, source, url, title, text, language, language_confidence, published, published_precision, "
    "fetched, input_name, meta, paragraphs, link, story_id"
)
# The columns an article row is written with, in the order of `SQLStore._article_values`.
INSERT_COLUMNS = (
    "id", "source", "url", "title", "text", "language", "language_confidence", "published", "published_precision",
    "fetched", "seen", "input_name", "meta", "paragraphs", "link", "story_id", "event_id", "copy_of",
)


class Cursor(Protocol):
    """What the shared SQL needs of a cursor: sqlite3's own, or psycopg's behind `store/postgres.py`'s adapter."""

    @property
    def rowcount(self) -> int: ...

    def execute(self, sql: str, params: Sequence[Any] = (), /) -> Self: ...

    def executemany(self, sql: str, seq_of_params: Sequence[Sequence[Any]], /) -> Any: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def close(self) -> None: ...


C = TypeVar("C", bound=Cursor)


class SQLStore(Store, Generic[C]):
    """Every `Store` operation over a SQL database; subclasses fill in the dialect (see the module docstring)."""

    # -- the dialect ---------------------------------------------------------------------------------
    _SEQ: ClassVar[str]  # the articles' insertion-order column: the tie-break of every article ordering
    _EVENT_DAYS: ClassVar[tuple[str, str]]  # the events table's first and last reported day
    _EARLIEST: ClassVar[str]  # a SQL time literal sorting before every stored time
    _TIME_TYPE: ClassVar[str]  # the column type of a time (migrations.applied_at)
    _TABLE_EXISTS: ClassVar[str]  # a query with one row when the table named by its one parameter exists
    _MIGRATIONS: ClassVar[list[Migration]]
    _CHECK: ClassVar[str]  # what to check before retrying a failed write ("check the disk")
    _READ_HINT: ClassVar[str]
    _MIGRATE_HINT: ClassVar[str]
    _location: str  # the database named in messages (a path, a password-free URL)
    _db_errors: tuple[type[Exception], ...]  # the driver's exceptions, mapped to coded StoreErrors

    def __init__(self) -> None:
        # One connection is shared by every thread (the API serves from a threadpool) behind this lock.
        self._lock = threading.RLock()

    @abstractmethod
    def _tx(self) -> AbstractContextManager[C]:
        """One write transaction (inside `batch()`, a savepoint of the batch's), rolled back on any exception."""

    @abstractmethod
    def _cursor(self) -> C:
        """A new cursor for reads outside a write transaction; the caller holds the lock and closes it."""

    @abstractmethod
    def _to_db(self, dt: datetime | None) -> Any:
        """A datetime as the database stores it (naive ones are taken to be UTC)."""

    @abstractmethod
    def _from_db(self, value: Any) -> datetime | None:
        """A stored time as an aware UTC datetime."""

    @abstractmethod
    def _in(self, ids: list[str]) -> tuple[str, list[Any]]:
        """`column <this>` matches any of `ids`: the SQL after the column and its parameters."""

    @abstractmethod
    def _insert_row(self, cur: C, article: Article, values: tuple[Any, ...]) -> None:
        """Write the article row (`values` in `INSERT_COLUMNS` order) and its full-text entry."""

    # -- plumbing ------------------------------------------------------------------------------------
    def _now(self) -> Any:
        return self._to_db(datetime.now(UTC))

    @contextmanager
    def _reading(self) -> Iterator[C]:
        """A read cursor under the store's lock, for reads of several statements; errors become `store.read`."""
        with self._lock:
            cur = self._cursor()
            try:
                yield cur
            except self._db_errors as exc:
                raise self._read_error(exc) from exc
            finally:
                cur.close()

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        # `_reading` inlined: through it (two generator context managers then) `has_article` cost 1.5x as much
        with self._lock:
            cur = self._cursor()
            try:
                return cur.execute(sql, params).fetchall()
            except self._db_errors as exc:
                raise self._read_error(exc) from exc
            finally:
                cur.close()

    def _read_error(self, exc: Exception) -> StoreError:
        return StoreError(f"query failed: {str(exc).strip()}", code="store.read", input=self._location,
                          hint=self._READ_HINT)

    def _write_error(self, exc: Exception, what: str, input: str | None = None) -> StoreError:
        return StoreError(f"cannot {what}: {str(exc).strip()}", code="store.write", input=input or self._location,
                          hint=f"nothing was written; {self._CHECK} and retry")

    def _migrate(self) -> None:
        # Each migration is its own transaction with its `migrations` row, re-checked inside it: of two processes
        # opening a fresh database at once, one migrates, the other waits for its write lock and finds it done; a
        # failed migration leaves the database at the previous version. An up-to-date database is only read, so
        # opening one never waits for a writer.
        try:
            applied = self._applied_migrations()
            if applied is not None and all(m.id in applied for m in self._MIGRATIONS):
                return
            with self._tx() as cur:
                cur.execute("CREATE TABLE IF NOT EXISTS migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                            f"applied_at {self._TIME_TYPE} NOT NULL)")
            for mig in self._MIGRATIONS:
                with self._tx() as cur:
                    if cur.execute("SELECT 1 FROM migrations WHERE id = ?", (mig.id,)).fetchone():
                        continue
                    mig.apply(cur)
                    cur.execute("INSERT INTO migrations (id, name, applied_at) VALUES (?, ?, ?)",
                                (mig.id, mig.name, self._now()))
        except self._db_errors as exc:
            raise StoreError(f"cannot migrate the database: {str(exc).strip()}", code="store.migrate",
                             hint=self._MIGRATE_HINT, input=self._location) from exc

    def _applied_migrations(self) -> set[int] | None:
        """The recorded migration ids; None before the `migrations` table exists. Driver errors pass through."""
        with self._lock:
            cur = self._cursor()
            try:
                if not cur.execute(self._TABLE_EXISTS, ("migrations",)).fetchone():
                    return None
                return {r["id"] for r in cur.execute("SELECT id FROM migrations").fetchall()}
            finally:
                cur.close()

    def migrations(self) -> list[tuple[int, str]]:
        """(id, name) of every applied migration, in order."""
        return [(r["id"], r["name"]) for r in self._read("SELECT id, name FROM migrations ORDER BY id")]

    # -- writing -------------------------------------------------------------------------------------
    def has_article(self, article_id: str) -> bool:
        return bool(self._read("SELECT 1 FROM articles WHERE id = ?", (article_id,)))

    def save_article(self, article: Article) -> None:
        decision = article.link
        source = article.input_name or article.id
        if decision is None:
            raise StoreError(f"article {article.id} has no link decision", code="store.unlinked",
                             hint="run the link stage before saving", input=source)
        try:
            with self._tx() as cur:
                if cur.execute("SELECT 1 FROM articles WHERE id = ?", (article.id,)).fetchone():
                    return  # re-ingest of the same content (or another writer stored it first): nothing to do
                now = self._now()
                if decision.action == "new":
                    # DO NOTHING: a second writer (PostgreSQL without the advisory lock) may have created it
                    cur.execute("INSERT INTO stories (id, title, created, updated) VALUES (?, ?, ?, ?) "
                                "ON CONFLICT (id) DO NOTHING", (decision.story_id, article.title, now, now))
                story_id = self._live_id(cur, decision.story_id)
                self._insert_article(cur, article, story_id)
                self._log(cur, now, "create" if decision.action == "new" else "join", story_id, article.id, None, {
                    "score": decision.score,
                    "candidates": decision.candidate_count,
                    "features": decision.features,
                    "event": decision.event_id,
                    "event_action": decision.event_action,
                    "event_score": decision.event_score,
                    "copy_of": decision.copy_of,
                })
                self._save_event(cur, article, story_id, now)
                for gone in decision.merged:  # the article bridged these stories into this one
                    self._merge_in(cur, story_id, gone, {"article": article.id, "score": decision.score}, now)
                self._refresh_story(cur, story_id, now)
        except NotFoundError as exc:
            raise StoreError(f"cannot save article {article.id}: {exc.message}", code="store.no_story", input=source,
                             hint="the link decision points at a story this database does not hold; relink the "
                             "article") from exc
        except self._db_errors as exc:
            raise self._write_error(exc, f"save article {article.id}", source) from exc

    def _insert_article(self, cur: C, a: Article, story_id: str) -> None:
        decision = a.link
        self._insert_row(cur, a, (
            a.id, a.source, a.url, a.title, a.text, a.language, a.language_confidence, self._to_db(a.published),
            a.published_precision, self._to_db(a.fetched), self._to_db(a.published or a.fetched), a.input_name,
            json.dumps(a.meta, ensure_ascii=False), paragraphs_json(a.paragraphs), link_json(decision), story_id,
            decision.event_id if decision else None, decision.copy_of if decision else None,
        ))
        cur.executemany(
            "INSERT INTO entities (article_id, idx, text, type, key, start_char, end_char) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(a.id, i, e.text, e.type, e.key, e.start, e.end) for i, e in enumerate(a.entities)],
        )
        cur.executemany(
            "INSERT INTO quotes (article_id, idx, text, kind, speaker, speaker_key, cue, start_char, end_char) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(a.id, i, q.text, q.kind, q.speaker, q.speaker_key, q.cue, q.start, q.end)
             for i, q in enumerate(a.quotes)],
        )
        cur.executemany(
            "INSERT INTO dates (article_id, idx, text, value, granularity, anchored, start_char, end_char) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(a.id, i, d.text, d.value, d.granularity, d.anchored, d.start, d.end) for i, d in enumerate(a.dates)],
        )

    def _save_event(self, cur: C, a: Article, story_id: str, now: Any) -> None:
        """Create or extend the article's event (its reported day widens the event's span).

        The article row already names its event (`_insert_article`); one upsert creates the event or widens
        it, and an event whose story was merged away follows its articles into the live story.
        """
        decision = a.link
        if decision is None or decision.event_id is None:
            return
        first, last = self._EVENT_DAYS
        day = decision.event_day
        cur.execute(
            f"INSERT INTO events (id, story_id, title, created, {first}, {last}) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET story_id = excluded.story_id, "
            f"{first} = CASE WHEN excluded.{first} IS NOT NULL AND (events.{first} IS NULL "
            f"OR excluded.{first} < events.{first}) THEN excluded.{first} ELSE events.{first} END, "
            f"{last} = CASE WHEN excluded.{last} IS NOT NULL AND (events.{last} IS NULL "
            f"OR excluded.{last} > events.{last}) THEN excluded.{last} ELSE events.{last} END",
            (decision.event_id, story_id, a.title, now, day, day),
        )

    @staticmethod
    def _log(cur: C, at: Any, action: str, story_id: str, article_id: str | None, other: str | None,
             detail: dict[str, Any]) -> None:
        cur.execute(
            "INSERT INTO changes (at, action, story_id, article_id, other_story_id, detail) VALUES (?, ?, ?, ?, ?, ?)",
            (at, action, story_id, article_id, other, json.dumps(detail, ensure_ascii=False)),
        )

    @staticmethod
    def _live_id(cur: C, story_id: str) -> str:
        """Follow merge tombstones; an unknown id comes back unchanged (the caller decides what it means)."""
        current = story_id
        for _ in range(_MAX_TOMBSTONE_HOPS):
            row = cur.execute("SELECT merged_into FROM stories WHERE id = ?", (current,)).fetchone()
            if row is None or row["merged_into"] is None:
                return current
            current = row["merged_into"]
        raise StoreError(f"story {story_id} has a cycle of merge tombstones", code="store.corrupt",
                         hint="report this; the stories table needs repair")

    def _refresh_story(self, cur: C, story_id: str, now: Any) -> None:
        """Recompute a story's time range and title (its earliest-published article's) from its articles."""
        cur.execute(
            "UPDATE stories SET updated = ?, "
            "first_published = (SELECT MIN(published) FROM articles WHERE story_id = ?), "
            "last_published = (SELECT MAX(published) FROM articles WHERE story_id = ?), "
            "title = COALESCE((SELECT title FROM articles WHERE story_id = ? AND title != '' "
            f"ORDER BY published IS NULL, published, {self._SEQ} LIMIT 1), title) WHERE id = ?",
            (now, story_id, story_id, story_id, story_id),
        )
        if cur.rowcount == 0:
            raise NotFoundError(f"story {story_id} does not exist", input=story_id)

    def record_rejection(self, article: Article) -> None:
        rejected = article.rejected
        code, message = ("unknown", "rejected") if rejected is None else (rejected.code, rejected.message)
        try:
            with self._tx() as cur:
                cur.execute("INSERT INTO rejections (input_name, code, message, at) VALUES (?, ?, ?, ?)",
                            (article.input_name or article.id, code, message, self._now()))
        except self._db_errors as exc:
            raise self._write_error(exc, "record the rejection", article.input_name or article.id) from exc

    def merge_stories(self, keep: str, gone: str, detail: dict[str, float] | None = None) -> None:
        try:
            with self._tx() as cur:
                live_keep, live_gone = self._live_id(cur, keep), self._live_id(cur, gone)
                for sid in (live_keep, live_gone):
                    if not cur.execute("SELECT 1 FROM stories WHERE id = ?", (sid,)).fetchone():
                        raise NotFoundError(f"story {sid} does not exist", input=sid,
                                            hint="list stories to see the ids this database holds")
                if live_keep == live_gone:
                    return  # already one story
                now = self._now()
                self._merge_in(cur, live_keep, live_gone, dict(detail or {}), now)
                self._refresh_story(cur, live_keep, now)
        except self._db_errors as exc:
            raise self._write_error(exc, f"merge story {gone} into {keep}") from exc

    def _merge_in(self, cur: C, keep: str, gone: str, detail: dict[str, Any], now: Any) -> None:
        """Inside an open transaction: move `gone`'s articles and events into `keep`, leave a tombstone."""
        live_keep, live_gone = self._live_id(cur, keep), self._live_id(cur, gone)
        if live_keep == live_gone or not cur.execute("SELECT 1 FROM stories WHERE id = ?", (live_gone,)).fetchone():
            return  # already one story, or nothing to merge
        cur.execute("UPDATE articles SET story_id = ? WHERE story_id = ?", (live_keep, live_gone))
        cur.execute("UPDATE events SET story_id = ? WHERE story_id = ?", (live_keep, live_gone))
        cur.execute("UPDATE stories SET merged_into = ?, updated = ? WHERE id = ?", (live_keep, now, live_gone))
        self._log(cur, now, "merge", live_keep, None, live_gone, detail)

    def merge_events(self, keep: str, gone: str, detail: dict[str, Any] | None = None) -> None:
        first, last = self._EVENT_DAYS
        try:
            with self._tx() as cur:
                live_keep, live_gone = self._live_event(cur, keep), self._live_event(cur, gone)
                if live_keep == live_gone:
                    return  # already one event
                rows = {r["id"]: r for r in cur.execute(
                    f"SELECT id, story_id, {first} AS first, {last} AS last FROM events WHERE id IN (?, ?)",
                    (live_keep, live_gone)).fetchall()}
                for eid in (live_keep, live_gone):
                    if eid not in rows:
                        raise NotFoundError(f"event {eid} does not exist", input=eid,
                                            hint="list a story's events to see the ids this database holds")
                story_id = rows[live_keep]["story_id"]
                if rows[live_gone]["story_id"] != story_id:
                    raise StoreError(f"events {live_keep} and {live_gone} are in different stories",
                                     code="store.conflict", input=live_gone,
                                     hint="merge the stories first; events merge only inside one story")
                now = self._now()
                day_1, day_n = rows[live_gone]["first"], rows[live_gone]["last"]
                cur.execute(
                    f"UPDATE events SET {first} = CASE WHEN {first} IS NULL OR ? < {first} THEN ? ELSE {first} END, "
                    f"{last} = CASE WHEN {last} IS NULL OR ? > {last} THEN ? ELSE {last} END WHERE id = ?",
                    (day_1, day_1, day_n, day_n, live_keep),
                )
                cur.execute("UPDATE articles SET event_id = ? WHERE event_id = ?", (live_keep, live_gone))
                cur.execute("DELETE FROM events WHERE id = ?", (live_gone,))
                cur.execute("INSERT INTO event_tombstones (id, merged_into, at) VALUES (?, ?, ?)",
                            (live_gone, live_keep, now))
                self._log(cur, now, "event_merge", story_id, None, None,
                          {"event": live_keep, "merged_event": live_gone, **(detail or {})})
        except self._db_errors as exc:
            raise self._write_error(exc, f"merge event {gone} into {keep}") from exc

    def live_event_id(self, event_id: str) -> str:
        with self._reading() as cur:
            return self._live_event(cur, event_id)

    @staticmethod
    def _live_event(cur: C, event_id: str) -> str:
        current = event_id
        for _ in range(_MAX_TOMBSTONE_HOPS):
            row = cur.execute("SELECT merged_into FROM event_tombstones WHERE id = ?", (current,)).fetchone()
            if row is None:
                return current
            current = row["merged_into"]
        raise StoreError(f"event {event_id} has a cycle of merge tombstones", code="store.corrupt",
                         hint="report this; the event_tombstones table needs repair")

    # -- reading -------------------------------------------------------------------------------------
    def get_article(self, article_id: str) -> Article:
        rows = self._read(f"SELECT {self._SEQ}, {ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,))
        if not rows:
            raise NotFoundError(f"no article {article_id}", input=article_id,
                                hint="search or list a story's articles to find stored ids")
        return self._build_articles(rows)[0]

    def list_stories(self, limit: int = 100, offset: int = 0, order: StoryOrder = "latest") -> list[Story]:
        if order not in _STORY_ORDER_SQL:
            raise StoreError(f"unknown story order {order!r}", code="store.order", input=order,
                             hint=f"use one of {', '.join(STORY_ORDERS)}")
        rows = self._read(
            f"SELECT * FROM stories WHERE merged_into IS NULL ORDER BY {_STORY_ORDER_SQL[order]}, id LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return self._build_stories(rows)

    def _live_story_row(self, story_id: str) -> Row:
        with self._reading() as cur:
            live = self._live_id(cur, story_id)
        rows = self._read("SELECT * FROM stories WHERE id = ?", (live,))
        if not rows:
            raise NotFoundError(f"no story {story_id}", input=story_id, hint="list stories to see the stored ids")
        return rows[0]

    def get_story(self, story_id: str) -> Story:
        return self._build_stories([self._live_story_row(story_id)])[0]

    def story_articles(self, story_id: str) -> list[Article]:
        live = self._live_story_row(story_id)["id"]
        rows = self._read(
            f"SELECT {self._SEQ}, {ARTICLE_COLUMNS} FROM articles WHERE story_id = ? "
            f"ORDER BY published IS NULL, published, {self._SEQ}",
            (live,),
        )
        return self._build_articles(rows)

    def articles_since(self, since: datetime | None) -> Iterator[Article]:
        # Keyset pagination on (seen, insertion order): the lock is held per page, never while the caller works.
        # Articles with neither publication nor fetch time sort first and come only when `since` is None.
        seq, earliest = self._SEQ, self._EARLIEST
        after: tuple[Any, int] = (self._to_db(since), -1)
        while True:
            rows = self._read(
                f"SELECT {seq}, {ARTICLE_COLUMNS}, seen FROM articles "
                f"WHERE (COALESCE(seen, {earliest}), {seq}) > (COALESCE(?, {earliest}), ?) "
                f"ORDER BY COALESCE(seen, {earliest}), {seq} LIMIT ?",
                (after[0], after[1], _PAGE),
            )
            if not rows:
                return
            yield from self._build_articles(rows)
            after = (rows[-1]["seen"], rows[-1][seq])

    def latest_published(self) -> datetime | None:
        rows = self._read("SELECT MAX(published) AS latest FROM articles")
        return self._from_db(rows[0]["latest"]) if rows else None

    def story_events(self, story_id: str) -> list[Event]:
        live: str = self._live_story_row(story_id)["id"]
        return self._events_of([live])[live]

    def _events_of(self, story_ids: list[str]) -> dict[str, list[Event]]:
        out: dict[str, list[Event]] = {i: [] for i in story_ids}
        if not story_ids:
            return out
        first, last = self._EVENT_DAYS
        among, params = self._in(story_ids)
        events: dict[str, Event] = {}
        for r in self._read(
            f"SELECT id, story_id, title, {first} AS first, {last} AS last FROM events WHERE story_id {among} "
            f"ORDER BY {first} IS NULL, {first}, created, id",
            params,
        ):
            events[r["id"]] = Event(r["id"], r["story_id"], r["title"], [], r["first"], r["last"])
            out[r["story_id"]].append(events[r["id"]])
        for r in self._read(
            f"SELECT id, event_id FROM articles WHERE story_id {among} AND event_id IS NOT NULL "
            f"ORDER BY published IS NULL, published, {self._SEQ}",
            params,
        ):
            if r["event_id"] in events:
                events[r["event_id"]].articles.append(r["id"])
        return out

    def changes(self, since: int | datetime = 0) -> list[Change]:
        if isinstance(since, datetime):
            rows = self._read("SELECT * FROM changes WHERE at > ? ORDER BY seq", (self._to_db(since),))
        else:
            rows = self._read("SELECT * FROM changes WHERE seq > ? ORDER BY seq", (since,))
        return build_changes(rows, self._from_db)

    def rejections(self) -> list[tuple[str, str, str]]:
        rows = self._read("SELECT input_name, code, message FROM rejections ORDER BY id")
        return [(r["input_name"], r["code"], r["message"]) for r in rows]

    def counts(self) -> dict[str, int]:
        row = self._read(
            "SELECT (SELECT COUNT(*) FROM articles) AS articles, "
            "(SELECT COUNT(*) FROM stories WHERE merged_into IS NULL) AS stories, "
            "(SELECT COUNT(*) FROM rejections) AS rejections"
        )[0]
        return {k: int(row[k]) for k in ("articles", "stories", "rejections")}

    # -- row → model ---------------------------------------------------------------------------------
    def _build_stories(self, rows: list[Row]) -> list[Story]:
        if not rows:
            return []
        ids = [r["id"] for r in rows]
        among, params = self._in(ids)
        members: dict[str, list[tuple[str, str | None]]] = {i: [] for i in ids}
        outlets: dict[str, dict[str, None]] = {i: {} for i in ids}
        reports: Counter[str] = Counter()
        for r in self._read(
            f"SELECT story_id, id, language, source, copy_of FROM articles WHERE story_id {among} "
            f"ORDER BY published IS NULL, published, {self._SEQ}",
            params,
        ):
            members[r["story_id"]].append((r["id"], r["language"]))
            outlets[r["story_id"]].setdefault(r["source"], None)
            reports[r["story_id"]] += r["copy_of"] is None
        events = self._events_of(ids)
        stories = []
        for r in rows:
            arts = members[r["id"]]
            langs = Counter(lang for _, lang in arts if lang)
            stories.append(Story(
                id=r["id"],
                title=r["title"],
                languages=sorted(langs, key=lambda k: (-langs[k], k)),
                articles=[a for a, _ in arts],
                created=self._from_db(r["created"]) or datetime.now(UTC),
                updated=self._from_db(r["updated"]) or datetime.now(UTC),
                first_published=self._from_db(r["first_published"]),
                last_published=self._from_db(r["last_published"]),
                merged_into=r["merged_into"],
                events=events[r["id"]],
                reports=reports[r["id"]],
                outlets=distinct_outlets(outlets[r["id"]]),
            ))
        return stories

    def _build_articles(self, rows: list[Row]) -> list[Article]:
        if not rows:
            return []
        among, params = self._in([r["id"] for r in rows])

        def extraction(table: str) -> list[Row]:
            return self._read(f"SELECT * FROM {table} WHERE article_id {among} ORDER BY article_id, idx", params)

        return build_articles(rows, extraction("entities"), extraction("quotes"), extraction("dates"), self._from_db)
