"""Story overview (link/summary.py): extractive summary, key entities, outlets, timeline grouped by events.

All texts are written for these tests (fictional people and events).
"""

from __future__ import annotations

from datetime import UTC, datetime

from storyline.link.summary import key_entities, outlets, overview, sentences, summarize, timeline
from storyline.models import Article, DateMention, Entity, Event, LinkDecision, Paragraph, Quote
from tests.conftest import make_article


def extracted(paragraphs: list[str], *, language: str, source: str, day: int, new: bool = False,
              entities: tuple[tuple[str, str], ...] = (), dates: tuple[tuple[str, str], ...] = (),
              quote: str | None = None) -> Article:
    text = "\n\n".join(paragraphs)
    a = make_article(text, source=source, published=datetime(2026, 3, day, 9, tzinfo=UTC))
    a.text, a.language = text, language
    pos = 0
    for p in paragraphs:
        a.paragraphs.append(Paragraph(pos, pos + len(p), language=language))
        pos += len(p) + 2

    def span(needle: str) -> tuple[int, int]:
        start = text.index(needle)
        return start, start + len(needle)

    a.entities = [Entity(s, key.split(":")[0].upper(), key, *span(s)) for s, key in entities]
    a.dates = [DateMention(s, value, "day", *span(s), anchored="published") for s, value in dates]
    if quote:
        a.quotes = [Quote(quote, "direct", "Ole Vang", "per:ole_vang", "siger", *span(quote))]
    a.link = LinkDecision("s1", "new" if new else "join", 1.0)
    return a


LEAD_DA = "Fiskeriminister Ole Vang skærer sildekvoten i Østersøen ned med 30 procent fra den 1. april."
DA = extracted(
    [LEAD_DA,
     "Beslutningen blev offentliggjort tirsdag på et pressemøde i Fiskeriministeriet i København.",
     "– Bestanden er i dårlig forfatning, og vi skærer kvoten for at redde den, siger Ole Vang."],
    language="da", source="dagbladet-dk", day=10, new=True,
    entities=(("Ole Vang", "per:ole_vang"), ("Østersøen", "loc:baltic_sea"), ("København", "loc:copenhagen")),
    dates=(("tirsdag", "2026-03-10"), ("1. april", "2026-04-01")),
    quote="Bestanden er i dårlig forfatning, og vi skærer kvoten for at redde den",
)
# The same wire text in a second Danish outlet: its sentences must not appear twice.
DA_COPY = extracted(
    [LEAD_DA, "Beslutningen blev offentliggjort tirsdag på et pressemøde i Fiskeriministeriet i København."],
    language="da", source="bladet-dk", day=10, entities=(("Ole Vang", "per:ole_vang"),),
    dates=(("tirsdag", "2026-03-10"),),
)
NB = extracted(
    ["Den danske fiskeriministeren Ole Vang kutter sildekvoten i Østersjøen med 30 prosent fra 1. april.",
     "Norske fiskere i Østersjøen blir også berørt av kuttet, melder fiskarlaget."],
    language="nb", source="avisa-no", day=11,
    entities=(("Ole Vang", "per:ole_vang"), ("Østersjøen", "loc:baltic_sea")),
    dates=(("1. april", "2026-04-01"),),
)


def test_summary_prefers_the_requested_language_and_skips_quotes_and_wire_duplicates() -> None:
    found, language = summarize([DA, DA_COPY, NB], "da")
    assert language == "da"
    texts = [s.text for s in found]
    assert 2 <= len(texts) <= 4
    assert texts[0] == LEAD_DA, "the founding article's lead opens the summary"
    assert len(set(texts)) == len(texts) and texts.count(LEAD_DA) == 1, "wire copies are taken once"
    assert all(not t.startswith("–") for t in texts), "direct quotes belong to the claims, not the summary"
    assert all(s.language == "da" for s in found)


def test_summary_falls_back_when_the_language_is_absent() -> None:
    found, language = summarize([DA, DA_COPY, NB], "sv")
    assert language == "da", "no Swedish article: the commonest language"
    assert found
    found_nb, language_nb = summarize([DA, NB], "nb")
    assert language_nb == "nb" and found_nb[0].language == "nb"
    assert len(found_nb) >= 2, "one Norwegian article has too few sentences: filled from another language"


