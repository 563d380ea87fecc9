"""Issue 6 (link speed): the faster forms in link/cluster.py compute exactly what the plain forms they replaced did.

Decisions must not change with a speed change (benchmarks/decisions.py checks whole streams); these pin the pieces.
"""

from __future__ import annotations

import math
import random
import re

import numpy as np

from storyline.link import cluster
from storyline.link.cluster import _absorb, _Cluster, _most_probable, _neg, _Scored

# The number pattern as it was first written (a lookbehind in front): `cluster._NUMBER` must match exactly the same.
_PLAIN_NUMBER = re.compile(r"(?<![\w.,])(\d{2,}(?:[.,]\d+)?|\d[.,]\d+)(?![\d])")


def test_link_number_pattern_matches_the_plain_form() -> None:
    rng = random.Random(6)
    alphabet = "0123456789.,ab -\n٣²"  # Arabic-Indic three is a \d, superscript two only a \w
    texts = ["2,6 mio. og 33-årige", "v1.2 3.14 .5 12,5% 2024-06-24", "a12 12a ,12 12, 1.2.3 ٣٣"]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(20_000)]
    for text in texts:
        assert cluster._NUMBER.findall(text) == _PLAIN_NUMBER.findall(text), text


def _scored(cid: str, p: float) -> _Scored:
    return _Scored(_Cluster(cid, cid), np.zeros(1), p, None)


def test_link_most_probable_breaks_ties_like_max_on_negated_id() -> None:
    rng = random.Random(7)
    assert _most_probable([]) is None
    for _ in range(2_000):
        ids = rng.sample([f"s{n:015x}" for n in range(40)], rng.randint(1, 12))
        scored = [_scored(i, rng.choice([0.2, 0.5, 0.9])) for i in ids]
        expected = max(scored, key=lambda s: (s.probability, _neg(s.cluster.id)))
        assert _most_probable(scored) is expected


def test_link_absorb_keeps_persons_and_norm_as_full_recounts() -> None:
    rng = random.Random(8)
    c = _Cluster("s1", "s1")
    keys = [f"{kind}:{n}" for kind in ("per", "org", "loc") for n in range(30)]
    for _ in range(200):
        entities = {k: rng.random() * 3 for k in rng.sample(keys, rng.randint(0, 8))}
        _absorb(c, entities, {}, None, (), ())
        assert c.persons == sum(1 for k in c.entities if k.startswith("per:"))
        assert c.entities_norm == math.sqrt(sum(v * v for v in c.entities.values()))


def test_link_vocabulary_keeps_each_terms_grams_in_one_array() -> None:
    from storyline.link.features import Vocabulary, fold, word_grams

    rng = random.Random(9)
    vocab = Vocabulary()
    words = ["".join(rng.choice("abdegkorstuvyæøå") for _ in range(rng.randint(3, 14))) for _ in range(20_000)]
    tids = vocab.terms([*words, "og", "2024", "regjeringen", "regeringen"])
    assert tids[-4:-2] == [-1, -1] and tids[-2] == tids[-1]  # a stopword, a number; two spellings, one term
    names = {i: f for f, i in vocab.ids.items()}
    for word, tid in zip(words, tids, strict=False):
        if tid < 0:  # a random word that is a stopword
            continue
        (grams,) = vocab.grams(np.asarray([tid]))
        assert [names[g] for g in grams.tolist()] == list(word_grams(fold(word)))
    terms = np.asarray(sorted({t for t in tids if t >= 0}))
    flat, counts = vocab.gram_ids(terms)  # the buffers grew many times over: earlier terms are intact
    assert np.array_equal(flat, np.concatenate(vocab.grams(terms)))
    assert counts.tolist() == [len(g) for g in vocab.grams(terms)]
