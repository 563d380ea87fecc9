"""Wire copies: the same NTB/Ritzau/TT text published by several outlets, found by MinHash over word shingles.

Outlets retitle wire stories and trim or add a paragraph, so the signature is taken from the body only, as
3-word shingles (robust to a changed line, specific enough that two reports of one event in their own words
share almost none). 64 hash functions in 16 bands of 4 rows: a pair at Jaccard 0.6 shares a band with
probability 1-(1-0.6^4)^16 ≈ 0.89, at 0.8 ≈ 0.99999; band hits are then checked against `COPY_JACCARD`.
Hashing is crc32 per word (deterministic across processes, unlike Python's `hash`), combined per shingle and
mapped by 64 affine maps in numpy.
"""

from __future__ import annotations

import zlib
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from storyline.link.features import tokens

SHINGLE = 3
PERMUTATIONS = 64
BANDS = 16
ROWS = PERMUTATIONS // BANDS
# Estimated Jaccard at which a body is a copy. Checked on samples/gold.jsonl (wire_of labels): its 3 copies
# estimate 0.86-0.92, every other pair of the 62 articles 0.11 or less.
COPY_JACCARD = 0.5
MIN_SHINGLES = 20  # bodies shorter than this are too short to call copies safely
# Signatures kept, oldest forgotten first: copies appear within hours or days, so about the linker's three windows
# at 1,500 articles a day (~63k) is plenty; a copy that comes later still joins its story on its words and names,
# it is only not counted as a copy. Each costs ~1.8 KB with its bands (measured at 30k articles: RSS 533 MB with
# every signature kept, 488 MB with 5,000), so 200k, the earlier bound, held ~250 MB more at scale.
MAX_REMEMBERED = 64_000

_PRIME = np.uint64((1 << 61) - 1)
_rng = np.random.default_rng(20240601)  # fixed: signatures must be comparable across runs
# Multiply-shift hashing (Dietzfelbinger et al. 1997): x·a + b wrapping mod 2^64 with odd a, high 32 bits kept.
# (An affine map mod a prime larger than a·x is nearly monotone in x, which makes the 64 minima agree and the
# Jaccard estimate useless: it read 0.53 for a pair at 0.88.)
_A = _rng.integers(1, np.iinfo(np.int64).max, size=PERMUTATIONS, dtype=np.uint64) | np.uint64(1)
_B = _rng.integers(0, np.iinfo(np.int64).max, size=PERMUTATIONS, dtype=np.uint64)
_SHIFT = np.uint64(32)
_LOW32 = np.uint64((1 << 32) - 1)

_C1, _C2 = np.uint64(2_147_483_629), np.uint64(2_147_483_587)  # primes below 2^31: word positions in a shingle
assert SHINGLE == 3  # the combination in signature() is written for 3-word shingles

Signature = npt.NDArray[np.uint64]


_MAX_CACHED_WORDS = 500_000
_hashes: dict[str, int] = {}  # word → crc32; a plain dict lookup is several times cheaper than an lru_cache call


def _word_hashes(words: list[str]) -> list[int]:
    try:
        return list(map(_hashes.__getitem__, words))  # most words of a news stream were seen before
    except KeyError:
        pass
    if len(_hashes) >= _MAX_CACHED_WORDS:
        _hashes.clear()
    for w in words:
        if w not in _hashes:
            _hashes[w] = zlib.crc32(w.encode())
    return list(map(_hashes.__getitem__, words))


def signature(text: str) -> Signature | None:
    """The body's MinHash signature, or None when it is too short to tell a copy from a coincidence."""
    words = tokens(text)  # the linker's profile of this text split it already (features.tokens)
    if len(words) < SHINGLE + MIN_SHINGLES:
        return None
    # A shingle's hash is combined from its words' hashes in numpy (words repeat across articles, so their
    # crc32 is cached); every term stays below 2^61 and the sum below 2^63, so nothing overflows.
    h = np.asarray(_word_hashes(words), dtype=np.uint64)
    hashes = ((h[:-2] * _C1) % _PRIME + (h[1:-1] * _C2) % _PRIME + h[2:]) % _PRIME & _LOW32
    # (permutations, shingles), wrapping mod 2^64. A repeated shingle cannot change a minimum, so the hashes
    # need no deduplication; and the shift to the high 32 bits is monotone, so it is taken after the minimum,
    # on 64 numbers instead of on every entry.
    mixed = np.multiply.outer(_A, hashes)
    mixed += _B[:, None]
    sig: Signature = mixed.min(axis=1)
    sig >>= _SHIFT
    return sig


