"""Event merges (issue 6): an article that is a confident join for two events of its story folds them into one;
the store keeps a tombstone so the old event id stays resolvable, logs an `event_merge`, and a rebuilt linker
follows it. Runs over SQLite and PostgreSQL (a real server; see the `postgres_server` fixture).

Articles are hand-built and fictional (see tests/test_link_decisions.py); entities are set by hand.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from storyline.errors import NotFoundError, StoreError
from storyline.link import Linker, story_id_for
from storyline.link.cluster import event_id_for
from storyline.link.model import LinkModels, load_models
from storyline.models import Article, LinkDecision
from storyline.settings import Settings
from tests.test_link_decisions import DAY, fire_da, fire_nb, fire_sv_followup
from tests.test_link_events import wire_copy_of


def _save(store: Any, linker: Linker, art: Article, story: str, event: str, **extra: Any) -> None:
    art.link = LinkDecision(story, "join" if story != story_id_for(art.id) else "new", 0.9, {}, 1,
                            event_id=event, event_action="join" if event != event_id_for(art.id) else "new",
                            event_day=(art.published or DAY).date().isoformat(), **extra)
    store.save_article(art)
    linker.commit(art)


def _two_events(store: Any) -> tuple[Linker, Article, Article]:
    """One story holding two events (the Danish report and the Swedish follow-up two days later)."""
    linker = Linker(store, Settings())
    a, b = fire_da(), fire_sv_followup()
    sid = story_id_for(a.id)
    _save(store, linker, a, sid, event_id_for(a.id))
    _save(store, linker, b, sid, event_id_for(b.id))
    return linker, a, b


def test_link_event_merge_moves_articles_and_keeps_the_old_id(any_store: Any) -> None:
    linker, a, b = _two_events(any_store)
    sid, keep, gone = story_id_for(a.id), event_id_for(a.id), event_id_for(b.id)
    bridge = fire_nb()
    _save(any_store, linker, bridge, sid, keep, event_merged=[gone])
    events = any_store.story_events(sid)
    assert [e.id for e in events] == [keep]
    assert sorted(events[0].articles) == sorted([a.id, b.id, bridge.id])
    # the merged event's reported days widen the live one
    assert events[0].first == a.published.date().isoformat()  # type: ignore[union-attr]
    assert events[0].last == b.published.date().isoformat()  # type: ignore[union-attr]
    assert any_store.live_event_id(gone) == keep and any_store.live_event_id(keep) == keep
    assert any_store.live_event_id("e-unknown") == "e-unknown"
    merges = [c for c in any_store.changes() if c.action == "event_merge"]
    assert len(merges) == 1 and merges[0].story_id == sid
    assert merges[0].detail["event"] == keep and merges[0].detail["merged_event"] == gone
    assert merges[0].detail["article"] == bridge.id
    # the index follows: one event left, and the story lists it once
    assert gone not in linker.events and linker.stories[sid].events == [keep]
    assert linker.events[keep].size == 3


def test_link_wire_copy_of_a_merged_event_joins_the_live_event(store: Any) -> None:
    linker, a, b = _two_events(store)
    sid, keep, gone = story_id_for(a.id), event_id_for(b.id), event_id_for(a.id)
    _save(store, linker, fire_nb(), sid, keep, event_merged=[gone])  # a's event folds into b's
    copy = linker.decide(wire_copy_of(a, "other-avis"))
    assert copy.copy_of == a.id and copy.story_id == sid and copy.event_id == keep


def test_link_event_merge_survives_a_rebuild(any_store: Any) -> None:
    linker, a, b = _two_events(any_store)
    sid, keep, gone = story_id_for(a.id), event_id_for(a.id), event_id_for(b.id)
    _save(any_store, linker, fire_nb(), sid, keep, event_merged=[gone])
    rebuilt = Linker(any_store, Settings())  # reloads the window from the store
    assert set(rebuilt.stories[sid].events) == {keep} and gone not in rebuilt.events
    assert rebuilt.events[keep].size == 3
    # nothing was written while rebuilding: still one merge in the log
    assert sum(1 for c in any_store.changes() if c.action == "event_merge") == 1


def test_link_event_merge_refuses_unknown_and_cross_story_events(any_store: Any) -> None:
    linker = Linker(any_store, Settings())
    a, b = fire_da(), fire_sv_followup()
    b.published = DAY + timedelta(days=30)
    _save(any_store, linker, a, story_id_for(a.id), event_id_for(a.id))
    _save(any_store, linker, b, story_id_for(b.id), event_id_for(b.id))
    with pytest.raises(NotFoundError):
        any_store.merge_events(event_id_for(a.id), "e-missing")
    with pytest.raises(StoreError) as info:
        any_store.merge_events(event_id_for(a.id), event_id_for(b.id))
    assert info.value.code == "store.conflict"
    any_store.merge_events(event_id_for(a.id), event_id_for(a.id))  # the same event: nothing to do
    assert not [c for c in any_store.changes() if c.action == "event_merge"]


def test_link_decide_bridges_two_events_when_the_model_says_so(store: Any) -> None:
    """With a merge probability every candidate reaches, an article joining one event of its story that also
    scores as a join for a second event of the same day names that one as merged; with the shipped model it
    never names an event that is not a join candidate. (The second event is a fragment of the same day: the
    follow-up two days later is another happening, never merged, see test_link_event_time.py.)"""
    shipped = load_models()
    eager = LinkModels(shipped.story, shipped.event, shipped.merge_probability, event_merge_probability=0.0)
    linker = Linker(store, Settings(), eager)
    a, b = fire_da(), fire_sv_followup(published=DAY + timedelta(hours=2))
    sid = story_id_for(a.id)
    _save(store, linker, a, sid, event_id_for(a.id))
    _save(store, linker, b, sid, event_id_for(b.id))
    decision = linker.decide(fire_nb())
    assert decision.story_id == sid and decision.event_action == "join"
    others = {event_id_for(a.id), event_id_for(b.id)} - {decision.event_id}
    assert decision.event_merged == sorted(others)
    never = LinkModels(shipped.story, shipped.event, shipped.merge_probability, event_merge_probability=1.01)
    assert Linker(store, Settings(), never).decide(fire_nb()).event_merged == []


def test_link_event_merge_is_served_in_the_change_log(store: Any, api_client: Any) -> None:
    linker, a, b = _two_events(store)
    _save(store, linker, fire_nb(), story_id_for(a.id), event_id_for(a.id), event_merged=[event_id_for(b.id)])
    response = api_client.get("/api/changes")
    assert response.status_code == 200
    assert [c["action"] for c in response.json()][-1] == "event_merge"
