"""The pure view builders behind both the API and the pages, on hand-built articles."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from storyline.models import Article, DateMention, Entity, Paragraph, Quote
from storyline.serve import create_app_from_url, views
from storyline.serve.web import paragraph_views
from tests.conftest import make_article


def _article(text: str, language: str = "da", paragraphs: list[Paragraph] | None = None) -> Article:
    a = make_article(text, title="t", source="src")
    a.text, a.language = text, language
    a.paragraphs = paragraphs or [Paragraph(0, len(text), language=language)]
    return a


def test_serve_views_quote_language_follows_its_paragraph() -> None:
    text = "Dansk indledning her.\n\n”Vi är redo,” säger Anna Lind."
    split = text.index("\n\n")
    a = _article(
        text, "da", [Paragraph(0, split, language="da"), Paragraph(split + 2, len(text), language="sv")]
    )
    start = text.index("Vi är redo")
    a.quotes = [Quote("Vi är redo,", "direct", "Anna Lind", "per:anna_lind", "säger", start, start + 11)]
    assert views.story_quotes([a])[0].language == "sv"
    assert views.language_at(a, 0) == "da"


def test_serve_views_group_quotes_by_key_then_name_unattributed_last() -> None:
    a = _article("x" * 100)
    a.quotes = [
        Quote("one", "direct", None, None, None, 0, 3),
        Quote("two", "direct", "Ola Nordmann", None, "sier", 10, 13),
        Quote("three", "direct", "ola  nordmann", None, "sier", 20, 25),
        Quote("four", "indirect", "statsministeren", "per:ola_nordmann", "sier", 30, 34),
        Quote("five", "direct", "Nordmann", "per:ola_nordmann", "sier", 40, 44),
        Quote("six", "direct", "Kari", "per:kari", "sier", 50, 53),
    ]
    groups = views.group_quotes(views.story_quotes([a]))
    assert [[q.text for q in g.quotes] for g in groups] == [
        ["two", "three"],
        ["four", "five"],
        ["six"],
        ["one"],
    ]
    assert groups[-1].speaker is None


def test_serve_views_timeline_sorts_mixed_granularities() -> None:
    a = _article("i juli 2025 og 3. juli 2025 og 2024")
    a.dates = [
        DateMention("3. juli 2025", "2025-07-03", "day", 16, 28),
        DateMention("juli 2025", "2025-07", "month", 2, 11),
        DateMention("2024", "2024", "year", 32, 36),
    ]
    assert [e.date for e in views.timeline([a])] == ["2024", "2025-07", "2025-07-03"]


def test_serve_views_entity_marks_nest_inside_a_quote() -> None:
    text = "«Anna Lind har ret,» siger han."
    a = _article(text)
    a.entities = [Entity("Anna Lind", "PER", "per:anna_lind", 1, 10)]
    a.quotes = [Quote("Anna Lind har ret,", "direct", "han", None, "siger", 1, 19)]
    segments = paragraph_views(a)[0].segments
    assert "".join(s.text for s in segments) == text
    name = next(s for s in segments if s.text == "Anna Lind")
    assert name.classes == ["ent ent-per", "quote quote-direct"]


def test_serve_views_app_from_url_opens_and_closes_its_store(tmp_path: Path) -> None:
    with TestClient(create_app_from_url(str(tmp_path / "own.db"))) as client:
        assert client.get("/api/stories").json() == []
    assert (tmp_path / "own.db").exists()
