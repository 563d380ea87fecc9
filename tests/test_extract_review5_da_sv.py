"""Real-news review 5 (Danish DDT and Swedish Talbanken/Klintan train text, read at review time only;
benchmarks/review_da_sv.py counts the classes): the rules it fixed, on text written for these tests (every name
invented): dotted initials and Danish name abbreviations inside names, company legal forms, genitives of
first names, places and Nordic organisation names, and amounts and decades that are not years."""

from __future__ import annotations

from datetime import UTC, date, datetime

from storyline.extract import find_dates, find_mentions
from tests.conftest import make_article
from tests.test_extract_entities import extract_lines


def _entities(text: str, language: str = "da") -> list[tuple[str, str, str]]:
    return [(e.text, e.type, e.key) for e in find_mentions(text, language).entities]


def test_extract_review5_initials_written_together_stay_in_the_name() -> None:
    found = _entities("Det siger direktør K.T. Brønlund til avisen.")
    assert [(t, k) for t, k, _ in found] == [("K.T. Brønlund", "PER")]
    assert _entities("Hun ringede til P.G. Vangsted i går.")[0][:2] == ("P.G. Vangsted", "PER")


def test_extract_review5_danish_name_abbreviations_stay_in_the_name() -> None:
    assert ("Kgs. Vejle", "LOC") in [(t, k) for t, k, _ in _entities("Han bor nu på Kgs. Vejle ved havnen.")]
    people = [(t, k) for t, k, _ in _entities("Mødet med Jens Chr. Ravnsholt var kort.")]
    assert people == [("Jens Chr. Ravnsholt", "PER")]


def test_extract_review5_legal_form_joins_the_company_and_keeps_its_key() -> None:
    # the tagger reads the unknown name as a person; the legal form says it is a company, in both mentions
    found = _entities("Ordren gik til Vindbyg A/S i går, og Vindbyg betalte.")
    assert found == [("Vindbyg A/S", "ORG", "org:vindbyg"), ("Vindbyg", "ORG", "org:vindbyg")]
    assert _entities("Volvo AB har vundet. Volvo er stor.", "sv") == [("Volvo AB", "ORG", "org:volvo"),
                                                                      ("Volvo", "ORG", "org:volvo")]
    # the "S" of "A/S" is not the party abbreviation, and a legal form is never a name of its own
    assert all(t not in ("S", "ApS", "A/S") for t, _, _ in found)


def test_extract_review5_first_name_genitive_keys_with_the_name() -> None:
    assert _entities("Han talte med Sonjas mor.")[0][:2] == ("Sonja", "PER")
    assert _entities("Sonja kom hjem.")[0][2] == _entities("Han talte med Sonjas mor.")[0][2]
    # first name + consonant + s is a surname of its own
    assert _entities("Det var Williams bil.")[0][0] == "Williams"


def test_extract_review5_nordic_organisation_genitives_fold() -> None:
    assert _entities("Nordeas vd sa att det gick bra.", "sv")[0][2] == "org:nordea"
    assert _entities("Vi læste Vestkyst Tidendes leder.")[0][:2] == ("Vestkyst Tidende", "ORG")


def test_extract_review5_places_ending_in_s_keep_it() -> None:
    assert _entities("Hun bor i Texas nu.")[0][:2] == ("Texas", "LOC")


def test_dates_review5_amounts_and_decades_are_not_years() -> None:
    ref = date(2024, 5, 2)
    assert find_dates("Bidraget höjs från 1000 kr till 1500 kr per år.", ref, "published", "sv") == []
    assert find_dates("Musikken fra 1960'erne og i 1990erne er tilbage.", ref, "published", "da") == []
    assert find_dates("Prisen steg fra 1200 kroner.", ref, "published", "da") == []
    assert [d.value for d in find_dates("Han flyttede i 1990, og siden 1997 har han boet her.", ref, "published",
                                        "da")] == ["1990", "1997"]


