"""The store contract over both stores: SQLite and PostgreSQL (a real server; see the `postgres_server` fixture).

The contract tests of tests/test_store_sqlite.py and tests/test_store_stories.py that need nothing but a `store`
run here again against PostgreSQL, unchanged, so the two stores cannot drift apart; the tests below them run
over both stores and cover what those reach through SQLite internals (migrations, rollback) or not at all
(events, concurrent writers, language-aware search).
"""

from __future__ import annotations

import inspect
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

import tests.test_store_sqlite as sqlite_contract
import tests.test_store_stories as stories_contract
from storyline.errors import NotFoundError, StoreError
from storyline.models import Article, Entity
from storyline.store import open_store
from tests.test_store_sqlite import full_article, linked

DAY = datetime(2024, 6, 1, tzinfo=UTC)


# SQLite internals, not the contract: PostgreSQL has no PRAGMAs (its durability and FKs are always on).
_SQLITE_ONLY = {"test_store_sqlite_wal_and_foreign_keys_on"}


def _store_only_tests() -> list[Any]:
    """Every contract test in the SQLite store modules whose only fixture is `store`."""
    found = []
    for module in (sqlite_contract, stories_contract):
        for name, func in sorted(vars(module).items()):
            if name in _SQLITE_ONLY or not name.startswith("test_") or not callable(func):
                continue
            if list(inspect.signature(func).parameters) == ["store"]:
                found.append(pytest.param(func, id=name))
    return found


CONTRACT = _store_only_tests()


def test_store_postgres_contract_is_found() -> None:
    assert len(CONTRACT) >= 10  # the reuse below must not silently shrink to nothing


@pytest.fixture
def pg_store(postgres_url: str) -> Iterator[Any]:
    s = open_store(postgres_url)
    try:
        yield s
    finally:
        s.close()


@pytest.mark.postgres
@pytest.mark.parametrize("contract", CONTRACT)
def test_store_postgres_passes_sqlite_contract(contract: Callable[[Any], None], pg_store: Any) -> None:
    contract(pg_store)


def _evented(text: str, story: str, event: str, day: str | None, action: str = "new", **fields: Any) -> Article:
    art = linked(text, story, action, **fields)
    assert art.link is not None
    art.link.event_id, art.link.event_action, art.link.event_day = event, action, day  # type: ignore[assignment]
    return art


def test_store_postgres_events_span_days_and_follow_merges(any_store: Any) -> None:
    a = _evented("Broen lukkede i stormen.", "s1", "e1", "2024-06-02", title="Broen lukket", published=DAY)
    b = _evented("Broen åbnede igen.", "s1", "e2", "2024-06-05", "join", published=DAY + timedelta(days=4))
    c = _evented("Flere skader efter stormen.", "s1", "e1", "2024-06-01", "join", published=DAY + timedelta(hours=5))
    d = _evented("Stormen i Norge.", "s2", "e3", None, published=DAY + timedelta(hours=1))
    for art in (a, b, c, d):
        any_store.save_article(art)
    events = any_store.story_events("s1")
    assert [(e.id, e.first, e.last, e.articles) for e in events] == [
        ("e1", "2024-06-01", "2024-06-02", [a.id, c.id]),
        ("e2", "2024-06-05", "2024-06-05", [b.id]),
    ]
    assert events[0].title == "Broen lukket"
    any_store.merge_stories("s1", "s2")
    merged = any_store.get_story("s2")  # the tombstone redirects, and the event moved with its article
    assert merged.id == "s1"
    assert [e.id for e in merged.events] == ["e1", "e2", "e3"]  # the undated event last
    assert any_store.story_events("s2") == merged.events
    with pytest.raises(NotFoundError):
        any_store.story_events("s404")


def test_store_postgres_reports_and_outlets(any_store: Any) -> None:
    a = linked("Original fra bureauet om valget.", "s1", source="ritzau.dk", published=DAY)
    b = linked("Kopi fra bureauet om valget.", "s1", "join", source="dr.dk", published=DAY + timedelta(hours=1))
    assert b.link is not None
    b.link.copy_of, b.link.event_id = a.id, "e1"
    any_store.save_article(a)
    any_store.save_article(b)
    story = any_store.get_story("s1")
    assert (story.reports, story.outlets) == (1, ["ritzau.dk", "dr.dk"])


