"""Realistic synthetic news in da, nb, nn, sv and en with a known story/event structure, streamed by seed.

Why: speed and memory at 10k / 100k / 1M articles need an input whose structure (and so the linker's work) looks
like real news, with a gold answer to check the linker did not get fast by getting wrong. No text of the licensed
corpora is used: words come from the project's own sample corpus (`samples/`), names are invented.

The stream is simulated the way news arrives:

* a **story** (gold `story`) has a kind (fire, transfer, strike, ... 12 kinds), its own people (invented
  surnames), its own organisation, places and numbers, and its own content words in every language, drawn from
  real words of that language. Stories of one kind share that kind's words ("same kind, different event"), and
  a share of stories are **twins** of a recent one: same kind, same organisation and one of its people, but
  another matter (a different gold story), the trap that ECB+ is built on;
* a story develops over days as 1-5 **events** (gold `event`), each with its own day, place and words;
* each event is reported by a heavy-tailed number of articles in a mix of languages (the story's home language
  most), published from its day to a few days later; a share are **wire copies** of an earlier article of the
  event (another outlet, another title, the last paragraph dropped);
* a few articles have only a month (`date 2024-03` style) or no publication date at all.

Stories arrive as a Poisson stream at `per_day / mean story size`; each story's articles are planned when it
arrives and released in publication order, so memory holds only the stories of the last few weeks, never the
whole stream. Everything is a function of the seed.

`plans(n)` yields the plans (gold included), `render(plan)` the raw `Article` (for the analysis stages), and
`Reskinner` turns one analysed pool article into an analysed article of any other plan cheaply (for the link
stage at 100k / 1M, where analysing every article would measure analysis, not linking).
"""

from __future__ import annotations

import bisect
import heapq
import math
import random
import re
import zlib
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path

from storyline.models import Article, DateMention, Entity, Paragraph, content_id

ROOT = Path(__file__).resolve().parent.parent
CORPORA = (ROOT / "samples" / "articles", ROOT / "samples" / "hard" / "articles")

LANGS = ("da", "nb", "nn", "sv", "en")
LANG_WEIGHTS = (0.27, 0.24, 0.08, 0.26, 0.15)  # roughly the Nordic output mix; Nynorsk is a minority written form
HOME_SHARE = 0.6  # share of a story's articles in its home language; the rest in any language
KINDS = 12
KIND_WORDS = 10  # words per kind and language, shared by all stories of that kind
STORY_WORDS = 24  # a story's own content words per language
EVENT_WORDS = 8  # an event's own content words per language
TWIN_SHARE = 0.12  # stories that reuse a recent story's kind, organisation and one person on another matter
COPY_SHARE = 0.08  # articles that are wire copies of an earlier article of the same event
MONTH_ONLY_SHARE = 0.04  # articles whose publication date is known only to the month
UNDATED_SHARE = 0.02  # articles with no publication date
MEAN_EVENTS = 1.8
MAX_EVENTS = 5
MAX_EVENT_ARTICLES = 80  # the heavy tail of one event's coverage

FIRST = ["Ingrid", "Mikael", "Rasmus", "Sofie", "Lars", "Karin", "Jonas", "Mette", "Erik", "Astrid", "Nils", "Hanna",
         "Johan", "Sigrid", "Anders", "Maja", "Henrik", "Eva", "Ole", "Linnea", "Torbjørn", "Freja", "Magnus",
         "Elin", "Gustav", "Tove", "Peder", "Ida", "Björn", "Kari"]
SYLLABLES = ["ka", "ro", "vik", "sel", "ten", "mar", "dal", "bre", "lun", "fos", "ha", "gen", "tor", "by", "ster",
             "ny", "holm", "berg", "lind", "strand", "mo", "ås", "rud", "sæ", "ek", "vall", "kvist", "nes"]
ORG_NOUNS = ["Havnerådet", "Kystverket", "Energiforum", "Datatilsynet", "Fiskeriunionen", "Forsvarsforbundet",
             "Byggeselskabet", "Rederiet", "Fondet", "Klubben", "Instituttet", "Forbundet"]
