"""batch: the analysis stages in parallel on Dask, then linking in publication order against one store.

`run_batch(paths, store, settings, BatchOptions(...))` is the entry point (`storyline batch` on the command
line); it needs the `dask` extra. See `batch/runner.py` for why linking stays in one process.
"""

from storyline.batch.runner import BatchOptions, BatchReport, run_batch

__all__ = ["BatchOptions", "BatchReport", "run_batch"]
