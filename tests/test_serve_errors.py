"""Every error leaves the server in one JSON shape: {"error": {"code", "message", "hint"}}."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from storyline.errors import ConfigError, LinkError, NotFoundError, StoreError, StorylineError
from storyline.serve import create_app
from storyline.serve.errors import status_for


def assert_error_shape(body: Any, code: str) -> dict[str, str]:
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"code", "message", "hint"}
    assert all(isinstance(v, str) for v in error.values())
    assert error["code"] == code
    assert error["message"]
    return dict(error)


def test_serve_errors_unknown_story_is_404_in_the_shape(api_client: Any) -> None:
    r = api_client.get("/api/stories/s-nope")
    assert r.status_code == 404
    error = assert_error_shape(r.json(), "store.not_found")
    assert "s-nope" in error["message"]


def test_serve_errors_unknown_article_is_404_in_the_shape(api_client: Any) -> None:
    r = api_client.get("/api/articles/a-nope")
    assert r.status_code == 404
    assert_error_shape(r.json(), "store.not_found")


def test_serve_errors_validation_is_422_in_the_shape(api_client: Any) -> None:
    r = api_client.get("/api/stories", params={"limit": 0})
    assert r.status_code == 422
    error = assert_error_shape(r.json(), "api.invalid_request")
    assert "limit" in error["message"] and error["hint"]
    r = api_client.get("/api/search")
    assert r.status_code == 422
    assert "q" in assert_error_shape(r.json(), "api.invalid_request")["message"]


def test_serve_errors_unknown_route_and_method_in_the_shape(api_client: Any) -> None:
    r = api_client.get("/api/nothing-here")
    assert r.status_code == 404
    assert_error_shape(r.json(), "api.not_found")
    r = api_client.post("/api/stories")
    assert r.status_code == 405
    assert_error_shape(r.json(), "api.method_not_allowed")


def test_serve_errors_browser_gets_an_html_error_page(api_client: Any) -> None:
    r = api_client.get("/stories/s-nope", headers={"accept": "text/html"})
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")
    assert "store.not_found" in r.text and "s-nope" in r.text
    # The API answers JSON even to a browser.
    r = api_client.get("/api/stories/s-nope", headers={"accept": "text/html"})
    assert_error_shape(r.json(), "store.not_found")


def test_serve_errors_store_failure_and_crash_are_500_in_the_shape(store: Any) -> None:
    app = create_app(store)

    def store_failure() -> None:
        raise StoreError("query failed", code="store.read", hint="check the file", input="x.db")

    def crash() -> None:
        raise ZeroDivisionError("boom")

    app.add_api_route("/api/test-store-failure", store_failure)
    app.add_api_route("/api/test-crash", crash)
    with TestClient(app, raise_server_exceptions=False) as client:
        r = client.get("/api/test-store-failure")
        assert r.status_code == 500
        assert assert_error_shape(r.json(), "store.read") == {
            "code": "store.read",
            "message": "x.db: query failed",
            "hint": "check the file",
        }
        r = client.get("/api/test-crash")
        assert r.status_code == 500
        assert "ZeroDivisionError" in assert_error_shape(r.json(), "internal.error")["message"]


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (NotFoundError("no story s1"), 404),
        (ConfigError("bad option"), 400),
        (StoreError("disk full"), 500),
        (LinkError("linker failed"), 500),
    ],
)
def test_serve_errors_library_errors_map_to_status(error: StorylineError, status: int) -> None:
    assert status_for(error) == status
