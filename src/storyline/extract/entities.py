"""Mentions of people, organisations, places and demonyms: spans from storyline's own NER tagger
(`extract/tagger.py`), then the news-specific handling the corpora do not teach it:

  * titles before a name ("President Joe Biden") are not part of it, and are remembered for quote speakers;
    a title alone ("Udenrigsministeren siger …") is a role, not a person;
  * hyphen compounds keep the name part only: "Nato-toppmøtet" → Nato, "Wagner-gruppen" → Wagner (an ORG,
    since "-gruppen" is an organisation cue), also where the tagger left the compound untagged and the
    gazetteer knows its head;
  * genitives lose their -s / -' when the stem is a known name or appears without it in the article (Putins,
    Natos, Belarus');
  * the gazetteer gives places, organisations and demonyms their cross-language key (whatever their case:
    NATO, Nato), and finds what the tagger does not tag: lower-case demonyms ("danske") and names written
    with lower-case words ("Det hvite hus");
  * English text (issue 6; the tagger learnt from Nordic corpora only): a capitalised common word of the
    language (data/common_words.json "content_words": "People", "Web", "Promises") is a name only where the
    article used it inside a longer name before; an English head word types a name ("… Police Department" ORG,
    "Fifth Avenue" LOC, "Hunger Games" MISC; data/name_heads.json); a person span without a first name that
    ends in a common word is a title, not a person; a known name in the possessive ("France's") and a word
    after an honorific ("Mr. Okonkwo") are mentions even where the tagger missed them;
  * initials and abbreviations do not end a sentence ("George W. Bush" is one name), and initials, "Jr",
    "III" and title abbreviations are never names alone nor the end of one; a possessive inside a span splits
    it ("Crowley's Web" → Crowley, Web);
  * real news (issue: RN's review of NorNE/DDT/Klintan documents): a capitalised common word opening a sentence
    ("Trygt", "Kan Carl …", "Søster Hjørdis") is no name or name part; a person in the genitive keeps the
    person's key ("Hitlers", "Erik Anderssons"); a single "person" word ending in a Nordic street or hill word
    (Speditørvej, Holmenkollen) is a place; lower-case verbs spelled like demonyms (finne, finns) are not; a
    "person" of several words ending in an organisation head of the article's language ("… Bakeri", "…
    Idrettsforening", "Animal Liberation Front", "… AS") is an organisation (data/name_heads.json
    `person_org_heads`);
  * real news (review 4): a span of several words opening with an operation or exercise word ("Operation
    Nordvakt", "Operasjonen Nordvakt"; data/name_heads.json `event_first`) is an event (MISC), not a person;
    Nordic party names and abbreviations (Frp, Sp, KrF) are organisations from the gazetteer (data/orgs.json);
  * one name, one type per article (review 4 follow-up): the mentions of a name vote on its type, cues in the text
    ("forsvarsalliansen Nordef", "Sparviks vd", "Tea Party-bevegelsen") outweighing the tagger's reading, so
    "Nintendo-fans" is the organisation "Nintendo" is and every mention shares one key (`name_types.one_type_per_name`);
    a person's span opening with an institution word ("Helse Sør") or ending in a school word is an organisation;
  * otherwise the tagger's type decides: PER, ORG (and NorNE's GPE_ORG), LOC (and GPE_LOC), MISC (PROD, EVT).
Person keys come from `keys.assign_person_keys` (surname-based, disambiguated inside the article).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from storyline.extract.keys import NAME_PARTICLES, assign_person_keys
from storyline.extract.name_types import (
    events_named_as_persons,
    one_type_per_name,
    organisations_named_as_persons,
    persons_named_as_places,
    places_named_as_persons,
)
from storyline.extract.names import (
    GazEntry,
    all_first_names,
    first_names,
    gazetteer,
    load_json,
    lowercase_demonyms,
    norm,
    slug,
)
from storyline.extract.org_forms import legal_forms, party_letters
from storyline.extract.spans import Span, compound_tail_type, endings, full_name_surnames, word_list
from storyline.extract.tagger import load_tagger, tag_spans, tokenize
from storyline.models import Entity

_HYPHEN_RE = re.compile(r"-(?=[^\W\d_])")
# The rest of a coordinated compound after its first part's hyphen: "- og ureiningsdirektoratet", "-, administrasjons-
# og kyrkjedepartementet" (group 1 is the head word that carries the compound's meaning).
_COORDINATED_RE = re.compile(r"-(?:,? [^\W\d_]+-)*,? (?:og|och|eller|samt|and|or) ([^\W\d_]+)")
# After a number: the ordinal dot and a lower-case word of a Nordic date ("22. juli", "5. september").
_ORDINAL_DATE_AFTER = re.compile(r"\.\s+[a-zæøåäöé]")
_TOKEN_RE = re.compile(r"[^\W\d_][\w]*(?:[-'’][\w]+)*['’]?")


_ORG_SUFFIXES = tuple(word_list("org_cues.json", "suffixes"))
_ORG_TOKENS = frozenset(word_list("org_cues.json", "tokens"))


@dataclass(slots=True)
class TitleMention:
    """A title written right before a person ("generalsekretær Jens Stoltenberg"): lets "generalsekretæren"
    later in the article be resolved to that person."""

    title: str
    key: str
    start: int


@dataclass(slots=True)
class Mentions:
    entities: list[Entity] = field(default_factory=list)
    titles: list[TitleMention] = field(default_factory=list)


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    words = load_json("common_words.json")["words"]
    assert isinstance(words, list)
    return frozenset(words)


@lru_cache(maxsize=1)
def titles() -> frozenset[str]:
    """Title words, lower-cased, with their definite forms (statsministeren, statsministern, kongen)."""
    base = load_json("titles.json")["titles"]
    assert isinstance(base, list)
    out: set[str] = set()
    for word in base:
        w = word.casefold()
        out.update({w, w + "en", w + "n", w + "et", w + "a", w + "ar" + "en"})
    return frozenset(out)


@lru_cache(maxsize=1)
def title_suffixes() -> tuple[str, ...]:
    """Title words long enough to recognise as the head of a compound title ("sportsdirektør" → direktør)."""
    return tuple(sorted({t for t in titles() if len(t) >= 6 and " " not in t}))


@lru_cache(maxsize=65536)  # asked for every capitalised word near a name; the suffix test scans every title
def is_title(word: str) -> bool:
    low = word.casefold()
    return low in titles() or low.endswith(title_suffixes())


@lru_cache(maxsize=1)
def speech_verbs() -> dict[str, tuple[str, ...]]:
    """Verbs of saying per language (data/speech_verbs.json), multi-word cues included."""
    raw = load_json("speech_verbs.json")
    return {
        lang: tuple(forms)
        for lang, forms in raw.items()
        if not lang.startswith("_") and isinstance(forms, list)
    }


@lru_cache(maxsize=1)
def _phrase_index() -> dict[str, list[tuple[tuple[str, ...], GazEntry]]]:
    """Multi-word gazetteer names containing lower-case words ("Det hvite hus"), indexed by their first
    word."""
    gaz = gazetteer()
    index: dict[str, list[tuple[tuple[str, ...], GazEntry]]] = {}
    for phrase in gaz.phrases:
        words = tuple(norm(w) for w in _TOKEN_RE.findall(phrase))
        entry = gaz.lookup(phrase)
        if words and entry is not None:
            index.setdefault(words[0], []).append((words, entry))
    for entries in index.values():
        entries.sort(key=lambda e: -len(e[0]))
    return index


@lru_cache(maxsize=8)
def content_words(language: str | None) -> frozenset[str]:
    """Common content words of `language` (data/common_words.json, "content_words"); every language's for an
    unknown one (None), none for a language without a list. Capitalised, they are headline or
    sentence-initial words, not names."""
    table = load_json("common_words.json")["content_words"]
    assert isinstance(table, dict)
    langs = [language] if language in table else ([] if language else list(table))
    return frozenset(w for lang in langs for w in table[lang])


@lru_cache(maxsize=1)
def name_heads() -> dict[str, str]:
    """English head word → ORG / LOC / MISC (data/name_heads.json): "… Police Department" names an
    organisation, "… Avenue" a place, "… Games" an event."""
    raw = load_json("name_heads.json")
    out: dict[str, str] = {}
    for kind in ("org", "loc", "misc"):
        words = raw[kind]
        assert isinstance(words, list)
        out.update((str(w), kind.upper()) for w in words)
    return out


@lru_cache(maxsize=1)
def place_openers() -> frozenset[str]:
    """Words that start a place name ("Lake Tessor", "Mount Kenta"): data/name_heads.json, "loc_first"."""
    words = load_json("name_heads.json")["loc_first"]
    assert isinstance(words, list)
    return frozenset(map(str, words))


@lru_cache(maxsize=1)
def _title_lists() -> tuple[frozenset[str], frozenset[str]]:
    """Abbreviations written with a full stop before a name ("Mr.", "Gen.") and name suffixes ("Jr", "III")."""
    raw = load_json("titles.json")
    abbreviations, suffixes = raw["abbreviations"], raw["name_suffixes"]
    assert isinstance(abbreviations, list) and isinstance(suffixes, list)
    return frozenset(map(str, abbreviations)), frozenset(map(str, suffixes))


def title_abbreviations() -> frozenset[str]:
    """Abbreviations written with a full stop before a name: "Mr.", "Gen.", Danish/Swedish "dr.", "hr."."""
    return _title_lists()[0]


@lru_cache(maxsize=1)
def _name_abbreviations() -> frozenset[str]:
    """Abbreviations that start a place name ("St. Petersburg"): no sentence break after them, kept in the name."""
    words = load_json("titles.json")["name_abbreviations"]
    assert isinstance(words, list)
    return frozenset(map(str, words))


def _is_initial(word: str) -> bool:
    return len(word) == 1 and word.isupper()


def _not_a_name(word: str) -> bool:
    """Never an entity alone: an initial, a generation suffix or title abbreviation ("Jr", "Rep"), a one-letter
    clitic residue ("s" of "Reid' s")."""
    abbreviations, suffixes = _title_lists()
    bare = _strip_genitive_marks(word)
    return (len(bare) <= 1 and not bare.isdigit()) or word in suffixes or word in abbreviations


def _is_cap(tok: str) -> bool:
    return tok[:1].isupper()


# Tagger type → project type when the gazetteer does not know the name (DRV is handled in `_tagged_span`).
_PROJECT_TYPE = {"PER": "PER", "ORG": "ORG", "GPE_ORG": "ORG", "LOC": "LOC", "GPE_LOC": "LOC",
                 "PROD": "MISC", "EVT": "MISC", "MISC": "MISC"}


@dataclass(slots=True)
class Tagged:
    """What `find_mentions` starts from: a text's sentences (token offsets), their words and the tagger's labels."""

    sentences: list[list[tuple[int, int]]]
    words: list[list[str]]
    tags: list[list[str]]


def tag_texts(texts: Sequence[tuple[str, str | None]]) -> list[Tagged]:
    """The tagger's reading of several (text, language) pairs, tagged together (`Tagger.tag_many`: a chunk of
    articles costs about half as much per article as one at a time, with the same labels)."""
    split = [_join_abbreviations(text, tokenize(text), language in _NORDIC) for text, language in texts]
    words = [[[text[s:e] for s, e in sent] for sent in sentences] for (text, _), sentences in zip(texts, split,
                                                                                                   strict=True)]
    tags = load_tagger().tag_many([(ws, language or "") for ws, (_, language) in zip(words, texts, strict=True)])
    return [Tagged(*parts) for parts in zip(split, words, tags, strict=True)]


def find_mentions(text: str, language: str | None = None, tagged: Tagged | None = None) -> Mentions:
    """Entities in `text` (offsets into it) and the titles written before persons. `language` (da, nb, nn, sv)
    selects the tagger's language-specific features; others use the shared ones. `tagged`: the tagger's reading
    of this text and language from `tag_texts`, when it was tagged with others."""
    if tagged is None:
        tagged = tag_texts([(text, language)])[0]
    sentences, words, tags = tagged.sentences, tagged.words, tagged.tags
    if not sentences:
        return Mentions()
    seen_mid = {norm(_strip_genitive_marks(w)) for ws in words for w in ws[1:] if w[:1].isupper()}  # _is_cap
    spans: list[Span] = []
    coverage: list[list[bool]] = []
    for sent, ws, tg in zip(sentences, words, tags, strict=True):
        covered = [False] * len(sent)
        for a, b, kind in _name_ranges(ws, tag_spans(tg), language in _NORDIC):
            covered[a:b] = [True] * (b - a)
            span = _tagged_span(text, sent, ws, a, b, kind, seen_mid, language)
            if span is not None:
                spans.append(span)
        coverage.append(covered)
    # One name, one reading per article: a capitalised word the tagger left out (most often sentence-initial,
    # "Putins talsmand …") is a mention when the article names it elsewhere.
    named = {norm(sp.text): sp for sp in spans if " " not in sp.text and sp.type != "DEMONYM"}
    for sp in spans:
        if sp.type == "PER" and " " in sp.text:  # the surname of a full name: "Putins" after "Vladimir Putin"
            surname = sp.text.rsplit(" ", 1)[1]
            named.setdefault(norm(surname), Span(sp.end - len(surname), sp.end, surname, "PER"))
    for sent, ws, covered in zip(sentences, words, coverage, strict=True):
        spans.extend(_untagged(text, sent, ws, covered, named, language))
    spans.sort(key=lambda sp: sp.start)
    starts = {next((s for s, e in sent if text[s:e][:1].isalpha()), -1) for sent in sentences}
    spans = _sentence_openers(spans, text, starts, seen_mid)
    _fold_person_genitives(spans)
    _fold_organisation_genitives(spans, language)
    persons_named_as_places(spans)
    places_named_as_persons(spans)
    organisations_named_as_persons(spans, language)
    events_named_as_persons(spans)
    spans = _one_reading(spans, language)
    one_type_per_name(spans, text, english=bool(content_words(language)))
    return _assign_keys(party_letters(legal_forms(spans, text), text, language))



def _sentence_openers(spans: list[Span], text: str, starts: set[int], seen_mid: set[str]) -> list[Span]:
    """Real news opens sentences with capitalised common words the tagger reads as names ("Gjennom", "Trygt",
    "Boka"; "Kan Carl I. Hagen sa …", "Søster Hjørdis"). A word that opens a sentence is a common word when it is
    a function word (data/common_words.json) or the same article writes it in lower case elsewhere, unless it is
    a first name, a known name, capitalised inside a sentence somewhere, or the surname of a person named in full.
    Such a word alone is no person or place (organisations keep it: "Regjeringen" is the government); a person's
    span that starts with one starts after it."""
    lower: set[str] | None = None  # the article's lower-case words, read only when a span needs them
    common, firsts, g = common_words(), all_first_names(), gazetteer()
    surnames = full_name_surnames(spans)
    out: list[Span] = []
    for sp in spans:
        word = sp.text.split(" ", 1)[0]
        low = word.casefold()
        if sp.start in starts and sp.type in ("PER", "LOC") and low not in common and lower is None:
            lower = {w for w in re.findall(r"\w+", text) if w.islower()}
        if (
            sp.start not in starts
            or sp.type not in ("PER", "LOC")
            or not (low in common or (lower is not None and low in lower))
            or word in firsts
            or low in NAME_PARTICLES
            or norm(word) in seen_mid
            or norm(word) in surnames
            or g.lookup(sp.text) is not None
            or g.lookup(word) is not None
        ):
            out.append(sp)
            continue
        if " " not in sp.text:
            continue  # a common word alone
        if sp.type != "PER":
            out.append(sp)  # "Nye Veier", "Gamle Oslo": a place may start with an adjective
            continue
        rest = sp.text[len(word) :].lstrip()
        cut = len(sp.text) - len(rest)
        if rest and not is_title(rest):
            sp.start, sp.text = sp.start + cut, rest
            out.append(sp)
    return out


# A final -s after these is part of the name (Collins is no genitive of Collin, Moses none of Mose).
_NOT_GENITIVE = ("ss", "us", "is", "as", "os", "ys", "es")
_VOWELS = frozenset("aeiouyæøåäöé")


def _fold_person_genitives(spans: list[Span]) -> None:
    """One key for a person in the genitive and out of it ("Hitlers" → Hitler, "Erik Anderssons" → Erik
    Andersson): the -s goes when the article names the person without it (a sentence-initial "Hitler" too, which
    `_genitive_end` does not see), or when the surname ends the way no surname ending in -s does (data/
    name_heads.json `genitive_full` for a full name, the stricter `genitive_alone` for a surname alone)."""
    named = {norm(w) for sp in spans if sp.type == "PER" for w in (sp.text, sp.text.rsplit(" ", 1)[-1])}
    firsts = all_first_names()
    for sp in spans:
        last = sp.text.rsplit(" ", 1)[-1]
        if sp.type != "PER" or len(last) <= 3 or not last.endswith("s"):
            continue
        if sp.text == last and last[-2] in _VOWELS and last not in firsts and last[:-1] in firsts:
            # a first name alone plus -s: "Sonjas", "Kates" (review 5: keyed apart from "Sonja", "Kate"); a
            # consonant before the -s is left alone, there first name + s is a surname ("Williams", "Peters")
            sp.text, sp.end = sp.text[:-1], sp.end - 1
            continue
        if last.endswith(_NOT_GENITIVE):
            continue
        if last in firsts or last[:-1] in firsts:  # "Jens", "Williams"
            continue
        surname_ends = endings("genitive_full" if " " in sp.text else "genitive_alone")
        if norm(last[:-1]) in named or last[:-1].casefold().endswith(surname_ends):
            sp.text, sp.end = sp.text[:-1], sp.end - 1


_NORDIC_GENITIVE_STEMS = ("a", "e", "en", "et")


def _fold_organisation_genitives(spans: list[Span], language: str | None = None) -> None:
    """One key for an organisation in the genitive and out of it ("Høyres" → Høyre, "Frps" → Frp,
    "Miljødepartementets" → Miljødepartementet, "DSBs" → DSB): the -s goes when the article or the gazetteer
    names the organisation without it, when the stem ends in a definite organisation word (data/org_cues.json
    `suffixes`: -partiet, -departementet, -verket) or when it is an acronym. A review of real news found 40 such
    mentions keyed apart from the organisation ("Siemens", "Reuters" keep their -s: none holds)."""
    named = {sp.text: sp for sp in spans if sp.type in ("ORG", "MISC", "LOC") and not sp.text.endswith("s")}
    g = gazetteer()
    nordic = language in ("da", "nb", "nn", "sv")
    for sp in spans:
        text = sp.text
        if sp.type not in ("ORG", "MISC", "LOC") or len(text) < 3 or not text.endswith("s") or text.endswith("ss"):
            continue
        if sp.type == "LOC":
            # a place in the genitive ("Danmarks-premieren", "Nilens vand"), folded only where the article or the
            # gazetteer names the place without the -s (review 5): "Texas", "Paris" end in -s of their own
            place, known_place = named.get(text[:-1]), g.lookup(text[:-1])
            key = (place.key if place is not None and place.type == "LOC"
                   else known_place.key if known_place is not None and known_place.type == "LOC" else None)
            if key is not None and g.lookup(text) is None:
                sp.key, sp.text, sp.end = key, text[:-1], sp.end - 1
            continue
        stem = text[:-1]
        same = named.get(stem)
        known = g.lookup(stem)
        if same is not None:
            sp.type, sp.key = same.type, same.key
        elif known is not None and known.type == "ORG":
            sp.type, sp.key = known.type, known.key
        elif stem.rsplit(" ", 1)[-1].casefold().endswith(_ORG_SUFFIXES) or (len(stem) >= 2 and stem.isupper()):
            sp.key = f"{sp.type.lower()}:{slug(stem)}"
        elif nordic and sp.type == "ORG" and len(stem) >= 5 and stem.endswith(_NORDIC_GENITIVE_STEMS) and (
                g.lookup(text) is None):
            # review 5 (Danish/Swedish news): "Nordeas", "Postens", "Folketingets", "Berlingske Tidendes" keyed
            # apart from the name without the -s; a Nordic name ending in -a, -e or a definite -en/-et takes the
            # genitive -s, and the names that end so with an -s of their own are in the gazetteer ("Siemens")
            sp.key = f"org:{slug(stem)}"
        else:
            continue
        sp.text, sp.end = stem, sp.end - 1


def _one_reading(spans: list[Span], language: str | None) -> list[Span]:
    """One word, one reading per article, decided once every span is found:
      * a single word that is a common content word of the language or a bare head word ("People", "Web",
        "Street"; "Time" and "Springs" too, though towns carry those names) is a name only where the article also
        uses it inside a longer name ("Page" after "Bettie
        Page", "Department" after "Woodburn Police Department"); it then reads as that name (the nearest one
        before it);
      * a single word the tagger called a person and that is the surname of a person named in full in the
        article is that person, even where a city has it as an alternate name ("Bush" after "George W. Bush").
    Known places are never persons: the gazetteer's reading comes first in `_tagged_span`."""
    common, gaz = content_words(language), gazetteer()
    heads = name_heads() if common else {}  # English heads: in Nordic text "Bank" and "Park" are names
    longer = [sp for sp in spans if " " in sp.text]
    surnames = {norm(sp.text.rsplit(" ", 1)[1]) for sp in longer if sp.type == "PER"}
    out: list[Span] = []
    for sp in spans:
        if " " in sp.text or sp.type == "DEMONYM":
            out.append(sp)
            continue
        word, low = norm(sp.text), sp.text.casefold()
        if _not_a_name(sp.text) and (sp.kind == "PER" or len(sp.text) > 1 or common):
            continue  # an initial or "Jr" (a lone capital the tagger calls ORG is a Danish party letter: V, K)
        if sp.type != "PER" and sp.kind == "PER" and word in surnames:
            sp.type, sp.key = "PER", ""
        elif (low in common or (low in heads and gaz.lookup(sp.text) is None)) and sp.text not in first_names():
            hosts = [h for h in longer if h.start < sp.start and word in {norm(w) for w in h.text.split()}]
            if not hosts:
                continue  # a later "Dunmore Star" does not make an opening "Star striker …" a name
            host = hosts[-1]
            sp.type, sp.key = host.type, "" if host.type == "PER" else host.key
        out.append(sp)
    return out


