"""storyline's own named-entity tagger: a linear-chain model over hashed features, decoded with Viterbi.

Why this shape: NER is the heaviest part of the extract stage, and the target is ≥ 50,000 tokens/s on one core
in Python. Every feature depends on the words only (never on the previous tag), so a whole batch of sentences is
featurised with a few numpy operations over per-word attribute hashes (cached per word form), scored with one
gather-and-sum (the single-word features summed once per word form and cached), and decoded with a Viterbi
batched over the sentences, whose only tag dependency is a learned transition matrix.

Features: word form, lower case, prefixes, suffixes, shape, capitalisation, gazetteer hits (the project's
gazetteer of places, organisations and demonyms, plus the first names, titles and common words in
`extract/data`), the neighbours' lower case / shape / gazetteer class two words either side, a few
conjunctions, and sentence position. Each
feature exists twice (Daumé's "frustratingly easy" domain adaptation): once shared by all languages and once
for the sentence's language, so Danish, Norwegian and Swedish help each other while keeping their own habits.

Labels are IOB2 over NorNE's types (PER, ORG, LOC, GPE_LOC, GPE_ORG, PROD, EVT, DRV, MISC). The model is
trained by `extract/train_ner.py` (`storyline train ner`) and shipped as `extract/data/ner_model.npz`.
"""

from __future__ import annotations

import bisect
import json
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, pairwise
from pathlib import Path

import numpy as np
import numpy.typing as npt

from storyline.errors import ExtractError
from storyline.extract.names import norm

MODEL_PATH = Path(__file__).with_name("data") / "ner_model.npz"
TYPES = ("PER", "ORG", "LOC", "GPE_LOC", "GPE_ORG", "PROD", "EVT", "DRV", "MISC")
LABELS = ("O", *(f"{p}-{t}" for t in TYPES for p in ("B", "I")))
_NEG = np.float32(-1e6)  # an impossible transition (O → I-PER)

U64 = npt.NDArray[np.uint64]
F32 = npt.NDArray[np.float32]
I64 = npt.NDArray[np.int64]

# Per-word attributes, one stable hash each (hash() is salted per process, so crc32 is used).
_ATTRS = ("w", "l", "p3", "p4", "s2", "s3", "s4", "sh", "cap", "gz")
_A = {name: i for i, name in enumerate(_ATTRS)}
_PAD = 2  # context window: two words either side


def _crc(text: str) -> int:
    return zlib.crc32(text.encode("utf-8"))


def _shape(word: str) -> str:
    """Xxxx → Xx, NATO → X, Nato-toppmøtet → Xx-x, 2023 → d: characters by class, runs collapsed."""
    out: list[str] = []
    for ch in word[:20]:
        if ch.isupper():
            c = "X"
        elif ch.isalpha():
            c = "x"
        elif ch.isdigit():
            c = "d"
        else:
            c = ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


def _cap_class(word: str) -> str:
    if word.isupper() and len(word) > 1:
        return "upper" if word.isalpha() else "upper+"
    if word[:1].isupper():
        return "title" if len(word) > 3 else "title-short"
    if word[:1].isdigit():
        return "digit"
    if word[:1].isalpha():
        return "lower"
    return "punct"


# Tokens as the corpora have them: words (hyphen compounds and inner apostrophes kept whole: Nato-toppmøtet,
# Putin's), numbers (12,5 / 2023), and every other character alone (punctuation, a genitive apostrophe).
# A Swedish genitive after an abbreviation ("FN:s", "KF:s") stays one token, as the corpora write it: split, the
# tagger never saw "KF" before ":" and missed the name (review 5, Talbanken).
_TOKEN_RE = re.compile(r"[^\W\d_][\w]*(?:[-'’][\w]+)*(?::s\b)?|\d+(?:[.,:]\d+)*|\S")
_FINAL_RE = re.compile(r"[.!?]")
_NEWLINE_RE = re.compile(r"\n+")
_OPENERS = frozenset("«\"“„–—-'")
_MAX_SENTENCE = 120  # tokens: longer runs (lists, tables) are cut so decoding stays linear and cheap


