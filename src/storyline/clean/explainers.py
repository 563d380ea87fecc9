"""Inline explainer boxes that scrapers splice into a sentence.

News sites (NRK's "forklaring", DR's and SVT's fact buttons) put a term in the running text behind a button that
opens a short definition. A scraper flattens the button and the box into the sentence:

    Siden Wagner-gruppens Wagner-gruppensWagner-gruppen er et privat, militært selskap … 2014. opprør mot Kreml
    etter at HardangerbruaHardangerbrua er ei hengebru over Eidfjorden som opna i 2013. har teke over …
    Siden Wagner-gruppens Wagner-gruppen er et privat, militært selskap … land. opprør mot Kreml …

The signature is the same in all three: the term, then the term again (glued to what follows, or as a
capitalised restatement like "Wagner-gruppen" after "Wagner-gruppens") starting a definition, and the
interrupted sentence resuming in lower case right after the box's last full stop (or after a closing button
label such as "Lukk" / "Vis meir" / "Stäng", listed per language in markers.json). The box is cut out, the
sentence around it kept. Without the lower-case resumption or a closing label a repeated term is left alone:
prose does not resume a sentence in lower case after a full stop, so that is what makes a cut safe.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache

from storyline.clean.residue import marker_data
from storyline.clean.sourcemap import Piece

_UPPER = "A-ZÆØÅÄÖÉÜ"
_LOWER = "a-zæøåäöéü"
# Terms shorter than this are too common to be evidence ("Per Persen").
_MIN_TERM_CHARS = 4
# A restated term may differ from the running-text form by an inflection: Wagner-gruppens / Wagner-gruppen.
_MAX_INFLECTION_CHARS = 3
# A definition is at least a short sentence; shorter "boxes" are more likely a stutter in the text.
_MIN_BOX_WORDS = 4
_MAX_BOX_WORDS = 120
_WORD = re.compile(r"[\w'’-]+")
_GLUE = re.compile(rf"(?<=[{_LOWER}])(?=[{_UPPER}])")
# Terms behind explainer buttons are names of one to three words ("Wagner-gruppen", "Utsira Nord").
_MAX_TERM_WORDS = 3


@lru_cache(maxsize=1)
def _box_end() -> re.Pattern[str]:
    closers = sorted({c for words in marker_data()["explainer_closers"].values() for c in words}, key=len,
                     reverse=True)
    labels = "|".join(re.escape(c) for c in closers)
    # The box ends at its last sentence end (optionally followed by a closing button label) when the
    # interrupted sentence resumes in lower case; or at a closing label glued to the resumption.
    return re.compile(rf"[.!?]\s*(?:(?:{labels})\b\s*)?(?=[{_LOWER}])|\s(?:{labels})\b\s*(?=[{_LOWER}])")


def _same_term(a: str, b: str) -> bool:
    """`Wagner-gruppens` and `Wagner-gruppen`: one is the other plus at most a short inflection."""
    a, b = a.casefold(), b.casefold()
    short, long = sorted((a, b), key=len)
    return long.startswith(short) and len(long) - len(short) <= _MAX_INFLECTION_CHARS


@dataclass(frozen=True, slots=True)
class _Word:
    start: int
    end: int
    text: str
    glued: bool  # follows the previous word with no space: "Wagner-gruppens|Wagner-gruppen"


def _words(text: str) -> list[_Word]:
    """Words, with a word glued to the next one ("HardangerbruaHardangerbrua", "NordUtsira") split in two."""
    words = []
    for match in _WORD.finditer(text):
        cuts = [0, *(g.start() for g in _GLUE.finditer(match.group())), len(match.group())]
        for n, (a, b) in enumerate(itertools.pairwise(cuts)):
            words.append(_Word(match.start() + a, match.start() + b, match.group()[a:b], glued=n > 0))
    return words


def _same_phrase(text: str, first: list[_Word], second: list[_Word]) -> bool:
    """The same term twice (`Utsira Nord` / `Utsira Nord`), the last word possibly inflected differently."""
    if len(first) != len(second) or sum(len(w.text) for w in first) < _MIN_TERM_CHARS:
        return False
    for phrase in (first, second):
        if any(not text[a.end : b.start].isspace() for a, b in itertools.pairwise(phrase)):
            return False
    *head_a, last_a = first
    *head_b, last_b = second
    same_head = all(a.text.casefold() == b.text.casefold() for a, b in zip(head_a, head_b, strict=True))
    return same_head and _same_term(last_a.text, last_b.text)


def _box_starts(text: str) -> list[tuple[int, int]]:
    """(cut_from, definition_start) for each place a term is repeated into the start of a definition."""
    starts = []
    words = _words(text)
    for i, word in enumerate(words):
        if not word.text[:1].isupper():
            continue
        for k in range(1, _MAX_TERM_WORDS + 1):
            term, again = words[max(i - k, 0) : i], words[i : i + k]
            if len(term) < k or not _same_phrase(text, term, again):
                continue
            if word.glued:
                # "HardangerbruaHardangerbrua er …": the restatement glued to the term. When the running text
                # already had the term before it ("Wagner-gruppens Wagner-gruppensWagner-gruppen"), the glued
                # copy is the button's label: cut from there.
                before = words[max(i - 2 * k, 0) : i - k]
                label = len(before) == k and _same_phrase(text, before, term)
                label = label and text[before[-1].end : term[0].start].isspace()
                starts.append((term[0].start if label else word.start, word.start))
            elif text[term[-1].end : word.start].isspace():
                # "Wagner-gruppens Wagner-gruppen er …": the term, then its capitalised restatement.
                starts.append((word.start, word.start))
            break
    return starts


def remove_explainers(piece: Piece) -> list[Piece]:
    """The line with every inline explainer box cut out (one piece per kept stretch)."""
    if _box_end().search(piece.text) is None:
        return [piece]  # no sentence resumes in lower case on this line: nothing was spliced into it
    kept: list[Piece] = []
    position = 0
    for cut_from, definition in _box_starts(piece.text):
        if cut_from < position:
            continue
        end = _box_end().search(piece.text, definition)
        if end is None:
            continue
        box_words = len(piece.text[definition : end.start()].split())
        if not _MIN_BOX_WORDS <= box_words <= _MAX_BOX_WORDS:
            continue
        kept.append(piece.cut(position, cut_from))
        position = end.end()
    if not kept:
        return [piece]
    kept.append(piece.cut(position))
    return [p for p in kept if p.text.strip()]
