"""Direct quotes: dash paragraphs with trailing cues, quotation marks with cues, and their speakers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from storyline.extract import ExtractStage
from storyline.models import Article, Paragraph, Quote


def _quotes(
    make_article: Callable[..., Article], text: str, language: str = "nb"
) -> tuple[Article, list[Quote]]:
    art = make_article(text, published=datetime(2023, 7, 11, 8, tzinfo=UTC))
    art.text = text
    art.language = language
    pos = 0
    for para in text.split("\n"):
        art.paragraphs.append(Paragraph(pos, pos + len(para)))
        pos += len(para) + 1
    art = ExtractStage()(art)
    for q in art.quotes:
        assert art.text[q.start : q.end] == q.text
        assert q.kind == "direct"
    return art, art.quotes


def test_extract_quotes_dash_paragraphs_with_name_title_and_pronoun(article: Callable[..., Article]) -> None:
    text = (
        "Natos generalsekretær Jens Stoltenberg møtte pressen i Vilnius tirsdag.\n"
        "– Alliansen står samlet, sier Jens Stoltenberg.\n"
        "– Russland har ikke vunnet, og kommer ikke til å vinne, sier generalsekretæren.\n"
        "Statsminister Jonas Gahr Støre var også til stede.\n"
        "– Dette er en viktig dag for Norge, sa han."
    )
    art, quotes = _quotes(article, text)
    stoltenberg = next(e.key for e in art.entities if e.text == "Jens Stoltenberg")
    store = next(e.key for e in art.entities if e.text == "Jonas Gahr Støre")
    assert [(q.text, q.speaker, q.speaker_key, q.cue) for q in quotes] == [
        ("Alliansen står samlet", "Jens Stoltenberg", stoltenberg, "sier"),
        ("Russland har ikke vunnet, og kommer ikke til å vinne", "generalsekretæren", stoltenberg, "sier"),
        ("Dette er en viktig dag for Norge", "han", store, "sa"),
    ]


def test_extract_quotes_cueless_dash_paragraph_continues_speaker(article: Callable[..., Article]) -> None:
    text = (
        "– Vi må handle nå, säger statsminister Ulf Kristersson.\n"
        "– Sverige kommer att göra sin del i alliansen."
    )
    _, quotes = _quotes(article, text, "sv")
    assert len(quotes) == 2
    assert quotes[1].text == "Sverige kommer att göra sin del i alliansen."
    assert quotes[1].speaker_key == quotes[0].speaker_key is not None


def test_extract_quotes_guillemets_with_cue_before_and_after(article: Callable[..., Article]) -> None:
    text = (
        "Stoltenberg sier: «Døren til Nato står åpen for Ukraina.»\n"
        "«Vi kommer til å støtte dem så lenge det trengs», sier hun til NRK."
    )
    _, quotes = _quotes(article, text)
    assert quotes[0].text == "Døren til Nato står åpen for Ukraina."
    assert quotes[0].speaker == "Stoltenberg" and quotes[0].cue == "sier"
    assert quotes[0].speaker_key == "per:stoltenberg"
    assert quotes[1].text == "Vi kommer til å støtte dem så lenge det trengs"
    assert quotes[1].speaker == "hun"


def test_extract_quotes_skips_scare_quotes(article: Callable[..., Article]) -> None:
    text = (
        "Kreml kaller krigen en «spesiell militæroperasjon» og omtaler kritikerne som «forrædere». "
        "Flere eksperter mener betegnelsen er misvisende."
    )
    _, quotes = _quotes(article, text)
    assert quotes == []
