"""Event-level features that do not drift with one weak join (issue 6, task EV): the days between an article and
its event's core day, the names of the event's founding article, and figures in contradiction.

An event is one happening within a few days. Its union of days and of names takes in whatever joined it, so
after one wrong join the next reports of the other happening found "their" day and names there and followed
(make demo: the Nordef warning of 6 March and the summit of 12 March became one event; ECB+: the second
earthquake's reports cascaded into the first's event). Articles are hand-built and fictional (see
tests/test_link_decisions.py); the index state is built with forced decisions, as training's oracle does.
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

from storyline.link import Linker
from storyline.link.model import FEATURES, load_models
from storyline.models import Article, LinkDecision
from storyline.settings import Settings
from tests.test_link_decisions import DAY, build


def _quake(town: str, agency: str, chief: str, dead: str, magnitude: str, days: int = 0) -> Article:
    return build(
        f"A strong earthquake of magnitude {magnitude} struck near {town} early on Sunday, killing {dead} people "
        f"and leaving hundreds without shelter. Rescue teams from {agency} searched the rubble through the "
        f"night, and spokesman {chief} said more aftershocks were expected in the region.",
        "Deadly earthquake strikes", "en", DAY + timedelta(days=days), [])


def _force(linker: Linker, art: Article, story: str, event: str) -> None:
    """Commit `art` into the given story and event whatever the model would decide (training's oracle does so)."""
    art.link = LinkDecision(story, "join", 1.0, {}, 0, event_id=event)
    linker.commit(art)


def _event_features(linker: Linker, art: Article, story: str) -> dict[str, dict[str, float]]:
    rows = linker.feature_rows(art, "event", within=[story])
    return {eid: dict(zip(FEATURES, x.tolist(), strict=True)) for eid, x in rows}


def test_link_day_apart_measures_from_the_core_day_not_the_union(store: Any) -> None:
    linker = Linker(store, Settings())
    _force(linker, _quake("Halden", "Redning Nord", "Kari Lund", "37", "6.1"), "s1", "e1")
    _force(linker, _quake("Halden", "Redning Nord", "Kari Lund", "37", "6.1"), "s1", "e1")
    # one weak join of a report two days later: the union of the event's days now holds that day too (a report
    # six days later, as this test had first, is no candidate any more: cluster.EVENT_DAYS)
    _force(linker, _quake("Halden", "Redning Nord", "Kari Lund", "37", "6.1", days=2), "s1", "e1")
    later = _event_features(linker, _quake("Halden", "Redning Nord", "Kari Lund", "37", "6.1", days=3), "s1")["e1"]
    assert later["same_day"] == 1.0  # the union says "the same day" (±1) ...
    assert later["day_apart"] == math.log1p(3)  # ... the core day (the median of 10, 10 and 12 March) three away
    same = _event_features(linker, _quake("Halden", "Redning Nord", "Kari Lund", "37", "6.1", days=1), "s1")["e1"]
    assert same["day_apart"] == math.log1p(1)
    undated = _quake("Halden", "Redning Nord", "Kari Lund", "37", "6.1")
    undated.published = None
    assert _event_features(linker, undated, "s1")["e1"]["day_apart"] == 0.0  # unknown is neutral, never apart


def test_link_names_core_are_the_founding_articles_names(store: Any) -> None:
    linker = Linker(store, Settings())
    _force(linker, _quake("Halden", "Redning Nord", "Kari Lund", "37", "6.1"), "s1", "e1")
    # the first report of another earthquake joins the event by mistake: its names enter the union
    _force(linker, _quake("Moss", "Sorbakk Hjelp", "Per Holm", "112", "7.3"), "s1", "e1")
    other = _event_features(linker, _quake("Moss", "Sorbakk Hjelp", "Per Holm", "112", "7.3"), "s1")["e1"]
    assert other["names"] > 0.5  # the union names them all ...
    assert other["names_core"] == 0.0  # ... the founding report none of them
    same = _event_features(linker, _quake("Halden", "Redning Nord", "Kari Lund", "37", "6.1"), "s1")["e1"]
    assert same["names_core"] == same["names"] > 0.5


def test_link_number_conflict_needs_figures_on_both_sides(store: Any) -> None:
    linker = Linker(store, Settings())
    _force(linker, _quake("Halden", "Redning Nord", "Kari Lund", "37", "6.1"), "s1", "e1")
    other = _event_features(linker, _quake("Halden", "Redning Nord", "Kari Lund", "112", "7.3"), "s1")["e1"]
    assert other["number_conflict"] == 1.0 and other["numbers"] == 0.0
    same = _event_features(linker, _quake("Halden", "Redning Nord", "Kari Lund", "37", "7.3"), "s1")["e1"]
    assert same["number_conflict"] == 0.0 and same["numbers"] == 0.5
    plain = build("A strong earthquake struck near Halden early on Sunday; rescue teams searched the rubble.",
                  "Earthquake strikes", "en", DAY, [])
    none = _event_features(linker, plain, "s1")["e1"]
    assert none["number_conflict"] == 0.0  # no figures in the article: nothing to contradict


def test_link_event_model_weighs_a_far_day_against_and_founding_names_for() -> None:
    """The shipped event model learned what the features say; the story decision does not use them."""
    event = load_models().event
    weight = dict(zip(event.names, event.weights.tolist(), strict=True))
    assert weight["day_apart"] < 0
    assert weight["names_core"] > 0
    story = load_models().story
    story_weight = dict(zip(story.names, story.weights.tolist(), strict=True))
    assert all(story_weight[f] == 0.0 for f in ("day_apart", "cohesion_gap", "names_core", "number_conflict"))


def test_link_cohesion_gap_compares_with_the_members_own_likeness(store: Any) -> None:
    linker = Linker(store, Settings())
    _force(linker, _quake("Halden", "Redning Nord", "Kari Lund", "37", "6.1"), "s1", "e1")
    alone = _event_features(linker, _quake("Halden", "Redning Nord", "Kari Lund", "37", "6.1"), "s1")["e1"]
    assert alone["cohesion_gap"] == 0.0  # one article: no likeness among members to compare with
    _force(linker, _quake("Halden", "Redning Nord", "Kari Lund", "37", "6.1", days=0), "s1", "e1")
    twin = _event_features(linker, _quake("Halden", "Redning Nord", "Kari Lund", "37", "6.1"), "s1")["e1"]
    other = _event_features(linker, _quake("Moss", "Sorbakk Hjelp", "Per Holm", "112", "7.3"), "s1")["e1"]
    # the members are the same text (weighted with the corpus IDF of their time, so nearly cosine 1): the same
    # text again scores about no gap, another quake's report well below the members' likeness
    assert abs(twin["cohesion_gap"]) < 0.05
    assert other["cohesion_gap"] < twin["cohesion_gap"] - 0.1


def test_link_new_event_features_read_as_words() -> None:
    from storyline.link import explain

    features = {"day_apart": math.log1p(6), "day_apart_contribution": -2.0,
                "names_core": 0.0, "names_core_contribution": 0.0,
                "number_conflict": 1.0, "number_conflict_contribution": -0.9,
                "cohesion_gap": -0.25, "cohesion_gap_contribution": -0.5}
    against = {r.feature: r.text for r in explain.reasons(features) if r.direction == "against"}
    assert against == {"core_day": "reports on a day 6 days from most of the event's articles",
                       "other_figures": "reports other figures than the event, none in common"}
