"""extract stage: entities (with cross-language keys), direct quotes with speakers, and normalised dates."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from storyline.extract.dates import Anchor, find_dates
from storyline.extract.entities import Tagged, find_mentions, tag_texts
from storyline.extract.quotes import find_quotes
from storyline.extract.speakers import Speaker
from storyline.models import Article

__all__ = ["ExtractStage", "find_dates", "find_mentions", "find_quotes", "headline_person"]


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
        article.quotes = find_quotes(text, article.paragraphs or paragraphs, mentions,
                                     partial(headline_person, article.title, article.language))
        anchor: Anchor = "estimated" if article.published_precision == "month" else "published"
        published = article.published.date() if article.published is not None else None
        article.dates = find_dates(text, published, anchor, article.language)
        return article


def headline_person(title: str, language: str | None) -> Speaker | None:
    """The one person a headline names in full ("Hva leser Mona Fjeldstad (52) i sommer?"): in a
    question-list interview the text never names its subject, so this is who the answers are. None where the
    headline names no one in full, or more than one person (then it does not say whose the answers are). Tagged
    only when an interview answer needs it: most articles never ask."""
    if not title.strip():
        return None
    # a name leading a compound ("et Steinmann-flygel") names a thing, not a person in the story
    people = {e.key: e.text for e in find_mentions(title, language).entities
              if e.type == "PER" and not title.startswith("-", e.end)}
    full = {key: name for key, name in people.items() if len(name.split()) >= 2}
    if len(people) != 1 or len(full) != 1:
        return None
    (key, name), = full.items()
    return Speaker(name, key, True)
