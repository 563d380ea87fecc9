"""What the link stage's memory holds as the stream goes on: sizes of the linker's structures, and what grows.

Links the link bench's stream (`run.py --stage link`: re-skinned pre-analysed articles, saved to SQLite in batches
of 256) and, every `--every` articles, prints the resident memory and the length of every structure the linker
keeps (stories, events, postings, vocabulary, document-frequency tables, caches, wire copies, placements). With a
short link window (`--window-days 2`: the 3-window retention is full after ~9k articles at 1,500 a day instead of
~63k) memory that still grows afterwards is a leak or a cache filling up. `--trace A,B` starts tracemalloc at
article A - (B - A) and diffs snapshots at A and B: the lines whose live allocations grew most between them
(allocations made before tracing started are not seen; starting one interval early lets the window's own
turnover show as turnover, not growth). Usage:

    python benchmarks/memory_growth.py --n 40000 --window-days 2 --every 5000 --trace 30000,40000
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
import tempfile
import tracemalloc
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stages import _stream, load_pool, rss_mb
from synthetic import Reskinner, plans

from storyline.link import Linker, features, wire
from storyline.settings import Settings
from storyline.store import open_store


def sizes(linker: Linker) -> dict[str, int]:
    """The length of every growing structure of the linker and of the module-level caches it uses."""
    fold, grams = features.fold.cache_info(), features.word_grams.cache_info()
    return {
        "stories": len(linker.stories),
        "events": len(linker.events),
        "by_key": len(linker._by_key),
        "by_term": len(linker._by_term),
        "old_key": len(linker._old_key),
        "old_term": len(linker._old_term),
        "postings": sum(map(len, linker._by_key.values())) + sum(map(len, linker._by_term.values())),
        "old_postings": sum(map(len, linker._old_key.values())) + sum(map(len, linker._old_term.values())),
        "expiry_heap": len(linker._expiry),
        "aging_heap": len(linker._aging),
        "deferred_heap": len(linker._deferred),
        "vocab_ids": len(linker.vocab.ids),
        "vocab_surface": len(linker.vocab._surface),
        "vocab_terms": int(np.count_nonzero(linker.vocab._gram_count)),
        "df_len": len(linker._df),
        "df_keys": len(linker._df_keys),
        "df_concepts": len(linker._df_concepts),
        "placement": len(linker._placement),
        "event_redirect": len(linker._event_redirect),
        "story_redirect": len(linker._story_redirect),
        "wire_sigs": len(linker.copies),
        "wire_bands": len(linker.copies._bands),
        "wire_original": len(linker.copies._original),
        "wire_word_hashes": len(wire._hashes),
        "fold_cache": fold.currsize,
        "word_grams_cache": grams.currsize,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=40_000)
    parser.add_argument("--window-days", type=int, default=2, help="link_window_days for this run")
    parser.add_argument("--every", type=int, default=5_000, help="print sizes every this many articles")
    parser.add_argument("--trace", default=None, help="A,B: diff tracemalloc snapshots taken at articles A and B")
    parser.add_argument("--top", type=int, default=25, help="lines of the tracemalloc diff to print")
    parser.add_argument("--wire-bound", type=int, default=None,
                        help="wire.MAX_REMEMBERED for this run (signatures and placements kept): a small bound fills "
                        "early, so what grows after it is the rest")
    parser.add_argument("--pool", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--per-day", type=float, default=1500.0)
    args = parser.parse_args()
    if args.wire_bound:
        wire.MAX_REMEMBERED = args.wire_bound
    trace = tuple(int(x) for x in args.trace.split(",")) if args.trace else None
    trace_start = trace[0] - (trace[1] - trace[0]) if trace else None
    reskin = Reskinner(load_pool(args.seed + 1, args.pool, args.per_day))
    snapshots: list[tracemalloc.Snapshot] = []
    types_before: Counter[str] | None = None
    with tempfile.TemporaryDirectory(prefix="storyline-mem-") as tmp:
        store = open_store(os.path.join(tmp, "link.db"))
        linker = Linker(store, Settings.load(link_window_days=args.window_days))
        batch: contextlib.ExitStack | None = None
        for i, (art, _, _) in enumerate(_stream(plans(args.n, args.seed, args.per_day), reskin), 1):
            if batch is None:
                batch = contextlib.ExitStack()
                batch.enter_context(store.batch())
            linker.link_and_save(art)
            if i % 256 == 0 or i == args.n:
                batch.close()
                batch = None
            if trace_start is not None and i == trace_start:
                tracemalloc.start(1)
            if trace is not None and i in trace:
                snapshots.append(tracemalloc.take_snapshot())
            if i % args.every == 0:
                gc.collect()
                types: Counter[str] = Counter(type(o).__name__ for o in gc.get_objects())
                grown = ""
                if types_before is not None:
                    delta = types - types_before
                    grown = " grown: " + ", ".join(f"{k} +{v}" for k, v in delta.most_common(8))
                types_before = types
                print(f"{i}: rss {rss_mb():.0f} MB {sizes(linker)}{grown}", flush=True)
        store.close()
    if len(snapshots) == 2:
        stats = snapshots[1].compare_to(snapshots[0], "lineno")
        print(f"tracemalloc, live allocations at {trace[1]} against {trace[0]} (traced from {trace_start}):")
        for stat in stats[: args.top]:
            print(f"  {stat.size_diff / 2**20:+8.2f} MB {stat.count_diff:+9d} blocks  {stat.traceback}")
        total: Any = sum(s.size_diff for s in stats) / 2**20
        print(f"  total {total:+.2f} MB")


if __name__ == "__main__":
    main()
