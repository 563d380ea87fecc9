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


# -- PostgreSQL: a throwaway cluster for the session ------------------------------------------------------------
# `STORYLINE_TEST_POSTGRES_URL` (a server URL whose user may CREATE DATABASE) uses an existing server instead;
# otherwise Debian's server binaries (/usr/lib/postgresql/*/bin, the `postgresql` package) start one with
# initdb + pg_ctl on a free 127.0.0.1 port, and tests marked `postgres` skip with the reason when neither exists.


def _postgres_bindir() -> Path | None:
    import shutil

    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name)
                        if p.parent.name.isdigit() else 0)
    for bindir in reversed(candidates):
        if (bindir / "initdb").is_file() and (bindir / "pg_ctl").is_file():
            return bindir
    found = shutil.which("initdb")
    return Path(found).parent if found and shutil.which("pg_ctl") else None


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The URL (without database) of a PostgreSQL server for this test session; skips when none can be had."""
    import os
    import shutil
    import subprocess
    import tempfile

    external = os.environ.get("STORYLINE_TEST_POSTGRES_URL")
    if external:
        yield external.rstrip("/")
        return
    pytest.importorskip("psycopg", reason="the postgres extra (psycopg) is not installed")
    bindir = _postgres_bindir()
    if bindir is None:
        pytest.skip("no PostgreSQL server binaries (install Debian's postgresql package or set "
                    "STORYLINE_TEST_POSTGRES_URL)")
    # initdb and postgres refuse to run as root: run them as the `postgres` system user the package creates.
    as_user: list[str] = []
    root = tempfile.mkdtemp(prefix="storyline-pg-")
    if os.geteuid() == 0:
        import pwd

        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(root)
            pytest.skip("running as root and there is no `postgres` user to run the PostgreSQL server as")
        os.chown(root, owner.pw_uid, owner.pw_gid)
        as_user = [shutil.which("runuser") or "runuser", "-u", "postgres", "--"]
    data, port = f"{root}/data", _free_port()
    try:
        subprocess.run([*as_user, str(bindir / "initdb"), "-D", data, "-A", "trust", "-U", "storyline",
                        "-E", "UTF8", "--no-locale"], check=True, capture_output=True, timeout=120)
        # fsync off: a throwaway cluster need not survive a crash, and it makes each test's database fast
        subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", data, "-l", f"{root}/server.log", "-w", "-t", "60",
                        "-o", f"-h 127.0.0.1 -p {port} -k {root} -F -c max_connections=60", "start"],
                       check=True, capture_output=True, timeout=120)
    except (OSError, subprocess.SubprocessError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        shutil.rmtree(root, ignore_errors=True)
        pytest.skip(f"could not start a throwaway PostgreSQL cluster: {exc} {detail.decode(errors='replace')}")
    try:
        yield f"postgresql://storyline@127.0.0.1:{port}"
    finally:
        subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", data, "-m", "immediate", "-w", "stop"],
                       capture_output=True, timeout=60)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_database(postgres_server: str) -> Iterator[str]:
    """One database for the session's tests (creating a database costs about a second; a schema, milliseconds)."""
    import os
    import uuid

    import psycopg

    name = f"storyline_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{postgres_server}/postgres", autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    try:
        yield f"{postgres_server}/{name}"
    finally:
        if os.environ.get("STORYLINE_TEST_POSTGRES_URL"):  # a throwaway cluster is deleted whole
            with psycopg.connect(f"{postgres_server}/postgres", autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def postgres_url(postgres_database: str) -> Iterator[str]:
    """A fresh, empty schema for one test (the URL sets it as the search path), dropped afterwards."""
    import uuid

    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_database, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield f"{postgres_database}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(postgres_database, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    """The test once over a SQLite store in a temp dir and once over PostgreSQL (marked `postgres`)."""
    from storyline.store import open_store

    url = str(tmp_path / "any.db") if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    s = open_store(url)
    try:
        yield s
    finally:
        s.close()
