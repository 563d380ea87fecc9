"""Story list orders (store/base.py StoryOrder) on both stores, and through the CLI, the API and the web page."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from storyline.cli import cli
from storyline.errors import StoreError
from storyline.serve import create_app_from_url
from storyline.store import open_store
from tests.test_store_sqlite import linked


def day(n: int) -> datetime:
    return datetime(2024, 6, n, 9, tzinfo=UTC)


def fill(store: Any) -> None:
    # "old" began first but has the newest article and the most articles; "fresh" began last; "mid" in between.
    store.save_article(linked("Den gamle sag begynder.", "old", published=day(1)))
    store.save_article(linked("Midtersagen begynder.", "mid", published=day(3)))
    store.save_article(linked("Den friske sag begynder.", "fresh", published=day(5)))
    store.save_article(linked("Den gamle sag fortsætter.", "old", "join", published=day(6)))
    store.save_article(linked("Den gamle sag slutter.", "old", "join", published=day(7)))
    store.save_article(linked("Midtersagen fortsætter.", "mid", "join", published=day(4)))


def test_story_order_each_order_on_both_stores(any_store: Any) -> None:
    fill(any_store)
    ids = {order: [s.id for s in any_store.list_stories(order=order)] for order in ("latest", "first", "size")}
    assert ids == {"latest": ["old", "fresh", "mid"], "first": ["fresh", "mid", "old"],
                   "size": ["old", "mid", "fresh"]}
    assert [s.id for s in any_store.list_stories(limit=1, offset=1, order="size")] == ["mid"]
    with pytest.raises(StoreError) as err:
        any_store.list_stories(order="title")
    assert err.value.code == "store.order"


def test_story_order_cli_api_and_page(tmp_path: Path) -> None:
    db = str(tmp_path / "order.db")
    with open_store(db) as store:
        fill(store)
    out = CliRunner().invoke(cli, ["stories", "--db", db, "--order", "first", "--format", "json"]).output
    assert [s["id"] for s in json.loads(out)] == ["fresh", "mid", "old"]
    bad = CliRunner().invoke(cli, ["stories", "--db", db, "--order", "title"])
    assert bad.exit_code == 2 and "latest" in bad.output
    client = TestClient(create_app_from_url(db))
    assert [s["id"] for s in client.get("/api/stories", params={"order": "size"}).json()] == ["old", "mid", "fresh"]
    assert client.get("/api/stories", params={"order": "title"}).status_code == 422
    page = client.get("/", params={"order": "first"}).text
    assert page.index("/stories/fresh") < page.index("/stories/mid") < page.index("/stories/old")
    assert "newest stories first" in page and 'href="/?order=size"' in page