_NORDIC = frozenset({"da", "nb", "nn", "sv"})


def _join_abbreviations(text: str, sentences: list[list[tuple[int, int]]], together: bool = False,
                        ) -> list[list[tuple[int, int]]]:
    """The tokenizer ends a sentence at any full stop before a capital; after an initial or a title
    abbreviation ("George W. Bush", "Mr. Reid") the name goes on, so the two parts are one sentence again.
    `together`: also initials written without a space ("H.C. Holm"), in Nordic text only: English writes its
    acronyms so ("U.S. Navy", "L.A. County"), and they are no person's initials."""
    abbreviations = _title_lists()[0] | _name_abbreviations()
    out: list[list[tuple[int, int]]] = []
    for sent in sentences:
        if out and len(out[-1]) >= 2 and text[out[-1][-1][0] : out[-1][-1][1]] == ".":
            before = text[out[-1][-2][0] : out[-1][-2][1]]
            # "H.L. Hansen", "B.T.": initials written together, with no space after the inner full stop
            gap = text[out[-1][-1][1] : sent[0][0]]
            if (_is_initial(before) or before in abbreviations) and (gap == " " or (together and gap == "" and (
                    _is_initial(text[sent[0][0] : sent[0][1]])))):
                out[-1] = out[-1] + sent
                continue
        out.append(sent)
    return out


