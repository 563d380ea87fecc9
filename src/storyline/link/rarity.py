"""How rare a feature is *for the outlet that wrote the article*, not only in the whole stream (used for names).

The linker weighs shared evidence by inverse document frequency over every article it has seen. In a real stream
of many papers a local paper's home town, its county, its police district and its own name are rare overall (no
other paper writes them) but in a large share of that paper's articles: stream IDF weighs them like a
protagonist's name, and one paper's unrelated local news of a few days joined on them (two traffic accidents in
one county sharing its names). Measured with benchmarks/real_news_joins.py (490 NorNE nb/nn train documents in
publication order, the shipped model): names weighed this way, false joins 46 -> 36 of the pairs joined, true
joins 70 -> 70; the labelled eval sets, whose outlets have a few articles each, decide exactly as before.

`OutletRarity` keeps a running document frequency per outlet (`outlets.outlet_key`), halved every
HALF_LIFE articles of that outlet so that it follows what the paper writes about now and its memory stays
bounded. The rate a feature is used at by an outlet is shrunk towards its stream-wide rate with a prior of
PRIOR articles (an outlet seen a few times says little), and the feature's IDF is that of the higher of the two
rates: a feature is strong evidence only when it is rare in the stream *and* in its own paper.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

from storyline.outlets import outlet_key

K = TypeVar("K", bound=Hashable)

PRIOR = 10.0  # articles of pseudo-count pulling an outlet's rate towards the stream's
# An outlet's counts are halved each time it has written this many more articles, and features then counted
# once are forgotten: about two weeks of a local paper at ~20 articles a day (the link window), and it bounds the
# memory to the names of the outlet's last ~2 x HALF_LIFE articles.
HALF_LIFE = 300


class OutletRarity(Generic[K]):
    """Per-outlet running document frequencies of one kind of feature (entity keys, name term ids, concepts)."""

    def __init__(self) -> None:
        self._n: dict[str, float] = {}
        self._df: dict[str, dict[K, float]] = {}

    def count(self, source: str, features: Iterable[K]) -> None:
        """Count one committed article of `source` that used `features` (each at most once)."""
        outlet = outlet_key(source)
        n = self._n.get(outlet, 0.0) + 1.0
        df = self._df.setdefault(outlet, {})
        for f in features:
            df[f] = df.get(f, 0.0) + 1.0
        if n >= 2 * HALF_LIFE:  # forget half: what the paper wrote long ago says less about it now
            n /= 2
            self._df[outlet] = {f: c / 2 for f, c in df.items() if c >= 2}
        self._n[outlet] = n

    def idf(self, source: str, weights: dict[K, float]) -> dict[K, float]:
        """`weights` (feature → its stream-wide IDF, log((n + 1) / (df + 1)) + 1, so that its stream rate
        (df + 1) / (n + 1) is exp(1 - IDF)) capped at the IDF of its rate in the outlet. Returns a new dict, equal
        to `weights` for an outlet never seen."""
        outlet = outlet_key(source)
        seen = self._n.get(outlet)
        if not seen:
            return dict(weights)
        counts = self._df[outlet]
        out: dict[K, float] = {}
        for f, idf in weights.items():
            stream_rate = math.exp(1.0 - idf)
            outlet_rate = (counts.get(f, 0.0) + PRIOR * stream_rate) / (seen + PRIOR)
            out[f] = idf if outlet_rate <= stream_rate else 1.0 - math.log(outlet_rate)
        return out
