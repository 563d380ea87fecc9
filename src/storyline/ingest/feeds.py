"""RSS/Atom feeds (one article per entry) and fetching URLs.

Feed entries carry HTML in `content`/`summary`; it is flattened to paragraphs separated by blank lines so the
clean stage sees the same shape as any other input. Fetching is deliberately plain urllib with a timeout and
the same size cap as files: storyline never crawls, it reads the pages and feeds it is pointed at.
"""

from __future__ import annotations

import calendar
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import feedparser
import lxml.html  # type: ignore[import-untyped]
from lxml.etree import ParserError  # type: ignore[import-untyped]

from storyline.errors import IngestError
from storyline.ingest.records import Found, too_large
from storyline.settings import Settings

# Seconds to wait for a server before giving up on a URL; news sites answer in well under a second.
FETCH_TIMEOUT_S = 20.0
USER_AGENT = "storyline/0.1 (+https://github.com/storyline; offline news story tracker)"

_FEED_ROOT = re.compile(
    rb"^(?:\s|<\?xml[^>]*\?>|<!--.*?-->|<!DOCTYPE[^>]*>)*<(rss|feed|rdf:RDF)\b", re.DOTALL
)
_BLOCK_TAGS = frozenset(
    {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "figure",
     "figcaption", "section", "article", "header", "footer", "table", "tr"}
)
_DROP_TAGS = ("script", "style", "noscript", "iframe", "form")
# A list item or paragraph that is nothing but one link of at most this many words is a headline pointing
# elsewhere (a "Les også" list, related articles, a menu), as trafilatura judges link-dense blocks on pages.
_LINK_TEASER_MAX_WORDS = 20


def is_feed(data: bytes) -> bool:
    """True when the document's root element is <rss>, <feed> (Atom) or <rdf:RDF> (RSS 1.0)."""
    return _FEED_ROOT.match(data[:4096].lstrip(b"\xef\xbb\xbf")) is not None


def parse_feed(data: bytes, name: str, fetched: datetime) -> Iterator[Found]:
    """One `Found` per feed entry, named `name#N` (1-based); raise ingest.feed when nothing can be parsed."""
    parsed: Any = feedparser.parse(data)
    entries = list(parsed.entries)
    if not entries:
        reason = str(parsed.get("bozo_exception", "")) or "it has no entries"
        raise IngestError(
            f"is not a readable RSS/Atom feed: {reason}",
            code="ingest.feed",
            input=name,
            hint="check that the URL or file is an RSS or Atom feed with at least one <item>/<entry>",
        )
    feed = parsed.feed
    feed_title = str(feed.get("title", "")).strip()
    feed_lang = str(feed.get("language", "")).strip()
    for number, entry in enumerate(entries, start=1):
        yield _entry(entry, f"{name}#{number}", feed_title, feed_lang, parsed.get("version", ""), fetched)


def _entry(entry: Any, name: str, feed_title: str, feed_lang: str, version: str, fetched: datetime) -> Found:
    body = html_to_text(_entry_html(entry))
    published = _entry_time(entry)
    lang = _entry_lang(entry) or feed_lang
    meta = {"format": version or "feed", "feed_title": feed_title, "lang_hint": lang}
    if author := str(entry.get("author", "")).strip():
        meta["author"] = author
    return Found(
        input_name=name,
        body=body,
        title=html_to_text(str(entry.get("title", ""))).replace("\n\n", " "),
        source=feed_title,
        url=str(entry.get("link", "")) or None,
        published=published,
        precision="exact" if published else "unknown",
        fetched=fetched,
        meta=meta,
    )


def _entry_html(entry: Any) -> str:
    """The fullest text the entry carries: the longest `content` part, else the summary."""
    contents = [str(part.get("value", "")) for part in entry.get("content", []) or []]
    best = max(contents, key=len, default="")
    summary = str(entry.get("summary", ""))
    return best if len(best) >= len(summary) else summary


def _entry_time(entry: Any) -> datetime | None:
    # feedparser normalises every date format it knows to a UTC struct_time.
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            return datetime.fromtimestamp(calendar.timegm(value), UTC)
    return None


def _entry_lang(entry: Any) -> str:
    for detail in ("content", "summary_detail", "title_detail"):
        value = entry.get(detail)
        part = value[0] if isinstance(value, list) and value else value
        if part and part.get("language"):
            return str(part["language"])
    return ""


def html_to_text(html: str) -> str:
    """Flatten an HTML fragment to plain paragraphs separated by blank lines (plain text passes through)."""
    if "<" not in html:
        return "\n\n".join(" ".join(p.split()) for p in re.split(r"\n\s*\n", html) if p.strip())
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (ParserError, ValueError):
        return " ".join(html.split())
    return element_text(root)


def element_text(root: Any) -> str:
    """Flatten a parsed HTML element (changed in place) to paragraphs separated by blank lines."""
    for element in list(root.iter(*_DROP_TAGS)):
        element.drop_tree()
    for element in [e for e in root.iter("li", "p") if _only_a_link(e)]:
        element.drop_tree()
    for element in root.iter():
        if element.tag in _BLOCK_TAGS:
            element.text = "\n\n" + (element.text or "")
            element.tail = "\n\n" + (element.tail or "")
        elif element.tag == "br":
            element.tail = "\n\n" + (element.tail or "")
    text: str = root.text_content()
    paragraphs = (" ".join(p.split()) for p in re.split(r"\n\s*\n", text))
    return "\n\n".join(p for p in paragraphs if p)


def _only_a_link(element: Any) -> bool:
    text = " ".join(element.text_content().split())
    links = [" ".join(a.text_content().split()) for a in element.iter("a")]
    return bool(text) and len(links) == 1 and links[0] == text and len(text.split()) <= _LINK_TEASER_MAX_WORDS


def fetch_url(url: str, settings: Settings) -> tuple[bytes, str]:
    """GET `url` and return (body, content type); raise ingest.fetch or ingest.too_large naming the URL."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    try:
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT_S) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > settings.max_input_bytes:
                raise too_large(url, int(length), settings)
            data: bytes = response.read(settings.max_input_bytes + 1)
            content_type = str(response.headers.get("Content-Type", ""))
    except urllib.error.HTTPError as exc:
        raise IngestError(
            f"fetch failed: HTTP {exc.code} {exc.reason}",
            code="ingest.fetch",
            input=url,
            hint="check the URL in a browser; the server refused or does not have it",
        ) from exc
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise IngestError(
            f"fetch failed: {reason}",
            code="ingest.fetch",
            input=url,
            hint=f"check the URL and the network; the timeout is {FETCH_TIMEOUT_S:g} s",
        ) from exc
    if len(data) > settings.max_input_bytes:
        raise too_large(url, len(data), settings)
    return data, content_type

