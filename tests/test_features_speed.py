"""The link stage's fast paths compute exactly what the straightforward code computed (issue 6, speed): one split
of the body shared by the profile and the wire signature, and `summed` without np.unique. Link decisions must not
move, so each is checked bit for bit against a reference (the signature: tests/test_wire_signature.py)."""

from __future__ import annotations

import re

import numpy as np

from storyline.link import features
from storyline.link.features import Vocabulary, profile, summed, tokens
from tests.conftest import make_article

TEXTS = [
    "Regeringen i Oslo vil købe 2,6 mio. vaccinedoser – «Vi handler nu», siger Støre (33-årige a_b_c).",
    "Kjøpe/købe/köpa: ændring ändring; x1 yy zzz 100-årsjubilæet i Malmö, e-mail co-op ab-cde.",
    "",
    "  ... !!! ",
    "Ærø ÅÅ åa øø ØØØ Ångström naïve café résumé Straße ﬁnance ⅓ x²y 東京 ok",
]


def test_features_tokens_of_three_letters_are_the_word_regex() -> None:
    word3 = re.compile(r"\w{3,}")
    for text in TEXTS:
        assert [w for w in tokens(text) if len(w) >= features.MIN_WORD] == word3.findall(text.lower())
        assert tokens(text) == re.findall(r"\w+", text.lower())


def test_features_tokens_remember_only_the_same_text() -> None:
    first = "Færgen sejler igen"
    assert tokens(first) == ["færgen", "sejler", "igen"]
    assert tokens(first) is tokens(first)  # the second split is free
    other = "Broen er lukket"
    assert tokens(other) == ["broen", "er", "lukket"]
    equal_copy = "".join(["Færgen ", "sejler igen"])  # equal text, another object
    assert equal_copy is not first and tokens(equal_copy) == ["færgen", "sejler", "igen"]


def test_features_profile_unchanged_by_the_shared_split() -> None:
    vocab = Vocabulary()
    art = make_article(TEXTS[0], title="Regeringen køber vacciner")
    art.text = art.raw_text
    tokens("something else entirely")  # a stale remembered split must not leak into the profile
    prof = profile(art, vocab)
    words = re.findall(r"\w{3,}", art.text.lower())
    folded = {vocab.terms([w])[0] for w in [*words, "regeringen", "køber", "vacciner"]} - {-1}
    assert set(prof.terms.ids.tolist()) == folded


def _reference_summed(ids: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    uniq, inverse = np.unique(ids, return_inverse=True)
    return uniq.astype(np.int64), np.bincount(inverse, weights=weights, minlength=len(uniq)).astype(np.float64)


def test_features_summed_is_unique_plus_bincount_bit_for_bit() -> None:
    rng = np.random.default_rng(6)
    for n, span in [(1, 3), (5, 3), (200, 10_000), (300, 40), (1000, 700)]:
        ids = rng.integers(0, span, size=n).astype(np.int64)
        weights = rng.random(n) * 10 - 3
        got = summed(ids, weights)
        want_ids, want_values = _reference_summed(ids, weights)
        assert got.ids.dtype == np.int64 and got.values.dtype == np.float64
        assert np.array_equal(got.ids, want_ids)
        assert got.values.tobytes() == want_values.tobytes()
    assert len(summed(np.zeros(0, dtype=np.int64), np.zeros(0))) == 0
