""""-" reads stdin and sniffs the format: JSONL, HTML or text."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from storyline.ingest import read_inputs
from storyline.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def feed_stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_ingest_stdin_text(monkeypatch: pytest.MonkeyPatch) -> None:
    feed_stdin(monkeypatch, "Storm over Lofoten\n\nFergene står stille i hele dag.\n".encode())
    [article] = read_inputs(["-"], Settings())
    assert article.input_name == "<stdin>"
    assert article.title == "Storm over Lofoten"
    assert article.raw_text == "Fergene står stille i hele dag."


def test_ingest_stdin_jsonl_names_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    feed_stdin(monkeypatch, (FIXTURES / "batch.jsonl").read_bytes())
    articles = list(read_inputs(["-"], Settings()))
    assert [a.input_name for a in articles] == ["<stdin>:1", "<stdin>:2", "<stdin>:3", "<stdin>:4"]
    assert articles[1].rejected is not None and articles[1].rejected.code == "ingest.malformed_json"


def test_ingest_stdin_html(monkeypatch: pytest.MonkeyPatch) -> None:
    feed_stdin(monkeypatch, (FIXTURES / "article.html").read_bytes())
    [article] = read_inputs(["-"], Settings())
    assert article.meta["format"] == "html" and article.meta["lang_hint"] == "da"


def test_ingest_stdin_too_large(monkeypatch: pytest.MonkeyPatch) -> None:
    feed_stdin(monkeypatch, b"x" * 2000)
    [article] = read_inputs(["-"], Settings(max_input_bytes=1000))
    assert article.rejected is not None and article.rejected.code == "ingest.too_large"
