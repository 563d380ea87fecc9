"""Paragraph splitting, subheadings, titles and offsets; too little text left is clean.empty."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from storyline.clean import CleanStage
from storyline.errors import CleanError
from storyline.models import Article
from storyline.pipeline import Pipeline
from storyline.settings import Settings

MakeArticle = Callable[..., Article]

SINGLE_NEWLINES = """Ny rekord for solenergi i Danmark
Solcelleparkerne leverede lørdag 40 procent af strømforbruget, viser tal fra Energinet.
Det er første gang, solen slår vinden en hel dag.
Flere parker på vej
Yderligere tolv parker skal stå færdige inden jul, oplyser branchen.
- Vi kan slet ikke følge med efterspørgslen, siger direktør Lise Krogh."""


def test_clean_single_newlines_split_paragraphs_and_find_subheading(article: MakeArticle) -> None:
    result = CleanStage(Settings())(article(SINGLE_NEWLINES))
    assert result.title == "Ny rekord for solenergi i Danmark"
    kinds = [(p.kind, result.text[p.start : p.end]) for p in result.paragraphs]
    assert kinds == [
        ("body", "Solcelleparkerne leverede lørdag 40 procent af strømforbruget, viser tal fra Energinet."),
        ("body", "Det er første gang, solen slår vinden en hel dag."),
        ("subheading", "Flere parker på vej"),
        ("body", "Yderligere tolv parker skal stå færdige inden jul, oplyser branchen."),
        ("body", "- Vi kan slet ikke følge med efterspørgslen, siger direktør Lise Krogh."),
    ]


def test_clean_offsets_are_consistent(article: MakeArticle) -> None:
    raw = "Tittel her\n\nFørste   avsnitt\nsom går over   to linjer.\n\nAndre avsnitt.\n\n\n\nTredje avsnitt."
    result = CleanStage(Settings(min_text_chars=10))(article(raw))
    assert result.text == "Første avsnitt som går over to linjer.\n\nAndre avsnitt.\n\nTredje avsnitt."
    assert "\n\n".join(result.paragraph_texts()) == result.text
    for p in result.paragraphs:
        chunk = result.text[p.start : p.end]
        assert chunk and chunk == chunk.strip() and "\n" not in chunk


def test_clean_repeated_title_is_dropped(article: MakeArticle) -> None:
    raw = "Brann i Bergen sentrum\n\nEn brann brøt ut i en bygård i Bergen sentrum natt til søndag."
    result = CleanStage(Settings())(article(raw, title="Brann i Bergen sentrum"))
    assert result.title == "Brann i Bergen sentrum"
    assert result.text.startswith("En brann brøt ut")


def test_clean_last_short_line_is_not_a_subheading(article: MakeArticle) -> None:
    raw = "Regjeringen la fram budsjettet tirsdag.\n\nDet er kutt i bistand.\n\nMer kommer"
    result = CleanStage(Settings(min_text_chars=10))(article(raw, title="Budsjett"))
    assert [p.kind for p in result.paragraphs] == ["body", "body", "body"]


def test_clean_pull_quote_dash_line_is_subheading(article: MakeArticle) -> None:
    raw = (
        "Forhandlingene om lønnsoppgjøret brøt sammen natt til fredag.\n\n"
        "– Vi gir oss ikke.\n\n"
        "Forbundet varsler streik fra mandag.\n\n"
        "– Vi gir oss ikke før kravet er innfridd, sier forbundsleder Per Dahl."
    )
    result = CleanStage(Settings())(article(raw, title="Lønnsoppgjøret"))
    assert [p.kind for p in result.paragraphs] == ["body", "subheading", "body", "body"]


def test_clean_dash_quote_without_repeat_is_body(article: MakeArticle) -> None:
    raw = "Ministeren var fornøyd.\n\n– Dette er bra\n\nHun sa det på pressekonferansen i Oslo torsdag."
    result = CleanStage(Settings(min_text_chars=10))(article(raw, title="X"))
    assert [p.kind for p in result.paragraphs] == ["body", "body", "body"]


def test_clean_empty_after_cleaning_raises(article: MakeArticle) -> None:
    raw = "Foto: NTB\n\nAv Kari Nordmann, NTB\n\nLes også: Noe helt annet\n\nDel artikkelen"
    with pytest.raises(CleanError) as info:
        CleanStage(Settings())(article(raw, input_name="tomt.txt"))
    assert info.value.code == "clean.empty"
    assert "tomt.txt" in info.value.full_message
    assert "STORYLINE_MIN_TEXT_CHARS" in info.value.full_message


def test_clean_empty_becomes_rejection_in_pipeline(article: MakeArticle) -> None:
    result = Pipeline([CleanStage(Settings())]).run_one(article("Annonse\n\nDela"))
    assert result.rejected is not None and result.rejected.code == "clean.empty"


def test_clean_stage_declares_fields() -> None:
    stage = CleanStage(Settings())
    assert stage.name == "clean"
    assert stage.requires == frozenset({"raw_text"})
    assigned = {"text", "paragraphs", "published", "published_precision", "meta", "title", "source_map"}
    assert stage.assigns == frozenset(assigned)


def test_clean_published_label_refines_month(article: MakeArticle) -> None:
    raw = "date 2023-06 – Publisert: 24.06.2023 12:00\n\nSkolen i Bodø stenger for sommeren, melder rektor."
    result = CleanStage(Settings())(article(raw, title="Skolen stenger"))
    assert result.published is not None
    assert result.published.isoformat() == "2023-06-24T12:00:00+00:00"
    assert result.published_precision == "exact"
    assert result.text == "Skolen i Bodø stenger for sommeren, melder rektor."


def test_clean_ingested_prefix_file_gets_title_and_month(article: MakeArticle) -> None:
    raw = "date 2023-06 – Vandet stiger i Vejle\n\nBeredskabet lægger sandsække ud langs åen i weekenden."
    result = CleanStage(Settings())(article(raw))
    assert result.title == "Vandet stiger i Vejle"
    assert result.published_precision == "month"
    assert result.text == "Beredskabet lægger sandsække ud langs åen i weekenden."


def test_clean_prefix_in_title_is_read_and_removed(article: MakeArticle) -> None:
    raw = "Beredskabet lægger sandsække ud langs åen i weekenden, oplyser kommunen."
    result = CleanStage(Settings())(article(raw, title="date 2023-06-24 - Vandet stiger i Vejle"))
    assert result.title == "Vandet stiger i Vejle"
    assert result.published is not None and result.published_precision == "day"
