"""The name and day features of the link model (issue 6): shared people and organisations count without the
lexical gate, clusters naming only other people are a conflict, and a known other day differs from an unknown one.

Articles are hand-built and fictional (see tests/test_link_decisions.py); entities are set by hand.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from storyline.link import Linker
from storyline.settings import Settings
from tests.test_link_decisions import DAY, FIRE_ENTITIES, build, fire_da, fire_nb


def _first(store: Any) -> Linker:
    linker = Linker(store, Settings())
    linker.link_and_save(fire_da())
    return linker


def test_link_names_count_without_the_lexical_gate(store: Any) -> None:
    """An English wire item about the same fire shares almost no words with the Danish report, but it names
    the same person and company: `named` sees them in full where the gated `entities` barely does."""
    linker = _first(store)
    english = build("Chief officer Kari Lund said a warehouse blaze at Nordvik Metall forced an evacuation.",
                    "Evacuation after factory blaze", "en", DAY + timedelta(hours=2), FIRE_ENTITIES)
    rows = linker.feature_rows(english, "story")
    assert len(rows) == 1
    decision = linker.decide(english)
    feats = decision.features
    assert feats["named"] == 1.0  # every person and organisation key of the article is in the story
    assert feats["entities"] < feats["named"]  # the gated cosine is held down by the low lexical similarity
    assert feats["person_conflict"] == 0.0


def test_link_people_in_common_or_in_conflict(store: Any) -> None:
    linker = _first(store)
    other = build(fire_nb().text, "Storbrann på fabrikk i Halden", "nb", DAY + timedelta(hours=3),
                  [("Halden", "GPE", "gpe:halden"), ("Per Holm", "PER", "per:per_holm")])
    feats = linker.decide(other).features
    assert feats["person_conflict"] == 1.0  # both name people, none in common
    assert feats["named"] == 0.0
    same = linker.decide(fire_nb()).features
    assert same["person_conflict"] == 0.0 and same["named"] == 1.0


def test_link_same_day_is_signed_and_unknown_is_neutral(store: Any) -> None:
    linker = _first(store)
    near = linker.decide(fire_nb())
    assert near.event_features["same_day"] == 1.0
    later = linker.decide(fire_nb(published=DAY + timedelta(days=3)))  # within cluster.EVENT_DAYS: still scored
    assert later.event_features["same_day"] == -1.0  # both days known, none within a day
    undated = linker.decide(fire_nb(published=None))
    assert undated.event_features["same_day"] == 0.0  # no day: neither for nor against