# Places in their local spelling; (English name, da, nb, nn, sv, en). Shared by many stories, as in real news.
PLACES: list[tuple[str, ...]] = [
    ("Russia", "Rusland", "Russland", "Russland", "Ryssland", "Russia"),
    ("Germany", "Tyskland", "Tyskland", "Tyskland", "Tyskland", "Germany"),
    ("France", "Frankrig", "Frankrike", "Frankrike", "Frankrike", "France"),
    ("Lithuania", "Litauen", "Litauen", "Litauen", "Litauen", "Lithuania"),
    ("Brussels", "Bruxelles", "Brussel", "Brussel", "Bryssel", "Brussels"),
    ("Copenhagen", "København", "København", "København", "Köpenhamn", "Copenhagen"),
    ("Stockholm", "Stockholm", "Stockholm", "Stockholm", "Stockholm", "Stockholm"),
    ("Oslo", "Oslo", "Oslo", "Oslo", "Oslo", "Oslo"),
    ("Gothenburg", "Göteborg", "Göteborg", "Göteborg", "Göteborg", "Gothenburg"),
    ("Aarhus", "Aarhus", "Aarhus", "Aarhus", "Århus", "Aarhus"),
    ("Bergen", "Bergen", "Bergen", "Bergen", "Bergen", "Bergen"),
    ("Trondheim", "Trondheim", "Trondheim", "Trondheim", "Trondheim", "Trondheim"),
    ("Malmo", "Malmø", "Malmö", "Malmö", "Malmö", "Malmo"),
    ("Odense", "Odense", "Odense", "Odense", "Odense", "Odense"),
    ("Stavanger", "Stavanger", "Stavanger", "Stavanger", "Stavanger", "Stavanger"),
    ("Uppsala", "Uppsala", "Uppsala", "Uppsala", "Uppsala", "Uppsala"),
    ("Aalborg", "Aalborg", "Aalborg", "Aalborg", "Ålborg", "Aalborg"),
    ("Finland", "Finland", "Finland", "Finland", "Finland", "Finland"),
    ("Poland", "Polen", "Polen", "Polen", "Polen", "Poland"),
    ("Iceland", "Island", "Island", "Island", "Island", "Iceland"),
]
MONTHS = {
    "da": "januar februar marts april maj juni juli august september oktober november december",
    "nb": "januar februar mars april mai juni juli august september oktober november desember",
    "nn": "januar februar mars april mai juni juli august september oktober november desember",
    "sv": "januari februari mars april maj juni juli augusti september oktober november december",
    "en": "January February March April May June July August September October November December",
}
FUNCTION_WORDS = {
    "da": "og i at det er som på for med af til den de en et har var om efter ved",
    "nb": "og i at det er som på for med av til den de en et har var om etter ved",
    "nn": "og i at det er som på for med av til den dei ein eit har var om etter ved",
    "sv": "och i att det är som på för med av till den de en ett har var om efter vid",
    "en": "and in that it is as on for with of to the a has was about after at",
}
CUES = {"da": "siger", "nb": "sier", "nn": "seier", "sv": "säger", "en": "said"}
# Sentences every story uses (real news shares its phrasing); slots: {p} person, {s} surname, {o} organisation,
# {l} place, {w} a story word, {e} an event word, {k} a kind word, {d} a date, {x} a number.
LEADS = {
    "da": ["{d} – {p} bekræfter over for avisen, at {e} i {l} nu bliver undersøgt af {o}.",
           "{d} – Der er usikkerhed om {w} i {l}, efter at {o} har offentliggjort nye tal om {e}.",
           "{d} – {o} har besluttet at ændre planerne for {w}, oplyser {p}."],
    "nb": ["{d} – {p} bekrefter overfor avisen at {e} i {l} nå blir undersøkt av {o}.",
           "{d} – Det er usikkerhet om {w} i {l}, etter at {o} har lagt fram nye tall om {e}.",
           "{d} – {o} har besluttet å endre planene for {w}, opplyser {p}."],
    "nn": ["{d} – {p} stadfestar overfor avisa at {e} i {l} no blir undersøkt av {o}.",
           "{d} – Det er uvisse om {w} i {l}, etter at {o} har lagt fram nye tal om {e}.",
           "{d} – {o} har vedteke å endre planane for {w}, opplyser {p}."],
    "sv": ["{d} – {p} bekräftar för tidningen att {e} i {l} nu utreds av {o}.",
           "{d} – Det råder osäkerhet om {w} i {l}, sedan {o} har presenterat nya siffror om {e}.",
           "{d} – {o} har beslutat att ändra planerna för {w}, uppger {p}."],
    "en": ["On {d}, {p} confirmed that the {e} in {l} is now being examined by {o}.",
           "There is uncertainty about the {w} in {l} after {o} published new figures on the {e} on {d}.",
           "{o} decided on {d} to change its plans for the {w}, {p} said."],
}
SHARED = {
    "da": ["Ifølge {o} er der stadig uenighed om finansieringen, og sagen fortsætter i næste uge.",
           "Kritikere i {l} mener, at det er for dyrt, mens tilhængere peger på de mange nye arbejdspladser.",
           "Sagen har skabt debat i hele regionen, og flere borgmestre har bedt om et ekstraordinært møde.",
           "Beløbet er opgjort til {x} millioner kroner, oplyser {o}.",
           "{s} vil ikke sige mere, før alle parter er blevet hørt."],
    "nb": ["Ifølge {o} er det fortsatt uenighet om finansieringen, og saken fortsetter neste uke.",
           "Kritikere i {l} mener det er for dyrt, mens tilhengere viser til de mange nye arbeidsplassene.",
           "Saken har skapt debatt i hele regionen, og flere ordførere har bedt om et ekstraordinært møte.",
           "Beløpet er beregnet til {x} millioner kroner, opplyser {o}.",
           "{s} vil ikke si mer før alle parter er hørt."],
    "nn": ["Ifølgje {o} er det framleis usemje om finansieringa, og saka held fram neste veke.",
           "Kritikarar i {l} meiner det er for dyrt, medan tilhengjarar viser til dei mange nye arbeidsplassane.",
           "Saka har skapt debatt i heile regionen, og fleire ordførarar har bede om eit ekstraordinært møte.",
           "Beløpet er rekna til {x} millionar kroner, opplyser {o}.",
           "{s} vil ikkje seie meir før alle partar er høyrde."],
    "sv": ["Enligt {o} råder fortfarande oenighet om finansieringen, och frågan fortsätter nästa vecka.",
           "Kritiker i {l} menar att det är för dyrt, medan anhängare pekar på de många nya jobben.",
           "Frågan har väckt debatt i hela regionen, och flera kommunalråd har begärt ett extra möte.",
           "Beloppet har beräknats till {x} miljoner kronor, uppger {o}.",
           "{s} vill inte säga mer innan alla parter har hörts."],
    "en": ["According to {o}, disagreement over funding remains, and the matter continues next week.",
           "Critics in {l} say it is too expensive, while supporters point to the many new jobs.",
           "The issue has sparked debate across the region, and several mayors have asked for an extra meeting.",
           "The sum has been put at {x} million kroner, {o} said.",
           "{s} would not say more until all parties had been heard."],
}
TITLES = {
    "da": "{S}: {W} i {l}", "nb": "{S}: {W} i {l}", "nn": "{S}: {W} i {l}", "sv": "{S}: {W} i {l}",
    "en": "{S} on the {w} in {l}",
}


