"""Language data and small text helpers shared by the quote finders (direct, indirect) and speaker resolution.

Everything language-specific is read from `data/`: verbs of saying (speech_verbs.json), verbs that report a
clause (reporting_verbs.json), function words around them (quote_grammar.json), pronouns with gender
(pronouns.json), first names by gender (first_name_gender.json) and titles (titles.json, through entities).
A verb form maps to the languages that use it, so `sa` (nb/nn/sv) takes `at`/`att` and `said` takes `that`
without knowing the paragraph's language.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise
from typing import NamedTuple

from storyline.extract.entities import speech_verbs, titles
from storyline.extract.names import load_json

LANGS = ("da", "nb", "nn", "sv", "en")
WORD_RE = re.compile(r"[^\W\d_][\w]*(?:[-'’:][\w]+)*-?")
# A sentence ends at . ! ? (optionally followed by a closing quote mark) before whitespace and a capital,
# a dash, an opening quote mark or a digit; paragraph ends are added by the caller.
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])[»«”\"’]?\s+(?=[–—\-«»\"”„“A-ZÆØÅÄÖÜÉ0-9])")


class Word(NamedTuple):
    """A word of the text and where it is. A named tuple, not a dataclass: the quote finders make ~700 of them per
    article, and building a tuple costs a third less."""

    start: int
    end: int
    text: str
    low: str  # the case-folded text, folded once: the phrase tables are consulted with it millions of times

    @property
    def cap(self) -> bool:
        return self.text[:1].isupper()


def words_in(text: str, start: int, end: int) -> list[Word]:
    return [Word(m.start(), m.end(), word, word.casefold())
            for m in WORD_RE.finditer(text, start, end) if (word := m.group())]


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentences of `text[start:end]` as (start, end) offsets, trimmed of surrounding whitespace."""
    spans: list[tuple[int, int]] = []
    pos = start
    for m in _SENTENCE_END_RE.finditer(text, start, end):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, end))
    # A span between two boundaries starts at the character the boundary looks ahead at and ends right after the
    # punctuation it looks behind at, neither a space, so it is neither empty nor in need of trimming: only the
    # first and the last span are trimmed (one loop over two spans, not over every sentence of the paragraph).
    for k in {0, len(spans) - 1}:
        s, e = spans[k]
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        spans[k] = (s, e)
    return [(s, e) for s, e in spans if e > s]


def _lang_lists(name: str, key: str) -> dict[str, list[str]]:
    raw = load_json(name)[key]
    assert isinstance(raw, dict)
    return {lang: [str(w) for w in words] for lang, words in raw.items()}


@lru_cache(maxsize=1)
def _reporting() -> dict[str, dict[str, list[str]]]:
    raw = load_json("reporting_verbs.json")
    out: dict[str, dict[str, list[str]]] = {}
    for lang in LANGS:
        table = raw[lang]
        assert isinstance(table, dict)
        out[lang] = {k: [str(w) for w in v] for k, v in table.items()}
    return out


