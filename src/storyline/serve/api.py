"""The REST API under /api: thin reads over the `Store`, shaped by `schemas` and `views`.

Every error leaves as `{"error": {"code", "message", "hint"}}` (see `serve/errors.py`); the 404 responses are
declared here so /openapi.json documents that shape.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from storyline.serve import views
from storyline.serve.deps import StoreDep
from storyline.serve.errors import API_PREFIX
from storyline.serve.schemas import (
    ArticleDetail,
    ChangeOut,
    ErrorResponse,
    SearchHit,
    StoryDetail,
    StorySummary,
)
from storyline.store.base import Store, StoryOrder

_ERRORS: dict[int | str, dict[str, Any]] = {
    422: {"model": ErrorResponse, "description": "A parameter is missing or invalid."},
    500: {"model": ErrorResponse, "description": "The store failed."},
}
_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorResponse, "description": "Unknown id."}}

router = APIRouter(prefix=API_PREFIX, tags=["api"], responses=_ERRORS)


def load_story_page(store: Store, story_id: str) -> views.StoryPage:
    """The live story for an id (following merge tombstones) with its articles."""
    story = store.get_story(story_id)
    return views.StoryPage(story=story, articles=store.story_articles(story.id), requested=story_id,
                           events=store.story_events(story.id))


LanguageQuery = Annotated[
    str | None,
    Query(alias="lang", pattern="^[a-z]{2,3}$", description="Preferred summary language (da, nb, nn, sv, en)."),
]


@router.get("/stories", response_model=list[StorySummary],
            summary="Live stories, newest news first (by their latest article's publication) unless `order` says")
def list_stories(
    store: StoreDep,
    limit: Annotated[int, Query(ge=1, le=1000, description="How many stories to return.")] = 100,
    offset: Annotated[int, Query(ge=0, description="How many stories to skip (for paging).")] = 0,
    order: Annotated[StoryOrder, Query(description="latest: newest news first; first: most recently begun "
                                                   "first; size: most articles first.")] = "latest",
) -> list[StorySummary]:
    return [views.story_summary(s) for s in store.list_stories(limit=limit, offset=offset, order=order)]


@router.get(
    "/stories/{story_id}",
    response_model=StoryDetail,
    responses=_NOT_FOUND,
    summary="A story with its summary, aligned claims, events, timeline, entities, outlets and explanations",
    description="An id merged into another story answers with the live story and `redirected_from` set. "
    "`lang` picks the summary's language when the story has articles in it (else its commonest language).",
)
def get_story(story_id: str, store: StoreDep, lang: LanguageQuery = None) -> StoryDetail:
    return views.story_detail(load_story_page(store, story_id), lang)


@router.get(
    "/articles/{article_id}",
    response_model=ArticleDetail,
    responses=_NOT_FOUND,
    summary="An article as `storyline analyze` prints it, plus its link decision",
)
def get_article(article_id: str, store: StoreDep) -> ArticleDetail:
    article = store.get_article(article_id)
    link = None
    if article.link is not None:
        d = article.link
        link = {
            "story_id": d.story_id, "action": d.action, "score": d.score,
            "features": dict(d.features), "candidate_count": d.candidate_count,
        }
    return ArticleDetail.model_validate({**article.to_json(), "link": link})


@router.get("/search", response_model=list[SearchHit], summary="Full-text search over titles and texts")
def search(
    store: StoreDep,
    q: Annotated[str, Query(min_length=1, max_length=500, description="Words to search for.")],
    limit: Annotated[int, Query(ge=1, le=200, description="How many articles to return.")] = 20,
) -> list[SearchHit]:
    return [views.search_hit(a) for a in store.search(q, limit=limit)]


@router.get("/changes", response_model=list[ChangeOut], summary="Change-log entries after a seq")
def changes(
    store: StoreDep,
    since: Annotated[int, Query(ge=0, description="Return entries with seq greater than this.")] = 0,
) -> list[ChangeOut]:
    return [ChangeOut.model_validate(c.to_json()) for c in store.changes(since=since)]
