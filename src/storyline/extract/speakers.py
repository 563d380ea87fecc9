"""Who said it: speaker phrases next to a verb of saying, and what they refer to.

A speaker phrase is a name ("sier Kari Nordmann", "sier administrerende direktør Kari Nordmann i X"), a title
("sier ministeren", "lyder det fra sportsdirektøren", "Polens president") or a pronoun ("sa hun"). It resolves
to a person of the article:
  * a name to the entity mention it overlaps;
  * a title to the person most recently written with a matching title: before the name ("fiskeriminister
    Jakob Sonne" for "ministeren"), in an apposition after it ("Per Malmsten, direktør for X") or before it
    ("Ordføraren i Vardø, Berit Nyheim");
  * a pronoun to the person in focus, not simply the last name seen. Sentences are read backwards from the
    quote; the first one with a compatible candidate decides, preferring (1) the speaker of a quote in that
    sentence, (2) its subject (the first person not governed by a preposition; a subject pronoun of the
    same gender passes the question on to the sentence before), (3) the last person it mentions. A name
    whose first name has the other gender is never compatible. Why: news introduces a speaker as the
    subject of a sentence or as a newcomer at its end ("Det fikk støtte hos hans estiske kollega B."), and
    the pronoun in the next quote's cue points at them, while people mentioned as objects rarely speak next.
The speaker shown on a quote is the person's full name as written in the article ("Ingrid Solvang", not "hun").
A person written by first name alone ("Signy", "Røde Signy" in a caption) is the one person of the article whose
full name starts with that first name ("Signy Fardal"), when there is exactly one: features and interviews call
their subject by first name, and the entity finder gives the lone first name a key of its own.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache, partial
from itertools import pairwise
from typing import Literal

from storyline.extract.entities import Mentions
from storyline.extract.names import all_first_names, first_names, load_json
from storyline.extract.quote_lexicon import (
    WORD_RE,
    Word,
    coordinators,
    first_name_gender,
    indefinite,
    is_title_word,
    name_gender,
    object_pronouns,
    prepositions,
    relatives,
    sentence_spans,
    source_from,
    subject_pronouns,
    titles_match,
    weak_adjective_endings,
    words_in,
)
from storyline.models import Entity

PhraseKind = Literal["name", "title", "pronoun", "other"]
# `Word._make` without its Python-level frame: the tuple is made in C (a third cheaper, ~450 words an article)
_new_word = partial(tuple.__new__, Word)
_PARTICLES = frozenset({"von", "van", "der", "den", "de", "af", "la", "le", "al", "bin", "da", "di", "du"})
# How many sentences back a pronoun may look for its person; news re-names people more often than this.
_PRONOUN_REACH = 12
_MAX_PHRASE_WORDS = 8
# Lower-case words that are no title before a speaker's name: "den kjende svenske forfattaren Eva Berg" has
# three; after an indefinite article two ("flere lokale aviser skal Hansens …" is a clause, not a speaker).
_MAX_PLAIN_WORDS = 3
_MAX_PLAIN_WORDS_UNNAMED = 2
# "seier både pasientar og tilsette": the coordinator after "both" joins one subject, it opens no clause.
BOTH = frozenset({"både", "both"})
# "sier ministeren til NRKs Kari Holm": a name after these is who was spoken to, never the title's holder.
_ADDRESSEE_PREPOSITIONS = frozenset({"til", "till", "to", "åt"})
# Norwegian "X sin/si/sitt/sine Y" ("klubben sin trenar"): the possessor before them owns the title after them.
_POSSESSIVE_MARKERS = frozenset({"sin", "si", "sitt", "sine"})
# "25-åringen", "den 91-åriga": an age noun after its number and a hyphen names the person of that age.
_AGE_BEFORE_RE = re.compile(r"(?<!\d)(\d{1,3})-$")
_AGE_NOUNS = ("åring", "åriga", "årige", "åringa")
# "generalsekretæren" points back at one holder; "politikarane", "ministrene" (plural) and "minister" (indefinite)
# speak of the kind.
_SINGULAR_DEFINITE = ("en", "n", "et", "a")
_PLURAL_DEFINITE = ("ene", "ane", "erne", "arna", "erna", "orna", "na")
_APPOSITION_STOP_RE = re.compile(r"[,.;:\n!?]")
# Everything up to the last mark that ends the words before a name (greedy, so its match ends right after it).
_LAST_STOP_RE = re.compile(r".*[.!?\n:;«»\"”]", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Phrase:
    """A speaker as written next to the cue."""

    text: str
    start: int
    end: int
    kind: PhraseKind


@dataclass(frozen=True, slots=True)
class Speaker:
    """A resolved speaker: what to show, the entity key, and whether it is a person."""

    name: str
    key: str | None
    person: bool


@dataclass(slots=True)
class _Holder:
    title: str
    key: str
    start: int


@dataclass(slots=True)
class SpeakerContext:
    """One article's people, titles, sentences and the quotes found so far (for pronoun focus)."""

    text: str
    mentions: Mentions
    sentences: list[tuple[int, int]] = field(default_factory=list)
    persons: list[Entity] = field(default_factory=list)
    full_names: dict[str, str] = field(default_factory=dict)
    holders: list[_Holder] = field(default_factory=list)
    spoken: list[tuple[int, str]] = field(default_factory=list)  # (position, key) of quotes found so far
    # The name shown for each key in `spoken`: a speaker in focus may be no person ("skriver Fjordbladet", an outlet
    # the entity finder calls a place), and its key ("loc:fjordbladet") is no name to show on the next quote.
    spoken_names: dict[str, str] = field(default_factory=dict)
    excluded: list[tuple[int, int]] = field(default_factory=list)  # quoted text: its names are not candidates
    aliases: dict[str, str] = field(default_factory=dict)  # a first-name-only person's key -> the full name's key
    # Start of each sentence when `sentences` is in text order (paragraphs given in order), else None.
    sentence_starts: list[int] | None = None
    # Every word of the text as parallel lists (start, end, text, case-folded): `words()` and `lows()` slice them
    # instead of running the word regex again over the same stretch (the quote finders ask for the words of
    # ~50 stretches per article), and build Word tuples only for the stretches asked for.
    word_starts: list[int] = field(default_factory=list)
    word_ends: list[int] = field(default_factory=list)
    word_texts: list[str] = field(default_factory=list)
    word_lows: list[str] = field(default_factory=list)
    # The first of `persons` starting at each offset.
    person_starts: dict[int, Entity] = field(default_factory=dict)
    # The sentences of each paragraph `build` was given, as `sentence_spans` made them.
    paragraph_sentences: dict[tuple[int, int], list[tuple[int, int]]] = field(default_factory=dict)
    # Where each of `persons` ends: "is a person written right before this comma" as one set look-up.
    person_ends: frozenset[int] = frozenset()

    @classmethod
    def build(cls, text: str, paragraphs: list[tuple[int, int]], mentions: Mentions) -> SpeakerContext:
        ctx = cls(text, mentions)
        found = list(WORD_RE.finditer(text))
        ctx.word_starts, ctx.word_ends = list(map(re.Match.start, found)), list(map(re.Match.end, found))
        ctx.word_texts = list(map(re.Match.group, found))
        ctx.word_lows = list(map(str.casefold, ctx.word_texts))
        for start, end in paragraphs:
            spans = sentence_spans(text, start, end)
            ctx.paragraph_sentences.setdefault((start, end), spans)
            ctx.sentences.extend(spans)
        starts = [s for s, _ in ctx.sentences]
        ctx.sentence_starts = starts if all(a <= b for a, b in pairwise(starts)) else None
        ctx.persons = [e for e in mentions.entities if e.type == "PER"]
        ctx.person_ends = frozenset(e.end for e in ctx.persons)
        for e in reversed(ctx.persons):  # the first person mention at each offset, as `_person_at` looks it up
            ctx.person_starts[e.start] = e
        for e in ctx.persons:
            known = ctx.full_names.get(e.key)
            name = _without_role(e.text)
            if known is None or len(name.split()) > len(known.split()):
                ctx.full_names[e.key] = name
        ctx.aliases = _first_name_aliases(ctx.full_names)
        ctx.holders = [_Holder(t.title, t.key, t.start) for t in mentions.titles]
        for e in ctx.persons:
            ctx.holders.extend(_Holder(w.low, e.key, e.start) for w in ctx._title_words_around(e))
        ctx.holders.sort(key=lambda h: h.start)
        return ctx

    def words(self, start: int, end: int, last: int | None = None) -> list[Word]:
        """`words_in(self.text, start, end)`, from the article's words (`last`: only the last that many).

        The word regex has no look-around, so the words of a stretch are the text's words inside it, except at
        a cut: a word running across `end` is matched up to `end` (matched again here, from its start), and one
        running across `start` is matched from `start` (the stretch is then matched as `words_in` would)."""
        cut = self._slice(start, end)
        if cut is None or (last is not None and cut[2] is not None):
            found = words_in(self.text, start, end)
            return found if last is None else found[-last:] if last else []
        lo, hi, tail = cut
        if last is not None:
            lo = max(lo, hi - last)
        made = list(map(_new_word, zip(self.word_starts[lo:hi], self.word_ends[lo:hi], self.word_texts[lo:hi],
                                       self.word_lows[lo:hi], strict=True)))
        return made if tail is None else made + words_in(self.text, tail, end)

    def lows(self, start: int, end: int) -> list[str]:
        """The case-folded texts of `words(start, end)`."""
        cut = self._slice(start, end)
        if cut is None:
            return [w.low for w in words_in(self.text, start, end)]
        lo, hi, tail = cut
        return self.word_lows[lo:hi] if tail is None else self.word_lows[lo:hi] + [
            w.low for w in words_in(self.text, tail, end)]

    def _slice(self, start: int, end: int) -> tuple[int, int, int | None] | None:
        """The article's words wholly inside `text[start:end]` as an index range, and where a word cut by `end`
        starts (None when none is); None when a word runs across `start`."""
        starts, ends = self.word_starts, self.word_ends
        lo = bisect.bisect_left(starts, start)
        if lo and ends[lo - 1] > start:
            return None
        hi = bisect.bisect_left(starts, end, lo)
        if hi > lo and ends[hi - 1] > end:
            return lo, hi - 1, starts[hi - 1]
        return lo, hi, None

    def sentences_of(self, start: int, end: int) -> list[tuple[int, int]]:
        """`sentence_spans(self.text, start, end)`: for a paragraph given to `build`, the spans it made then."""
        found = self.paragraph_sentences.get((start, end))
        return list(found) if found is not None else sentence_spans(self.text, start, end)

    def sentences_within(self, start: int, end: int) -> list[tuple[int, int]]:
        """The sentences inside `text[start:end]`, in the order of `sentences` (found by bisection when it is
        in text order: scanning them all for every paragraph made this quadratic in the article's length)."""
        if self.sentence_starts is None:
            return [(s, e) for s, e in self.sentences if s >= start and e <= end]
        lo, hi = bisect.bisect_left(self.sentence_starts, start), bisect.bisect_left(self.sentence_starts, end)
        return [(s, e) for s, e in self.sentences[lo:hi] if e <= end]

    # --- reading phrases -------------------------------------------------------------------------------

    def phrase_after(self, pos: int, limit: int) -> Phrase | None:
        """The speaker phrase that starts at `pos` (right after a verb of saying), up to `limit`."""
        ws = self.words(pos, limit)
        i = 0
        if len(ws) >= 2 and ws[0].low == "det" and ws[1].low in source_from():
            i = 2  # "lyder det fra sportsdirektøren"
        if i < len(ws) and ws[i].low in subject_pronouns():
            return Phrase(ws[i].text, ws[i].start, ws[i].end, "pronoun")
        if i == 0 and len(ws) >= 3 and ws[0].low in _impersonal() and ws[1].low in prepositions():
            # "heter det i pressemeldingen": a formal subject; the text that says it is the source
            return Phrase(ws[2].text, ws[2].start, ws[2].end, "other")
        return self._noun_phrase(ws, i)

    def _noun_phrase(self, ws: list[Word], i: int) -> Phrase | None:
        """Descriptors, then a name ("enhedschef Maria Thygesen") or, failing that, the last title word; stops
        at a comma or a preposition ("sier Kari Nordmann i X" → Kari Nordmann). After an indefinite article ("sa
        en talsperson for kommunen") the speaker is unnamed: a title there is nobody's title."""
        last_title: Word | None = None
        unnamed = i < len(ws) and ws[i].low in indefinite()
        plain = 0  # lower-case words that are no title: three of them are a clause, not a speaker's descriptors
        j = i
        while j < len(ws) and j < i + _MAX_PHRASE_WORDS:
            w = ws[j]
            if j > i and "," in self.text[ws[j - 1].end : w.start]:
                break
            if w.cap and not _descriptor_compound(w.text):
                run_end = self._name_run_end(ws, j)
                nxt = ws[run_end] if run_end < len(ws) else None
                last = ws[run_end - 1]
                if (
                    nxt is not None
                    and _genitive(last.text)
                    and (not nxt.cap or _descriptor_compound(nxt.text))
                    and nxt.low not in prepositions()
                    and nxt.start - last.end == 1
                    and self._title_follows(ws, run_end)
                ):
                    # "Polens president", "Sparviks administrerende direktør", "Den Nye Banks formand" (a name of
                    # several words, review 5): a possessor, not the speaker
                    j = run_end
                    continue
                if nxt is not None and nxt.low in _POSSESSIVE_MARKERS and self._title_follows(ws, run_end + 1):
                    j = run_end + 1  # "Fjordbyen IL sin klubbsjef Ola Dahl": the club owns the title
                    continue
                owned = self._owned_noun(ws, j, run_end)
                if owned is not None:
                    return owned
                return Phrase(self.text[w.start : ws[run_end - 1].end], w.start, ws[run_end - 1].end, "name")
            if w.low in prepositions():
                if last_title is not None and not unnamed and w.low not in _ADDRESSEE_PREPOSITIONS:
                    named = self._name_after_modifier(ws, j)  # "direktør i Finanstilsynet, Kari Dahl"
                    if named is not None:
                        return named
                break
            both = w.low in coordinators() and ws[i].low in BOTH and j > i + 1 and all(
                x.low not in coordinators() for x in ws[i + 1 : j])  # "både pasientar og tilsette"
            if j > i and (w.low in relatives() or w.low in coordinators()) and not ws[j - 1].text.endswith("-") \
                    and not both:
                # "pensjonisten som selv bor …", "manden og gik …": a clause, not the speaker ("miljø- og
                # utviklingsminister" is one title)
                break
            if is_title_word(w.text) or _descriptor_compound(w.text):
                last_title = w
            elif (j > i or not unnamed) and not both and w.low not in BOTH:
                plain += 1
                if plain > (_MAX_PLAIN_WORDS_UNNAMED if unnamed else _MAX_PLAIN_WORDS) and not (
                        unnamed and self._clause_ends_after(ws, j)):
                    break  # "sade en anonym syrisk säkerhetskälla.": a noun ending the clause is still its head
            j += 1
        if last_title is not None and not unnamed:
            appositive = self._apposition_name(last_title.end)
            if appositive is not None:
                return appositive
            return Phrase(last_title.text, last_title.start, last_title.end, "title")
        if j > i:
            other = Phrase(self.text[ws[i].start : ws[j - 1].end], ws[i].start, ws[j - 1].end, "other")
            return self._apposition_after(other, ws, j) or other
        return None

    def _clause_ends_after(self, ws: list[Word], j: int) -> bool:
        """Whether word `j` is the last of its clause: the last word read, or punctuation follows it."""
        return j + 1 >= len(ws) or bool(self.text[ws[j].end : ws[j + 1].start].strip())

    def _owned_noun(self, ws: list[Word], j: int, run_end: int) -> Phrase | None:
        """"seier Nordavisas kjelde.": a name in the genitive before a lower-case noun that ends the clause
        owns the speaker, it is not the speaker; the whole phrase is shown, an unnamed source with no key (a
        title there is handled by the caller: "Polens president"). Only after a name the entity finder read in
        the genitive ("Klassekampens" → Klassekampen), not a name ending in -s before an adverb ("seier Lars
        roleg.")."""
        if run_end != j + 1 or run_end >= len(ws) or not _genitive(ws[j].text):
            return None
        owner = next((e for e in self.mentions.entities if e.start == ws[j].start), None)
        if owner is None or (owner.type == "PER" and owner.end >= ws[j].end):
            return None
        noun = ws[run_end]
        if noun.cap or noun.start - ws[j].end != 1 or not self._clause_ends_after(ws, run_end):
            return None
        if noun.low in prepositions() or noun.low in coordinators() or noun.low in relatives():
            return None
        # a role like a title (a cue may stand on it alone, as on "sier direktøren"), held by nobody named
        return Phrase(self.text[ws[j].start : noun.end], ws[j].start, noun.end, "title")

    def _name_after_modifier(self, ws: list[Word], j: int) -> Phrase | None:
        """The person a title introduces after its prepositional modifier: "direktør i Finanstilsynet, Kari
        Dahl", "formand for Havneudvalget, Jens Kromann", "kommunikasjonsdirektør i Statkraft Richard Berg".
        The name comes after a comma (title words between are skipped: "chefen for X, oberst Jens Holm") or is
        a person mention (or a known first name) right after the organisation; any other punctuation ends it."""
        for m in range(j + 1, min(len(ws), j + 1 + _MAX_PHRASE_WORDS)):
            gap = self.text[ws[m - 1].end : ws[m].start]
            if gap.strip(" ,-"):
                return None
            if "," in gap:
                k = m
                while k < len(ws) and not ws[k].cap and is_title_word(ws[k].text):
                    k += 1
                if k >= len(ws) or not ws[k].cap or self._person_at(ws[k].start) is None:
                    return None
                end = self._name_run_end(ws, k)
                return Phrase(self.text[ws[k].start : ws[end - 1].end], ws[k].start, ws[end - 1].end, "name")
            first_name = ws[m].text in all_first_names() and self._person_covering(ws[m].start)
            after_organisation = m > j + 1 and self._person_at(ws[m].start) is not None
            if ws[m].cap and (first_name or after_organisation):
                end = self._name_run_end(ws, m)
                return Phrase(self.text[ws[m].start : ws[end - 1].end], ws[m].start, ws[end - 1].end, "name")
        return None

    def _title_follows(self, ws: list[Word], k: int) -> bool:
        """A title among the lower-case words from `ws[k]` on, before a name, a comma or a preposition: "Norges
        nya kristdemokratiska minister Eldar Rustad" puts two adjectives between the possessor and the title, so
        the next two words alone were not enough to see that "Norges" owns the title. Past the first word, only
        weak adjectives (the form a genitive asks for) may come before the title: "SVT:s uppgifter kommer
        generalsekreteraren" is a clause."""
        for m in range(k, min(len(ws), k + _MAX_PLAIN_WORDS + 1)):
            w = ws[m]
            if m > k and self.text[ws[m - 1].end : w.start] != " ":
                return False
            if is_title_word(w.text) or _descriptor_compound(w.text):
                return True
            if w.cap or w.low in prepositions() or (m > k and not w.low.endswith(weak_adjective_endings())):
                return False
        return False

    def _apposition_after(self, other: Phrase, ws: list[Word], j: int) -> Phrase | None:
        """"fortæller en af arrangørerne, arkitekt Lone Vig": an unnamed descriptor, then the
        person's name (with its title) after a comma."""
        k = next((m for m in range(j, min(len(ws), j + 4)) if "," in self.text[ws[m - 1].end : ws[m].start]), None)
        if k is None:
            return None
        while k < len(ws) and not ws[k].cap and is_title_word(ws[k].text):
            k += 1
        if k >= len(ws) or self._person_at(ws[k].start) is None:
            return None
        end = self._name_run_end(ws, k)
        return Phrase(self.text[ws[k].start : ws[end - 1].end], ws[k].start, ws[end - 1].end, "name")

    def _name_run_end(self, ws: list[Word], j: int) -> int:
        k = j + 1
        while k < len(ws) and (self.text[ws[k - 1].end : ws[k].start] == " " or (
                # an initial's full stop goes on in the name: "H.C. Holm", "A. B. Lund" (review 5)
                self.text[ws[k - 1].end : ws[k].start] in (".", ". ") and len(ws[k - 1].text) == 1
                and ws[k - 1].text.isupper() and ws[k].cap)):
            if ws[k].cap and not _descriptor_compound(ws[k].text):  # "Islands Oslo-ambassadør"
                k += 1
            elif ws[k].low in _PARTICLES and k + 1 < len(ws) and ws[k + 1].cap:
                k += 2
            else:
                break
        return k

    def _apposition_name(self, pos: int) -> Phrase | None:
        """", Kari Nordmann" right after a title: the title introduces the name."""
        rest = self.text[pos : pos + 3]
        if not rest.startswith(", "):
            return None
        ws = self.words(pos + 2, min(len(self.text), pos + 80))
        if not ws or not ws[0].cap or ws[0].start != pos + 2:
            return None
        end = self._name_run_end(ws, 0)
        if not any(e.start <= ws[0].start < e.end for e in self.persons):
            return None
        return Phrase(self.text[ws[0].start : ws[end - 1].end], ws[0].start, ws[end - 1].end, "name")

    def phrase_before(self, ws: list[Word], apposition: bool = False) -> Phrase | None:
        """The speaker phrase that ends right before a verb ("she said", "Stoltenberg said", "the minister
        said"): `ws` are the words between the quote and the verb. A person's name opening them keeps the
        speaker when an apposition (`apposition`: "Tom Hallett, chairman of X, said") or a prepositional
        modifier ("Tom Hallett of X said") follows it: the organisation named last is where they work."""
        if not ws:
            return None
        leading = self._leading_person(ws, apposition)
        if leading is not None or apposition:
            return leading
        if len(ws) > 6:
            return None
        last = ws[-1]
        if last.low in subject_pronouns():
            return Phrase(last.text, last.start, last.end, "pronoun") if len(ws) == 1 else None
        if last.cap:
            k = len(ws) - 1
            while k > 0 and (ws[k - 1].cap or ws[k - 1].low in _PARTICLES) and not is_title_word(ws[k - 1].text):
                k -= 1
            return Phrase(self.text[ws[k].start : last.end], ws[k].start, last.end, "name")
        if is_title_word(last.text):
            return Phrase(last.text, last.start, last.end, "title")
        return None

    def _leading_person(self, ws: list[Word], apposition: bool) -> Phrase | None:
        """The person named by the first words of `ws` when the rest is an apposition after a comma or a
        modifier opened by a preposition; None when the words do not open with a person's name."""
        if not ws[0].cap or self._person_at(ws[0].start) is None:
            return None
        end = self._name_run_end(ws, 0)
        if end >= len(ws):
            return None
        after = self.text[ws[end - 1].end : ws[end].start]
        if apposition != ("," in after):
            return None
        if not apposition and ws[end].low not in prepositions():
            return None
        return Phrase(self.text[ws[0].start : ws[end - 1].end], ws[0].start, ws[end - 1].end, "name")

    def subject(
        self, sent_start: int, verb: Word, verb_end: int, before: list[Word] | None = None
    ) -> Phrase | None:
        """The subject of a verb of saying in a narrative sentence: inverted right after it ("Der innrømmet han
        at", "I går sa Hansen at"), the antecedent of "som", or the first person not governed by a preposition
        before it; failing those a pronoun or a title before it. `before`: the words from `sent_start` to the
        verb when the caller has them (the list `words` gives; quoted words in it are left out here either way)."""
        if before is None:
            before = self.words(sent_start, verb.start)
        # only quoted stretches reaching into the words before the verb can hold one of them (none found yet: none)
        quoted = [(s, e) for s, e in self.excluded if s < verb.start and e > sent_start]
        if quoted:
            before = [w for w in before if not any(s <= w.start < e for s, e in quoted)]
        subject_first = bool(before) and (self._person_at(before[0].start) is not None or before[0].low in
                                          subject_pronouns())
        # the words after the verb are read only when the subject does not open the sentence
        after = [] if subject_first else self.words(verb_end, min(len(self.text), verb_end + 60))
        if after and after[0].start - verb_end == 1 and not subject_first:
            nxt = after[0]
            if nxt.low in subject_pronouns():
                return Phrase(nxt.text, nxt.start, nxt.end, "pronoun")
            person = self._person_at(nxt.start)
            if person is not None:
                return Phrase(person.text, person.start, person.end, "name")
            if is_title_word(nxt.text) and not nxt.cap:
                named = self._noun_phrase(after, 0)  # "säger generalen Omar Haddad att"
                person = self._person_at(named.start) if named is not None and named.kind == "name" else None
                if person is not None:  # the whole mention: `after` may cut a long phrase's name short
                    return Phrase(person.text, person.start, person.end, "name")
                return Phrase(nxt.text, nxt.start, nxt.end, "title")
        if before and before[-1].low in relatives():
            antecedents = [e for e in self.persons if sent_start <= e.start < before[-1].start]
            if antecedents:
                e = antecedents[-1]
                return Phrase(e.text, e.start, e.end, "name")
        for k, w in enumerate(before):
            person = self._person_at(w.start)
            if person is None or self._possessor(person):
                continue
            if k == 0 or before[k - 1].low not in prepositions():
                return Phrase(person.text, person.start, person.end, "name")
        for k, w in enumerate(before):
            if w.low in subject_pronouns() and (k == 0 or before[k - 1].low in coordinators()):
                return Phrase(w.text, w.start, w.end, "pronoun")
        for w in before[:3]:
            if is_title_word(w.text) and w.low not in prepositions():
                return Phrase(w.text, w.start, w.end, "title")
        return None

    def according_phrase(self, ws: list[Word], i: int) -> tuple[Phrase, int] | None:
        """After "ifølge"/"enligt"/"according to": the source and the index of the first word of the clause
        ("Ifølge stiftelsens direktør, Per Malmsten, kan …" → Per Malmsten, "kan")."""
        if i >= len(ws):
            return None
        first = ws[i]
        if first.low in object_pronouns():
            return Phrase(first.text, first.start, first.end, "pronoun"), i + 1
        phrase = self._noun_phrase(ws, i)
        if phrase is None or phrase.kind == "other":
            return None
        j = next((k for k, w in enumerate(ws) if w.start >= phrase.end), len(ws))
        if phrase.kind == "title":
            appositive = self._apposition_name(phrase.end)
            if appositive is not None:
                phrase = appositive
                j = next((k for k, w in enumerate(ws) if w.start >= phrase.end), len(ws))
        if j < len(ws) and ws[j].low in prepositions() and "," not in self.text[phrase.end : ws[j].start]:
            # "Ifølge Kari Holm fra foreningen Åpen By er …": skip the modifier up to its name or a comma
            k = j + 1
            while k < len(ws) and k <= j + 3 and not ws[k].cap and "," not in self.text[ws[k - 1].end : ws[k].start]:
                k += 1
            if k < len(ws) and "," in self.text[ws[k - 1].end : ws[k].start]:
                j = k
            elif k < len(ws) and ws[k].cap:
                j = self._name_run_end(ws, k)
        if phrase.kind == "title" and 0 < j < len(ws) and "," in self.text[ws[j - 1].end : ws[j].start]:
            appositive = self._apposition_name(ws[j - 1].end)  # "Ifølge sjefen for X, Lars Hov, kan …"
            if appositive is not None:
                phrase = appositive
                j = next((k for k, w in enumerate(ws) if w.start >= phrase.end), len(ws))
        return phrase, j

    # --- resolving -------------------------------------------------------------------------------------

    def resolve(self, phrase: Phrase, at: int) -> Speaker:
        """What a phrase refers to; `at` is where the quote (or the clause) begins."""
        said = self._resolve(phrase, at)
        if said.key is not None and said.key in self.aliases:
            key = self.aliases[said.key]
            return Speaker(self.full_names[key], key, True)
        return said

    def person(self, key: str) -> Speaker:
        """The speaker shown for a person's key (a first-name alias leads to the full name)."""
        key = self.aliases.get(key, key)
        return Speaker(self.full_names.get(key) or self.spoken_names.get(key, key), key, True)

    def remember(self, start: int, key: str | None, name: str | None) -> None:
        """A quote found at `start` whose speaker has `key`: that speaker is in focus from here on."""
        if key is not None:
            self.spoken.append((start, key))
            if name:
                self.spoken_names.setdefault(key, name)

    def _resolve(self, phrase: Phrase, at: int) -> Speaker:
        if phrase.kind == "name":
            return self._resolve_name(phrase)
        if phrase.kind == "title":
            key = self._title_holder(phrase.text, at)
            if key is not None:
                return Speaker(self.full_names.get(key, phrase.text), key, True)
            return Speaker(phrase.text, None, False)
        if phrase.kind == "pronoun":
            low = phrase.text.casefold()
            gender = subject_pronouns().get(low) or object_pronouns().get(low, "neutral")
            key = self.focus(gender, at)
            if key is not None:
                return Speaker(self.full_names.get(key, phrase.text), key, True)
        age = _AGE_BEFORE_RE.search(self.text, max(0, phrase.start - 4), phrase.start)
        if age is not None and phrase.text.casefold().startswith(_AGE_NOUNS):
            return self._age_holder(age.group(1), phrase)
        return Speaker(phrase.text, None, False)

    def _age_holder(self, age: str, phrase: Phrase) -> Speaker:
        """"sier 25-åringen": the person written with that age ("Kari Holm (25)") before it; the word regex
        leaves the digits out, so the phrase shown gets them back when no such person is found."""
        pattern = re.compile(rf"\s*\({age}\)")
        holders = [e for e in self.persons if e.start < phrase.start and pattern.match(self.text, e.end)]
        if holders:
            return self.person(holders[-1].key)
        return Speaker(f"{age}-{phrase.text}", None, False)

    def _resolve_name(self, phrase: Phrase) -> Speaker:
        overlapping = [e for e in self.mentions.entities if e.start < phrase.end and phrase.start < e.end]
        person = next((e for e in overlapping if e.type == "PER"), None)
        if person is not None:
            return Speaker(self.full_names.get(person.key, person.text), person.key, True)
        if overlapping:
            e = overlapping[0]
            return Speaker(e.text, e.key, False)
        same = next((e for e in self.persons if e.text == phrase.text), None)
        if same is not None:
            return Speaker(self.full_names.get(same.key, same.text), same.key, True)
        return Speaker(phrase.text, None, False)

    def titled(self, start: int, end: int) -> set[str]:
        """The people that title words in text[start:end] refer back to ("generalsekretæren" for "generalsekretær
        Kofi Larsen" written before)."""
        return {key for w in self.words(start, end)
                if not w.cap and w.low.endswith(_SINGULAR_DEFINITE) and not w.low.endswith(_PLURAL_DEFINITE)
                and is_title_word(w.text) and (key := self._title_holder(w.text, start)) is not None}

    def _title_holder(self, word: str, at: int) -> str | None:
        best: str | None = None
        for h in self.holders:
            if h.start >= at:
                break
            if titles_match(word, h.title):
                best = h.key
        return best

    def focus(self, gender: str, at: int, avoid: frozenset[str] = frozenset()) -> str | None:
        """The person a pronoun of `gender` at offset `at` most likely refers to (see the module docstring);
        never one of `avoid`."""
        if gender == "plural" or not self.sentences:
            return None
        idx = bisect.bisect_right([s for s, _ in self.sentences], at) - 1
        for s in range(idx, max(-1, idx - _PRONOUN_REACH), -1):
            lo, hi = self.sentences[s]
            hi = min(hi, at)
            if hi <= lo:
                continue
            key, passes = self._pick(lo, hi, gender, avoid)
            if key is not None:
                return key
            if not passes:
                continue
        return None

    def _pick(self, lo: int, hi: int, gender: str, avoid: frozenset[str] = frozenset()) -> tuple[str | None, bool]:
        spoken = [k for pos, k in self.spoken if lo <= pos < hi and self._compatible(k, gender) and k not in avoid]
        if spoken:
            return spoken[-1], False
        items: list[tuple[int, str | None, str | None]] = []  # (position, key, pronoun gender)
        words = self.words(lo, hi)
        governed = {words[k].start for k in range(1, len(words)) if words[k - 1].low in prepositions()}
        for e in self.persons:
            if (lo <= e.start < hi and not self.is_quoted(e.start) and not self._possessor(e)
                    and self.plausible(e.key) and e.key not in avoid):
                items.append((e.start, e.key, None))
        for k, w in enumerate(words):
            if self.is_quoted(w.start):
                continue
            if w.low in subject_pronouns():
                items.append((w.start, None, subject_pronouns()[w.low]))
            elif k == 0 and is_title_word(w.text):
                key = self._title_holder(w.text, w.start)
                if key is not None:
                    items.append((w.start, key, None))
        items.sort(key=lambda item: item[0])
        for pos, key, pronoun in items:
            if pos in governed:
                continue
            if key is not None:
                if self._compatible(key, gender):
                    return key, False
                continue
            if pronoun == gender or (gender == "neutral" and pronoun in ("male", "female", "neutral")):
                return None, True  # the subject is a pronoun for the same person: ask the sentence before
            break
        compatible = [key for _, key, _ in items if key is not None and self._compatible(key, gender)]
        return (compatible[-1] if compatible else None), False

    def _compatible(self, key: str, gender: str) -> bool:
        if gender not in ("male", "female"):
            return True
        known = name_gender(self.full_names.get(key, ""))
        return known is None or known == gender

    def _person_at(self, pos: int) -> Entity | None:
        """The person mention starting at `pos`; a lone title word the entity finder took for a name
        ("Udenrigsministeren" opening a sentence) is no name."""
        e = self.person_starts.get(pos)
        if e is not None and " " not in e.text and is_title_word(e.text):
            return None
        return e

    def _person_covering(self, pos: int) -> bool:
        return any(e.start <= pos < e.end for e in self.persons)

    def _possessor(self, e: Entity) -> bool:
        """"Sparviks toppsjef X": a genitive names whose X is, not who acts."""
        return self.text.startswith(("s ", "'s ", "’s ", "' ", "’ "), e.end)

    def is_person_at(self, pos: int) -> bool:
        return self._person_at(pos) is not None

    def plausible(self, key: str) -> bool:
        """A person a pronoun may point at: named in full, with a title, or by a known first name. A lone
        capitalised word that is none of these ("Carlsberg", "Rådhuset", "Sangen") is more often a thing the
        entity finder took for a name than a person the text talks about."""
        name = self.full_names.get(key, "")
        return self.well_named(key) or name in first_names() or name.casefold() in first_name_gender()

    def well_named(self, key: str) -> bool:
        """A person the article names in full or with a title. A lone capitalised word never written with a
        first name or a title ("nettselskapet Norrkraft", "forlaget Lindholm") is as often a company the
        entity finder took for a surname, so reported speech needs this much."""
        return len(self.full_names.get(key, "").split()) >= 2 or any(h.key == key for h in self.holders)

    def is_quoted(self, pos: int) -> bool:
        return any(s <= pos < e for s, e in self.excluded)

    def _title_words_around(self, e: Entity) -> list[Word]:
        """Title words written with a person: up to four words right before the name ("den svenske
        infrastrukturministeren Karin Ekström"), before an apposition ("Ordføraren i Vardø, Berit Nyheim"), or
        in an apposition after it ("Per Malmsten, direktør for X")."""
        text = self.text
        lo = max(0, e.start - 100)
        last_stop = _LAST_STOP_RE.match(text, lo, e.start)  # the last of these marks before the name, in one call
        cut = last_stop.end() - 1 if last_stop is not None else -1
        lo = max(lo, cut + 1, *(p.end for p in self.persons if p.end <= e.start))
        before = self.words(lo, e.start, last=4)
        # `text[:e.start].rstrip().endswith(",")` without copying the text before every person
        last = e.start - 1
        while last >= 0 and text[last].isspace():
            last -= 1
        if not (last >= 0 and text[last] == ","):
            # "direktør for Stiftelsen X": the title governs the phrase, it is not the name's title
            cut_at = max((k + 1 for k, w in enumerate(before) if w.low in prepositions()), default=0)
            before = before[cut_at:]
        found = [w for w in before if is_title_word(w.text)]
        if text.startswith(", ", e.end):
            # the apposition runs to the next of these marks (one search, not a scan per mark to the text's end)
            stop = _APPOSITION_STOP_RE.search(text, e.end + 2)
            after_end = stop.start() if stop is not None else len(text)
            found.extend(w for w in self.words(e.end, after_end)[:_MAX_PHRASE_WORDS] if is_title_word(w.text))
        return found


