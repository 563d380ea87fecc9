"""CPU time of the analysis stages per article: clean, detect, and extract's three parts (entities, quotes, dates).

Issue 6's end-to-end target (200 articles/s on 2 cores) leaves ~10 ms of CPU per article for everything; this
shows where the analysis part of it goes. Articles come from the synthetic generator (~500 words, da/nb/nn/sv/en);
each pass analyses all of them, the first pass warms models and caches and is not counted, and each figure is the
lowest of the other passes (the least disturbed by other processes on a shared machine). CPU time of this process
(`time.process_time`), not wall time. Usage:

    python benchmarks/analysis_cpu.py                 # 300 articles, 3 timed passes
    python benchmarks/analysis_cpu.py --n 1000 --passes 2
    python benchmarks/analysis_cpu.py --chunk 8       # tagged 8 articles at a time, as the ingest workers do

To compare two versions of the code under the same load, run both at once (e.g. two checkouts, or PYTHONPATH
pointing at a copy of `src/`): each gets the same share of the machine.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import generate

from storyline.detect import DetectStage
from storyline.extract.dates import Anchor, find_dates
from storyline.extract.entities import find_mentions, tag_texts
from storyline.extract.quotes import find_quotes
from storyline.models import Article
from storyline.pipeline import Stage, analysis_stages
from storyline.settings import Settings

PARTS = ("clean", "detect", "entities", "quotes", "dates")


def measure(n: int, passes: int, seed: int, chunk: int = 0) -> dict[str, float]:
    """Lowest CPU milliseconds per article of each part over `passes` timed passes. With `chunk`, `chunk` articles
    are analysed together as `Pipeline.run_chunk` in the ingest workers does: their paragraphs' languages scored
    in one pass (counted in detect) and their texts tagged in one batch (`tag_texts`, counted in entities)."""
    clean, detect, _ = analysis_stages(Settings.load())
    raw = list(generate(n, seed=seed))
    best = dict.fromkeys(PARTS, float("inf"))
    for done in range(passes + 1):
        spent = dict.fromkeys(PARTS, 0.0)
        articles = copy.deepcopy(raw)
        for first in range(0, len(articles), max(chunk, 1)):
            # Not `spent["entities"] += _part(...)`: that reads the old value before `_part` adds the per-article
            # entity times to it, and then overwrites them.
            tagging = _part(articles[first : first + max(chunk, 1)], clean, detect, spent, chunk > 0)
            spent["entities"] += tagging
        if done:  # the first pass loads models and fills caches
            best = {part: min(best[part], spent[part]) for part in PARTS}
    return {part: round(best[part] / n * 1000, 3) for part in PARTS}


def _part(articles: list[Article], clean: Stage, detect: Stage, spent: dict[str, float], batched: bool) -> float:
    """Analyse a chunk of articles in place, adding each part's time to `spent`; returns the batch tagging time."""
    for i, article in enumerate(articles):
        t0 = time.process_time()
        articles[i] = clean(article)
        spent["clean"] += time.process_time() - t0
    t0 = time.process_time()
    if batched and isinstance(detect, DetectStage):
        detect.prepare(articles)  # the paragraphs of the chunk scored together, as `Pipeline.run_chunk` does
    for i, article in enumerate(articles):
        articles[i] = detect(article)
    spent["detect"] += time.process_time() - t0
    t0 = time.process_time()
    tagged = tag_texts([(a.text, a.language) for a in articles]) if batched else [None] * len(articles)
    batch = time.process_time() - t0
    for article, reading in zip(articles, tagged, strict=True):
        t2 = time.process_time()
        mentions = find_mentions(article.text, article.language, reading)
        t3 = time.process_time()
        find_quotes(article.text, article.paragraphs, mentions)
        t4 = time.process_time()
        anchor: Anchor = "estimated" if article.published_precision == "month" else "published"
        find_dates(article.text, article.published.date() if article.published else None, anchor,
                   article.language)
        t5 = time.process_time()
        for part, took in zip(PARTS[2:], (t3 - t2, t4 - t3, t5 - t4), strict=True):
            spent[part] += took
    return batch


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=300, help="generated articles per pass")
    parser.add_argument("--passes", type=int, default=3, help="timed passes (after one warm-up pass)")
    parser.add_argument("--seed", type=int, default=31)
    parser.add_argument("--chunk", type=int, default=0,
                        help="tag this many articles together, as the ingest workers do (0: one at a time)")
    args = parser.parse_args()
    figures = measure(args.n, args.passes, args.seed, args.chunk)
    print(json.dumps({"ms_cpu_per_article": figures, "total": round(sum(figures.values()), 3), "articles": args.n,
                      "passes": args.passes, "chunk": args.chunk}))


if __name__ == "__main__":
    main()