def test_extract_review5_people_named_like_cities_stay_people() -> None:
    # a city's alternate name in the gazetteer does not outrank a title or a first name the tagger read
    assert _entities("Det mente dronning Elizabeth i går.")[0][1] == "PER"
    assert _entities("Karin kom hjem i går.")[0][:2] == ("Karin", "PER")
    assert _entities("Hun fløj til Orlando i Florida.")[0][:2] == ("Orlando", "LOC")


def test_extract_review5_initials_alone_before_a_surname_are_a_person() -> None:
    assert _entities("Hun mødte A. B. Lassenby i går.")[0][:2] == ("A. B. Lassenby", "PER")


def test_extract_review5_swedish_colon_genitive() -> None:
    assert _entities("Enligt FN:s prognos växer den.", "sv") == [("FN", "ORG", "org:un")]
    # the possessed noun is no name of its own
    assert all(not t.islower() for t, _, _ in _entities("Nu presenterar KF:s lekråd en cirkel.", "sv"))


def _quotes(text: str, language: str) -> list[tuple[str | None, str | None]]:
    art = extract_lines(make_article, text, language, published=datetime(2024, 5, 2, 8, tzinfo=UTC))
    return [(q.speaker, q.speaker_key) for q in art.quotes]


def test_quotes_review5_title_abbreviation_and_initials_do_not_end_the_cue() -> None:
    lead = "Mødet varede hele dagen.\n"
    said = _quotes(lead + '"Giv os mere tid til at finde en løsning," siger dr. Ida Vennerstrøm.', "da")
    assert [s for s, _ in said] == ["Ida Vennerstrøm"] and said[0][1] is not None
    said = _quotes(lead + '"Vi er klar til at gå videre med sagen," siger H.C. Brandholm.', "da")
    assert [s for s, _ in said] == ["H.C. Brandholm"] and said[0][1] is not None
    said = _quotes("Mötet pågick hela dagen.\n" + '"Vi är klara att gå vidare med frågan," säger prof. Berglöv.',
                   "sv")
    assert [s for s, _ in said] == ["Berglöv"] and said[0][1] is not None


def test_quotes_review5_speaker_after_a_possessor_of_several_words() -> None:
    lead = "Mødet varede hele dagen.\n"
    said = _quotes(lead + '"Vi må vente og se, hvad der sker," siger Den Nordiske Banks formand Bo Lundgaard.', "da")
    assert [s for s, _ in said] == ["Bo Lundgaard"]
    # unnamed, the speaker is the bank's chairman, not the bank
    said = _quotes(lead + '"Vi må vente og se, hvad der sker," lød det fra Den Nordiske Banks formand.', "da")
    assert said == [("formand", None)]


def test_dates_review5_til_month_is_the_coming_one() -> None:
    ref = date(2024, 6, 13)
    assert [d.value for d in find_dates("De bliver forældre til marts.", ref, "published", "da")] == ["2025-03"]
    assert [d.value for d in find_dates("Siden december har han ventet.", ref, "published", "da")] == ["2023-12"]
    # in a range "til" only closes it: the nearest reading stands
    assert [d.value for d in find_dates("Fra januar til marts steg prisen.", ref, "published", "da")] == [
        "2024-01", "2024-03"]


def test_extract_review5_party_letters_after_a_name_are_the_party_of_the_language() -> None:
    assert _entities("Det mener Mette Holmgaard (S), der er formand.")[1] == ("S", "ORG", "org:dk-s")
    # the same letter is another party in Sweden; the Danish party's full name shares the key
    assert _entities("Förslaget från Lars Bergkvist (V) röstades ned.", "sv")[1] == ("V", "ORG", "org:se-v")
    assert _entities("Forslaget fra Lars Bergkvist (V) blev vedtaget.")[1] == ("V", "ORG", "org:dk-v")
    assert {k for _, _, k in _entities("Socialdemokratiet vandt. Mette Holmgaard (S) jublede.")} >= {"org:dk-s"}
    # letters in parentheses after anything but a person are left alone
    assert all(t != "A" for t, _, _ in _entities("Planen (A) blev vedtaget af Bo Holmgaard i går."))
