"""Date rules (extract/dates.py, data/relative_dates.json) on hand-written sentences in each language.

Every sentence is written for these tests. The anchor is a Wednesday, so weekday arithmetic is visible.
"""

from __future__ import annotations

from datetime import date

import pytest

from storyline.extract.dates import find_dates

WEDNESDAY = date(2024, 3, 13)


def _value(text: str, expression: str, language: str | None = None, anchor: date | None = WEDNESDAY) -> str:
    """The value and granularity of the mention that covers `expression` in `text`."""
    start = text.index(expression)
    for d in find_dates(text, anchor, "published", language):
        assert text[d.start : d.end] == d.text
        if d.start <= start < d.end:
            return f"{d.value} {d.granularity}"
    return "none"


@pytest.mark.parametrize(
    ("language", "text", "expression", "expected"),
    [
        ("nb", "Hun landet i går kveld og reiser videre i morgen.", "i går kveld", "2024-03-12 day"),
        ("nb", "Hun landet i går kveld og reiser videre i morgen.", "i morgen", "2024-03-14 day"),
        ("da", "Aftalen blev underskrevet i forgårs i København.", "i forgårs", "2024-03-11 day"),
        ("da", "Han skrev det i forgaars i et brev.", "i forgaars", "2024-03-11 day"),
        ("sv", "Beslutet fattades i förrgår efter ett långt möte.", "i förrgår", "2024-03-11 day"),
        ("nn", "Møtet vart halde i dag på rådhuset.", "i dag", "2024-03-13 day"),
    ],
)
def test_dates_rules_relative_days(language: str, text: str, expression: str, expected: str) -> None:
    assert _value(text, expression, language) == expected


@pytest.mark.parametrize(
    ("language", "text", "expression"),
    [
        ("nb", "Det var stille i byen i helgen.", "i helgen"),
        ("da", "Der var fest i byen i weekenden.", "i weekenden"),
        ("nn", "Det snødde mykje i helga.", "i helga"),
    ],
)
def test_dates_rules_weekend_on_or_before_the_anchor(language: str, text: str, expression: str) -> None:
    assert _value(text, expression, language) == "2024-03-09/2024-03-10 days"


@pytest.mark.parametrize(
    ("language", "text", "expression"),
    [
        ("nb", "Styret møttes forrige uke.", "forrige uke"),
        ("da", "Bestyrelsen mødtes i sidste uge.", "i sidste uge"),
        ("sv", "Styrelsen träffades förra veckan.", "förra veckan"),
        ("nn", "Styret møttest førre veke.", "førre veke"),
    ],
)
def test_dates_rules_previous_week_is_monday_to_sunday(language: str, text: str, expression: str) -> None:
    assert _value(text, expression, language) == "2024-03-04/2024-03-10 week"


@pytest.mark.parametrize(
    ("language", "text", "expression", "expected"),
    [
        ("da", "Mødet sluttede onsdag aften uden en aftale.", "onsdag aften", "2024-03-13 day"),
        ("nb", "Ulykken skjedde tirsdag kveld ved firetiden.", "tirsdag kveld", "2024-03-12 day"),
        ("sv", "Hon ringde i tisdags och berättade allt.", "i tisdags", "2024-03-12 day"),
        ("da", "Han ringede i onsdags, altså for en uge siden.", "i onsdags", "2024-03-06 day"),
        ("da", "Bogen udkommer på fredag.", "på fredag", "2024-03-15 day"),
        ("sv", "Matchen spelas på lördag.", "på lördag", "2024-03-16 day"),
        ("sv", "Polisen grep mannen på tisdagen.", "på tisdagen", "2024-03-12 day"),
        ("nb", "Kampen spilles neste lørdag.", "neste lørdag", "2024-03-16 day"),
        ("nn", "Dei kom fram torsdag førre veke.", "torsdag førre veke", "2024-03-07 day"),
        ("da", "Afstemningen slutter onsdag i næste uge.", "onsdag i næste uge", "2024-03-20 day"),
        ("nb", "Båten sank natt til søndag.", "natt til søndag", "2024-03-10 day"),
    ],
)
def test_dates_rules_weekdays(language: str, text: str, expression: str, expected: str) -> None:
    assert _value(text, expression, language) == expected


