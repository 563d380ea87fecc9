"""The tagger's fast path (`Tagger.scores` from per-word tables, `viterbi_batch` over a whole article) gives the
same labels as the plain reference: the weights summed over `Featurizer.batch_features` (the features training
uses) and decoded one sentence at a time with `viterbi`. Issue 6: the speed work must not change any label."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from storyline.extract.tagger import LABELS, Tagger, load_tagger, tokenize, viterbi, viterbi_batch

_SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def _sample_sentences() -> list[tuple[str, list[list[str]]]]:
    """(language, sentences) per sample article: the project's own hand-written news, a few hundred sentences."""
    out = []
    for path in sorted((_SAMPLES / "articles").glob("*.txt")) + sorted((_SAMPLES / "hard" / "articles").glob("*")):
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        language = path.name.split("-")[0]
        out.append((language if language in ("da", "nb", "nn", "sv") else "", [[text[a:b] for a, b in sent]
                                                                               for sent in tokenize(text)]))
    return out


def _reference_tags(tagger: Tagger, sentences: list[list[str]], language: str) -> list[list[str]]:
    feats = tagger.featurizer.batch_features(sentences, language)
    scores = tagger.weights[feats].sum(axis=1)
    out, pos = [], 0
    for sent in sentences:
        path = viterbi(scores[pos : pos + len(sent)], tagger.trans, tagger.start)
        out.append([LABELS[j] for j in path])
        pos += len(sent)
    return out


def test_tagger_fast_path_matches_the_reference_on_the_samples() -> None:
    tagger = load_tagger()
    articles = _sample_sentences()
    assert sum(len(s) for _, s in articles) >= 300
    for language, sentences in articles:
        reference = _reference_tags(tagger, sentences, language)
        assert tagger.tag(sentences, language) == reference
        assert tagger.tag(sentences, language) == reference  # again, now from the cached word tables
        scores = tagger.scores(sentences, language)
        plain = tagger.weights[tagger.featurizer.batch_features(sentences, language)].sum(axis=1)
        assert np.allclose(scores, plain, rtol=1e-5, atol=1e-4)


def test_tagger_fast_path_handles_empty_and_one_word_sentences() -> None:
    tagger = load_tagger()
    assert tagger.tag([], "nb") == []
    assert tagger.tag([[], []], "nb") == [[], []]
    sentences = [["Oslo"], [], ["Jens", "Stoltenberg", "kom", "."]]
    got = tagger.tag(sentences, "nb")
    assert [len(t) for t in got] == [1, 0, 4]
    assert got[0] == _reference_tags(tagger, [["Oslo"]], "nb")[0]
    assert got[2] == _reference_tags(tagger, [sentences[2]], "nb")[0]


def test_tagger_viterbi_batch_equals_viterbi_per_sentence() -> None:
    tagger = load_tagger()
    rng = np.random.default_rng(6)
    lengths = np.array([5, 1, 17, 0, 9, 17, 3], dtype=np.int64)
    padded = np.zeros((int(lengths.max()), len(lengths), len(LABELS)), dtype=np.float32)
    for s, n in enumerate(lengths.tolist()):
        padded[:n, s] = rng.normal(0, 3, (n, len(LABELS))).astype(np.float32)
    # exact ties too: every label of this sentence scores the same, so the first maximum must win in both
    padded[:9, 4] = 1.0
    paths = viterbi_batch(padded, lengths, tagger.trans, tagger.start)
    for s, n in enumerate(lengths.tolist()):
        assert paths[:n, s].tolist() == viterbi(padded[:n, s], tagger.trans, tagger.start)
