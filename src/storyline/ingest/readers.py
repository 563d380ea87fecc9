"""Files, directories, stdin and URLs → Articles: find the bytes, pick a format, hand each record to a reader.

The format comes from the extension when there is a telling one, else from the first bytes (JSONL starts with
`{`, feeds have an <rss>/<feed> root, HTML starts with `<`, anything else is plain text). Every failure is
turned into a rejected Article naming the input (`path`, `path:LINE` for JSONL, `url#N` for feed entries), so
one bad file never stops a directory or a batch.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any, Literal

import trafilatura

from storyline.errors import IngestError
from storyline.ingest.dates import Precision, parse_timestamp
from storyline.ingest.decode import check_binary, decode_bytes
from storyline.ingest.feeds import fetch_url, html_to_text, is_feed, parse_feed
from storyline.ingest.pagebody import article_lines, covers
from storyline.ingest.pagemeta import json_ld, page_title, stated_published
from storyline.ingest.records import Found, build_article, rejected_article, too_large
from storyline.ingest.text import parse_text
from storyline.models import Article
from storyline.settings import Settings

Kind = Literal["jsonl", "json", "html", "feed", "text"]

STDIN_NAME = "<stdin>"
_BY_EXTENSION: dict[str, Kind] = {
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".xml": "feed", ".rss": "feed", ".atom": "feed",
    ".txt": "text", ".text": "text", ".md": "text",
}  # fmt: skip
# Fields in the order they are tried: news-please names first, then the plain ones.
_BODY_KEYS = ("maintext", "text", "body", "content")
_PUBLISHED_KEYS = ("date_publish", "published", "date", "pubDate", "datePublished")
_FETCHED_KEYS = ("date_download", "fetched", "downloaded")
# trafilatura's JSON puts the page URL in `source` and the site's name in `source-hostname`: a URL is never taken
# for the outlet's name.
_SOURCE_KEYS = ("source", "source_domain", "sitename", "source-hostname", "outlet", "hostname")
# trafilatura's date only from the page's markup and URL: its extensive search reads dates out of the text and
# guesses (a "© 2024" footer became 1 January); dates printed in the text are the clean stage's business.
_DATE_OPTIONS = {"extensive_search": False, "original_date": True}
# Lines above the headline in an extracted page body that are a kicker or section name ("Trafik", "Innenriks"),
# at most this many words each, searched for the headline within this many first lines.
_KICKER_MAX_WORDS = 3
_TITLE_SEARCH_LINES = 4


def read_inputs(paths: Sequence[str], settings: Settings) -> Iterator[Article]:
    """Yield one Article per input article, in input order; rejected inputs come back with `rejected` set.

    A path may be a file, a directory (walked recursively, sorted, hidden entries skipped), an http(s) URL,
    or "-" for stdin.
    """
    for path in paths:
        if path == "-":
            yield from _guarded(STDIN_NAME, _read_stdin(settings))
        elif path.startswith(("http://", "https://")):
            yield from _guarded(path, _read_url(path, settings))
        elif os.path.isdir(path):
            yield from _read_directory(path, settings)
        else:
            yield from _guarded(path, _read_file(path, settings))


def _guarded(name: str, articles: Iterator[Article]) -> Iterator[Article]:
    """Pass articles through; an error that ends the whole input becomes one rejected article."""
    try:
        yield from articles
    except IngestError as exc:
        yield rejected_article(exc.input or name, exc)


def walk_files(top: str) -> Iterator[tuple[str, OSError | None]]:
    """Every visible file under `top`, sorted, with the error for any directory that could not be read."""
    errors: list[OSError] = []
    for root, dirs, files in os.walk(top, onerror=errors.append):
        while errors:
            failed = errors.pop(0)
            yield str(failed.filename or root), failed
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield os.path.join(root, name), None
    for failed in errors:
        yield str(failed.filename or top), failed


def _read_directory(top: str, settings: Settings) -> Iterator[Article]:
    seen = False
    for path, error in walk_files(top):
        seen = True
        if error is not None:
            yield rejected_article(path, _unreadable(path, error))
        else:
            yield from _guarded(path, _read_file(path, settings))
    if not seen:
        yield rejected_article(
            top, IngestError("is a directory with no visible files", code="ingest.empty", input=top,
                             hint="point at the folder that holds the articles"),
        )


def _read_file(path: str, settings: Settings) -> Iterator[Article]:
    data = load_file(path, settings)
    kind = _BY_EXTENSION.get(os.path.splitext(path)[1].lower())
    yield from _parse_bytes(data, path, kind, datetime.now(UTC))


def load_file(path: str, settings: Settings) -> bytes:
    """Read a file's bytes, checking its size with stat first so a huge file is refused without reading it."""
    try:
        info = os.stat(path)
    except FileNotFoundError as exc:
        raise IngestError("no such file or directory", code="ingest.not_found", input=path,
                          hint="check the path; directories are read recursively") from exc
    except OSError as exc:
        raise _unreadable(path, exc) from exc
    if not stat.S_ISREG(info.st_mode):
        raise IngestError("is not a regular file", code="ingest.unreadable", input=path,
                          hint="pass a file, a directory, a URL or - for stdin")
    if info.st_size > settings.max_input_bytes:
        raise too_large(path, info.st_size, settings)
    try:
        with open(path, "rb") as handle:
            data = handle.read(settings.max_input_bytes + 1)
    except OSError as exc:
        raise _unreadable(path, exc) from exc
    if len(data) > settings.max_input_bytes:  # it grew after stat
        raise too_large(path, len(data), settings)
    return data


