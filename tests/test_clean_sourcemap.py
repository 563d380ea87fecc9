"""The cleaned text keeps a map back to the scraped source: every kept paragraph's source spans, with invisible
characters removed and whitespace collapsed, read exactly as the paragraph; what was cut never lies inside."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

import pytest

from storyline.clean import CleanStage
from storyline.clean.sourcemap import normalise
from storyline.eval.clean import clean_case, load_clean_cases
from storyline.ingest import read_inputs
from storyline.models import Article
from storyline.settings import Settings

from .conftest import SAMPLES

FIXTURES = Path(__file__).parent / "fixtures" / "clean"
MakeArticle = Callable[..., Article]


def assert_maps_back(article: Article) -> None:
    assert article.source_map, "clean must set a source map"
    for paragraph in article.paragraphs:
        text = article.text[paragraph.start : paragraph.end]
        spans = article.source_spans(paragraph.start, paragraph.end)
        assert spans, text
        assert normalise(" ".join(article.raw_text[s:e] for s, e in spans)) == text
        assert article.to_source(paragraph.start) == spans[0][0]
        assert article.to_source(paragraph.end - 1) == spans[-1][1] - 1
        # Between the spans of one paragraph lies only what was cut: whitespace, or a removed box / signature.
        if all(not normalise(article.raw_text[a[1] : b[0]]) for a, b in itertools.pairwise(spans)):
            assert normalise(article.raw_text[spans[0][0] : spans[-1][1]]) == text


def _cases() -> list[Path]:
    return [case.path for d in ("dev", "test") for case in load_clean_cases(FIXTURES / d)]


@pytest.mark.parametrize("path", _cases(), ids=lambda p: p.name)
def test_clean_sourcemap_every_paragraph_maps_back_in_the_cleaning_set(path: Path) -> None:
    (case,) = [c for d in ("dev", "test") for c in load_clean_cases(FIXTURES / d) if c.path == path]
    article = clean_case(case, Settings())
    assert article is not None
    assert_maps_back(article)


def test_clean_sourcemap_every_sample_article_maps_back() -> None:
    settings = Settings()
    count = 0
    for article in read_inputs([str(SAMPLES / "articles")], settings):
        if article.rejected is None:
            assert_maps_back(CleanStage(settings)(article))
            count += 1
    assert count > 50


def test_clean_sourcemap_crlf_soft_hyphen_and_wrapped_lines(article: MakeArticle) -> None:
    raw = (
        "Publisert 24.06.2023\r\n\r\nFørste   avsnitt\r\nsom går over to linjer om kilo\u00adwatt.\r\n\r\n"
        "Andre avsnitt."
    )
    result = CleanStage(Settings(min_text_chars=10))(article(raw, title="Tittel"))
    assert result.text == "Første avsnitt som går over to linjer om kilowatt.\n\nAndre avsnitt."
    assert_maps_back(result)
    first = result.paragraphs[0]
    (span,) = result.source_spans(first.start, first.end)  # one stretch of source: only whitespace dropped inside
    assert raw[span[0] : span[1]].startswith("Første   avsnitt\r\nsom")
    assert raw[result.to_source(result.text.index("Andre")) :].startswith("Andre avsnitt.")


def test_clean_sourcemap_explainer_box_lies_between_spans(article: MakeArticle) -> None:
    raw = (
        "Siden Wagner-gruppens Wagner-gruppensWagner-gruppen er et privat, militært selskap som har operert i "
        "flere land. opprør mot Kreml i juni har flere tusen leiesoldater flyttet til Belarus."
    )
    result = CleanStage(Settings())(article(raw, title="Leiesoldater"))
    expected = "Siden Wagner-gruppens opprør mot Kreml i juni har flere tusen leiesoldater flyttet til Belarus."
    assert result.text == expected
    spans = result.source_spans(0, len(result.text))
    assert [raw[s:e] for s, e in spans] == [
        "Siden Wagner-gruppens",
        "opprør mot Kreml i juni har flere tusen leiesoldater flyttet til Belarus.",
    ]
    assert "privat" in raw[spans[0][1] : spans[1][0]]
    # An offset found later in the cleaned text (an entity, a quote) follows the map to the same word in the source.
    start = result.text.index("Kreml")
    assert raw[result.to_source(start) : result.to_source(start) + len("Kreml")] == "Kreml"


def test_clean_sourcemap_date_prefix_and_signature_are_outside(article: MakeArticle) -> None:
    raw = "date 2023-06 – Vandet stiger i Vejle\n\nBeredskabet lægger sandsække ud langs åen i weekenden. /ritzau/"
    result = CleanStage(Settings())(article(raw))
    ((start, end),) = result.source_spans(0, len(result.text))
    assert raw[start:end] == "Beredskabet lægger sandsække ud langs åen i weekenden."


def test_clean_sourcemap_missing_raises() -> None:
    with pytest.raises(ValueError, match="no source map"):
        Article(id="x", source="s").to_source(0)
