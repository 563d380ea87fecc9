"""A link decision in words (link/explain.py): reasons phrased from values, ranked and signed by contributions."""

from __future__ import annotations

from storyline.link import explain
from storyline.link.model import load_models
from storyline.models import LinkDecision
from tests.serve_stories import QUOTA_JOIN_FEATURES


def test_explain_reasons_group_correlated_terms_and_drop_model_internals() -> None:
    reasons = explain.reasons(QUOTA_JOIN_FEATURES)
    assert [(r.feature, r.direction) for r in reasons] == [
        ("names", "for"), ("figures", "for"), ("missing_names", "against"),
    ]
    names = reasons[0]
    # entities + names terms summed: the reader sees one reason, not two halves of one signal.
    assert names.contribution == 3.7
    assert "80 % overlap" in names.text and "70 % of its proper names" in names.text
    assert reasons[1].text == "reports 100 % of the same figures"
    # Wording's two terms (-0.6 and +0.7) nearly cancel: below the threshold, so no contradictory pair shows.
    assert all(r.feature != "wording" for r in reasons)
    terms = dict(explain.contributions(QUOTA_JOIN_FEATURES))
    assert not {"bias", "logit", "probability", "candidates"} & set(terms)
    assert terms["entities"] == 2.2


def test_explain_reason_direction_follows_the_sign_of_the_summed_contribution() -> None:
    features = {"lexical": 0.12, "lexical_contribution": -0.3, "lexical_best": 0.15, "lexical_best_contribution": -0.4,
                "same_day": -1.0, "same_day_contribution": -1.8, "time_gap": 2.0, "time_gap_contribution": -0.2,
                "time_gap_days": 6.4}
    reasons = explain.reasons(features)
    assert [(r.feature, r.direction) for r in reasons] == [("time", "against"), ("wording", "against")]
    assert reasons[0].text == "published 6 days from the story's articles, reports on other days"
    assert reasons[1].text.startswith("wording 15 % like its closest article and 12 % like the story as a whole")


def test_explain_subject_reason_says_the_concepts_matched_across_languages() -> None:
    # A Swedish report joining a Norwegian story on what both are about (strike, teachers) rather than shared words.
    features = {"concepts": 0.47, "concepts_contribution": 2.4, "lexical": 0.05, "lexical_contribution": -0.2,
                "lexical_best": 0.08, "lexical_best_contribution": 0.1}
    reasons = explain.reasons(features)
    assert [(r.feature, r.direction) for r in reasons] == [("subject", "for")]
    assert reasons[0].text == "47 % alike in what it is about, its subject words matched across languages"
    assert reasons[0].contribution == 2.4


def test_explain_headlines_for_join_new_and_wire_copy() -> None:
    join = LinkDecision("s1", "join", 0.9971, dict(QUOTA_JOIN_FEATURES), candidate_count=3, merged=["s2"])
    text = explain.headline(join)
    bar = f"{round(100 * load_models().story.threshold)} %"
    assert text.startswith(f"Joined the best of 3 candidate stories: match score over 99 % (joins from {bar}).")
    assert "1 other story was the same one" in text
    assert explain.headline(LinkDecision("s1", "new", 0.0, {}, 0)).startswith(
        "Opened the story: no earlier story shared enough"
    )
    assert "the closest of 2 candidate stories scored too low to join, match score 11 %" in explain.headline(
        LinkDecision("s1", "new", 0.11, {}, 2)
    )
    copy = LinkDecision("s1", "join", 0.93, {"wire_copy": 1.0, "copy_similarity": 0.93}, 1, copy_of="a-orig")
    assert explain.headline(copy, "Ferja innstilt", "avisa-no").startswith(
        "Wire copy of «Ferja innstilt» (avisa-no): 93 % of the text is the same"
    )
    assert explain.headline(copy).startswith("Wire copy of a-orig:"), "without the original's title, its id"
    assert explain.reasons(copy.features) == [], "a copy's evidence is its similarity, said in the headline"


def test_explain_event_sentence() -> None:
    joined = LinkDecision("s1", "join", 0.9, {}, 1, event_id="e1", event_action="join", event_score=0.84)
    bar = f"{round(100 * load_models().event.threshold)} %"
    assert explain.event_sentence(joined, "Toppmøtet i Oslo") == (
        f"Reports the same event as earlier articles, match score 84 % (joins from {bar}): «Toppmøtet i Oslo»."
    )
    opened = LinkDecision("s1", "join", 0.9, {}, 1, event_id="e2", event_action="new")
    assert explain.event_sentence(opened, None) == "Reports a new event in the story: an event of the story."
    assert explain.event_sentence(LinkDecision("s1", "new", 0.0), None) is None