@cache
def vocabulary(lang: str) -> tuple[str, ...]:
    """Real content words of one language from the project's own samples (files are named `<lang>-…`).

    Only words written in lower case somewhere (names are capitalised) and not in any sentence template, so a
    story's own words never collide with the phrasing all stories share.
    """
    from storyline.link.features import stopwords

    template = {w.lower() for s in [*LEADS[lang], *SHARED[lang]] for w in re.findall(r"\w+", s)}
    words: set[str] = set()
    for folder in CORPORA:
        for path in sorted(folder.glob(f"{lang}-*.txt")):
            body = path.read_text(encoding="utf-8")
            words.update(re.findall(r"(?<![\w-])[a-zæøåäöé]{5,}(?![\w-])", body))
    return tuple(sorted(words - template - stopwords()))


@cache
def kind_words(kind: int, lang: str) -> tuple[str, ...]:
    return tuple(random.Random(f"kind:{kind}:{lang}").sample(vocabulary(lang), KIND_WORDS))


def _draw(seed: str, lang: str, k: int, avoid: set[str]) -> list[str]:
    """`k` words of `lang` not in `avoid`, a function of `seed` (drawn lazily: only languages used cost)."""
    picked = random.Random(seed).sample(vocabulary(lang), k + len(avoid) + 4)
    return [w for w in picked if w not in avoid][:k]


