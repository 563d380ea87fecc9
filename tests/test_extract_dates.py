"""Dates: absolute forms, ranges, year inference and relative expressions anchored on publication."""

from __future__ import annotations

from datetime import date

from storyline.extract.dates import find_dates

PUBLISHED = date(2023, 7, 12)  # a Wednesday


def _values(text: str, published: date | None = PUBLISHED) -> list[tuple[str, str, str, str]]:
    out = []
    for d in find_dates(text, published, "published"):
        assert text[d.start : d.end] == d.text
        out.append((d.text, d.value, d.granularity, d.anchored))
    return out


def test_extract_dates_absolute_forms() -> None:
    text = (
        "Avtalen ble signert 24. juni 2023, rapporten kom 2023-07-03 og møtet 11.07.2023. "
        "The summit opened on July 11, 2023."
    )
    assert _values(text) == [
        ("24. juni 2023", "2023-06-24", "day", "absolute"),
        ("2023-07-03", "2023-07-03", "day", "absolute"),
        ("11.07.2023", "2023-07-11", "day", "absolute"),
        ("July 11, 2023", "2023-07-11", "day", "absolute"),
    ]


def test_extract_dates_range_without_year_takes_publication_year() -> None:
    assert _values("Topmødet holdes 11. og 12. juli i Vilnius.") == [
        ("11. og 12. juli", "2023-07-11/2023-07-12", "days", "published")
    ]
    assert _values("Toppmøtet var 11.–12. juli.")[0][1] == "2023-07-11/2023-07-12"


def test_extract_dates_year_inference_picks_closest_year() -> None:
    # A December date in a January article is last December.
    assert _values("Valget var den 18 december.", date(2024, 1, 10))[0][1] == "2023-12-18"
    assert _values("Valget var den 18 december.", None) == []


def test_extract_dates_relative_expressions() -> None:
    values = {
        text: value
        for text, value, _, _ in _values(
            "I går landet han, og tirsdag kveld møtte han ministeren. I helgen var det stille. "
            "I tisdags sa hon nej."
        )
    }
    assert values["I går"] == "2023-07-11"
    assert values["tirsdag kveld"] == "2023-07-11"
    assert values["I helgen"] == "2023-07-08/2023-07-09"
    assert values["I tisdags"] == "2023-07-11"
    assert _values("I går landet han.", None) == []


def test_extract_dates_trie_alternation_matches_the_flat_one() -> None:
    """The patterns' word alternations are tries (speed); they must match what the flat alternation, longest word
    first, matched: prefixes of each other, several spaces, any case, a pattern that needs the shorter word."""
    import re

    from storyline.extract.dates import _alt

    words = ["i dag", "i går", "i går kveld", "idag", "mar", "mars", "marts", "maj", "i", "på", "natt til"]
    flat = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))
    texts = ["I GÅR KVELD og i  går, idag mars marts maj", "natt  til mandag, på mar-s", "i går kvelden", "ma mars"]
    for tail in (r"(?![\w])", r"\s+k", r"s?(?![\w])", ""):
        trie_re = re.compile(rf"(?<![\w])({_alt(words)}){tail}", re.IGNORECASE)
        flat_re = re.compile(rf"(?<![\w])({flat}){tail}", re.IGNORECASE)
        for text in texts:
            assert [m.span(1) for m in trie_re.finditer(text)] == [m.span(1) for m in flat_re.finditer(text)], tail
