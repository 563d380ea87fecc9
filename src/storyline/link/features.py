"""What the linker compares: an article's words, character n-grams, entity keys and title.

Danish, Bokmål, Nynorsk and Swedish write many of the same words differently (regering / regjering, købe /
kjøpe / köpa, hvad / vad, ændring / ändring). `fold` maps a word onto a shared spelling skeleton, and the
lexical vector is built from character 4-grams of the folded salient words, so the same story told in two of
these languages still shares most of its features; compounds ("klimaforhandlingerne") share grams with their
parts. `profile` is a pure function of the article; corpus statistics (IDF) live in the linker.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from importlib import resources

import numpy as np
import numpy.typing as npt

from storyline.link.concepts import concept_counts
from storyline.models import Article

GRAM = 4  # character n-gram length: long enough to be specific, short enough to bridge spelling variants
TITLE_REPEAT = 2  # title words count this many times over: the title says what the story is
MAX_TEXT_WORDS = 800  # the lead carries the story; very long articles add little but cost time

# How much a shared entity of each type says about two articles being one story. People and organisations
# are specific; places and demonyms are shared by many unrelated stories from the same country.
TYPE_WEIGHTS: dict[str, float] = {"PER": 1.0, "ORG": 0.9, "MISC": 0.7, "LOC": 0.6, "GPE": 0.5, "DEMONYM": 0.3}
DEFAULT_TYPE_WEIGHT = 0.5

_WORD = re.compile(r"\w{3,}")  # tokens with digits are dropped by Vocabulary.term (dates are handled by time)
# A capitalised word inside a sentence (after a lowercase letter or a comma and one space) is a name in every
# language storyline reads: da/nb/nn/sv/en capitalise names, not nouns. Sentence-initial words are left out
# (they are capitalised whatever they are); a name said once at a sentence start is usually repeated later.
_NAME = re.compile(r"(?<=[a-zæøåäöüéè,;:] )[A-ZÆØÅÄÖÜÉ][^\W\d_]{2,}")
MAX_NAMES = 40  # distinct names kept per article: the lead names the protagonists
_TOKEN = re.compile(r"\w+")
MIN_WORD = 3  # shorter tokens say little about a story; `_WORD` keeps the same ones
# Spelling correspondences between da/nb/nn/sv (and older Danish "aa"), applied before the character map.
_DIGRAPHS = re.compile(r"aa|gj|kj|hj|hv|ph|ck|dt|th")
_DIGRAPH_MAP = {
    "aa": "a",
    "gj": "g",
    "kj": "k",
    "hj": "j",
    "hv": "v",
    "ph": "f",
    "ck": "k",
    "dt": "t",
    "th": "t",
}
# æ/ä and ø/ö are the same vowels in different alphabets; b/d/g after vowels in Danish are p/t/k in Norwegian
# and Swedish (købe / kjøpe / köpa, gade / gate), so voiced and unvoiced stops are folded together.
_CHAR_MAP = str.maketrans(
    {
        "æ": "e",
        "ä": "e",
        "ø": "o",
        "ö": "o",
        "å": "a",
        "w": "v",
        "z": "s",
        "q": "k",
        "c": "k",
        "b": "p",
        "d": "t",
        "g": "k",
    }
)
_DOUBLE = re.compile(r"(.)\1+")


_last_split: tuple[str, list[str]] = ("", [])


def tokens(text: str) -> list[str]:
    """The lowercase `\\w+` tokens of a text, in order (the caller must not change the list).

    The linker splits each article body twice, for its profile and for its wire-copy signature (link/wire.py),
    and splitting is the dearest step of either: the last text split is remembered (by identity, so it can
    never answer for another text) and the second call is free.
    """
    global _last_split
    last = _last_split
    if last[0] is text:
        return last[1]
    found = _TOKEN.findall(text.lower())
    _last_split = (text, found)
    return found


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Function words of every supported language as one set: articles mix languages and quote each other."""
    data = json.loads(resources.files("storyline.link").joinpath("stopwords.json").read_text("utf-8"))
    return frozenset(w for lang, words in data.items() if not lang.startswith("_") for w in words)


