"""Dump every link decision of fixed streams, to check that a speed change decides exactly as before.

A performance change to the linker or the store must not change a single decision. This links the labelled sets
(samples/, samples/hard_dev, ECB+ topics 1-45 from ../shared/data) in the eval's three shuffled orders, each into
a fresh in-memory store, and writes one line per article: the order, the article id and its whole stored decision
(`store.rows.link_json`: story, event, scores, features, merges, copy). Analysis (clean → detect → extract) does
not depend on the linker, so the analysed articles are cached outside the repository (pickles under
$STORYLINE_BENCH_CACHE or /tmp/storyline-bench). Compare two dumps with `cmp` (or `diff` to see where):

    python benchmarks/decisions.py --data ../shared/data --out /tmp/before.jsonl
    ... change the code ...
    python benchmarks/decisions.py --data ../shared/data --out /tmp/after.jsonl
    cmp /tmp/before.jsonl /tmp/after.jsonl

The link bench's stream is dumped by `run.py --stage link --decisions PATH` the same way.
"""

from __future__ import annotations

import argparse
import os
import pickle
import random
import sys
import tempfile
import time
from pathlib import Path

from storyline.eval.datasets import load_ecbplus, load_samples
from storyline.eval.link import SHUFFLES
from storyline.models import Article
from storyline.settings import Settings
from storyline.store import open_store
from storyline.store.rows import link_json

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(os.environ.get("STORYLINE_BENCH_CACHE", Path(tempfile.gettempdir()) / "storyline-bench"))


def _analysed(name: str, load: object) -> list[Article]:
    from storyline.workflows import analyze_articles

    path = CACHE / f"decisions-{name}.pickle"
    if path.exists():
        with path.open("rb") as fh:
            cached: list[Article] = pickle.load(fh)
        return cached
    labelled = load() if callable(load) else None
    assert labelled is not None
    kept = [a for a in analyze_articles(labelled.articles, Settings.load()) if a.rejected is None]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        pickle.dump(kept, fh)
    return kept


def dump(sets: dict[str, list[Article]], out: Path) -> float:
    """Link every set in every order; returns the CPU seconds spent linking and saving."""
    from storyline.link import Linker

    settings = Settings.load()
    cpu = 0.0
    with out.open("w", encoding="utf-8") as fh:
        for name, articles in sets.items():
            for seed in SHUFFLES:
                order = list(articles)
                random.Random(seed).shuffle(order)
                store = open_store(":memory:")
                linker = Linker(store, settings)
                start = time.process_time()
                for a in order:
                    a.link = None
                    linker.link_and_save(a)
                cpu += time.process_time() - start
                for a in order:
                    fh.write(f"{name}\t{seed}\t{a.id}\t{link_json(a.link)}\n")
                store.close()
    return cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=None, help="../shared/data (ECB+ is skipped without it)")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    sets = {
        "samples": _analysed("samples", lambda: load_samples(ROOT / "samples")),
        "hard_dev": _analysed("hard_dev", lambda: load_samples(ROOT / "samples" / "hard_dev")),
    }
    if args.data is not None and (args.data / "ecbplus-event-clusters").is_dir():
        sets["ecbplus"] = _analysed("ecbplus", lambda: load_ecbplus(args.data, topics=range(1, 46)))
    cpu = dump(sets, args.out)
    counts = ", ".join(f"{k} {len(v)}" for k, v in sets.items())
    print(f"{counts} articles x {len(SHUFFLES)} orders -> {args.out}; link+save CPU {cpu:.2f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
