"""`storyline batch`: analysis on a real Dask cluster (2 worker processes), linking in one process, both stores."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import pytest
from click.testing import CliRunner

from storyline.batch import BatchOptions, run_batch
from storyline.batch.analysis import analyse_units, split_inputs
from storyline.cli import cli
from storyline.errors import ConfigError
from storyline.ingest import read_inputs
from storyline.settings import Settings
from storyline.store import open_store
from storyline.workflows import analyze, ingest, ingest_articles
from tests.conftest import SAMPLES

pytest.importorskip("distributed", reason="the dask extra (distributed) is not installed")

ARTICLES = SAMPLES / "articles"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """One local cluster of 2 worker processes for the module (starting one costs seconds)."""
    import logging

    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", silence_logs=logging.ERROR,
                      scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"}) as cluster:
        yield cluster.scheduler_address


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[list[str]]]:
    """The stories `storyline ingest` makes of samples/articles, as sorted lists of article ids: given the
    inputs as they are (input order) and given the same articles sorted by publication time."""
    settings = Settings()
    out: dict[str, list[list[str]]] = {}
    with open_store(str(tmp_path_factory.mktemp("ingest") / "ingest.db")) as store:
        assert ingest([str(ARTICLES)], store, settings).exit_code == 0
        out["input"] = _stories(store)
    # by the publication time analysis settles on (clean may take it from a dateline), as batch sorts them
    when = {a.id: a.published for a in analyze([str(ARTICLES)], settings)}
    dated = sorted(read_inputs([str(ARTICLES)], settings), key=lambda a: (when[a.id] is None, when[a.id] or EPOCH))
    with open_store(str(tmp_path_factory.mktemp("ingest") / "published.db")) as store:
        assert ingest_articles(dated, store, settings).exit_code == 0
        out["published"] = _stories(store)
    return out


def _stories(store: Any) -> list[list[str]]:
    return sorted(sorted(s.articles) for s in store.list_stories(limit=10_000))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "batch.db")
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.mark.slow
@pytest.mark.parametrize("order", ["input", "published"])
def test_batch_gives_the_stories_of_ingest(scheduler: str, ingested: dict[str, list[list[str]]], store_url: str,
                                           order: Literal["input", "published"]) -> None:
    expected = ingested[order]
    with open_store(store_url) as store:
        report = run_batch([str(ARTICLES)], store, options=BatchOptions(scheduler=scheduler, order=order))
        assert report.exit_code == 0 and report.workers == 2
        assert len(report.stored) == sum(len(s) for s in expected)
        assert _stories(store) == expected
        again = run_batch([str(ARTICLES)], store, options=BatchOptions(scheduler=scheduler, chunk_units=7))
        assert len(again.already_stored) == len(report.stored) and again.stored == []
        assert _stories(store) == expected


@pytest.mark.slow
def test_batch_bad_inputs_become_rejections(scheduler: str, tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    good = sorted(ARTICLES.glob("*.txt"))[0]
    (inputs / "good.txt").write_bytes(good.read_bytes())
    (inputs / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (inputs / "empty.txt").write_bytes(b"")
    (inputs / "broken.jsonl").write_text('{"title": "x", "text": \n', encoding="utf-8")
    with open_store(str(tmp_path / "b.db")) as store:
        report = run_batch([str(inputs), str(tmp_path / "missing.txt")], store,
                           options=BatchOptions(scheduler=scheduler))
        assert len(report.stored) == 1 and report.exit_code == 3
        codes = {Path(name).name.split(":")[0]: code for name, code, _ in store.rejections()}  # jsonl: file:line
        assert set(codes) == {"binary.txt", "empty.txt", "broken.jsonl", "missing.txt"}
        assert all(code.startswith("ingest.") for code in codes.values()), codes
        assert store.counts()["rejections"] == 4


def test_batch_split_inputs_walks_directories_like_ingest(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text("x", encoding="utf-8")
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("x", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    units = list(split_inputs([str(tmp_path), str(tmp_path / "empty"), "https://example.org/feed"], Settings()))
    assert units == [str(tmp_path / "a.txt"), str(tmp_path / "b" / "2.txt"), str(tmp_path / "empty"),
                     "https://example.org/feed"]
    # a dump of many articles is parsed by the driver, so its articles spread over the workers
    dump = tmp_path / "dump.jsonl"
    dump.write_text('{"title": "En", "text": "Første artikel."}\n{"title": "To", "text": "Anden artikel."}\n',
                    encoding="utf-8")
    split = list(split_inputs([str(dump)], Settings()))
    assert [u.title for u in split if not isinstance(u, str)] == ["En", "To"] and len(split) == 2


def test_batch_analyse_units_reports_instead_of_raising(tmp_path: Path) -> None:
    """The worker function alone: an empty directory and a missing file come back as rejected articles."""
    (tmp_path / "empty").mkdir()
    good = str(sorted(ARTICLES.glob("*.txt"))[0])
    out = analyse_units([str(tmp_path / "empty"), good, str(tmp_path / "nope.txt")], Settings())
    assert [a.rejected.code if a.rejected else None for a in out] == ["ingest.empty", None, "ingest.not_found"]
    assert out[1].language and out[1].entities  # analysed: detect and extract ran


@pytest.mark.slow
def test_batch_cli_local_workers(tmp_path: Path) -> None:
    paths = [str(p) for p in sorted(ARTICLES.glob("*.txt"))[:4]]
    db = str(tmp_path / "cli.db")
    result = CliRunner().invoke(cli, ["batch", *paths, "--db", db, "--workers", "2", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '"stored": 4' in result.output and '"workers": 2' in result.output
    listed = CliRunner().invoke(cli, ["stories", "--db", db, "--format", "json"])
    assert listed.exit_code == 0 and '"articles"' in listed.output


def test_batch_cli_usage_errors(tmp_path: Path) -> None:
    args = ["batch", str(ARTICLES), "--db", str(tmp_path / "x.db")]
    assert CliRunner().invoke(cli, [*args, "--scheduler", "tcp://127.0.0.1:1", "--workers", "2"]).exit_code == 2
    assert CliRunner().invoke(cli, [*args, "--workers", "0"]).exit_code == 2


def test_batch_options_checked(tmp_path: Path) -> None:
    with open_store(str(tmp_path / "o.db")) as store, pytest.raises(ConfigError) as err:
        run_batch([str(ARTICLES)], store, options=BatchOptions(chunk_units=0))
    assert err.value.code == "batch.options"