def _strip_accents(word: str) -> str:
    """é → e, ü → u, but keep the Nordic letters (fold handles those), which NFD would also decompose."""
    if word.isascii():
        return word
    out = []
    for ch in word:
        if ch in "æøåäö":
            out.append(ch)
            continue
        base = unicodedata.normalize("NFD", ch)
        out.append(base[0])
    return "".join(out)


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """A lowercase word's cross-Nordic spelling skeleton: regjeringen and regeringen both → rekerinken."""
    word = _strip_accents(word)
    word = _DIGRAPHS.sub(lambda m: _DIGRAPH_MAP[m.group(0)], word)
    word = word.translate(_CHAR_MAP)
    return _DOUBLE.sub(r"\1", word)


# Small: the linker's Vocabulary keeps every term's n-gram ids and calls this once per new term, so a cache entry
# (~370 bytes with its strings) is read again only by claim alignment (link/claims.py, itself cached) or by another
# Vocabulary (training). At 200,000 entries it held ~75 MB on a long stream for almost no hits.
@lru_cache(maxsize=20_000)
def word_grams(word: str) -> tuple[str, ...]:
    """Character 4-grams of a folded word, the first marked as a word start ("^rek") to keep stems apart."""
    w = "^" + word
    if len(w) <= GRAM:
        return (w,)
    return tuple(w[i : i + GRAM] for i in range(len(w) - GRAM + 1))


IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
NO_IDS: IntArray = np.zeros(0, dtype=np.int64)
_NO_VALUES: FloatArray = np.zeros(0, dtype=np.float64)


@dataclass(slots=True)
class SparseVector:
    """Feature ids (sorted, unique) and their values: numpy keeps the per-article work out of Python loops."""

    ids: IntArray = field(default_factory=lambda: NO_IDS)
    values: FloatArray = field(default_factory=lambda: _NO_VALUES)

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def norm(self) -> float:
        return float(np.sqrt(self.values @ self.values))

    def ranked(self) -> IntArray:
        """Positions from heaviest to lightest, ties broken by id so the order is deterministic."""
        order: IntArray = np.lexsort((self.ids, -self.values))
        return order

    def top(self, keep: int) -> SparseVector:
        """The `keep` heaviest entries, still sorted by id."""
        if len(self.ids) <= keep:
            return self
        order = np.sort(self.ranked()[:keep])
        return SparseVector(self.ids[order], self.values[order])

    def scaled(self, factors: FloatArray) -> SparseVector:
        return SparseVector(self.ids, self.values * factors)

    def normalised(self) -> SparseVector:
        norm = self.norm
        return SparseVector(self.ids, self.values / norm) if norm > 0 else SparseVector()

    def plus(self, other: SparseVector) -> SparseVector:
        return summed(np.concatenate([self.ids, other.ids]), np.concatenate([self.values, other.values]))


def summed(ids: IntArray, weights: FloatArray) -> SparseVector:
    """The weights summed per id.

    What `np.unique(return_inverse=True)` + `np.bincount` give, bit for bit (bincount adds in input order, as
    here), without np.unique's generic overhead, which made this the linker's most called numpy step; ids that
    occur once (most of an article's words) skip the summing.
    """
    n = len(ids)
    if n == 0:
        return SparseVector()
    order = ids.argsort(kind="stable")
    ordered = ids[order]
    first = np.empty(n, dtype=bool)  # where each distinct id starts in sorted order
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    uniq = ordered[first].astype(np.int64, copy=False)
    if len(uniq) == n:
        return SparseVector(uniq, weights[order].astype(np.float64, copy=False))
    inverse = np.empty(n, dtype=np.int64)
    inverse[order] = np.cumsum(first) - 1
    values = np.bincount(inverse, weights=weights, minlength=len(uniq))
    return SparseVector(uniq, values.astype(np.float64, copy=False))