def test_summary_sentences_skip_subheadings_and_fragments() -> None:
    a = extracted(["Kort.", "En længere sætning om sildekvoten, som nu skæres kraftigt ned i hele Østersøen."],
                  language="da", source="x", day=1)
    a.paragraphs[0].kind = "subheading"
    assert [c.text for c in sentences(a)] == [
        "En længere sætning om sildekvoten, som nu skæres kraftigt ned i hele Østersøen."
    ]


def test_summary_key_entities_by_article_frequency_with_keys() -> None:
    ranked = key_entities([DA, DA_COPY, NB])
    assert ranked[0].key == "per:ole_vang" and ranked[0].article_count == 3
    baltic = next(e for e in ranked if e.key == "loc:baltic_sea")
    assert baltic.surface == {"da": "Østersøen", "nb": "Østersjøen"}
    assert [e.key for e in ranked].index("loc:baltic_sea") < [e.key for e in ranked].index("loc:copenhagen")


def test_summary_outlets_and_seen_range() -> None:
    view = overview([DA, DA_COPY, NB])
    assert {o.name for o in outlets([DA, DA_COPY, NB])} == {"dagbladet-dk", "bladet-dk", "avisa-no"}
    assert view.languages == ["da", "nb"]
    assert view.first_seen == DA.published and view.last_seen == NB.published


def test_summary_timeline_merges_mentioned_dates_and_groups_by_event() -> None:
    events = [Event("e1", "s1", "Kvoten skæres ned", [DA.id, DA_COPY.id], "2026-03-10", "2026-03-10"),
              Event("e2", "s1", "Norske fiskere berørt", [NB.id], "2026-03-11", "2026-03-11")]
    entries = timeline([DA, DA_COPY, NB], events)
    april = next(e for e in entries if e.kind == "mentioned" and e.date == "2026-04-01")
    assert set(april.article_ids) == {DA.id, NB.id} and april.languages == ["da", "nb"]
    assert [e.date for e in entries] == sorted(e.date for e in entries)
    view = overview([DA, DA_COPY, NB], events)
    assert [g.id for g in view.events] == ["e1", "e2"]
    assert {e.kind for e in view.events[0].entries} == {"published", "mentioned"}
    assert all(e.event_id == "e2" for e in view.events[1].entries) and view.events[1].languages == ["nb"]
    as_json = view.to_json()
    assert as_json["summary"]["language"] == "da" and as_json["timeline"][0]["date"] == "2026-03-10"


def test_summary_person_shown_by_full_name_though_the_surname_is_commoner() -> None:
    text = "Ole Vang la fram planen. Vang sa at kvoten må ned. Vang vil møte fiskerne."
    a = make_article(text, source="avisa-no", published=datetime(2026, 3, 11, tzinfo=UTC))
    a.text, a.language = text, "nb"
    a.entities = [Entity(s, "PER", "per:ole_vang", i, i + len(s))
                  for s, i in (("Ole Vang", 0), ("Vang", text.index("Vang sa")), ("Vang", text.index("Vang vil")))]
    assert key_entities([a])[0].name == "Ole Vang"


def test_summary_language_not_decided_by_wire_copies() -> None:
    # One Danish report and its two copies against two Norwegian reports: the Norwegian reports are the majority.
    copies = []
    for source in ("kopi-a", "kopi-b"):
        c = extracted([LEAD_DA], language="da", source=source, day=10)
        c.link = LinkDecision("s1", "join", 0.97, copy_of=DA.id)
        copies.append(c)
    nb2 = extracted(["Fiskarlaget ber regjeringen svare på kuttet i sildekvoten i Østersjøen."], language="nb",
                    source="kystavisa-no", day=12)
    _, language = summarize([DA, *copies, NB, nb2])
    assert language == "nb"


def test_summary_outlet_named_by_site_name_and_by_domain_counts_once() -> None:
    from storyline.outlets import outlet_key

    assert outlet_key("https://www.nrk.no/vestland/sak-1") == outlet_key("nrk.no/vestland") == "nrk.no"
    assert outlet_key("news.bbc.co.uk") == "bbc.co.uk" and outlet_key("Dagens Nyheter") == "dagensnyheter"
    named = [extracted(["Et referat fra mødet."], language="da", source=s, day=10)
             for s in ("Politiken", "politiken.dk", "thelocal.dk", "thelocal.se", "TheLocal")]
    counted = {o.name: o.count for o in outlets(named)}
    # "Politiken" is politiken.dk's name; "TheLocal" could be either of two outlets, so it stays apart
    assert counted == {"Politiken": 2, "thelocal.dk": 1, "thelocal.se": 1, "TheLocal": 1}
