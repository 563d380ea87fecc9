"""The clean stage: raw scraped text → `Article.text` and `Article.paragraphs`, residue removed, with a map back.

Order matters: the date prefix is read off the very start of the body first; then every line is judged on its
own (captions, bylines, teasers, share/ad/cookie lines, date lines) and in context (repeated navigation, teaser
lists, captions whose credit is on the next line); inline explainer boxes are cut out of the kept lines; what is
left is grouped into paragraphs, the repeated title and a closing agency signature are dropped, subheadings are
marked, and the text is rendered with its offsets and the segment map back into `raw_text`.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass, field

from storyline.clean.dates import FoundDate
from storyline.clean.explainers import remove_explainers
from storyline.clean.layout import mark_context
from storyline.clean.paragraphs import (
    Line,
    block_paragraphs,
    collapse,
    looks_like_headline,
    paragraph_kinds,
    split_blocks,
)
from storyline.clean.residue import classify, date_line, markers, strip_date_prefix, updated_date
from storyline.clean.sourcemap import Segment, normalise, pieces_text, render, source_lines
from storyline.errors import CleanError
from storyline.models import Article, Paragraph
from storyline.settings import Settings

_PRECISION_RANK = {"unknown": 0, "month": 1, "day": 2, "exact": 3}


@dataclass(slots=True)
class Cleaned:
    """The result of cleaning one text, before it is merged into the Article."""

    title: str
    text: str
    paragraphs: list[Paragraph]
    published: FoundDate | None = None
    updated: FoundDate | None = None
    removed: Counter[str] = field(default_factory=Counter)
    source_map: list[Segment] = field(default_factory=list)

    @property
    def body_chars(self) -> int:
        return sum(p.end - p.start for p in self.paragraphs if p.kind == "body")


def clean_text(raw: str, title: str = "") -> Cleaned:
    """Clean one scraped text; `title` is the known headline (a repeat of it at the top is dropped).

    Offsets in the result point into the cleaned text; `source_map` leads them back into `raw`.
    """
    lines = source_lines(raw)
    first = next((i for i, line in enumerate(lines) if normalise(line.text)), None)
    prefix_date = None
    if first is not None:
        rest, prefix_date = strip_date_prefix(lines[first].text)
        lines[first] = lines[first].cut(len(lines[first].text) - len(rest))
    title, title_date = strip_date_prefix(collapse(title))  # a scraper may have put the prefix in the title
    if title and classify(title) is not None:
        title = ""  # the reader took a residue line (a skip link, a breadcrumb) for the headline
    cleaned = Cleaned(title=title, text="", paragraphs=[], published=prefix_date or title_date)
    if cleaned.published is not None:
        cleaned.removed["date_prefix"] += 1
    blocks, spaced = split_blocks(lines)
    flat = [(number, line) for number, block in enumerate(blocks) for line in block]
    texts = [normalise(line.text) for _, line in flat]
    verdicts = [_judge(text, cleaned) for text in texts]
    mark_context(texts, [number for number, _ in flat], spaced, verdicts)
    kept: list[list[Line]] = [[] for _ in blocks]
    for (number, line), verdict in zip(flat, verdicts, strict=True):
        if verdict is None:
            pieces = remove_explainers(line)
            cleaned.removed["explainer"] += pieces != [line]
            kept[number].append(pieces)
    paragraphs = [paragraph for lines_ in kept if lines_ for paragraph in block_paragraphs(lines_)]
    for verdict in verdicts:
        if verdict is not None and verdict != "date_line":
            cleaned.removed[verdict] += 1
    paragraphs = _trim_ends(paragraphs, cleaned)
    kinds = paragraph_kinds([pieces_text(p) for p in paragraphs])
    cleaned.text, cleaned.paragraphs, cleaned.source_map = render(raw, paragraphs, kinds)
    cleaned.removed = +cleaned.removed
    return cleaned


def _judge(line: str, cleaned: Cleaned) -> str | None:
    """The residue kind of one line, or None; date lines also fill in `published` / `updated`."""
    kind = classify(line)
    if kind is not None:
        return kind
    dated = date_line(line)
    if dated is None:
        return None
    cleaned.removed["date_line"] += 1
    if dated.kind == "updated":
        cleaned.updated = cleaned.updated or dated.date
    elif dated.date is not None and (cleaned.published is None or _refines(dated.date, cleaned.published)):
        cleaned.published = dated.date
    cleaned.updated = cleaned.updated or updated_date(line)
    return "date_line"


def _trim_ends(paragraphs: list[Line], cleaned: Cleaned) -> list[Line]:
    """Drop a repeated title at the top (or take the top line as title) and an agency signature at the end."""
    top = pieces_text(paragraphs[0]) if paragraphs else ""
    if paragraphs and cleaned.title and top.casefold() == cleaned.title.casefold():
        paragraphs = paragraphs[1:]
        cleaned.removed["title_repeat"] += 1
    elif not cleaned.title and len(paragraphs) > 1 and looks_like_headline(top):
        cleaned.title, paragraphs = top, paragraphs[1:]
    if paragraphs:
        *body, last = paragraphs[-1]
        signature = markers().signature_end.search(last.text)
        if signature is not None:
            cleaned.removed["signature"] += 1
            last = last.cut(0, signature.start())
            kept: Line = [*body, last] if normalise(last.text) else body
            paragraphs = paragraphs[:-1] + ([kept] if kept else [])
    return paragraphs


class CleanStage:
    """Stage `clean`: sets text, paragraphs and title; reads printed dates into published and meta."""

    name = "clean"
    requires = frozenset({"raw_text"})
    assigns = frozenset({"text", "paragraphs", "published", "published_precision", "meta", "title", "source_map"})

    def __init__(self, settings: Settings) -> None:
        self.min_text_chars = settings.min_text_chars

    def __call__(self, article: Article) -> Article:
        cleaned = clean_text(article.raw_text, article.title)
        if cleaned.body_chars < self.min_text_chars:
            raise CleanError(
                f"only {cleaned.body_chars} characters of article text remain after removing scraper residue "
                f"(minimum {self.min_text_chars})",
                code="clean.empty",
                input=article.input_name or article.id,
                hint="check that the input is an article and not a teaser or index page, "
                "or lower STORYLINE_MIN_TEXT_CHARS",
            )
        meta = dict(article.meta)
        if cleaned.removed:
            meta["residue"] = ",".join(f"{k}={n}" for k, n in sorted(cleaned.removed.items()))
        if cleaned.updated is not None:
            meta["updated"] = cleaned.updated.value.isoformat()
        published, precision = article.published, article.published_precision
        if cleaned.published is not None:
            meta["published_in_text"] = cleaned.published.value.isoformat()
            if _better(cleaned.published, article):
                published, precision = cleaned.published.value, cleaned.published.precision
        return dataclasses.replace(
            article,
            title=cleaned.title,
            text=cleaned.text,
            paragraphs=cleaned.paragraphs,
            source_map=cleaned.source_map,
            published=published,
            published_precision=precision,
            meta=meta,
        )


def _better(found: FoundDate, article: Article) -> bool:
    """Use the printed date when the article has none, or when it is finer and agrees with what is known."""
    if article.published is None or article.published_precision == "unknown":
        return True
    return _refines(found, FoundDate(article.published, article.published_precision, 0, 0))


def _refines(new: FoundDate, old: FoundDate) -> bool:
    """True when `new` is more precise than `old` and falls inside it (June 2023 → 24 June 2023 12:00)."""
    if _PRECISION_RANK[new.precision] <= _PRECISION_RANK[old.precision]:
        return False
    same_month = (new.value.year, new.value.month) == (old.value.year, old.value.month)
    return same_month and (old.precision == "month" or new.value.day == old.value.day)
