"""HTML pages through trafilatura: body, title, date, url, site name and <html lang>."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from storyline.ingest import read_inputs
from storyline.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def test_ingest_html_extracts_body_and_metadata() -> None:
    [article] = read_inputs([str(FIXTURES / "article.html")], Settings())
    assert article.rejected is None
    assert article.title == "Ny cykelbro åbner i Aalborg"
    assert article.source == "Limfjordsavisen"
    assert article.url == "https://limfjordsavisen.example/cykelbro"
    assert article.meta["lang_hint"] == "da"
    assert article.meta["format"] == "html"
    assert article.published == datetime(2023, 6, 24, 8, 30, tzinfo=UTC)
    assert article.published_precision == "exact"
    assert article.raw_text.startswith("Den nye cykelbro over Limfjorden")
    assert "siger han til avisen" in article.raw_text
    assert "Forside" not in article.raw_text and "Kontakt redaktionen" not in article.raw_text
    assert len(article.raw_text.split("\n\n")) == 3


def test_ingest_html_without_body_is_rejected() -> None:
    name = str(FIXTURES / "no-body.html")
    [article] = read_inputs([name], Settings())
    assert article.rejected is not None
    assert article.rejected.code == "ingest.no_body"
    assert name in article.rejected.message


def test_ingest_html_is_sniffed_without_extension(tmp_path: Path) -> None:
    path = tmp_path / "page"
    path.write_bytes((FIXTURES / "article.html").read_bytes())
    [article] = read_inputs([str(path)], Settings())
    assert article.meta["format"] == "html"
    assert article.title == "Ny cykelbro åbner i Aalborg"