@lru_cache(maxsize=1)
def _impersonal() -> frozenset[str]:
    """Formal subjects after a verb of saying (data/quote_grammar.json `impersonal`): "heter det i X"."""
    raw = load_json("quote_grammar.json")["impersonal"]
    assert isinstance(raw, list)
    return frozenset(str(w) for w in raw)


def _first_name_aliases(full_names: dict[str, str]) -> dict[str, str]:
    """Keys of people written by a first name alone (its last word, "Røde Signy") that begins exactly one other
    person's full name of two or more words; see the module docstring."""
    by_first: dict[str, list[str]] = {}
    surnames: dict[str, set[str]] = {}
    for key, name in full_names.items():
        words = name.split()
        if len(words) >= 2:
            by_first.setdefault(words[0], []).append(key)
            surnames.setdefault(words[-1], set()).add(key)
    aliases: dict[str, str] = {}
    for key, name in full_names.items():
        words = name.split()
        last = words[-1] if words else ""
        # the shipped first-name lists are short, so a word that begins a full name here and ends none counts
        if len(words) > 2 or surnames.get(last, set()) - {key}:
            continue
        if len(words) == 2 and (words[0] in first_names() or words[0].casefold() in first_name_gender()):
            continue  # a full name itself ("Kari Rune"), not a first name with a descriptor ("Røde Signy")
        owners = [k for k in by_first.get(last, []) if k != key]
        if len(owners) == 1:
            aliases[key] = owners[0]
    return aliases


def _descriptor_compound(word: str) -> bool:
    """"Nato-sjef", "EU-kommissær": a capitalised compound whose head is a lower-case title describes the
    speaker; it is not their name."""
    head = word.rsplit("-", 1)
    return len(head) == 2 and head[1][:1].islower() and is_title_word(head[1])


def _genitive(word: str) -> bool:
    return word.endswith(("s", "'s", "’s", "'")) and len(word) > 2


def _without_role(name: str) -> str:
    """"Skiløperen Marit Haugen" → "Marit Haugen": a sentence-initial role noun the entity finder kept in the
    name (a title, or a definite noun that is no first name) is not part of the name shown."""
    words = name.split()
    if len(words) < 3 or words[0] in first_names() or words[0].casefold() in first_name_gender():
        return name
    first = words[0].casefold()
    if is_title_word(first) or first.endswith(("en", "et", "an", "na", "ne")):
        return " ".join(words[1:])
    return name