def _name_ranges(ws: list[str], ranges: list[tuple[int, int, str]], nordic: bool = False,
                 ) -> list[tuple[int, int, str]]:
    """The tagger's token ranges made name-shaped: a name broken at an initial's full stop is one name again
    ("George W" + "." + "Bush"), and a span with a possessive inside is two ("Crowley's Web": Crowley, Web)."""
    out: list[tuple[int, int, str]] = []
    i = 0
    while i < len(ranges):
        a, b, kind = ranges[i]
        # and back over initials before a person's name, or before an initial the tagger started at ("H.C. Holm"
        # tagged from "C"; review 5). Nordic text only: English writes acronyms so ("U. S. Geological Survey")
        while (nordic and a >= 2 and ws[a - 1] == "." and _is_initial(ws[a - 2])
               and (kind == "PER" or _is_initial(ws[a])) and not (out and out[-1][1] > a - 2)):
            a -= 2
        # extend over ". Name" after an initial: the next tagged range or untagged capitalised words; a name with
    # an initial in it is a person's ("P. E. Pedersen", even where the tagger called "P." an organisation)
        # (review 5: likewise after a name abbreviation, "Kgs. Nytorv", "Jens Chr. Holm", which keeps its type)
        while b + 1 < len(ws) and ws[b] == "." and _is_cap(ws[b + 1]) and (
                _is_initial(ws[b - 1]) or ws[b - 1] in _name_abbreviations()):
            initial = _is_initial(ws[b - 1])
            if i + 1 < len(ranges) and ranges[i + 1][0] == b + 1:
                b, kind = ranges[i + 1][1], "PER" if initial else kind
                i += 1
            else:
                b, kind = b + 2, "PER" if initial else kind
                while b < len(ws) and _is_cap(ws[b]) and ws[b].casefold() not in common_words():
                    b += 1
        cut = next((k for k in range(a, b - 1) if _strip_genitive_marks(ws[k]) != ws[k]), None)
        if cut is not None:
            # "KF:s lekråd": the possessed noun after a genitive is a name only when it is written as one
            out.extend([(a, cut + 1, kind), (cut + 1, b, kind)] if _is_cap(ws[cut + 1]) else [(a, cut + 1, kind)])
        else:
            out.append((a, b, kind))
        i += 1
    return out