def similarity(a: Signature, b: Signature) -> float:
    """Estimated Jaccard similarity of the two shingle sets."""
    return float(np.count_nonzero(a == b)) / PERMUTATIONS


@dataclass(frozen=True, slots=True)
class CopyMatch:
    original: str  # article id of the earliest stored article with this text
    similarity: float


class CopyIndex:
    """LSH index of recent signatures; `find` never changes it, `add` does (after the article is saved).

    Memory is what bounds it (MAX_REMEMBERED signatures): a band is keyed by one int, the hash of its band number
    and rows (a tuple of an int and a bytes object per band cost 3 KB more per signature), and a band held by
    one article, as nearly all are, maps to that article's id itself rather than to a list. Two bands whose keys
    collide only add a candidate, which `find` checks like any other. A signature is kept as the bytes of its
    values in 32 bits (they fit: `signature` keeps the high 32 bits): 289 bytes instead of a 624-byte array,
    67 MB less at 200k signatures.
    """

    def __init__(self) -> None:
        self._bands: dict[int, str | list[str]] = {}
        self._sigs: OrderedDict[str, bytes] = OrderedDict()  # article id → signature as uint32 bytes
        self._original: dict[str, str] = {}  # copy's article id → the original it copies (originals not stored)

    def __len__(self) -> int:
        return len(self._sigs)

    @staticmethod
    def _keys(sig: Signature) -> list[int]:
        return [hash((b, sig[b * ROWS : (b + 1) * ROWS].tobytes())) for b in range(BANDS)]

    def find(self, sig: Signature | None) -> CopyMatch | None:
        if sig is None:
            return None
        seen: set[str] = set()
        best: CopyMatch | None = None
        for key in self._keys(sig):
            posting = self._bands.get(key)
            if posting is None:
                continue
            for aid in (posting,) if isinstance(posting, str) else posting:
                if aid in seen or aid not in self._sigs:
                    continue
                seen.add(aid)
                sim = similarity(sig, _unpacked(self._sigs[aid]))
                if sim >= COPY_JACCARD and (best is None or (sim, best.original) > (best.similarity, aid)):
                    best = CopyMatch(aid, sim)
        if best is None:
            return None
        # a copy of a copy is a copy of the original
        return CopyMatch(self._original.get(best.original, best.original), best.similarity)

    def add(self, article_id: str, sig: Signature | None, copy_of: str | None = None) -> None:
        if sig is None or article_id in self._sigs:
            return
        self._sigs[article_id] = sig.astype(np.uint32).tobytes()
        if copy_of and copy_of != article_id:
            self._original[article_id] = copy_of
        bands = self._bands
        for key in self._keys(sig):
            posting = bands.get(key)
            if posting is None:
                bands[key] = article_id
            elif isinstance(posting, str):
                bands[key] = [posting, article_id]
            else:
                posting.append(article_id)
        while len(self._sigs) > MAX_REMEMBERED:
            old, old_sig = self._sigs.popitem(last=False)
            self._original.pop(old, None)
            for key in self._keys(_unpacked(old_sig)):
                self._drop(key, old)

    def _drop(self, key: int, article_id: str) -> None:
        posting = self._bands.get(key)
        if posting == article_id:
            del self._bands[key]
        elif isinstance(posting, list) and article_id in posting:
            posting.remove(article_id)
            if len(posting) == 1:
                self._bands[key] = posting[0]


def _unpacked(packed: bytes) -> Signature:
    """A stored signature as `signature` gave it (uint64), so band keys and similarities come out the same."""
    sig: Signature = np.frombuffer(packed, dtype=np.uint32).astype(np.uint64)
    return sig
