"""The NER tagger: training on a tiny hand-written set round-trips through the model file, and the shipped
model tags hand-written Danish, Norwegian and Swedish news sentences sensibly."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from storyline.errors import ExtractError
from storyline.eval.corpora import Sentence
from storyline.extract.tagger import MODEL_PATH, FeatureSet, Tagger, load_tagger, tag_spans, tokenize
from storyline.extract.train_ner import fit

# Synthetic sentences written for this test (not corpus text): a person before a verb, a place after "i"/"til",
# an organisation before "melder"/"meddeler".
_PEOPLE = ["Kari Holm", "Ola Berg", "Anne Lie", "Per Dahl", "Eva Strand"]
_PLACES = ["Bergen", "Tromsø", "Aarhus", "Malmö", "Odense"]
_ORGS = ["Statoil", "Telenor", "Novo", "Volvo", "Equinor"]


def _sentence(words: list[tuple[str, str]], language: str) -> Sentence:
    tokens: list[str] = []
    tags: list[str] = []
    for text, kind in words:
        for i, tok in enumerate(text.split()):
            tokens.append(tok)
            tags.append("O" if kind == "O" else ("B-" if i == 0 else "I-") + kind)
    return Sentence(tuple(tokens), tuple(tags), language, "norne_nb")


def _synthetic(language: str) -> list[Sentence]:
    out = []
    for i, person in enumerate(_PEOPLE):
        place, org = _PLACES[(i + 1) % 5], _ORGS[(i + 2) % 5]
        out.append(_sentence([(person, "PER"), ("reiste i går til", "O"), (place, "GPE_LOC"), (".", "O")],
                             language))
        out.append(_sentence([("Ifølge", "O"), (org, "ORG"), ("har", "O"), (person, "PER"),
                              ("flyttet til", "O"), (place, "GPE_LOC"), (".", "O")], language))
    return out


def test_tagger_round_trip_on_synthetic_data(tmp_path: Path) -> None:
    train = _synthetic("nb")
    tagger = fit(train, epochs=5, bits=14)
    path = tmp_path / "ner.npz"
    tagger.save(path)
    loaded = Tagger.load(path)
    sentences = [list(s.tokens) for s in train]
    assert loaded.tag(sentences, "nb") == tagger.tag(sentences, "nb")
    assert [list(s.tags) for s in train] == tagger.tag(sentences, "nb")  # a separable set is learned exactly
    # int8 quantisation keeps the scores close
    assert np.allclose(loaded.scores(sentences, "nb"), tagger.scores(sentences, "nb"), atol=0.05 * np.abs(
        tagger.weights).max() * 10)


def test_tagger_refuses_a_missing_or_broken_model(tmp_path: Path) -> None:
    with pytest.raises(ExtractError) as err:
        Tagger.load(tmp_path / "absent.npz")
    assert err.value.code == "extract.model"
    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"not a model")
    with pytest.raises(ExtractError):
        Tagger.load(broken)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("da", "Natos generalsekretær Jens Stoltenberg mødtes tirsdag med ministre i Oslo."),
        ("nb", "Generalsekretær Jens Stoltenberg i Nato sa onsdag at møtet i Oslo var nyttig."),
        ("sv", "Natos generalsekreterare Jens Stoltenberg besökte Oslo i tisdags, skriver TT."),
    ],
)
def test_tagger_shipped_model_tags_a_news_sentence(language: str, text: str) -> None:
    assert MODEL_PATH.is_file()
    tagger = load_tagger()
    (sent,) = tokenize(text)
    words = [text[a:b] for a, b in sent]
    (tags,) = tagger.tag([words], language)
    found = {(" ".join(words[a:b]), kind) for a, b, kind in tag_spans(tags)}
    assert ("Jens Stoltenberg", "PER") in found
    assert any(kind in ("LOC", "GPE_LOC") for name, kind in found if name == "Oslo")
    assert any(kind in ("ORG", "GPE_ORG") and name.startswith("Nato") for name, kind in found)


def test_tagger_tokenize_splits_sentences_and_keeps_compounds() -> None:
    text = "Nato-toppmøtet begynner 12. juli i Vilnius. – Vi er klare, sier Stoltenberg.\nBelarus' grense"
    words = [[text[a:b] for a, b in s] for s in tokenize(text)]
    assert words[0] == ["Nato-toppmøtet", "begynner", "12", ".", "juli", "i", "Vilnius", "."]
    assert words[1][:2] == ["–", "Vi"]
    assert words[2] == ["Belarus", "'", "grense"]


def test_tagger_refuses_a_model_with_unknown_word_attributes() -> None:
    # e.g. a model trained with the word-cluster experiment's "c1" attribute, loaded by a tagger without it
    with pytest.raises(ExtractError) as err:
        FeatureSet.from_json('{"unigrams": [["w", 0], ["c1", 1]], "pairs": []}')
    assert err.value.code == "extract.model"
