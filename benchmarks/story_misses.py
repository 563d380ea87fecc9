"""List the story-level linking misses of labelled sets, with the features against the right story and a cause.

A story miss is an article that, at the moment it arrives, does not land where the gold says: the gold story
already has articles in the linker (the "right story" is the predicted story holding most of them) and the
article opened a new story or joined another one; or the gold story has no article yet and it joined one
(a wrong join). Each miss is put down to one cause:

- `retrieval`: the right story was not among the candidates scored (no shared entity key or salient word posted);
- `wrong_story`: it was scored, but another candidate won;
- `below_threshold`: it was the best candidate, but under the model's join threshold;
- `wrong_join`: the article's gold story was new, and it joined an existing one.

For the three story-side misses the script prints which bridges were missing between the article and the right
story (no shared entity key; lexical/word/concept similarities near zero) and whether the two are in different
languages: that is what a new bridge has to supply. Run with the eval's orders (eval/link.py SHUFFLES):

    PYTHONPATH=src python benchmarks/story_misses.py --data samples/hard_dev --data samples \
        --data ../shared/data/ecbplus-event-clusters:1-25 [--verbose]

Analysis (clean → detect → extract) runs once per set per process; linking reads the shipped model.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import math
import random
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from storyline.eval.datasets import LabelledSet, load_ecbplus
from storyline.eval.link import SHUFFLES, load_link_set
from storyline.link import cluster
from storyline.link.cluster import Linker
from storyline.link.model import FEATURES
from storyline.models import Article
from storyline.settings import Settings
from storyline.store import open_store
from storyline.workflows import analyze_articles

BRIDGES = ("lexical", "words", "concepts", "named", "names", "title")
LOW = 0.05  # a similarity under this is no bridge at all


def _load(spec: str) -> LabelledSet:
    """A set: a directory or file `eval link` reads, or ECB+ with a topic range ("DIR:1-25")."""
    path, _, topics = spec.partition(":")
    if topics:
        lo, hi = (int(t) for t in topics.split("-"))
        return load_ecbplus(Path(path).parent if Path(path).name == "ecbplus-event-clusters" else Path(path),
                            topics=range(lo, hi + 1))
    return load_link_set(Path(path))


def _live(story: str, redirect: dict[str, str]) -> str:
    for _ in range(len(redirect) + 1):
        if story not in redirect:
            return story
        story = redirect[story]
    return story


def _misses(articles: list[Article], gold: dict[str, str], seed: int) -> list[dict[str, Any]]:
    order = list(articles)
    random.Random(seed).shuffle(order)
    store = open_store(":memory:")
    out: list[dict[str, Any]] = []
    try:
        linker = Linker(store, Settings())
        placed: dict[str, str] = {}  # article id → predicted story id at placement (follow redirects)
        languages: dict[str, str | None] = {}
        for a in order:
            a.link = None
            redirect = dict(linker._story_redirect)  # a diagnostic reads the linker's private state
            members: Counter[str] = Counter(_live(placed[b], redirect) for b in placed if gold[b] == gold[a.id])
            right = members.most_common(1)[0][0] if members else None
            decision = linker.decide(a)
            rows = dict(linker.feature_rows(a, "story"))
            chosen = decision.story_id if decision.action == "join" else None
            miss: dict[str, Any] | None = None
            if right is None and chosen is not None:
                miss = {"cause": "wrong_join"}
            elif right is not None and chosen != right and right not in decision.merged:  # a merge joins it too
                if right not in rows:
                    miss = {"cause": "retrieval"}
                elif chosen is not None:
                    miss = {"cause": "wrong_story"}
                else:
                    miss = {"cause": "below_threshold"}
            if miss is not None:
                miss.update(seed=seed, article=a.id, language=a.language, title=a.title[:70],
                            gold=gold[a.id], candidates=len(rows), score=decision.score)
                if right is not None and right in linker.stories:
                    # Scored beside the real candidates: `candidates` (their number) is a feature too.
                    _, vec, _ = linker._features(a)
                    scored = [c for c in linker._candidates(vec) if c.id != right]
                    x, _ = linker._rows(vec, [*scored, linker.stories[right]])[-1]
                    values = dict(zip(FEATURES, x.tolist(), strict=True))
                    miss["right"] = {k: round(v, 3) for k, v in values.items()}
                    miss["right_probability"] = round(linker.models.story.probability(x), 3)
                    other = {languages[b] for b in placed if _live(placed[b], redirect) == right}
                    miss["cross_language"] = a.language not in other
                    miss["missing"] = [b for b in BRIDGES if values.get(b, 0.0) < LOW]
                    miss["shared_keys"] = sorted(k for k in vec.entities if k in linker.stories[right].entities)
            linker.store.save_article(_with(a, decision))
            linker.commit(a)
            placed[a.id] = a.link.story_id if a.link is not None else ""
            languages[a.id] = a.language
            if miss is not None:
                out.append(miss)
    finally:
        store.close()
    return out


def concept_auc(articles: list[Article], gold: dict[str, str]) -> tuple[float, float, int]:
    """How well the concept bridge alone tells cross-language pairs of one story from cross-language pairs of two:
    the AUC of the IDF-weighted concept cosine (as the linker weighs it, IDF over the set), the mean cosine of the
    same-story pairs, and their number. Independent of the learned model and of the input order."""
    from storyline.link.features import Vocabulary, profile

    vocab = Vocabulary()
    bags = [profile(a, vocab).concepts for a in articles]
    df: Counter[str] = Counter(c for bag in bags for c in bag)
    n = len(articles) + 1
    vectors = []
    for bag in bags:
        vec = {c: w * (math.log(n / (df[c] + 1)) + 1.0) for c, w in bag.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vectors.append({c: v / norm for c, v in vec.items()})
    same: list[float] = []
    other: list[float] = []
    for i, j in itertools.combinations(range(len(articles)), 2):
        if articles[i].language == articles[j].language:
            continue
        small, big = sorted((vectors[i], vectors[j]), key=len)
        cos = sum(v * big.get(c, 0.0) for c, v in small.items())
        (same if gold[articles[i].id] == gold[articles[j].id] else other).append(cos)
    if not same or not other:
        return 0.0, 0.0, len(same)
    ranked = sorted(other)
    wins = 0.0
    for x in same:  # pairs of another story ranked below, ties counting half
        below, upto = bisect.bisect_left(ranked, x), bisect.bisect_right(ranked, x)
        wins += below + 0.5 * (upto - below)
    return wins / (len(same) * len(other)), sum(same) / len(same), len(same)


def _with(a: Article, decision: Any) -> Article:
    a.link = decision
    return a


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", action="append", required=True,
                        help="a labelled set (as for `storyline eval link`), or ECB+ as DIR:FIRST-LAST topics")
    parser.add_argument("--verbose", action="store_true", help="print every miss as a JSON line")
    parser.add_argument("--json", type=Path, help="write the misses of every set to this JSON file")
    parser.add_argument("--max-candidates", type=int, help="retrieve this many candidate stories per article "
                        f"instead of cluster.MAX_CANDIDATES ({cluster.MAX_CANDIDATES}): is the right one further down?")
    args = parser.parse_args()
    if args.max_candidates:
        cluster.MAX_CANDIDATES = args.max_candidates
    report: dict[str, Any] = {}
    for spec in args.data:
        labelled = _load(spec)
        kept = [a for a in analyze_articles(labelled.articles) if a.rejected is None]
        misses = [m for seed in SHUFFLES for m in _misses(kept, labelled.story, seed)]
        causes = Counter(m["cause"] for m in misses)
        missing = Counter(b for m in misses for b in m.get("missing", []))
        cross = sum(1 for m in misses if m.get("cross_language"))
        no_keys = sum(1 for m in misses if "right" in m and not m["shared_keys"])
        print(f"{spec}: {len(kept)} articles x {len(SHUFFLES)} orders, {len(misses)} story misses "
              f"{dict(sorted(causes.items()))}; against the right story: cross-language {cross}, no shared "
              f"entity key {no_keys}, bridge < {LOW}: {dict(sorted(missing.items()))}")
        auc, mean_same, pairs = concept_auc(kept, labelled.story)
        print(f"  concept bridge, cross-language pairs: AUC {auc:.3f} (same story vs other), mean cosine of the "
              f"{pairs} same-story pairs {mean_same:.3f}")
        if args.verbose:
            for m in misses:
                print("  " + json.dumps(m, ensure_ascii=False))
        report[spec] = misses
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
