"""The PostgreSQL store: the same `Store` behaviour as SQLite, for many analysts and for batch runs at scale.

Opened by `open_store("postgresql://user@host/db")` (needs the `postgres` extra: psycopg 3). The schema is
migrated on open (`store/pg_schema.py`, recorded in `migrations`); every write is one transaction.

Concurrency: every write transaction (saving an article, merging stories, recording a rejection) first takes
one transaction-scoped advisory lock (`pg_advisory_xact_lock`), so story writes from any number of processes
are serialised: resolving a merge tombstone, inserting the article, moving a merged story's articles and
writing the change log happen as one step no other writer can interleave with. Without it, an article saved by
one writer while another merges its story away could land in a tombstoned story. Readers never take the lock.
The lock keeps the database consistent; it does not make two linkers share their in-memory windows, so for
the best stories run one linking process per database (`storyline batch` does its analysis in parallel and its
linking in one process for that reason).

Inside one process one connection is shared by every thread behind a lock, as in the SQLite store. Times are
`timestamptz` read back in UTC; JSON columns hold the parts of an article nobody queries.
"""

from __future__ import annotations

import json
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from storyline.errors import NotFoundError, StoreError
from storyline.models import Article, Change, Event, Story
from storyline.store.base import Store
from storyline.store.pg_schema import ADVISORY_LOCK_KEY, MIGRATIONS
from storyline.store.rows import build_articles, build_changes, link_json, paragraphs_json

_PAGE = 500  # articles materialised per query when iterating
_MAX_TOMBSTONE_HOPS = 1000  # merges form chains; a cycle would be a bug, so stop following it
_CONNECT_TIMEOUT_S = 10

# Stemming configuration per detected language; anything else is indexed with 'simple' only.
TEXT_SEARCH_CONFIG = {"da": "danish", "nb": "norwegian", "nn": "norwegian", "no": "norwegian", "sv": "swedish",
                      "en": "english"}
_QUERY_CONFIGS = ("danish", "norwegian", "swedish", "english")  # a query's language is unknown: try each

_ARTICLE_COLUMNS = (
    "seq, id, source, url, title, text, language, language_confidence, published, published_precision, "
    "fetched, input_name, meta, paragraphs, link, story_id"
)

# Titles weigh more than body text in the ranking. The 'simple' halves index diacritic-folded words.
_FTS_VECTOR = (
    "setweight(to_tsvector('simple', %(ftitle)s) || to_tsvector(%(cfg)s::regconfig, %(title)s), 'A') || "
    "to_tsvector('simple', %(ftext)s) || to_tsvector(%(cfg)s::regconfig, %(text)s)"
)


def fold(text: str) -> str:
    """Lower-cased text without combining diacritics ("Malmö" → "malmo"; æ, ø, å have no decomposition and stay)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def _utc(dt: datetime | None) -> datetime | None:
    """Naive datetimes are taken to be UTC, as in the SQLite store."""
    if dt is None:
        return None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def redact(url: str) -> str:
    """The URL without its password, for messages and `Store.url`."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def _import_psycopg() -> Any:
    try:
        import psycopg
    except ImportError as exc:
        raise StoreError(
            "PostgreSQL stores need psycopg 3, which is not installed",
            code="store.unsupported",
            hint="install the extra: pip install 'storyline[postgres]'",
        ) from exc
    return psycopg


