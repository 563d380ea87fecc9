"""The default store: one SQLite file in WAL mode, migrated on open, every write one transaction.

The operations themselves are SQL shared with PostgreSQL (`store/sql.py`); this module is SQLite's dialect:
the connection, transactions and batches, the FTS5 index and its search, and times as text. One connection is
shared by every thread (the API serves from a threadpool) behind a lock: SQLite has one
writer per database anyway, and reads are short. Datetimes are stored as UTC ISO 8601 text with microseconds,
so they sort as text; they are read back as aware datetimes. JSON columns hold the parts of an article nobody
queries (meta, paragraphs, the link decision).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from storyline.errors import StoreError
from storyline.models import Article
from storyline.store.schema import MIGRATIONS
from storyline.store.sql import ARTICLE_COLUMNS, INSERT_COLUMNS, SQLStore

_BUSY_TIMEOUT_MS = 10_000  # a second writer (another `storyline ingest`) waits this long before failing

_PREFIXED_COLUMNS = ", ".join("a." + c.strip() for c in f"rowid, {ARTICLE_COLUMNS}".split(","))
_INSERT_ARTICLE = f"INSERT INTO articles ({', '.join(INSERT_COLUMNS)}) VALUES ({', '.join('?' * len(INSERT_COLUMNS))})"


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


def _fts_query(query: str) -> str:
    """User words as an AND of quoted FTS5 terms, so punctuation and FTS operators in a query are text."""
    words = re.findall(r"\w+", query)
    return " ".join(f'"{w}"' for w in words)


class SQLiteStore(SQLStore[sqlite3.Cursor]):
    _SEQ = "rowid"
    _EVENT_DAYS = ("first", "last")
    _EARLIEST = "''"  # times are ISO text: the empty string sorts first
    _TIME_TYPE = "TEXT"
    _TABLE_EXISTS = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
    _MIGRATIONS = MIGRATIONS
    _CHECK = "check the disk"
    _READ_HINT = "the database may be corrupt or from a newer storyline"
    _MIGRATE_HINT = "the file may not be a storyline database; point --db at a new file"

    def __init__(self, path: str):
        super().__init__()
        self.path = self._location = path
        self.url = path if path == ":memory:" else f"sqlite:///{path}"
        self._db_errors = (sqlite3.Error,)
        self._batch_depth = 0  # open `batch()` blocks; > 0: writes are savepoints in the batch's transaction
        self._fts_pending: list[tuple[int, str, str]] = []  # (rowid, title, text) a batch indexes when it commits
        try:
            self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            self._conn.row_factory = sqlite3.Row  # the shared SQL reads columns by name
            self._conn.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA foreign_keys = ON")
            # A 64 MB page cache (the default is 2 MB): saving an article inserts into B-trees keyed by content
            # hashes and entity keys, i.e. at random pages, and once the file outgrows the cache each insert
            # reads its pages back through the OS. Measured on the link bench stream (same articles saved to two
            # stores in one process, 3k-30k stored): 13-22% less CPU per save + batch commit.
            self._conn.execute("PRAGMA cache_size = -65536")
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

    # -- the dialect ---------------------------------------------------------------------------------
    def _cursor(self) -> sqlite3.Cursor:
        return self._conn.cursor()

    def _to_db(self, dt: datetime | None) -> str | None:
        return to_text(dt)

    def _from_db(self, value: Any) -> datetime | None:
        return from_text(value)

    def _in(self, ids: list[str]) -> tuple[str, list[Any]]:
        # one `?` per id: SQLite binds scalars only (at most 32766 of them, far more than a page of rows)
        return f"IN ({','.join('?' * len(ids))})", list(ids)

    def _insert_row(self, cur: sqlite3.Cursor, article: Article, values: tuple[Any, ...]) -> None:
        cur.execute(_INSERT_ARTICLE, values)
        rowid = cur.lastrowid
        assert rowid is not None  # an INSERT always sets it
        # FTS5 is an external-content table keyed by the article's rowid, written in the same transaction
        if self._batch_depth:
            self._fts_pending.append((rowid, article.title, article.text))  # see _flush_fts
        else:
            cur.execute("INSERT INTO articles_fts (rowid, title, text) VALUES (?, ?, ?)",
                        (rowid, article.title, article.text))

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

    def pragma(self, name: str) -> Any:
        """The value of one PRAGMA (for diagnostics and tests), e.g. `pragma("journal_mode")`."""
        if not name.isidentifier():
            raise StoreError(
                f"not a pragma name: {name!r}", code="store.read", hint="pass a bare pragma name"
            )
        return self._read(f"PRAGMA {name}")[0][0]

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

    def close(self) -> None:
        with self._lock:
            self._conn.close()

def open_sqlite(target: str) -> SQLiteStore:
    if target != ":memory:" and not Path(target).parent.is_dir():
        raise StoreError(
            f"the directory {Path(target).parent} does not exist",
            code="store.open",
            hint="create the directory first or point --db / STORYLINE_DB somewhere else",
            input=target,
        )
    return SQLiteStore(target)
