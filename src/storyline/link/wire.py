"""Wire copies: the same NTB/Ritzau/TT text published by several outlets, found by MinHash over word shingles.

Outlets retitle wire stories and trim or add a paragraph, so the signature is taken from the body only, as
3-word shingles (robust to a changed line, specific enough that two reports of one event in their own words
share almost none). 64 hash functions in 16 bands of 4 rows: a pair at Jaccard 0.6 shares a band with
probability 1-(1-0.6^4)^16 ≈ 0.89, at 0.8 ≈ 0.99999; band hits are then checked against `COPY_JACCARD`.
Hashing is crc32 (deterministic across processes, unlike Python's `hash`) then 64 affine maps in numpy.
"""

from __future__ import annotations

import re
import zlib
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

SHINGLE = 3
PERMUTATIONS = 64
BANDS = 16
ROWS = PERMUTATIONS // BANDS
# Estimated Jaccard at which a body is a copy. Calibrated on samples/gold.jsonl (wire_of labels): the copies
# there estimate 0.70-0.95, different reports of one event below 0.15.
COPY_JACCARD = 0.5
MIN_SHINGLES = 20  # bodies shorter than this are too short to call copies safely
MAX_REMEMBERED = 200_000  # signatures kept (oldest forgotten first): copies appear within hours or days

_WORD = re.compile(r"\w+")
_PRIME = np.uint64((1 << 61) - 1)
_rng = np.random.default_rng(20240601)  # fixed: signatures must be comparable across runs
_A = _rng.integers(1, (1 << 31) - 1, size=PERMUTATIONS, dtype=np.uint64)
_B = _rng.integers(0, (1 << 31) - 1, size=PERMUTATIONS, dtype=np.uint64)

Signature = npt.NDArray[np.uint64]


def signature(text: str) -> Signature | None:
    """The body's MinHash signature, or None when it is too short to tell a copy from a coincidence."""
    words = _WORD.findall(text.lower())
    if len(words) < SHINGLE + MIN_SHINGLES:
        return None
    shingles = {" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}
    hashes = np.fromiter((zlib.crc32(s.encode()) for s in shingles), dtype=np.uint64, count=len(shingles))
    mixed = (hashes[:, None] * _A[None, :] + _B[None, :]) % _PRIME  # (shingles, permutations); no overflow
    sig: Signature = mixed.min(axis=0)
    return sig


def similarity(a: Signature, b: Signature) -> float:
    """Estimated Jaccard similarity of the two shingle sets."""
    return float(np.count_nonzero(a == b)) / PERMUTATIONS


@dataclass(frozen=True, slots=True)
class CopyMatch:
    original: str  # article id of the earliest stored article with this text
    similarity: float


class CopyIndex:
    """LSH index of recent signatures; `find` never changes it, `add` does (after the article is saved)."""

    def __init__(self) -> None:
        self._bands: dict[tuple[int, bytes], list[str]] = {}
        self._sigs: OrderedDict[str, Signature] = OrderedDict()
        self._original: dict[str, str] = {}  # article id → the original it copies (itself if original)

    def __len__(self) -> int:
        return len(self._sigs)

    @staticmethod
    def _keys(sig: Signature) -> list[tuple[int, bytes]]:
        return [(b, sig[b * ROWS : (b + 1) * ROWS].tobytes()) for b in range(BANDS)]

    def find(self, sig: Signature | None) -> CopyMatch | None:
        if sig is None:
            return None
        seen: set[str] = set()
        best: CopyMatch | None = None
        for key in self._keys(sig):
            for aid in self._bands.get(key, ()):
                if aid in seen or aid not in self._sigs:
                    continue
                seen.add(aid)
                sim = similarity(sig, self._sigs[aid])
                if sim >= COPY_JACCARD and (best is None or (sim, best.original) > (best.similarity, aid)):
                    best = CopyMatch(aid, sim)
        if best is None:
            return None
        # a copy of a copy is a copy of the original
        return CopyMatch(self._original.get(best.original, best.original), best.similarity)

    def add(self, article_id: str, sig: Signature | None, copy_of: str | None = None) -> None:
        if sig is None or article_id in self._sigs:
            return
        self._sigs[article_id] = sig
        self._original[article_id] = copy_of or article_id
        for key in self._keys(sig):
            self._bands.setdefault(key, []).append(article_id)
        while len(self._sigs) > MAX_REMEMBERED:
            old, old_sig = self._sigs.popitem(last=False)
            self._original.pop(old, None)
            for key in self._keys(old_sig):
                posting = self._bands.get(key)
                if posting is not None:
                    if old in posting:
                        posting.remove(old)
                    if not posting:
                        del self._bands[key]
