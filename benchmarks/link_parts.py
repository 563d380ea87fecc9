"""CPU time of the link stage's parts on the link bench's stream, and the story feature rows it scored.

Links `--warm` articles of the link bench's stream (`run.py --stage link`: re-skinned pre-analysed articles, saved
to SQLite in batches of 256), then times the next `--n` articles part by part: `decide` and, inside it, the
article's features (`_weigh`, the wire signature), candidate retrieval and the scoring of candidate stories and
events (`_score_all`); then `save_article` and `commit`. CPU time of this process (`time.process_time`), so two
versions of the code run at the same time (PYTHONPATH pointing at two copies of `src/`) get the same share of a
loaded machine. `--rows FILE` saves every scored feature matrix of the measured articles (numpy .npz) so that
two versions can be checked to compute the same numbers; `--window-days` shortens the window to time it full.

    PYTHONPATH=old/src python benchmarks/link_parts.py --warm 5000 --n 2000 --rows /tmp/old.npz &
    PYTHONPATH=new/src python benchmarks/link_parts.py --warm 5000 --n 2000 --rows /tmp/new.npz
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stages import _stream, load_pool
from synthetic import Reskinner, plans

from storyline.link import Linker, cluster, wire
from storyline.settings import Settings
from storyline.store import open_store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--warm", type=int, default=5_000, help="articles linked before the measured ones")
    parser.add_argument("--n", type=int, default=2_000, help="articles measured")
    parser.add_argument("--window-days", type=int, default=None, help="link_window_days (default: the setting)")
    parser.add_argument("--rows", default=None, help="save the measured articles' scored feature matrices here")
    parser.add_argument("--pool", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--per-day", type=float, default=1500.0)
    args = parser.parse_args()
    reskin = Reskinner(load_pool(args.seed + 1, args.pool, args.per_day))
    spent: dict[str, float] = {}
    measuring = False
    matrices: list[np.ndarray] = []

    def timed(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def wrapper(*a: Any, **k: Any) -> Any:
            start = time.process_time()
            try:
                return fn(*a, **k)
            finally:
                if measuring:
                    spent[name] = spent.get(name, 0.0) + time.process_time() - start
        return wrapper

    overrides = {"link_window_days": args.window_days} if args.window_days else {}
    with tempfile.TemporaryDirectory(prefix="storyline-parts-") as tmp:
        store = open_store(os.path.join(tmp, "link.db"))
        linker = Linker(store, Settings.load(**overrides))
        for name in ("decide", "commit", "_weigh", "_candidates"):
            setattr(linker, name, timed(name, getattr(linker, name)))
        score_all = linker._score_all

        def scoring(vec: Any, clusters: Any, model: Any) -> Any:
            out = score_all(vec, clusters, model)
            if measuring and args.rows and out:
                matrices.append(np.stack([s.x for s in out]))
            return out

        linker._score_all = timed("_score_all", scoring)  # type: ignore[method-assign]
        store.save_article = timed("save_article", store.save_article)  # type: ignore[method-assign]
        cluster.wire.signature = timed("wire.signature", wire.signature)
        batch: contextlib.ExitStack | None = None
        total = 0.0
        for i, (art, _, _) in enumerate(_stream(plans(args.warm + args.n, args.seed, args.per_day), reskin), 1):
            measuring = i > args.warm
            start = time.process_time()
            if batch is None:
                batch = contextlib.ExitStack()
                batch.enter_context(store.batch())
            linker.link_and_save(art)
            if i % 256 == 0 or i == args.warm + args.n:
                batch.close()
                batch = None
            if measuring:
                total += time.process_time() - start
        store.close()
    per = {k: round(v / args.n * 1000, 3) for k, v in sorted(spent.items())}
    print(json.dumps({"articles": args.n, "after": args.warm, "cpu_ms_per_article": round(total / args.n * 1000, 3),
                      "parts_cpu_ms_per_article": per}))
    if args.rows:
        np.savez(args.rows, *matrices)


if __name__ == "__main__":
    main()
