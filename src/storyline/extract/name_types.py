"""What type a name is, where the tagger's reading of one mention is not enough: passes over all of an article's
spans that retype a name from its other mentions and the words around it (`entities.find_mentions` runs them in
order, after every span is found):

  * a single word read as a place that is the surname of a person named in full is that person, a single "person"
    ending in a Nordic street or hill word is a place, a multi-word "person" ending in an organisation head is an
    organisation, one opening with an operation word is an event (`persons_named_as_places`, ...);
  * one name, one type per article: every mention votes (`one_type_per_name`).
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from storyline.extract.names import all_first_names, gazetteer, load_json, norm, slug
from storyline.extract.spans import Span, compound_tail_type, endings, full_name_surnames, word_list

_LOCATIVE = frozenset(word_list("org_cues.json", "locative"))


def persons_named_as_places(spans: list[Span]) -> None:
    """A single word the tagger called a person but the gazetteer a place is the person when the article names
    a person in full with it as surname: "Bush" after "George Bush" (review 5: a city's alternate name)."""
    surnames = full_name_surnames(spans)
    for sp in spans:
        if sp.type == "LOC" and sp.kind == "PER" and " " not in sp.text and norm(sp.text) in surnames:
            sp.type, sp.key = "PER", ""


def places_named_as_persons(spans: list[Span]) -> None:
    """A single word the tagger called a person that ends in a Nordic street, square, park or mountain word
    (data/name_heads.json `nordic_loc_suffixes`: Holmenkollen, Speditørvej) is a place, unless the article names
    a person with it as surname."""
    suffixes = endings("nordic_loc_suffixes")
    surnames = full_name_surnames(spans)
    for sp in spans:
        low = sp.text.casefold()
        if sp.type != "PER" or " " in sp.text or norm(sp.text) in surnames or sp.text in all_first_names():
            continue
        if any(low.endswith(suf) and len(low) >= len(suf) + 3 for suf in suffixes):
            sp.type, sp.key = "LOC", "loc:" + slug(sp.text)


@lru_cache(maxsize=8)
def _person_org_heads(language: str | None) -> tuple[tuple[str, ...], frozenset[str], frozenset[str]]:
    """Organisation heads for persons' spans in `language` (data/name_heads.json `person_org_heads`): compound
    endings and whole words (the language's own plus `any`, case-folded), and company forms compared as written.
    An unknown language gets `any` and the company forms only."""
    table = load_json("name_heads.json")["person_org_heads"]
    assert isinstance(table, dict)
    own = table.get(language or "", {"suffixes": [], "words": []})
    suffixes = tuple(str(w) for w in own["suffixes"])
    words = frozenset(str(w) for part in (own, table["any"]) for w in part["words"])
    return suffixes, words, frozenset(map(str, table["unambiguous"]))


def organisations_named_as_persons(spans: list[Span], language: str | None) -> None:
    """A span of several words the tagger called a person (it learnt that runs of capitalised words are mostly
    people) is an organisation when its last word is an organisation head of the article's language: a compound
    ending ("… Idrettsforening", "… Arbeiderparti") or a head word ("Gode Bakeri", "Animal Liberation Front",
    "Daily Mirror"), or a school word ("Lyngvik Gymnas"; a school the tagger read as a place stays one: NorNE
    marks schools as places). Not after a first name ("Anna Front" is a person), except for company
    forms ("Ole Olsen AS"). A span opening with an institution word ("Helse Sør", "Statens …") is one too."""
    suffixes, words, company = _person_org_heads(language)
    openers, schools = _org_name_words()
    firsts = all_first_names()
    for sp in spans:
        if sp.type != "PER" or " " not in sp.text:
            continue
        first, last = sp.text.split(" ", 1)[0], sp.text.rsplit(" ", 1)[1]
        low = last.casefold()
        head = low in words or low.endswith(suffixes) or low in schools
        if last in company or (head and first not in firsts) or first.casefold() in openers:
            sp.type, sp.key = "ORG", "org:" + slug(sp.text)


@lru_cache(maxsize=1)
def _org_name_words() -> tuple[frozenset[str], frozenset[str]]:
    """Words opening an institution's name ("Helse Sør") and words ending a school's ("Lyngvik Gymnas"):
    data/name_heads.json `org_first` and `institution_heads`."""
    return frozenset(word_list("name_heads.json", "org_first")), frozenset(word_list("name_heads.json",
                                                                                        "institution_heads"))


@lru_cache(maxsize=1)
def _appositionendings() -> tuple[str, ...]:
    return tuple(word_list("org_cues.json", "apposition"))


_SENTENCE_START_RE = re.compile(r"(?:^|[.!?:»”\"]\s+|\n\s*)\Z")
_GENITIVE_HEAD_RE = re.compile(r"('s|’s|s|')? +([^\W\d_]+)")
_TAIL_RE = re.compile(r"-([^\W\d_]+)")
# Weights of one mention's vote on its name's type (`one_type_per_name`): a cue in the text around the mention
# outweighs the tagger's bare reading, and the name part of a compound only counts where nothing else speaks. A
# compound's tail is a weaker cue: "Vika-jentene" reads as girls from a place, but Vika is the club they play for.
_CUE_VOTE, _TAIL_VOTE, _TAGGER_VOTE, _COMPOUND_VOTE = 3.0, 1.5, 1.0, 0.25


def one_type_per_name(spans: list[Span], text: str, english: bool = False) -> None:
    """One name, one type per article, so its mentions share one key. A real-news review found a name typed
    apart inside one article: "Nintendo" an organisation but "Nintendo-fans" a person, "Nordfisk" an
    organisation but "Nordfisk-hovedkvarter" a person, "Lyngvik-elevane" a person beside "på Lyngvik", the
    demo's alliance a person in one mention and an organisation in the next. Every mention of a name (the same
    text, case-folded) votes for a type. The tagger's readings of it count 1 + ln(n) together: one word read
    alike n times is one piece of evidence. A cue counts three times each: a title before a person, a full name
    opening with a first name, a single word that is the surname of a person the article names in full; a
    lower-case organisation noun right before the name ("forsvarsalliansen Nordef", "trioen Rush",
    data/org_cues.json `apposition`); the name in the genitive before an organisation's head ("Sparviks vd",
    `genitive_heads`); an organisation word in a compound's tail ("Tea Party-bevegelsen"). A tail that typed the
    name otherwise ("Strandvik-supportere", data/name_heads.json `compound_tails`) counts 1.5. The name part of
    a compound without such a cue counts a quarter (the tagger reads most capitalised words before a hyphen as
    persons). A cue votes for its own type whatever the tagger called that mention, so a name the tagger read as
    a person in every mention is still an organisation after "alliansen". The winner types every mention the
    gazetteer does not know and no cue of its own backs (`_own_cue`); a tie changes nothing. In English text
    (`english`) only a cue decides: the tagger learnt from Nordic corpora, and its majority reading of an English
    name is often wrong (ECB+: a mob boss read as a place in 9 of 13 mentions). Only the article's own mentions
    count, so an article reads the same in any chunk."""
    groups: dict[str, list[Span]] = {}
    for sp in spans:
        if sp.type in ("PER", "ORG", "LOC", "MISC"):
            groups.setdefault(sp.text.casefold(), []).append(sp)
    g = gazetteer()
    # surnames of full names that open with a known first name: a tagger's multi-word "person" is not enough
    # ("… Opteron AMD" would make the company a person)
    firsts = all_first_names()
    surnames = {norm(sp.text.rsplit(" ", 1)[1]) for sp in spans
                if sp.type == "PER" and " " in sp.text and sp.text.split(" ", 1)[0] in firsts}
    for group in groups.values():
        votes: dict[str, float] = {}
        bare: dict[str, int] = {}
        cast = [_vote(sp, text, surnames) for sp in group]
        for kind, weight in cast:
            if weight == _TAGGER_VOTE:
                bare[kind] = bare.get(kind, 0) + 1
            else:
                votes[kind] = votes.get(kind, 0.0) + weight
        for kind, n in bare.items():
            # the tagger reads one word alike wherever it stands: its readings of a name are one piece of
            # evidence repeated, not n pieces ("Sparvik" a person five times, "Sparviks vd" once)
            votes[kind] = votes.get(kind, 0.0) + _TAGGER_VOTE * (1.0 + math.log(n))
        if len(votes) < 2 and all(sp.type in votes for sp in group):
            continue
        ranked = sorted(votes.items(), key=lambda tv: -tv[1])
        if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
            continue
        winner = ranked[0][0]
        if english and not any(kind == winner and weight > _TAGGER_VOTE for kind, weight in cast):
            continue
        key = next((sp.key for sp in group if sp.type == winner and sp.key), "")
        for sp, own in zip(group, cast, strict=True):
            if sp.type != winner and g.lookup(sp.text) is None and not _own_cue(sp, text, own, winner):
                sp.type = winner
                sp.key = "" if winner == "PER" else key or f"{winner.lower()}:{slug(sp.text)}"


def _own_cue(sp: Span, text: str, vote: tuple[str, float], winner: str) -> bool:
    """Whether the text around a mention backs its own type against `winner`, so the vote leaves it: one
    article may name two things alike (the person Ola Bø and "kommunestyret i Bø"). A place after a
    locative word ("i Vinje", "fra Stranda") stays a place rather than become a person, but casts no vote and
    yields to an organisation: "direktør i Vestlandsnett", "leiar i Venstre". `vote`: the mention's own."""
    kind, weight = vote
    if weight == _CUE_VOTE:
        return kind == sp.type
    return winner == "PER" and sp.type == "LOC" and _word_before(text, sp.start)[0] in _LOCATIVE


def _word_before(text: str, start: int) -> tuple[str, int]:
    """The word (letters only) that ends before the spaces right before `start`, and where it starts; "" where
    no space or no word stands there ("«Nordef", "2024 Nordef")."""
    end = start
    while end > 0 and text[end - 1] in " \t":
        end -= 1
    begin = end
    while begin > 0 and end - begin < 40 and text[begin - 1].isalpha():
        begin -= 1
    return (text[begin:end], begin) if end < start else ("", start)


def _organisation_noun_before(sp: Span, text: str) -> bool:
    """A lower-case organisation noun right before the mention ("forsvarsalliansen Nordef"), or one capitalised
    because it opens a sentence ("Spillselskapet Glimtora la fram …"); mid-sentence a capitalised one is a name
    of its own ("generalsekretær i Båtforbundet Torstein Vik")."""
    noun, at = _word_before(text, sp.start)
    if not noun or not noun.casefold().endswith(_appositionendings()):
        return False
    return noun.islower() or (noun[1:].islower() and _SENTENCE_START_RE.search(text, max(0, at - 4), at) is not None)


def _organisation_head_after(sp: Span, text: str) -> bool:
    """The mention in the genitive before a title that heads an organisation ("Sparviks vd", "Nordef's chief
    executive"; data/org_cues.json `genitive_heads`)."""
    after = _GENITIVE_HEAD_RE.match(text, sp.end)
    if after is None or not (after.group(1) or sp.text.endswith("s")):
        return False
    return after.group(2).casefold() in _genitive_heads()


@lru_cache(maxsize=1)
def _genitive_heads() -> frozenset[str]:
    return frozenset(word_list("org_cues.json", "genitive_heads"))


def _vote(sp: Span, text: str, surnames: set[str]) -> tuple[str, float]:
    """The type one mention votes for and the vote's weight; `surnames`: of the persons named in full."""
    if sp.type == "PER" and (sp.title or (" " not in sp.text and norm(sp.text) in surnames)
                             or (" " in sp.text and sp.text.split(" ", 1)[0] in all_first_names())):
        return "PER", _CUE_VOTE
    if sp.type == "ORG" and sp.cue_org:
        return "ORG", _CUE_VOTE
    if _organisation_noun_before(sp, text) or _organisation_head_after(sp, text):
        return "ORG", _CUE_VOTE
    tail = _TAIL_RE.match(text, sp.end) if sp.compound else None
    if tail is not None and compound_tail_type(tail.group(1)) == sp.type:
        return sp.type, _TAIL_VOTE  # "Strandvik-supportere", "Hamar-mannen": the tail said what the name is
    return sp.type, _COMPOUND_VOTE if sp.compound else _TAGGER_VOTE


@lru_cache(maxsize=1)
def _event_openers() -> frozenset[str]:
    words = load_json("name_heads.json")["event_first"]
    assert isinstance(words, list)
    return frozenset(map(str, words))


def events_named_as_persons(spans: list[Span]) -> None:
    """A span of several words opening with an operation or exercise word (data/name_heads.json `event_first`:
    "Operation Nordvakt", "Operasjonen Nordvakt") names an event, not the person or organisation the tagger read
    in a capitalised pair; a gazetteer name keeps its type."""
    openers = _event_openers()
    for sp in spans:
        if sp.type in ("PER", "ORG", "LOC") and " " in sp.text and sp.text.split(" ", 1)[0].casefold() in openers \
                and gazetteer().lookup(sp.text) is None:
            sp.type, sp.key = "MISC", "misc:" + slug(sp.text)
