"""Claims across languages through the concept lexicon (link/concepts.py) and the held-out claim sets.

All texts are written for these tests (fictional people and events).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.errors import StorylineError
from storyline.eval.claims import evaluate_claims, load_claim_set
from storyline.link.claims import ClaimOptions, conceptual, story_claims
from storyline.link.concepts import LANGUAGES, concepts_of, lexicon
from storyline.link.features import fold
from tests.test_claims import quoted

ROOT = Path(__file__).resolve().parents[1]
LEXICAL = ClaimOptions(semantic=False)


def _concepts(word: str, language: str | None) -> frozenset[str]:
    return concepts_of(fold(word), language)


def test_concepts_read_a_word_in_its_own_language() -> None:
    assert "burn" in _concepts("fire", "en")
    assert _concepts("fire", "da") == {"number_four"}, "Danish fire is the number four, not a blaze"
    assert _concepts("ikkje", "nn") == _concepts("ikkje", "nb") == frozenset(), "function words are not listed"
    assert "serious" in _concepts("alvorlegaste", "nn") and "serious" in _concepts("allvarligaste", "sv")


def test_concepts_reach_inflections_and_compounds_but_not_short_prefixes() -> None:
    assert _concepts("passagererne", "da") == {"passenger"}
    assert _concepts("programvareoppdateringen", "nb") >= {"software", "update"}
    assert not _concepts("skolekøkkenet", "da"), "a listed head with an unlisted tail is no compound of the lexicon"
    assert not _concepts("bytte", "da"), "'by' (town) is too short to stand as a prefix"


def test_concepts_lexicon_rows_cover_every_language() -> None:
    table = lexicon()
    assert set(table) == set(LANGUAGES)
    concepts_per_language = {lang: {c for cs in forms.values() for c in cs} for lang, forms in table.items()}
    assert len(concepts_per_language["en"]) >= 250
    # A concept missing from one language could never bridge that language.
    assert len({frozenset(cs) for cs in concepts_per_language.values()}) == 1


def test_claims_concepts_join_an_english_rendering_of_a_swedish_statement() -> None:
    sv = quoted("– Vi kommer att stänga fabriken i Umeå under hela vintern, säger Ole Vang.", "sv", "norran-se", 3,
                [("Vi kommer att stänga fabriken i Umeå under hela vintern", "Ole Vang", "per:ole_vang")])
    en = quoted('"We will close the factory in Umeå for the whole winter," Vang said.', "en", "wire-en", 3,
                [("We will close the factory in Umeå for the whole winter", "Vang", "per:ole_vang")])
    multi = [c for c in story_claims([sv, en], LEXICAL) if len(c.quotes) > 1]
    assert len(multi) == 1 and multi[0].languages == ["en", "sv"]


def test_claims_concepts_rank_the_rendering_above_another_statement_of_the_day() -> None:
    """The same speaker, the same day, the same factory: the English rendering of the Swedish statement scores
    above what he said about opening one next summer (short quotes on one topic can still both pass the
    threshold: the figures veto and the average linkage, not the words, keep such pairs apart)."""
    statement = "Vi kommer att stänga fabriken i Umeå under hela vintern"
    same = conceptual(statement, "We will close the factory in Umeå for the whole winter", "sv", "en")
    other = conceptual(statement, "We will open a new factory in Umeå next summer", "sv", "en")
    assert same > 0.9 and same - other > 0.4


def test_claims_concepts_do_not_outvote_a_conflicting_figure() -> None:
    sv = quoted("– Vi stänger fabriken i Umeå och 300 anställda får gå, säger Ole Vang.", "sv", "norran-se", 3,
                [("Vi stänger fabriken i Umeå och 300 anställda får gå", "Ole Vang", "per:ole_vang")])
    en = quoted('"We are closing the factory in Umeå and 200 employees will go," Vang said.', "en", "wire-en", 3,
                [("We are closing the factory in Umeå and 200 employees will go", "Vang", "per:ole_vang")])
    assert all(len(c.quotes) == 1 for c in story_claims([sv, en], LEXICAL))


@pytest.mark.parametrize("name", ["claims_test", "claims_blind", "claims_blind2"])
def test_claims_held_out_sets_load_with_every_quote_labelled(name: str) -> None:
    claim_set = load_claim_set(ROOT / "samples" / name)
    assert len(claim_set.stories) >= 3
    multi = {label for label in claim_set.claim_of.values() if "|" not in label}
    assert len(multi) >= 10, "at least ten statements reported more than once"
    assert len(claim_set.claim_of) > sum(1 for label in claim_set.claim_of.values() if "|" not in label), (
        "hard negatives: quotes that belong to no multi-quote claim"
    )


def test_claims_eval_names_its_set_and_refuses_a_folder_without_gold(tmp_path: Path) -> None:
    result = evaluate_claims(ROOT / "samples" / "claims_test")
    assert result["set"] == "samples/claims_test"
    # A regression floor for the held-out set (measured 2026-11-25: P 1.00 / R 0.97, 63/65 cross-language pairs);
    # raise it when the aligner improves, never lower it silently.
    assert result["pairwise"]["precision"] >= 0.95 and result["pairwise"]["recall"] >= 0.9
    assert result["cross_language_pairs"]["found"] >= 60
    with pytest.raises(StorylineError) as err:
        evaluate_claims(tmp_path)
    assert err.value.code.startswith("eval.")
