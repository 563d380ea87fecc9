"""extract stage: entities (with cross-language keys), direct quotes with speakers, and normalised dates."""

from __future__ import annotations

from storyline.extract.dates import Anchor, find_dates
from storyline.extract.entities import find_mentions
from storyline.extract.quotes import find_quotes
from storyline.models import Article

__all__ = ["ExtractStage", "find_dates", "find_mentions", "find_quotes"]


class ExtractStage:
    """Fills `entities`, `quotes` and `dates`; every offset points into `article.text`."""

    name = "extract"
    requires = frozenset({"text", "paragraphs", "language", "published"})
    assigns = frozenset({"entities", "quotes", "dates"})

    def __call__(self, article: Article) -> Article:
        text = article.text
        paragraphs = [(p.start, p.end) for p in article.paragraphs] or [(0, len(text))]
        mentions = find_mentions(text, article.language)
        article.entities = mentions.entities
        # the paragraphs themselves, so quotes can skip subheadings (a dash subheading repeats a quote)
        article.quotes = find_quotes(text, article.paragraphs or paragraphs, mentions)
        anchor: Anchor = "estimated" if article.published_precision == "month" else "published"
        published = article.published.date() if article.published is not None else None
        article.dates = find_dates(text, published, anchor, article.language)
        return article
