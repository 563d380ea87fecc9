"""The store as a FastAPI dependency.

Routes run in a thread pool, while a store (SQLite above all) holds one connection: a per-app lock serialises
store access so two requests never interleave on that connection. Reads are milliseconds, so the lock costs
nothing a single-user server would notice; a multi-user deployment uses the PostgreSQL store behind a pool.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, FastAPI, Request

from storyline.store.base import Store


def attach_store(app: FastAPI, store: Store) -> None:
    app.state.store = store
    app.state.store_lock = threading.Lock()


def get_store(request: Request) -> Iterator[Store]:
    store: Store = request.app.state.store
    lock: threading.Lock = request.app.state.store_lock
    with lock:
        yield store


StoreDep = Annotated[Store, Depends(get_store)]
