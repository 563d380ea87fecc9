"""PostgreSQL schema migrations, registered in order by a decorator and recorded in the `migrations` table.

The tables mirror the SQLite schema (`store/schema.py`) so both stores behave alike; the differences are
PostgreSQL's own: times are `timestamptz`, the article order column is an identity (SQLite's rowid), and
full-text search is a `tsvector` column with a GIN index instead of an FTS5 table. Each migration runs in its
own transaction together with its `migrations` row, under an advisory lock so two processes opening a fresh
database at once do not both migrate it. Never edit a released migration: add a new one.
"""

from __future__ import annotations

from typing import Any

from storyline.store.migrations import Migration, registrar

# Key of the transaction-scoped advisory lock taken around migrations and around every story write
# (store/postgres.py); any constant works as long as every storyline process uses the same one.
ADVISORY_LOCK_KEY = 0x5709_11E0

MIGRATIONS: list[Migration] = []
migration = registrar(MIGRATIONS)


@migration("stories, articles and extractions")
def _core_tables(cur: Any) -> None:
    cur.execute(
        """CREATE TABLE stories (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            created TIMESTAMPTZ NOT NULL,
            updated TIMESTAMPTZ NOT NULL,
            first_published TIMESTAMPTZ,
            last_published TIMESTAMPTZ,
            merged_into TEXT REFERENCES stories(id)
        )"""
    )
    # `seq` plays SQLite's rowid: insertion order, the tie-break of every article ordering. The story FK is
    # deferred, as in SQLite, so a save naming a missing story fails as a whole transaction at COMMIT.
    cur.execute(
        """CREATE TABLE articles (
            seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
            id TEXT PRIMARY KEY,
            source TEXT NOT NULL,
            url TEXT,
            title TEXT NOT NULL,
            text TEXT NOT NULL,
            language TEXT,
            language_confidence DOUBLE PRECISION,
            published TIMESTAMPTZ,
            published_precision TEXT NOT NULL,
            fetched TIMESTAMPTZ,
            seen TIMESTAMPTZ,
            input_name TEXT NOT NULL,
            meta TEXT NOT NULL,
            paragraphs TEXT NOT NULL,
            link TEXT NOT NULL,
            story_id TEXT NOT NULL REFERENCES stories(id) DEFERRABLE INITIALLY DEFERRED
        )"""
    )
    for table, columns in (
        ("entities", "text TEXT NOT NULL, type TEXT NOT NULL, key TEXT NOT NULL,"),
        ("quotes", "text TEXT NOT NULL, kind TEXT NOT NULL, speaker TEXT, speaker_key TEXT, cue TEXT,"),
        ("dates", "text TEXT NOT NULL, value TEXT NOT NULL, granularity TEXT NOT NULL, anchored TEXT NOT NULL,"),
    ):
        cur.execute(
            f"""CREATE TABLE {table} (
                article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
                idx INTEGER NOT NULL,
                {columns}
                start_char INTEGER NOT NULL,
                end_char INTEGER NOT NULL,
                PRIMARY KEY (article_id, idx)
            )"""
        )
    cur.execute("CREATE INDEX articles_story ON articles(story_id)")
    cur.execute("CREATE INDEX articles_published ON articles(published)")
    cur.execute("CREATE INDEX articles_seen ON articles(seen, seq)")
    cur.execute("CREATE INDEX entities_key ON entities(key)")
    cur.execute("CREATE INDEX quotes_speaker ON quotes(speaker_key)")
    cur.execute("CREATE INDEX stories_updated ON stories(updated)")
    cur.execute("CREATE INDEX stories_merged ON stories(merged_into)")


@migration("change log and rejections")
def _log_tables(cur: Any) -> None:
    cur.execute(
        """CREATE TABLE changes (
            seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            at TIMESTAMPTZ NOT NULL,
            action TEXT NOT NULL,
            story_id TEXT NOT NULL,
            article_id TEXT,
            other_story_id TEXT,
            detail TEXT NOT NULL
        )"""
    )
    cur.execute("CREATE INDEX changes_story ON changes(story_id)")
    cur.execute("CREATE INDEX changes_at ON changes(at)")
    cur.execute(
        """CREATE TABLE rejections (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            input_name TEXT NOT NULL,
            code TEXT NOT NULL,
            message TEXT NOT NULL,
            at TIMESTAMPTZ NOT NULL
        )"""
    )


@migration("full-text search over titles and texts")
def _fts(cur: Any) -> None:
    # Written by the store in the same statement as the article row (store/postgres.py `_FTS_VECTOR`): the
    # 'simple' configuration over diacritic-folded words (exact words, "Malmo" finds "Malmö", like SQLite's
    # remove_diacritics) plus the article language's stemming configuration (danish, norwegian, swedish,
    # english) so "stormen" also finds "storm".
    cur.execute("ALTER TABLE articles ADD COLUMN fts TSVECTOR NOT NULL DEFAULT ''::tsvector")
    cur.execute("CREATE INDEX articles_fts ON articles USING GIN (fts)")


@migration("events inside stories and wire copies")
def _events(cur: Any) -> None:
    # As in SQLite: one happening inside a story; first_day/last_day are the ISO days its articles report on.
    # No story FK: merges move events between stories in the same transaction as their articles.
    cur.execute(
        """CREATE TABLE events (
            id TEXT PRIMARY KEY,
            story_id TEXT NOT NULL,
            title TEXT NOT NULL,
            created TIMESTAMPTZ NOT NULL,
            first_day TEXT,
            last_day TEXT
        )"""
    )
    cur.execute("ALTER TABLE articles ADD COLUMN event_id TEXT")
    cur.execute("ALTER TABLE articles ADD COLUMN copy_of TEXT")
    cur.execute("CREATE INDEX events_story ON events(story_id)")
    cur.execute("CREATE INDEX articles_event ON articles(event_id)")


@migration("event merge tombstones")
def _event_tombstones(cur: Any) -> None:
    # As in SQLite: the merged-away event's row is deleted, its id stays resolvable here.
    cur.execute(
        """CREATE TABLE event_tombstones (
            id TEXT PRIMARY KEY,
            merged_into TEXT NOT NULL,
            at TIMESTAMPTZ NOT NULL
        )"""
    )
