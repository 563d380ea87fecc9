"""serve: the REST API (/api) and the web pages, thin layers over a `Store`.

`create_app(store)` builds the FastAPI app for an open store (the caller owns and closes it);
`create_app_from_url(url)` opens the store itself and closes it on shutdown; `serve(settings)` runs uvicorn.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from storyline.serve import api, web
from storyline.serve.deps import attach_store
from storyline.serve.errors import install_error_handlers
from storyline.settings import Settings
from storyline.store.base import Store

__all__ = ["create_app", "create_app_from_url", "serve"]


def create_app(store: Store) -> FastAPI:
    """The API and web app over an open store; closing the store stays with the caller."""
    app = FastAPI(
        title="storyline",
        summary="Cross-lingual news story tracker for Scandinavian news",
        description="Stories linked across Danish, Norwegian, Swedish and English outlets. Every error is "
        '`{"error": {"code", "message", "hint"}}`.',
        version=_version(),
        # FastAPI's /docs and /redoc pages load Swagger UI / ReDoc from a CDN: offline they are blank. The web
        # router serves /docs as a plain page built from the same OpenAPI schema instead.
        docs_url=None,
        redoc_url=None,
    )
    attach_store(app, store)
    app.include_router(api.router)
    app.include_router(web.router)
    app.mount("/static", StaticFiles(packages=[("storyline.serve", "static")]), name="static")
    install_error_handlers(app, render_html=web.render_error)
    return app


def create_app_from_url(url: str) -> FastAPI:
    """An app that opens the store at `url` now and closes it when the server shuts down."""
    from storyline.store import open_store

    store = open_store(url)
    app = create_app(store)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            store.close()

    app.router.lifespan_context = lifespan
    return app


def serve(settings: Settings) -> None:
    """Open the store at `settings.db` and serve the API and pages on `settings.host:settings.port`."""
    import uvicorn

    from storyline.store import open_store

    with open_store(settings.db) as store:
        uvicorn.run(create_app(store), host=settings.host, port=settings.port, log_level="info")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("storyline")
    except PackageNotFoundError:
        return "0+unknown"
