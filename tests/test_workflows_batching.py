"""Ingest saves in store batches (issue 6, speed): many saves share one transaction, closed after N articles or
a time limit, with the same stories as a commit per article; a crash loses only the open batch, and a batch the
store lost is raised, never recorded as a rejection."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from storyline.errors import ConfigError, StoreError
from storyline.ingest import read_inputs
from storyline.models import Article
from storyline.settings import Settings
from storyline.store import open_store
from storyline.workflows import SaveBatching, ingest_articles
from tests.conftest import ROOT, SAMPLES, make_article

_ONE_PROCESS = Settings(workers=1)  # analysis in this process: the tests are about saving, not the pool


def _samples(n: int) -> list[Article]:
    return list(read_inputs([str(SAMPLES / "articles")], _ONE_PROCESS))[:n]


def _stored(db: Path) -> tuple[list[Any], list[list[str]], list[Any]]:
    with open_store(str(db)) as store:
        articles = sorted((a.id, a.story_id) for s in store.list_stories(limit=10_000)
                          for a in store.story_articles(s.id))
        stories = sorted(sorted(s.articles) for s in store.list_stories(limit=10_000))
        changes = [(c.action, c.story_id, c.article_id) for c in store.changes()]
    return articles, stories, changes


def test_workflows_batching_stores_what_a_commit_per_article_stores(tmp_path: Path) -> None:
    articles = _samples(30)
    articles.insert(10, make_article("For kort.", title="Tom", input_name="too-short.txt"))
    articles.insert(20, articles[3])  # a repeat inside a batch: found already stored by the batch's own reads
    reports = {}
    for name, batching in (("single", SaveBatching(articles=1)), ("batched", SaveBatching(articles=7))):
        with open_store(str(tmp_path / f"{name}.db")) as store:
            reports[name] = ingest_articles(articles, store, _ONE_PROCESS, batching=batching)
            assert store.rejections() == [("too-short.txt", "clean.empty", store.rejections()[0][2])]
    assert _stored(tmp_path / "batched.db") == _stored(tmp_path / "single.db")
    assert [a.link for a in reports["batched"].stored] == [a.link for a in reports["single"].stored]
    assert len(reports["batched"].stored) == 30 and len(reports["batched"].already_stored) == 1


def test_workflows_batching_commits_every_n_articles(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    seen: list[int] = []
    with open_store(str(db)) as store:
        other = sqlite3.connect(db)  # what another process sees while the ingest runs
        try:
            ingest_articles(_samples(12), store, _ONE_PROCESS, batching=SaveBatching(articles=5, seconds=3600),
                            progress=lambda a: seen.append(other.execute("SELECT COUNT(*) FROM articles")
                                                           .fetchone()[0]))
            assert other.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 12  # the last batch too
        finally:
            other.close()
    assert seen == [0, 0, 0, 0, 5, 5, 5, 5, 5, 10, 10, 10]


def test_workflows_batching_commits_after_the_time_limit(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    seen: list[int] = []
    with open_store(str(db)) as store:
        other = sqlite3.connect(db)
        try:
            # a limit every save outlasts: each batch closes after its first save
            ingest_articles(_samples(4), store, _ONE_PROCESS, batching=SaveBatching(articles=1000, seconds=1e-9),
                            progress=lambda a: seen.append(other.execute("SELECT COUNT(*) FROM articles")
                                                           .fetchone()[0]))
        finally:
            other.close()
    assert seen == [1, 2, 3, 4]


def test_workflows_batching_rejects_empty_bounds() -> None:
    with pytest.raises(ConfigError) as err:
        SaveBatching(articles=0)
    assert err.value.code == "config.setting"


_CRASH = textwrap.dedent(
    """
    import os, sys
    sys.path.insert(0, {root!r})
    from storyline.ingest import read_inputs
    from storyline.settings import Settings
    from storyline.store import open_store
    from storyline.workflows import SaveBatching, ingest_articles

    settings = Settings(workers=1)
    articles = list(read_inputs([{samples!r}], settings))[:{n}]
    saved = []

    def progress(article):
        saved.append(article.id)
        if len(saved) == {crash_at}:
            os._exit(17)  # the process dies mid-batch: no commit, no cleanup

    store = open_store({db!r})
    ingest_articles(articles, store, settings, progress, SaveBatching(articles={batch}, seconds=3600))
    """
)


def test_workflows_batching_crash_loses_only_the_open_batch(tmp_path: Path) -> None:
    db, n, batch, crash_at = tmp_path / "crash.db", 14, 4, 10
    script = _CRASH.format(root=str(ROOT), samples=str(SAMPLES / "articles"), n=n, db=str(db), batch=batch,
                           crash_at=crash_at)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 17, done.stderr
    articles = _samples(n)
    with open_store(str(db)) as store:
        kept = crash_at // batch * batch  # two whole batches; the third (articles 9 and 10) was open
        assert store.counts()["articles"] == kept
        assert [c.article_id for c in store.changes()] == [a.id for a in articles[:kept]]
        assert all(store.has_article(a.id) for a in articles[:kept])
        # ingesting the same inputs again stores what was lost and the rest; the kept ones are no-ops
        again = ingest_articles(articles, store, _ONE_PROCESS)
        assert len(again.already_stored) == kept and len(again.stored) == n - kept
        assert store.counts()["articles"] == n
        assert store.search(articles[-1].title.split()[0])  # the full-text index took the new ones too
    conn = sqlite3.connect(db)
    try:
        conn.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)")
    finally:
        conn.close()


def _full_disk(store: Any) -> None:
    """The next big write fails: SQLite may grow the file by only a few pages."""
    store._conn.execute(f"PRAGMA max_page_count = {store.pragma('page_count') + 3}")


def test_workflows_batching_lost_batch_is_raised(tmp_path: Path) -> None:
    articles = _samples(3)
    big = make_article("Havnen får en ny kaj i Aarhus. " * 4000, title="Stor", input_name="big.txt")
    with open_store(str(tmp_path / "lost.db")) as store:
        ingest_articles(articles[:1], store, _ONE_PROCESS)
        _full_disk(store)
        with pytest.raises(StoreError) as err:
            ingest_articles([articles[1], big, articles[2]], store, _ONE_PROCESS, batching=SaveBatching(articles=10))
        # SQLite rolled the whole batch back: raised, so the caller knows articles[1] is gone too
        assert err.value.code == "store.batch_lost"
        assert not store.has_article(articles[1].id) and store.rejections() == []


def test_workflows_batching_one_article_batches_record_a_failed_save(tmp_path: Path) -> None:
    articles = _samples(3)
    big = make_article("Havnen får en ny kaj i Aarhus. " * 4000, title="Stor", input_name="big.txt")
    with open_store(str(tmp_path / "single.db")) as store:
        ingest_articles(articles[:1], store, _ONE_PROCESS)
        _full_disk(store)
        report = ingest_articles([articles[1], big, articles[2]], store, _ONE_PROCESS,
                                 batching=SaveBatching(articles=1))
        # without a batch only the failing article is lost, and it is recorded as a rejection
        assert [a.input_name for a in report.rejected] == ["big.txt"]
        assert store.has_article(articles[1].id)
