"""Hashed character n-gram and word features for the language model, vectorised with numpy.

Training (`detect/train.py`) and scoring (`detect/model.py`) share this module, so a feature means the same bucket
on both sides. Text is normalised the way the NordicDSL authors normalised theirs and the way news differs least
from Wikipedia: lower-cased, every run of non-letters (digits, punctuation, spaces) collapsed into one space, padded
with a space at each end so word starts and ends are n-gram context.

Hashing: a polynomial hash over Unicode code points, mod 2**64, computed from one prefix sum, so the hash of every
substring is `(H[end] - H[start]) * P**-start`: all character n-grams of a text (orders 1..MAX_ORDER) and all its
words come out of a handful of array operations, with no Python loop over characters. Each hash is salted by its
kind (order, or "word"), so "og" as a bigram and " og " as a word are different features, and a multiply-shift
turns it into one of 2**bits buckets. Everything is deterministic (no Python `hash()`, which is salted per
process), so training and scoring agree across processes and machines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

# Character n-gram orders 1..MAX_ORDER; each adds one feature per character position.
MAX_ORDER = 5

_P = np.uint64(0x100000001B3)  # an odd multiplier (FNV prime): invertible mod 2**64
_P_INV = np.uint64(pow(int(_P), -1, 2**64))
_MIX = np.uint64(0x9E3779B97F4A7C15)  # golden-ratio multiplier for the final bucket mix
# One salt per n-gram order, so the same string as a bigram and as a word never share a bucket.
_ORDERS = np.arange(1, MAX_ORDER + 1, dtype=np.int64)[None, :]
_SALTS = np.array([(0xC2B2AE3D27D4EB4F * k) % 2**64 for k in range(1, MAX_ORDER + 1)], dtype=np.uint64)[None, :]
_WORD_SALT = np.uint64(0x165667B19E3779F9)
_PAD = " " * (MAX_ORDER - 1)

_WORD_RE = re.compile(r"[^\W\d_]+")

U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]


class _Powers:
    """P**i and P**-i mod 2**64 for i < len, grown on demand (texts longer than any seen so far)."""

    def __init__(self, size: int = 1 << 14) -> None:
        self.pow = np.empty(0, dtype=np.uint64)
        self.inv = np.empty(0, dtype=np.uint64)
        self.ends = np.empty((0, MAX_ORDER), dtype=np.int64)
        self._grow(size)

    def _grow(self, size: int) -> None:
        # Repeated doubling keeps this vectorised: powers[k:2k] = powers[:k] * P**k.
        pw = np.ones(1, dtype=np.uint64)
        iv = np.ones(1, dtype=np.uint64)
        step, step_inv = int(_P), int(_P_INV)
        while len(pw) < size:
            pw = np.concatenate([pw, pw * np.uint64(step)])
            iv = np.concatenate([iv, iv * np.uint64(step_inv)])
            step, step_inv = step * step % 2**64, step_inv * step_inv % 2**64
        self.pow, self.inv = pw, iv
        # ends[i, k]: where the order-(k+1) n-gram starting at i ends, as an index into the prefix sums.
        self.ends = np.arange(len(pw), dtype=np.int64)[:, None] + _ORDERS

    def ensure(self, size: int) -> None:
        if size > len(self.pow):
            self._grow(size)


_POWERS = _Powers()


def normalise(text: str) -> str:
    """Lower-cased words joined by single spaces, with a space at each end (" han er her ")."""
    words = _WORD_RE.findall(text.lower())
    return " " + " ".join(words) + " " if words else " "


def word_count(normalised: str) -> int:
    return normalised.count(" ") - 1


def buckets(hashes: U64, bits: int) -> U64:
    """Fibonacci hashing: multiply by an odd 64-bit constant and keep the top `bits` bits, a bucket in [0, 2**bits).

    Keeping the top bits means the bucket at `bits` is the bucket at `bits + k` shifted right by k, so one mixing
    pass serves tables of several sizes.
    """
    return (hashes * _MIX) >> np.uint64(64 - bits)


def hashes(normalised: str) -> tuple[U64, U64]:
    """64-bit hashes of every character n-gram (orders 1..MAX_ORDER) and of every word of one normalised text.

    Both come salted by kind (order, or word), ready for `buckets()`. The text is padded with MAX_ORDER - 1
    extra spaces so every position starts an n-gram of every order; the n-grams that reach into the padding are
    end-of-text features (a normalised text never has two spaces in a row, so they collide with nothing real).
    All n-grams are hashed in one (positions x orders) broadcast rather than one pass per order: numpy's per-call
    overhead, not arithmetic, is what a paragraph-sized text costs, so few large calls are what makes this fast.
    """
    codes = np.frombuffer((normalised + _PAD).encode("utf-32-le"), dtype=np.uint32)
    n = len(normalised)
    _POWERS.ensure(len(codes) + 1)
    prefix = np.zeros(len(codes) + 1, dtype=np.uint64)
    np.cumsum(codes * _POWERS.pow[: len(codes)], out=prefix[1:])
    grams = ((prefix[_POWERS.ends[:n]] - prefix[:n, None]) * _POWERS.inv[:n, None]) ^ _SALTS
    # Words: the spans between consecutive spaces, the spaces included (" word ").
    spaces = np.flatnonzero(codes[:n] == 32)
    left = spaces[:-1]
    words = ((prefix[spaces[1:] + 1] - prefix[left]) * _POWERS.inv[left]) ^ _WORD_SALT
    return grams.ravel(), words


@dataclass(frozen=True, slots=True)
class Hashed:
    """Hashes of a batch of normalised texts, each text's features contiguous and in input order.

    grams: MAX_ORDER hashes per character position (orders 1..MAX_ORDER), `gram_starts[i]` where text i's begin;
    words: one hash per word, `word_starts[i]` where text i's begin.
    """

    grams: U64
    gram_starts: I64
    words: U64
    word_starts: I64


def hash_texts(normalised: list[str]) -> Hashed:
    """`hashes()` of several normalised texts at once, for scoring many paragraphs or sentences in one pass.

    Every text must hold at least one word. The texts are joined with the end padding between them, so each text
    gets exactly the n-grams it gets alone: n-grams starting in the padding are dropped, and no n-gram reaches
    past the padding into the next text.
    """
    if len(normalised) == 1:  # one text (a one-paragraph article, a single call): nothing to cut apart
        grams, words = hashes(normalised[0])
        return Hashed(grams, np.zeros(1, dtype=np.int64), words, np.zeros(1, dtype=np.int64))
    lengths = np.array([len(t) for t in normalised], dtype=np.int64)
    grams, words = hashes(_PAD.join(normalised))
    pad = len(_PAD)
    offsets = np.concatenate([[0], np.cumsum(lengths + pad)[:-1]])
    # Rows of `grams` are positions (MAX_ORDER hashes each): keep the positions inside a text.
    inside = np.ones(int(lengths.sum() + pad * (len(lengths) - 1)), dtype=bool)
    inside[(offsets[1:, None] - pad + np.arange(pad)[None, :]).ravel()] = False
    grams = grams.reshape(-1, MAX_ORDER)[inside].ravel()
    gram_starts = np.concatenate([[0], np.cumsum(lengths * MAX_ORDER)[:-1]])
    # Words: between two texts hashes() saw len(_PAD) + 2 spaces in a row, so len(_PAD) + 1 "words" of spaces.
    word_counts = np.array([t.count(" ") - 1 for t in normalised], dtype=np.int64)
    gap = pad + 1
    first = np.concatenate([[0], np.cumsum(word_counts + gap)[:-1]])
    keep = np.ones(len(words), dtype=bool)
    keep[(first[1:, None] - gap + np.arange(gap)[None, :]).ravel()] = False
    word_starts = np.concatenate([[0], np.cumsum(word_counts)[:-1]])
    return Hashed(grams, gram_starts, words[keep], word_starts)


def hashes_many(normalised: list[str]) -> tuple[U64, I64, U64, I64]:
    """`hash_texts()` as a tuple: n-gram hashes and where each text's start, word hashes and where each starts."""
    h = hash_texts(normalised)
    return h.grams, h.gram_starts, h.words, h.word_starts
