"""Events stay one happening as a story's events chain (issue 6, task ES).

On the link bench stream most reports of a story's later events joined an earlier event of the story (inside
one story everything but the day is alike), 5-7 days back as well, and event merges joined events days apart.
An event more than cluster.EVENT_DAYS from a dated report's day is no candidate for it (to join or to merge), and
two events are merged only when their core days are within cluster.MERGE_DAYS. Articles are hand-built and
fictional (see tests/test_link_decisions.py).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from storyline.link import Linker
from storyline.link.cluster import EVENT_DAYS, event_id_for
from storyline.link.model import LinkModels, load_models
from storyline.models import Article, LinkDecision
from storyline.settings import Settings
from tests.test_link_decisions import DAY, build, fire_da, fire_nb, fire_sv_followup
from tests.test_link_event_anchor import _event_features, _force, _quake


def _undated(art: Article) -> Article:
    art.published = None
    return art


def _reworded(days: int) -> Article:
    """The quake of `_quake("Halden", ...)` told in other words: not a wire copy of it."""
    return build("Rebuilding began in Halden after the earthquake of magnitude 6.1 that killed 37 people. Teams "
                 "from Redning Nord cleared the rubble, and spokesman Kari Lund said aftershocks were still felt "
                 "in the region.", "Halden rebuilds after the earthquake", "en", DAY + timedelta(days=days), [])


def test_link_event_days_away_from_the_core_day_are_no_candidates(store: Any) -> None:
    linker = Linker(store, Settings())
    _force(linker, _quake("Halden", "Redning Nord", "Kari Lund", "37", "6.1"), "s1", "e1")
    _force(linker, _quake("Halden", "Redning Nord", "Kari Lund", "37", "6.1", days=1), "s1", "e1")
    near = _quake("Halden", "Redning Nord", "Kari Lund", "37", "6.1", days=EVENT_DAYS)
    assert set(_event_features(linker, near, "s1")) == {"e1"}
    far = _quake("Halden", "Redning Nord", "Kari Lund", "37", "6.1", days=EVENT_DAYS + 1)
    assert _event_features(linker, far, "s1") == {}  # the same words, another happening's day
    # without a publication day its reported day is unsure: every event stays a candidate
    undated = _undated(_quake("Halden", "Redning Nord", "Kari Lund", "37", "6.1", days=EVENT_DAYS + 1))
    assert set(_event_features(linker, undated, "s1")) == {"e1"}


def test_link_event_decision_opens_an_event_for_a_far_day(store: Any) -> None:
    linker = Linker(store, Settings())
    first = linker.link_and_save(_quake("Halden", "Redning Nord", "Kari Lund", "37", "6.1"))
    assert first.link is not None
    # the same quake's story in other words (a wire copy would follow its original's event whatever the day)
    later = _reworded(days=EVENT_DAYS + 3)
    later.link = linker.decide(later)
    assert later.link.copy_of is None
    assert later.link.action == "join" and later.link.story_id == first.link.story_id
    assert later.link.event_action == "new" and later.link.event_id != first.link.event_id
    assert later.link.event_merged == []


def test_link_events_days_apart_are_not_merged(store: Any) -> None:
    """An article between two events of its story, a confident join for both, merges them only when their core
    days say they can be one happening (cluster.MERGE_DAYS)."""
    linker = Linker(store, Settings())
    for eid, days in (("e1", 0), ("e1", 0), ("e2", 0), ("e2", 0), ("e3", 2), ("e3", 2)):
        _force(linker, _quake("Halden", "Redning Nord", "Kari Lund", "37", "6.1", days=days), "s1", eid)
    between = _reworded(days=1)
    decision = linker.decide(between)
    assert decision.story_id == "s1" and decision.event_action == "join" and decision.copy_of is None
    scores = {eid: linker.models.event.probability(x) for eid, x in linker.feature_rows(between, "event", ["s1"])}
    assert min(scores.values()) >= linker.models.event_merge_probability  # a confident join for all three ...
    # ... but e3's core day is two days from the others': the fragments of the same day are merged, e3 is not
    assert {decision.event_id, *decision.event_merged} in ({"e1", "e2"}, {"e3"})


def test_link_a_follow_up_days_later_is_not_merged_even_by_eager_models(store: Any) -> None:
    """The event merge probability alone (here 0: every candidate a merge) never merges events of other days."""
    shipped = load_models()
    eager = LinkModels(shipped.story, shipped.event, shipped.merge_probability, event_merge_probability=0.0)
    linker = Linker(store, Settings(), eager)
    a, b = fire_da(), fire_sv_followup()  # the fire, and the arrest two days later
    for art in (a, b):
        art.link = LinkDecision("s1", "join", 0.9, {}, 1, event_id=event_id_for(art.id))
        linker.commit(art)
    decision = linker.decide(fire_nb())  # another report of the fire, the day of the fire
    assert decision.story_id == "s1" and decision.event_action == "join"
    assert decision.event_merged == []
