"""Pieces of the raw text and the map from the cleaned text back to them.

Cleaning never rewrites characters: it drops whole lines, cuts pieces out of a line (a date prefix, an inline
explainer box, an agency signature), removes invisible characters (soft hyphens, zero-width spaces) and
collapses runs of whitespace to one space. So every kept character is a character of `Article.raw_text`, and
the cleaned text can carry a compact map back: segments `(clean_start, source_start, length)` over which both
texts advance together. A space the cleaner puts between two pieces (where a box was cut out, or where two
lines join) has no source character and lies in a gap between segments.

What "equal" means for a mapped span: the source text of a cleaned paragraph, with invisible characters removed
and whitespace collapsed, is the paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from storyline.models import Paragraph, ParagraphKind

INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
Segment = tuple[int, int, int]
# Stretches of visible text whose words are separated by single plain spaces: copied to the cleaned text as they
# are. Other whitespace and invisible characters fall between stretches.
_STRETCHES = re.compile("[^\\s\u00ad\u200b\u200c\u200d\u2060\ufeff]+(?: [^\\s\u00ad\u200b\u200c\u200d\u2060\ufeff]+)*")
_SPACE = re.compile(r"\s")


@dataclass(frozen=True, slots=True)
class Piece:
    """`text` is exactly `raw[start : start + len(text)]`."""

    start: int
    text: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    def cut(self, begin: int, end: int | None = None) -> Piece:
        """The sub-piece `text[begin:end]`, keeping its place in the source."""
        end = len(self.text) if end is None else end
        return Piece(self.start + begin, self.text[begin:end])


def source_lines(raw: str) -> list[Piece]:
    """The raw text as one piece per line, line breaks (`\\n`, `\\r\\n`, `\\r`) left out."""
    lines = []
    start = 0
    for match in re.finditer(r"\r\n|\r|\n", raw):
        lines.append(Piece(start, raw[start : match.start()]))
        start = match.end()
    lines.append(Piece(start, raw[start:]))
    return lines


_INVISIBLE_CHARS = "\u00ad\u200b\u200c\u200d\u2060\ufeff"  # what INVISIBLE matches


def normalise(text: str) -> str:
    """Invisible characters removed, whitespace collapsed: the form in which cleaned and source text agree."""
    # Most lines hold no invisible character: six substring tests cost less than a regex pass over the line.
    if any(ch in text for ch in _INVISIBLE_CHARS):
        text = INVISIBLE.sub("", text)
    return " ".join(text.split())


def pieces_text(pieces: Iterable[Piece]) -> str:
    """What a run of pieces reads as in the cleaned text."""
    return normalise(" ".join(p.text for p in pieces))


def render(
    raw: str, paragraphs: Sequence[Sequence[Piece]], kinds: Sequence[ParagraphKind]
) -> tuple[str, list[Paragraph], list[Segment]]:
    """Cleaned text (paragraphs joined by blank lines), paragraph offsets, and the segment map into `raw`.

    Where two pieces of a paragraph are separated in `raw` by nothing but whitespace (a soft-wrapped line), the
    space between them maps onto that whitespace; where something was cut out between them, the space is the
    cleaner's own and maps nowhere.
    """
    out: list[str] = []
    spans: list[Paragraph] = []
    segments: list[list[int]] = []
    offset = 0

    def emit(text: str, source: int | None) -> None:
        nonlocal offset
        out.append(text)
        if source is not None:
            last = segments[-1] if segments else None
            if last is not None and last[0] + last[2] == offset and last[1] + last[2] == source:
                last[2] += len(text)
            else:
                segments.append([offset, source, len(text)])
        offset += len(text)

    for number, (pieces, kind) in enumerate(zip(paragraphs, kinds, strict=True)):
        if number:
            emit("\n\n", None)
        start = offset
        pending: int | None = None  # source offset of the whitespace run waiting to become one space
        gap = False  # a cut between pieces waits to become one (unmapped) space
        previous_end: int | None = None
        for piece in pieces:
            if previous_end is not None and offset > start:
                if normalise(raw[previous_end : piece.start]) or piece.start < previous_end:
                    pending, gap = None, True
                elif pending is None and piece.start > previous_end:
                    pending = previous_end
            previous_end = piece.end
            previous_stretch = 0
            for stretch in _STRETCHES.finditer(piece.text):
                between = _SPACE.search(piece.text, previous_stretch, stretch.start())
                if between is not None and offset > start and pending is None and not gap:
                    pending = piece.start + between.start()
                if (pending is not None or gap) and offset > start:
                    emit(" ", pending)
                pending, gap = None, False
                emit(stretch.group(), piece.start + stretch.start())
                previous_stretch = stretch.end()
            trailing = _SPACE.search(piece.text, previous_stretch)
            if trailing is not None and offset > start and pending is None and not gap:
                pending = piece.start + trailing.start()
        spans.append(Paragraph(start, offset, kind))
    return "".join(out), spans, [(c, s, n) for c, s, n in segments]
