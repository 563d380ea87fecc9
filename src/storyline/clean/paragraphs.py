"""Blocks of kept lines → paragraphs (as pieces of the source), subheadings recognised.

Scraped text comes in two shapes: paragraphs separated by blank lines (lines inside a block are soft wraps),
or one paragraph per line with no blank lines at all. A subheading is a short line without closing punctuation
(or a short question) that sits between paragraphs; newspapers also use a pull quote as a subheading
("– Vi er ikke ferdige", "”Ett historiskt dåligt år”"), which shows as a dash or quoted line whose words come
again in a later paragraph — at its start or inside it ("– Det er helt uforsvarlig å kjøre nå, sier …"). Such a
line is marked "subheading" so the quote extractor does not count the quote twice.
"""

from __future__ import annotations

import re

from storyline.clean.residue import ends_sentence, starts_with_dash, words_at_most
from storyline.clean.sourcemap import INVISIBLE, Piece, normalise, pieces_text
from storyline.models import ParagraphKind

Line = list[Piece]  # one source line, possibly cut into pieces (an explainer box taken out)

# Calibrated by hand on Nordic news layouts: subheadings are 1–8 words, headlines up to ~16.
SUBHEADING_MAX_WORDS = 10
HEADLINE_MAX_WORDS = 16
HEADLINE_MAX_CHARS = 160
# A heading inside a blank-line block is split off only when clearly shorter than the line after it, so the
# short last line of a hard-wrapped paragraph is never mistaken for one.
_HEADING_LENGTH_RATIO = 0.6
# A question can be a subheading ("Hva skjer nå?") when it is this short and stands between paragraphs.
QUESTION_HEADING_MAX_WORDS = 8
_QUOTE_MARKS = "«»\"“”„'‘’"
_WORDS = re.compile(r"[\w'’-]+")


def split_blocks(lines: list[Piece]) -> tuple[list[list[Piece]], bool]:
    """Lines grouped into blocks: by blank lines when there are any, else one line per block.

    Also says whether the text had blank lines (then a block's lines are soft wraps of one paragraph).
    """
    filled = [i for i, line in enumerate(lines) if not _blank(line.text)]
    spaced = bool(filled) and len(filled) < filled[-1] - filled[0] + 1
    if not spaced:
        blocks_: list[list[Piece]] = []
        for i in filled:
            if blocks_ and _continues(blocks_[-1][-1].text, lines[i].text):
                blocks_[-1].append(lines[i])
            else:
                blocks_.append([lines[i]])
        return blocks_, False
    blocks: list[list[Piece]] = [[]]
    for line in lines:
        if not _blank(line.text):
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [block for block in blocks if block], True


def _continues(line: str, following: str) -> bool:
    """A hard-wrapped sentence: the line stops mid-sentence and the next one goes on in lower case (no paragraph,
    title or subheading starts in lower case)."""
    first = following.lstrip()[:1]
    return first.islower() and not ends_sentence(line) and not line.rstrip().endswith(":")


def _blank(text: str) -> bool:
    stripped = text.strip()
    if not stripped:
        return True
    # Only a line that starts or ends with an invisible character can consist of nothing else.
    return (INVISIBLE.match(stripped[0]) is not None or INVISIBLE.match(stripped[-1]) is not None) and not normalise(
        stripped
    )


def block_paragraphs(block: list[Line]) -> list[Line]:
    """Join a block's soft-wrapped lines into paragraphs, splitting off heading lines it starts with."""
    paragraphs: list[Line] = [[]]
    for i, line in enumerate(block):
        paragraphs[-1].extend(line)
        following = block[i + 1] if i + 1 < len(block) else None
        if following is not None and _heading_before(pieces_text(line), pieces_text(following)):
            paragraphs.append([])
    return [p for p in paragraphs if p]


def _heading_before(line: str, following: str) -> bool:
    first = following.lstrip()[:1]
    return (
        is_heading_like(line)
        and (first.isupper() or starts_with_dash(following) or first in "«\"“")
        and len(line.strip()) <= _HEADING_LENGTH_RATIO * len(following.strip())
    )


def collapse(text: str) -> str:
    return " ".join(text.split())


def is_heading_like(text: str, max_words: int = SUBHEADING_MAX_WORDS) -> bool:
    """Short, no closing sentence punctuation (a short question is allowed), not a dash quote, not mid-sentence."""
    if not words_at_most(text, max_words):  # a paragraph of body text: no need to collapse it
        return False
    words = text.split()
    text = " ".join(words)
    question = text.endswith("?") and len(words) <= QUESTION_HEADING_MAX_WORDS and text[:1] not in _QUOTE_MARKS
    return (
        0 < len(words) <= max_words
        and (question or not ends_sentence(text))
        and not starts_with_dash(text)
        and not text[:1].islower()
        and not text.isdigit()
    )


def looks_like_headline(text: str) -> bool:
    text = collapse(text)
    if len(text) > HEADLINE_MAX_CHARS:
        return False
    # Headlines may ask or exclaim; they never end in a full stop.
    asks = text.endswith(("?", "!")) and not starts_with_dash(text)
    return (asks and len(text.split()) <= HEADLINE_MAX_WORDS) or is_heading_like(text, HEADLINE_MAX_WORDS)


def paragraph_kinds(paragraphs: list[str]) -> list[ParagraphKind]:
    """Mark subheadings: heading-like lines between two paragraphs, and pull-quote dash lines."""
    kinds: list[ParagraphKind] = ["body"] * len(paragraphs)
    for i, text in enumerate(paragraphs):
        if i == 0 or i == len(paragraphs) - 1:
            continue
        if is_heading_like(text) or _is_pull_quote(text, paragraphs[i + 1 :]):
            kinds[i] = "subheading"
    return kinds


def _is_pull_quote(text: str, later: list[str]) -> bool:
    """A quote used as a heading: `– Vi er ikke ferdige` or `”Ett historiskt dåligt år”`, whose words come again,
    in order, in a later paragraph (`– Vi er ikke ferdige, sier …`, `– Det er helt uforsvarlig å kjøre nå …`)."""
    quoted = text[:1] in _QUOTE_MARKS and text.rstrip(" .!?…,")[-1:] in _QUOTE_MARKS
    if not (starts_with_dash(text) or quoted) or len(text.split()) > SUBHEADING_MAX_WORDS:
        return False
    words = _WORDS.findall(text.casefold())
    if not words:
        return False
    needle = " " + " ".join(words) + " "
    return any(p != text and needle in " " + " ".join(_WORDS.findall(p.casefold())) + " " for p in later)
