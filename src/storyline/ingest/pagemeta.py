"""What a web page says about itself: the schema.org article in its JSON-LD, its OpenGraph title, the <h1> of its
<article>. The newsroom's publishing system writes these, so they beat any guess from the page text: the
headline heuristics can take a menu line or a kicker for the title, and a date found in the text may be a
different day's.

Title, most trusted first: og:title, the JSON-LD headline, the <article>'s <h1>, then what trafilatura chose.
An og:title that is the <h1> plus the site's name ("Strømprisen stiger | Avisa") gives way to the <h1>.
Publication time: the page's meta tags and JSON-LD `datePublished` (both state the zone), never a date that an
extractor guessed from the text.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

# schema.org types that describe one article (https://schema.org/Article and its news subtypes).
ARTICLE_TYPES = frozenset({
    "Article", "NewsArticle", "ReportageNewsArticle", "AnalysisNewsArticle", "OpinionNewsArticle",
    "BackgroundNewsArticle", "ReviewNewsArticle", "AskPublicNewsArticle", "BlogPosting", "LiveBlogPosting",
    "SatiricalArticle", "Report",
})  # fmt: skip
# Meta tags that state the publication time of a page, most specific first; JSON-LD comes right after the first.
PUBLISHED_XPATHS = (
    '//meta[@property="article:published_time"]/@content',
    '//meta[@itemprop="datePublished"]/@content',
    '//meta[@name="pubdate" or @name="publishdate" or @name="publish-date" or @name="dc.date"]/@content',
    "//time[@datetime]/@datetime",
)
# What separates a headline from the site's name in a <title> or og:title.
_SITE_SEPARATORS = (" | ", " - ", " – ", " — ", " · ", " :: ")
# A page with more than one <article> is an index of teasers, and none of their <h1>s is the page's headline.
_MAX_ARTICLES = 1


@dataclass(frozen=True, slots=True)
class PageMeta:
    headline: str = ""
    published: str = ""
    modified: str = ""


def json_ld(tree: Any) -> PageMeta:
    """The first schema.org article described in the page's JSON-LD blocks (empty when there is none)."""
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text_content() or "", strict=False)
        except (json.JSONDecodeError, ValueError):
            continue  # a broken block (CMS templates do emit them): the page may still have good meta tags
        for node in _nodes(data):
            types = node.get("@type")
            names = {types} if isinstance(types, str) else {str(t) for t in types or [] if isinstance(t, str)}
            if names & ARTICLE_TYPES:
                return PageMeta(headline=_text(node.get("headline") or node.get("name")),
                                published=_text(node.get("datePublished")),
                                modified=_text(node.get("dateModified")))
    return PageMeta()


def _nodes(data: object) -> Iterator[dict[str, Any]]:
    """Every object in a JSON-LD document: top level, lists and `@graph` members, depth first."""
    if isinstance(data, list):
        for item in data:
            yield from _nodes(item)
    elif isinstance(data, dict):
        yield data
        yield from _nodes(data.get("@graph"))
        yield from _nodes(data.get("mainEntity"))


def _text(value: object) -> str:
    return " ".join(html.unescape(value).split()) if isinstance(value, str) else ""


def stated_published(tree: Any, meta: PageMeta) -> list[str]:
    """Publication times the page states in its markup, most trusted first."""
    first, *rest = ([str(v) for v in tree.xpath(xpath)] for xpath in PUBLISHED_XPATHS)
    return [*first, *([meta.published] if meta.published else []), *(v for values in rest for v in values)]


def page_title(tree: Any, meta: PageMeta, extracted: str) -> str:
    """The page's headline: og:title, JSON-LD headline, the <article>'s <h1>, else `extracted`."""
    og = _first(tree.xpath('//meta[@property="og:title"]/@content'))
    articles = tree.xpath("//article")
    h1 = _first([h.text_content() for h in articles[0].iter("h1")]) if len(articles) == _MAX_ARTICLES else ""
    for title in (og, meta.headline):
        if title:
            return h1 if h1 and _is_site_suffixed(title, h1) else title
    return h1 or " ".join(extracted.split())


def _is_site_suffixed(title: str, headline: str) -> bool:
    return title.startswith(headline) and title[len(headline) :].startswith(_SITE_SEPARATORS)


def _first(values: list[Any]) -> str:
    return next((text for v in values if (text := " ".join(str(v).split()))), "")