class Vocabulary:
    """Interns features (folded words and their n-grams) as integer ids, caching each surface word's id.

    Ids only grow and are never reused. Words and n-grams share one id space (words are prefixed with "=" so
    a four-letter word never collides with a four-letter n-gram), so one document-frequency array covers both.
    """

    _MAX_CACHED_WORDS = 500_000  # surface forms cached; news vocabulary is large but bounded

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self._surface: dict[str, int] = {}  # lowercase surface word → term id, or -1 to skip
        # Each term's n-gram ids, end to end in one array, found by term id through two arrays indexed by id
        # (0 n-grams: the id is not a term). The vocabulary grows with every new name in the stream and is never
        # pruned (ids are referenced by the clusters' vectors): a dict of one small numpy array per term held 202
        # bytes per term, these arrays 65 used / 99 allocated (60,000 random 4-12 letter words; the n-grams' 8
        # bytes each and 12 bytes per id of the shared id space). gram_vector reads them in one gather: 145 -> 52 µs
        # per 50-term article vector, the same ids and weights (benchmarks/RESULTS.md, 2026-11-25 15:45).
        self._gram_flat: IntArray = np.zeros(1 << 14, dtype=np.int64)
        self._gram_used = 0
        self._gram_start: IntArray = np.zeros(1 << 12, dtype=np.int64)
        self._gram_count: npt.NDArray[np.int32] = np.zeros(1 << 12, dtype=np.int32)
        self._stop = stopwords()

    def __len__(self) -> int:
        return len(self.ids)

    def id(self, feature: str) -> int:
        fid = self.ids.get(feature)
        if fid is None:
            fid = self.ids[feature] = len(self.ids)
        return fid

    def terms(self, words: list[str]) -> list[int]:
        """Term ids of lowercase surface words (-1 for stopwords and tokens that are not all letters)."""
        get = self._surface.get
        out = [get(w, -2) for w in words]
        for i, tid in enumerate(out):
            if tid == -2:
                out[i] = self._learn(words[i])
        return out

    def _learn(self, raw: str) -> int:
        if len(self._surface) >= self._MAX_CACHED_WORDS:
            self._surface.clear()
        tid = -1
        if raw.isalpha() and raw not in self._stop:
            folded = fold(raw)
            tid = self.id("=" + folded)
            if tid >= len(self._gram_count) or not self._gram_count[tid]:
                self._keep_grams(tid, [self.id(g) for g in word_grams(folded)])
        self._surface[raw] = tid
        return tid

    def _keep_grams(self, tid: int, grams: list[int]) -> None:
        if len(self.ids) > len(self._gram_count):
            size = max(len(self.ids), 2 * len(self._gram_count))
            self._gram_start = np.concatenate([self._gram_start, np.zeros(size - len(self._gram_start), np.int64)])
            self._gram_count = np.concatenate([self._gram_count, np.zeros(size - len(self._gram_count), np.int32)])
        end = self._gram_used + len(grams)
        if end > len(self._gram_flat):
            grown = np.zeros(max(end, 2 * len(self._gram_flat)), dtype=np.int64)
            grown[: self._gram_used] = self._gram_flat[: self._gram_used]
            self._gram_flat = grown  # views handed out earlier keep the old buffer, whose values never change
        self._gram_flat[self._gram_used : end] = grams
        self._gram_start[tid] = self._gram_used
        self._gram_count[tid] = len(grams)
        self._gram_used = end

    def grams(self, term_ids: IntArray) -> list[IntArray]:
        """Each term's n-gram ids (views into the shared array)."""
        flat = self._gram_flat
        starts, counts = self._gram_start[term_ids].tolist(), self._gram_count[term_ids].tolist()
        return [flat[s : s + c] for s, c in zip(starts, counts, strict=True)]

    def gram_ids(self, term_ids: IntArray) -> tuple[IntArray, IntArray]:
        """The n-gram ids of the terms end to end (what concatenating `grams` gives) and how many each term has."""
        counts = self._gram_count[term_ids].astype(np.int64)
        # position k of term i's run reads flat[start_i + k]: the run's offset repeated, plus a running index
        offsets = np.repeat(self._gram_start[term_ids] - (np.cumsum(counts) - counts), counts)
        ids: IntArray = self._gram_flat[offsets + np.arange(len(offsets))]
        return ids, counts


@dataclass(slots=True)
class Profile:
    """An article's raw features, before corpus weighting.

    `terms` holds sublinear frequencies (1 + log tf) of folded words, title words counted `TITLE_REPEAT` extra
    times; `title` the title's term ids; `entities` maps entity keys to type weight × (1 + log mentions).
    `time` is set only when the publication day is known: month precision is too coarse to measure a gap.
    """

    terms: SparseVector
    title: IntArray
    entities: dict[str, float]
    time: datetime | None
    names: IntArray  # term ids of the capitalised words inside sentences (`name_terms`), in text order, unique
    # concept id (link/concepts.py) → 1 + log(times named): what the article is about in words of any language
    concepts: dict[str, float] = field(default_factory=dict)


