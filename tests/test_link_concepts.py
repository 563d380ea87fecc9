"""The linker's cross-language bridge through concepts (link/concepts.py) and its index across out-of-order input.

Issue 6: one happening told in English and in a Nordic language shares few character grams ("fire" / "brann",
"strike" / "streik"); the `concepts` feature compares what the texts are about through the hand-written concept
lexicon. The articles are hand-written and fictional.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

import storyline.link.cluster as cluster
from storyline.link import Linker, link_all
from storyline.link.concepts import concept_counts
from storyline.link.features import Vocabulary, profile
from storyline.link.model import FEATURES
from storyline.settings import Settings
from tests.test_link_decisions import DAY, FIRE_ENTITIES, build, distractors, fire_da, fire_nb, pm_climate

CONCEPTS = FEATURES.index("concepts")


def fire_en() -> Any:
    return build(
        "A fierce blaze at the Nordvik Metall works in Halden forced police to evacuate about three hundred "
        "residents overnight. Firefighters fought the flames until morning while smoke drifted over the town. "
        "The fire started in a store of chemicals, the incident commander said, and people were told to keep "
        "windows shut. The council opened a crisis centre for the evacuated families, and police are "
        "investigating the cause of the fire.",
        "Hundreds evacuated as fire sweeps through Norwegian factory",
        "en",
        DAY + timedelta(hours=7),
        FIRE_ENTITIES[:2],  # names are what finds a story across languages; the words are then compared
        source="en-wire",
    )


def strike_en() -> Any:
    return build(
        "Teachers across Halden walked out on Monday after wage talks with the municipalities broke down. "
        "Schools stayed closed and pupils were sent home, the union said, and the strike may widen next week "
        "if no agreement is reached on pay.",
        "Teachers strike as wage talks collapse",
        "en",
        DAY + timedelta(hours=7),
        FIRE_ENTITIES[:1],
        source="en-wire",
    )


def test_concepts_counts_bridge_languages_through_the_lexicon() -> None:
    assert "burn" in concept_counts(["brann"], [1], "nb")
    assert "burn" in concept_counts(["fire"], [2], "en")
    assert concept_counts(["brand"], [1], "da")["burn"] == 1
    # "fire" is a blaze in English and the number four in Danish: each word is read in its own language
    assert "burn" not in concept_counts(["fire"], [1], "da")
    assert concept_counts(["xylofonværksted"], [3], "da") == {}


def test_concepts_a_listed_word_is_not_read_as_another_word_that_folds_alike() -> None:
    # "skadd" (injured) and "skatt" (tax) fold to one skeleton: two accident reports must not share "tax"
    assert concept_counts(["skadd"], [1], "nn") == {"injure": 1}
    assert concept_counts(["skatt"], [1], "nn") == {"tax": 1}
    # a spelling the lexicon does not list is still reached by folding (Danish "skatterne" → tax)
    assert "tax" in concept_counts(["skatterne"], [1], "da")


def test_concepts_profile_counts_content_words_sublinearly() -> None:
    prof = profile(fire_nb(), Vocabulary())
    assert prof.concepts["burn"] > 1.0  # brann, brannen, Storbrann: 1 + log(count)
    assert "evacuate" in prof.concepts and "police" in prof.concepts
    assert "can" not in prof.concepts  # "må", "kan": stopwords carry no concept


def test_concepts_feature_bridges_english_and_norwegian(store: Any) -> None:
    linker = Linker(store, Settings())
    linked = link_all(linker, [*distractors(), fire_nb(), pm_climate()])
    story = linked[-2].story_id
    rows = dict(linker.feature_rows(fire_en(), "story"))
    assert story in rows, "the English report must find the Norwegian story"
    same = rows[story][CONCEPTS]
    assert 0.3 < same <= 1.0 + 1e-9  # a cosine with the cluster's summed concept vector
    assert all(same > x[CONCEPTS] for sid, x in rows.items() if sid != story)
    # another happening told in English shares the generic news concepts only
    strike = dict(linker.feature_rows(strike_en(), "story"))
    assert story in strike, "the strike in the same town is a candidate"
    assert strike[story][CONCEPTS] < same / 2
    # and the shipped model decides on it: the English report joins, the strike opens its own story
    assert linker.decide(fire_en()).story_id == story
    assert linker.decide(strike_en()).action == "new"


def test_link_out_of_order_article_still_finds_its_story(store: Any) -> None:
    """Input out of publication order: a story begun before the clock jumped ahead stays reachable."""
    linker = Linker(store, Settings(link_window_days=14))
    da = linker.link_and_save(fire_da())
    linker.link_and_save(pm_climate(published=DAY + timedelta(days=90)))  # the clock jumps three months
    assert da.story_id not in linker.active_story_ids()  # no longer news ...
    late = linker.link_and_save(fire_nb())  # ... but a report of its own days, arriving late, finds it
    assert late.link is not None and late.link.candidate_count >= 1
    assert late.story_id == da.story_id


def test_link_out_of_order_stories_leave_the_index_after_enough_arrivals(
        store: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cluster, "LATE_ARRIVAL_ARTICLES", 2)
    linker = Linker(store, Settings(link_window_days=14))
    da = linker.link_and_save(fire_da())
    link_all(linker, [pm_climate(published=DAY + timedelta(days=90)), *distractors()])
    assert da.story_id not in linker.stories  # memory stays bounded: the time rule applies again
    decision = linker.decide(fire_nb())
    assert decision.action == "new" and decision.candidate_count == 0
