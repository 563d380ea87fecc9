"""Regressions from a third review of real Nordic newspaper text run through the whole product (helper RV): NorNE
nb/nn train newspaper documents and Klintan train sentences none of the earlier reviews used. Every sentence here
is invented; the problems they pin were counted on the real documents (see the lead's notes).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from storyline.extract.dates import find_dates
from storyline.models import Article, Quote
from tests.test_extract_quotes import extract


def _speakers(quotes: list[Quote], kind: str = "direct") -> list[tuple[str, str | None]]:
    return [(q.text, q.speaker) for q in quotes if q.kind == kind]


# -- interviews: plain questions, dash answers -------------------------------------------------------------------
def test_quotes_interview_answers_are_not_credited_to_people_the_answers_name(
    article: Callable[..., Article],
) -> None:
    # Real question-list features: the answers went to people named inside earlier answers.
    text = (
        "Hva gjør du på fritida?\n"
        "- Jeg spiller gitar hver kveld.\n"
        "Jeg har en plate der Henrik Strand Moe spiller fiolin, den hører jeg ofte.\n"
        "Hvor reiste du sist?\n"
        "- Til Kreta med familien.\n"
        "Og hvem beundrer du?\n"
        "- Mora mi, som alltid har rett."
    )
    _, quotes = extract(article, text)
    assert [s for _, s in _speakers(quotes)] == [None, None, None]


def test_quotes_interview_answers_keep_the_interviewee_named_before(article: Callable[..., Article]) -> None:
    text = (
        "Sykepleier Randi Fjellvang har jobbet i Nordvik i tretti år.\n"
        "- Jeg trives fortsatt svært godt her på avdelingen.\n"
        "Hva er det beste med jobben din?\n"
        "- Pasientene, og at kollegaen min Tore Haugdal alltid stiller opp.\n"
        "Hva gjør du når du har fri?\n"
        "- Da går jeg tur med hunden i fjellet."
    )
    _, quotes = extract(article, text)
    assert {s for _, s in _speakers(quotes)} == {"Randi Fjellvang"}


def test_quotes_question_intertitle_is_no_interview(article: Callable[..., Article]) -> None:
    # A question line in a report is an intertitle: the quote after it is whoever the report is about.
    text = (
        "Folkerettsekspert Gunnhild Sæterdal meiner saka er klar.\n"
        "Ei løysing i sikte?\n"
        "- Eg trur ikkje at rådet vil gå med på det no."
    )
    _, quotes = extract(article, text, "nn")
    assert _speakers(quotes) == [("Eg trur ikkje at rådet vil gå med på det no.", "Gunnhild Sæterdal")]


def test_quotes_interviewer_question_with_a_lead_in_before_the_answer(article: Callable[..., Article]) -> None:
    # A dash question, the interviewer's plain lead-in, then the dash answer: the question was credited to the
    # interviewed minister.
    text = (
        "- Vegen blir bygd i år, seier Berit Solvang.\n"
        "- Men blir ikkje partiet då utydeleg for veljarane?\n"
        "Ingen andre parti i fylket er imot planen lenger.\n"
        "- Den faren er der, og vi må forklare oss betre."
    )
    _, quotes = extract(article, text, "nn")
    assert [q.text[:12] for q in quotes] == ["Vegen blir b", "Den faren er"]


# -- speakers ----------------------------------------------------------------------------------------------------
def test_quotes_speaker_is_never_shown_as_an_entity_key(article: Callable[..., Article]) -> None:
    # An outlet as a cue's speaker was in focus for a later quote, which showed its entity key as the speaker.
    text = (
        "Kommunen får hård kritik för bygget, skriver Fjordbladet.\n"
        "Flera klagomål har kommit in under våren.\n"
        "– Vi visste inte att taket skulle läcka redan första vintern."
    )
    _, quotes = extract(article, text, "sv")
    assert [q.speaker for q in quotes] == ["Fjordbladet", "Fjordbladet"]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("- Vi vil bygge flere skoler i byen, sier Høyres ordførerkandidat i Bergen, Ola Nordmann.", "Ola Nordmann"),
        ("- Vi vil ha flere busser i byen, sier bystyrerepresentant for partiet Venstre Kari Holm.", "Kari Holm"),
        ("- Vi er åpne for samarbeid, sier Senterpartiets toppkandidat i Molde, Per Sandvik.", "Per Sandvik"),
    ],
)
def test_quotes_speaker_named_after_party_title_and_modifier(
    article: Callable[..., Article], text: str, speaker: str
) -> None:
    # Real news credited such quotes to the party or to the bare title: candidate and representative titles.
    _, quotes = extract(article, "Valkampen i byen er i gang.\n" + text)
    assert [q.speaker for q in quotes] == [speaker]


def test_quotes_age_noun_speaker_is_the_person_of_that_age(article: Callable[..., Article]) -> None:
    # "säger 25-åringen" showed the speaker "åringen" (the word regex leaves digits out).
    _, quotes = extract(article, "Kari Holm (25) vant løpet i Bergen.\n- Det var en fin dag for alle, sier 25-åringen.")
    assert [q.speaker for q in quotes] == ["Kari Holm"]
    _, quotes = extract(article, "- Det var en fin dag for alle, sier 25-åringen.")
    assert [q.speaker for q in quotes] == ["25-åringen"]


def test_quotes_cueless_quote_is_not_credited_to_the_person_it_names(article: Callable[..., Article]) -> None:
    # A quote naming a person went to that person, the subject of the sentence before.
    text = (
        "- Det var fint at hun kom i dag, sier Johan Eikeland.\n"
        "Overraskende dukket Marte Lind opp på jubileet i Ålesund.\n"
        "- Marte har vært venninna mi siden skolen."
    )
    _, quotes = extract(article, text)
    assert _speakers(quotes)[-1] == ("Marte har vært venninna mi siden skolen.", "Johan Eikeland")


def test_quotes_cueless_quote_is_not_credited_to_the_title_it_speaks_of(article: Callable[..., Article]) -> None:
    # A quote speaking of "generalsekretæren" went to the secretary-general, the subject of the sentence before.
    text = (
        "- Styret står fritt, seier juristen Gunnhild Sæterdal.\n"
        "Sidan generalsekretær Kofi Larsen ikkje kan styre fylka, er brevet berre eit råd.\n"
        "- Eg reknar ikkje med at generalsekretæren tek opp saka att."
    )
    _, quotes = extract(article, text, "nn")
    assert _speakers(quotes)[-1][1] == "Gunnhild Sæterdal"


def test_quotes_dash_quote_takes_the_cue_closing_the_next_paragraph(article: Callable[..., Article]) -> None:
    # "- A." / "B, sier X." is one answer split over paragraphs; the dash part went to whoever was in focus.
    text = (
        "Ordfører Lise Brekke åpnet møtet om skolene i kommunen.\n"
        "- Dette er en dag vi har ventet på lenge.\n"
        "Nå får elevene endelig et skikkelig bygg, sier rektor Geir Solvik."
    )
    _, quotes = extract(article, text)
    assert [s for _, s in _speakers(quotes)] == ["Geir Solvik", "Geir Solvik"]


def test_quotes_party_in_parentheses_after_the_speaker_is_no_reported_speech(
    article: Callable[..., Article],
) -> None:
    # "…, seier X (Party), title …" also gave an indirect quote "Party), title …".
    text = "Vegen blir ikkje ferdig i år, seier Kari Holm (Sp), statssekretær i Samferdselsdepartementet."
    _, quotes = extract(article, text, "nn")
    assert [(q.kind, q.speaker) for q in quotes] == [("direct", "Kari Holm")]


def test_quotes_nynorsk_past_uttala_is_a_cue(article: Callable[..., Article]) -> None:
    _, quotes = extract(article, "- Skulen må stå klar til hausten, uttala Håvar Tveit i kveld.", "nn")
    assert [(q.text, q.speaker) for q in quotes] == [("Skulen må stå klar til hausten", "Håvar Tveit")]


# -- dates -------------------------------------------------------------------------------------------------------
_PUBLISHED = date(2011, 12, 8)  # a Thursday


def _dates(text: str, language: str = "nb") -> list[tuple[str, str]]:
    return [(d.text, d.value) for d in find_dates(text, _PUBLISHED, "published", language)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kommunen betaler 20.000 kroner i året for tilbodet.", []),
        ("Vi reiser dit to gonger i året.", []),
        ("Tidlegare i året la ho fram planen.", [("i året", "2011")]),
        ("I året som gjekk skjedde mykje.", [("I året", "2011")]),
    ],
)
def test_dates_i_aaret_as_a_rate_is_no_year(text: str, expected: list[tuple[str, str]]) -> None:
    # Real news: four rates per year ("… kroner i året") were dated to the publication year.
    assert _dates(text, "nn") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dei gifta seg 3. mars i 1990 i Molde.", [("3. mars i 1990", "1990-03-03")]),
        ("Hallen vart opna i oktober i 1996.", [("i oktober i 1996", "1996-10")]),
        ("- 17. juni i 1961 var alle ute.", [("17. juni i 1961", "1961-06-17")]),
    ],
)
def test_dates_year_after_i_belongs_to_the_day_or_month(text: str, expected: list[tuple[str, str]]) -> None:
    # A day-month with "i" and a year was dated in the publication year, a month with them the nearest one.
    assert _dates(text) == expected


def test_dates_capitalised_month_word_mid_sentence_is_a_name() -> None:
    assert _dates("Sonden tog bilder från Mars under hela året.", "sv") == []
    assert _dates("Rapporten kom i mars.", "sv") == [("i mars", "2012-03")]


def test_dates_den_dag_i_dag_is_no_today() -> None:
    assert _dates("Den dag i dag bor hun i samme hus.") == []
    assert _dates("I dag bor hun i samme hus.") == [("I dag", "2011-12-08")]


def test_dates_plural_weekends_are_habitual() -> None:
    assert _dates("Hytta blir mest brukt i helgene.", "nn") == []


def test_dates_no_mention_across_a_paragraph_break() -> None:
    # A subheading ending in "neste" before a paragraph opening with a weekday made one mention of both.
    assert _dates("Molde neste\n\nSøndag spiller laget borte.") == [("Søndag", "2011-12-11")]


def test_dates_weekday_with_its_date_in_apposition_is_one_day() -> None:
    # A weekday with its date in apposition gave the weekday before publication besides the date.
    assert _dates("- Tirsdag kveld, den 4. oktober, ringte han meg.") == [
        ("Tirsdag kveld, den 4. oktober", "2011-10-04")]


def test_dates_weekday_a_week_ahead() -> None:
    assert _dates("Fredag om ei veke opnar butikken.", "nn") == [("Fredag om ei veke", "2011-12-16")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Biblioteket held ope tysdag og torsdag.", []),
        ("Butikken er åpen mandag til fredag fra 10 til 17.", []),
        ("Kafeen har åpent tirsdag–søndag hele sommeren.", []),
        ("Fra mandag til onsdag neste uke er kontoret stengt.",
         [("mandag", "2011-12-12"), ("onsdag neste uke", "2011-12-14")]),
        ("Styret skal møtes torsdag og fredag.", [("torsdag", "2011-12-08"), ("fredag", "2011-12-09")]),
    ],
)
def test_dates_opening_hours_and_weekday_ranges_are_no_days(text: str, expected: list[tuple[str, str]]) -> None:
    # Opening hours over a list of weekdays gave three days; "åpent mandag til fredag" was left from review 2.
    assert _dates(text, "nn" if "held" in text else "nb") == expected
