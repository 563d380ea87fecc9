"""Which way a bare weekday points (extract/dates.py `weekday_direction`, data/relative_dates.json
"weekday_context"), on hand-written sentences in each language.

Every sentence is written for these tests. The anchor is Wednesday 13 March 2024: the coming Friday is the 15th,
the past one the 8th; the coming Monday the 18th, the past one the 11th.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from storyline.eval.dates import evaluate_dates
from storyline.extract.dates import find_dates, weekday_direction

WEDNESDAY = date(2024, 3, 13)
COMING_FRIDAY, PAST_FRIDAY = "2024-03-15", "2024-03-08"


def _value(text: str, expression: str, language: str) -> str | None:
    """The value of the mention that covers `expression` in `text` (None: no mention there)."""
    start = text.index(expression)
    for d in find_dates(text, WEDNESDAY, "published", language):
        if d.start <= start < d.end:
            return d.value
    return None


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("nb", "Kommunestyret skal behandle saken fredag."),
        ("nb", "Uværet er ventet å nå kysten fredag kveld."),
        ("nb", "Fredag ventes det kraftig vind i fjellet."),
        ("nb", "Laget møter Rosenborg fredag på hjemmebane."),
        ("nn", "Laurdag held koret konsert i kyrkja, og fredag kjem ordføraren på besøk."),
        ("nn", "Vegen vil vere stengd fram til fredag."),
        ("nn", "Fristen går ut førstkomande fredag."),
        ("da", "Regeringen vil fremlægge planen fredag."),
        ("da", "Ministeren planlægger at rejse til Bruxelles fredag."),
        ("sv", "Regeringen ska presentera budgeten fredag."),
        ("sv", "Det väntas snöfall i hela regionen fredag."),
        ("en", "The committee will publish its report on Friday."),
        ("en", "The storm is expected to reach the coast on Friday."),
    ],
)
def test_dates_weekday_direction_future_clause_is_the_coming_day(language: str, text: str) -> None:
    expression = next(w for w in ("fredag", "Fredag", "Friday") if w in text)
    assert _value(text, expression, language) == COMING_FRIDAY


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("nb", "Ordføreren sa fredag at kommunen skal spare penger."),
        ("nb", "Brannen startet fredag kveld, og huset ble totalskadd."),
        ("nb", "Styret vedtok fredag at skolen skal legges ned."),
        ("nn", "Politiet fekk melding om ulykka fredag."),
        ("nn", "Biletet er frå fredag kveld."),
        ("da", "Statsministeren sagde fredag, at valget kommer til at blive tæt."),
        ("da", "Holdet har spillet godt siden fredag."),
        ("sv", "Polisen sade fredag att utredningen ska fortsätta."),
        ("sv", "Mötet hölls fredag och var kort."),
        ("en", "The minister said on Friday that the talks will resume."),
        ("en", "The bridge was closed on Friday."),
    ],
)
def test_dates_weekday_direction_past_clause_is_the_past_day(language: str, text: str) -> None:
    expression = next(w for w in ("fredag", "Friday") if w in text)
    assert _value(text, expression, language) == PAST_FRIDAY


def test_dates_weekday_direction_news_default_is_the_past_day() -> None:
    # no cue either way: news reports what happened, so the most recent one
    assert _value("Kronprinsen åpnet utstillingen fredag.", "fredag", "nb") == PAST_FRIDAY
    # a present-tense report of what was said ("sier fredag") is the past day, though "sier" is present
    assert _value("Statsministeren sier fredag at han er fornøyd.", "fredag", "nb") == PAST_FRIDAY
    # present "er" points ahead only where the clause holds no stronger cue
    assert _value("Søndag er det klart for finalen.", "Søndag", "nb") == "2024-03-17"
    assert _value("Søndag er laget blitt seriemester.", "Søndag", "nb") == "2024-03-10"


def test_dates_weekday_direction_same_weekday_is_today() -> None:
    assert _value("Regjeringen skal legge fram budsjettet onsdag.", "onsdag", "nb") == "2024-03-13"
    assert _value("Regjeringen la fram budsjettet onsdag.", "onsdag", "nb") == "2024-03-13"


def test_dates_weekday_direction_a_list_of_weekdays_shares_its_verb() -> None:
    text = "Turneringen spilles torsdag, fredag og lørdag i Hamar."
    assert [_value(text, day, "nb") for day in ("torsdag", "fredag", "lørdag")] == [
        "2024-03-14", COMING_FRIDAY, "2024-03-16"]
    # a comma before a conjunction opens a new clause: its verb is not the weekday's
    text = "Norge møter Danmark fredag, og seier er nok til avansement."
    assert _value(text, "fredag", "nb") == COMING_FRIDAY


@pytest.mark.parametrize(
    ("language", "text", "expression"),
    [
        ("nb", "Butikken holder åpent hver lørdag.", "lørdag"),
        ("nn", "Barnehagen bruker bygget kvar måndag, onsdag og fredag.", "fredag"),
        ("sv", "Marknaden hålls varje lördag.", "lördag"),
        ("da", "Biblioteket har åbent hver søndag.", "søndag"),
        ("en", "The market opens every Saturday.", "Saturday"),
    ],
)
def test_dates_weekday_direction_habitual_weekday_is_no_single_day(language: str, text: str, expression: str) -> None:
    assert _value(text, expression, language) is None


def test_dates_weekday_direction_explicit_words_keep_their_rule() -> None:
    # "i fredags" (sv/da) is the one past, "på fredag" (da/sv) and "neste fredag" the coming one, whatever the verb
    assert _value("Hon sa att hon kommer i fredags.", "i fredags", "sv") == PAST_FRIDAY
    assert _value("Han sagde, at han kom på fredag.", "på fredag", "da") == COMING_FRIDAY
    assert _value("Hun sa at hun kommer neste fredag.", "neste fredag", "nb") == COMING_FRIDAY
    assert _value("Båten sank natt til søndag, og mannskapet skal avhøres.", "natt til søndag", "nb") == "2024-03-10"


def test_dates_weekday_direction_function_reads_the_clause() -> None:
    text = "Ministeren sa i går at budsjettet skal legges fram fredag."
    start = text.index("fredag")
    # the weekday sits in the "at" clause, whose verb is "skal": the coming day
    assert weekday_direction(text, start, start + 6, "nb") == "coming"
    text = "Ministeren sa fredag at budsjettet skal legges fram."
    start = text.index("fredag")
    assert weekday_direction(text, start, start + 6, "nb") == "past"


DEV_GOLD = Path(__file__).parents[1] / "src" / "storyline" / "eval" / "data" / "dates_gold_dev.jsonl"


def test_dates_weekday_direction_dev_gold_holds_references_not_texts() -> None:
    # NorNE's texts may not be republished: a row holds a sentence position, offsets and the labels only
    rows = [json.loads(line) for line in DEV_GOLD.read_text(encoding="utf-8").splitlines()]
    keys = {"corpus", "sent", "start", "end", "value", "granularity", "anchor", "direction"}
    assert len(rows) >= 300 and all(set(row) == keys for row in rows)
    assert {row["corpus"] for row in rows} == {"norne-nb-train", "norne-nn-train"}
    assert {row["direction"] for row in rows} == {"past", "today", "coming", "none"}
    assert all((row["value"] is None) == (row["direction"] == "none") for row in rows)


@pytest.mark.needs_shared_data
def test_dates_weekday_direction_dev_accuracy_floor(shared_data: Path) -> None:
    # measured 0.965 on the dev set (0.725 with every bare weekday read as the past one); a floor, not the figure
    result = evaluate_dates(shared_data)
    assert result["dev"]["accuracy"] >= 0.93
    assert result["accuracy"] >= 0.98