@lru_cache(maxsize=1)
def cue_verbs() -> dict[str, frozenset[str]]:
    """Verb forms that mark a direct quote's cue (`sier`, `la til`), each with the languages using it."""
    out: dict[str, set[str]] = {}
    for lang, forms in speech_verbs().items():
        for form in forms:
            out.setdefault(form.casefold(), set()).add(lang)
    return {k: frozenset(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def clause_verbs() -> dict[str, frozenset[str]]:
    """Verb forms that introduce a reported clause: every verb of saying plus `clause` verbs."""
    out: dict[str, set[str]] = {k: set(v) for k, v in cue_verbs().items()}
    for lang, table in _reporting().items():
        for form in table["clause"]:
            out.setdefault(form.casefold(), set()).add(lang)
    return {k: frozenset(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def bare_clause_verbs() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for lang, table in _reporting().items():
        for form in table["bare_clause"]:
            out.setdefault(form.casefold(), set()).add(lang)
    return {k: frozenset(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def warn_verbs() -> frozenset[str]:
    return frozenset(f.casefold() for table in _reporting().values() for f in table["warn"])


Phrases = dict[str, frozenset[str]] | frozenset[str]
# Per phrase table (the tables are cached for the process, so their id is stable; the table itself is kept beside
# what is derived from it so a recycled id can never match another table): the first word of every phrase, and for
# each first word the word counts (1 to 4, longest first) of the phrases it starts.
_HEADS: dict[int, tuple[Phrases, frozenset[str], dict[str, tuple[int, ...]]]] = {}


def phrase_heads(phrases: Phrases) -> frozenset[str]:
    """The first words of `phrases`: a word not among them starts none (`match_phrase` gives 0)."""
    return _heads(phrases)[1]


def _heads(phrases: Phrases) -> tuple[Phrases, frozenset[str], dict[str, tuple[int, ...]]]:
    cached = _HEADS.get(id(phrases))
    if cached is None or cached[0] is not phrases:
        lengths: dict[str, set[int]] = {}
        for p in phrases:
            parts = p.split(" ")
            lengths.setdefault(parts[0], set()).update([len(parts)] if len(parts) <= 4 else [])
        by_head = {head: tuple(sorted(ns, reverse=True)) for head, ns in lengths.items()}
        cached = (phrases, frozenset(p.split(" ", 1)[0] for p in phrases), by_head)
        _HEADS[id(phrases)] = cached
    return cached


def match_phrase(words: list[Word], i: int, phrases: Phrases) -> int:
    """How many words from words[i] form the longest phrase in `phrases` (0 when none does)."""
    # Almost no word starts a phrase: one look-up rules it out before any joining (the same answer, since a word
    # never holds a space, so a phrase's words begin with its first space-separated part), and gives the word
    # counts of the phrases the word does start, so only those are tried (a phrase of another count never
    # matches a join of this many words).
    if i >= len(words):
        return 0
    counts = _heads(phrases)[2].get(words[i].low)
    if counts is None:
        return 0
    for n in counts:
        if i + n > len(words):
            continue
        if n == 1:
            return 1  # the word itself is a phrase: its count is listed only because it is in `phrases`
        # the words of a phrase must be separated by single spaces, not punctuation
        if any(words[k + 1].start - words[k].end != 1 for k in range(i, i + n - 1)):
            continue
        if " ".join(w.low for w in words[i : i + n]) in phrases:
            return n
    return 0


@lru_cache(maxsize=1)
def _grammar() -> dict[str, object]:
    return load_json("quote_grammar.json")


def _per_lang(key: str) -> dict[str, frozenset[str]]:
    raw = _grammar()[key]
    assert isinstance(raw, dict)
    return {lang: frozenset(str(w) for w in words) for lang, words in raw.items()}


@lru_cache(maxsize=1)
def complementisers() -> dict[str, frozenset[str]]:
    return _per_lang("complementiser")


@lru_cache(maxsize=1)
def opinion_cues() -> frozenset[str]:
    """Verbs of opinion (`mener`, `menar`): a trailing cue with one of them reports, it does not quote."""
    return frozenset(w for ws in _per_lang("opinion_cue").values() for w in ws)


@lru_cache(maxsize=1)
def second_person() -> frozenset[str]:
    return _flat("second_person")


@lru_cache(maxsize=1)
def first_person() -> frozenset[str]:
    return _flat("first_person")


@lru_cache(maxsize=1)
def not_speech() -> frozenset[str]:
    return _flat("not_speech")


@lru_cache(maxsize=1)
def anonymity_copulas() -> frozenset[str]:
    return _flat("anonymity_copulas")


def declares_anonymity(lows: list[str]) -> bool:
    """Whether words (case-folded) say sources are kept anonymous: a copula, then a word beginning `anonym`
    ("vil dei vere anonyme"; quote_grammar.json `anonymity_copulas`)."""
    copulas = anonymity_copulas()
    return any(a in copulas and b.startswith("anonym") for a, b in pairwise(lows))


@lru_cache(maxsize=1)
def indefinite() -> frozenset[str]:
    return _flat("indefinite")


@lru_cache(maxsize=1)
def according_to() -> frozenset[str]:
    return frozenset(w for ws in _per_lang("according_to").values() for w in ws)


@lru_cache(maxsize=1)
def prepositions() -> frozenset[str]:
    return frozenset(w for ws in _per_lang("prepositions").values() for w in ws)


@lru_cache(maxsize=1)
def infinitive_verbs() -> frozenset[str]:
    return frozenset(w for ws in _per_lang("infinitive_verb").values() for w in ws)


@lru_cache(maxsize=1)
def infinitive_clues() -> dict[str, tuple[str, ...]]:
    return {lang: tuple(ws) for lang, ws in _per_lang("infinitive_clue").items()}


@lru_cache(maxsize=1)
def weak_adjective_endings() -> tuple[str, ...]:
    return tuple(sorted(_flat("weak_adjective_endings")))


def _flat(key: str) -> frozenset[str]:
    raw = _grammar()[key]
    assert isinstance(raw, list)
    return frozenset(str(w) for w in raw)


@lru_cache(maxsize=1)
def relatives() -> frozenset[str]:
    return _flat("relative")


@lru_cache(maxsize=1)
def coordinators() -> frozenset[str]:
    return _flat("coordinator")


@lru_cache(maxsize=1)
def subject_starters() -> frozenset[str]:
    return _flat("subject_start")


@lru_cache(maxsize=1)
def source_from() -> frozenset[str]:
    return _flat("source_from")


@lru_cache(maxsize=1)
def object_pronouns() -> dict[str, str]:
    """Object pronoun → gender ("male", "female", "neutral")."""
    raw = _grammar()["object_pronouns"]
    assert isinstance(raw, dict)
    return {str(w): gender for gender, ws in raw.items() for w in ws}


def _word_lists(name: str, keys: tuple[str, ...]) -> dict[str, list[str]]:
    raw = load_json(name)
    out: dict[str, list[str]] = {}
    for key in keys:
        words = raw[key]
        assert isinstance(words, list)
        out[key] = [str(w) for w in words]
    return out


@lru_cache(maxsize=1)
def subject_pronouns() -> dict[str, str]:
    """Subject pronoun → gender ("male", "female", "plural", or "neutral" for hen)."""
    lists = _word_lists("pronouns.json", ("pronouns", "male", "female", "plural"))
    out = dict.fromkeys(lists["pronouns"], "neutral")
    for gender in ("male", "female", "plural"):
        out.update(dict.fromkeys(lists[gender], gender))
    return out


@lru_cache(maxsize=1)
def first_name_gender() -> dict[str, str]:
    lists = _word_lists("first_name_gender.json", ("female", "male"))
    return {name.casefold(): gender for gender in ("female", "male") for name in lists[gender]}


def name_gender(full_name: str) -> str | None:
    """"female"/"male" from the first name of a full name; None when unknown or a lone surname."""
    parts = full_name.split()
    if len(parts) < 2:
        return None
    first = parts[0].casefold()
    return first_name_gender().get(first) or first_name_gender().get(first.split("-")[0])


@lru_cache(maxsize=1)
def _title_heads() -> tuple[str, ...]:
    return tuple(sorted({t for t in titles() if len(t) >= 4 and " " not in t and not t.endswith(".")}))


_DEFINITE = ("erne", "arna", "orna", "ene", "en", "et", "na", "ne", "n", "a", "t")


def title_stems(word: str) -> set[str]:
    """The word and its forms without a definite ending: ministeren → {ministeren, minister, ministere}."""
    low = word.casefold()
    out = {low}
    for suffix in _DEFINITE:
        if low.endswith(suffix) and len(low) - len(suffix) >= 3:
            out.add(low[: -len(suffix)])
    return out


@lru_cache(maxsize=65536)  # asked for the same words over and over (each word near a name, each cue's subject)
def is_title_word(word: str) -> bool:
    """A title or role, also as the head of a compound (`sportsdirektøren`, `enhedschef`)."""
    low = word.casefold().rstrip("-")
    if low in titles():
        return True
    return any(stem.endswith(_title_heads()) for stem in title_stems(low))


def titles_match(query: str, held: str) -> bool:
    """Does the definite title a speaker is called by (`ministeren`) fit a title written with a name
    (`fiskeriminister`)? The held title may be a compound of the query's head, never the other way round."""
    held_stems = title_stems(held)
    for q in title_stems(query):
        if len(q) < 3:
            continue
        if any(h == q or (h.endswith(q) and len(q) >= 4) for h in held_stems):
            return True
    return False
