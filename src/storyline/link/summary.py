"""What a story is about, at a glance: an extractive summary, key entities, outlets, languages and a timeline.

All of it is a pure function of the story's stored articles (and its events when the linker made them), so the
CLI, the API and the web page show the same thing and each part is testable with hand-built articles.

The summary takes 2-4 sentences, in one language (the caller's preference when the story has articles in it,
else the language of most of its articles), preferring sentences that are central to the whole story (close, in
folded character grams, to sentences of *other* articles, whatever their language), that open their article,
and that come from the article which founded the story. Sentences that are mostly a direct quote are left to
the claims view; near-duplicates (the same wire sentence in two outlets) are taken once.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from storyline.link.claims import language_at, lexical
from storyline.models import Article, Event
from storyline.outlets import outlet_keys

# Weights of a sentence's score, set by reading the summaries of the 13 bundled sample stories (no gold exists
# for summaries): centrality carries the choice, lead and founding position break near-ties towards the facts.
CENTRALITY_WEIGHT = 1.0
LEAD_BONUS = 0.15  # the article's first sentence
SECOND_BONUS = 0.07  # its second sentence
FOUNDING_BONUS = 0.10  # a sentence of the article that opened the story
DUPLICATE_SIMILARITY = 0.6  # lexical similarity at which a sentence repeats one already chosen
MIN_SENTENCES, MAX_SENTENCES = 2, 4
MIN_CHARS, MAX_CHARS = 40, 320  # shorter is a fragment or caption, longer a run-on the splitter missed
QUOTE_SHARE = 0.5  # a sentence more than half covered by direct quotes is a quote, not a summary sentence
TOP_ENTITIES = 20
HEADLINE_CHARS = 90  # an untitled story's headline, cut from its lead: about one line of the story list

_ENDS_SENTENCE = re.compile(r"[.!?…][»”\"'’)\]]*$")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[«»\"“”„'‘’–—(\[A-ZÆØÅÄÖÜÉ0-9])")
# A full stop after an initial or one of these abbreviations ends no sentence: "Kari B. Hansen", "H. C. Nielsen",
# "ca. 3000", "kl. 08.00" (real news cut there gave summary sentences that open mid-name).
_NO_END_BEFORE = re.compile(
    r"(?:\b[A-ZÆØÅÄÖÜ]|\b(?i:ca|nr|kl|dr|jf|bl\.a|f\.eks|mill|mrd|pst|prof|inkl|evt|ev|osv|mv|t\.d|m\.a|dvs|st))\.$")
# Sentences a reader cannot take as a statement of what happened: a photo caption kept in the body ("…, her
# avbildet på kontoret", "Kari Holm (biletet) …", "Slik såg det ut …") and one opening with a personal pronoun
# whose person the summary may not have named. They stand in only when an article has nothing better. Found in
# a review of real NorNE newspaper articles (10 of 249 summary sentences).
_CAPTION_LIKE = re.compile(
    r"(?i)\b(?:her (?:avbildet|avbilda|avbildad|fotografert)|på (?:bildet|biletet|billedet|bilden))\b|"
    r"\((?:bildet|biletet|billedet|bilden|foto|arkivfoto)\)|^(?:slik|sådan|så här) (?:ser|såg|så|lavet|ligger)\b")
_PERSONAL_PRONOUNS = frozenset({"han", "hun", "ho", "hon", "hen", "he", "she"})


@dataclass(frozen=True, slots=True)
class SummarySentence:
    text: str
    article_id: str
    language: str | None
    start: int
    score: float


@dataclass(frozen=True, slots=True)
class KeyEntity:
    key: str
    type: str
    name: str  # the most common surface form over the story
    surface: dict[str, str]  # language → its most common surface form
    count: int  # mentions
    article_count: int


@dataclass(frozen=True, slots=True)
class OutletCount:
    name: str
    count: int
    languages: list[str]


@dataclass(slots=True)
class TimelineEntry:
    """A point on the timeline: an article published, or a date the articles mention (merged across articles)."""

    date: str  # ISO 8601 date, month, year, or `a/b` range
    kind: str  # "published" | "mentioned"
    label: str
    article_ids: list[str]
    languages: list[str]
    granularity: str | None = None
    anchored: str | None = None
    event_id: str | None = None


@dataclass(slots=True)
class EventGroup:
    """An event of the story with the timeline entries of its articles."""

    id: str
    title: str
    first: str | None
    last: str | None
    article_ids: list[str]
    languages: list[str]
    entries: list[TimelineEntry] = field(default_factory=list)


@dataclass(slots=True)
class StoryOverview:
    summary: list[SummarySentence]
    summary_language: str | None
    entities: list[KeyEntity]
    outlets: list[OutletCount]
    languages: list[str]
    first_seen: datetime | None
    last_seen: datetime | None
    timeline: list[TimelineEntry]
    events: list[EventGroup]

    def to_json(self) -> dict[str, Any]:
        """The shape `storyline story --format json` adds to the story (the API's StoryDetail uses the same names)."""
        return {
            "summary": {"language": self.summary_language,
                        "sentences": [{"text": x.text, "article_id": x.article_id, "language": x.language}
                                      for x in self.summary]},
            "entities": [asdict(e) for e in self.entities],
            "outlets": [asdict(o) for o in self.outlets],
            "languages": self.languages,
            "first_seen": self.first_seen.isoformat() if self.first_seen else None,
            "last_seen": self.last_seen.isoformat() if self.last_seen else None,
            "timeline": [asdict(e) for e in self.timeline],
        }


# -- summary ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Candidate:
    text: str
    article: Article
    start: int
    position: int  # 0 for the article's first sentence


def sentences(article: Article) -> list[_Candidate]:
    """Body sentences of an article that could stand in a summary (not subheadings, fragments or quotes)."""
    direct = [(q.start, q.end) for q in article.quotes if q.kind == "direct"]
    out: list[_Candidate] = []
    weak: list[_Candidate] = []
    unended: list[_Candidate] = []
    paragraphs = [(p.start, p.end) for p in article.paragraphs if p.kind == "body"] or [(0, len(article.text))]
    position = 0
    for p_start, p_end in paragraphs:
        chunk = article.text[p_start:p_end]
        offset = 0
        for piece in _split_sentences(chunk):
            start = p_start + chunk.index(piece, offset)
            offset = start - p_start + len(piece)
            text = " ".join(piece.split())
            end = start + len(piece)
            quoted = sum(max(0, min(end, b) - max(start, a)) for a, b in direct)
            usable = MIN_CHARS <= len(text) <= MAX_CHARS and quoted <= QUOTE_SHARE * len(piece)
            if usable and not text.startswith(("–", "—", "-")):
                # A line with no sentence end is a subheading, kicker or tools strip the clean stage kept as
                # body; it stands in only for an article written without punctuation (a feed teaser).
                ended = _ENDS_SENTENCE.search(text) is not None
                poor = _CAPTION_LIKE.search(text) is not None or text.split(" ", 1)[0].casefold() in _PERSONAL_PRONOUNS
                (unended if not ended else weak if poor else out).append(_Candidate(text, article, start, position))
            position += 1
    return out or weak or unended


def _split_sentences(chunk: str) -> list[str]:
    """The sentences of a paragraph, not cut after an initial or an abbreviation (`_NO_END_BEFORE`)."""
    pieces: list[str] = []
    rest = 0
    for m in _SENTENCE_END.finditer(chunk):
        if _NO_END_BEFORE.search(chunk, rest, m.start()) is None:
            pieces.append(chunk[rest : m.start()])
            rest = m.end()
    pieces.append(chunk[rest:])
    return pieces


def summary_language(articles: Sequence[Article], preferred: str | None) -> str | None:
    # A wire copy is the same report carried by another outlet: counting it would let one agency text, copied
    # three times, outvote two reports written in the story's own language.
    counts = Counter(a.language for a in articles if a.language and not (a.link and a.link.copy_of))
    if not counts:  # only copies (their originals stored elsewhere): their languages are all there is
        counts = Counter(a.language for a in articles if a.language)
    if preferred and counts.get(preferred):
        return preferred
    if not counts:
        return None
    return max(counts, key=lambda lang: (counts[lang], lang == _founder(articles).language, lang))


def headline(title: str, articles: Sequence[Article]) -> str:
    """What a reader sees as the story's headline: its title, or, when its articles came without one (a JSONL
    dump of bodies, a text with no title line), the opening of the founding article's first summary-worthy
    sentence, cut at a word. Without it the story list showed an empty line or a hash id for such stories
    (113 of 234 stories in a review of real corpus documents)."""
    if title.strip() or not articles:
        return title
    founder = _founder(articles)
    first = min(sentences(founder), key=lambda c: c.position, default=None)
    text = first.text if first else " ".join(founder.text.split())
    if len(text) <= HEADLINE_CHARS:
        return text
    cut = text[: HEADLINE_CHARS + 1].rsplit(" ", 1)[0].rstrip(",;:–—- ")
    return (cut or text[:HEADLINE_CHARS]) + " …"


def _founder(articles: Sequence[Article]) -> Article:
    opened = [a for a in articles if a.link is not None and a.link.action == "new"]
    return opened[0] if opened else articles[0]


def summarize(articles: Sequence[Article], language: str | None = None, limit: int = MAX_SENTENCES
              ) -> tuple[list[SummarySentence], str | None]:
    """2-`limit` central sentences in one language (falling back to others when it has too few), in story order."""
    if not articles:
        return [], None
    chosen_language = summary_language(articles, language)
    founder = _founder(articles)
    candidates = [c for a in articles for c in sentences(a)]
    if not candidates:
        return [], chosen_language
    scored = [(_score(c, candidates, founder), c) for c in candidates]
    scored.sort(key=lambda sc: (-sc[0], _order(sc[1])))
    in_language = [sc for sc in scored if sc[1].article.language == chosen_language]
    others = [sc for sc in scored if sc[1].article.language != chosen_language]
    wanted = max(MIN_SENTENCES, min(limit, len({c.article.id for c in candidates})))
    picked: list[tuple[float, _Candidate]] = []
    # The founding article's lead says what happened; centrality alone picked a detail the story's other
    # articles happen to share (when the police were called, not what happened) in 6 of 10 real
    # multi-article stories reviewed.
    lead = min((sc for sc in in_language if sc[1].article.id == founder.id), key=lambda sc: sc[1].position,
               default=None)
    if lead is not None:
        picked.append(lead)
    for pool in (in_language, others):
        for score, c in pool:
            if len(picked) >= wanted or (pool is others and len(picked) >= MIN_SENTENCES):
                break
            if any(c is p or lexical(c.text, p.text) >= DUPLICATE_SIMILARITY for _, p in picked):
                continue
            picked.append((score, c))
    # Story order, the chosen language's sentences before any taken from another to reach the minimum.
    picked.sort(key=lambda sc: (sc[1].article.language != chosen_language, _order(sc[1])))
    return [
        SummarySentence(c.text, c.article.id, language_at(c.article, c.start), c.start, round(score, 4))
        for score, c in picked
    ], chosen_language


def _order(c: _Candidate) -> tuple[str, str, int]:
    return (c.article.published.isoformat() if c.article.published else "~", c.article.id, c.start)


def _score(c: _Candidate, candidates: list[_Candidate], founder: Article) -> float:
    others = [o for o in candidates if o.article.id != c.article.id]
    centrality = sum(lexical(c.text, o.text) for o in others) / len(others) if others else 0.0
    bonus = LEAD_BONUS if c.position == 0 else SECOND_BONUS if c.position == 1 else 0.0
    if c.article.id == founder.id:
        bonus += FOUNDING_BONUS
    return CENTRALITY_WEIGHT * centrality + bonus


# -- entities, outlets -------------------------------------------------------------------------------------------
def key_entities(articles: Sequence[Article], limit: int = TOP_ENTITIES) -> list[KeyEntity]:
    """Entities by the number of articles naming them (then mentions), each with its surface form per language."""
    counts: Counter[str] = Counter()
    types: defaultdict[str, Counter[str]] = defaultdict(Counter)
    surfaces: defaultdict[str, Counter[str]] = defaultdict(Counter)
    by_language: defaultdict[str, defaultdict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    in_articles: defaultdict[str, set[str]] = defaultdict(set)
    for a in articles:
        for e in a.entities:
            if not e.key:
                continue
            counts[e.key] += 1
            types[e.key][e.type] += 1
            surfaces[e.key][e.text] += 1
            by_language[e.key][language_at(a, e.start) or "und"][e.text] += 1
            in_articles[e.key].add(a.id)
    # One name, one line: keys shown under the same name ("VG Nett" read as an organisation in one article and
    # as a work in another; "Stranda" a club and a place) are one entry under the key read most often. A review
    # of real newspaper stories found 19 names listed twice this way.
    order = sorted(counts, key=lambda k: (-len(in_articles[k]), -counts[k], k))
    shown: dict[str, str] = {}
    for key in order:
        name = _display_name(types[key].most_common(1)[0][0], surfaces[key]).casefold()
        lead = shown.setdefault(name, key)
        if lead != key:
            counts[lead] += counts.pop(key)
            types[lead].update(types[key])
            surfaces[lead].update(surfaces[key])
            for lang, forms in by_language[key].items():
                by_language[lead][lang].update(forms)
            in_articles[lead] |= in_articles[key]
    ranked = sorted(counts, key=lambda k: (-len(in_articles[k]), -counts[k], k))[:limit]
    return [
        KeyEntity(
            key=key,
            type=types[key].most_common(1)[0][0],
            name=_display_name(types[key].most_common(1)[0][0], surfaces[key]),
            surface={lang: c.most_common(1)[0][0] for lang, c in sorted(by_language[key].items())},
            count=counts[key],
            article_count=len(in_articles[key]),
        )
        for key in ranked
    ]


def _display_name(entity_type: str, forms: Counter[str]) -> str:
    """The commonest surface form, except that a person is shown by full name when the story ever gives it.

    News names a person in full once and by surname after ("Ingrid Solvang" ... "Solvang"), so the surname alone
    is the commonest form; the full name is what a reader needs to know who is meant.
    """
    if entity_type == "PER":
        full = Counter({form: n for form, n in forms.items() if len(form.split()) > 1})
        if full:
            return full.most_common(1)[0][0]
    return forms.most_common(1)[0][0]


def outlets(articles: Sequence[Article]) -> list[OutletCount]:
    """Articles per outlet (storyline/outlets.py), variant spellings of one outlet counted together under its
    first-seen name."""
    keys = outlet_keys(a.source for a in articles)
    counts: Counter[str] = Counter()
    shown: dict[str, str] = {}
    languages: defaultdict[str, set[str]] = defaultdict(set)
    for a in articles:
        key = keys[a.source]
        shown.setdefault(key, a.source)
        counts[key] += 1
        if a.language:
            languages[key].add(a.language)
    return [OutletCount(shown[k], c, sorted(languages[k])) for k, c in counts.most_common()]


# -- timeline --------------------------------------------------------------------------------------------------
def timeline(articles: Sequence[Article], events: Sequence[Event] = ()) -> list[TimelineEntry]:
    """Publications and mentioned dates in date order; a date mentioned by several articles is one entry.

    With events, each entry carries the event of (the first of) its articles.
    """
    event_of = {aid: e.id for e in events for aid in e.articles}
    entries: list[TimelineEntry] = []
    mentions: dict[str, TimelineEntry] = {}
    for a in articles:
        if a.published is not None:
            entries.append(TimelineEntry(
                date=a.published.date().isoformat(), kind="published", label=a.title or a.id, article_ids=[a.id],
                languages=[a.language] if a.language else [], granularity="day", event_id=event_of.get(a.id),
            ))
        for d in a.dates:
            entry = mentions.get(d.value)
            if entry is None:
                entry = mentions[d.value] = TimelineEntry(
                    date=d.value, kind="mentioned", label=d.text, article_ids=[], languages=[],
                    granularity=d.granularity, anchored=d.anchored, event_id=event_of.get(a.id),
                )
            if a.id not in entry.article_ids:
                entry.article_ids.append(a.id)
            lang = language_at(a, d.start)
            if lang and lang not in entry.languages:
                entry.languages.append(lang)
    entries.extend(mentions.values())
    # ISO strings sort chronologically at any granularity ("2023-07" before "2023-07-11"); publications first on
    # a shared day because they anchor what the mentions refer to.
    entries.sort(key=lambda e: (e.date, e.kind != "published"))
    return entries


def event_groups(articles: Sequence[Article], events: Sequence[Event], entries: Sequence[TimelineEntry]
                 ) -> list[EventGroup]:
    """The story's events in order, each with its timeline entries (the timeline's groups)."""
    language = {a.id: a.language for a in articles}
    groups = [
        EventGroup(e.id, e.title, e.first, e.last, list(e.articles),
                   sorted({lang for aid in e.articles if (lang := language.get(aid))}))
        for e in events
    ]
    by_id = {g.id: g for g in groups}
    for entry in entries:
        if entry.event_id in by_id:
            by_id[entry.event_id].entries.append(entry)
    return groups


def overview(articles: Sequence[Article], events: Sequence[Event] = (), language: str | None = None
             ) -> StoryOverview:
    sentences_, chosen = summarize(articles, language)
    times = [a.published for a in articles if a.published is not None]
    entries = timeline(articles, events)
    return StoryOverview(
        summary=sentences_,
        summary_language=chosen,
        entities=key_entities(articles),
        outlets=outlets(articles),
        languages=sorted({a.language for a in articles if a.language}),
        first_seen=min(times) if times else None,
        last_seen=max(times) if times else None,
        timeline=entries,
        events=event_groups(articles, events, entries),
    )
