"""Blocks of kept lines → paragraphs, subheadings recognised, offsets into the cleaned text.

Scraped text comes in two shapes: paragraphs separated by blank lines (lines inside a block are soft wraps),
or one paragraph per line with no blank lines at all. A subheading is a short line without closing punctuation
that sits between paragraphs; newspapers also use a pull quote ("– Vi er ikke ferdige") as a subheading, which
shows as a dash line repeating the start of a later quote paragraph.
"""

from __future__ import annotations

import re

from storyline.clean.residue import ends_sentence, starts_with_dash
from storyline.models import Paragraph, ParagraphKind

# Calibrated by hand on Nordic news layouts: subheadings are 1–8 words, headlines up to ~16.
SUBHEADING_MAX_WORDS = 10
HEADLINE_MAX_WORDS = 16
HEADLINE_MAX_CHARS = 160
# A heading inside a blank-line block is split off only when clearly shorter than the line after it, so the
# short last line of a hard-wrapped paragraph is never mistaken for one.
_HEADING_LENGTH_RATIO = 0.6
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")


def split_blocks(text: str) -> list[list[str]]:
    """Lines grouped into blocks: by blank lines when there are any, else one line per block."""
    lines = [_INVISIBLE.sub("", line) for line in text.strip().split("\n")]
    if all(line.strip() for line in lines):
        return [[line] for line in lines if line.strip()]
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [block for block in blocks if block]


def block_paragraphs(block: list[str]) -> list[str]:
    """Join a block's soft-wrapped lines into paragraphs, splitting off heading lines it starts with."""
    paragraphs: list[list[str]] = [[]]
    for i, line in enumerate(block):
        paragraphs[-1].append(line)
        following = block[i + 1] if i + 1 < len(block) else None
        if following is not None and _heading_before(line, following):
            paragraphs.append([])
    return [collapse(" ".join(p)) for p in paragraphs if p]


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
    """Short, no closing sentence punctuation, not a dash quote, not starting mid-sentence."""
    text = collapse(text)
    words = text.split()
    return (
        0 < len(words) <= max_words
        and not ends_sentence(text)
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
    """`– Vi er ikke ferdige` as a heading, repeating the start of a later `– Vi er ikke ferdige, sier …`."""
    if not starts_with_dash(text):
        return False
    stem = text.rstrip(" .!?…,")
    return any(p != text and p.startswith(stem) and len(p) > len(stem) for p in later)


def assemble(paragraphs: list[str], kinds: list[ParagraphKind]) -> tuple[str, list[Paragraph]]:
    """Join paragraphs with blank lines and record each one's offsets into the joined text."""
    spans: list[Paragraph] = []
    offset = 0
    for text, kind in zip(paragraphs, kinds, strict=True):
        spans.append(Paragraph(offset, offset + len(text), kind))
        offset += len(text) + 2
    return "\n\n".join(paragraphs), spans