def _surname(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 3, 3)))).capitalize()


@dataclass(slots=True, eq=False)
class StoryPlan:
    index: int  # gold story number
    kind: int
    home: str
    persons: list[tuple[str, str]]  # (first name, surname)
    org: tuple[str, str]  # (invented prefix, organisation noun)
    places: list[int]  # rows of PLACES
    numbers: list[str]  # written with "," in the Nordic languages and "." in English at render time
    seed: int
    twin_of: int | None = None
    _words: dict[str, list[str]] = field(default_factory=dict)

    def words(self, lang: str) -> list[str]:
        """The story's own content words in `lang`."""
        if lang not in self._words:
            self._words[lang] = _draw(f"story:{self.seed}:{lang}", lang, STORY_WORDS, set(kind_words(self.kind, lang)))
        return self._words[lang]


@dataclass(slots=True, eq=False)
class EventPlan:
    index: int  # gold event number
    story: StoryPlan
    day: date
    place: int
    seed: int
    _words: dict[str, list[str]] = field(default_factory=dict)

    def words(self, lang: str) -> list[str]:
        """The event's own content words in `lang`, apart from its story's and kind's."""
        if lang not in self._words:
            avoid = {*kind_words(self.story.kind, lang), *self.story.words(lang)}
            self._words[lang] = _draw(f"event:{self.seed}:{lang}", lang, EVENT_WORDS, avoid)
        return self._words[lang]


@dataclass(slots=True, eq=False)
class ArticlePlan:
    event: EventPlan
    lang: str
    published: datetime  # true publication time (the stream's order); the article may not say it
    precision: str  # "exact", "month" or "unknown": what the article itself says about it
    source: str
    seed: int
    copy_of: ArticlePlan | None = None
    index: int = -1  # position in the stream, set when released

    @property
    def story(self) -> StoryPlan:
        return self.event.story


@dataclass
class _Stream:
    seed: int
    per_day: float
    start: datetime
    rng: random.Random = field(init=False)
    stories: int = 0
    events: int = 0
    recent: deque[StoryPlan] = field(default_factory=lambda: deque(maxlen=300))

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def story(self, at: datetime) -> list[ArticlePlan]:
        """A new story arriving at `at`, with every article it will get."""
        rng = self.rng
        home = rng.choices(LANGS, LANG_WEIGHTS)[0]
        twin = self.recent[rng.randrange(len(self.recent))] if self.recent and rng.random() < TWIN_SHARE else None
        kind = twin.kind if twin else rng.randrange(KINDS)
        persons = [(rng.choice(FIRST), _surname(rng)) for _ in range(2)]
        org = (_surname(rng), rng.choice(ORG_NOUNS))
        if twin is not None:  # same organisation and one of its people, another matter
            persons[0] = twin.persons[0]
            org = twin.org
        numbers = [f"{rng.randrange(2, 99)},{rng.randrange(1, 9)}", str(rng.randrange(120, 990))]
        plan = StoryPlan(self.stories, kind, home, persons, org, rng.sample(range(len(PLACES)), 3), numbers,
                         rng.getrandbits(32), twin.index if twin else None)
        self.stories += 1
        self.recent.append(plan)
        out: list[ArticlePlan] = []
        day = at.date()
        n_events = min(MAX_EVENTS, 1 + _geometric(rng, MEAN_EVENTS - 1))
        for e in range(n_events):
            if e:
                day += timedelta(days=rng.randint(1, 6))
            event = EventPlan(self.events, plan, day, rng.choice(plan.places), rng.getrandbits(32))
            self.events += 1
            originals: list[ArticlePlan] = []
            for _ in range(min(MAX_EVENT_ARTICLES, _pareto_count(rng))):
                t = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(hours=rng.uniform(6, 22))
                t += timedelta(days=min(3, _geometric(rng, 0.4)))
                t = max(t, at)
                if originals and rng.random() < COPY_SHARE:
                    src = rng.choice(originals)
                    lang, copy_of = src.lang, src
                    t = src.published + timedelta(minutes=rng.randint(5, 600))
                else:
                    lang = home if rng.random() < HOME_SHARE else rng.choices(LANGS, LANG_WEIGHTS)[0]
                    copy_of = None
                r = rng.random()
                precision = "unknown" if r < UNDATED_SHARE else "month" if r < UNDATED_SHARE + MONTH_ONLY_SHARE \
                    else "exact"
                art = ArticlePlan(event, lang, t, precision, f"{lang}-outlet{rng.randrange(15)}.example",
                                  rng.getrandbits(32), copy_of)
                out.append(art)
                if copy_of is None:
                    originals.append(art)
        return out


