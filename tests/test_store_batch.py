"""`Store.batch()`: many saves, one commit. Each save still fails alone, reads see it at once, and a crash inside a
batch loses only that batch (issue 6, speed: the commit was most of what saving an article cost)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from storyline.errors import StoreError
from storyline.link import Linker, link_all
from storyline.models import Entity
from storyline.settings import Settings
from storyline.store import open_store
from tests.conftest import ROOT
from tests.test_link_state import corpus
from tests.test_store_sqlite import linked


def test_store_batch_reads_see_saves_before_the_commit(any_store: Any) -> None:
    with any_store.batch():
        a = linked("Havnen i Aarhus får ny kaj.", "s1", title="Ny kaj")
        any_store.save_article(a)
        b = linked("Kajen i Aarhus åbner til sommer.", "s1", "join")
        any_store.save_article(b)
        assert any_store.has_article(a.id) and any_store.has_article(b.id)
        assert any_store.get_story("s1").articles == [a.id, b.id]
        assert [x.id for x in any_store.search("sommer")] == [b.id]  # the full-text index too
    assert any_store.counts()["articles"] == 2
    assert [c.action for c in any_store.changes()] == ["create", "join"]


def test_store_batch_commits_only_when_the_block_ends(store: Any, db_path: Path) -> None:
    other = sqlite3.connect(db_path)  # another process's view of the file
    try:
        with store.batch():
            store.save_article(linked("Første artikel i bunken.", "s1"))
            assert other.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 0
        assert other.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 1
        hits = other.execute("SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH 'bunken'").fetchone()
        assert hits[0] == 1
    finally:
        other.close()


def test_store_batch_bad_article_is_rolled_back_alone(any_store: Any) -> None:
    good = linked("Valget i Bergen er afgjort.", "s1", title="Valget")
    orphan = linked("Denne artikel peger på en historie der ikke findes.", "s404", "join", title="Forældreløs")
    orphan.entities = [Entity("Oslo", "GPE", "gpe:oslo", 0, 4)]
    later = linked("Borgmesteren i Bergen takker vælgerne.", "s1", "join")
    with any_store.batch():
        any_store.save_article(good)
        with pytest.raises(StoreError) as err:
            any_store.save_article(orphan)
        assert err.value.code == "store.no_story"
        any_store.save_article(later)
    assert any_store.has_article(good.id) and any_store.has_article(later.id)
    assert not any_store.has_article(orphan.id)
    assert any_store.search("historie") == []
    assert [c.article_id for c in any_store.changes()] == [good.id, later.id]
    assert any_store.counts() == {"articles": 2, "stories": 1, "rejections": 0}


def test_store_batch_exception_keeps_what_was_saved(any_store: Any) -> None:
    a = linked("Færgen sejler igen efter stormen.", "s1")
    with pytest.raises(RuntimeError), any_store.batch():
        any_store.save_article(a)
        raise RuntimeError("the caller failed after the save")
    assert any_store.has_article(a.id)
    any_store.save_article(linked("Næste artikel gemmes som før.", "s2"))  # the store is usable afterwards
    assert any_store.counts()["articles"] == 2


def test_store_batch_nested_blocks_commit_once(store: Any, db_path: Path) -> None:
    other = sqlite3.connect(db_path)
    try:
        with store.batch():
            with store.batch():
                store.save_article(linked("Indre blok.", "s1"))
            assert other.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 0
        assert other.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 1
    finally:
        other.close()


_CRASH = textwrap.dedent(
    """
    import os, sys
    sys.path.insert(0, {root!r})
    from storyline.store import open_store
    from tests.test_store_sqlite import linked

    store = open_store({db!r})
    with store.batch():
        for i in range(3):
            store.save_article(linked(f"Kommitteret artikel nummer {{i}} om broen.", f"s{{i}}"))
    with store.batch():
        for i in range(3, 6):
            store.save_article(linked(f"Tabt artikel nummer {{i}} om tunnelen.", f"s{{i}}"))
        os._exit(17)  # the process dies mid-batch: no commit, no cleanup
    """
)


def test_store_batch_crash_mid_batch_keeps_earlier_batches(tmp_path: Path) -> None:
    db = tmp_path / "crash.db"
    done = subprocess.run([sys.executable, "-c", _CRASH.format(root=str(ROOT), db=str(db))], capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 17, done.stderr
    with open_store(str(db)) as store:
        assert store.counts()["articles"] == 3
        assert len(store.search("broen")) == 3 and store.search("tunnelen") == []
        assert len(store.changes()) == 3
        # the full-text index is consistent with the articles after the crash
        store.save_article(linked("Ny artikel efter nedbruddet om tunnelen.", "s9"))
        assert len(store.search("tunnelen")) == 1
    conn = sqlite3.connect(db)
    try:
        conn.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)")
    finally:
        conn.close()


def test_store_batch_lost_when_sqlite_rolls_back_the_transaction(store: Any) -> None:
    store.save_article(linked("Gemt før bunken.", "s0"))
    pages = store.pragma("page_count")
    store._conn.execute(f"PRAGMA max_page_count = {pages + 3}")  # the disk is full a few pages on
    first = linked("Gemt i bunken, men tabt med den.", "s1")
    with store.batch():
        store.save_article(first)
        with pytest.raises(StoreError) as err:
            store.save_article(linked("stor " * 20_000, "s2"))
        # SQLite rolled the whole transaction back on the full disk: the caller must hear that `first` is gone
        assert err.value.code == "store.batch_lost"
        assert not store.has_article(first.id)
        store.save_article(linked("Gemt efter tabet.", "s3"))  # the batch goes on in a new transaction
    assert store.counts()["articles"] == 2 and not store.has_article(first.id)


def test_store_batch_linking_in_batches_stores_the_same(tmp_path: Path) -> None:
    def run(name: str, batched: bool) -> tuple[list[Any], list[Any], list[Any]]:
        with open_store(str(tmp_path / name)) as s:
            linker = Linker(s, Settings())
            articles = corpus()
            if batched:
                with s.batch():
                    link_all(linker, articles[:4])
                with s.batch():
                    link_all(linker, articles[4:])
            else:
                link_all(linker, articles)
            stories = [(st.id, st.title, st.articles, [(e.id, e.articles) for e in st.events])
                       for st in s.list_stories()]
            return [a.link for a in articles], stories, [(c.action, c.story_id, c.article_id) for c in s.changes()]

    assert run("batched.db", True) == run("plain.db", False)
