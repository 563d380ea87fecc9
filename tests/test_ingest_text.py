"""Plain-text files: decoding, refusals with codes, front matter, headline, stable ids."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from storyline.ingest import read_inputs
from storyline.models import Article
from storyline.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def read_one(path: Path, settings: Settings | None = None) -> Article:
    articles = list(read_inputs([str(path)], settings or Settings()))
    assert len(articles) == 1
    return articles[0]


def assert_rejected(article: Article, code: str, name: str) -> None:
    assert article.rejected is not None, article
    assert article.rejected.code == code
    assert name in article.rejected.message
    assert article.input_name == name and article.source == name
    assert article.id.startswith("r") and len(article.id) == 16


def test_ingest_empty_file_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert_rejected(read_one(path), "ingest.empty", str(path))


def test_ingest_whitespace_only_file_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_text(" \n\t\n   \n", encoding="utf-8")
    assert_rejected(read_one(path), "ingest.empty", str(path))


def test_ingest_binary_file_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    assert_rejected(read_one(path), "ingest.binary", str(path))


def test_ingest_cp1252_danish_is_decoded_correctly(tmp_path: Path) -> None:
    text = "Blåbærsæsonen er skudt i gang\n\nSøren Ærø fra Østerå plukker 20 kilo bær, “siger han”.\n"
    path = tmp_path / "da-cp1252.txt"
    path.write_bytes(text.encode("cp1252"))
    article = read_one(path)
    assert article.rejected is None
    assert article.title == "Blåbærsæsonen er skudt i gang"
    assert article.raw_text == "Søren Ærø fra Østerå plukker 20 kilo bær, “siger han”."
    assert article.meta["encoding"] == "cp1252"


def test_ingest_undecodable_garbage_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "garbage.txt"
    # No NUL bytes (so not "binary"), not UTF-8, and nonsense in every Western code page.
    path.write_bytes(bytes(0x80 + (i * 37) % 0x80 for i in range(600)))
    article = read_one(path)
    assert_rejected(article, "ingest.encoding", str(path))
    assert "UTF-8" in article.rejected.message  # type: ignore[union-attr]


def test_ingest_utf8_bom_is_stripped(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffVeiarbeid på E6\n\nTrafikken går i ett felt ved Minnesund hele helgen.".encode())
    article = read_one(path)
    assert article.title == "Veiarbeid på E6"
    assert article.meta["encoding"] == "utf-8"


def test_ingest_50mb_file_is_rejected_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.write(b"Dette er en veldig lang tekst. " * 1_700_000)  # ~52 MB of real text
    started = time.perf_counter()
    article = read_one(path)
    elapsed = time.perf_counter() - started
    assert_rejected(article, "ingest.too_large", str(path))
    assert "STORYLINE_MAX_INPUT_BYTES" in article.rejected.message  # type: ignore[union-attr]
    assert elapsed < 0.5


def test_ingest_missing_path_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.txt"
    assert_rejected(read_one(path), "ingest.not_found", str(path))


def test_ingest_front_matter_header_fills_fields() -> None:
    article = read_one(FIXTURES / "front-matter.txt")
    assert article.rejected is None
    assert article.title == "Ulv observert ved Elverum"
    assert article.source == "Østlendingen Test"
    assert article.url == "https://ostlendingen.example/ulv"
    assert article.published == datetime(2023, 6, 24, 7, 45, tzinfo=UTC)
    assert article.published_precision == "exact"
    assert article.meta["lang_hint"] == "nb"
    assert article.meta["author"] == "Per Skog"
    assert article.raw_text.startswith("En ulv ble observert")
    assert article.input_name == str(FIXTURES / "front-matter.txt")


def test_ingest_headline_line_becomes_title() -> None:
    article = read_one(FIXTURES / "headline.txt")
    assert article.title == "Ny bro åbner i Aarhus"
    assert article.source == "unknown"
    assert article.raw_text.startswith("Den nye bro over havnen")
    assert article.published is None and article.published_precision == "unknown"
    assert article.fetched is not None and article.fetched.tzinfo is not None


def test_ingest_sentence_first_line_is_not_a_title(tmp_path: Path) -> None:
    path = tmp_path / "no-title.txt"
    path.write_text("Regjeringen la fram budsjettet tirsdag.\nDet har kutt i bistand.\n", encoding="utf-8")
    article = read_one(path)
    assert article.title == ""
    assert article.raw_text.startswith("Regjeringen la fram")


def test_ingest_same_file_twice_gives_same_id() -> None:
    first = read_one(FIXTURES / "headline.txt")
    second = read_one(FIXTURES / "headline.txt")
    assert first.id == second.id and first.id.startswith("a")


def test_ingest_date_prefix_or_byline_first_line_is_not_a_title(tmp_path: Path) -> None:
    path = tmp_path / "prefixed.txt"
    path.write_text("date 2023-06 – Vandet stiger i Vejle\n\nSandsække lægges ud.\n", encoding="utf-8")
    article = read_one(path)
    assert article.title == ""
    assert article.raw_text.startswith("date 2023-06 – Vandet stiger")
    path.write_text("Af Hans Hansen\n\nBeredskabet lægger sandsække ud.\n", encoding="utf-8")
    assert read_one(path).title == ""