class PostgresStore(Store):
    # Tests turn this off to show what the lock prevents; never turn it off in use.
    lock_writes = True

    def __init__(self, url: str):
        self.url = redact(url)
        self._psycopg = _import_psycopg()
        from psycopg.rows import dict_row

        self._lock = threading.RLock()
        self._in_batch = False  # inside `batch()`: writes are savepoints of the batch's transaction
        self._batch_locked = False  # the batch's transaction holds the advisory lock
        conninfo = re.sub(r"^postgres(ql)?\+\w+://", "postgresql://", url.strip())
        try:
            self._conn = self._psycopg.connect(
                conninfo, autocommit=True, row_factory=dict_row, connect_timeout=_CONNECT_TIMEOUT_S,
            )
            # Times come back in UTC whatever the server's default (a `SET`, so URL `options` stay the caller's).
            self._conn.execute("SET TIME ZONE 'UTC'")
        except self._psycopg.Error as exc:
            raise StoreError(
                f"cannot connect to PostgreSQL: {str(exc).strip()}",
                code="store.open",
                hint="check that the server runs, the database exists and the user may connect "
                "(postgresql://user@host:port/database)",
                input=self.url,
            ) from exc
        self._migrate()

    # -- plumbing ------------------------------------------------------------------------------------
    @contextmanager
    def _tx(self) -> Iterator[Any]:
        """One write transaction under the store-wide advisory lock; rolled back on any exception.

        Inside `batch()` psycopg makes the nested transaction a savepoint: rolled back alone on an exception, made
        durable when the batch commits. The advisory lock is then taken once and held until the batch commits.
        """
        with self._lock, self._conn.transaction(), self._conn.cursor() as cur:
            locking = self.lock_writes and not self._batch_locked
            if locking:
                cur.execute("SELECT pg_advisory_xact_lock(%s)", (ADVISORY_LOCK_KEY,))
            yield cur
            # A released savepoint hands its lock to the batch's transaction, which holds it until it ends (a
            # rolled-back one releases it, so the next write takes it again).
            self._batch_locked = self._batch_locked or (locking and self._in_batch)

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Group the writes made inside the block into one transaction, committed when the block ends.

        As in the SQLite store: one commit for many articles instead of one per article,
        each write still a savepoint (one bad article is rolled back alone), commit on any exit, and a crash
        inside the block loses only what was saved since it began. Here the block also holds the store's
        connection, so other threads of this process wait until it ends, and it holds the advisory lock from
        its first write, so other writers to the database wait too: keep batches to a few hundred articles.
        """
        with self._lock:
            if self._in_batch:  # nested: the outermost batch commits
                yield
                return
            raised: BaseException | None = None
            self._in_batch = True
            try:
                with self._conn.transaction():
                    try:
                        yield
                    except BaseException as exc:  # what was saved before it is complete: commit it anyway
                        raised = exc
            except self._psycopg.Error as exc:
                raise StoreError(
                    f"cannot commit the batch: {str(exc).strip()}",
                    code="store.batch_lost",
                    hint="none of the batch's articles was saved: check that the server is reachable, rebuild the "
                    "linker (a new Linker reloads its window from the store) and ingest them again",
                    input=self.url,
                ) from exc
            finally:
                self._in_batch = self._batch_locked = False
            if raised is not None:
                raise raised

    def _read(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]:
        with self._lock:
            try:
                with self._conn.cursor() as cur:
                    rows: list[dict[str, Any]] = cur.execute(sql, params).fetchall()
                    return rows
            except self._psycopg.Error as exc:
                raise StoreError(
                    f"query failed: {str(exc).strip()}",
                    code="store.read",
                    input=self.url,
                    hint="the database may be unreachable or from a newer storyline",
                ) from exc

    def _migrate(self) -> None:
        # Each migration is its own transaction with its `migrations` row, taken under the advisory lock and
        # re-checked inside it: of two processes opening a fresh database at once, one migrates, the other waits
        # and finds it done; a failed migration leaves the database at the previous version.
        try:
            with self._tx() as cur:
                cur.execute(
                    "CREATE TABLE IF NOT EXISTS migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                    "applied_at TIMESTAMPTZ NOT NULL)"
                )
            for mig in MIGRATIONS:
                with self._tx() as cur:
                    if cur.execute("SELECT 1 FROM migrations WHERE id = %s", (mig.id,)).fetchone():
                        continue
                    mig.apply(cur)
                    cur.execute(
                        "INSERT INTO migrations (id, name, applied_at) VALUES (%s, %s, now())", (mig.id, mig.name)
                    )
        except self._psycopg.Error as exc:
            raise StoreError(
                f"cannot migrate the database: {str(exc).strip()}",
                code="store.migrate",
                hint="the database may hold other tables named like storyline's; use a database of its own",
                input=self.url,
            ) from exc

    def migrations(self) -> list[tuple[int, str]]:
        """(id, name) of every applied migration, in order."""
        return [(r["id"], r["name"]) for r in self._read("SELECT id, name FROM migrations ORDER BY id")]

    def _write_error(self, exc: Exception, what: str, article: Article | None = None) -> StoreError:
        return StoreError(
            f"cannot {what}: {str(exc).strip()}",
            code="store.write",
            hint="nothing was written; check that the server is reachable and retry",
            input=(article.input_name or article.id) if article else self.url,
        )

    # -- writing -------------------------------------------------------------------------------------
    def has_article(self, article_id: str) -> bool:
        return bool(self._read("SELECT 1 FROM articles WHERE id = %s", (article_id,)))

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
                if cur.execute("SELECT 1 FROM articles WHERE id = %s", (article.id,)).fetchone():
                    return  # re-ingest of the same content (or another writer stored it first): nothing to do
                now = datetime.now(UTC)
                if decision.action == "new":
                    cur.execute(
                        "INSERT INTO stories (id, title, created, updated) VALUES (%s, %s, %s, %s) "
                        "ON CONFLICT (id) DO NOTHING",
                        (decision.story_id, article.title, now, now),
                    )
                story_id = self._live_id(cur, decision.story_id)
                self._insert_article(cur, article, story_id)
                self._log(
                    cur, now, "create" if decision.action == "new" else "join", story_id, article.id, None,
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
        except (self._psycopg.Error, ValueError) as exc:  # ValueError: psycopg refuses NUL characters in text
            raise self._write_error(exc, f"save article {article.id}", article) from exc

    def _insert_article(self, cur: Any, a: Article, story_id: str) -> int:
        decision = a.link
        row = cur.execute(
            "INSERT INTO articles (id, source, url, title, text, language, language_confidence, published, "
            "published_precision, fetched, seen, input_name, meta, paragraphs, link, story_id, event_id, copy_of, "
            "fts) VALUES "
            "(%(id)s, %(source)s, %(url)s, %(title)s, %(text)s, %(language)s, %(confidence)s, %(published)s, "
            "%(precision)s, %(fetched)s, %(seen)s, %(input_name)s, %(meta)s, %(paragraphs)s, %(link)s, "
            f"%(story_id)s, %(event_id)s, %(copy_of)s, {_FTS_VECTOR}) RETURNING seq",
            {
                "id": a.id,
                "source": a.source,
                "url": a.url,
                "title": a.title,
                "text": a.text,
                "language": a.language,
                "confidence": a.language_confidence,
                "published": _utc(a.published),
                "precision": a.published_precision,
                "fetched": _utc(a.fetched),
                "seen": _utc(a.published or a.fetched),
                "input_name": a.input_name,
                "meta": json.dumps(a.meta, ensure_ascii=False),
                "paragraphs": paragraphs_json(a.paragraphs),
                "link": link_json(decision),
                "story_id": story_id,
                "event_id": decision.event_id if decision else None,
                "copy_of": decision.copy_of if decision else None,
                "cfg": TEXT_SEARCH_CONFIG.get(a.language or "", "simple"),
                "ftitle": fold(a.title),
                "ftext": fold(a.text),
            },
        ).fetchone()
        cur.executemany(
            "INSERT INTO entities (article_id, idx, text, type, key, start_char, end_char) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s)",
            [(a.id, i, e.text, e.type, e.key, e.start, e.end) for i, e in enumerate(a.entities)],
        )
        cur.executemany(
            "INSERT INTO quotes (article_id, idx, text, kind, speaker, speaker_key, cue, start_char, end_char) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [(a.id, i, q.text, q.kind, q.speaker, q.speaker_key, q.cue, q.start, q.end)
             for i, q in enumerate(a.quotes)],
        )
        cur.executemany(
            "INSERT INTO dates (article_id, idx, text, value, granularity, anchored, start_char, end_char) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            [(a.id, i, d.text, d.value, d.granularity, d.anchored, d.start, d.end) for i, d in enumerate(a.dates)],
        )
        seq: int = row["seq"]
        return seq

    @staticmethod
    def _save_event(cur: Any, a: Article, story_id: str, now: datetime) -> None:
        """Create or extend the article's event (its reported day widens the event's span)."""
        decision = a.link
        if decision is None or decision.event_id is None:
            return
        day = decision.event_day
        cur.execute(
            "INSERT INTO events (id, story_id, title, created, first_day, last_day) VALUES (%s, %s, %s, %s, %s, %s) "
            "ON CONFLICT (id) DO NOTHING",
            (decision.event_id, story_id, a.title, now, day, day),
        )
        # LEAST/GREATEST skip NULLs, so an undated event takes the first reported day; an event whose story was
        # merged away follows its articles into the live story.
        cur.execute(
            "UPDATE events SET first_day = LEAST(first_day, %s), last_day = GREATEST(last_day, %s), story_id = %s "
            "WHERE id = %s",
            (day, day, story_id, decision.event_id),
        )
        # (the article row already names its event: _insert_article)

    @staticmethod
    def _log(cur: Any, at: datetime, action: str, story_id: str, article_id: str | None, other: str | None,
             detail: dict[str, Any]) -> None:
        cur.execute(
            "INSERT INTO changes (at, action, story_id, article_id, other_story_id, detail) "
            "VALUES (%s, %s, %s, %s, %s, %s)",
            (at, action, story_id, article_id, other, json.dumps(detail, ensure_ascii=False)),
        )

    @staticmethod
    def _live_id(cur: Any, story_id: str) -> str:
        """Follow merge tombstones; an unknown id comes back unchanged (the caller decides what it means)."""
        current = story_id
        for _ in range(_MAX_TOMBSTONE_HOPS):
            row = cur.execute("SELECT merged_into FROM stories WHERE id = %s", (current,)).fetchone()
            if row is None or row["merged_into"] is None:
                return current
            current = row["merged_into"]
        raise StoreError(
            f"story {story_id} has a cycle of merge tombstones",
            code="store.corrupt",
            hint="report this; the stories table needs repair",
        )

    @staticmethod
    def _refresh_story(cur: Any, story_id: str, now: datetime) -> None:
        """Recompute a story's time range and title (its earliest-published article's) from its articles."""
        cur.execute(
            "UPDATE stories SET updated = %(now)s, "
            "first_published = (SELECT MIN(published) FROM articles WHERE story_id = %(id)s), "
            "last_published = (SELECT MAX(published) FROM articles WHERE story_id = %(id)s), "
            "title = COALESCE((SELECT title FROM articles WHERE story_id = %(id)s AND title != '' "
            "ORDER BY published IS NULL, published, seq LIMIT 1), title) WHERE id = %(id)s",
            {"now": now, "id": story_id},
        )
        if cur.rowcount == 0:
            raise NotFoundError(f"story {story_id} does not exist", input=story_id)

    def record_rejection(self, article: Article) -> None:
        code, message = (
            ("unknown", "rejected") if article.rejected is None else (article.rejected.code, article.rejected.message)
        )
        try:
            with self._tx() as cur:
                cur.execute(
                    "INSERT INTO rejections (input_name, code, message, at) VALUES (%s, %s, %s, %s)",
                    (article.input_name or article.id, code, message, datetime.now(UTC)),
                )
        except (self._psycopg.Error, ValueError) as exc:
            raise self._write_error(exc, "record the rejection", article) from exc

    def merge_stories(self, keep: str, gone: str, detail: dict[str, float] | None = None) -> None:
        try:
            with self._tx() as cur:
                live_keep, live_gone = self._live_id(cur, keep), self._live_id(cur, gone)
                for sid in (live_keep, live_gone):
                    if not cur.execute("SELECT 1 FROM stories WHERE id = %s", (sid,)).fetchone():
                        raise NotFoundError(f"story {sid} does not exist", input=sid,
                                            hint="list stories to see the ids this database holds")
                if live_keep == live_gone:
                    return  # already one story
                now = datetime.now(UTC)
                self._merge_in(cur, live_keep, live_gone, dict(detail or {}), now)
                self._refresh_story(cur, live_keep, now)
        except self._psycopg.Error as exc:
            raise self._write_error(exc, f"merge story {gone} into {keep}") from exc

    def _merge_in(self, cur: Any, keep: str, gone: str, detail: dict[str, Any], now: datetime) -> None:
        """Inside an open transaction: move `gone`'s articles and events into `keep`, leave a tombstone."""
        live_keep, live_gone = self._live_id(cur, keep), self._live_id(cur, gone)
        if live_keep == live_gone or not cur.execute("SELECT 1 FROM stories WHERE id = %s", (live_gone,)).fetchone():
            return  # already one story, or nothing to merge
        cur.execute("UPDATE articles SET story_id = %s WHERE story_id = %s", (live_keep, live_gone))
        cur.execute("UPDATE events SET story_id = %s WHERE story_id = %s", (live_keep, live_gone))
        cur.execute("UPDATE stories SET merged_into = %s, updated = %s WHERE id = %s", (live_keep, now, live_gone))
        self._log(cur, now, "merge", live_keep, None, live_gone, detail)

    def merge_events(self, keep: str, gone: str, detail: dict[str, Any] | None = None) -> None:
        try:
            with self._tx() as cur:
                live_keep, live_gone = self._live_event(cur, keep), self._live_event(cur, gone)
                if live_keep == live_gone:
                    return  # already one event
                rows = {r["id"]: r for r in cur.execute(
                    "SELECT id, story_id, first_day, last_day FROM events WHERE id IN (%s, %s)",
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
                now = datetime.now(UTC)
                first, last = rows[live_gone]["first_day"], rows[live_gone]["last_day"]
                cur.execute(
                    "UPDATE events SET "
                    "first_day = CASE WHEN first_day IS NULL OR %(first)s < first_day "
                    "THEN %(first)s ELSE first_day END, "
                    "last_day = CASE WHEN last_day IS NULL OR %(last)s > last_day THEN %(last)s ELSE last_day END "
                    "WHERE id = %(id)s",
                    {"first": first, "last": last, "id": live_keep},
                )
                cur.execute("UPDATE articles SET event_id = %s WHERE event_id = %s", (live_keep, live_gone))
                cur.execute("DELETE FROM events WHERE id = %s", (live_gone,))
                cur.execute("INSERT INTO event_tombstones (id, merged_into, at) VALUES (%s, %s, %s)",
                            (live_gone, live_keep, now))
                self._log(cur, now, "event_merge", story_id, None, None,
                          {"event": live_keep, "merged_event": live_gone, **(detail or {})})
        except self._psycopg.Error as exc:
            raise self._write_error(exc, f"merge event {gone} into {keep}") from exc

    def live_event_id(self, event_id: str) -> str:
        try:
            with self._lock, self._conn.cursor() as cur:
                return self._live_event(cur, event_id)
        except self._psycopg.Error as exc:
            raise StoreError(f"query failed: {str(exc).strip()}", code="store.read", input=self.url,
                             hint="the database may be unreachable or from a newer storyline") from exc

    @staticmethod
    def _live_event(cur: Any, event_id: str) -> str:
        current = event_id
        for _ in range(_MAX_TOMBSTONE_HOPS):
            row = cur.execute("SELECT merged_into FROM event_tombstones WHERE id = %s", (current,)).fetchone()
            if row is None:
                return current
            current = row["merged_into"]
        raise StoreError(f"event {event_id} has a cycle of merge tombstones", code="store.corrupt",
                         hint="report this; the event_tombstones table needs repair")

    # -- reading -------------------------------------------------------------------------------------
    def get_article(self, article_id: str) -> Article:
        rows = self._read(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = %s", (article_id,))
        if not rows:
            raise NotFoundError(f"no article {article_id}", input=article_id,
                                hint="search or list a story's articles to find stored ids")
        return self._build_articles(rows)[0]

    def list_stories(self, limit: int = 100, offset: int = 0) -> list[Story]:
        rows = self._read(
            "SELECT * FROM stories WHERE merged_into IS NULL "
            "ORDER BY last_published IS NULL, last_published DESC, updated DESC, id LIMIT %s OFFSET %s",
            (limit, offset),
        )
        return self._build_stories(rows)

    def _live_story_row(self, story_id: str) -> dict[str, Any]:
        with self._lock:
            try:
                with self._conn.cursor() as cur:
                    live = self._live_id(cur, story_id)
            except self._psycopg.Error as exc:
                raise StoreError(f"query failed: {str(exc).strip()}", code="store.read", input=self.url,
                                 hint="check that the server is reachable") from exc
        rows = self._read("SELECT * FROM stories WHERE id = %s", (live,))
        if not rows:
            raise NotFoundError(f"no story {story_id}", input=story_id, hint="list stories to see the stored ids")
        return rows[0]

    def get_story(self, story_id: str) -> Story:
        return self._build_stories([self._live_story_row(story_id)])[0]

    def story_articles(self, story_id: str) -> list[Article]:
        live = self._live_story_row(story_id)["id"]
        rows = self._read(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE story_id = %s ORDER BY published IS NULL, published, seq",
            (live,),
        )
        return self._build_articles(rows)

    def articles_since(self, since: datetime | None) -> Iterator[Article]:
        # Keyset pagination on (seen, seq): the lock is held per page, never while the caller works. Articles
        # with neither publication nor fetch time sort first (-infinity) and come only when `since` is None.
        after: tuple[Any, int] = (_utc(since) or "-infinity", -1)
        while True:
            rows = self._read(
                f"SELECT {_ARTICLE_COLUMNS}, seen FROM articles "
                "WHERE (COALESCE(seen, '-infinity'), seq) > (%s::timestamptz, %s) "
                "ORDER BY COALESCE(seen, '-infinity'), seq LIMIT %s",
                (after[0], after[1], _PAGE),
            )
            if not rows:
                return
            yield from self._build_articles(rows)
            after = (rows[-1]["seen"] or "-infinity", rows[-1]["seq"])

    def latest_published(self) -> datetime | None:
        rows = self._read("SELECT MAX(published) AS latest FROM articles")
        return _utc(rows[0]["latest"]) if rows else None

    def search(self, query: str, limit: int = 20) -> list[Article]:
        words = re.findall(r"[^\W_]+", query)
        if not words:
            return []
        # Every word must match (AND, as in SQLite); a word matches as written (diacritics folded) or by its stem
        # in any of the four languages, since the query's language is unknown.
        per_word = " || ".join(
            ["plainto_tsquery('simple', %s)"] + [f"plainto_tsquery('{cfg}', %s)" for cfg in _QUERY_CONFIGS]
        )
        tsquery = " && ".join(f"({per_word})" for _ in words)
        params: list[Any] = []
        for w in words:
            params += [fold(w)] + [w] * len(_QUERY_CONFIGS)
        rows = self._read(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles, ({'SELECT ' + tsquery + ' AS q'}) query "
            "WHERE fts @@ query.q ORDER BY ts_rank(fts, query.q) DESC, seq LIMIT %s",
            [*params, limit],
        )
        return self._build_articles(rows)

    def story_events(self, story_id: str) -> list[Event]:
        live: str = self._live_story_row(story_id)["id"]
        return self._events_of([live])[live]

    def _events_of(self, story_ids: list[str]) -> dict[str, list[Event]]:
        out: dict[str, list[Event]] = {i: [] for i in story_ids}
        if not story_ids:
            return out
        events: dict[str, Event] = {}
        for r in self._read(
            "SELECT id, story_id, title, first_day, last_day FROM events WHERE story_id = ANY(%s) "
            "ORDER BY first_day IS NULL, first_day, created, id",
            (story_ids,),
        ):
            events[r["id"]] = Event(r["id"], r["story_id"], r["title"], [], r["first_day"], r["last_day"])
            out[r["story_id"]].append(events[r["id"]])
        for r in self._read(
            "SELECT id, event_id FROM articles WHERE story_id = ANY(%s) AND event_id IS NOT NULL "
            "ORDER BY published IS NULL, published, seq",
            (story_ids,),
        ):
            if r["event_id"] in events:
                events[r["event_id"]].articles.append(r["id"])
        return out

    def changes(self, since: int | datetime = 0) -> list[Change]:
        if isinstance(since, datetime):
            rows = self._read("SELECT * FROM changes WHERE at > %s ORDER BY seq", (_utc(since),))
        else:
            rows = self._read("SELECT * FROM changes WHERE seq > %s ORDER BY seq", (since,))
        return build_changes(rows, _utc)

    def rejections(self) -> list[tuple[str, str, str]]:
        rows = self._read("SELECT input_name, code, message FROM rejections ORDER BY id")
        return [(r["input_name"], r["code"], r["message"]) for r in rows]

    def counts(self) -> dict[str, int]:
        row = self._read(
            "SELECT (SELECT COUNT(*) FROM articles) AS articles, "
            "(SELECT COUNT(*) FROM stories WHERE merged_into IS NULL) AS stories, "
            "(SELECT COUNT(*) FROM rejections) AS rejections"
        )[0]
        return {k: int(v) for k, v in row.items()}

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    # -- row → model ---------------------------------------------------------------------------------
    def _build_stories(self, rows: list[dict[str, Any]]) -> list[Story]:
        if not rows:
            return []
        ids = [r["id"] for r in rows]
        members: dict[str, list[tuple[str, str | None]]] = {i: [] for i in ids}
        outlets: dict[str, dict[str, None]] = {i: {} for i in ids}
        reports: Counter[str] = Counter()
        for r in self._read(
            "SELECT story_id, id, language, source, copy_of FROM articles WHERE story_id = ANY(%s) "
            "ORDER BY published IS NULL, published, seq",
            (ids,),
        ):
            members[r["story_id"]].append((r["id"], r["language"]))
            outlets[r["story_id"]].setdefault(r["source"], None)
            reports[r["story_id"]] += r["copy_of"] is None
        events = self._events_of(ids)
        stories = []
        for r in rows:
            arts = members[r["id"]]
            langs = Counter(lang for _, lang in arts if lang)
            stories.append(
                Story(
                    id=r["id"],
                    title=r["title"],
                    languages=sorted(langs, key=lambda k: (-langs[k], k)),
                    articles=[a for a, _ in arts],
                    created=_utc(r["created"]) or datetime.now(UTC),
                    updated=_utc(r["updated"]) or datetime.now(UTC),
                    first_published=_utc(r["first_published"]),
                    last_published=_utc(r["last_published"]),
                    merged_into=r["merged_into"],
                    events=events[r["id"]],
                    reports=reports[r["id"]],
                    outlets=list(outlets[r["id"]]),
                )
            )
        return stories

    def _build_articles(self, rows: list[dict[str, Any]]) -> list[Article]:
        if not rows:
            return []
        ids = [r["id"] for r in rows]

        def extraction(table: str) -> list[dict[str, Any]]:
            return self._read(f"SELECT * FROM {table} WHERE article_id = ANY(%s) ORDER BY article_id, idx", (ids,))

        return build_articles(rows, extraction("entities"), extraction("quotes"), extraction("dates"), _utc)


def open_postgres(url: str) -> PostgresStore:
    """Open (creating tables and migrating as needed) the PostgreSQL database at `url`."""
    return PostgresStore(url)
