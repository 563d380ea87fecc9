"""SQLite schema migrations, registered in order by a decorator and recorded in the `migrations` table.

A migration is a function that takes a cursor inside an open transaction. Opening an existing database applies
only the migrations it has not recorded yet, each in its own transaction together with its `migrations` row,
so a failed migration leaves the database at the previous version. Never edit a released migration: add a new
one.
"""

from __future__ import annotations

import sqlite3

from storyline.store.migrations import Migration, registrar

MIGRATIONS: list[Migration] = []
migration = registrar(MIGRATIONS)


@migration("stories, articles and extractions")
def _core_tables(cur: sqlite3.Cursor) -> None:
    cur.execute(
        """CREATE TABLE stories (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            created TEXT NOT NULL,
            updated TEXT NOT NULL,
            first_published TEXT,
            last_published TEXT,
            merged_into TEXT REFERENCES stories(id)
        )"""
    )
    # The story FK is deferred: it is checked at COMMIT, so a save whose story is missing fails as a whole
    # transaction (every row it wrote rolled back), not at the first statement.
    cur.execute(
        """CREATE TABLE articles (
            id TEXT PRIMARY KEY,
            source TEXT NOT NULL,
            url TEXT,
            title TEXT NOT NULL,
            text TEXT NOT NULL,
            language TEXT,
            language_confidence REAL,
            published TEXT,
            published_precision TEXT NOT NULL,
            fetched TEXT,
            seen TEXT,
            input_name TEXT NOT NULL,
            meta TEXT NOT NULL,
            paragraphs TEXT NOT NULL,
            link TEXT NOT NULL,
            story_id TEXT NOT NULL REFERENCES stories(id) DEFERRABLE INITIALLY DEFERRED
        )"""
    )
    cur.execute(
        """CREATE TABLE entities (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            text TEXT NOT NULL,
            type TEXT NOT NULL,
            key TEXT NOT NULL,
            start_char INTEGER NOT NULL,
            end_char INTEGER NOT NULL,
            PRIMARY KEY (article_id, idx)
        )"""
    )
    cur.execute(
        """CREATE TABLE quotes (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            text TEXT NOT NULL,
            kind TEXT NOT NULL,
            speaker TEXT,
            speaker_key TEXT,
            cue TEXT,
            start_char INTEGER NOT NULL,
            end_char INTEGER NOT NULL,
            PRIMARY KEY (article_id, idx)
        )"""
    )
    cur.execute(
        """CREATE TABLE dates (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            text TEXT NOT NULL,
            value TEXT NOT NULL,
            granularity TEXT NOT NULL,
            anchored TEXT NOT NULL,
            start_char INTEGER NOT NULL,
            end_char INTEGER NOT NULL,
            PRIMARY KEY (article_id, idx)
        )"""
    )
    cur.execute("CREATE INDEX articles_story ON articles(story_id)")
    cur.execute("CREATE INDEX articles_published ON articles(published)")
    cur.execute("CREATE INDEX articles_seen ON articles(seen)")
    cur.execute("CREATE INDEX entities_key ON entities(key)")
    cur.execute("CREATE INDEX quotes_speaker ON quotes(speaker_key)")
    cur.execute("CREATE INDEX stories_updated ON stories(updated)")
    cur.execute("CREATE INDEX stories_merged ON stories(merged_into)")


@migration("change log and rejections")
def _log_tables(cur: sqlite3.Cursor) -> None:
    cur.execute(
        """CREATE TABLE changes (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            action TEXT NOT NULL,
            story_id TEXT NOT NULL,
            article_id TEXT,
            other_story_id TEXT,
            detail TEXT NOT NULL
        )"""
    )
    cur.execute("CREATE INDEX changes_story ON changes(story_id)")
    cur.execute(
        """CREATE TABLE rejections (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            input_name TEXT NOT NULL,
            code TEXT NOT NULL,
            message TEXT NOT NULL,
            at TEXT NOT NULL
        )"""
    )


@migration("full-text index over titles and texts")
def _fts(cur: sqlite3.Cursor) -> None:
    # External content: the text lives once, in `articles`; the index is written in the same transaction as
    # the article row. `remove_diacritics 2` lets "Malmo" find "Malmö".
    cur.execute(
        """CREATE VIRTUAL TABLE articles_fts USING fts5(
            title, text, content='articles', content_rowid='rowid',
            tokenize='unicode61 remove_diacritics 2'
        )"""
    )


@migration("events inside stories and wire copies")
def _events(cur: sqlite3.Cursor) -> None:
    # An event is one happening inside a story; `first`/`last` are ISO days its articles report on. The
    # story FK is not declared: merges move events between stories in the same transaction as their articles.
    cur.execute(
        """CREATE TABLE events (
            id TEXT PRIMARY KEY,
            story_id TEXT NOT NULL,
            title TEXT NOT NULL,
            created TEXT NOT NULL,
            first TEXT,
            last TEXT
        )"""
    )
    cur.execute("ALTER TABLE articles ADD COLUMN event_id TEXT")
    cur.execute("ALTER TABLE articles ADD COLUMN copy_of TEXT")
    cur.execute("CREATE INDEX events_story ON events(story_id)")
    cur.execute("CREATE INDEX articles_event ON articles(event_id)")


@migration("event merge tombstones")
def _event_tombstones(cur: sqlite3.Cursor) -> None:
    # A merged-away event's row is deleted (its articles moved to the live event); its id stays resolvable here.
    cur.execute(
        """CREATE TABLE event_tombstones (
            id TEXT PRIMARY KEY,
            merged_into TEXT NOT NULL,
            at TEXT NOT NULL
        )"""
    )
