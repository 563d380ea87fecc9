"""Entity precision on English text (issue 6): the tagger is trained on Nordic corpora only, so English common
words, initials, suffixes and head words need the extract stage's own handling. The fixture
`fixtures/english_entities.jsonl` is 42 fictional news paragraphs written for this test, with hand-made gold
spans (PER / ORG / LOC; titles such as "Governor" are not part of a name)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline.extract.entities import content_words, find_mentions
from storyline.extract.names import first_names

FIXTURE = Path(__file__).parent / "fixtures" / "english_entities.jsonl"


def _gold(row: dict[str, object]) -> set[tuple[int, int, str]]:
    """Gold spans from the (surface, type) list, located in order of appearance."""
    text = str(row["text"])
    out, pos = set(), 0
    entities = row["entities"]
    assert isinstance(entities, list)
    for surface, kind in entities:
        start = text.index(surface, pos)
        out.add((start, start + len(surface), kind))
        pos = start + len(surface)
    return out


def _keys(text: str) -> dict[str, tuple[str, str]]:
    return {e.text: (e.type, e.key) for e in find_mentions(text, "en").entities}


def test_english_entities_fixture_precision_and_recall() -> None:
    rows = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) >= 40
    tp = fp = fn = 0
    for row in rows:
        gold = _gold(row)
        pred = {(e.start, e.end, e.type) for e in find_mentions(row["text"], "en").entities
                if e.type in ("PER", "ORG", "LOC")}
        tp, fp, fn = tp + len(gold & pred), fp + len(pred - gold), fn + len(gold - pred)
    # measured 0.960 / 0.967 when this floor was set (0.764 / 0.764 before issue 6); a floor, not a target
    assert tp / (tp + fp) >= 0.93
    assert tp / (tp + fn) >= 0.93


def test_english_entities_common_words_are_not_names() -> None:
    keys = _keys("People gathered outside. Web traffic fell. Promises were broken, said Delia Marchetti.")
    assert set(keys) == {"Delia Marchetti"}


def test_english_entities_common_word_reads_as_the_longer_name_before_it() -> None:
    # "Star" opens the first sentence before any name contains it: a headline word, not a name; after
    # "Dunmore Star" it stands for that name
    found = find_mentions("Star striker Kofi Mensah joined Dunmore Star. Star fans cheered.", "en").entities
    assert found[0].text == "Kofi Mensah"
    assert ("Dunmore Star", "misc:dunmore-star") in [(e.text, e.key) for e in found]
    assert all(e.key == "misc:dunmore-star" for e in found if e.text == "Star")


def test_english_entities_us_states_are_places() -> None:
    keys = _keys("Delia Marchetti has lived in Texas for forty years and visits Arizona every spring.")
    assert keys["Texas"] == ("LOC", "loc:texas")
    assert keys["Arizona"] == ("LOC", "loc:arizona")


def test_english_entities_initials_and_suffixes() -> None:
    text = "Thomas R. Whitcombe Jr. was named chief executive. Whitcombe replaces his father."
    found = find_mentions(text, "en").entities
    assert [(e.text, e.key) for e in found] == [
        ("Thomas R. Whitcombe", "per:vhitkombe"),
        ("Whitcombe", "per:vhitkombe"),
    ]
    assert not any(e.text in {"Jr", "R", "Thomas R"} for e in found)


def test_english_entities_possessive_is_the_name() -> None:
    keys = _keys("Senator Harry Reid's office confirmed it. Reid's aides declined to comment.")
    assert keys["Reid"] == ("PER", "per:reid")
    assert keys["Harry Reid"] == ("PER", "per:reid")


def test_english_entities_head_words_type_the_name() -> None:
    keys = _keys("Crowds lined Fifth Avenue before fans of the Hunger Games reached Corlan Industries.")
    assert keys["Fifth Avenue"] == ("LOC", "loc:fifth-avenue")
    assert keys["Hunger Games"][0] == "MISC"
    assert keys["Corlan Industries"] == ("ORG", "org:corlan-industries")


def test_english_entities_surname_beats_a_town_of_that_name() -> None:
    keys = _keys("President George W. Bush spoke in Houston on Monday. Bush said the storm was over.")
    assert keys["George W. Bush"][0] == "PER"
    assert keys["Bush"] == keys["George W. Bush"]


@pytest.mark.parametrize("language", ["da", "nb", "nn", "sv"])
def test_english_entities_lists_do_not_apply_to_nordic_text(language: str) -> None:
    assert content_words(language) == frozenset()
    assert "people" in content_words("en") and "people" in content_words(None)


def test_english_entities_content_words_are_no_first_names() -> None:
    names = {n.casefold() for n in first_names()}
    assert not content_words("en") & names
