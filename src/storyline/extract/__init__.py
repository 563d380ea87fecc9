"""extract stage: entities (with cross-language keys), direct quotes with speakers, and normalised dates."""

from __future__ import annotations

from collections.abc import Sequence

from storyline.extract.dates import Anchor, find_dates
from storyline.extract.entities import Tagged, find_mentions, tag_texts
from storyline.extract.quotes import find_quotes
from storyline.models import Article

__all__ = ["ExtractStage", "find_dates", "find_mentions", "find_quotes"]


class ExtractStage:
    """Fills `entities`, `quotes` and `dates`; every offset points into `article.text`."""

    name = "extract"
    requires = frozenset({"text", "paragraphs", "language", "published"})
    assigns = frozenset({"entities", "quotes", "dates"})

    def __init__(self) -> None:
        # The tagger's reading of the articles `prepare` was last given, by (text, language): a pure function of
        # those two, so an entry can only ever be right for an article that has them.
        self._tagged: dict[tuple[str, str | None], Tagged] = {}

    def prepare(self, articles: Sequence[Article]) -> None:
        """Tag a chunk of articles together (`tag_texts`, about half the cost per article); each call then takes
        its article's labels from here instead of tagging it alone."""
        keys = [(a.text, a.language) for a in articles]
        self._tagged = dict(zip(keys, tag_texts(keys), strict=True))

    def __call__(self, article: Article) -> Article:
        text = article.text
        paragraphs = [(p.start, p.end) for p in article.paragraphs] or [(0, len(text))]
        mentions = find_mentions(text, article.language, self._tagged.get((text, article.language)))
        article.entities = mentions.entities
        # the paragraphs themselves, so quotes can skip subheadings (a dash subheading repeats a quote)
        article.quotes = find_quotes(text, article.paragraphs or paragraphs, mentions)
        anchor: Anchor = "estimated" if article.published_precision == "month" else "published"
        published = article.published.date() if article.published is not None else None
        article.dates = find_dates(text, published, anchor, article.language)
        return article
