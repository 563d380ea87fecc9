"""Response models of the REST API, also the view data the web templates render.

One set of models serves both layers, so the page and `/api` can never disagree about what a story contains.
Models mirroring a `to_json()` contract allow extra fields: `models.py` may add fields to its JSON shape, and
the API should pass them through instead of silently dropping them.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Open(BaseModel):
    """A model over a public `to_json()` shape: fields added there later pass through unchanged."""

    model_config = ConfigDict(extra="allow")


# -- errors ------------------------------------------------------------------------------------------------
class ErrorDetail(BaseModel):
    code: str = Field(description="Stable `<area>.<reason>` code, e.g. `store.not_found`.")
    message: str = Field(description="What went wrong, naming the input.")
    hint: str = Field(description="What to do about it (may be empty).")


class ErrorResponse(BaseModel):
    """The one shape of every error the server returns."""

    error: ErrorDetail


# -- stories -------------------------------------------------------------------------------------------------
class EventRef(_Open):
    """An event inside a story as `storyline stories --format json` lists it."""

    id: str
    title: str
    articles: list[str]
    first: str | None
    last: str | None


class _StoryBase(_Open):
    id: str
    title: str
    languages: list[str]
    articles: list[str]
    updated: str
    first_published: str | None
    last_published: str | None
    article_count: int
    reports: int = Field(0, description="Articles that are not wire copies of another article in the story.")


class StorySummary(_StoryBase):
    """A story as listed: `Story.to_json()` plus its article count."""

    outlets: list[str] = Field(default_factory=list, description="Distinct sources that carried the story.")
    events: list[EventRef] = Field(default_factory=list, description="The story's events, earliest first.")


class ArticleRef(BaseModel):
    """An article as listed under a story or a search result."""

    id: str
    title: str
    source: str
    url: str | None
    language: str | None
    published: str | None
    published_precision: str
    story: str | None = None


class SearchHit(ArticleRef):
    snippet: str = Field(description="The start of the cleaned text.")


class Outlet(BaseModel):
    name: str
    count: int
    languages: list[str]


class TimelineEvent(BaseModel):
    """A point on the story's timeline: an article published, or a date the articles mention."""

    date: str = Field(description="ISO 8601 date (or `a/b` range) the event sorts by.")
    kind: Literal["published", "mentioned"]
    label: str = Field(description="The article title, or the date as first written in the text.")
    article_ids: list[str]
    languages: list[str]
    granularity: str | None = None
    anchored: str | None = None
    event_id: str | None = Field(None, description="The story event this point belongs to, when events exist.")


class TimelineGroup(BaseModel):
    """An event of the story with its timeline points: the timeline's groups."""

    id: str
    title: str
    first: str | None = Field(description="First day its articles report on.")
    last: str | None
    articles: list[str]
    languages: list[str]
    entries: list[TimelineEvent]


class EntitySummary(BaseModel):
    key: str
    type: str
    name: str = Field(description="The most common surface form over the whole story.")
    surface: dict[str, str] = Field(description="Language code -> the most common surface form in it.")
    count: int = Field(description="Mentions over all the story's articles.")
    article_count: int


class QuoteView(BaseModel):
    speaker: str | None
    speaker_key: str | None
    text: str
    kind: str
    language: str | None
    article_id: str
    source: str
    published: str | None


class QuoteGroup(BaseModel):
    """The quotes of one speaker (by speaker key), so statements in different languages sit together."""

    speaker: str | None
    speaker_key: str | None
    languages: list[str]
    quotes: list[QuoteView]


class ClaimQuote(QuoteView):
    cue: str | None = None


class RenderingSource(BaseModel):
    article_id: str
    source: str
    published: str | None


class Rendering(BaseModel):
    """One wording of a claim in one language; the same words in several outlets (a wire text) are one rendering."""

    text: str
    language: str | None
    kind: str
    sources: list[RenderingSource] = Field(description="Outlets that printed these words, by publication time.")


class Claim(BaseModel):
    """One statement by one speaker, as reported in one or more articles, languages and outlets."""

    id: str = Field(description="Stable for the same quotes: a hash of the earliest quote's article and offset.")
    speaker: str | None
    speaker_key: str | None
    text: str = Field(description="The headline wording: the longest direct quote.")
    languages: list[str]
    sources: list[str]
    cohesion: float = Field(description="Lowest pairwise similarity between its quotes (1.0 for one quote).")
    quotes: list[ClaimQuote] = Field(description="Every rendering, by publication time.")
    renderings: list[Rendering] = Field(
        default_factory=list, description="The quotes with identical wording (per language) taken together."
    )