def _geometric(rng: random.Random, mean: float) -> int:
    """0, 1, 2, ... with the given mean."""
    if mean <= 0:
        return 0
    p = 1.0 / (1.0 + mean)
    return int(math.log(1.0 - rng.random()) / math.log(1.0 - p))


def _pareto_count(rng: random.Random) -> int:
    """Articles per event: most events get one to four, a few get dozens (mean about 4.5)."""
    return int(rng.paretovariate(1.6)) + rng.randint(0, 2)


MEAN_STORY_ARTICLES = 4.9  # measured mean story size of the draws above (20k plans); sets the arrival rate


def plans(n: int, seed: int = 7, per_day: float = 1500.0, start: datetime | None = None) -> Iterator[ArticlePlan]:
    """`n` article plans in publication order; `per_day` articles a day on average (a large Nordic aggregator)."""
    stream = _Stream(seed, per_day, start or datetime(2024, 1, 1, tzinfo=UTC))
    pending: list[tuple[datetime, int, ArticlePlan]] = []
    tie = 0
    clock = stream.start
    rate = per_day / MEAN_STORY_ARTICLES  # stories a day
    released = 0
    while released < n:
        for art in stream.story(clock):
            heapq.heappush(pending, (art.published, tie, art))
            tie += 1
        clock += timedelta(days=stream.rng.expovariate(rate))
        # Later stories start after `clock`, so everything planned before it is final and can be released.
        while pending and pending[0][0] <= clock and released < n:
            art = heapq.heappop(pending)[2]
            art.index = released
            released += 1
            yield art


def gold(plan: ArticlePlan) -> dict[str, str]:
    return {"story": str(plan.story.index), "event": str(plan.event.index),
            "copy_of": str(plan.copy_of.index) if plan.copy_of else ""}


# -- rendering ----------------------------------------------------------------------------------------------
def _date_text(d: date, lang: str) -> str:
    month = MONTHS[lang].split()[d.month - 1]
    if lang == "en":
        return f"{d.day} {month}"
    return f"{d.day} {month}" if lang == "sv" else f"{d.day}. {month}"


def _number(x: str, lang: str) -> str:
    return x.replace(",", ".") if lang == "en" else x


def _fill(template: str, plan: ArticlePlan, rng: random.Random) -> str:
    lang, story, event = plan.lang, plan.story, plan.event
    first, surname = rng.choice(story.persons)
    return template.format(
        p=f"{first} {surname}", s=surname, S=story.persons[0][1], o=" ".join(story.org),
        l=PLACES[rng.choice((event.place, *story.places))][1 + LANGS.index(lang)],
        w=rng.choice(story.words(lang)), W=rng.choice(story.words(lang)).capitalize(),
        e=rng.choice(event.words(lang)), k=rng.choice(kind_words(story.kind, lang)),
        d=_date_text(event.day, lang), x=_number(rng.choice(story.numbers), lang),
    )


def _topic_sentence(plan: ArticlePlan, rng: random.Random) -> str:
    """Content words of the story, the event, the kind and the language, glued with its function words."""
    lang = plan.lang
    glue = FUNCTION_WORDS[lang].split()
    own, ev, kind = plan.story.words(lang), plan.event.words(lang), kind_words(plan.story.kind, lang)
    general = vocabulary(lang)
    words = []
    for i in range(rng.randint(9, 15)):
        if i % 2:
            words.append(rng.choice(glue))
            continue
        r = rng.random()
        # Real reports of one story share about half their content words; the rest is everyday vocabulary.
        words.append(rng.choice(own if r < 0.45 else ev if r < 0.65 else kind if r < 0.75 else general))
    return " ".join(words).capitalize() + "."


def _quote(plan: ArticlePlan, rng: random.Random) -> str:
    inner = _topic_sentence(plan, rng).rstrip(".")
    surname = rng.choice(plan.story.persons)[1]
    if plan.lang == "en":
        return f"\"{inner},\" {surname} said."
    return f"– {inner}, {CUES[plan.lang]} {surname}."


