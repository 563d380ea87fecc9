"""Story precision on real news: which real newspaper articles the linker joins, and whether they belong together.

Links NorNE's nb/nn train newspaper documents (eval/datasets.py load_news_train: every document with a newspaper
reference and a date, ~490) in publication order, as a paper's stream arrives, into a fresh in-memory store, and
counts the article pairs it puts into one story. The corpus has no story labels: a reviewer reads each
multi-article story (`--show` prints titles, leads and why each article joined) and records which pairs report
one story in a judgement file kept OUTSIDE the repository (it holds document ids only, never text):

    {"same": [["norne-nn-train:1234", "norne-nn-train:1301"], ...], "different": [[...], ...]}

A joined pair listed under "same" is a true join, under "different" a false join; a pair in neither is counted
as unreviewed (review it and add it). Pairs judged "same" that the linker kept apart are listed as missed.

    PYTHONPATH=src python benchmarks/real_news_joins.py --data ../shared/data \
        --judgements /tmp/wt_RN_judgements.json [--show] [--orders 3]

The counts are given for all documents and for the odd ISO weeks alone (pairs inside them): a half kept apart
for when the even weeks are trained on (load_news_train's `weeks`; link training does not read them now).

`--orders N` also links N shuffled orders (eval/link.py SHUFFLES) and reports the mean counts: the documents
span 1997-2012, so publication order is the realistic one and the shuffles say how much order matters.
Analysis (clean → detect → extract) runs once; linking uses the shipped model (or STORYLINE_LINK_MODEL).
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import statistics
import sys
from pathlib import Path
from typing import Any

from storyline.eval.datasets import load_news_train
from storyline.eval.link import SHUFFLES
from storyline.link.explain import contributions
from storyline.models import Article
from storyline.settings import Settings
from storyline.store import open_store

Pair = tuple[str, str]


def _pair(a: str, b: str) -> Pair:
    return (a, b) if a < b else (b, a)


def _load_judgements(path: Path | None) -> tuple[set[Pair], set[Pair]]:
    if path is None or not path.is_file():
        return set(), set()
    data = json.loads(path.read_text(encoding="utf-8"))
    same = {_pair(a, b) for group in data.get("same", []) for a, b in itertools.combinations(group, 2)}
    different = {_pair(a, b) for group in data.get("different", []) for a, b in itertools.combinations(group, 2)}
    return same, different - same


def link(articles: list[Article]) -> dict[str, list[Article]]:
    """Stories of one online pass (story id → its articles, in arrival order); each article keeps its decision."""
    from storyline.link import Linker

    store = open_store(":memory:")
    try:
        linker = Linker(store, Settings.load())
        for a in articles:
            a.link = None
            linker.link_and_save(a)
        by_id = {a.id: a for a in articles}
        return {s.id: [by_id[i] for i in s.articles] for s in store.list_stories(limit=1_000_000)}
    finally:
        store.close()


def count(stories: dict[str, list[Article]], same: set[Pair], different: set[Pair],
          keep: set[str] | None = None) -> dict[str, Any]:
    """Joined pairs by verdict; with `keep` (input names), only the stories' members among them count."""
    if keep is not None:
        stories = {sid: [a for a in m if a.input_name in keep] for sid, m in stories.items()}
        same = {p for p in same if p[0] in keep and p[1] in keep}
    joined = {_pair(a.input_name, b.input_name) for members in stories.values()
              for a, b in itertools.combinations(members, 2)}
    multi = [m for m in stories.values() if len(m) > 1]
    false_stories = sum(1 for m in multi if any(_pair(a.input_name, b.input_name) in different
                                                for a, b in itertools.combinations(m, 2)))
    return {"stories_multi": len(multi), "articles_in_multi": sum(len(m) for m in multi),
            "stories_with_false_join": false_stories,
            "pairs_joined": len(joined), "true_pairs": len(joined & same), "false_pairs": len(joined & different),
            "unreviewed_pairs": sorted(joined - same - different), "missed_true_pairs": sorted(same - joined)}


def _show(stories: dict[str, list[Article]], lead_chars: int) -> None:
    """Each multi-article story for review: id, date, outlet, title, lead and the strongest terms of its joins."""
    for sid, members in stories.items():
        if len(members) < 2:
            continue
        print(f"\n== story {sid} ({len(members)} articles)")
        for a in members:
            day = a.published.date().isoformat() if a.published else "?"
            lead = " ".join(a.text.split())[:lead_chars]
            print(f"  {a.input_name:24} {day} {a.source:3} | {a.title}\n      {lead}")
            if a.link is not None and a.link.action == "join":
                terms = ", ".join(f"{k} {v:+.2f}" for k, v in contributions(a.link.features)[:6])
                shared = [k for k in a.link.features if k.startswith("shared:")]
                print(f"      joined p={a.link.score:.2f}: {terms} {' '.join(shared)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--judgements", type=Path, default=None, help="the reviewer's verdicts (outside the repo)")
    parser.add_argument("--show", action="store_true", help="print each multi-article story for review")
    parser.add_argument("--orders", type=int, default=0, help="also link this many shuffled orders (max 3)")
    parser.add_argument("--lead", type=int, default=220, help="characters of each lead to print with --show")
    args = parser.parse_args(argv)
    from storyline.workflows import analyze_articles

    labelled = load_news_train(args.data)
    kept = [a for a in analyze_articles(labelled.articles, Settings.load()) if a.rejected is None]
    kept.sort(key=lambda a: (a.published.isoformat() if a.published else "", a.input_name))
    same, different = _load_judgements(args.judgements)
    stories = link(kept)
    if args.show:
        _show(stories, args.lead)
    # The odd ISO weeks: the half to hold out when the even ones are trained on (load_news_train's `weeks`).
    odd = {a.input_name for a in kept if a.published is not None and a.published.isocalendar().week % 2 == 1}
    result: dict[str, Any] = {"articles": len(kept), "order": "publication",
                              "judged_pairs": {"same": len(same), "different": len(different)},
                              "publication_order": count(stories, same, different),
                              "publication_order_odd_weeks": count(stories, same, different, odd)}
    shuffled = []
    for seed in SHUFFLES[: args.orders]:
        order = list(kept)
        random.Random(seed).shuffle(order)
        shuffled.append(count(link(order), same, different))
    if shuffled:
        result["shuffled_mean"] = {k: round(statistics.mean(len(r[k]) if isinstance(r[k], list) else r[k]
                                                           for r in shuffled), 2) for k in shuffled[0]}
    json.dump(result, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