def tokenize(text: str) -> list[list[tuple[int, int]]]:
    """Sentences of (start, end) token offsets: a sentence ends at a line break, or after . ! ? when the next
    token opens like a sentence (capital letter, digit, quote or dash)."""
    spans = list(map(re.Match.span, _TOKEN_RE.finditer(text)))
    if not spans:
        return []
    starts = [a for a, _ in spans]
    index = {a: i for i, a in enumerate(starts)}
    breaks = {bisect.bisect_left(starts, m.start()) for m in _NEWLINE_RE.finditer(text)}
    for m in _FINAL_RE.finditer(text):
        i = index.get(m.start())
        if i is not None and i + 1 < len(spans):
            nxt = text[starts[i + 1]]
            if nxt.isupper() or nxt.isdigit() or nxt in _OPENERS:
                breaks.add(i + 1)
    sentences: list[list[tuple[int, int]]] = []
    prev = 0
    for cut in sorted(b for b in breaks if 0 < b < len(spans)):
        sentences.extend(_chunks(spans[prev:cut]))
        prev = cut
    sentences.extend(_chunks(spans[prev:]))
    return sentences


def _chunks(tokens: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    return [tokens[i : i + _MAX_SENTENCE] for i in range(0, len(tokens), _MAX_SENTENCE)]


@dataclass(frozen=True, slots=True)
class Lexicons:
    """Word lists the features consult; from the project's own data files (see `default_lexicons`)."""

    gazetteer: dict[str, str]  # lower-cased name → LOC / ORG / GPE …
    demonyms: frozenset[str]
    first_names: frozenset[str]
    titles: frozenset[str]
    common: frozenset[str]


@lru_cache(maxsize=1)
def default_lexicons() -> Lexicons:
    from storyline.extract.names import first_names, gazetteer, load_json

    gaz = gazetteer()
    titles_raw = load_json("titles.json")["titles"]
    common_raw = load_json("common_words.json")["words"]
    assert isinstance(titles_raw, list) and isinstance(common_raw, list)
    return Lexicons(
        gazetteer={name: entry.type for name, entry in gaz.names.items()},
        demonyms=frozenset(gaz.demonyms),
        first_names=frozenset(n.casefold() for n in first_names()),
        titles=frozenset(str(t).casefold() for t in titles_raw),
        common=frozenset(str(w).casefold() for w in common_raw),
    )


Spec = tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class FeatureSet:
    """Which features the model uses (stored in the model file, so a model always runs with its own set):
    `unigrams` are (attribute, offset) pairs; `pairs` are conjunctions of such ("first" = sentence-initial)."""

    unigrams: Spec
    pairs: tuple[Spec, ...]

    @property
    def slots(self) -> U64:
        return np.arange(1 + len(self.unigrams) + len(self.pairs), dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)

    @property
    def pair_slots(self) -> U64:
        return self.slots[1 + len(self.unigrams) :]

    def unigrams_at(self, off: int) -> tuple[I64, I64]:
        """(slots, attribute columns) of the unigram features that look at the word `off` from the token."""
        return (np.array([1 + i for i, (_, o) in enumerate(self.unigrams) if o == off], dtype=np.int64),
                np.array([_A[attr] for attr, o in self.unigrams if o == off], dtype=np.int64))

    def to_json(self) -> str:
        return json.dumps({"unigrams": self.unigrams, "pairs": self.pairs})

    @classmethod
    def from_json(cls, text: str) -> FeatureSet:
        raw = json.loads(text)
        made = cls(tuple((str(a), int(o)) for a, o in raw["unigrams"]),
                   tuple(tuple((str(a), int(o)) for a, o in p) for p in raw["pairs"]))
        unknown = {a for a, _ in made.unigrams if a not in _A} | {a for p in made.pairs for a, _ in p
                                                                   if a not in _A and a != "first"}
        if unknown:  # a model from another version of this module: fail at load, not halfway through a batch
            raise ExtractError(f"NER model uses unknown word attributes {sorted(unknown)}", code="extract.model",
                               hint="retrain with `storyline train ner --data ../shared/data`")
        return made


_OFFSETS = (-2, -1, 0, 1, 2)
_PAD_WORD = "\x00pad"  # the cache entry of the padding between sentences (no token contains a NUL)
# The feature set. A wider one (neighbours' form, suffix and capitalisation at ±1 as well) scored lower on the
# dev splits after five passes (mean PER/ORG/LOC F1 0.808 against 0.814), so the narrow one stays.
FEATURES = FeatureSet(
    tuple([(attr, 0) for attr in _ATTRS] + [(attr, off) for off in (-2, -1, 1, 2) for attr in ("l", "sh", "gz")]),
    (
        (("sh", -1), ("sh", 0), ("sh", 1)),
        (("l", -1), ("cap", 0)),
        (("cap", 0), ("l", 1)),
        (("l", -1), ("l", 0)),
        (("first", 0), ("cap", 0)),
        (("first", 0), ("gz", 0)),
        (("first", 0), ("l", 0)),
        (("gz", 0), ("cap", 0)),
    ),
)


class Featurizer:
    """Sentence → matrix of hashed feature indices (tokens × features)."""

    def __init__(self, bits: int, lexicons: Lexicons, features: FeatureSet = FEATURES) -> None:
        self.bits = bits
        self.spec = features
        self.lex = lexicons
        self._cache: dict[str, tuple[int, ...]] = {}
        self._lang: dict[str, np.uint64] = {}
        pad = tuple(_crc(f"{a}:<pad>") for a in _ATTRS)
        self._pad_attrs = [pad] * _PAD

    def word_attrs(self, word: str) -> tuple[int, ...]:
        got = self._cache.get(word)
        if got is not None:
            return got
        low = word.casefold()
        lex = self.lex
        gz = lex.gazetteer.get(norm(word), "")
        if low.endswith("s") and not gz and len(low) > 3:
            gz = lex.gazetteer.get(norm(word[:-1]), "")
            gz = gz + "+s" if gz else ""
        marks = [gz]
        if low in lex.demonyms:
            marks.append("dem")
        if low in lex.first_names:
            marks.append("fn")
        if low in lex.titles:
            marks.append("title")
        if low in lex.common:
            marks.append("common")
        values = (word, low, low[:3], low[:4], low[-2:], low[-3:], low[-4:], _shape(word), _cap_class(word),
                  "|".join(marks))
        got = tuple(_crc(f"{a}:{v}") for a, v in zip(_ATTRS, values, strict=True))
        if len(self._cache) > 200_000:  # news vocabularies are open-ended: bound the cache
            self._cache.clear()
        self._cache[word] = got
        return got

    def lang_hash(self, language: str) -> np.uint64:
        got = self._lang.get(language)
        if got is None:
            got = np.uint64(_crc(f"lang:{language}") * 0x9E3779B1 + 1)
            self._lang[language] = got
        return got

    def features(self, tokens: Sequence[str], language: str) -> I64:
        """(len(tokens), N_FEATURES) hashed feature indices; the second half are the language's copies."""
        return self.batch_features([tokens], language)

    def _layout(self, sentences: Sequence[Sequence[str]]) -> tuple[U64, I64, U64]:
        """Word attributes of the batch laid end to end with padding between sentences (so no context window
        crosses a boundary), the rows of the real tokens, and a sentence-initial flag per real token."""
        rows: list[tuple[int, ...]] = []
        pad = self._pad_attrs
        keep: list[int] = []
        first: list[int] = []
        for sent in sentences:
            rows.extend(pad)
            st = len(rows)
            rows.extend([self.word_attrs(t) for t in sent])
            keep.extend(range(st, len(rows)))
            first.extend([1] + [0] * (len(sent) - 1) if sent else [])
        rows.extend(pad)
        return (np.array(rows, dtype=np.uint64), np.array(keep, dtype=np.int64),
                np.array(first, dtype=np.uint64))

    def _pair_bases(self, a: U64, keep: I64, first: U64) -> list[U64]:
        out = []
        for spec in self.spec.pairs:
            acc: U64 | None = None
            for attr, off in spec:
                col = first if attr == "first" else a[keep + off, _A[attr]]
                acc = col if acc is None else _pair(acc, col)
            assert acc is not None
            out.append(acc)
        return out

    def _index(self, base: U64, slots: U64, language: str, axis: int = -1) -> I64:
        """Hashed rows of features: `base` (… × slots) attribute hashes → (… × 2·slots), shared then own (the
        feature axis is `axis`: the last for training's token rows, the first for the tagger's gathers)."""
        shared = base ^ slots
        own = shared ^ self.lang_hash(language)
        both = np.concatenate([shared, own], axis=axis)
        idx: I64 = ((both * np.uint64(0xBF58476D1CE4E5B9)) >> np.uint64(64 - self.bits)).astype(np.int64)
        return idx

    def batch_features(self, sentences: Sequence[Sequence[str]], language: str) -> I64:
        """Feature rows of every token of every sentence, in order (training uses these; `Tagger.tag` gets the
        same scores faster from per-word contributions)."""
        a, keep, first = self._layout(sentences)
        cols: list[U64] = [np.zeros(len(keep), dtype=np.uint64)]  # bias
        cols += [a[keep + off, _A[attr]] for attr, off in self.spec.unigrams]
        cols += self._pair_bases(a, keep, first)
        return self._index(np.stack(cols, axis=1), self.spec.slots, language)


def _pair(x: U64, y: U64) -> U64:
    return x * np.uint64(0x94D049BB133111EB) + y


def transition_mask() -> tuple[F32, F32]:
    """IOB2 constraints: (start scores, transition scores) with _NEG where a tag sequence is invalid."""
    k = len(LABELS)
    start = np.zeros(k, dtype=np.float32)
    trans = np.zeros((k, k), dtype=np.float32)
    for j, lab in enumerate(LABELS):
        if lab.startswith("I-"):
            start[j] = _NEG
            for i, prev in enumerate(LABELS):
                if prev[2:] != lab[2:]:
                    trans[i, j] = _NEG
    return start, trans


def viterbi(scores: F32, trans: F32, start: F32) -> list[int]:
    """Best label sequence for one sentence's (tokens × labels) scores."""
    n, k = scores.shape
    if n == 0:
        return []
    cols = np.arange(k)
    back = np.empty((n, k), dtype=np.intp)
    delta = start + scores[0]
    for t in range(1, n):
        cand = delta[:, None] + trans
        arg = cand.argmax(axis=0)
        back[t] = arg
        delta = cand[arg, cols] + scores[t]
    best = [int(delta.argmax())]
    for t in range(n - 1, 0, -1):
        best.append(int(back[t, best[-1]]))
    best.reverse()
    return best


def viterbi_batch(scores: F32, lengths: I64, trans: F32, start: F32) -> I64:
    """Viterbi for many sentences at once: `scores` is (max length × sentences × labels), time-major; sentence s
    uses its first `lengths[s]` positions. Returns the best label per (position, sentence), 0 past an end.

    The arithmetic is `viterbi`'s (previous score + transition, the first best previous label, + emission), so
    both give the same labels; the layout is chosen for numpy's per-call cost, which dominates at ~30
    sentences × 19 labels: the forward pass keeps scores as (label × sentence) so the maximum over previous
    labels is a reduction over the outer axis, and back-pointers are not computed for every (sentence, label)
    but recomputed while backtracking, for the one label each sentence's path passes through."""
    m, b, k = scores.shape
    path = np.zeros((m, b), dtype=np.int64)
    if b == 0 or m == 0:
        return path
    # forward: best[t, j, s] = max_i (best[t-1, i, s] + trans[i, j]) + scores[t, s, j]; sentences past their end
    # go on computing (on zero scores), harmless, since their path starts from their own last position
    best = np.empty((m, k, b), dtype=np.float32)
    np.add(start[:, None], scores[0].T, out=best[0])
    trans_wide = np.ascontiguousarray(np.broadcast_to(trans[:, :, None], (k, k, b)))  # [i, j, s]
    cand = np.empty((k, k, b), dtype=np.float32)
    top = np.empty((k, b), dtype=np.float32)
    for t in range(1, m):
        np.add(best[t - 1][:, None, :], trans_wide, out=cand)
        np.maximum.reduce(cand, axis=0, out=top)
        np.add(top, scores[t].T, out=best[t])
    # backward: a sentence's path starts at its best last label; each step back takes the first previous label
    # that attains the maximum, as the forward pass's argmax would have
    trans_t = np.ascontiguousarray(trans.T)  # [j, i]
    ending: dict[int, list[int]] = {}  # last position → the sentences that end there
    for s, n in enumerate(lengths.tolist()):
        if n:
            ending.setdefault(n - 1, []).append(s)
    cur = np.zeros(b, dtype=np.intp)
    for t in range(m - 1, -1, -1):
        here = ending.get(t)
        if here is not None:
            cur[here] = best[t][:, here].argmax(axis=0)
        path[t] = cur
        if t:
            cur = (trans_t[cur] + best[t - 1].T).argmax(axis=1)
    return path


def tag_spans(tags: tuple[str, ...] | list[str]) -> list[tuple[int, int, str]]:
    """(start, end exclusive, type) of every entity in an IOB2 tag sequence; a stray I- opens an entity."""
    spans: list[tuple[int, int, str]] = []
    start, kind = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        if start >= 0 and not (tag.startswith("I-") and tag[2:] == kind):
            spans.append((start, i, kind))
            start = -1
        if tag.startswith("B-") or (tag.startswith("I-") and start < 0):
            start, kind = i, tag[2:]
    return spans


_MAX_WORDS = 100_000  # word forms per language table before it is emptied and refilled (~40 MB of rows)
_LABEL_ARRAY = np.array(LABELS, dtype=object)


class _WordTable:
    """One language's word forms, numbered in order of arrival: row i of `attrs` holds word i's attribute hashes
    and row i of `contrib` its (offsets × labels) unigram contributions. Numbered rows let a whole batch be
    featurised and scored by array indexing, instead of a Python-level lookup per token and feature."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.attrs: U64 = np.zeros((0, len(_ATTRS)), dtype=np.uint64)
        self.contrib: F32 = np.zeros((0, len(_OFFSETS), len(LABELS)), dtype=np.float32)

    def add(self, words: list[str], attrs: U64, contrib: F32) -> None:
        n, need = len(self.ids), len(self.ids) + len(words)
        if need > len(self.attrs):  # grow by doubling, so adding stays amortised O(1) per word
            cap = max(need, 2 * len(self.attrs), 1024)
            grown_attrs: U64 = np.zeros((cap, len(_ATTRS)), dtype=np.uint64)
            grown_contrib: F32 = np.zeros((cap, len(_OFFSETS), len(LABELS)), dtype=np.float32)
            grown_attrs[:n] = self.attrs[:n]
            grown_contrib[:n] = self.contrib[:n]
            self.attrs, self.contrib = grown_attrs, grown_contrib
        self.attrs[n:need] = attrs
        self.contrib[n:need] = contrib
        self.ids.update(zip(words, range(n, need), strict=True))


class Tagger:
    """A trained model: tags tokenised sentences with IOB2 labels (see `LABELS`)."""

    def __init__(self, weights: F32, trans: F32, start: F32, bits: int, features: FeatureSet = FEATURES,
                 lexicons: Lexicons | None = None) -> None:
        if weights.shape != (1 << bits, len(LABELS)):
            raise ExtractError("NER weights do not match the label set", code="extract.model",
                               hint="retrain with `storyline train ner --data ../shared/data`")
        self.weights = weights
        mask_start, mask_trans = transition_mask()
        self.trans = (trans + mask_trans).astype(np.float32)
        self.start = (start + mask_start).astype(np.float32)
        self.bits = bits
        self.featurizer = Featurizer(bits, lexicons or default_lexicons(), features)
        self._tables: dict[str, _WordTable] = {}

    def scores(self, sentences: Sequence[Sequence[str]], language: str) -> F32:
        """(tokens × labels) emission scores of every token of the batch, in order.

        The same sum as `weights[batch_features(...)].sum(1)`, computed faster: the features of one word at
        each offset (-2…2) are summed once per word form and language and kept in the language's `_WordTable`,
        so a token costs five table-row additions plus the gather of its conjunction features, all done as
        array indexing by word number over the whole batch."""
        table = self._table(sentences, language)
        lengths = np.fromiter(map(len, sentences), dtype=np.int64, count=len(sentences))
        words = np.fromiter(map(table.ids.__getitem__, chain.from_iterable(sentences)), dtype=np.intp,
                            count=int(lengths.sum()))
        # The batch laid end to end as `Featurizer._layout` lays it: two padding rows before every sentence and
        # after the last, so no context window crosses a sentence boundary.
        n_sent, n_tok = len(sentences), len(words)
        keep = np.arange(n_tok, dtype=np.intp) + np.repeat(np.arange(2, 2 * n_sent + 1, 2), lengths)
        layout = np.full(n_tok + 2 * (n_sent + 1), table.ids[_PAD_WORD], dtype=np.intp)
        layout[keep] = words
        first = np.zeros(n_tok, dtype=np.uint64)
        first[(np.cumsum(lengths) - lengths)[lengths > 0]] = 1
        # unigram part: row j of the word `_OFFSETS[j]` away, for every token, in one gather; summed in offset
        # order, as the reference sum does
        n_off = len(_OFFSETS)
        rows = layout[keep[None, :] + np.array(_OFFSETS, dtype=np.intp)[:, None]] * n_off
        rows += np.arange(n_off, dtype=np.intp)[:, None]
        unigram = np.take(table.contrib.reshape(-1, len(LABELS)), rows, axis=0)
        out: F32 = unigram[0]
        for j in range(1, n_off):
            out = out + unigram[j]
        # conjunction part: gathered feature-major (features × tokens × labels) so the sum over features runs
        # over the outer axis, ~8x cheaper than over the middle one and the same additions in the same order
        fz = self.featurizer
        pairs = fz._index(np.stack(fz._pair_bases(table.attrs[layout], keep, first)), fz.spec.pair_slots[:, None],
                          language, axis=0)
        gathered = self._rows(pairs)
        result: F32 = out + gathered.sum(axis=0)
        return result

    def _rows(self, idx: I64) -> F32:
        """Weight rows at `idx` (any shape) → idx.shape × labels."""
        got: F32 = np.take(self.weights, idx, axis=0)
        return got

    def _table(self, sentences: Sequence[Sequence[str]], language: str) -> _WordTable:
        """The language's word table with every word of `sentences` in it. Words not yet in it are computed
        together (one numpy pass per offset): row j of a word's contributions is what it adds, through the
        unigram features at offset `_OFFSETS[j]`, to the token that many words before it."""
        table = self._tables.get(language)
        if table is None or len(table.ids) > _MAX_WORDS:  # bound the table on open-ended news vocabularies
            table = self._tables[language] = _WordTable()
        ids = table.ids
        if _PAD_WORD in ids and all(map(ids.__contains__, chain.from_iterable(sentences))):
            return table
        new = list({t for sent in sentences for t in sent if t not in ids} | ({_PAD_WORD} - ids.keys()))
        fz = self.featurizer
        attrs = np.array([fz._pad_attrs[0] if w == _PAD_WORD else fz.word_attrs(w) for w in new], dtype=np.uint64)
        got = np.zeros((len(new), len(_OFFSETS), len(LABELS)), dtype=np.float32)
        for j, off in enumerate(_OFFSETS):
            slot_ids, cols = fz.spec.unigrams_at(off)
            base = attrs[:, cols]
            if off == 0:  # the bias rides along with the token's own features
                slot_ids = np.concatenate([np.zeros(1, dtype=np.int64), slot_ids])
                base = np.concatenate([np.zeros((len(new), 1), dtype=np.uint64), base], axis=1)
            idx = fz._index(base.T, fz.spec.slots[slot_ids][:, None], language, axis=0)
            got[:, j] = self._rows(idx).sum(axis=0)
        table.add(new, attrs, got)
        return table

    def tag(self, sentences: Sequence[Sequence[str]], language: str) -> list[list[str]]:
        """IOB2 labels for each sentence (all in `language`; unknown languages use the shared features)."""
        return self.tag_many([(sentences, language)])[0]

    def tag_many(self, texts: Sequence[tuple[Sequence[Sequence[str]], str]]) -> list[list[list[str]]]:
        """`tag` of several texts at once, each its sentences and language: the sentences of each language are
        scored in one pass and all of them decoded in one Viterbi. numpy's cost per call, not arithmetic, is most
        of what tagging one article costs, so a chunk of articles costs about half as much per article. Each
        sentence's labels are the ones `tag` gives it alone: its scores and its Viterbi column are computed from
        its own words only."""
        sentences = [sent for sents, _ in texts for sent in sents]
        if not any(sentences):
            return [[[] for _ in sents] for sents, _ in texts]
        lengths = np.fromiter(map(len, sentences), dtype=np.int64, count=len(sentences))
        # each text's tokens are a stretch of the batch's rows; a language's texts are scored together
        bounds = np.cumsum([0] + [sum(map(len, sents)) for sents, _ in texts]).tolist()
        scores = np.empty((bounds[-1], len(LABELS)), dtype=np.float32)
        by_language: dict[str, list[int]] = {}
        for n, (_, language) in enumerate(texts):
            by_language.setdefault(language, []).append(n)
        for language, members in by_language.items():
            group = [sent for n in members for sent in texts[n][0]]
            if not any(group):
                continue
            got = self.scores(group, language)
            row = 0
            for n in members:
                scores[bounds[n] : bounds[n + 1]] = got[row : row + bounds[n + 1] - bounds[n]]
                row += bounds[n + 1] - bounds[n]
        # every token's (position in its sentence, sentence)
        sentence = np.repeat(np.arange(len(sentences)), lengths)
        position = np.arange(len(scores)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        padded = np.zeros((int(lengths.max()), len(sentences), len(LABELS)), dtype=np.float32)
        padded[position, sentence] = scores
        paths = viterbi_batch(padded, lengths, self.trans, self.start)
        labels: list[str] = _LABEL_ARRAY[paths[position, sentence]].tolist()
        ends = np.cumsum(lengths).tolist()
        tagged = [labels[e - n : e] for e, n in zip(ends, lengths.tolist(), strict=True)]
        firsts = np.cumsum([0] + [len(sents) for sents, _ in texts]).tolist()
        return [tagged[a:b] for a, b in pairwise(firsts)]

    def save(self, path: Path) -> None:
        """Weights quantised to int8 per label column (absolute max → 127): a few MB, negligible loss."""
        scale = np.maximum(np.abs(self.weights).max(axis=0), 1e-9) / 127.0
        q = np.round(self.weights / scale).astype(np.int8)
        mask_start, mask_trans = transition_mask()
        trans = np.where(mask_trans < 0, 0, self.trans).astype(np.float32)
        start = np.where(mask_start < 0, 0, self.start).astype(np.float32)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fh:
            np.savez_compressed(fh, weights=q, scale=scale.astype(np.float32), trans=trans, start=start,
                                bits=np.array(self.bits), labels=np.array(LABELS),
                                features=np.array(self.featurizer.spec.to_json()))

    @classmethod
    def load(cls, path: Path) -> Tagger:
        if not path.is_file():
            raise ExtractError("NER model file not found", input=str(path), code="extract.model",
                               hint="reinstall storyline or run `storyline train ner --data ../shared/data`")
        try:
            with np.load(path) as z:
                if tuple(str(x) for x in z["labels"]) != LABELS:
                    raise ExtractError("NER model has another label set", input=str(path), code="extract.model",
                                       hint="retrain with `storyline train ner --data ../shared/data`")
                weights = z["weights"].astype(np.float32) * z["scale"]
                features = FeatureSet.from_json(str(z["features"]))
                return cls(weights.astype(np.float32), z["trans"], z["start"], int(z["bits"]), features)
        except (OSError, ValueError, KeyError) as exc:
            raise ExtractError(f"NER model file is unreadable: {exc}", input=str(path), code="extract.model",
                               hint="reinstall storyline or run `storyline train ner --data ../shared/data`") from exc


@lru_cache(maxsize=1)
def load_tagger() -> Tagger:
    """The tagger shipped in the package (loaded once per process)."""
    return Tagger.load(MODEL_PATH)