def render(plan: ArticlePlan, words: int = 500) -> Article:
    """The raw article (as ingest hands it over) for one plan, ~`words` words; the same plan, the same text."""
    if plan.copy_of is not None:
        orig = render(plan.copy_of, words)
        paras = orig.raw_text.split("\n\n")
        body = "\n\n".join(paras[:-1] if len(paras) > 3 else paras)
        title = f"{orig.title} ({plan.source.split('.')[0]})"
        return _article(plan, title, body)
    rng = random.Random(plan.seed)
    lang = plan.lang
    paragraphs = [_fill(rng.choice(LEADS[lang]), plan, rng) + " " + _topic_sentence(plan, rng)]
    count = len(paragraphs[0].split())
    while count < words:
        sentences = [_topic_sentence(plan, rng)]
        r = rng.random()
        if r < 0.35:
            sentences.append(_quote(plan, rng))
        elif r < 0.55:
            sentences.append(_fill(rng.choice(SHARED[lang]), plan, rng))
        sentences.append(_topic_sentence(plan, rng))
        para = " ".join(sentences)
        paragraphs.append(para)
        count += len(para.split())
    title = _fill(TITLES[lang], plan, rng)
    body = "\n\n".join(paragraphs)
    if plan.precision == "month":  # as scraped Nordic text often gives it: a month-only date prefix
        body = f"date {plan.published:%Y-%m} – {body}"
    return _article(plan, title, body)


def _article(plan: ArticlePlan, title: str, body: str) -> Article:
    published: datetime | None = plan.published
    precision = plan.precision
    if precision == "month":
        published = datetime(plan.published.year, plan.published.month, 1, tzinfo=UTC)
    elif precision == "unknown":
        published = None
    return Article(id=content_id(plan.source, title, body), source=plan.source, title=title, raw_text=body,
                   published=published, published_precision=precision,  # type: ignore[arg-type]
                   fetched=plan.published, input_name=f"synthetic:{plan.index}", meta=gold(plan))


def generate(n: int, seed: int = 7, words: int = 500, per_day: float = 1500.0) -> Iterator[Article]:
    """`n` raw articles in publication order, gold story/event/copy in `meta`."""
    for plan in plans(n, seed, per_day):
        yield render(plan, words)


# -- re-skinning analysed articles ---------------------------------------------------------------------------
_TOKEN = re.compile(r"[^\W\d_]+|\d+(?:[.,]\d+)?")


def _slots(plan: ArticlePlan) -> list[str]:
    """Everything in a plan's text that belongs to its story and event, in a fixed order (slot k ↔ slot k)."""
    lang, story = plan.lang, plan.story
    out: list[str] = []
    for first, surname in story.persons:
        out += [first, surname]
    out += list(story.org)
    out += [PLACES[p][1 + LANGS.index(lang)] for p in (plan.event.place, *story.places)]
    out += story.words(lang) + [w.capitalize() for w in story.words(lang)]
    out += plan.event.words(lang)
    out += list(kind_words(story.kind, lang))
    out += [_number(x, lang) for x in story.numbers]
    return out