def test_store_postgres_failed_save_leaves_nothing(any_store: Any) -> None:
    art = linked("Denne artikel peger på en historie der ikke findes.", "s404", "join", title="Forældreløs")
    art.entities = [Entity("Oslo", "GPE", "gpe:oslo", 0, 4)]
    with pytest.raises(StoreError) as err:
        any_store.save_article(art)
    assert err.value.code == "store.no_story" and art.id in err.value.full_message
    assert any_store.counts() == {"articles": 0, "stories": 0, "rejections": 0}
    assert any_store.changes() == [] and any_store.search("historie") == []
    any_store.save_article(linked("En rigtig artikel.", "s1"))
    assert any_store.counts()["articles"] == 1


def test_store_postgres_search_diacritics_and_stems(any_store: Any) -> None:
    any_store.save_article(linked("Togene til Malmö er aflyst i aften.", "s1", title="Tog aflyst", language="da"))
    assert [a.title for a in any_store.search("malmo")] == ["Tog aflyst"]  # diacritics folded
    assert [a.title for a in any_store.search("MALMÖ aflyst")] == ["Tog aflyst"]
    assert any_store.search("malmo københavn") == []  # every word must match


def test_store_postgres_changes_since_time(any_store: Any) -> None:
    any_store.save_article(linked("Første artikel.", "s1"))
    cut = datetime.now(UTC)
    any_store.save_article(linked("Anden artikel.", "s1", "join"))
    assert [c.article_id for c in any_store.changes(cut)] == [any_store.changes()[-1].article_id]


def test_store_postgres_open_does_not_wait_for_a_writer(any_store: Any) -> None:
    """Opening an up-to-date database only reads: a reader starts while a batch holds the write lock."""
    any_store.save_article(linked("Gemt før bunken.", "s0"))
    opened: list[Any] = []
    with any_store.batch():
        any_store.save_article(linked("Gemt i bunken.", "s1"))  # the batch now holds the database's write lock
        opener = threading.Thread(target=lambda: opened.append(open_store(any_store.url)))
        opener.start()
        opener.join(timeout=5)  # SQLite would wait 10 s for the lock, PostgreSQL until the batch ends
        assert not opener.is_alive() and len(opened) == 1
    with opened[0] as reader:
        assert reader.counts()["articles"] == 2  # and it sees the batch once committed


def test_store_postgres_operations_are_written_once() -> None:
    """Both stores run the shared SQL of `store/sql.py` for every operation but search: a fix lands once."""
    from storyline.store.base import Store
    from storyline.store.postgres import PostgresStore
    from storyline.store.sql import SQLStore
    from storyline.store.sqlite import SQLiteStore

    dialect_specific = {"search", "batch", "close"}
    operations = {name for name, value in vars(Store).items() if callable(value) and not name.startswith("_")}
    assert len(operations) >= 15
    for cls in (SQLiteStore, PostgresStore):
        assert {name for name in operations if name in vars(cls)} == dialect_specific
        assert all(getattr(cls, name) is getattr(SQLStore, name) for name in operations - dialect_specific)


# -- PostgreSQL only -------------------------------------------------------------------------------------------

pg = pytest.mark.postgres


@pg
def test_store_postgres_search_uses_language_stemming(pg_store: Any) -> None:
    pg_store.save_article(linked("Stormene ramte kysten hårdt i nat.", "s1", title="Storme", language="da"))
    pg_store.save_article(linked("The storms closed every bridge.", "s2", title="Storms", language="en"))
    assert {a.title for a in pg_store.search("storm")} == {"Storme", "Storms"}  # only stems reach both


@pg
def test_store_postgres_migrations_recorded_and_reopen_applies_only_missing(postgres_url: str) -> None:
    import psycopg

    from storyline.store.pg_schema import MIGRATIONS

    with open_store(postgres_url) as s:
        s.save_article(full_article())
        assert s.migrations() == [(m.id, m.name) for m in MIGRATIONS]
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        first_applied = conn.execute("SELECT applied_at FROM migrations WHERE id = 1").fetchone()
        # Pretend the last migration (event merge tombstones) never ran: reopening applies it alone, keeps the data.
        conn.execute("DELETE FROM migrations WHERE id = %s", (MIGRATIONS[-1].id,))
        conn.execute("DROP TABLE event_tombstones")
    with open_store(postgres_url) as s:
        assert s.counts()["articles"] == 1
        assert len(s.migrations()) == len(MIGRATIONS)
    with psycopg.connect(postgres_url) as conn:
        assert conn.execute("SELECT applied_at FROM migrations WHERE id = 1").fetchone() == first_applied


