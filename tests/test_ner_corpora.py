"""NER corpus readers and `storyline eval ner`: formats read as their READMEs describe, splits kept apart, and
the evaluation skips cleanly (a coded error) without ../shared/data."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.errors import EvalError
from storyline.eval import run_eval
from storyline.eval.corpora import CORPORA, Split, read_corpus, repair_iob2
from storyline.eval.ner import evaluate_tagger
from storyline.extract.tagger import tag_spans


def test_ner_corpora_tag_spans_and_iob2_repair() -> None:
    tags = ["B-PER", "I-PER", "O", "I-LOC", "I-LOC", "B-ORG", "I-PER"]
    assert tag_spans(tags) == [(0, 2, "PER"), (3, 5, "LOC"), (5, 6, "ORG"), (6, 7, "PER")]
    assert repair_iob2(tags) == ["B-PER", "I-PER", "O", "B-LOC", "I-LOC", "B-ORG", "B-PER"]


def test_ner_corpora_unknown_corpus_and_missing_data_are_coded_errors(tmp_path: Path) -> None:
    with pytest.raises(EvalError) as err:
        read_corpus("no_such_corpus", "test", tmp_path)
    assert err.value.code == "eval.corpus"
    with pytest.raises(EvalError) as err:
        read_corpus("norne_nb", "test", tmp_path)
    assert err.value.code == "eval.missing_data" and "norne" in err.value.message + str(err.value.input)


def test_ner_eval_without_shared_data_is_a_clean_error(tmp_path: Path) -> None:
    with pytest.raises(EvalError) as err:
        run_eval("ner", tmp_path)
    assert "NER test split" in err.value.message


@pytest.mark.needs_shared_data
def test_ner_corpora_read_every_split_with_readme_counts(shared_data: Path) -> None:
    expected: dict[tuple[str, Split], int] = {  # sentences per split, from each folder's README
        ("norne_nb", "train"): 15696, ("norne_nb", "dev"): 2410, ("norne_nb", "test"): 1939,
        ("norne_nn", "train"): 14174, ("norne_nn", "test"): 1511,
        ("uner_da_ddt", "train"): 4383, ("uner_da_ddt", "test"): 565,
        ("danplus_news", "train"): 4383, ("uner_sv_talbanken", "test"): 1219, ("klintan_sv", "test"): 2453,
    }
    for (name, split), n in expected.items():
        sentences = read_corpus(name, split, shared_data)
        assert len(sentences) == n, (name, split)
        assert all(len(s.tokens) == len(s.tags) for s in sentences)
        assert {s.language for s in sentences} == {CORPORA[name].language}
        kinds = {k for s in sentences for _, _, k in tag_spans(s.tags)}
        assert kinds <= set(CORPORA[name].types), (name, kinds)
    # DaN+ outer level: derived and part-of tags are not entities
    assert all("deriv" not in t and "part" not in t for s in read_corpus("danplus_news", "train", shared_data)
               for t in s.tags)


@pytest.mark.needs_shared_data
def test_ner_corpora_klintan_dev_is_a_held_out_tenth_of_train(shared_data: Path) -> None:
    train = read_corpus("klintan_sv", "train", shared_data)
    dev = read_corpus("klintan_sv", "dev", shared_data)
    assert len(dev) == 689 and len(train) + len(dev) == 6885  # every tenth of the 6,885, the rest is train


@pytest.mark.needs_shared_data
def test_ner_eval_shipped_tagger_on_ddt_test(shared_data: Path) -> None:
    result = evaluate_tagger(read_corpus("uner_da_ddt", "test", shared_data), full_types=False)
    assert result["f1"] > 0.6 and set(result["per_type"]) == {"PER", "ORG", "LOC"}
    assert result["tokens_per_s"] > 0
