"""Hand-built, fictional stories for the serve tests: articles as the pipeline would leave them, saved
through the real store. Offsets are computed from the text, so the data stays consistent when a sentence
is edited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from storyline.models import Article, DateMention, Entity, LinkDecision, Paragraph, ParagraphKind, Quote
from tests.conftest import make_article

STORY = "s-ferry"
OTHER = "s-bridge"
XSS_STORY = "s-xss"
XSS_TITLE = "<script>alert('x')</script> Havneby & co"
QUOTA_STORY = "s-quota"  # one statement reported in Danish and Norwegian, in two events


def build_article(
    *,
    story: str,
    action: Literal["join", "new"],
    title: str,
    source: str,
    language: str,
    day: int,
    paragraphs: list[tuple[ParagraphKind, str]],
    entities: tuple[tuple[str, str, str], ...] = (),
    quotes: tuple[tuple[str, str, str | None], ...] = (),
    dates: tuple[tuple[str, str], ...] = (),
    score: float = 1.0,
    features: dict[str, float] | None = None,
    url: str | None = None,
    event: str | None = None,
    copy_of: str | None = None,
) -> Article:
    """An extracted, linked article. `paragraphs` are (kind, text); entities (surface, type, key), quotes
    (text, speaker, speaker key) and dates (text, ISO value) are located by their first occurrence."""
    text, paras = "", []
    for kind, body in paragraphs:
        if text:
            text += "\n\n"
        paras.append(Paragraph(len(text), len(text) + len(body), kind=kind, language=language))
        text += body

    def span(needle: str) -> tuple[int, int]:
        start = text.index(needle)
        return start, start + len(needle)

    article = make_article(text, title=title, source=source, published=datetime(2026, 3, day, 9, tzinfo=UTC))
    fields: dict[str, Any] = {
        "url": url or f"https://{source}.example/{story}/{day}",
        "text": text,
        "paragraphs": paras,
        "language": language,
        "language_confidence": 0.99,
        "entities": [Entity(s, t, k, *span(s)) for s, t, k in entities],
        "quotes": [Quote(q, "direct", sp, key, "sa", *span(q)) for q, sp, key in quotes],
        "dates": [DateMention(d, v, "day", *span(d)) for d, v in dates],
        "link": LinkDecision(
            story_id=story,
            action=action,
            score=score,
            features=features or {},
            candidate_count=0 if action == "new" else 2,
            event_id=event,
            event_action="new" if event else None,
            event_day=f"2026-03-{day:02d}" if event else None,
            copy_of=copy_of,
        ),
    }
    for name, value in fields.items():
        setattr(article, name, value)
    return article


@dataclass
class Corpus:
    ferry_da: Article
    ferry_nb: Article
    ferry_sv: Article
    bridge: Article
    xss: Article
    quota_da: Article | None = None
    quota_nb: Article | None = None
    quota_copy: Article | None = None


CUT_DA = "Bestanden er i dårlig forfatning, og vi skærer kvoten med 30 procent for at redde den"
CUT_NB = "Bestanden er i dårlig forfatning, og vi kutter kvoten med 30 prosent for å redde den"
FUND_NB = "Fiskerne skal få kompensasjon fra et nytt fond"
COPY_OUTLET = "nyheter-no"  # carries the Norwegian report word for word (a wire copy)

# A join as link/model.py records it: each feature's value and its term (weight × value), plus the model's
# bias, logit and probability, and the day gap. The names and shape are the linker's; the numbers are made up.
QUOTA_JOIN_FEATURES = {
    "lexical": 0.31, "lexical_contribution": -0.6, "lexical_best": 0.33, "lexical_best_contribution": 0.7,
    "entities": 0.8, "entities_contribution": 2.2, "names": 0.7, "names_contribution": 1.5,
    "numbers": 1.0, "numbers_contribution": 1.7, "names_missing": 0.2, "names_missing_contribution": -0.8,
    "same_day": 1.0, "same_day_contribution": 0.0, "time_gap": 0.69, "time_gap_contribution": -0.05,
    "candidates": 0.69, "candidates_contribution": -1.4, "bias": 4.37, "logit": 3.9, "probability": 0.98,
    "time_gap_days": 1.0,
}


def build_quota_story() -> tuple[Article, Article, Article]:
    """Fictional: a Danish minister's quota cut, reported in Danish and in Norwegian on the next day."""
    vang = ("Ole Vang", "PER", "per:ole_vang")
    da = build_article(
        story=QUOTA_STORY, action="new", title="Sildekvoten skæres ned", source="dagbladet-dk", language="da",
        day=10, event="e-quota-cut",
        paragraphs=[
            ("body", "Fiskeriminister Ole Vang skærer sildekvoten i Østersøen ned med 30 procent fra den 1. april."),
            ("body", "Beslutningen blev offentliggjort tirsdag på et pressemøde i ministeriet i København."),
            ("body", f"– {CUT_DA}, siger Ole Vang."),
        ],
        entities=(vang, ("Østersøen", "LOC", "loc:baltic_sea")),
        quotes=((CUT_DA, "Ole Vang", "per:ole_vang"),),
        dates=(("1. april", "2026-04-01"),),
    )
    nb_fields: dict[str, Any] = {
        "story": QUOTA_STORY, "action": "join", "title": "Dansk minister kutter sildekvoten", "language": "nb",
        "day": 11, "event": "e-quota-reaction",
        "paragraphs": [
            ("body",
             "Den danske fiskeriministeren Ole Vang kutter sildekvoten i Østersjøen med 30 prosent fra 1. april."),
            ("body", f"– {CUT_NB}, sier Vang."),
            ("body", f"– {FUND_NB}, sa Vang på en pressekonferanse."),
        ],
        "entities": (vang, ("Østersjøen", "LOC", "loc:baltic_sea")),
        "quotes": ((CUT_NB, "Vang", "per:ole_vang"), (FUND_NB, "Vang", "per:ole_vang")),
        "dates": (("1. april", "2026-04-01"),),
    }
    nb = build_article(**nb_fields, source="avisa-no", score=0.98, features=dict(QUOTA_JOIN_FEATURES))
    # The same text in a second outlet: the linker's wire-copy decision, pointing at the original.
    copy = build_article(**nb_fields, source=COPY_OUTLET, score=0.97, copy_of=nb.id,
                         features={"wire_copy": 1.0, "copy_similarity": 0.97})
    return da, nb, copy