def _tagged_span(
    text: str, sent: list[tuple[int, int]], ws: list[str], a: int, b: int, kind: str, seen_mid: set[str],
    language: str | None = None,
) -> Span | None:
    """The tagger's span a..b, with the news-specific handling: titles before a name are not part of it (and
    are remembered for quote speakers), hyphen compounds keep the name part, genitives lose their mark,
    suffixes, initials and titles after a name are not part of it, an English head word ("Department",
    "Avenue") types the span, and a span of common words alone is not a person."""
    title: str | None = None
    # "LA Superior Court Judge James R": what precedes the last title is the title's organisation, not the name
    inner = [k for k in range(a + 1, b - 1) if _is_cap(ws[k]) and is_title(ws[k])] if kind == "PER" else []
    if inner:
        a = inner[-1]
    while b - a > 1 and (is_title(ws[a]) or ws[a] in _title_lists()[0]):
        title, a = ws[a].casefold(), a + 1  # "Rep. Ann Kuster": the abbreviation and its full stop
        if b - a > 1 and ws[a] == ".":
            a += 1
    common = content_words(language)
    while b - a > 1 and (_not_a_name(ws[b - 1]) or ws[b - 1] == "." or (ws[b - 1].islower() and ws[b - 1] in common)
                         or (ws[b - 1].isdigit() and _ORDINAL_DATE_AFTER.match(text, sent[b - 1][1]) is not None)):
        b -= 1  # "Joseph Comeaux Jr", "Kenneth J", "European Union leaders", "Utøya 22. juli" (a date, not a name)
    if kind == "PER" and b - a > 1 and is_title(ws[b - 1]) and not any(w in first_names() for w in ws[a:b]):
        return None  # "Academy President" is a role; "Martin Luther King" keeps his surname
    if b - a == 1 and _not_a_name(ws[a]) and (kind == "PER" or len(ws[a]) > 1 or content_words(language)):
        return None  # an initial or "Jr" alone; in Nordic text a lone capital called ORG is a party letter (V, K)
    if b - a == 1 and is_title(ws[a]):
        return None  # a title alone ("Udenrigsministeren siger …") names a role; quotes resolve it
    if title is None and a > 0 and ws[a - 1].casefold() in titles():
        title = ws[a - 1].casefold()
    g = gazetteer()
    start, end = sent[a][0], sent[b - 1][1]
    last = ws[b - 1]
    cue_org = cut = False
    tail = ""
    if g.lookup(text[start:end]) is None:
        at = _compound_cut(last)
        if at is not None:
            tail = last[at + 1 :].casefold()
            cue_org = tail.startswith(_ORG_SUFFIXES) or tail in _ORG_SUFFIXES
            end, cut = sent[b - 1][0] + at, True
        else:
            end = _genitive_end(text, start, end, last, seen_mid)
    if kind == "DRV" and not cut:
        return None  # a word derived from a name ("nordmann", "Ibsen-aktig") is not a mention of it
    span_text = text[start:end]
    if b - a == 1 and not cut and _PROJECT_TYPE.get(kind, "PER") == "PER" and text.startswith("-", end):
        # "Klima- og ureiningsdirektoratet", "Fornyings-, administrasjons- og kyrkjedepartementet": the first
        # part of a coordinated compound is no name of its own; the whole is an organisation when its head is
        coordinated = _COORDINATED_RE.match(text, end)
        if coordinated is not None:
            if not coordinated.group(1).casefold().endswith(_ORG_SUFFIXES):
                return None
            end = coordinated.end()
            return Span(start, end, text[start:end], "ORG", "org:" + slug(text[start:end]), kind=kind)
    if not span_text or (b - a == 1 and span_text.casefold() in common_words() and g.lookup(span_text) is None):
        return None
    span = Span(start, end, span_text, title=title, cue_org=cue_org, kind=kind, compound=cut)
    entry = g.lookup(span_text) or g.demonyms.get(span_text.casefold())
    # English head words type a name only in English text: in Nordic text "Gorky Park" is a band
    english = bool(common)
    head = name_heads().get(ws[b - 1].casefold()) if english and b - a > 1 and _is_cap(ws[b - 1]) and not cut else None
    if head is None and english and b - a > 1 and ws[a].casefold() in place_openers():
        head = "LOC"
    if entry is not None and entry.type == "LOC" and kind == "PER" and (
            title is not None or (b - a == 1 and span_text in all_first_names())):
        # review 5: the gazetteer's cities carry alternate names that are people's names ("dronning Elizabeth",
        # "Karin", an old name of a Turkish city); the tagger's person with a title or a first name stays one
        span.type = "PER"
    elif entry is not None:
        span.type, span.key = entry.type, entry.key
    elif head is not None:
        span.type, span.key = head, f"{head.lower()}:{slug(span_text)}"
    elif kind == "PER" and b - a > 1 and ws[b - 1].casefold() in common and not set(ws[a:b]) & first_names():
        # "Catching Fire", "Palmer Fire", "Dunmore Star": a surname is not a common word (the list leaves out
        # Bush, King, Page), so without a first name this is a title or an event, not a person
        span.type, span.key = "MISC", "misc:" + slug(span_text)
    elif cue_org or (cut and b - a == 1 and _looks_like_org(span_text)):
        span.type, span.key = "ORG", "org:" + slug(span_text)
    elif cut and b - a == 1 and _PROJECT_TYPE.get(kind, "PER") == "PER" and (
            own := compound_tail_type(tail)) is not None:
        span.type, span.key = own, f"{own.lower()}:{slug(span_text)}"  # "Frp-leder", "Hamar-mannen"
    else:
        # a name inside a compound the tagger called DRV: most often a person ("Ibsen-stykket")
        span.type = _PROJECT_TYPE.get(kind, "PER")
        if span.type != "PER":
            span.key = f"{span.type.lower()}:{slug(span_text)}"
    return span



