"""Indirect and mixed speech: reporting verbs with and without a complementiser, `ifølge`/`enligt`/`according
to`, warnings, and the statements that are not a person's (organisations, media, infinitives).

All sentences are fictional and written for these tests.
"""

from __future__ import annotations

from collections.abc import Callable

from storyline.models import Article, Quote
from tests.test_extract_quotes import extract


def _reported(quotes: list[Quote]) -> list[tuple[str, str, str | None, str | None]]:
    return [(q.kind, q.text, q.speaker, q.cue) for q in quotes if q.kind != "direct"]


def test_extract_quotes_indirect_said_that_in_five_languages(article: Callable[..., Article]) -> None:
    cases = [
        ("da", "Skoleborgmester Pia Lund siger til Politiken, at budgettet er for stramt.",
         ("budgettet er for stramt", "Pia Lund", "siger")),
        ("nb", "Helseminister Jon Vatne sa tirsdag at køene skal ned før sommeren.",
         ("køene skal ned før sommeren", "Jon Vatne", "sa")),
        ("nn", "Fylkesordførar Siv Rørlien seier at ferja skal gå som før.",
         ("ferja skal gå som før", "Siv Rørlien", "seier")),
        ("sv", "Landshövding Erik Sandberg sade efter mötet att vägen öppnas i juni.",
         ("vägen öppnas i juni", "Erik Sandberg", "sade")),
        ("en", "Harbour master Colin Reeves said on Monday that the port would reopen.",
         ("the port would reopen", "Colin Reeves", "said")),
    ]
    for language, text, expected in cases:
        _, quotes = extract(article, text, language)
        assert [q[1:] for q in _reported(quotes)] == [expected], language


def test_extract_quotes_indirect_other_reporting_verbs(article: Callable[..., Article]) -> None:
    text = (
        "Økonom Kari Bøe i Sparebanken Øst mener renten vil falle i høst.\n"
        "Forbundsleder Tom Ramberg var tydelig på at streiken fortsetter.\n"
        "Ramberg avviste at forbundet har fått et nytt tilbud.\n"
        "Finanstilsynets direktør Hilde Aune advarte mot økt gjeldsvekst blant unge."
    )
    _, quotes = extract(article, text)
    assert _reported(quotes) == [
        ("indirect", "renten vil falle i høst", "Kari Bøe", "mener"),
        ("indirect", "streiken fortsetter", "Tom Ramberg", "var tydelig på"),
        ("indirect", "forbundet har fått et nytt tilbud", "Tom Ramberg", "avviste"),
        ("indirect", "advarte mot økt gjeldsvekst blant unge", "Hilde Aune", "advarte mot"),
    ]


def test_extract_quotes_indirect_according_to(article: Callable[..., Article]) -> None:
    cases = [
        ("nb", "Ifølge Martin Lie er skadene større enn først antatt.", "er skadene større", "Martin Lie"),
        ("nb", "Ifølge sjefen for brannvesenet, Lars Hov, kan brannen blusse opp igjen.", "kan brannen", "Lars Hov"),
        ("sv", "Enligt Maria Ek från Trafikverket kommer arbetet att ta två år.", "kommer arbetet", "Maria Ek"),
        ("nn", "Ifølgje Olav Brekke er vegen stengd til fredag.", "er vegen stengd", "Olav Brekke"),
        ("en", "According to Sarah Moss, the talks will resume next week.", "the talks will", "Sarah Moss"),
    ]
    for language, text, starts, speaker in cases:
        _, quotes = extract(article, text, language)
        assert [(q.text[: len(starts)], q.speaker, q.kind) for q in quotes] == [(starts, speaker, "indirect")]


def test_extract_quotes_indirect_inverted_and_relative_subjects(article: Callable[..., Article]) -> None:
    text = (
        "Direktør Anne Holm møtte komiteen torsdag. Der innrømmet hun at selskapet burde ha varslet tidligere.\n"
        "Saken ble tatt opp av Per Dahl, som sa at tilliten er svekket."
    )
    _, quotes = extract(article, text)
    assert [(q.text, q.speaker) for q in quotes] == [
        ("selskapet burde ha varslet tidligere", "Anne Holm"),
        ("tilliten er svekket", "Per Dahl"),
    ]


def test_extract_quotes_mixed_speech(article: Callable[..., Article]) -> None:
    _, quotes = extract(article, "Statsråd Eva Moen sa at avtalen er «et historisk gjennombrudd» for fisket.")
    assert [(q.kind, q.text, q.speaker) for q in quotes] == [
        ("mixed", "avtalen er «et historisk gjennombrudd» for fisket", "Eva Moen")
    ]


def test_extract_quotes_indirect_skips_organisations_media_and_infinitives(article: Callable[..., Article]) -> None:
    text = (
        "Politiet opplyser at to personer er pågrepet.\n"
        "Ifølge NTB er veien stengt i begge retninger.\n"
        "Det statlige selskapet Nordvarme bekrefter at prisene øker."
    )
    _, quotes = extract(article, text)
    assert quotes == []
    _, quotes = extract(article, "Ministeren Søren Krogh lovede at sænke afgiften på el i næste år.", "da")
    assert quotes == []
    _, quotes = extract(article, "Kommunen sagde i en pressemeddelelse, at skolen lukker.", "da")
    assert quotes == []