class Reskinner:
    """Turns analysed pool articles into analysed articles of other plans, without running the analysis.

    The pool is rendered from plans of another seed and analysed once by the real pipeline. For a target plan,
    a pool article of the same language is chosen by the plan's seed (a wire copy takes its original's), and
    every word that belongs to the pool article's story and event (people, organisation, places, content words,
    kind words, numbers: `_slots`) is replaced by the target's word in the same slot. Entity, quote, date and
    paragraph offsets are moved with the text; person/organisation keys are rewritten the way their names were;
    place keys come from what the pipeline found for that spelling in the pool; day dates shift by the distance
    between the two events' days. What the pipeline found (and missed) in the pool article stays as it found it.
    """

    def __init__(self, pool: Sequence[tuple[ArticlePlan, Article]]):
        self.by_lang: dict[str, list[tuple[ArticlePlan, Article]]] = {lang: [] for lang in LANGS}
        self.place_keys: dict[str, str] = {}
        # Where each pool text's replaceable tokens are, found once: re-skinning is then a walk over ~250 spans.
        self.tokens: dict[str, tuple[_Tokens, _Tokens]] = {}
        self.slot_of: dict[str, dict[str, int]] = {}
        for plan, art in pool:
            if art.rejected is None:
                self.by_lang[plan.lang].append((plan, art))
                slot_of: dict[str, int] = {}
                for k, word in enumerate(_slots(plan)):
                    slot_of.setdefault(word, k)
                self.slot_of[art.id] = slot_of
                known = _vocab_set(vocabulary(plan.lang))
                self.tokens[art.id] = (_tokens(art.text, slot_of, known), _tokens(art.title, slot_of, known))
                for e in art.entities:
                    if e.type in ("LOC", "GPE"):
                        self.place_keys.setdefault(e.text, e.key)
        missing = [lang for lang, arts in self.by_lang.items() if not arts]
        if missing:
            raise ValueError(f"the analysed pool has no article in {missing}: use a larger pool")

    def __call__(self, plan: ArticlePlan) -> Article:
        root = plan
        while root.copy_of is not None:
            root = root.copy_of
        arts = self.by_lang[plan.lang]
        src_plan, src = arts[root.seed % len(arts)]
        words = _Words(_slots(plan), vocabulary(plan.lang), plan.seed)
        keys = self._key_map(src_plan, plan, src)
        text_tokens, title_tokens = self.tokens[src.id]
        text, moved = _substitute(src.text, text_tokens, words)
        title, _ = _substitute(src.title, title_tokens, words)
        cut = len(text)
        if plan.copy_of is not None:
            title = f"{title} ({plan.source.split('.')[0]})"
            if len(src.paragraphs) > 3:  # a wire copy: the last paragraph dropped, as outlets trim
                cut = moved.start(src.paragraphs[-1].start)
                text = text[:cut].rstrip()
        shift = (plan.event.day - src_plan.event.day).days

        def span(start: int, end: int) -> tuple[int, int]:
            return moved.start(start), moved.end(end)

        entities = []
        for e in src.entities:
            s, t = span(e.start, e.end)
            if t <= cut:
                entities.append(Entity(text[s:t], e.type, keys.get(e.key, e.key), s, t))
        quotes = []
        for q in src.quotes:
            s, t = span(q.start, q.end)
            if t <= cut:
                speaker = q.speaker
                if speaker is not None:  # a name: only its slot words (people, organisation) change
                    speaker = _substitute(speaker, _tokens(speaker, self.slot_of[src.id], frozenset()), words)[0]
                quotes.append(replace(q, text=text[s:t], start=s, end=t, speaker=speaker,
                                      speaker_key=keys.get(q.speaker_key or "", q.speaker_key)))
        dates = []
        for d in src.dates:
            s, t = span(d.start, d.end)
            if t <= cut:
                dates.append(DateMention(text[s:t], _shift_value(d.value, shift), d.granularity, s, t, d.anchored))
        paragraphs = []
        for p in src.paragraphs:
            s, t = span(p.start, p.end)
            if t <= cut:
                paragraphs.append(Paragraph(s, t, p.kind, p.language, p.language_confidence))
        article = _article(plan, title, text)
        article.raw_text = text  # stored like a clean scrape's, so the store writes as much as it would
        article.text = text
        article.language, article.language_confidence = src.language, src.language_confidence
        article.entities, article.quotes, article.dates, article.paragraphs = entities, quotes, dates, paragraphs
        return article

    def _key_map(self, src: ArticlePlan, dst: ArticlePlan, art: Article) -> dict[str, str]:
        """Entity keys of the pool story's people, organisation and places → the target's."""
        from storyline.extract.names import fold_name, slug

        tokens: dict[str, str] = {}
        for (f0, s0), (f1, s1) in zip(src.story.persons, dst.story.persons, strict=True):
            tokens[fold_name(s0)] = fold_name(s1)
            tokens[fold_name(f0)] = fold_name(f1)
            tokens[slug(s0)] = slug(s1)
        for a, b in zip(src.story.org, dst.story.org, strict=True):
            tokens[slug(a)] = slug(b)
            tokens[fold_name(a)] = fold_name(b)  # the tagger sometimes reads "Modal Datatilsynet" as a person
        col = 1 + LANGS.index(dst.lang)
        places = {PLACES[a][col]: PLACES[b][col]
                  for a, b in zip((src.event.place, *src.story.places), (dst.event.place, *dst.story.places),
                                  strict=True)}
        out: dict[str, str] = {}
        for e in art.entities:
            if e.type in ("LOC", "GPE") and e.text in places:
                target = places[e.text]
                out[e.key] = self.place_keys.get(target, "loc:" + slug(target))
            elif ":" in e.key:
                prefix, rest = e.key.split(":", 1)
                out[e.key] = prefix + ":" + "-".join(tokens.get(t, t) for t in rest.split("-"))
        for q in art.quotes:
            if q.speaker_key and q.speaker_key not in out and ":" in q.speaker_key:
                prefix, rest = q.speaker_key.split(":", 1)
                out[q.speaker_key] = prefix + ":" + "-".join(tokens.get(t, t) for t in rest.split("-"))
        return out