def build_corpus() -> Corpus:
    ferry_da = build_article(
        story=STORY,
        action="new",
        title="Færgen til Havneby aflyst efter storm",
        source="dagbladet-dk",
        language="da",
        day=2,
        paragraphs=[
            ("body", "Færgen mellem Havneby og Nordø blev aflyst mandag den 2. marts efter stormen."),
            ("subheading", "Rederiet undskylder"),
            ("body", "«Vi beklager over for alle passagerer,» siger direktør Lise Holm fra Nordlinjen."),
        ],
        entities=(
            ("Havneby", "LOC", "loc:havneby"),
            ("Nordø", "LOC", "loc:nordo"),
            ("Lise Holm", "PER", "per:lise_holm"),
            ("Nordlinjen", "ORG", "org:nordlinjen"),
        ),
        quotes=(("Vi beklager over for alle passagerer,", "Lise Holm", "per:lise_holm"),),
        dates=(("mandag den 2. marts", "2026-03-02"),),
    )
    ferry_nb = build_article(
        story=STORY,
        action="join",
        title="Ferja til Havneby innstilt",
        source="avisa-no",
        language="nb",
        day=3,
        paragraphs=[
            ("body", "Ferja mellom Havneby og Nordøy ble innstilt etter uværet 2. mars."),
            ("body", "– Vi setter inn ekstra avganger fra onsdag, sier Lise Holm i Nordlinjen."),
        ],
        entities=(
            ("Havneby", "LOC", "loc:havneby"),
            ("Nordøy", "LOC", "loc:nordo"),
            ("Lise Holm", "PER", "per:lise_holm"),
            ("Nordlinjen", "ORG", "org:nordlinjen"),
        ),
        quotes=(("Vi setter inn ekstra avganger fra onsdag", "Lise Holm", "per:lise_holm"),),
        dates=(("2. mars", "2026-03-02"),),
        score=0.72,
        features={"entity_overlap": 0.81, "title_similarity": 0.35, "time_gap_days": -0.05},
    )
    ferry_sv = build_article(
        story=STORY,
        action="join",
        title="Färjan till Havneby ställs in",
        source="tidningen-se",
        language="sv",
        day=4,
        paragraphs=[
            ("body", "Färjan till Havneby och Nordö ställs in. ”Vi följer läget,” säger Jonas Berg.")
        ],
        entities=(
            ("Havneby", "LOC", "loc:havneby"),
            ("Nordö", "LOC", "loc:nordo"),
            ("Jonas Berg", "PER", "per:jonas_berg"),
        ),
        quotes=(("Vi följer läget,", "Jonas Berg", "per:jonas_berg"),),
        score=0.55,
        features={"entity_overlap": 0.6},
    )
    bridge = build_article(
        story=OTHER,
        action="new",
        title="Ny bro til Nordø åbner",
        source="dagbladet-dk",
        language="da",
        day=5,
        paragraphs=[("body", "Broen til Nordø åbner i næste uge, oplyser kommunen i Havneby.")],
        entities=(("Nordø", "LOC", "loc:nordo"),),
    )
    xss = build_article(
        story=XSS_STORY,
        action="new",
        title=XSS_TITLE,
        source="<b>evil</b>",
        language="en",
        day=6,
        paragraphs=[
            ("body", "A test article whose title tries to inject markup: <script>alert(2)</script> it said.")
        ],
        quotes=(("<script>alert(2)</script>", "<i>Mallory</i>", None),),
    )
    return Corpus(ferry_da, ferry_nb, ferry_sv, bridge, xss)


def fill_store(store: Any, *, quota: bool = False, wire: bool = False) -> Corpus:
    """The ferry, bridge and XSS stories; with `quota`, also the story-view story (claims and events); with
    `wire`, also a wire copy of its Norwegian report in a second outlet."""
    corpus = build_corpus()
    if quota or wire:
        corpus.quota_da, corpus.quota_nb, copy = build_quota_story()
        corpus.quota_copy = copy if wire else None
    for a in (corpus.ferry_da, corpus.ferry_nb, corpus.ferry_sv, corpus.bridge, corpus.xss,
              corpus.quota_da, corpus.quota_nb, corpus.quota_copy):
        if a is not None:
            store.save_article(a)
    return corpus


def section(html: str, section_id: str) -> str:
    """The HTML of one `<section id=...>` of a page (sections do not nest), so asserts look in the right place."""
    found = re.search(rf'<section id="{section_id}"[^>]*>(.*?)</section>', html, flags=re.S)
    assert found, f"no section {section_id!r} on the page"
    return found.group(1)
