"""What a story looks like to a reader, built from the store's `Story` and `Article`s; shared by API and web.

Everything here is a pure function of stored data (no store access), so the API and the page cannot drift
apart and each piece is testable with hand-built articles.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from storyline.link import explain as explain_words
from storyline.link import summary as overview_of
from storyline.link.claims import Claim as ClaimData
from storyline.link.claims import story_claims
from storyline.models import Article, Event, Story
from storyline.serve.schemas import (
    ArticleRef,
    Claim,
    ClaimQuote,
    EntitySummary,
    Feature,
    LinkExplanation,
    Outlet,
    QuoteGroup,
    QuoteView,
    Reason,
    Rendering,
    RenderingSource,
    Report,
    SearchHit,
    StoryDetail,
    StoryOverview,
    StorySummary,
    SummarySentence,
    TimelineEvent,
    TimelineGroup,
)

# How many entities and explanation features a story page shows; more is noise for a reader, and the full
# data stays available from /api/articles/{id}.
TOP_ENTITIES = 20
TOP_FEATURES = 5
SNIPPET_CHARS = 200
UNKNOWN_LANGUAGE = "und"  # BCP 47 "undetermined"


def story_summary(story: Story) -> StorySummary:
    return StorySummary(**story.to_json(), article_count=len(story.articles))


def article_ref(article: Article) -> ArticleRef:
    return ArticleRef(
        id=article.id,
        title=article.title,
        source=article.source,
        url=article.url,
        language=article.language,
        published=article.published.isoformat() if article.published else None,
        published_precision=article.published_precision,
        story=article.story_id,
    )


def search_hit(article: Article) -> SearchHit:
    text = " ".join(article.text[: SNIPPET_CHARS * 2].split())
    snippet = text if len(text) <= SNIPPET_CHARS else text[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " …"
    return SearchHit(**article_ref(article).model_dump(), snippet=snippet)


def language_at(article: Article, offset: int) -> str | None:
    """The language of the paragraph holding `offset`, else the article's (a Danish text may quote Swedes)."""
    for p in article.paragraphs:
        if p.start <= offset < p.end and p.language:
            return p.language
    return article.language


def outlets(articles: Iterable[Article]) -> list[Outlet]:
    return [Outlet(name=o.name, count=o.count, languages=o.languages) for o in overview_of.outlets(list(articles))]


def _timeline_event(e: overview_of.TimelineEntry) -> TimelineEvent:
    return TimelineEvent(
        date=e.date, kind="published" if e.kind == "published" else "mentioned", label=e.label,
        article_ids=e.article_ids, languages=e.languages, granularity=e.granularity, anchored=e.anchored,
        event_id=e.event_id,
    )


def timeline(articles: Iterable[Article], events: Sequence[Event] = ()) -> list[TimelineEvent]:
    """Publications and mentioned dates in date order; a date mentioned by several articles is one event."""
    return [_timeline_event(e) for e in overview_of.timeline(list(articles), events)]


def _entity(e: overview_of.KeyEntity) -> EntitySummary:
    return EntitySummary(key=e.key, type=e.type, name=e.name, surface=e.surface, count=e.count,
                         article_count=e.article_count)


def top_entities(articles: Iterable[Article], limit: int = TOP_ENTITIES) -> list[EntitySummary]:
    """Entities by the number of articles naming them, each with its most common surface form per language."""
    return [_entity(e) for e in overview_of.key_entities(list(articles), limit)]


def claims(articles: Iterable[Article]) -> list[Claim]:
    return [_claim(c) for c in story_claims(articles)]


def _claim(c: ClaimData) -> Claim:
    quotes = [
        ClaimQuote(
            speaker=r.quote.speaker, speaker_key=r.quote.speaker_key, text=r.quote.text, kind=r.quote.kind,
            language=r.language, article_id=r.article_id, source=r.source,
            published=r.published.isoformat() if r.published else None, cue=r.quote.cue,
        )
        for r in c.quotes
    ]
    return Claim(
        id=c.id, speaker=c.speaker, speaker_key=c.speaker_key, text=c.text, languages=c.languages,
        sources=c.sources, cohesion=c.cohesion, quotes=quotes, renderings=renderings(quotes),
    )


def _wording(text: str) -> str:
    # Wire copies differ at most in case, spacing and the quote's closing punctuation.
    return " ".join(text.casefold().split()).rstrip(" .,!?…")


def renderings(quotes: Sequence[ClaimQuote]) -> list[Rendering]:
    """Quotes with the same wording in the same language as one rendering with several outlets, in order."""
    groups: dict[tuple[str | None, str], Rendering] = {}
    for q in quotes:
        key = (q.language, _wording(q.text))
        if key not in groups:
            groups[key] = Rendering(text=q.text, language=q.language, kind=q.kind, sources=[])
        groups[key].sources.append(RenderingSource(article_id=q.article_id, source=q.source, published=q.published))
    return list(groups.values())


def _speaker_group_key(q: QuoteView) -> str:
    # Resolved speakers group by entity key (the same person across languages); unresolved ones by the name as
    # written; quotes with no speaker at all form one group.
    if q.speaker_key:
        return "k:" + q.speaker_key
    if q.speaker:
        return "s:" + " ".join(q.speaker.casefold().split())
    return "none"


def story_quotes(articles: Iterable[Article]) -> list[QuoteView]:
    return [
        QuoteView(
            speaker=q.speaker,
            speaker_key=q.speaker_key,
            text=q.text,
            kind=q.kind,
            language=language_at(a, q.start),
            article_id=a.id,
            source=a.source,
            published=a.published.isoformat() if a.published else None,
        )
        for a in articles
        for q in a.quotes
    ]