@pytest.mark.parametrize(
    ("text", "expression", "expected"),
    [
        ("Topmødet holdes 11. og 12. juli i Vilnius.", "11. og 12. juli", "2024-07-11/2024-07-12 days"),
        ("Toppmøtet var 11.–12. juli.", "11.–12. juli", "2024-07-11/2024-07-12 days"),
        ("Festivalen pågår 28 juni-3 juli.", "28 juni-3 juli", "2024-06-28/2024-07-03 days"),
        ("Fristen er 1. april i år.", "1. april i år", "2024-04-01 day"),
        ("Fristen gikk ut 9. februar i fjor.", "9. februar i fjor", "2023-02-09 day"),
        ("Avtalen ble signert den 11 juli 2023.", "den 11 juli 2023", "2023-07-11 day"),
        ("Tirsdag 14. mai 2019 åpnet den nye brua.", "Tirsdag 14. mai 2019", "2019-05-14 day"),
        ("Bron invigdes fredagen den 7 juni 2019 i regn.", "fredagen den 7 juni 2019", "2019-06-07 day"),
        ("Vedtaket er datert 04.11.97.", "04.11.97", "1997-11-04 day"),
    ],
)
def test_dates_rules_absolute_dates_and_ranges(text: str, expression: str, expected: str) -> None:
    assert _value(text, expression) == expected


@pytest.mark.parametrize(
    ("text", "expression", "expected"),
    [
        ("Festivalen holdes i juli.", "i juli", "2024-07 month"),
        ("Rapporten kom i oktober.", "i oktober", "2023-10 month"),
        ("Det skjedde i mai i fjor.", "i mai i fjor", "2023-05 month"),
        ("Planen skal være klar inden 2030.", "inden 2030", "2030 year"),
        ("Foreningen har hatt kontor her siden 2011.", "siden 2011", "2011 year"),
        ("Kommunen bygger ut cykelbanorna fram till år 2028.", "år 2028", "2028 year"),
        ("Omsetningen falt i fjor.", "i fjor", "2023 year"),
        ("Försäljningen ökade förra året.", "förra året", "2023 year"),
    ],
)
def test_dates_rules_months_and_years(text: str, expression: str, expected: str) -> None:
    assert _value(text, expression) == expected


def test_dates_rules_years_need_a_preposition_of_time() -> None:
    # a year-like number that is an amount, a decade or part of a compound is no date
    text = "Prisen var 2000 kroner, ideen stammer fra 1960-tallet og står i 2007-utgaven."
    assert [d.text for d in find_dates(text, WEDNESDAY, "published")] == []


def test_dates_rules_anchored_mentions_need_an_anchor() -> None:
    text = "I går kom svaret, og festivalen holdes i juli; avtalen ble signert 24. juni 2023."
    found = find_dates(text, None, "published")
    assert [(d.text, d.anchored) for d in found] == [("24. juni 2023", "absolute")]
    estimated = find_dates("I går kom svaret.", WEDNESDAY, "estimated")
    assert [(d.value, d.anchored) for d in estimated] == [("2024-03-12", "estimated")]


def test_dates_rules_norwegian_on_weekday_is_the_one_past() -> None:
    # "på onsdag" in Norwegian news is as often the day just past; Danish and Swedish read it as the coming one
    assert _value("Avisen skrev om saken på mandag.", "på mandag", "nb") == "2024-03-11 day"
    assert _value("Avisen skriver om saken på mandag.", "på mandag", "da") == "2024-03-18 day"


@pytest.mark.parametrize("text", ["İ går var det koldt.", "ı går var det koldt."])
def test_dates_rules_dotted_and_dotless_i_read_as_i(text: str) -> None:
    # re matches "İ"/"ı" against "i" case-insensitively; the rule lookup must follow (it raised KeyError).
    assert [(d.text, d.value) for d in find_dates(text, date(2024, 6, 5), "published", "da")] == [
        (text[:5], "2024-06-04")]
