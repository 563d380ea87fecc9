"""What a story looks like to a reader, built from the store's `Story` and `Article`s; shared by API and web.

Everything here is a pure function of stored data (no store access), so the API and the page cannot drift
apart and each piece is testable with hand-built articles.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from storyline.models import Article, Story
from storyline.serve.schemas import (
    ArticleRef,
    EntitySummary,
    Feature,
    LinkExplanation,
    Outlet,
    QuoteGroup,
    QuoteView,
    SearchHit,
    StoryDetail,
    StorySummary,
    TimelineEvent,
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
    counts: Counter[str] = Counter()
    languages: defaultdict[str, set[str]] = defaultdict(set)
    for a in articles:
        counts[a.source] += 1
        if a.language:
            languages[a.source].add(a.language)
    return [Outlet(name=n, count=c, languages=sorted(languages[n])) for n, c in counts.most_common()]


def timeline(articles: Iterable[Article]) -> list[TimelineEvent]:
    """Publications and mentioned dates in date order; a date mentioned by several articles is one event."""
    events: list[TimelineEvent] = []
    mentions: dict[str, TimelineEvent] = {}
    for a in articles:
        if a.published is not None:
            events.append(
                TimelineEvent(
                    date=a.published.date().isoformat(),
                    kind="published",
                    label=a.title or a.id,
                    article_ids=[a.id],
                    languages=[a.language] if a.language else [],
                    granularity="day",
                )
            )
        for d in a.dates:
            event = mentions.get(d.value)
            if event is None:
                event = mentions[d.value] = TimelineEvent(
                    date=d.value, kind="mentioned", label=d.text, article_ids=[], languages=[],
                    granularity=d.granularity, anchored=d.anchored,
                )
            if a.id not in event.article_ids:
                event.article_ids.append(a.id)
            language = language_at(a, d.start)
            if language and language not in event.languages:
                event.languages.append(language)
    events.extend(mentions.values())
    # ISO strings sort chronologically at any granularity ("2023-07" before "2023-07-11"); publications first
    # on a shared day because they anchor what the mentions refer to.
    events.sort(key=lambda e: (e.date, e.kind != "published"))
    return events


def top_entities(articles: Iterable[Article], limit: int = TOP_ENTITIES) -> list[EntitySummary]:
    """Entities by mention count, each with its most common surface form per language."""
    counts: Counter[str] = Counter()
    types: defaultdict[str, Counter[str]] = defaultdict(Counter)
    surfaces: defaultdict[str, Counter[str]] = defaultdict(Counter)
    by_language: defaultdict[str, defaultdict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    in_articles: defaultdict[str, set[str]] = defaultdict(set)
    for a in articles:
        for e in a.entities:
            counts[e.key] += 1
            types[e.key][e.type] += 1
            surfaces[e.key][e.text] += 1
            by_language[e.key][language_at(a, e.start) or UNKNOWN_LANGUAGE][e.text] += 1
            in_articles[e.key].add(a.id)
    return [
        EntitySummary(
            key=key,
            type=types[key].most_common(1)[0][0],
            name=surfaces[key].most_common(1)[0][0],
            surface={lang: c.most_common(1)[0][0] for lang, c in sorted(by_language[key].items())},
            count=count,
            article_count=len(in_articles[key]),
        )
        for key, count in counts.most_common(limit)
    ]


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


def explanations(articles: Iterable[Article], top: int = TOP_FEATURES) -> list[LinkExplanation]:
    result = []
    for a in articles:
        if a.link is None:
            continue
        strongest = sorted(a.link.features.items(), key=lambda kv: (-abs(kv[1]), kv[0]))[:top]
        result.append(
            LinkExplanation(
                article_id=a.id,
                title=a.title or a.id,
                action=a.link.action,
                score=a.link.score,
                candidate_count=a.link.candidate_count,
                features=[Feature(name=n, value=v) for n, v in strongest],
            )
        )
    return result


@dataclass(frozen=True, slots=True)
class StoryPage:
    """A story with everything its page shows; `requested` is the id asked for (differs after a merge)."""

    story: Story
    articles: list[Article]
    requested: str


def story_detail(page: StoryPage) -> StoryDetail:
    quotes = story_quotes(page.articles)
    groups = group_quotes(quotes)
    return StoryDetail(
        **story_summary(page.story).model_dump(),
        redirected_from=page.requested if page.requested != page.story.id else None,
        outlets=outlets(page.articles),
        article_list=[article_ref(a) for a in page.articles],
        timeline=timeline(page.articles),
        entities=top_entities(page.articles),
        quotes=[q for g in groups for q in g.quotes],
        quote_groups=groups,
        explanations=explanations(page.articles),
    )
