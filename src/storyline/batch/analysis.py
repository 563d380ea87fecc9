"""The worker side of a batch: read and analyse a group of inputs, on any Dask worker, with no store.

Ingest, clean, detect and extract are pure per article (an article's result depends on its own input only), so
they can run anywhere in any order. A unit of work is one input (a file, a URL, a directory the driver could not
split) or one article the driver already read (from stdin, a JSONL dump or a feed). Everything a unit cannot
become comes back as a rejected article, never as an exception, so one bad page never fails a Dask task and
with it the batch.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Sequence
from functools import lru_cache

from storyline.errors import IngestError, StorylineError
from storyline.ingest import read_inputs, walk_files
from storyline.ingest.records import rejected_article
from storyline.models import Article, Rejection
from storyline.pipeline import Pipeline, analysis_pipeline
from storyline.settings import Settings

log = logging.getLogger(__name__)

Unit = str | Article  # an input to read on the worker, or an article the driver read


@lru_cache(maxsize=4)
def _pipeline(settings: Settings) -> Pipeline:
    """One analysis pipeline per worker process and settings: its models load once, not once per task."""
    return analysis_pipeline(settings)


# Files that hold many articles: the driver parses them (cheap) so their articles spread over the workers,
# where the costly stages run; one big JSONL dump would otherwise be one task on one worker.
_MANY_ARTICLE_EXTENSIONS = (".jsonl", ".ndjson", ".json", ".xml", ".rss", ".atom")


def split_inputs(paths: Sequence[str], settings: Settings) -> Iterator[Unit]:
    """The batch's units in input order, lazily: directories split into their files (sorted, as `ingest` walks
    them), files of many articles and stdin into their articles.

    A directory with unreadable parts or no visible files stays one unit, so the worker reports it exactly as
    `ingest` would.
    """
    for path in paths:
        if path == "-":
            yield from read_inputs([path], settings)
        elif path.startswith(("http://", "https://")):
            yield path
        elif os.path.isdir(path):
            files = list(walk_files(path))
            if not files or any(error is not None for _, error in files):
                yield path
            else:
                for name, _ in files:
                    yield from _file_units(name, settings)
        else:
            yield from _file_units(path, settings)


def _file_units(path: str, settings: Settings) -> Iterator[Unit]:
    if path.lower().endswith(_MANY_ARTICLE_EXTENSIONS):
        yield from read_inputs([path], settings)
    else:
        yield path


def analyse_units(units: Sequence[Unit], settings: Settings) -> list[Article]:
    """Read and analyse each unit (a Dask task); the articles come back in input order, rejected ones included."""
    pipeline = _pipeline(settings)
    out: list[Article] = []
    for unit in units:
        name = unit if isinstance(unit, str) else unit.input_name or unit.id
        try:
            out.extend([unit] if isinstance(unit, Article) else read_inputs([unit], settings))
        except StorylineError as exc:
            out.append(rejected_article(name, exc))
        except Exception as exc:  # a reader bug must not fail the task and lose the other units' work
            log.exception("reading %s failed", name)
            failed = rejected_article(name, IngestError("could not be read", input=name))
            failed.rejected = Rejection(
                "internal.ingest",
                f"{name}: reading failed unexpectedly: {type(exc).__name__}: {exc} (please report this with the input)",
            )
            out.append(failed)
    # Analysed together, not unit by unit: a partition's articles share the tagger's batches (Pipeline.run_chunk).
    # Articles already rejected while reading pass through unchanged.
    return list(pipeline.run(out))
