"""The clean stage: raw scraped text → `Article.text` and `Article.paragraphs`, residue removed.

Order matters: the date prefix is read off the very start of the body first; then lines are judged one by one
(captions, bylines, teasers, share/ad/cookie lines, date lines); what is left is grouped into paragraphs, the
repeated title and a closing agency signature are dropped, subheadings are marked and offsets computed.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass, field

from storyline.clean.dates import FoundDate
from storyline.clean.paragraphs import (
    assemble,
    block_paragraphs,
    collapse,
    looks_like_headline,
    paragraph_kinds,
    split_blocks,
)
from storyline.clean.residue import (
    classify,
    date_line,
    is_bare_read_more,
    strip_date_prefix,
    strip_signature,
    updated_date,
)
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

    @property
    def body_chars(self) -> int:
        return sum(p.end - p.start for p in self.paragraphs if p.kind == "body")


def clean_text(raw: str, title: str = "") -> Cleaned:
    """Clean one scraped text; `title` is the known headline (a repeat of it at the top is dropped)."""
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    body, prefix_date = strip_date_prefix(raw.lstrip())
    title, title_date = strip_date_prefix(collapse(title))  # a scraper may have put the prefix in the title
    cleaned = Cleaned(title=title, text="", paragraphs=[], published=prefix_date or title_date)
    if cleaned.published is not None:
        cleaned.removed["date_prefix"] += 1
    paragraphs: list[str] = []
    expect_teaser = False
    for block in split_blocks(body):
        kept: list[str] = []
        for line in block:
            if expect_teaser:
                expect_teaser = False
                if classify(line) is None and looks_like_headline(line):
                    cleaned.removed["read_more"] += 1
                    continue
            if _is_residue(line, cleaned):
                expect_teaser = is_bare_read_more(line)
                continue
            kept.append(line)
        paragraphs.extend(block_paragraphs(kept) if kept else [])
    paragraphs = _trim_ends(paragraphs, cleaned)
    cleaned.text, cleaned.paragraphs = assemble(paragraphs, paragraph_kinds(paragraphs))
    return cleaned


def _is_residue(line: str, cleaned: Cleaned) -> bool:
    """Judge one line; residue is counted, and date lines also fill in `published` / `updated`."""
    kind = classify(line)
    if kind is not None:
        cleaned.removed[kind] += 1
        return True
    dated = date_line(line)
    if dated is None:
        return False
    cleaned.removed["date_line"] += 1
    if dated.kind == "updated":
        cleaned.updated = cleaned.updated or dated.date
    elif dated.date is not None and (cleaned.published is None or _refines(dated.date, cleaned.published)):
        cleaned.published = dated.date
    cleaned.updated = cleaned.updated or updated_date(line)
    return True


def _trim_ends(paragraphs: list[str], cleaned: Cleaned) -> list[str]:
    """Drop a repeated title at the top (or take the top line as title) and an agency signature at the end."""
    if paragraphs and cleaned.title and paragraphs[0].casefold() == cleaned.title.casefold():
        paragraphs = paragraphs[1:]
        cleaned.removed["title_repeat"] += 1
    elif not cleaned.title and len(paragraphs) > 1 and looks_like_headline(paragraphs[0]):
        cleaned.title, paragraphs = paragraphs[0], paragraphs[1:]
    if paragraphs:
        last = strip_signature(paragraphs[-1])
        if last != paragraphs[-1]:
            cleaned.removed["signature"] += 1
        paragraphs = paragraphs[:-1] + ([last] if last else [])
    return paragraphs


class CleanStage:
    """Stage `clean`: sets text, paragraphs and title; reads printed dates into published and meta."""

    name = "clean"
    requires = frozenset({"raw_text"})
    assigns = frozenset({"text", "paragraphs", "published", "published_precision", "meta", "title"})

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