def _unreadable(path: str, exc: OSError) -> IngestError:
    return IngestError(f"cannot be read: {exc.strerror or exc}", code="ingest.unreadable", input=path,
                       hint="check the file's permissions")


def _read_stdin(settings: Settings) -> Iterator[Article]:
    buffer = getattr(sys.stdin, "buffer", None)
    limit = settings.max_input_bytes + 1
    data: bytes = buffer.read(limit) if buffer is not None else sys.stdin.read(limit).encode("utf-8")
    if len(data) > settings.max_input_bytes:
        raise too_large(STDIN_NAME, len(data), settings)
    yield from _parse_bytes(data, STDIN_NAME, None, datetime.now(UTC))


def _read_url(url: str, settings: Settings) -> Iterator[Article]:
    data, content_type = fetch_url(url, settings)
    kind: Kind | None = None
    if "html" in content_type and not is_feed(data):
        kind = "html"
    yield from _parse_bytes(data, url, kind, datetime.now(UTC), url=url)


def sniff(data: bytes) -> Kind:
    head = data[:4096].lstrip(b"\xef\xbb\xbf").lstrip()
    if head.startswith(b"{"):
        return "jsonl"
    if is_feed(head):
        return "feed"
    return "html" if head.startswith(b"<") else "text"


def _parse_bytes(data: bytes, name: str, kind: Kind | None, fetched: datetime,
                 url: str | None = None) -> Iterator[Article]:
    if not data.strip():
        raise _empty(name)
    check_binary(data, name)
    kind = kind or sniff(data)
    if kind == "feed":
        for found in parse_feed(data, name, fetched):
            yield _entry_article(found)
    elif kind in ("jsonl", "json"):
        yield from _read_records(data, name, fetched, whole=kind == "json")
    elif kind == "html":
        yield build_article(read_html(data, name, fetched, url))
    else:
        yield build_article(read_text(data, name, fetched, url))


def _entry_article(found: Found) -> Article:
    if not found.body.strip():
        return rejected_article(found.input_name, IngestError(
            "feed entry has neither content nor summary text", code="ingest.no_body", input=found.input_name,
            hint="the feed only carries headlines; ingest the linked pages instead"))
    return build_article(found)


def _empty(name: str) -> IngestError:
    return IngestError("is empty (nothing but whitespace)", code="ingest.empty", input=name,
                       hint="check that the scraper wrote the article text")


def read_text(data: bytes, name: str, fetched: datetime, url: str | None = None) -> Found:
    decoded = decode_bytes(data, name)
    if not decoded.text.strip():
        raise _empty(name)
    fields = parse_text(decoded.text)
    if not fields.body.strip():
        raise IngestError("has a header or title but no body text", code="ingest.empty", input=name,
                          hint="put the article text after the header and a blank line")
    return Found(
        input_name=name, body=fields.body, title=fields.title, source=fields.source, url=fields.url or url,
        published=fields.published, precision=fields.precision, fetched=fetched,
        meta={"format": "text", "encoding": decoded.encoding, **fields.meta},
    )


def _read_records(data: bytes, name: str, fetched: datetime, *, whole: bool) -> Iterator[Article]:
    """JSONL: one article per line, a bad line rejected as `name:LINE` while the others go on.

    A `.json` file holding one object or an array of objects is read whole (`name:N` for the N-th object).
    """
    text = decode_bytes(data, name).text
    if whole:
        try:
            document = json.loads(text)
        except json.JSONDecodeError:
            pass  # maybe JSONL with a .json name: read it line by line below
        else:
            records = document if isinstance(document, list) else [document]
            for number, record in enumerate(records, start=1):
                yield _record_article(record, f"{name}:{number}", fetched)
            return
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        line_name = f"{name}:{lineno}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield rejected_article(line_name, IngestError(
                f"is not valid JSON ({exc.msg} at column {exc.colno})", code="ingest.malformed_json",
                input=line_name, hint="fix or remove this line; the other lines were read"))
            continue
        yield _record_article(record, line_name, fetched)


def _record_article(record: object, name: str, fetched: datetime) -> Article:
    try:
        return build_article(record_to_found(record, name, fetched))
    except IngestError as exc:
        return rejected_article(name, exc)


