"""Schema migrations: registered in order by a decorator, applied by `SQLStore._migrate`, recorded in `migrations`.

Each store's schema module (`store/schema.py` for SQLite, `store/pg_schema.py` for PostgreSQL) keeps its own list:
the two schemas hold the same tables in their own column types. A migration is a function that takes a cursor
inside an open transaction. Never edit a released migration: add a new one, to both lists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# A cursor of the store's driver (sqlite3, or psycopg behind the store's `?` adapter).
MigrationFunc = Callable[[Any], None]


@dataclass(frozen=True, slots=True)
class Migration:
    id: int
    name: str
    apply: MigrationFunc


def registrar(migrations: list[Migration]) -> Callable[[str], Callable[[MigrationFunc], MigrationFunc]]:
    """A `@migration(name)` decorator appending to `migrations` (ids follow definition order, starting at 1)."""

    def migration(name: str) -> Callable[[MigrationFunc], MigrationFunc]:
        def register(func: MigrationFunc) -> MigrationFunc:
            migrations.append(Migration(len(migrations) + 1, name, func))
            return func

        return register

    return migration
