"""The project's own language model: shipped in the package, loads fast, hashes deterministically, and scores an
article's paragraphs in one pass exactly as it scores each alone."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

import storyline.detect
from storyline.detect import features as F
from storyline.detect.model import MODEL_PATH, LangModel, load_model
from storyline.errors import DetectError

PARAGRAPHS = [
    "Kommunestyret vedtok torsdag å legge ned skolen, og foreldrene er ikke fornøyde med hvordan saken er håndtert.",
    "– Dette er en trist dag for bygda, sier rektor Kari Lunde.",
    "",
    "Foreldra har varsla at dei vil klage vedtaket inn for statsforvaltaren.",
    "123 !!",
]


def test_detect_model_file_ships_inside_the_package() -> None:
    assert MODEL_PATH.parent.parent == Path(storyline.detect.__file__).parent
    assert MODEL_PATH.suffix == ".npz"
    assert MODEL_PATH.stat().st_size < 4_000_000


def test_detect_model_loads_fast_with_its_languages_and_calibration() -> None:
    start = time.perf_counter()
    model = LangModel.load()
    assert time.perf_counter() - start < 1.0
    assert model.langs == ("da", "nb", "nn", "sv", "en")
    assert model.weights.shape == (1 << model.bits, 5)
    assert 0 < model.temperature < 1
    assert 0 < model.known_floor < 1


def test_detect_model_missing_file_is_a_coded_error(tmp_path: Path) -> None:
    with pytest.raises(DetectError) as err:
        LangModel.load(tmp_path / "nope.npz")
    assert err.value.code == "detect.model"
    assert "storyline.detect.train" in err.value.hint


def test_detect_features_are_deterministic_and_case_insensitive() -> None:
    a_grams, a_words = F.hashes(F.normalise("Han kom hjem i går."))
    b_grams, b_words = F.hashes(F.normalise("HAN  kom hjem, i går!"))
    assert np.array_equal(a_grams, b_grams) and np.array_equal(a_words, b_words)
    assert len(a_words) == 5
    assert F.normalise("12 — !!") == " " and F.word_count(F.normalise("12 — !!")) == 0


def test_detect_model_scores_paragraphs_in_one_pass_like_one_by_one() -> None:
    model = load_model()
    together = model.score_many(PARAGRAPHS)
    for text, joint in zip(PARAGRAPHS, together, strict=True):
        alone = model.score(text)
        assert joint.words == alone.words
        assert joint.known == pytest.approx(alone.known)
        assert np.allclose(joint.logits, alone.logits, atol=1e-3)
    assert together[2].words == 0 and together[4].words == 0
    assert model.langs[int(np.argmax(together[0].logits))] == "nb"
    assert model.langs[int(np.argmax(together[3].logits))] == "nn"


def test_detect_model_carries_its_dev_fitted_blend() -> None:
    from storyline.detect.train import BLEND_NB_WEIGHTS

    model = load_model()
    assert model.nb_weight in BLEND_NB_WEIGHTS and model.nb_weight > 0
    assert 0 < model.blend_temperature < 2