def group_quotes(quotes: list[QuoteView]) -> list[QuoteGroup]:
    """Quotes grouped by speaker: most quoted first, unattributed last, given order kept within."""
    groups: dict[str, list[QuoteView]] = {}
    for q in quotes:
        groups.setdefault(_speaker_group_key(q), []).append(q)
    ordered = sorted(groups.items(), key=lambda kv: (kv[0] == "none", -len(kv[1])))
    result = []
    for _, members in ordered:
        names = Counter(q.speaker for q in members if q.speaker)
        result.append(
            QuoteGroup(
                speaker=names.most_common(1)[0][0] if names else None,
                speaker_key=members[0].speaker_key,
                languages=sorted({q.language for q in members if q.language}),
                quotes=members,
            )
        )
    return result


def explanations(
    articles: Iterable[Article], top: int = TOP_FEATURES, events: Sequence[Event] = (),
    known: Sequence[Article] = (),
) -> list[LinkExplanation]:
    """Why each article joined or opened the story, in words; `known` (default: `articles`) names originals."""
    articles = list(articles)
    by_id = {a.id: a for a in (*articles, *known)}
    event_titles = {e.id: e.title for e in events}
    result = []
    for a in articles:
        if a.link is None:
            continue
        original = by_id.get(a.link.copy_of) if a.link.copy_of else None
        words = explain_words.explain(a.link, original.title if original else None,
                                      original.source if original else None)
        # Contributions are the model's own account of the decision; older decisions only kept raw values.
        strongest = words.contributions or sorted(a.link.features.items(), key=lambda kv: (-abs(kv[1]), kv[0]))
        result.append(
            LinkExplanation(
                article_id=a.id,
                title=a.title or a.id,
                action=a.link.action,
                score=a.link.score,
                candidate_count=a.link.candidate_count,
                headline=words.headline,
                reasons=[Reason(feature=r.feature, text=r.text, contribution=r.contribution, direction=r.direction)
                         for r in words.reasons],
                event=explain_words.event_sentence(a.link, event_titles.get(a.link.event_id or "")),
                event_id=a.link.event_id,
                copy_of=a.link.copy_of,
                features=[Feature(name=n, value=v) for n, v in strongest[:top]],
            )
        )
    return result


def _root(article: Article, by_id: dict[str, Article]) -> str:
    """The original a wire copy was copied from, following copies of copies (bounded: no cycles)."""
    current = article
    for _ in range(len(by_id)):
        parent = current.link.copy_of if current.link else None
        if parent is None or parent not in by_id:
            break
        current = by_id[parent]
    return current.id


def reports(articles: Sequence[Article]) -> list[Report]:
    """The articles as reports, in story order: each wire copy listed under the article it copies."""
    by_id = {a.id: a for a in articles}
    grouped: dict[str, list[Article]] = {}
    for a in articles:
        grouped.setdefault(_root(a, by_id), []).append(a)
    out = []
    for root_id, members in grouped.items():
        original = by_id[root_id]
        copies = [m for m in members if m.id != root_id]
        out.append(Report(article=article_ref(original), copies=[article_ref(c) for c in copies],
                          outlets=list(dict.fromkeys([original.source, *(c.source for c in copies)]))))
    return out


def title_language(title: str, articles: Iterable[Article]) -> str | None:
    """The language of the article whose headline the story took (so a page can mark the title's language)."""
    return next((a.language for a in articles if a.title == title and a.language), None)


@dataclass(frozen=True, slots=True)
class StoryPage:
    """A story with everything its page shows; `requested` is the id asked for (differs after a merge)."""

    story: Story
    articles: list[Article]
    requested: str
    events: list[Event] = field(default_factory=list)


def story_detail(page: StoryPage, language: str | None = None) -> StoryDetail:
    """The whole story view; `language` picks the summary's language when the story has articles in it."""
    quotes = story_quotes(page.articles)
    groups = group_quotes(quotes)
    view = overview_of.overview(page.articles, page.events, language)
    base = story_summary(page.story).model_dump(exclude={"outlets", "events"})
    return StoryDetail(
        **base,
        redirected_from=page.requested if page.requested != page.story.id else None,
        title_language=title_language(page.story.title, page.articles),
        headline=overview_of.headline(page.story.title, page.articles),
        first_seen=view.first_seen.isoformat() if view.first_seen else None,
        last_seen=view.last_seen.isoformat() if view.last_seen else None,
        summary=StoryOverview(
            language=view.summary_language,
            sentences=[SummarySentence(text=x.text, article_id=x.article_id, language=x.language)
                       for x in view.summary],
        ),
        outlets=[Outlet(name=o.name, count=o.count, languages=o.languages) for o in view.outlets],
        article_list=[article_ref(a) for a in page.articles],
        report_list=reports(page.articles),
        events=[
            TimelineGroup(id=g.id, title=g.title, first=g.first, last=g.last, articles=g.article_ids,
                          languages=g.languages, entries=[_timeline_event(e) for e in g.entries])
            for g in view.events
        ],
        timeline=[_timeline_event(e) for e in view.timeline],
        entities=[_entity(e) for e in view.entities],
        claims=claims(page.articles),
        quotes=[q for g in groups for q in g.quotes],
        quote_groups=groups,
        explanations=explanations(page.articles, events=page.events),
    )
