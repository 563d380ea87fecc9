"""`make bench`: speed and memory of the pipeline on synthetic articles; appends results to benchmarks/RESULTS.md.

Measures, on N synthetic ~500-word articles in five languages: the analysis stages (clean → detect → extract)
alone, the link stage alone (decide + commit, against a real SQLite store), and the whole ingest path end to end
(into a SQLite file), with p50/p99 link latency and peak resident memory. Usage:
`python benchmarks/run.py [--n 2000] [--no-write]`.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import generate

from storyline.link import Linker
from storyline.pipeline import analysis_pipeline
from storyline.settings import Settings
from storyline.store import open_store
from storyline.workflows import ingest_articles


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench(n: int) -> dict[str, float]:
    settings = Settings.load()
    articles = list(generate(n))
    words = statistics.mean(len(a.raw_text.split()) for a in articles)

    pipe = analysis_pipeline(settings)
    start = time.perf_counter()
    analysed = [pipe.run_one(a) for a in articles]
    t_analysis = time.perf_counter() - start
    ok = [a for a in analysed if a.rejected is None]

    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(os.path.join(tmp, "link.db"))
        linker = Linker(store, settings)
        latencies = []
        start = time.perf_counter()
        for a in ok:
            t0 = time.perf_counter()
            a.link = linker.decide(a)
            linker.commit(a)
            latencies.append(time.perf_counter() - t0)
        t_link = time.perf_counter() - start
        store.close()

        store = open_store(os.path.join(tmp, "e2e.db"))
        fresh = list(generate(n))
        start = time.perf_counter()
        report = ingest_articles(fresh, store, settings)
        t_e2e = time.perf_counter() - start
        store.close()

    latencies.sort()
    return {
        "articles": n,
        "mean_words": round(words),
        "rejected": len(report.rejected),
        "analysis_articles_per_s": round(n / t_analysis, 1),
        "link_articles_per_s": round(len(ok) / t_link, 1),
        "link_p50_ms": round(latencies[len(latencies) // 2] * 1000, 2),
        "link_p99_ms": round(latencies[int(len(latencies) * 0.99)] * 1000, 2),
        "end_to_end_articles_per_s": round(n / t_e2e, 1),
        "stories": len({a.story_id for a in report.stored}),
        "peak_rss_mb": round(peak_rss_mb()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    result = bench(args.n)
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    lines = [f"- {k}: {v}" for k, v in result.items()]
    print(f"machine: {machine}")
    print("\n".join(lines))
    if not args.no_write:
        out = Path(__file__).resolve().parent / "RESULTS.md"
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        with out.open("a", encoding="utf-8") as fh:
            fh.write(f"\n## {stamp} — `python benchmarks/run.py --n {args.n}` on {machine}\n\n")
            fh.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