class SummarySentence(BaseModel):
    text: str
    article_id: str
    language: str | None


class StoryOverview(BaseModel):
    """An extractive summary: 2-4 central sentences in one language, chosen by `?lang=` when the story has it."""

    language: str | None
    sentences: list[SummarySentence]


class Feature(BaseModel):
    name: str
    value: float


class Reason(BaseModel):
    """One reason for or against joining, in words, with its weight in the learned decision."""

    feature: str = Field(description="What the reason is about: wording, headline, names, missing_names, "
                         "other_people, time, years, subject, figures or meaning (each sums the model's related "
                         "features).")
    text: str = Field(description="The features' values in words, e.g. `reports 100 % of the same figures`.")
    contribution: float = Field(description="Its term in the decision's logit (weight × value); >0 favours joining.")
    direction: Literal["for", "against"]


class LinkExplanation(BaseModel):
    """Why an article joined (or opened) the story: a sentence, reasons in words, and the strongest terms."""

    article_id: str
    title: str
    action: Literal["join", "new"]
    score: float
    candidate_count: int
    headline: str = Field("", description="The decision in one sentence.")
    reasons: list[Reason] = Field(default_factory=list, description="Strongest reasons for, then against.")
    event: str | None = Field(None, description="Which event of the story the article reports, in words.")
    event_id: str | None = None
    copy_of: str | None = Field(None, description="The original article when this one is a wire copy of it.")
    features: list[Feature] = Field(
        description="The decision's terms by absolute size, strongest first: each feature's contribution "
        "(weight × value) when the decision recorded them, else its raw value."
    )


class Report(BaseModel):
    """One report: an article and the wire copies of it that other outlets carried."""

    article: ArticleRef
    copies: list[ArticleRef] = Field(default_factory=list, description="Near-identical texts in other outlets.")
    outlets: list[str] = Field(description="The original's outlet, then the copies' outlets.")


class StoryDetail(_StoryBase):
    redirected_from: str | None = Field(
        None, description="Set when the requested id was merged into this story (a tombstone was followed)."
    )
    title_language: str | None = Field(None, description="Language of the article whose headline names the story.")
    headline: str = Field("", description="What to show as the story's headline: `title`, or for a story whose "
                          "articles came without titles the opening of its founding article's lead.")
    first_seen: str | None = Field(description="Earliest publication time of its articles.")
    last_seen: str | None
    summary: StoryOverview
    outlets: list[Outlet]
    article_list: list[ArticleRef]
    report_list: list[Report] = Field(
        default_factory=list, description="The articles as reports: wire copies under their original."
    )
    events: list[TimelineGroup] = Field(description="The story's events with their timeline points (may be empty).")
    timeline: list[TimelineEvent]
    entities: list[EntitySummary] = Field(description="Key entities, by the number of articles naming them.")
    claims: list[Claim] = Field(description="Quotes of one speaker saying the same thing, aligned across languages.")
    quotes: list[QuoteView] = Field(description="Grouped by speaker key, then by publication time.")
    quote_groups: list[QuoteGroup]
    explanations: list[LinkExplanation]


# -- articles ------------------------------------------------------------------------------------------------
class ParagraphOut(_Open):
    text: str
    start: int
    end: int
    kind: str
    language: str | None = None
    language_confidence: float | None = None


class EntityOut(_Open):
    text: str
    type: str
    key: str
    start: int
    end: int


class QuoteOut(_Open):
    text: str
    kind: str
    speaker: str | None
    speaker_key: str | None
    cue: str | None
    start: int
    end: int


class DateOut(_Open):
    text: str
    value: str
    granularity: str
    start: int
    end: int
    anchored: str


class LinkOut(_Open):
    story_id: str
    action: Literal["join", "new"]
    score: float
    features: dict[str, float]
    candidate_count: int


class ArticleDetail(_Open):
    """`Article.to_json()` (the `storyline analyze` shape) plus the link decision."""

    id: str
    source: str
    url: str | None
    title: str
    language: str | None
    language_confidence: float | None
    published: str | None
    published_precision: str
    text: str
    paragraphs: list[ParagraphOut]
    entities: list[EntityOut]
    quotes: list[QuoteOut]
    dates: list[DateOut]
    story: str | None
    input: str
    rejected: dict[str, Any] | None
    link: LinkOut | None


# -- change log ----------------------------------------------------------------------------------------------
class ChangeOut(_Open):
    seq: int
    at: str
    action: Literal["create", "join", "merge", "event_merge"]
    story: str
    article: str | None
    other_story: str | None
    detail: dict[str, Any]
