"""Hashed character n-gram and word features for the language model, vectorised with numpy.

Training (`detect/train.py`) and scoring (`detect/model.py`) share this module, so a feature means the same bucket
on both sides. Text is normalised the way the NordicDSL authors normalised theirs and the way news differs least
from Wikipedia: lower-cased, every run of non-letters (digits, punctuation, spaces) collapsed into one space, padded
with a space at each end so word starts and ends are n-gram context.

Hashing: a polynomial hash over Unicode code points, mod 2**64, computed from one prefix sum, so the hash of every
substring is `(H[end] - H[start]) * P**-start`: all character n-grams of a text (orders 1..MAX_ORDER) and all its
words come out of a handful of array operations, with no Python loop over characters. A final mix and a shift turn
each hash into one of 2**bits buckets; the order (or "word") is mixed in, so "og" as a bigram and " og " as a word
are different features. Everything is deterministic (no Python `hash()`, which is salted per process).
"""

from __future__ import annotations

import re

import numpy as np
import numpy.typing as npt

# Character n-gram orders 1..MAX_ORDER; each adds one feature per character position.
MAX_ORDER = 5

_P = np.uint64(0x100000001B3)  # an odd multiplier (FNV prime): invertible mod 2**64
_P_INV = np.uint64(pow(int(_P), -1, 2**64))
_MIX = np.uint64(0x9E3779B97F4A7C15)  # golden-ratio multiplier for the final bucket mix
_ORDER_SALT = np.uint64(0xC2B2AE3D27D4EB4F)
_WORD_SALT = np.uint64(0x165667B19E3779F9)

_WORD_RE = re.compile(r"[^\W\d_]+")

U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]


class _Powers:
    """P**i and P**-i mod 2**64 for i < len, grown on demand (texts longer than any seen so far)."""

    def __init__(self, size: int = 1 << 14) -> None:
        self.pow = np.empty(0, dtype=np.uint64)
        self.inv = np.empty(0, dtype=np.uint64)
        self._grow(size)

    def _grow(self, size: int) -> None:
        # Repeated doubling keeps this vectorised: powers[k:2k] = powers[:k] * P**k.
        pw = np.ones(1, dtype=np.uint64)
        iv = np.ones(1, dtype=np.uint64)
        step, step_inv = _P, _P_INV
        while len(pw) < size:
            pw = np.concatenate([pw, pw * step])
            iv = np.concatenate([iv, iv * step_inv])
            step, step_inv = step * step, step_inv * step_inv
        self.pow, self.inv = pw, iv

    def ensure(self, size: int) -> None:
        if size > len(self.pow):
            self._grow(size)


_POWERS = _Powers()


def normalise(text: str) -> str:
    """Lower-cased words joined by single spaces, with a space at each end (" han er her ")."""
    return " " + " ".join(_WORD_RE.findall(text.lower())) + " "


def word_count(normalised: str) -> int:
    return normalised.count(" ") - 1


def _bucket(h: U64, salt: np.uint64, bits: int) -> I64:
    h = (h ^ salt) * _MIX
    h ^= h >> np.uint64(31)
    h *= _MIX
    return (h >> np.uint64(64 - bits)).astype(np.int64)


def _prefix_hash(codes: U64) -> U64:
    _POWERS.ensure(len(codes) + 1)
    prefix = np.zeros(len(codes) + 1, dtype=np.uint64)
    np.cumsum(codes * _POWERS.pow[: len(codes)], out=prefix[1:])
    return prefix


def features(normalised: str, bits: int) -> tuple[I64, I64]:
    """The buckets of every feature of one normalised text, and the character position where each one starts.

    Positions let a caller sum features per paragraph after hashing several paragraphs joined into one string.
    """
    codes = np.frombuffer(normalised.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    n = len(codes)
    prefix = _prefix_hash(codes)
    inv = _POWERS.inv
    buckets: list[I64] = []
    starts: list[I64] = []
    for order in range(1, min(MAX_ORDER, n) + 1):
        h = (prefix[order:] - prefix[: n - order + 1]) * inv[: n - order + 1]
        buckets.append(_bucket(h, _ORDER_SALT * np.uint64(order), bits))
        starts.append(np.arange(n - order + 1, dtype=np.int64))
    # Words: the spans between consecutive spaces, space included on both sides (" word ").
    spaces = np.flatnonzero(codes == 32)
    if len(spaces) > 1:
        left, right = spaces[:-1], spaces[1:] + 1
        h = (prefix[right] - prefix[left]) * inv[left]
        buckets.append(_bucket(h, _WORD_SALT, bits))
        starts.append(left.astype(np.int64))
    if not buckets:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    return np.concatenate(buckets), np.concatenate(starts)


def word_buckets(normalised: str, bits: int) -> I64:
    """The bucket of every word of one normalised text (for the known-word bitmap)."""
    codes = np.frombuffer(normalised.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    spaces = np.flatnonzero(codes == 32)
    if len(spaces) < 2:
        return np.empty(0, dtype=np.int64)
    prefix = _prefix_hash(codes)
    left, right = spaces[:-1], spaces[1:] + 1
    return _bucket((prefix[right] - prefix[left]) * _POWERS.inv[left], _WORD_SALT, bits)
