"""Shared fixtures: hand-built articles, a real SQLite store in a temp dir, an API client, real servers."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from storyline.models import Article, content_id

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SHARED_DATA = ROOT.parent / "shared" / "data"


def make_article(text: str, *, title: str = "", source: str = "test", published: datetime | None = None,
                 **fields: Any) -> Article:
    """An article as ingest would hand it over: raw text only, nothing cleaned or extracted yet."""
    return Article(
        id=content_id(source, title, text),
        source=source,
        title=title,
        raw_text=text,
        published=published,
        published_precision="exact" if published else "unknown",
        fetched=datetime(2026, 1, 1, tzinfo=UTC),
        input_name=fields.pop("input_name", "<test>"),
        **fields,
    )


@pytest.fixture
def article() -> Callable[..., Article]:
    return make_article


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Any]:
    from storyline.store import open_store

    s = open_store(str(db_path))
    try:
        yield s
    finally:
        s.close()


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is absent")
    return SHARED_DATA


@pytest.fixture
def http_server(tmp_path: Path) -> Iterator[Callable[[str, bytes], str]]:
    """A real HTTP server on 127.0.0.1 serving files written into a temp dir; returns `put(name, body) -> url`."""
    root = tmp_path / "www"
    root.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def put(name: str, body: bytes) -> str:
        (root / name).write_bytes(body)
        return f"http://127.0.0.1:{server.server_address[1]}/{name}"

    try:
        yield put
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def api_client(store: Any) -> Iterator[Any]:
    """A FastAPI TestClient over the app (API and web pages) for the temp-dir `store`."""
    from fastapi.testclient import TestClient

    from storyline.serve import create_app

    with TestClient(create_app(store)) as client:
        yield client