def day_time(article: Article) -> datetime | None:
    return article.published if article.published_precision in ("exact", "day") else None


def profile(article: Article, vocab: Vocabulary) -> Profile:
    title_words = _WORD.findall(article.title.lower())
    # The maximal \w runs of 3+ characters are exactly what _WORD finds in the text.
    counts = Counter([w for w in tokens(article.text) if len(w) >= MIN_WORD][:MAX_TEXT_WORDS])
    for w in title_words:
        counts[w] += TITLE_REPEAT
    words = list(counts)
    ids = np.asarray(vocab.terms(words), dtype=np.int64)
    tf = np.fromiter(counts.values(), dtype=np.float64, count=len(words))
    keep = ids >= 0
    terms = summed(ids[keep], tf[keep])  # different surface forms may fold to one term
    title = np.asarray([t for t in vocab.terms(title_words) if t >= 0], dtype=np.int64)
    # Concepts of the content words only: stopwords (ids < 0) include the modal and auxiliary verbs the lexicon
    # also lists, which every article uses.
    content = np.flatnonzero(keep).tolist()
    named = concept_counts([words[i] for i in content], [counts[words[i]] for i in content], article.language)
    return Profile(
        terms=SparseVector(terms.ids, 1.0 + np.log(terms.values)),
        title=np.unique(title),
        entities=entity_weights(article),
        time=day_time(article),
        names=name_terms(article, vocab),
        concepts={c: 1.0 + math.log(n) for c, n in named.items()},
    )


def name_terms(article: Article, vocab: Vocabulary) -> IntArray:
    """Term ids of the names an article uses, found by capitalisation alone (no NER).

    The entity tagger is trained on Nordic text and is noisy on English ("per:veb" from "Web"); capitalisation
    inside a sentence is a weaker but language-independent signal of the specifics that tell two happenings of
    the same kind apart (Tara Reid / Lindsay Lohan, Promises / Betty Ford). Words inside a date mention
    (months, weekdays in English) are not names, and stopwords get no term id.
    """
    # The characters inside date mentions, as a set: one lookup per capitalised word instead of a pass over the
    # mentions (date mentions are short, so the set is small).
    in_dates = {i for d in article.dates for i in range(d.start, d.end)}
    found: list[str] = []
    for m in _NAME.finditer(article.text[: MAX_TEXT_WORDS * 8]):
        if m.start() in in_dates:
            continue
        found.append(m.group(0).lower())
    seen: dict[int, None] = {}
    for tid in vocab.terms(found):
        if tid >= 0:
            seen.setdefault(tid, None)
            if len(seen) == MAX_NAMES:
                break
    return np.fromiter(seen, dtype=np.int64, count=len(seen))


def entity_weights(article: Article) -> dict[str, float]:
    """Entity keys (and resolved quote speakers) weighted by type and by how often the article names them."""
    counts: Counter[str] = Counter()
    type_weight: dict[str, float] = {}
    for e in article.entities:
        if not e.key:
            continue
        counts[e.key] += 1
        w = TYPE_WEIGHTS.get(e.type, DEFAULT_TYPE_WEIGHT)
        type_weight[e.key] = max(type_weight.get(e.key, 0.0), w)
    for q in article.quotes:
        if q.speaker_key:
            counts[q.speaker_key] += 1
            type_weight.setdefault(q.speaker_key, TYPE_WEIGHTS["PER"])
    return {k: type_weight[k] * (1.0 + math.log(n)) for k, n in counts.items()}


def gram_vector(terms: SparseVector, vocab: Vocabulary) -> SparseVector:
    """Character n-grams of the given (weighted) terms, each n-gram carrying the sum of its terms' weights."""
    if len(terms) == 0:
        return SparseVector()
    ids, counts = vocab.gram_ids(terms.ids)
    return summed(ids, np.repeat(terms.values, counts))


def normalise(vec: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in vec.values()))
    return {k: v / norm for k, v in vec.items()} if norm > 0 else {}


def dot(small: dict[str, float], big: dict[str, float]) -> float:
    """Sparse dot product of dict vectors; iterates the smaller one."""
    if len(small) > len(big):
        small, big = big, small
    get = big.get
    return sum(v * get(k, 0.0) for k, v in small.items())