class _Words:
    """The replacement of each token: its slot's word in the target plan; for everyday vocabulary (the quarter of
    content words no story owns), a word drawn per target article, so two targets re-skinned from one pool
    article share no more words than two rendered articles would. Template words are not in the vocabulary."""

    def __init__(self, slots: list[str], vocab: tuple[str, ...], seed: int):
        self.slots, self.vocab, self.seed = slots, vocab, seed

    def get(self, slot: int, lower: str, capital: bool) -> str:
        if slot >= 0:
            return self.slots[slot]
        # crc32, not hash(): the same target must get the same words in every process
        word = self.vocab[zlib.crc32(f"{self.seed}:{lower}".encode()) % len(self.vocab)]
        return word.capitalize() if capital else word


# A text's replaceable tokens: (start, end, slot index or -1 for everyday vocabulary, lower-case form, capitalised)
_Tokens = list[tuple[int, int, int, str, bool]]


def _tokens(text: str, slot_of: dict[str, int], known: frozenset[str]) -> _Tokens:
    out: _Tokens = []
    for m in _TOKEN.finditer(text):
        token = m.group()
        slot = slot_of.get(token, -1)
        lower = token.lower()
        if slot >= 0 or lower in known:
            out.append((m.start(), m.end(), slot, lower, token[:1].isupper()))
    return out


@cache
def _vocab_set(vocab: tuple[str, ...]) -> frozenset[str]:
    return frozenset(vocab)


@dataclass(slots=True)
class _Moves:
    """Offset map from a text to its substituted copy: per replaced token its old start/end and the shift."""

    starts: list[int]
    ends: list[int]
    after: list[int]  # cumulative shift after each replaced token

    def start(self, offset: int) -> int:  # a span starting at `offset` moves by the tokens ending before it
        i = bisect.bisect_right(self.ends, offset)
        return offset + (self.after[i - 1] if i else 0)

    def end(self, offset: int) -> int:  # a span ending at `offset` moves by the tokens starting before it
        i = bisect.bisect_left(self.starts, offset)
        return offset + (self.after[i - 1] if i else 0)


def _substitute(text: str, tokens: _Tokens, words: _Words) -> tuple[str, _Moves]:
    parts: list[str] = []
    moves = _Moves([], [], [])
    pos = shift = 0
    for start, end, slot, lower, capital in tokens:
        new = words.get(slot, lower, capital)
        parts += [text[pos:start], new]
        pos = end
        shift += len(new) - (end - start)
        moves.starts.append(start)
        moves.ends.append(end)
        moves.after.append(shift)
    parts.append(text[pos:])
    return "".join(parts), moves


def _shift_value(value: str, days: int) -> str:
    """Move an ISO date value (day, month, year or a range of them) by `days`."""
    if not days:
        return value
    out = []
    for part in value.split("/"):
        try:
            if len(part) == 10:
                out.append((date.fromisoformat(part) + timedelta(days=days)).isoformat())
            elif len(part) == 7:
                out.append((date.fromisoformat(part + "-15") + timedelta(days=days)).isoformat()[:7])
            elif len(part) == 4 and part.isdigit():
                out.append(str((date(int(part), 7, 1) + timedelta(days=days)).year))
            else:
                out.append(part)
        except ValueError:
            out.append(part)
    return "/".join(out)


__all__ = ["ArticlePlan", "EventPlan", "Reskinner", "StoryPlan", "generate", "gold", "plans", "render"]
