"""Real-news review 4 (NorNE nb/nn train newspaper documents, read at review time only): the rules it fixed, on
text written for these tests (every name invented): question-list interviews whose subject only the headline
names, speaker noun phrases kept whole, Nordic party names and operation names typed as what they are."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from storyline.extract import headline_person
from storyline.models import Article
from tests.test_extract_entities import extract_lines

INTERVIEW = "\n".join(
    [
        "Bor:",
        "I ein raud hytte ved sjøen.",
        "Kva les du no?",
        "- Ein roman om ein fyrvaktar.",
        "Kvar reiste du sist?",
        "- Til Færøyane, for å sjå fuglefjella.",
    ]
)


def _run(make_article: Callable[..., Article], text: str, language: str, title: str = "") -> Article:
    art = extract_lines(make_article, text, language, title=title, published=datetime(2024, 5, 2, 8, tzinfo=UTC))
    for q in art.quotes:
        assert art.text[q.start : q.end] == q.text  # offsets stay in the text: the headline is not part of it
    return art


def test_extract_review4_interview_answers_take_the_person_the_headline_names(
    article: Callable[..., Article],
) -> None:
    art = _run(article, INTERVIEW, "nn", title="Kva tok Ingvild Sæbønes (41) med seg på ferie?")
    assert [(q.text, q.speaker, q.speaker_key) for q in art.quotes] == [
        ("Ein roman om ein fyrvaktar.", "Ingvild Sæbønes", art.quotes[0].speaker_key),
        ("Til Færøyane, for å sjå fuglefjella.", "Ingvild Sæbønes", art.quotes[0].speaker_key),
    ]
    assert art.quotes[0].speaker_key is not None and art.quotes[0].speaker_key.startswith("per:")


def test_extract_review4_headline_without_one_full_name_gives_no_interviewee(
    article: Callable[..., Article],
) -> None:
    # no one named, or two people named: the headline does not say whose the answers are
    for title in ("Kva tok ho med seg på ferie?", "Ingvild Sæbønes og Torkel Mjåvatn om ferien"):
        art = _run(article, INTERVIEW, "nn", title=title)
        assert [q.speaker for q in art.quotes] == [None, None]


def test_extract_review4_headline_person_skips_names_leading_compounds() -> None:
    found = headline_person("Torkel Mjåvatn vil redde eit Grøndahl-piano frå 1920", "nn")
    assert found is not None and found.name == "Torkel Mjåvatn" and found.person


def test_extract_review4_interviewee_named_in_the_text_keeps_the_text_speaker(
    article: Callable[..., Article],
) -> None:
    text = "Fyrvaktaren Brage Ulvestad har budd på øya i tretti år.\n" + INTERVIEW
    art = _run(article, text, "nn", title="Kva tok Ingvild Sæbønes (41) med seg på ferie?")
    assert {q.speaker for q in art.quotes} == {"Brage Ulvestad"}


def test_extract_review4_speaker_phrases_are_kept_whole(article: Callable[..., Article]) -> None:
    cases = [
        ("nn", "- Alt var stille den natta, seier NRKs kjelde.", "NRKs kjelde", None),
        ("nn", "- Meiningslaust, seier både pasientar og tilsette ved sjukehuset i Brattvik.",
         "både pasientar og tilsette", None),
        ("sv", "– Staden är lugn nu, sade en anonym lokal säkerhetskälla.",
         "en anonym lokal säkerhetskälla", None),
    ]
    for language, text, speaker, key in cases:
        art = _run(article, text, language)
        assert [(q.speaker, q.speaker_key) for q in art.quotes] == [(speaker, key)], text


def test_extract_review4_a_name_ending_in_s_before_an_adverb_stays_the_speaker(
    article: Callable[..., Article],
) -> None:
    art = _run(article, "Lars Kvamsdal kom heim i går.\n- Det var kaldt på fjellet, seier Lars roleg.", "nn")
    assert [q.speaker for q in art.quotes] == ["Lars Kvamsdal"]


def test_extract_review4_party_abbreviations_are_organisations_with_the_party_key(
    article: Callable[..., Article],
) -> None:
    text = ("Frp og Sp stemte mot forslaget i kommunestyret.\n"
            "Fremskrittspartiet vil nå ta saken til fylket, mens Senterpartiet venter.")
    art = _run(article, text, "nb")
    types = {(e.text, e.type, e.key) for e in art.entities}
    assert ("Frp", "ORG", "org:no-frp") in types and ("Fremskrittspartiet", "ORG", "org:no-frp") in types
    assert ("Sp", "ORG", "org:no-sp") in types and ("Senterpartiet", "ORG", "org:no-sp") in types


def test_extract_review4_operation_names_are_events_not_people(article: Callable[..., Article]) -> None:
    cases = [
        ("da", "Øvelsen har fået navnet Operation Havørn og begynder mandag ved Skagen."),
        ("nn", "Operasjonen Havørn skal etter planen vere i drift frå måndag."),
        ("sv", "Försvaret inleder Operation Havørn på måndag."),
    ]
    for language, text in cases:
        art = _run(article, text, language)
        named = [(e.text, e.type) for e in art.entities if "Havørn" in e.text]
        assert named and all(t == "MISC" for _, t in named), (text, named)
        assert not any(e.type == "PER" for e in art.entities), text


def test_extract_review4_anonymous_sources_are_not_the_person_they_speak_about(
    article: Callable[..., Article],
) -> None:
    text = "\n".join(
        [
            "Fjordvik Tidend har snakka med fleire som arbeidde med Halvard Trædal på verftet.",
            "Av omsyn til arbeidsplassen vil dei vere anonyme.",
            "- Det hende han sa ting vi reagerte på.",
            "Verftssjef Oddny Bremnes er ikkje samd.",
            "- Han gjorde jobben sin, seier Bremnes.",
        ]
    )
    art = _run(article, text, "nn")
    assert [(q.text, q.speaker) for q in art.quotes] == [
        ("Det hende han sa ting vi reagerte på.", None),
        ("Han gjorde jobben sin", "Oddny Bremnes"),
    ]


def test_extract_review4_anonymous_as_an_adjective_names_no_source(article: Callable[..., Article]) -> None:
    text = "\n".join(
        [
            "Rådgjevar Halvard Trædal meiner departementet har vore anonymt i media.",
            "- Det trengst ein statsråd som syner seg.",
        ]
    )
    art = _run(article, text, "nn")
    assert [(q.text, q.speaker) for q in art.quotes if q.kind == "direct"] == [
        ("Det trengst ein statsråd som syner seg.", "Halvard Trædal")
    ]
