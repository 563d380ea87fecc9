"""Parallel ingest (issue 6, speed): clean → detect → extract in worker processes, linking and saving in this one,
in input order. Two workers must give exactly what one gives: the same stories, rejections and report."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest

from storyline import pipeline
from storyline.errors import ConfigError
from storyline.ingest import read_inputs
from storyline.models import Article
from storyline.settings import Settings
from storyline.store import open_store
from storyline.workflows import IngestReport, ingest_articles
from tests.conftest import SAMPLES, make_article


def _inputs() -> list[Article]:
    """The bundled corpus with a bad article and a repeated one in the middle (the pool must keep both in
    place: the first rejected with its reason, the second found already stored)."""
    articles = list(read_inputs([str(SAMPLES / "articles")], Settings()))
    bad = make_article("For kort.", title="Tom", input_name="too-short.txt")  # under min_text_chars
    repeat = list(read_inputs([str(SAMPLES / "articles" / sorted(os.listdir(SAMPLES / "articles"))[0])], Settings()))
    return [*articles[:20], bad, *articles[20:40], *repeat, *articles[40:]]


def _run(tmp_path: Path, workers: int) -> tuple[IngestReport, list[list[str]]]:
    with open_store(str(tmp_path / f"w{workers}.db")) as store:
        report = ingest_articles(_inputs(), store, Settings(workers=workers))
        stories = sorted(sorted(s.articles) for s in store.list_stories(limit=10_000))
    return report, stories


def _summary(report: IngestReport) -> dict[str, Any]:
    return {
        "stored": [(a.id, a.story_id, a.language, [e.key for e in a.entities], [q.speaker_key for q in a.quotes])
                   for a in report.stored],
        "already": [a.id for a in report.already_stored],
        "rejected": [(a.input_name, a.rejected.code if a.rejected else None) for a in report.rejected],
    }


@pytest.mark.slow
def test_ingest_parallel_gives_the_stories_of_sequential(tmp_path: Path) -> None:
    sequential, seq_stories = _run(tmp_path, 1)
    parallel, par_stories = _run(tmp_path, 2)
    assert par_stories == seq_stories and len(seq_stories) > 5
    assert _summary(parallel) == _summary(sequential)
    assert [(a.input_name, a.rejected.code) for a in parallel.rejected if a.rejected] == [("too-short.txt",
                                                                                          "clean.empty")]
    assert len(parallel.already_stored) == 1 and parallel.exit_code == 3


def test_ingest_parallel_analyses_in_workers_and_keeps_input_order() -> None:
    articles = [make_article(f"Artikkel nummer {i}. Statsminister Jonas Gahr Støre sa tirsdag at avtalen er viktig "
                             "for Norge.", title=f"Sak {i}", input_name=f"a{i}") for i in range(40)]
    got = list(pipeline.analysed_in_order(articles, Settings(), 2))
    assert [a.input_name for a, _ in got] == [a.input_name for a in articles]
    # the first chunk comes back for the caller to analyse (it loads the models before the workers fork)
    assert all(analysed is None for _, analysed in got[: pipeline._CHUNK])
    rest = [(a, analysed) for a, analysed in got[pipeline._CHUNK :]]
    assert all(analysed is not None and analysed is not a and analysed.id == a.id for a, analysed in rest)
    assert all(a.text == "" for a, _ in rest)  # the caller's article is left as given
    local = pipeline.analysis_pipeline(Settings())
    for a, analysed in rest:
        assert analysed is not None
        assert analysed.to_json() == local.run_one(a).to_json()


def test_ingest_parallel_small_inputs_and_one_worker_stay_in_process() -> None:
    few = [make_article(f"Tekst nummer {i} om noe som skjedde i Oslo i går.", input_name=str(i)) for i in range(5)]
    assert all(analysed is None for _, analysed in pipeline.analysed_in_order(few, Settings(), 2))
    many = few * 10
    assert all(analysed is None for _, analysed in pipeline.analysed_in_order(many, Settings(), 1))


def test_one_worker_analyses_chunks_here_with_the_callers_pipeline() -> None:
    texts = [f"Artikkel {i}. Statsminister Jonas Gahr Støre sa tirsdag i Oslo at avtalen er viktig." for i in range(20)]
    local = pipeline.analysis_pipeline(Settings())
    expected = [local.run_one(make_article(t, input_name=str(i))).to_json() for i, t in enumerate(texts)]
    articles = [make_article(t, input_name=str(i)) for i, t in enumerate(texts)]
    articles.append(make_article("x", input_name="stored"))
    got = list(pipeline.analysed_in_order(articles, Settings(), 1, skip=lambda a: a.input_name == "stored",
                                          local=local))
    assert [a.input_name for a, _ in got] == [a.input_name for a in articles]
    # analysed here, a chunk at a time: the same output as one at a time
    assert [analysed.to_json() if analysed is not None else None for _, analysed in got[:20]] == expected
    assert got[20][1] is None  # `skip` said it needs no analysis: the caller decides on it


def _die(articles: list[Article]) -> list[Article]:
    os._exit(1)  # a worker killed mid-task (out of memory, a signal)


@pytest.mark.skipif(sys.platform != "linux", reason="the patched task reaches the workers only when they fork")
def test_ingest_parallel_broken_pool_falls_back_to_this_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    articles = list(read_inputs([str(SAMPLES / "articles")], Settings()))[:40]
    with open_store(str(tmp_path / "seq.db")) as store:
        expected = [(a.id, a.story_id) for a in ingest_articles(articles, store, Settings(workers=1)).stored]
    monkeypatch.setattr(pipeline, "_analyse_chunk", _die)
    articles = list(read_inputs([str(SAMPLES / "articles")], Settings()))[:40]
    with open_store(str(tmp_path / "broken.db")) as store:
        report = ingest_articles(articles, store, Settings(workers=2))
    assert [(a.id, a.story_id) for a in report.stored] == expected and not report.rejected
    assert "analysis pool failed" in caplog.text


def test_ingest_parallel_worker_count_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    assert pipeline.resolve_workers(3) == 3
    assert pipeline.resolve_workers(0) >= 1  # one per CPU
    monkeypatch.setenv("STORYLINE_WORKERS", "1")
    assert Settings.load().workers == 1
    with pytest.raises(ConfigError) as info:
        pipeline.resolve_workers(-1)
    assert info.value.code == "config.setting" and "STORYLINE_WORKERS" in info.value.hint
