"""Words as concepts across languages: a small hand-written news lexicon for en/da/nb/nn/sv.

Character grams bridge Danish, Norwegian and Swedish spellings of one word (regering / regjering), but not
different words for one thing (brand / brann vs fire, røg vs rök vs smoke, flammer vs lågor) nor English against
any Nordic language. `data/claim_concepts.tsv` maps about 450 of the commonest news verbs, nouns, adjectives and
number words of each language onto one concept id ("serious": serious / alvorlig / alvorleg / allvarlig). It was
written by hand for this project from general knowledge of the languages, not taken from any corpus. Claim
alignment (link/claims.py) compares quotes through it, and the linker (link/cluster.py, feature "concepts")
whole articles.

A word is looked up in the column of its own language (Norwegian reads both nb and nn), so "fire" is a blaze in
English and the number four in Danish. Inflected forms and compounds are reached through folded stems
(`link.features.fold`): a listed form followed by a short ending ("passagererne"), or two listed forms glued
together, with or without a linking s/e ("maskinrummet" → engine + room).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

from storyline.errors import LinkError

LEXICON_FILE = "claim_concepts.tsv"
LANGUAGES = ("en", "da", "nb", "nn", "sv")
MIN_STEM = 4  # a listed form shorter than this matches only as a whole word ("år", "tog", "fire")
MAX_ENDING = 4  # letters an inflection may add to a listed form ("-erne", "-arna", "-ene")
MIN_PART = 3  # the shortest listed form that may stand as one half of a compound ("rum" in "maskinrum")
_LINKS = ("", "s", "e")  # Nordic compounds join their parts bare or with a linking -s-/-e-

Lexicon = dict[str, dict[str, frozenset[str]]]  # language → folded form → concept ids


@lru_cache(maxsize=1)
def _entries() -> tuple[tuple[str, str, str], ...]:
    """(language, form as written in lower case, concept) for every one-word form of the shipped lexicon."""
    path = resources.files("storyline.link").joinpath("data", LEXICON_FILE)
    out: list[tuple[str, str, str]] = []
    for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != 1 + len(LANGUAGES):
            raise LinkError(f"line {n} has {len(cells)} columns, not {1 + len(LANGUAGES)}", code="link.lexicon",
                            input=str(path), hint="concept, then one tab-separated cell per language: en da nb nn sv")
        concept = cells[0]
        for lang, cell in zip(LANGUAGES, cells[1:], strict=True):
            for form in cell.split(","):
                form = form.strip().lower()
                if form and " " not in form:  # several-word forms ("i morgen") cannot match one token
                    out.append((lang, form, concept))
    return tuple(out)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The shipped lexicon, per language, by folded form; read once."""
    from storyline.link.features import fold

    forms: dict[str, dict[str, set[str]]] = {lang: {} for lang in LANGUAGES}
    for lang, form, concept in _entries():
        forms[lang].setdefault(fold(form), set()).add(concept)
    return {lang: {f: frozenset(c) for f, c in table.items()} for lang, table in forms.items()}


@lru_cache(maxsize=8)
def _listed(language: str | None) -> dict[str, frozenset[str]]:
    """The lexicon's forms as written (lower case), for the languages `_tables` reads. Folding makes different
    words one ("skadd" injured and "skatt" tax both fold to "skat"), so a word the lexicon lists as written takes
    that form's concepts only, and folding is left to reach the inflections and spellings it does not list."""
    langs = ("nb", "nn") if language in ("nb", "nn") else (language,) if language in LANGUAGES else LANGUAGES
    merged: dict[str, set[str]] = {}
    for lang, form, concept in _entries():
        if lang in langs:
            merged.setdefault(form, set()).add(concept)
    return {f: frozenset(c) for f, c in merged.items()}


@lru_cache(maxsize=1)
def concept_index() -> dict[str, int]:
    """Each concept id's position in a dense concept vector (the linker's), in sorted order."""
    concepts = {c for table in lexicon().values() for named in table.values() for c in named}
    return {c: i for i, c in enumerate(sorted(concepts))}


def _table(language: str | None) -> dict[str, frozenset[str]]:
    return _tables(language if language in LANGUAGES else None)


@lru_cache(maxsize=8)
def _tables(language: str | None) -> dict[str, frozenset[str]]:
    langs = ("nb", "nn") if language in ("nb", "nn") else (language,) if language else LANGUAGES
    merged: dict[str, set[str]] = {}
    for lang in langs:
        for form, concepts in lexicon()[lang].items():
            merged.setdefault(form, set()).update(concepts)
    return {f: frozenset(c) for f, c in merged.items()}


# One shared empty result: each `frozenset()` is a new 216-byte object, and the caches keep one per unknown word.
_NONE: frozenset[str] = frozenset()


def _stem_match(folded: str, table: dict[str, frozenset[str]], min_stem: int) -> frozenset[str]:
    """The concepts of `folded` as a listed form, or as a listed form of `min_stem`+ letters plus an ending."""
    if folded in table:
        return table[folded]
    for cut in range(len(folded) - 1, max(min_stem, len(folded) - MAX_ENDING) - 1, -1):
        if folded[:cut] in table:
            return table[folded[:cut]]
    return _NONE


@lru_cache(maxsize=50_000)
def concepts_of(folded: str, language: str | None) -> frozenset[str]:
    """Concept ids of one folded word in a language ("" language: any); empty when the lexicon lacks it."""
    table = _table(language)
    found = _stem_match(folded, table, MIN_STEM)
    if found:
        return found
    # A compound: the longest listed head, then the rest (after a linking letter) as a word of its own.
    for cut in range(len(folded) - MIN_PART, MIN_PART - 1, -1):
        head = table.get(folded[:cut])
        if not head:
            continue
        for link in _LINKS:
            rest = folded[cut:]
            if link and not rest.startswith(link):
                continue
            tail = _stem_match(rest[len(link):], table, MIN_PART)
            if tail:
                return head | tail
    return _NONE


def concept_counts(words: Iterable[str], counts: Iterable[int], language: str | None) -> Counter[str]:
    """How often an article names each concept, from its distinct lowercase words and their counts.

    The linker's cross-language bridge (link/cluster.py, feature "concepts"): "brann" and "fire", "strejke" and
    "strike" share no character grams but name one concept. A word naming two concepts counts for both; words
    the lexicon lacks count for none.
    """
    from storyline.link.features import fold

    # A plain dict per language, not an lru_cache: this runs for every distinct word of every article linked,
    # and a dict lookup costs less than a cached call.
    cache = _BY_WORD.get(language)
    if cache is None or len(cache) > MAX_CACHED_WORDS:
        cache = _BY_WORD[language] = {}
    found: Counter[str] = Counter()
    listed = _listed(language)
    for word, n in zip(words, counts, strict=True):
        named = cache.get(word)
        if named is None:
            named = cache[word] = listed.get(word) or concepts_of(fold(word), language)
        for concept in named:
            found[concept] += n
    return found


MAX_CACHED_WORDS = 200_000  # surface words remembered per language by concept_counts
_BY_WORD: dict[str | None, dict[str, frozenset[str]]] = {}
