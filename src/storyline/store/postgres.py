"""The PostgreSQL store: the same `Store` behaviour as SQLite, for many analysts and for batch runs at scale.

Opened by `open_store("postgresql://user@host/db")` (needs the `postgres` extra: psycopg 3). The schema is
migrated on open (`store/pg_schema.py`, recorded in `migrations`); every write is one transaction. The operations
are SQL shared with SQLite (`store/sql.py`); this module is PostgreSQL's dialect: the connection, the advisory
lock and batches, the `tsvector` column and its search, `timestamptz` times, and psycopg's `%s` placeholders.

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

import functools
import re
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from storyline.errors import StoreError
from storyline.models import Article
from storyline.store.pg_schema import ADVISORY_LOCK_KEY, MIGRATIONS
from storyline.store.sql import ARTICLE_COLUMNS, INSERT_COLUMNS, SQLStore

_CONNECT_TIMEOUT_S = 10

# Stemming configuration per detected language; anything else is indexed with 'simple' only.
TEXT_SEARCH_CONFIG = {"da": "danish", "nb": "norwegian", "nn": "norwegian", "no": "norwegian", "sv": "swedish",
                      "en": "english"}
_QUERY_CONFIGS = ("danish", "norwegian", "swedish", "english")  # a query's language is unknown: try each

# Titles weigh more than body text in the ranking. The 'simple' halves index diacritic-folded words.
_FTS_VECTOR = (
    "setweight(to_tsvector('simple', %(ftitle)s) || to_tsvector(%(cfg)s::regconfig, %(title)s), 'A') || "
    "to_tsvector('simple', %(ftext)s) || to_tsvector(%(cfg)s::regconfig, %(text)s)"
)
_INSERT_ARTICLE = (
    f"INSERT INTO articles ({', '.join(INSERT_COLUMNS)}, fts) "
    f"VALUES ({', '.join(f'%({c})s' for c in INSERT_COLUMNS)}, {_FTS_VECTOR})"
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


class _Cursor:
    """A psycopg cursor taking the shared SQL's `?` placeholders (`store/sql.py`); `raw` is psycopg's own."""

    __slots__ = ("raw",)

    def __init__(self, raw: Any):
        self.raw = raw

    @property
    def rowcount(self) -> int:
        count: int = self.raw.rowcount
        return count

    def execute(self, sql: str, params: Sequence[Any] = (), /) -> _Cursor:
        self.raw.execute(_psycopg_sql(sql), params)
        return self

    def executemany(self, sql: str, seq_of_params: Sequence[Sequence[Any]], /) -> None:
        self.raw.executemany(_psycopg_sql(sql), seq_of_params)

    def fetchone(self) -> Any:
        return self.raw.fetchone()

    def fetchall(self) -> list[Any]:
        rows: list[Any] = self.raw.fetchall()
        return rows

    def close(self) -> None:
        self.raw.close()


@functools.lru_cache(maxsize=512)
def _psycopg_sql(sql: str) -> str:
    """The shared SQL in psycopg's paramstyle: `?` → `%s`, a literal `%` doubled (no `?` ever sits in a literal)."""
    return sql.replace("%", "%%").replace("?", "%s")


class PostgresStore(SQLStore[_Cursor]):
    _SEQ = "seq"
    _EVENT_DAYS = ("first_day", "last_day")
    _EARLIEST = "'-infinity'::timestamptz"
    _TIME_TYPE = "TIMESTAMPTZ"
    _TABLE_EXISTS = "SELECT 1 WHERE to_regclass(?) IS NOT NULL"  # resolved on the search path, as queries are
    _MIGRATIONS = MIGRATIONS
    _CHECK = "check that the server is reachable"
    _READ_HINT = "the database may be unreachable or from a newer storyline"
    _MIGRATE_HINT = "the database may hold other tables named like storyline's; use a database of its own"
    # Tests turn this off to show what the lock prevents; never turn it off in use.
    lock_writes = True

    def __init__(self, url: str):
        super().__init__()
        self.url = self._location = redact(url)
        self._psycopg = _import_psycopg()
        from psycopg.rows import dict_row

        # ValueError: psycopg refuses NUL characters in text
        self._db_errors = (self._psycopg.Error, ValueError)
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

    # -- the dialect ---------------------------------------------------------------------------------
    def _cursor(self) -> _Cursor:
        return _Cursor(self._conn.cursor())

    def _to_db(self, dt: datetime | None) -> datetime | None:
        return _utc(dt)

    def _from_db(self, value: Any) -> datetime | None:
        return _utc(value)

    def _in(self, ids: list[str]) -> tuple[str, list[Any]]:
        return "= ANY(?)", [ids]  # one array parameter: one statement text for any number of ids

    def _insert_row(self, cur: _Cursor, article: Article, values: tuple[Any, ...]) -> None:
        # Named parameters, so the title and text travel once though the search vector reads them twice.
        params = dict(zip(INSERT_COLUMNS, values, strict=True))
        params.update(cfg=TEXT_SEARCH_CONFIG.get(article.language or "", "simple"), ftitle=fold(article.title),
                      ftext=fold(article.text))
        cur.raw.execute(_INSERT_ARTICLE, params)

    # -- plumbing ------------------------------------------------------------------------------------
    @contextmanager
    def _tx(self) -> Iterator[_Cursor]:
        """One write transaction under the store-wide advisory lock; rolled back on any exception.

        Inside `batch()` psycopg makes the nested transaction a savepoint: rolled back alone on an exception, made
        durable when the batch commits. The advisory lock is then taken once and held until the batch commits.
        """
        with self._lock, self._conn.transaction(), self._conn.cursor() as cur:
            locking = self.lock_writes and not self._batch_locked
            if locking:
                cur.execute("SELECT pg_advisory_xact_lock(%s)", (ADVISORY_LOCK_KEY,))
            yield _Cursor(cur)
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

    def search(self, query: str, limit: int = 20) -> list[Article]:
        words = re.findall(r"[^\W_]+", query)
        if not words:
            return []
        # Every word must match (AND, as in SQLite); a word matches as written (diacritics folded) or by its stem
        # in any of the four languages, since the query's language is unknown.
        per_word = " || ".join(
            ["plainto_tsquery('simple', ?)"] + [f"plainto_tsquery('{cfg}', ?)" for cfg in _QUERY_CONFIGS]
        )
        tsquery = " && ".join(f"({per_word})" for _ in words)
        params: list[Any] = []
        for w in words:
            params += [fold(w)] + [w] * len(_QUERY_CONFIGS)
        rows = self._read(
            f"SELECT seq, {ARTICLE_COLUMNS} FROM articles, ({'SELECT ' + tsquery + ' AS q'}) query "
            "WHERE fts @@ query.q ORDER BY ts_rank(fts, query.q) DESC, seq LIMIT ?",
            [*params, limit],
        )
        return self._build_articles(rows)

    def close(self) -> None:
        with self._lock:
            self._conn.close()


def open_postgres(url: str) -> PostgresStore:
    """Open (creating tables and migrating as needed) the PostgreSQL database at `url`."""
    return PostgresStore(url)
