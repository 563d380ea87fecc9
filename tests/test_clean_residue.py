"""Scraper residue in realistic (fictional) Danish, Norwegian and Swedish texts: removed, body kept."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storyline.clean import CleanStage
from storyline.models import Article
from storyline.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures" / "clean"
MakeArticle = Callable[..., Article]


def cleaned(article: MakeArticle, name: str, **fields: object) -> Article:
    return CleanStage(Settings())(article((FIXTURES / name).read_text(encoding="utf-8"), **fields))


def test_clean_danish_prefix_sets_month_and_is_removed(article: MakeArticle) -> None:
    result = cleaned(article, "da-scraped.txt")
    assert result.published == datetime(2023, 6, 1, tzinfo=UTC)
    assert result.published_precision == "month"
    assert "date 2023-06" not in result.text
    assert result.title == "Vandstanden i Vejle Å stiger igen"
    assert result.meta["updated"] == "2023-06-24T14:10:00+00:00"


def test_clean_danish_residue_removed_body_kept(article: MakeArticle) -> None:
    text = cleaned(article, "da-scraped.txt").text
    for residue in ("Af Hans Hansen", "Ritzau Scanpix", "Læs også", "Annonce", "Del artiklen", "/ritzau/",
                    "Opdateret", "Sandsækkene lægges ud"):
        assert residue not in text, residue
    assert "viste et gammelt foto af oversvømmelsen i 1970" in text  # "foto" inside a sentence survives
    assert text.endswith("Næste måling foretages søndag morgen.")


def test_clean_prefix_keeps_existing_published(article: MakeArticle) -> None:
    known = datetime(2023, 5, 30, 9, 0, tzinfo=UTC)
    result = cleaned(article, "da-scraped.txt", published=known)
    assert result.published == known and result.published_precision == "exact"
    assert not result.text.startswith("date")


def test_clean_norwegian_dates_bylines_captions(article: MakeArticle) -> None:
    result = cleaned(article, "nb-scraped.txt")
    assert result.published == datetime(2023, 6, 24, tzinfo=UTC)
    assert result.published_precision == "day"
    assert result.meta["updated"] == "2023-06-25T08:30:00+00:00"
    for residue in ("Publisert", "Oppdatert", "Kari Nordmann", "Foto:", "LES OGSÅ", "Slik kan du spare strøm",
                    "informasjonskapsler", "Facebook", "©NTB"):
        assert residue not in result.text, residue
    assert "Hun tok et foto av den nesten tomme demningen" in result.text
    assert result.paragraph_texts()[0].startswith("Strømprisen i Sør-Norge")


def test_clean_swedish_residue(article: MakeArticle) -> None:
    result = cleaned(article, "sv-scraped.txt")
    assert result.published == datetime(2023, 6, 24, 9, 15, tzinfo=UTC)
    assert result.published_precision == "exact"
    assert result.title == "Rekordmånga badgäster vid Ribersborg"
    for residue in ("Text: Anna Ek", "Bild:", "Läs även", "Så varm blir", "Annons"):
        assert residue not in result.text, residue
    assert result.paragraph_texts()[-1] == "En fotograf från tidningen tog bilder av köerna vid glasskiosken."


@pytest.mark.parametrize(
    "line",
    [
        "Statsministeren på vei inn i Stortinget. Foto: NTB",
        "Kongeparet ankom Tromsø fredag (Foto: Rune Stoltz Bertinussen / NTB)",
        "Foto: Ritzau Scanpix",
        "FOTO: Heiko Junge",
        "Bild: Fredrik Sandberg/TT",
        "Photo: Reuters",
        "Af Mette Holm",
        "Av Kari Nordmann, NTB",
        "Av NTB",
        "Ritzau",
        "TT",
        "/ritzau/",
        "Les også: Dette er de nye reglene for elsparkesykler",
        "Se även: Klimatmötet i Bonn",
        "Dela",
        "Annonse",
        "Vi bruker informasjonskapsler for å forbedre tjenestene våre.",
    ],
)
def test_clean_residue_line_is_removed(article: MakeArticle, line: str) -> None:
    body = "Kommunestyret vedtok budsjettet torsdag kveld etter lang debatt."
    result = CleanStage(Settings())(article(f"{body}\n\n{line}\n\n{body} Det ble vedtatt."))
    assert line not in result.text
    assert len(result.paragraphs) == 2


@pytest.mark.parametrize(
    "line",
    [
        "Hun har tatt et foto av ulven fra kjøkkenvinduet.",
        "Av de 300 ansatte mister 40 jobben.",
        "Se også på hvordan kommunen har brukt pengene de siste årene, sa hun.",
        "Fotografen Ole Berg har vunnet prisen tre ganger.",
        "Del av pengene går til skoler.",
        "TT-byrån skriver att mötet blev uppskjutet.",
    ],
)
def test_clean_body_sentence_is_kept(article: MakeArticle, line: str) -> None:
    body = "Kommunestyret vedtok budsjettet torsdag kveld etter lang debatt."
    result = CleanStage(Settings())(article(f"{body}\n\n{line}\n\n{body} Det ble vedtatt."))
    assert line in result.paragraph_texts()


@pytest.mark.parametrize(
    "line",
    [
        "Han la ut et bilde: det var et nydelig syn over fjorden",
        "Budsjettet fikk flertall med Sp/Ap",
    ],
)
def test_clean_colon_or_slash_sentence_is_kept(article: MakeArticle, line: str) -> None:
    body = "Kommunestyret vedtok budsjettet torsdag kveld etter lang debatt."
    result = CleanStage(Settings())(article(f"{body}\n\n{line}\n\n{body} Det ble vedtatt."))
    assert line in result.paragraph_texts()
