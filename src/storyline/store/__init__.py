"""Storage behind the `Store` interface; `open_store(url)` picks the implementation from the URL.

Accepted: a file path, `sqlite:///relative/path`, `sqlite:////absolute/path`, or `:memory:` (SQLite), and
`postgresql://user@host:port/database` (PostgreSQL, with the `postgres` extra; `store/postgres.py`). Both run
the same store test suite.
"""

from __future__ import annotations

from storyline.errors import StoreError
from storyline.store.base import Store

__all__ = ["Store", "open_store"]

_SQLITE_PREFIX = "sqlite:///"


def open_store(url: str) -> Store:
    """Open (creating and migrating as needed) the store at `url`; StoreError when it cannot be opened."""
    from storyline.store.sqlite import open_sqlite

    target = url.strip()
    if target.startswith(("postgresql://", "postgres://", "postgresql+")):
        from storyline.store.postgres import open_postgres  # psycopg is an optional extra: import it only here

        return open_postgres(target)
    if target.startswith(_SQLITE_PREFIX):
        target = target[len(_SQLITE_PREFIX) :]
    elif "://" in target:
        raise StoreError(
            f"unknown store URL scheme {target.split('://', 1)[0]!r}",
            code="store.unsupported",
            hint="use a SQLite file path, sqlite:///path or :memory:",
            input=url,
        )
    if not target:
        raise StoreError("empty store location", code="store.open", hint="give a SQLite file path", input=url)
    return open_sqlite(target)