@pg
def test_store_postgres_two_stores_open_a_fresh_database_at_once(postgres_url: str) -> None:
    errors: list[BaseException] = []

    def opener() -> None:
        try:
            open_store(postgres_url).close()
        except BaseException as exc:  # surfaced by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=opener) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def _membership_race(url: str, rounds: int) -> tuple[list[BaseException], Any]:
    """Writer A merges story after story into `keep` while writer B keeps joining articles to those stories."""
    with open_store(url) as setup:
        setup.save_article(linked("Hovedhistorien om valget.", "keep", published=DAY))
        for i in range(rounds):
            setup.save_article(linked(f"Sidehistorie nummer {i} om valget.", f"side{i}", published=DAY))
    errors: list[BaseException] = []

    def merger() -> None:
        try:
            with open_store(url) as s:
                for i in range(rounds):
                    s.merge_stories("keep", f"side{i}", {"round": float(i)})
        except BaseException as exc:
            errors.append(exc)

    def joiner() -> None:
        try:
            with open_store(url) as s:
                for i in range(rounds):
                    s.save_article(linked(f"Nyt om sidehistorie {i}, del to.", f"side{i}", "join", published=DAY))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=merger), threading.Thread(target=joiner)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors, open_store(url)


@pg
def test_store_postgres_concurrent_writers_keep_membership(postgres_url: str) -> None:
    """Two connections (as two processes would be): no article may end up in a merged-away story."""
    import psycopg

    rounds = 40
    errors, store = _membership_race(postgres_url, rounds)
    with store:
        assert errors == []
        assert [s.id for s in store.list_stories()] == ["keep"]
        assert len(store.get_story("keep").articles) == 1 + 2 * rounds
        assert store.counts() == {"articles": 1 + 2 * rounds, "stories": 1, "rejections": 0}
    with psycopg.connect(postgres_url) as conn:
        stranded = conn.execute(
            "SELECT COUNT(*) FROM articles a JOIN stories s ON s.id = a.story_id WHERE s.merged_into IS NOT NULL"
        ).fetchone()
        assert stranded == (0,)


@pg
def test_store_postgres_open_errors_are_coded(postgres_server: str) -> None:
    with pytest.raises(StoreError) as err:
        open_store(f"{postgres_server}/no_such_database")
    assert err.value.code == "store.open" and "no_such_database" in err.value.full_message
    with pytest.raises(StoreError) as err:
        open_store("postgresql://someone:s3cret@127.0.0.1:1/news")
    assert err.value.code == "store.open"
    assert "s3cret" not in err.value.full_message and "***" in err.value.full_message


@pg
def test_store_postgres_sqlalchemy_style_url_opens(postgres_url: str) -> None:
    with open_store(postgres_url.replace("postgresql://", "postgresql+psycopg://")) as s:
        assert s.counts()["articles"] == 0
        assert s.url.startswith("postgresql+psycopg://")


@pg
def test_store_postgres_nul_character_is_a_coded_error(pg_store: Any) -> None:
    bad = linked("Tekst med et \x00 tegn i midten.", "s1", input_name="bad.jsonl")
    with pytest.raises(StoreError) as err:
        pg_store.save_article(bad)
    assert err.value.code == "store.write" and err.value.input == "bad.jsonl"
    assert pg_store.counts()["articles"] == 0


def test_store_postgres_outlets_one_per_outlet_however_spelled(any_store: Any) -> None:
    # A page names its outlet by site name, a text dump by domain: one outlet (storyline/outlets.py).
    for i, source in enumerate(("Politiken", "https://www.politiken.dk/indland", "dr.dk")):
        any_store.save_article(linked(f"Artikel nummer {i} om valget.", "s1", "join" if i else "new",
                                      source=source, published=DAY + timedelta(hours=i)))
    assert any_store.get_story("s1").outlets == ["Politiken", "dr.dk"]
