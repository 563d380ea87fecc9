"""The web pages: a story list, a story page and an article page, rendered server-side with Jinja2.

Plain HTML and one local stylesheet: no JavaScript, no CDN, so it works offline and in any browser. Autoescape
is on for every template; text from articles only ever reaches the page as escaped data.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass, field
from typing import Annotated, Any

import jinja2
from babel import Locale
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from storyline.link.summary import headline
from storyline.models import Article
from storyline.serve import views
from storyline.serve.api import LanguageQuery, load_story_page
from storyline.serve.deps import StoreDep
from storyline.serve.schemas import Outlet, StorySummary
from storyline.store.base import StoryOrder

PAGE_SIZE = 30
# The story list's orders as the page names them (store/base.py: StoryOrder).
ORDER_LABELS: dict[str, str] = {"latest": "newest news first", "first": "newest stories first",
                                "size": "most articles first"}
SEARCH_LIMIT = 50

router = APIRouter(include_in_schema=False)

_env = jinja2.Environment(
    loader=jinja2.PackageLoader("storyline.serve", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_LOCALE = Locale("en")


def language_name(code: str | None) -> str:
    """English name of a language code ("nb" -> "Norwegian Bokmål"); the code itself when Babel lacks it."""
    if not code:
        return "unknown language"
    return str(_LOCALE.languages.get(code, code))


def short_date(iso: str | None) -> str:
    """The date part of an ISO timestamp; the page shows days, the API keeps full times."""
    return iso[:10] if iso else "—"


def short_time(iso: str | None) -> str:
    """Day and minute of an ISO timestamp as published (its own offset kept: that is the outlet's clock)."""
    if not iso:
        return "—"
    # Day-precision publication dates are stored at midnight: a "00:00" would claim a time nobody gave.
    if len(iso) < 16 or iso[10] != "T" or iso[11:19] == "00:00:00":
        return iso[:10]
    return f"{iso[:10]} {iso[11:16]}"


ENTITY_TYPES = {"PER": "person", "ORG": "organisation", "LOC": "place", "GPE": "country, city or region",
                "DEMONYM": "people of a place (demonym)", "MISC": "other name", "EVENT": "event"}


def entity_type(code: str) -> str:
    return ENTITY_TYPES.get(code.upper(), code)


def feature_label(name: str) -> str:
    return name.replace("_", " ")


def length_gt_one(items: Any) -> bool:
    """Jinja test: a claim reported more than once (the ones worth aligning side by side)."""
    return len(items) > 1


_env.filters.update(language_name=language_name, short_date=short_date, short_time=short_time,
                    feature_label=feature_label, entity_type=entity_type)
_env.tests.update(length_gt_one=length_gt_one)


def render(template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(_env.get_template(template).render(**context), status_code=status_code)


# What a reader of the pages can do about an error; the API's hint speaks to CLI and API users.
_PAGE_ADVICE = {
    "store.not_found": "The id may be mistyped or cut short, or the database behind this server does not hold "
    "it. Start from the list of stories, or search for words from the headline.",
    "api.not_found": "There is no page at this address. Start from the list of stories, or search.",
    "api.invalid_request": "A value in the address is not one this page accepts. Start from the list of stories.",
}
_PAGE_HEADINGS = {404: "Not found", 400: "Bad request", 405: "Not allowed", 422: "Invalid address"}


def render_error(request: Request, status: int, code: str, message: str, hint: str) -> HTMLResponse:
    """The HTML face of the one error shape (used by `serve/errors.py` for browsers)."""
    heading = _PAGE_HEADINGS.get(status, "Something went wrong" if status >= 500 else "Error")
    return render("error.html", status_code=status, status=status, code=code, message=message, hint=hint,
                  advice=_PAGE_ADVICE.get(code, ""), heading=heading, title=f"{heading} ({status})",
                  q=request.query_params.get("q", ""))


# -- article text with entities and quotes marked ----------------------------------------------------------
@dataclass(slots=True)
class Segment:
    text: str
    classes: list[str] = field(default_factory=list)
    title: str = ""


@dataclass(slots=True)
class ParagraphView:
    kind: str
    language: str | None
    segments: list[Segment]


def _spans(article: Article) -> list[tuple[int, int, str, str]]:
    """(start, end, css class, tooltip) of every entity, quote and date mention."""
    spans = [(e.start, e.end, f"ent ent-{e.type.lower()}", f"{e.type} {e.key}") for e in article.entities]
    spans += [
        (q.start, q.end, f"quote quote-{q.kind}", f"quote: {q.speaker or 'unknown speaker'}")
        for q in article.quotes
    ]
    spans += [(d.start, d.end, "date", f"date {d.value}") for d in article.dates]
    return [s for s in spans if 0 <= s[0] < s[1] <= len(article.text)]


def paragraph_views(article: Article) -> list[ParagraphView]:
    """Paragraphs cut at every entity and quote boundary, so overlapping marks (a name in a quote) nest."""
    spans = _spans(article)
    paragraphs = article.paragraphs or []
    if not paragraphs and article.text:
        return [ParagraphView("body", article.language, [Segment(article.text)])]
    result = []
    for p in paragraphs:
        inside = [s for s in spans if s[0] < p.end and s[1] > p.start]
        cuts = sorted({p.start, p.end} | {max(p.start, min(p.end, x)) for s in inside for x in s[:2]})
        segments = []
        for a, b in itertools.pairwise(cuts):
            covering = [s for s in inside if s[0] <= a and b <= s[1]]
            segments.append(
                Segment(
                    text=article.text[a:b],
                    classes=[s[2] for s in covering],
                    title="; ".join(s[3] for s in covering),
                )
            )
        result.append(ParagraphView(p.kind, p.language or article.language, segments))
    return result


# -- pages ---------------------------------------------------------------------------------------------------
@router.get("/", response_class=HTMLResponse)
def index(store: StoreDep, page: Annotated[int, Query(ge=1)] = 1, order: StoryOrder = "latest") -> HTMLResponse:
    stories = store.list_stories(limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE, order=order)
    rows = []
    for s in stories[:PAGE_SIZE]:
        articles = store.story_articles(s.id)
        rows.append(StoryRow(views.story_summary(s), views.outlets(articles),
                             views.title_language(s.title, articles), headline(s.title, articles)))
    return render("index.html", title="Stories", rows=rows, page=page, has_next=len(stories) > PAGE_SIZE,
                  counts=store.counts(), order=order, orders=ORDER_LABELS)


@dataclass(frozen=True, slots=True)
class StoryRow:
    """A story as the list shows it: the API's summary, its outlets with counts, and its headline's language."""

    story: StorySummary
    outlets: list[Outlet]
    title_language: str | None
    headline: str = ""  # the title, or for an untitled story the opening of its lead (link/summary.headline)


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(
    story_id: str,
    store: StoreDep,
    merged_from: Annotated[str | None, Query(alias="from", max_length=64)] = None,
    lang: LanguageQuery = None,
) -> Response:
    page = load_story_page(store, story_id)
    if page.story.id != story_id:
        # A merged-away id: send the browser to the live story so its address bar and bookmarks follow.
        return RedirectResponse(f"/stories/{page.story.id}?from={story_id}", status_code=301)
    detail = views.story_detail(page, lang)
    titles = {a.id: a.title or a.id for a in page.articles}
    story_lang_of = {a.id: a.language for a in page.articles}
    return render("story.html", title=detail.headline or detail.title, story=detail, titles=titles,
                  merged_from=merged_from, story_lang_of=story_lang_of)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(article_id: str, store: StoreDep) -> HTMLResponse:
    article = store.get_article(article_id)
    quotes = views.story_quotes([article])
    events, known = [], []
    if article.story_id:
        events = store.story_events(article.story_id)
        if article.link and article.link.copy_of:
            # The wire copy's explanation names its original: the story's articles hold it.
            known = store.story_articles(article.story_id)
    return render(
        "article.html",
        title=article.title or article.id,
        article=article,
        paragraphs=paragraph_views(article),
        entities=views.top_entities([article], limit=100),
        quotes=quotes,
        explanation=next(iter(views.explanations([article], top=20, events=events, known=known)), None),
    )


@router.get("/search", response_class=HTMLResponse)
def search_page(store: StoreDep, q: Annotated[str, Query(max_length=500)] = "") -> HTMLResponse:
    hits = [views.search_hit(a) for a in store.search(q, limit=SEARCH_LIMIT)] if q.strip() else []
    # A reader searching wants the story a hit belongs to, by its headline (merged ids resolve to the live one).
    story_titles = {sid: store.get_story(sid).title for sid in dict.fromkeys(h.story for h in hits if h.story)}
    story_hits = Counter(h.story for h in hits if h.story)
    return render("search.html", title=f"Search: {q}" if q else "Search", q=q, hits=hits,
                  story_titles=story_titles, story_hits=story_hits, limit=SEARCH_LIMIT)


@router.get("/docs", response_class=HTMLResponse)
def api_reference(request: Request) -> HTMLResponse:
    """The API's routes, parameters and responses from /openapi.json, as a page that needs no CDN."""
    schema: dict[str, Any] = request.app.openapi()
    routes = [
        {"method": method.upper(), "path": path, "summary": op.get("summary", ""),
         "description": op.get("description", ""), "parameters": op.get("parameters", []),
         "responses": sorted(op.get("responses", {}).items())}
        for path, ops in schema.get("paths", {}).items()
        for method, op in ops.items()
    ]
    return render("docs.html", title="API reference", routes=routes, info=schema.get("info", {}))
