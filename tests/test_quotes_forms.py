"""Quote forms found in real Nordic news (issue 5), on sentences written for these tests (names invented): a
trailing cue without a dash, a quotation introduced by a colon, the closing paragraph of a multi-paragraph
quotation, reporter questions in interviews, unnamed speakers."""

from __future__ import annotations

from collections.abc import Callable

from storyline.models import Article
from tests.test_extract_quotes import extract


def test_quotes_forms_trailing_cue_without_dash_is_direct(article: Callable[..., Article]) -> None:
    text = (
        "Sparbanken sänkte räntan på måndagen.\n"
        "Räntan är för låg för dem som sparar till pension, säger Eva Lindqvist på Sparbanken."
    )
    _, quotes = extract(article, text, "sv")
    assert [(q.kind, q.text, q.speaker, q.cue) for q in quotes] == [
        ("direct", "Räntan är för låg för dem som sparar till pension", "Eva Lindqvist", "säger")
    ]


def test_quotes_forms_trailing_opinion_cue_is_reported_speech(article: Callable[..., Article]) -> None:
    text = "Sigrun Dahle leder fiskerådet i Bodø.\nDen nye kvoteplanen er rettferdig, mener Sigrun Dahle."
    _, quotes = extract(article, text)
    assert [(q.kind, q.text, q.speaker) for q in quotes] == [
        ("indirect", "Den nye kvoteplanen er rettferdig", "Sigrun Dahle")
    ]


def test_quotes_forms_apposition_subject_is_no_quote(article: Callable[..., Article]) -> None:
    text = "Forlaget blev kritiseret i sidste uge.\nHelle Mørchs forlægger, Anne Lindholm, afviser kritikken."
    _, quotes = extract(article, text, "da")
    assert [q for q in quotes if q.kind == "direct"] == []


def test_quotes_forms_colon_label_introduces_the_speaker(article: Callable[..., Article]) -> None:
    text = (
        "Færgen sejlede igen ind i kajen i Ebeltoft.\n"
        'Havnefoged Lars Brink: "Jeg forstår ikke hvorfor det sker igen og igen."'
    )
    _, quotes = extract(article, text, "da")
    assert [(q.text, q.speaker) for q in quotes] == [("Jeg forstår ikke hvorfor det sker igen og igen.", "Lars Brink")]


def test_quotes_forms_colon_label_speaker_is_not_the_person_talked_about(article: Callable[..., Article]) -> None:
    text = (
        "Træner Ole Berg fulgte kampen fra bænken.\n"
        "Ole Berg om Nils Holt: – Han er en meget stabil keeper, der altid vil vinde."
    )
    _, quotes = extract(article, text, "da")
    assert [(q.text[:10], q.speaker) for q in quotes] == [("Han er en ", "Ole Berg")]


def test_quotes_forms_closing_paragraph_names_the_speaker(article: Callable[..., Article]) -> None:
    text = (
        "Biskop Tor Vangen kritiserte forslaget søndag.\n"
        "«Dette er trist, og det sier mye om hva saken egentlig gjelder.\n"
        'Den gjelder hvem som skal bestemme i kirken," uttaler biskop Tor Vangen.\n'
        '"Forslaget er gammeldags," sier biskop Ingrid Moe.'
    )
    _, quotes = extract(article, text)
    assert [(q.text[:20], q.speaker) for q in quotes] == [
        ("Dette er trist, og d", "Tor Vangen"),
        ("Den gjelder hvem som", "Tor Vangen"),
        ("Forslaget er gammeld", "Ingrid Moe"),
    ]


def test_quotes_forms_reporter_questions_are_no_quotes(article: Callable[..., Article]) -> None:
    text = (
        "Rolf Aasen driver kafeen ved torget i Larvik.\n"
        "– Parkeringsforbudet er tåpelig, sier Rolf Aasen.\n"
        "– Så du vil ikke flytte likevel?\n"
        "– Nei, aldri.\n"
        "– Når kommer forbudet?\n"
        "– Det vet jeg ikke."
    )
    _, quotes = extract(article, text)
    assert [(q.text, q.speaker) for q in quotes] == [
        ("Parkeringsforbudet er tåpelig", "Rolf Aasen"),
        ("Nei, aldri.", "Rolf Aasen"),
        ("Det vet jeg ikke.", "Rolf Aasen"),
    ]


def test_quotes_forms_unnamed_speaker_is_not_a_title_holder(article: Callable[..., Article]) -> None:
    text = (
        "Talsperson Hege Moland i kommunen la fram saken mandag.\n"
        "– Vi venter på svar fra staten, sa en talsperson for fylket."
    )
    _, quotes = extract(article, text)
    assert [(q.speaker, q.speaker_key) for q in quotes] == [("en talsperson", None)]


def test_quotes_forms_genitive_with_compound_title(article: Callable[..., Article]) -> None:
    text = "Utstillingen vakte debatt i Reykjavik.\n– Dette er en skandale, sa Islands Oslo-ambassadør om saken."
    _, quotes = extract(article, text)
    assert quotes[0].speaker not in ("Islands Oslo", "Islands Oslo-ambassadør")