def _looks_like_org(name: str) -> bool:
    """An unknown acronym ("NTB-saken" → NTB) or a word with an organisation cue is an organisation."""
    low = name.casefold()
    return (name.isupper() and 2 <= len(name) <= 6) or low.endswith(_ORG_SUFFIXES) or low in _ORG_TOKENS


def _genitive_end(text: str, start: int, end: int, last: str, seen_mid: set[str]) -> int:
    """End of a name without its genitive: Putin's → Putin; Putins / Natos → Putin / Nato when the stem is a
    known name or the article writes it without the -s."""
    stripped = _strip_genitive_marks(last)
    if stripped != last:
        return end - (len(last) - len(stripped))
    if last.endswith("s") and (len(last) > 3 or last[:-1].isupper()):
        stem = text[start : end - 1]
        if gazetteer().lookup(stem) is not None or norm(stem) in seen_mid or norm(last[:-1]) in seen_mid:
            return end - 1
    return end


def _untagged(
    text: str, sent: list[tuple[int, int]], ws: list[str], covered: list[bool], named: dict[str, Span],
    language: str | None = None,
) -> list[Span]:
    """What is found where the tagger found nothing: a word the article names elsewhere (`named`, also in the
    genitive), and from the gazetteer demonyms ("danske" → Denmark), names written with lower-case words
    ("Det hvite hus") and a known name at the head of a compound ("Nato-toppmøtet"); in English text also a
    known name in the possessive ("France's") and a word after an honorific ("Mr. Okonkwo")."""
    english = bool(content_words(language))
    g = gazetteer()
    dem = g.demonyms
    lower_dem = lowercase_demonyms()
    out: list[Span] = []
    tokens: list[tuple[int, int, str]] | None = None
    skip_to = 0
    # only capitalised words and demonyms can start a mention here: the rest of the sentence is not looked at
    for k in [k for k, w in enumerate(ws) if not covered[k] and (w[0].isupper() or w in lower_dem)]:
        if k < skip_to:
            continue
        w = ws[k]
        s, e = sent[k]
        if not w[0].isupper():
            entry = dem[w]
            out.append(Span(s, e, w, entry.type, entry.key))
            continue
        # "siger A. B. Larsen": initials and a surname the tagger left out are a person (review 5; Nordic text only,
        # English writes acronyms so: "U. S. District")
        name_end = _initials_name_end(ws, k) if language in _NORDIC and k > 0 and _is_initial(w) else None
        if name_end is not None and not any(covered[k:name_end]):
            out.append(Span(s, sent[name_end - 1][1], text[s : sent[name_end - 1][1]], "PER"))
            skip_to = name_end
            continue
        phrase = None
        if norm(w) in _phrase_index():  # most words start no gazetteer phrase: no token list for them
            if tokens is None:
                tokens = [(a, b, t) for (a, b), t in zip(sent, ws, strict=True)]
            phrase = _match_phrase(tokens, k, text)
        if phrase is not None and not any(covered[k : phrase[0]]):
            j, entry = phrase
            out.append(Span(s, sent[j - 1][1], text[s : sent[j - 1][1]], entry.type, entry.key))
            skip_to = j
            continue
        bare = _strip_genitive_marks(w)
        # "France's interior minister"; Swedish "FN:s prognos" (the colon marks a genitive in any sentence)
        if (english or w.endswith(":s")) and bare != w and (known := g.lookup(bare)) is not None:
            out.append(Span(s, s + len(bare), bare, known.type, known.key))
            continue
        # "Mr. Okonkwo": an honorific names a person; in Nordic text the lower-case ones ("siger dr. Holm")
        if (k >= 2 and ws[k - 1] == "." and ws[k - 2] in _title_lists()[0] and (english or ws[k - 2].islower())
                and not _not_a_name(bare)):
            out.append(Span(s, s + len(bare), bare, "PER"))
            continue
        same = named.get(norm(bare)) or (named.get(norm(bare[:-1])) if bare.endswith("s") else None)
        if same is not None:
            name = w[: len(same.text)]
            out.append(Span(s, s + len(name), name, same.type, same.key if same.type != "PER" else ""))
            continue
        at = _compound_cut(w)
        if at is not None:
            head = g.lookup(w[:at])
            if head is not None:
                out.append(Span(s, s + at, w[:at], head.type, head.key))
    return out


