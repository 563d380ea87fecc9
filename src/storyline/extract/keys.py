"""Person keys inside one article: surname-based across articles, namesakes told apart within one.

Decision (issue 4): the key of a person is `per:<folded surname>` (`names.fold_name`), so
"Jens Stoltenberg" in a Danish article and a lone "Stoltenberg" in a Norwegian one share `per:stoltenberg`, and
Prigozjin / Prigozhin / Prigojine share `per:prigosin`. The first name is kept in the key only where the surname
alone would merge two different people:
  * inside one article, full names with one surname whose given names are incompatible (Joe Biden / Hunter
    Biden) get `per:<surname>-<first given name>` each, so the article never merges them. Given names are
    compatible when one set contains the other ("Jonas Gahr Støre" / "Gahr Støre" / "Jonas Støre" are one
    person); given names are compared folded and, from six letters, up to one edit, so Jevgenij / Yevgeny
    and Aleksandr / Alexander Lukashenko are one person each;
  * East Asian names written surname first (Xi Jinping, Kim Jong-un; lists in `data/first_names.json`) always
    keep the given name: a surname shared by a fifth of a country identifies nobody (`per:kim-jong-un`).
Inside an article a lone surname takes the key of the most recent full name before it (or the first one after
it), and a lone first name that belongs to exactly one fully named person ("Jonas" after "Jonas Birkeland")
takes that person's key. The price of surname keys is that two namesakes in *different* articles (Joe Biden in
one, Hunter Biden in another) share a key; `storyline eval keys` counts those wrong merges.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from storyline.extract.names import fold_name, fold_words, gazetteer, load_json, slug

# Lower-case words that belong to a surname ("Ursula von der Leyen" → surname "von der Leyen").
NAME_PARTICLES = frozenset(
    {"von", "van", "der", "den", "de", "af", "la", "le", "al", "bin", "da", "di", "du", "ten", "ter"}
)


class KeySpan(Protocol):
    """What key assignment needs of a mention: its text, type and offset; it writes `key`."""

    start: int
    text: str
    type: str
    key: str


@dataclass(frozen=True, slots=True)
class PersonName:
    """A person's name split for keying: surname and given names folded (`names.fold_words`), and whether the
    key must keep the given name (surname-first East Asian names)."""

    surname: str
    given: tuple[str, ...]
    surname_first: bool = False


@lru_cache(maxsize=1)
def _surname_first() -> tuple[frozenset[str], frozenset[str]]:
    table = load_json("first_names.json")["surname_first"]
    assert isinstance(table, dict)
    return frozenset(table["always"]), frozenset(table["hyphenated"])


def split_name(name: str) -> PersonName:
    """Split for keying: "Jens Stoltenberg" → (stoltenberg, (jens,)); "Ursula von der Leyen" →
    (von-der-lejen, (ursula,)); "Xi Jinping" → (ksi, (jinping,), surname first); "Kim Jong-un" → (kim,
    (jong-un,), surname first)."""
    words = name.split()
    folded = fold_words(tuple(words))
    if len(folded) != len(words):  # a word with no letters ("–"): fold the name as one surname
        return PersonName(fold_name(name), ())
    always, hyphenated = _surname_first()
    if len(words) == 2 and (words[0] in always or (words[0] in hyphenated and "-" in words[1])):
        return PersonName(folded[0], (folded[1],), surname_first=True)
    k = len(words) - 1
    # A name that starts with a particle is a surname alone ("von der Leyen" after "Ursula von der Leyen").
    while k > 0 and words[k - 1] in NAME_PARTICLES:
        k -= 1
    return PersonName("-".join(folded[k:]), folded[:k])


@dataclass(slots=True)
class NameSpan:
    """A mention given by hand (evaluation, tests, callers that found the span themselves)."""

    text: str
    type: str
    start: int = 0
    key: str = ""


def entity_key(name: str, type: str) -> str:
    """The key the extract stage gives a mention of `type` (PER, ORG, LOC, DEMONYM, MISC) written as `name`,
    once its span is known: a person as if named alone in an article; anything else from the gazetteer
    (places, organisations, demonyms in da/nb/nn/sv/en), else `<type>:<slug>` as the extract stage does."""
    if type == "PER":
        span = NameSpan(name, "PER")
        assign_person_keys([span])
        return span.key
    gaz = gazetteer()
    entry = gaz.lookup(name) or gaz.demonyms.get(name.casefold())
    return entry.key if entry is not None else f"{type.lower()}:{slug(name)}"


def assign_person_keys(spans: Sequence[KeySpan]) -> None:
    """Set the key of every PER span in one article (see the module docstring); other spans are untouched."""
    persons = [(sp, split_name(sp.text)) for sp in spans if sp.type == "PER"]
    full: dict[str, list[tuple[KeySpan, PersonName]]] = {}
    for sp, name in persons:
        if name.given:
            full.setdefault(name.surname, []).append((sp, name))
    keys_by_first: dict[str, set[str]] = {}
    for surname, mentions in full.items():
        _key_namesakes(surname, mentions)
        for sp, name in mentions:
            keys_by_first.setdefault(name.given[0], set()).add(sp.key)
    for sp, name in persons:
        if not name.given and name.surname in full:
            sp.key = _nearest(sp.start, [(m.start, m.key) for m, _ in full[name.surname]])
    for sp, name in persons:
        if not sp.key:
            owners = keys_by_first.get(fold_name(sp.text), set())
            sp.key = next(iter(owners)) if len(owners) == 1 else "per:" + name.surname


def _nearest(start: int, keyed: list[tuple[int, str]]) -> str:
    """The key of the most recent mention before `start`, else of the first one after it."""
    before = [key for pos, key in keyed if pos < start]
    return before[-1] if before else min(keyed)[1]


def _key_namesakes(surname: str, mentions: list[tuple[KeySpan, PersonName]]) -> None:
    """Keys of the full-name mentions of one surname in one article. Each given-name tuple that no other one
    contains names a person ("Jonas Gahr"); tuples that are one name spelled two ways (Aleksandr / Alexander)
    are one person. A shorter tuple ("Jonas") belongs to the person it fits; when it fits several, to the one
    named most recently before it. The surname alone is the key when the article has one such person."""
    givens = list(dict.fromkeys(n.given for _, n in mentions))
    maximal = [g for g in givens if not any(_within(g, h) and not _within(h, g) for h in givens)]
    parent = list(range(len(maximal)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(maximal):
        for j in range(i):
            if _within(a, maximal[j]) and _within(maximal[j], a):
                parent[find(i)] = find(j)
    clusters: dict[int, list[tuple[str, ...]]] = {}
    for i, g in enumerate(maximal):
        clusters.setdefault(find(i), []).append(g)
    longest = [max(members, key=len) for members in clusters.values()]
    # Two people whose first given names agree ("Jonas Gahr" / "Jonas Hansen") are told apart by all of them.
    firsts = [g[0] for g in longest]
    surname_first = any(n.surname_first for _, n in mentions)
    key_of: dict[tuple[str, ...], str] = {}
    for members, names in zip(clusters.values(), longest, strict=True):
        if surname_first or firsts.count(names[0]) > 1:
            key = f"per:{surname}-" + "-".join(names)
        elif len(clusters) == 1:
            key = "per:" + surname
        else:
            key = f"per:{surname}-{names[0]}"
        for g in members:
            key_of[g] = key
    for sp, name in mentions:
        if name.given in key_of:
            sp.key = key_of[name.given]
    for sp, name in mentions:
        if name.given not in key_of:
            fits = {key_of[g] for g in maximal if _within(name.given, g)}
            keyed = [(m.start, m.key) for m, n in mentions if n.given in key_of and m.key in fits]
            sp.key = _nearest(sp.start, keyed)


# Folded given names at least this long that differ by one edit are one name written two ways (Aleksandr /
# Alexander, Kristian / Christian); shorter ones are too often different people (Hanna / Hanne, Jon / Jan).
_FUZZY_GIVEN_MIN = 6


def _within(small: tuple[str, ...], big: tuple[str, ...]) -> bool:
    """Every given name of `small` is one of `big` ("Gahr" within "Jonas Gahr"), up to one spelling edit."""
    return all(any(_same_given(a, b) for b in big) for a in small)


def _same_given(a: str, b: str) -> bool:
    if a == b:
        return True
    if min(len(a), len(b)) < _FUZZY_GIVEN_MIN or abs(len(a) - len(b)) > 1:
        return False
    return _one_edit(a, b)


def _one_edit(a: str, b: str) -> bool:
    """True when `a` becomes `b` by one insertion, deletion or substitution (lengths differ by at most 1)."""
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :]
