"""JSONL batches (news-please fields), one rejection per bad line, the rest still read."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from storyline.ingest import read_inputs
from storyline.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def test_ingest_jsonl_malformed_line_is_rejected_and_others_read() -> None:
    name = str(FIXTURES / "batch.jsonl")
    articles = list(read_inputs([name], Settings()))
    assert [a.input_name for a in articles] == [f"{name}:1", f"{name}:2", f"{name}:3", f"{name}:4"]
    good, broken, plain, no_text = articles
    assert good.rejected is None and plain.rejected is None
    assert broken.rejected is not None and broken.rejected.code == "ingest.malformed_json"
    assert f"{name}:2" in broken.rejected.message
    assert no_text.rejected is not None and no_text.rejected.code == "ingest.missing_text"


def test_ingest_jsonl_reads_news_please_fields() -> None:
    good = next(iter(read_inputs([str(FIXTURES / "batch.jsonl")], Settings())))
    assert good.title == "Fiskekvoter kuttes igjen"
    assert good.raw_text.startswith("Fiskeridirektoratet kutter")
    assert good.source == "kystavisa.example"
    assert good.url == "https://kystavisa.example/kvoter"
    assert good.published == datetime(2023, 6, 24, 10, 0, tzinfo=UTC)
    assert good.published_precision == "exact"
    assert good.fetched == datetime(2023, 6, 24, 12, 34, 56, tzinfo=UTC)
    assert good.meta["lang_hint"] == "nb"


def test_ingest_jsonl_plain_fields_and_date_only() -> None:
    plain = list(read_inputs([str(FIXTURES / "batch.jsonl")], Settings()))[2]
    assert plain.source == "Banenytt"
    assert plain.raw_text.startswith("Alle tog mellom Oslo")
    assert plain.published == datetime(2023, 6, 25, tzinfo=UTC)
    assert plain.published_precision == "day"


def test_ingest_jsonl_id_ignores_record_id(tmp_path: Path) -> None:
    path = tmp_path / "ids.jsonl"
    path.write_text(
        '{"id": 1, "title": "Samme sak", "text": "Samme tekst om samme sak.", "source": "X"}\n'
        '{"id": 2, "title": "Samme sak", "text": "Samme tekst om samme sak.", "source": "X"}\n',
        encoding="utf-8",
    )
    first, second = read_inputs([str(path)], Settings())
    assert first.id == second.id