def _initials_name_end(ws: list[str], k: int) -> int | None:
    """The end (token index) of "A. B. Larsen" starting at the initial `ws[k]`: two initials or more, each with
    its full stop, then one capitalised word that is no common word; None when the tokens are not so. One
    initial is not enough: "plan B. Der var …" ends a sentence."""
    j = k
    while j + 1 < len(ws) and _is_initial(ws[j]) and ws[j + 1] == ".":
        j += 2
    if j - k < 4 or j >= len(ws) or not _is_cap(ws[j]) or len(ws[j]) < 2 or _not_a_name(ws[j]):
        return None
    return j + 1 if ws[j].casefold() not in common_words() and not is_title(ws[j]) else None


def _match_phrase(tokens: list[tuple[int, int, str]], i: int, text: str) -> tuple[int, GazEntry] | None:
    candidates = _phrase_index().get(norm(tokens[i][2]))
    if not candidates:
        return None
    for words, entry in candidates:
        j = i + len(words)
        if (
            j <= len(tokens)
            and all(norm(tokens[i + k][2]) == w for k, w in enumerate(words))
            and "\n" not in text[tokens[i][0] : tokens[j - 1][1]]
        ):
            return j, entry
    return None


def _strip_genitive_marks(tok: str) -> str:
    """Belarus' → Belarus, Putin's → Putin (unambiguous marks only; the -s genitive needs context)."""
    if tok.endswith(("'s", "’s", ":s")):  # ":s": Swedish, after an abbreviation ("FN:s")
        return tok[:-2]
    if tok.endswith(("'", "’")):
        return tok[:-1]
    return tok


def _compound_cut(tok: str) -> int | None:
    """Where a hyphen compound's lower-case tail starts: "Nato-toppmøtet" → 4. Short tails ("Jong-un") and
    capitalised ones ("Hans-Christian") are part of the name."""
    if "-" not in tok:  # most words: no compound to cut
        return None
    for m in _HYPHEN_RE.finditer(tok):
        tail = tok[m.end() :]
        if tail[0].islower() and len(tail) >= 4:
            return m.start()
    return None


def _assign_keys(spans: list[Span]) -> Mentions:
    """Person keys (`keys.assign_person_keys`), then the entities and the titles written before persons."""
    assign_person_keys(spans)
    out = Mentions()
    for sp in spans:
        if sp.type == "PER" and sp.title:
            out.titles.append(TitleMention(sp.title, sp.key, sp.start))
        out.entities.append(Entity(sp.text, sp.type, sp.key, sp.start, sp.end))
    return out
