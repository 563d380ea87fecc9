"""One error shape at the edge: `{"error": {"code", "message", "hint"}}` for every failure the server reports.

Library code raises `StorylineError` subclasses; here they become HTTP statuses. FastAPI's validation errors
and Starlette's HTTP errors (unknown route, wrong method) are mapped to the same shape, so a client parses one
thing. A browser asking for a page gets the same information as an HTML page instead of raw JSON.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from storyline.errors import ConfigError, NotFoundError, StorylineError

log = logging.getLogger(__name__)

API_PREFIX = "/api"
DOCS_HINT = "see /docs for the routes and parameters the API accepts"

# Renders an error page for browsers: (request, status, code, message, hint) -> response; from the web layer.
HtmlRenderer = Callable[[Request, int, str, str, str], HTMLResponse]


def status_for(exc: StorylineError) -> int:
    """HTTP status of a library error: unknown ids are 404, bad settings/options 400, the rest 500."""
    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, ConfigError):
        return 400
    return 500


def error_body(code: str, message: str, hint: str) -> dict[str, dict[str, str]]:
    return {"error": {"code": code, "message": message, "hint": hint}}


def _wants_html(request: Request) -> bool:
    # Only page routes answer in HTML; /api always answers JSON whatever the Accept header says.
    if request.url.path.startswith(API_PREFIX):
        return False
    return "text/html" in request.headers.get("accept", "")


def _validation_message(errors: Sequence[Any]) -> str:
    parts = []
    for err in errors:
        loc = [str(p) for p in err.get("loc", ())]
        where = " ".join([*loc[:1], ".".join(loc[1:])]) if len(loc) > 1 else ".".join(loc)
        parts.append(f"{where}: {err.get('msg', 'invalid')}" if where else str(err.get("msg", "invalid")))
    return "; ".join(parts) or "invalid request"


def install_error_handlers(app: FastAPI, render_html: HtmlRenderer | None = None) -> None:
    """Register handlers so every error leaves the app in the one shape (JSON, or HTML for browsers)."""

    def respond(request: Request, status: int, code: str, message: str, hint: str) -> Response:
        if render_html is not None and _wants_html(request):
            return render_html(request, status, code, message, hint)
        return JSONResponse(error_body(code, message, hint), status_code=status)

    async def on_storyline_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StorylineError)
        status = status_for(exc)
        if status >= 500:
            log.error("%s %s failed: %s", request.method, request.url.path, exc.full_message)
        message = f"{exc.input}: {exc.message}" if exc.input else exc.message
        return respond(request, status, exc.code, message, exc.hint)

    async def on_validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return respond(request, 422, "api.invalid_request", _validation_message(exc.errors()), DOCS_HINT)

    async def on_http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code == 404:
            code, message = "api.not_found", f"no route for {request.method} {request.url.path}"
        elif exc.status_code == 405:
            code, message = "api.method_not_allowed", f"{request.method} is not allowed on {request.url.path}"
        else:
            code, message = f"api.http_{exc.status_code}", str(exc.detail)
        response = respond(request, exc.status_code, code, message, DOCS_HINT)
        response.headers.update(exc.headers or {})
        return response

    async def on_unexpected(request: Request, exc: Exception) -> Response:
        log.exception("%s %s crashed", request.method, request.url.path, exc_info=exc)
        return respond(
            request, 500, "internal.error", f"unexpected {type(exc).__name__} serving {request.url.path}",
            "this is a bug in storyline; please report it with the server log",
        )

    app.add_exception_handler(StorylineError, on_storyline_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(Exception, on_unexpected)