def record_to_found(record: object, name: str, fetched: datetime) -> Found:
    """A news-please style or plain JSON record → Found; raise when it is not an object or has no text."""
    if not isinstance(record, dict):
        raise IngestError(f"is JSON but not an object (got {type(record).__name__})",
                          code="ingest.malformed_json", input=name,
                          hint="write one JSON object per line")
    body = _first(record, _BODY_KEYS)
    description = _first(record, ("description",))
    if not body.strip():
        body = description
    if not body.strip():
        raise IngestError(
            f"has no article text (none of {', '.join((*_BODY_KEYS, 'description'))})",
            code="ingest.missing_text", input=name,
            hint="put the body in `maintext` (news-please) or `text`")
    raw_published = _first(record, _PUBLISHED_KEYS)
    published, precision = parse_timestamp(raw_published)
    downloaded, _ = parse_timestamp(_first(record, _FETCHED_KEYS))
    authors = ", ".join(str(a) for a in record.get("authors") or [] if a) or _first(record, ("author",))
    meta = {"format": "jsonl", "lang_hint": _first(record, ("language", "lang")), "author": authors}
    if description and description != body:
        meta["description"] = description
    if raw_published and published is None:
        meta["published_raw"] = raw_published
    return Found(
        input_name=name, body=html_to_text(body) if body.lstrip().startswith("<") else body.strip(),
        title=_first(record, ("title", "headline")), source=_outlet(record),
        url=_record_url(record), published=published, precision=precision,
        fetched=downloaded or fetched, meta=meta,
    )


def _is_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))


def _record_url(record: dict[str, Any]) -> str | None:
    source = _first(record, ("source",))
    return _first(record, ("url", "link")) or (source if _is_url(source) else None)


def _outlet(record: dict[str, Any]) -> str:
    return next((value for key in _SOURCE_KEYS if (value := _first(record, (key,))) and not _is_url(value)), "")


def _first(record: dict[str, Any], keys: Sequence[str]) -> str:
    """The first key with a non-empty scalar value, as a string ("" when none has one)."""
    for key in keys:
        value = record.get(key)
        if isinstance(value, (str, int, float)) and not isinstance(value, bool) and str(value).strip():
            return str(value).strip()
    return ""


def read_html(data: bytes, name: str, fetched: datetime, url: str | None = None) -> Found:
    """A web page → its main text (trafilatura), title, date, url, site name and `<html lang>`."""
    decoded = decode_bytes(data, name)
    tree = trafilatura.load_html(decoded.text)
    if tree is None:
        raise _no_body(name, "cannot be parsed as HTML")
    lang = str(tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang") or "")
    page = json_ld(tree)
    stated = stated_published(tree, page)
    try:
        doc = trafilatura.bare_extraction(tree, url=url, with_metadata=True, include_comments=False,
                                          include_tables=False, date_extraction_params=_DATE_OPTIONS)
    except Exception as exc:  # trafilatura raises many kinds; map them at this boundary
        raise IngestError(f"HTML extraction failed: {type(exc).__name__}: {exc}", code="ingest.unreadable",
                          input=name, hint="check that the file is a complete HTML page") from exc
    text = str(getattr(doc, "text", None) or "") if doc is not None else ""
    title = page_title(tree, page, str(getattr(doc, "title", None) or ""))
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    marked = article_lines(tree)
    if marked is not None and covers(marked, lines):
        lines = marked
    lines = _without_headline(lines, title)
    if not lines:
        raise _no_body(name, "has no article body text that trafilatura could find")
    published, precision = _html_published(stated, str(getattr(doc, "date", None) or ""))
    meta = {"format": "html", "encoding": decoded.encoding, "lang_hint": lang,
            "author": str(getattr(doc, "author", None) or ""),
            "description": str(getattr(doc, "description", None) or "")}
    return Found(
        input_name=name, body="\n\n".join(lines), title=title,
        source=str(getattr(doc, "sitename", None) or ""),
        url=str(getattr(doc, "url", None) or "") or url, published=published, precision=precision,
        fetched=fetched, meta=meta,
    )


def _without_headline(lines: list[str], title: str) -> list[str]:
    """trafilatura keeps the <h1>, sometimes under a kicker ("Trafik"): the title already holds it, so drop it and
    the kicker lines above it."""
    key = " ".join(title.split()).casefold()
    for i, line in enumerate(lines[:_TITLE_SEARCH_LINES]):
        if key and " ".join(line.split()).casefold() == key:
            if all(len(above.split()) <= _KICKER_MAX_WORDS for above in lines[:i]):
                return lines[i + 1 :]
            return lines[:i] + lines[i + 1 :]
    return lines


def _html_published(stated: list[str], extracted: str) -> tuple[datetime | None, Precision]:
    for value in stated:
        published, precision = parse_timestamp(value)
        if published is not None:
            return published, precision
    published, _ = parse_timestamp(extracted)
    return (published, "day") if published is not None else (None, "unknown")


def _no_body(name: str, why: str) -> IngestError:
    return IngestError(why, code="ingest.no_body", input=name,
                       hint="the page may be an index, a paywall or built by JavaScript; save the article")
