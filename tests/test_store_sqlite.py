"""The SQLite store: round trips, migrations, WAL, full-text search, URLs."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from storyline.errors import NotFoundError, StoreError
from storyline.models import Article, DateMention, Entity, LinkDecision, Paragraph, Quote, Rejection
from storyline.store import open_store
from storyline.store.schema import MIGRATIONS
from tests.conftest import make_article


def linked(text: str, story: str, action: str = "new", **fields: Any) -> Article:
    art = make_article(text, **fields)
    art.text = text
    art.link = LinkDecision(story_id=story, action=action, score=0.5 if action == "join" else 0.0)  # type: ignore[arg-type]
    return art


def full_article() -> Article:
    text = "Statsminister Mette Frederiksen sagde i går: «Vi skal handle nu.» Mødet fandt sted 3. marts."
    art = make_article(
        text,
        title="Regeringen vil handle",
        source="dr.dk",
        url="https://dr.dk/a/1",
        published=datetime(2024, 3, 4, 9, 30, tzinfo=timezone(timedelta(hours=1))),
        meta={"author": "A. Journalist", "section": "politik"},
    )
    art.text = text
    art.language, art.language_confidence = "da", 0.97
    art.paragraphs = [Paragraph(0, 66, "body", "da", 0.95), Paragraph(67, len(text), "body", None, None)]
    art.entities = [Entity("Mette Frederiksen", "PER", "per:mette_frederiksen", 14, 31)]
    art.quotes = [
        Quote("Vi skal handle nu.", "direct", "Mette Frederiksen", "per:mette_frederiksen", "sagde", 45, 63)
    ]
    art.dates = [
        DateMention("i går", "2024-03-03", "day", 38, 43, "published"),
        DateMention("3. marts", "2024-03-03", "day", 84, 92),
    ]
    art.link = LinkDecision("s1", "new", 0.0, {"entities": 0.0}, 0)
    return art


def test_store_sqlite_round_trip_keeps_every_field(store: Any) -> None:
    art = full_article()
    store.save_article(art)
    back = store.get_article(art.id)
    for name in (
        "id",
        "source",
        "url",
        "title",
        "text",
        "language",
        "language_confidence",
        "published",
        "published_precision",
        "fetched",
        "input_name",
        "meta",
        "paragraphs",
        "entities",
        "quotes",
        "dates",
        "link",
    ):
        assert getattr(back, name) == getattr(art, name), name
    assert back.published is not None and back.published.tzinfo is not None
    assert back.text[back.entities[0].start : back.entities[0].end] == "Mette Frederiksen"
    assert back.story_id == "s1"


def test_store_sqlite_resave_is_a_noop(store: Any) -> None:
    art = full_article()
    store.save_article(art)
    assert store.has_article(art.id)
    store.save_article(art)
    assert store.counts()["articles"] == 1
    assert [c.action for c in store.changes()] == ["create"]
    assert len(store.get_article(art.id).entities) == 1


def test_store_sqlite_migrations_recorded_and_reopen_applies_only_missing(db_path: Path) -> None:
    with open_store(str(db_path)) as s:
        s.save_article(full_article())
    conn = sqlite3.connect(db_path)
    rows = conn.execute("SELECT id, name, applied_at FROM migrations ORDER BY id").fetchall()
    assert [(r[0], r[1]) for r in rows] == [(m.id, m.name) for m in MIGRATIONS]
    # Pretend the last migration never ran: reopening applies it alone and keeps the data.
    conn.execute("DELETE FROM migrations WHERE id = ?", (MIGRATIONS[-1].id,))
    # undo what the last migration (event merge tombstones) created
    conn.execute("DROP TABLE event_tombstones")
    conn.commit()
    first_applied = rows[0][2]
    conn.close()
    with open_store(f"sqlite:///{db_path}") as s:
        assert s.counts()["articles"] == 1
    conn = sqlite3.connect(db_path)
    again = conn.execute("SELECT id, applied_at FROM migrations ORDER BY id").fetchall()
    conn.close()
    assert len(again) == len(MIGRATIONS) and again[0][1] == first_applied


def test_store_sqlite_foreign_migrations_table_is_a_migrate_error(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE migrations (version TEXT)")  # another tool's table of the same name
    conn.close()
    with pytest.raises(StoreError) as err:
        open_store(str(db_path))
    assert err.value.code == "store.migrate" and err.value.input == str(db_path)


def test_store_sqlite_wal_and_foreign_keys_on(store: Any) -> None:
    assert store.pragma("journal_mode") == "wal"
    assert store.pragma("foreign_keys") == 1


def test_store_sqlite_fts_finds_word_in_text(store: Any) -> None:
    storm = "Stormen Ingunn lukkede broen over Storebælt hele natten."
    store.save_article(linked(storm, "s1", title="Storm"))
    store.save_article(linked("Kommunen vedtog et nyt budget for skolerne.", "s2", title="Budget"))
    hits = store.search("storebælt")
    assert [h.title for h in hits] == ["Storm"]
    assert [h.title for h in store.search('budget" (')] == ["Budget"]
    assert store.search("   ") == []


def test_store_sqlite_rejections_recorded(store: Any) -> None:
    art = make_article("x", input_name="bad.html")
    art.rejected = Rejection("clean.empty", "bad.html: nothing usable remained")
    store.record_rejection(art)
    assert store.rejections() == [("bad.html", "clean.empty", "bad.html: nothing usable remained")]
    assert store.counts()["rejections"] == 1


def test_store_sqlite_articles_since_orders_and_filters(store: Any) -> None:
    day = datetime(2024, 5, 1, tzinfo=UTC)
    for i in (3, 1, 2):
        art = linked(f"Artikel nummer {i} om noget.", f"s{i}", published=day + timedelta(days=i))
        store.save_article(art)
    undated = linked("En artikel uden dato.", "s9")
    undated.fetched = day + timedelta(days=10)
    store.save_article(undated)
    got = [a.published for a in store.articles_since(day + timedelta(days=2))]
    assert got == [day + timedelta(days=2), day + timedelta(days=3), None]
    assert len(list(store.articles_since(None))) == 4
    assert store.latest_published() == day + timedelta(days=3)


def test_store_sqlite_unknown_ids_raise_not_found(store: Any) -> None:
    with pytest.raises(NotFoundError):
        store.get_article("anope")
    with pytest.raises(NotFoundError):
        store.get_story("snope")


def test_store_open_store_urls(tmp_path: Path) -> None:
    with open_store(":memory:") as s:
        assert s.counts() == {"articles": 0, "stories": 0, "rejections": 0}
    with pytest.raises(StoreError) as err:
        open_store("postgresql://127.0.0.1:1/news")  # nothing listens on port 1
    # store.open when psycopg is installed and the server is unreachable; store.unsupported (with an install
    # hint) when the postgres extra is missing
    assert err.value.code in {"store.open", "store.unsupported"}
    with pytest.raises(StoreError) as err:
        open_store(str(tmp_path / "missing" / "x.db"))
    assert err.value.code == "store.open"
    not_db = tmp_path / "not.db"
    not_db.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StoreError):
        open_store(str(not_db))


def test_store_save_requires_link(store: Any) -> None:
    with pytest.raises(StoreError) as err:
        store.save_article(make_article("tekst"))
    assert err.value.code == "store.unlinked"
