"""Story bookkeeping in the store: joins, titles, merges and tombstones, the change log, rollback."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from storyline.errors import StoreError
from storyline.models import Entity
from tests.test_store_sqlite import linked

DAY = datetime(2024, 6, 1, tzinfo=UTC)


def test_store_stories_join_updates_range_title_and_languages(store: Any) -> None:
    a = linked(
        "Første artikel om stormen.",
        "s1",
        title="Stormen rammer",
        published=DAY + timedelta(days=1),
        language="da",
    )
    b = linked("Tidligere nyhet om uværet.", "s1", "join", title="Uvær varslet", published=DAY, language="nb")
    c = linked(
        "En til om stormen.",
        "s1",
        "join",
        title="Mere storm",
        published=DAY + timedelta(days=2),
        language="da",
    )
    for art in (a, b, c):
        store.save_article(art)
    story = store.get_story("s1")
    assert story.title == "Uvær varslet"  # the earliest-published article's title
    assert story.first_published == DAY and story.last_published == DAY + timedelta(days=2)
    assert story.articles == [b.id, a.id, c.id]
    assert story.languages == ["da", "nb"]
    assert [(ch.action, ch.article_id) for ch in store.changes()] == [
        ("create", a.id),
        ("join", b.id),
        ("join", c.id),
    ]


def test_store_stories_merge_leaves_tombstone(store: Any) -> None:
    a = linked("Om stormen i Danmark.", "s1", published=DAY)
    b = linked("Om stormen i Norge.", "s2", published=DAY + timedelta(hours=3))
    store.save_article(a)
    store.save_article(b)
    store.merge_stories("s1", "s2", {"score": 0.8})
    assert store.get_story("s2").id == "s1"
    assert store.get_story("s1").articles == [a.id, b.id]
    assert [s.id for s in store.list_stories()] == ["s1"]
    assert store.get_article(b.id).story_id == "s1"
    assert store.story_articles("s2")[1].id == b.id
    merge = store.changes()[-1]
    assert (merge.action, merge.story_id, merge.other_story_id, merge.detail) == (
        "merge",
        "s1",
        "s2",
        {"score": 0.8},
    )
    # An article whose decision still names the merged-away story lands in the live one.
    c = linked("Mere om stormen.", "s2", "join", published=DAY + timedelta(days=1))
    store.save_article(c)
    assert store.get_article(c.id).story_id == "s1"


def test_store_stories_changes_since_and_order(store: Any) -> None:
    for i in range(4):
        store.save_article(linked(f"Artikel {i}.", "s1", "new" if i == 0 else "join"))
    all_changes = store.changes()
    assert [c.seq for c in all_changes] == sorted(c.seq for c in all_changes)
    assert store.changes(all_changes[1].seq) == all_changes[2:]
    assert all(c.at.tzinfo is not None for c in all_changes)


def test_store_stories_failed_save_leaves_nothing(store: Any, db_path: Path) -> None:
    art = linked("Denne artikel peger på en historie der ikke findes.", "s404", "join", title="Forældreløs")
    art.entities = [Entity("Oslo", "GPE", "gpe:oslo", 0, 4)]
    with pytest.raises(StoreError) as err:
        store.save_article(art)
    assert art.id in err.value.full_message
    assert not store.has_article(art.id)
    conn = sqlite3.connect(db_path)
    for table in ("articles", "entities", "changes", "stories"):
        assert conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0, table
    fts = conn.execute("SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH 'historie'").fetchone()
    assert fts[0] == 0
    conn.close()
    assert store.search("historie") == []
    # The store is still usable afterwards.
    store.save_article(linked("En rigtig artikel.", "s1"))
    assert store.counts()["articles"] == 1


def test_store_stories_threads_share_one_store(store: Any) -> None:
    import threading

    errors: list[BaseException] = []
    stop = threading.Event()

    def reader() -> None:
        try:
            while not stop.is_set():
                store.list_stories()
                store.counts()
                list(store.articles_since(None))
        except BaseException as exc:  # surfaced by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for t in threads:
        t.start()
    try:
        for i in range(40):
            store.save_article(linked(f"Artikel nummer {i} om tråde.", f"s{i}", published=DAY))
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert errors == []
    assert store.counts()["articles"] == 40
