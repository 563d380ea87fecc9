"""The default store: one SQLite file in WAL mode, migrated on open, every write one transaction.

One connection is shared by every thread (the API serves from a threadpool) behind a lock: SQLite has one
writer per database anyway, and reads are short. Datetimes are stored as UTC ISO 8601 text with microseconds,
so they sort as text; they are read back as aware datetimes. JSON columns hold the parts of an article nobody
queries (meta, paragraphs, the link decision).
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from storyline.errors import NotFoundError, StoreError
from storyline.models import Article, Change, Event, Story
from storyline.store.base import Store
from storyline.store.rows import build_articles, build_changes, link_json, paragraphs_json
from storyline.store.schema import MIGRATIONS

_BUSY_TIMEOUT_MS = 10_000  # a second writer (another `storyline ingest`) waits this long before failing
_PAGE = 500  # articles materialised per query when iterating
_MAX_TOMBSTONE_HOPS = 1000  # merges form chains; a cycle would be a bug, so stop following it

_ARTICLE_COLUMNS = (
    "rowid, id, source, url, title, text, language, language_confidence, published, published_precision, "
    "fetched, input_name, meta, paragraphs, link, story_id"
)

_PREFIXED_COLUMNS = ", ".join("a." + c.strip() for c in _ARTICLE_COLUMNS.split(","))


def to_text(dt: datetime | None) -> str | None:
    """A datetime as sortable UTC ISO text; naive datetimes are taken to be UTC."""
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).isoformat(timespec="microseconds")


def from_text(value: str | None) -> datetime | None:
    if value is None:
        return None
    dt = datetime.fromisoformat(value)
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _fts_query(query: str) -> str:
    """User words as an AND of quoted FTS5 terms, so punctuation and FTS operators in a query are text."""
    words = re.findall(r"\w+", query)
    return " ".join(f'"{w}"' for w in words)


class SQLiteStore(Store):
    def __init__(self, path: str):
        self.path = path
        self.url = path if path == ":memory:" else f"sqlite:///{path}"
        self._lock = threading.RLock()
        self._batch_depth = 0  # open `batch()` blocks; > 0: writes are savepoints in the batch's transaction
        self._fts_pending: list[tuple[int, str, str]] = []  # (rowid, title, text) a batch indexes when it commits
        try:
            self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            self._conn.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA foreign_keys = ON")
            self._conn.execute(
                "PRAGMA synchronous = NORMAL"
            )  # safe with WAL; a crash loses at most the last commit
        except sqlite3.Error as exc:
            raise StoreError(
                f"cannot open the SQLite database: {exc}",
                code="store.open",
                hint="check that the directory exists and is writable and that the file is a SQLite database",
                input=path,
            ) from exc
        self._migrate()

    # -- plumbing ------------------------------------------------------------------------------------
    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Cursor]:
        """One write transaction: committed when the block ends, rolled back on any exception.

        Inside `batch()` it is a savepoint of the batch's transaction instead: rolled back alone on an exception,
        so one bad article never loses the others, and made durable when the batch commits.
        """
        with self._lock:
            cur = self._conn.cursor()
            try:
                if self._batch_depth:
                    yield from self._savepoint(cur)
                    return
                cur.execute("BEGIN IMMEDIATE")
                try:
                    yield cur
                    cur.execute("COMMIT")
                except BaseException:
                    self._conn.rollback()
                    raise
            finally:
                cur.close()

    def _savepoint(self, cur: sqlite3.Cursor) -> Iterator[sqlite3.Cursor]:
        if not self._conn.in_transaction:  # the batch's first write, or the first after a lost batch
            cur.execute("BEGIN IMMEDIATE")
        pending = len(self._fts_pending)
        cur.execute("SAVEPOINT article")
        try:
            yield cur
            cur.execute("RELEASE article")
        except BaseException as exc:
            del self._fts_pending[pending:]
            if self._conn.in_transaction:
                cur.execute("ROLLBACK TO article")
                cur.execute("RELEASE article")
                raise
            self._fts_pending.clear()
            # Some errors (a full disk, an I/O error) make SQLite roll back the whole transaction: the articles
            # saved earlier in this batch are gone with it, and the caller's in-memory state is now ahead.
            raise StoreError(
                f"a write failed and SQLite rolled back the whole batch: {exc}",
                code="store.batch_lost",
                hint="every article saved since the batch began was lost: check the disk, rebuild the linker "
                "(a new Linker reloads its window from the store) and ingest those articles again",
                input=self.path,
            ) from exc

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Group the writes made inside the block into one transaction, committed when the block ends.

        Saving an article commits a transaction, and the commit (FTS5 flushing its index, pages written to
        the WAL) is most of what a save costs; a batch pays it once. Each write is still a savepoint: one that
        fails is rolled back alone and the batch goes on. Reads on this store see every saved article at once;
        other connections see them when the block ends. Durability is the trade-off: a crash inside the block
        loses what was saved since it began (every earlier batch is kept), so keep batches to a few hundred
        articles. The block commits on any exit, an exception included: what was saved before the exception
        is complete. Batches nest (the outermost commits). The store's lock is not held between writes, so other
        threads can read meanwhile; their writes during the block join the batch.
        """
        with self._lock:
            self._batch_depth += 1
        try:
            yield
        finally:
            with self._lock:
                self._batch_depth -= 1
                if not self._batch_depth and self._conn.in_transaction:
                    self._commit_batch()

    def _flush_fts(self) -> None:
        """Index the texts a batch saved, inside its transaction.

        FTS5 writes its pending terms out as a new index segment at every savepoint, which would cost a batch
        what a commit per article costs; the batch's texts are indexed together instead, just before it commits
        (and before any search inside the batch, so a search sees every saved article).
        """
        if self._fts_pending:
            self._conn.executemany("INSERT INTO articles_fts (rowid, title, text) VALUES (?, ?, ?)", self._fts_pending)
            self._fts_pending.clear()

    def _commit_batch(self) -> None:
        try:
            self._flush_fts()
            self._conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self._fts_pending.clear()
            self._conn.rollback()
            raise StoreError(
                f"cannot commit the batch: {exc}",
                code="store.batch_lost",
                hint="none of the batch's articles was saved: check the disk, rebuild the linker (a new Linker "
                "reloads its window from the store) and ingest them again",
                input=self.path,
            ) from exc

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            try:
                cur = self._conn.cursor()
                cur.row_factory = sqlite3.Row
                return cur.execute(sql, params).fetchall()
            except sqlite3.Error as exc:
                raise StoreError(
                    f"query failed: {exc}",
                    code="store.read",
                    input=self.path,
                    hint="the database may be corrupt or from a newer storyline",
                ) from exc
            finally:
                cur.close()

    def _migrate(self) -> None:
        try:
            with self._lock:
                self._conn.execute(
                    "CREATE TABLE IF NOT EXISTS migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                    "applied_at TEXT NOT NULL)"
                )
            applied = {row[0] for row in self._read("SELECT id FROM migrations")}
            for mig in MIGRATIONS:
                if mig.id in applied:
                    continue
                with self._tx() as cur:
                    mig.apply(cur)
                    cur.execute(
                        "INSERT INTO migrations (id, name, applied_at) VALUES (?, ?, ?)",
                        (mig.id, mig.name, _now()),
                    )
        except sqlite3.Error as exc:
            raise StoreError(
                f"cannot migrate the database: {exc}",
                code="store.migrate",
                hint="the file may not be a storyline database; point --db at a new file",
                input=self.path,
            ) from exc

    def migrations(self) -> list[tuple[int, str]]:
        """(id, name) of every applied migration, in order."""
        return [(r["id"], r["name"]) for r in self._read("SELECT id, name FROM migrations ORDER BY id")]

    def pragma(self, name: str) -> Any:
        """The value of one PRAGMA (for diagnostics and tests), e.g. `pragma("journal_mode")`."""
        if not name.isidentifier():
            raise StoreError(
                f"not a pragma name: {name!r}", code="store.read", hint="pass a bare pragma name"
            )
        return self._read(f"PRAGMA {name}")[0][0]

    # -- writing -------------------------------------------------------------------------------------
    def has_article(self, article_id: str) -> bool:
        return bool(self._read("SELECT 1 FROM articles WHERE id = ?", (article_id,)))

    def save_article(self, article: Article) -> None:
        decision = article.link
        if decision is None:
            raise StoreError(
                f"article {article.id} has no link decision",
                code="store.unlinked",
                hint="run the link stage before saving",
                input=article.input_name or article.id,
            )
        try:
            with self._tx() as cur:
                if cur.execute("SELECT 1 FROM articles WHERE id = ?", (article.id,)).fetchone():
                    return  # re-ingest of the same content: nothing to do
                now = _now()
                if decision.action == "new":
                    cur.execute(
                        "INSERT INTO stories (id, title, created, updated) VALUES (?, ?, ?, ?)",
                        (decision.story_id, article.title, now, now),
                    )
                story_id = self._live_id(cur, decision.story_id)
                rowid = self._insert_article(cur, article, story_id)
                if self._batch_depth:
                    self._fts_pending.append((rowid, article.title, article.text))  # see _flush_fts
                else:
                    cur.execute(
                        "INSERT INTO articles_fts (rowid, title, text) VALUES (?, ?, ?)",
                        (rowid, article.title, article.text),
                    )
                self._log(
                    cur,
                    now,
                    "create" if decision.action == "new" else "join",
                    story_id,
                    article.id,
                    None,
                    {
                        "score": decision.score,
                        "candidates": decision.candidate_count,
                        "features": decision.features,
                        "event": decision.event_id,
                        "event_action": decision.event_action,
                        "event_score": decision.event_score,
                        "copy_of": decision.copy_of,
                    },
                )
                self._save_event(cur, article, story_id, now)
                for gone in decision.merged:  # the article bridged these stories into this one
                    self._merge_in(cur, story_id, gone, {"article": article.id, "score": decision.score}, now)
                self._refresh_story(cur, story_id, now)
        except NotFoundError as exc:
            raise StoreError(
                f"cannot save article {article.id}: {exc.message}",
                code="store.no_story",
                hint="the link decision points at a story this database does not hold; relink the article",
                input=article.input_name or article.id,
            ) from exc
        except sqlite3.Error as exc:
            raise StoreError(
                f"cannot save article {article.id}: {exc}",
                code="store.write",
                hint="nothing of this article was written; check the disk and retry",
                input=article.input_name or article.id,
            ) from exc

    def _insert_article(self, cur: sqlite3.Cursor, a: Article, story_id: str) -> int:
        decision = a.link
        cur.execute(
            "INSERT INTO articles (id, source, url, title, text, language, language_confidence, published, "
            "published_precision, fetched, seen, input_name, meta, paragraphs, link, story_id, event_id, copy_of) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                a.id,
                a.source,
                a.url,
                a.title,
                a.text,
                a.language,
                a.language_confidence,
                to_text(a.published),
                a.published_precision,
                to_text(a.fetched),
                to_text(a.published or a.fetched),
                a.input_name,
                json.dumps(a.meta, ensure_ascii=False),
                paragraphs_json(a.paragraphs),
                link_json(decision),
                story_id,
                decision.event_id if decision else None,
                decision.copy_of if decision else None,
            ),
        )
        rowid = cur.lastrowid
        assert rowid is not None  # an INSERT always sets it
        cur.executemany(
            "INSERT INTO entities (article_id, idx, text, type, key, start_char, end_char) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(a.id, i, e.text, e.type, e.key, e.start, e.end) for i, e in enumerate(a.entities)],
        )
        cur.executemany(
            "INSERT INTO quotes (article_id, idx, text, kind, speaker, speaker_key, cue, start_char,"
            " end_char) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (a.id, i, q.text, q.kind, q.speaker, q.speaker_key, q.cue, q.start, q.end)
                for i, q in enumerate(a.quotes)
            ],
        )
        cur.executemany(
            "INSERT INTO dates (article_id, idx, text, value, granularity, anchored, start_char, end_char) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (a.id, i, d.text, d.value, d.granularity, d.anchored, d.start, d.end)
                for i, d in enumerate(a.dates)
            ],
        )
        return rowid

    @staticmethod
    def _save_event(cur: sqlite3.Cursor, a: Article, story_id: str, now: str) -> None:
        """Create or extend the article's event (its reported day widens the event's span).

        The article row already names its event (`_insert_article`); one upsert creates the event or widens
        it, and an event whose story was merged away follows its articles into the live story.
        """
        decision = a.link
        if decision is None or decision.event_id is None:
            return
        day = decision.event_day
        cur.execute(
            "INSERT INTO events (id, story_id, title, created, first, last) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET story_id = excluded.story_id, "
            "first = CASE WHEN excluded.first IS NOT NULL AND (first IS NULL OR excluded.first < first) "
            "THEN excluded.first ELSE first END, "
            "last = CASE WHEN excluded.last IS NOT NULL AND (last IS NULL OR excluded.last > last) "
            "THEN excluded.last ELSE last END",
            (decision.event_id, story_id, a.title, now, day, day),
        )

    @staticmethod
    def _log(
        cur: sqlite3.Cursor,
        at: str,
        action: str,
        story_id: str,
        article_id: str | None,
        other: str | None,
        detail: dict[str, Any],
    ) -> None:
        cur.execute(
            "INSERT INTO changes (at, action, story_id, article_id, other_story_id, detail) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (at, action, story_id, article_id, other, json.dumps(detail, ensure_ascii=False)),
        )

    @staticmethod
    def _live_id(cur: sqlite3.Cursor, story_id: str) -> str:
        """Follow merge tombstones; an unknown id comes back unchanged (the caller decides what it means)."""
        current = story_id
        for _ in range(_MAX_TOMBSTONE_HOPS):
            row = cur.execute("SELECT merged_into FROM stories WHERE id = ?", (current,)).fetchone()
            if row is None or row[0] is None:
                return current
            current = row[0]
        raise StoreError(
            f"story {story_id} has a cycle of merge tombstones",
            code="store.corrupt",
            hint="report this; the stories table needs repair",
        )

    @staticmethod
    def _refresh_story(cur: sqlite3.Cursor, story_id: str, now: str) -> None:
        """Recompute a story's time range and title (its earliest-published article's) from its articles."""
        first, last = cur.execute(
            "SELECT MIN(published), MAX(published) FROM articles WHERE story_id = ?", (story_id,)
        ).fetchone()
        row = cur.execute(
            "SELECT title FROM articles WHERE story_id = ? AND title != '' "
            "ORDER BY published IS NULL, published, rowid LIMIT 1",
            (story_id,),
        ).fetchone()
        cur.execute(
            "UPDATE stories SET updated = ?, first_published = ?, last_published = ?, "
            "title = COALESCE(?, title) WHERE id = ?",
            (now, first, last, row[0] if row else None, story_id),
        )
        if cur.rowcount == 0:
            raise NotFoundError(f"story {story_id} does not exist", input=story_id)

    def record_rejection(self, article: Article) -> None:
        code, message = (
            ("unknown", "rejected")
            if article.rejected is None
            else (article.rejected.code, article.rejected.message)
        )
        try:
            with self._tx() as cur:
                cur.execute(
                    "INSERT INTO rejections (input_name, code, message, at) VALUES (?, ?, ?, ?)",
                    (article.input_name or article.id, code, message, _now()),
                )
        except sqlite3.Error as exc:
            raise StoreError(
                f"cannot record the rejection: {exc}",
                code="store.write",
                hint="check the disk and retry",
                input=article.input_name or article.id,
            ) from exc

    def merge_stories(self, keep: str, gone: str, detail: dict[str, float] | None = None) -> None:
        try:
            with self._tx() as cur:
                live_keep, live_gone = self._live_id(cur, keep), self._live_id(cur, gone)
                for sid in (live_keep, live_gone):
                    if not cur.execute("SELECT 1 FROM stories WHERE id = ?", (sid,)).fetchone():
                        raise NotFoundError(
                            f"story {sid} does not exist",
                            input=sid,
                            hint="list stories to see the ids this database holds",
                        )
                if live_keep == live_gone:
                    return  # already one story
                now = _now()
                self._merge_in(cur, live_keep, live_gone, dict(detail or {}), now)
                self._refresh_story(cur, live_keep, now)
        except sqlite3.Error as exc:
            raise StoreError(
                f"cannot merge story {gone} into {keep}: {exc}",
                code="store.write",
                hint="nothing was changed; retry",
            ) from exc

    def _merge_in(self, cur: sqlite3.Cursor, keep: str, gone: str, detail: dict[str, Any], now: str) -> None:
        """Inside an open transaction: move `gone`'s articles and events into `keep`, leave a tombstone."""
        live_keep, live_gone = self._live_id(cur, keep), self._live_id(cur, gone)
        if live_keep == live_gone or not cur.execute("SELECT 1 FROM stories WHERE id = ?", (live_gone,)).fetchone():
            return  # already one story, or nothing to merge
        cur.execute("UPDATE articles SET story_id = ? WHERE story_id = ?", (live_keep, live_gone))
        cur.execute("UPDATE events SET story_id = ? WHERE story_id = ?", (live_keep, live_gone))
        cur.execute("UPDATE stories SET merged_into = ?, updated = ? WHERE id = ?", (live_keep, now, live_gone))
        self._log(cur, now, "merge", live_keep, None, live_gone, detail)

    def merge_events(self, keep: str, gone: str, detail: dict[str, Any] | None = None) -> None:
        try:
            with self._tx() as cur:
                live_keep, live_gone = self._live_event(cur, keep), self._live_event(cur, gone)
                if live_keep == live_gone:
                    return  # already one event
                rows = {r[0]: r for r in cur.execute(
                    "SELECT id, story_id, first, last FROM events WHERE id IN (?, ?)", (live_keep, live_gone))}
                for eid in (live_keep, live_gone):
                    if eid not in rows:
                        raise NotFoundError(f"event {eid} does not exist", input=eid,
                                            hint="list a story's events to see the ids this database holds")
                story_id = rows[live_keep][1]
                if rows[live_gone][1] != story_id:
                    raise StoreError(f"events {live_keep} and {live_gone} are in different stories",
                                     code="store.conflict", input=live_gone,
                                     hint="merge the stories first; events merge only inside one story")
                now = _now()
                _, _, first, last = rows[live_gone]
                cur.execute(
                    "UPDATE events SET first = CASE WHEN first IS NULL OR ? < first THEN ? ELSE first END, "
                    "last = CASE WHEN last IS NULL OR ? > last THEN ? ELSE last END WHERE id = ?",
                    (first, first, last, last, live_keep),
                )
                cur.execute("UPDATE articles SET event_id = ? WHERE event_id = ?", (live_keep, live_gone))
                cur.execute("DELETE FROM events WHERE id = ?", (live_gone,))
                cur.execute("INSERT INTO event_tombstones (id, merged_into, at) VALUES (?, ?, ?)",
                            (live_gone, live_keep, now))
                self._log(cur, now, "event_merge", story_id, None, None,
                          {"event": live_keep, "merged_event": live_gone, **(detail or {})})
        except sqlite3.Error as exc:
            raise StoreError(f"cannot merge event {gone} into {keep}: {exc}", code="store.write",
                             hint="nothing was changed; retry") from exc

    def live_event_id(self, event_id: str) -> str:
        with self._lock:
            cur = self._conn.cursor()
            try:
                return self._live_event(cur, event_id)
            finally:
                cur.close()

    @staticmethod
    def _live_event(cur: sqlite3.Cursor, event_id: str) -> str:
        current = event_id
        for _ in range(_MAX_TOMBSTONE_HOPS):
            row = cur.execute("SELECT merged_into FROM event_tombstones WHERE id = ?", (current,)).fetchone()
            if row is None:
                return current
            current = row[0]
        raise StoreError(f"event {event_id} has a cycle of merge tombstones", code="store.corrupt",
                         hint="report this; the event_tombstones table needs repair")

    # -- reading -------------------------------------------------------------------------------------
    def get_article(self, article_id: str) -> Article:
        rows = self._read(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,))
        if not rows:
            raise NotFoundError(
                f"no article {article_id}",
                input=article_id,
                hint="search or list a story's articles to find stored ids",
            )
        return self._build_articles(rows)[0]

    def list_stories(self, limit: int = 100, offset: int = 0) -> list[Story]:
        rows = self._read(
            "SELECT * FROM stories WHERE merged_into IS NULL "
            "ORDER BY last_published IS NULL, last_published DESC, updated DESC, id LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return self._build_stories(rows)

    def get_story(self, story_id: str) -> Story:
        with self._lock:
            cur = self._conn.cursor()
            try:
                live = self._live_id(cur, story_id)
            finally:
                cur.close()
        rows = self._read("SELECT * FROM stories WHERE id = ?", (live,))
        if not rows:
            raise NotFoundError(
                f"no story {story_id}", input=story_id, hint="list stories to see the stored ids"
            )
        return self._build_stories(rows)[0]

    def story_articles(self, story_id: str) -> list[Article]:
        live = self.get_story(story_id).id
        rows = self._read(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE story_id = ? "
            "ORDER BY published IS NULL, published, rowid",
            (live,),
        )
        return self._build_articles(rows)

    def articles_since(self, since: datetime | None) -> Iterator[Article]:
        # Keyset pagination on (seen, rowid): the lock is held per page, never while the caller works.
        # Undated-and-unfetched articles sort as '' (first) and are only included when `since` is None.
        after: tuple[str, int] = (to_text(since) or "", -1)
        while True:
            rows = self._read(
                f"SELECT {_ARTICLE_COLUMNS}, COALESCE(seen, '') AS sort FROM articles "
                "WHERE (COALESCE(seen, ''), rowid) > (?, ?) ORDER BY COALESCE(seen, ''), rowid LIMIT ?",
                (after[0], after[1], _PAGE),
            )
            if not rows:
                return
            yield from self._build_articles(rows)
            after = (rows[-1]["sort"], rows[-1]["rowid"])

    def latest_published(self) -> datetime | None:
        rows = self._read("SELECT MAX(published) FROM articles")
        return from_text(rows[0][0]) if rows else None

    def search(self, query: str, limit: int = 20) -> list[Article]:
        match = _fts_query(query)
        if not match:
            return []
        with self._lock:
            try:
                self._flush_fts()  # inside a batch: its saved articles are found too
            except sqlite3.Error as exc:
                raise StoreError(f"cannot index the batch's articles for search: {exc}", code="store.write",
                                 hint="check the disk and retry", input=self.path) from exc
        rows = self._read(
            f"SELECT {_PREFIXED_COLUMNS} "
            "FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid "
            "WHERE articles_fts MATCH ? ORDER BY articles_fts.rank LIMIT ?",
            (match, limit),
        )
        return self._build_articles(rows)

    def story_events(self, story_id: str) -> list[Event]:
        live = self.get_story(story_id).id
        return self._events_of([live])[live]

    def _events_of(self, story_ids: list[str]) -> dict[str, list[Event]]:
        out: dict[str, list[Event]] = {i: [] for i in story_ids}
        if not story_ids:
            return out
        marks = ",".join("?" * len(story_ids))
        events: dict[str, Event] = {}
        for r in self._read(
            f"SELECT id, story_id, title, first, last FROM events WHERE story_id IN ({marks}) "
            "ORDER BY first IS NULL, first, created, id",
            story_ids,
        ):
            events[r["id"]] = Event(r["id"], r["story_id"], r["title"], [], r["first"], r["last"])
            out[r["story_id"]].append(events[r["id"]])
        for r in self._read(
            f"SELECT id, event_id FROM articles WHERE story_id IN ({marks}) AND event_id IS NOT NULL "
            "ORDER BY published IS NULL, published, rowid",
            story_ids,
        ):
            if r["event_id"] in events:
                events[r["event_id"]].articles.append(r["id"])
        return out

    def changes(self, since: int | datetime = 0) -> list[Change]:
        if isinstance(since, datetime):
            rows = self._read("SELECT * FROM changes WHERE at > ? ORDER BY seq", (to_text(since),))
        else:
            rows = self._read("SELECT * FROM changes WHERE seq > ? ORDER BY seq", (since,))
        return build_changes(rows, from_text)

    def rejections(self) -> list[tuple[str, str, str]]:
        rows = self._read("SELECT input_name, code, message FROM rejections ORDER BY id")
        return [(r[0], r[1], r[2]) for r in rows]

    def counts(self) -> dict[str, int]:
        row = self._read(
            "SELECT (SELECT COUNT(*) FROM articles), "
            "(SELECT COUNT(*) FROM stories WHERE merged_into IS NULL), "
            "(SELECT COUNT(*) FROM rejections)"
        )[0]
        return {"articles": row[0], "stories": row[1], "rejections": row[2]}

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    # -- row → model ---------------------------------------------------------------------------------
    def _build_stories(self, rows: list[sqlite3.Row]) -> list[Story]:
        if not rows:
            return []
        ids = [r["id"] for r in rows]
        marks = ",".join("?" * len(ids))
        members: dict[str, list[tuple[str, str | None]]] = {i: [] for i in ids}
        outlets: dict[str, dict[str, None]] = {i: {} for i in ids}
        reports: Counter[str] = Counter()
        for r in self._read(
            f"SELECT story_id, id, language, source, copy_of FROM articles WHERE story_id IN ({marks}) "
            "ORDER BY published IS NULL, published, rowid",
            ids,
        ):
            members[r[0]].append((r[1], r[2]))
            outlets[r[0]].setdefault(r[3], None)
            reports[r[0]] += r[4] is None
        events = self._events_of(ids)
        stories = []
        for r in rows:
            arts = members[r["id"]]
            langs: dict[str, int] = {}
            for _, lang in arts:
                if lang:
                    langs[lang] = langs.get(lang, 0) + 1
            stories.append(
                Story(
                    id=r["id"],
                    title=r["title"],
                    languages=sorted(langs, key=lambda k: (-langs[k], k)),
                    articles=[a for a, _ in arts],
                    created=from_text(r["created"]) or datetime.now(UTC),
                    updated=from_text(r["updated"]) or datetime.now(UTC),
                    first_published=from_text(r["first_published"]),
                    last_published=from_text(r["last_published"]),
                    merged_into=r["merged_into"],
                    events=events[r["id"]],
                    reports=reports[r["id"]],
                    outlets=list(outlets[r["id"]]),
                )
            )
        return stories

    def _build_articles(self, rows: list[sqlite3.Row]) -> list[Article]:
        if not rows:
            return []
        ids = [r["id"] for r in rows]
        marks = ",".join("?" * len(ids))

        def extraction(table: str) -> list[sqlite3.Row]:
            return self._read(f"SELECT * FROM {table} WHERE article_id IN ({marks}) ORDER BY article_id, idx", ids)

        return build_articles(rows, extraction("entities"), extraction("quotes"), extraction("dates"), from_text)


def open_sqlite(target: str) -> SQLiteStore:
    if target != ":memory:" and not Path(target).parent.is_dir():
        raise StoreError(
            f"the directory {Path(target).parent} does not exist",
            code="store.open",
            hint="create the directory first or point --db / STORYLINE_DB somewhere else",
            input=target,
        )
    return SQLiteStore(target)
