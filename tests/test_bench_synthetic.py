"""The benchmark generator (benchmarks/synthetic.py) and the benchmark's BCubed: determinism, language mix, gold
structure, re-skinning offsets. Not timed: the benchmark itself is `make bench`."""

from __future__ import annotations

import itertools
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import synthetic
from stages import Labels, _deciles, bcubed, peak_rss_mb, rss_mb

from storyline.eval.metrics import bcubed as reference_bcubed
from storyline.models import Entity, LinkDecision, Paragraph


@pytest.fixture(scope="module")
def stream() -> list[synthetic.ArticlePlan]:
    return list(synthetic.plans(3000, seed=11))


def test_bench_synthetic_is_deterministic_by_seed() -> None:
    first = [synthetic.render(p) for p in synthetic.plans(40, seed=3)]
    again = [synthetic.render(p) for p in synthetic.plans(40, seed=3)]
    other = [synthetic.render(p) for p in synthetic.plans(40, seed=4)]
    assert [(a.id, a.raw_text, a.meta) for a in first] == [(a.id, a.raw_text, a.meta) for a in again]
    assert {a.id for a in first}.isdisjoint(a.id for a in other)


def test_bench_synthetic_streams_in_publication_order(stream: list[synthetic.ArticlePlan]) -> None:
    assert [p.index for p in stream] == list(range(len(stream)))
    assert all(a.published <= b.published for a, b in itertools.pairwise(stream))
    # ~1,500 articles a day: 3,000 articles span about two days, not weeks (the rate drives the active window)
    assert (stream[-1].published - stream[0].published).days <= 4


def test_bench_synthetic_mixes_five_languages(stream: list[synthetic.ArticlePlan]) -> None:
    langs = Counter(p.lang for p in stream)
    assert set(langs) == set(synthetic.LANGS)
    assert all(langs[lang] / len(stream) > 0.04 for lang in synthetic.LANGS)
    cross = defaultdict(set)
    for p in stream:
        cross[p.story.index].add(p.lang)
    assert sum(len(v) > 1 for v in cross.values()) > len(cross) * 0.2  # many stories are told in several languages


def test_bench_synthetic_gold_structure(stream: list[synthetic.ArticlePlan]) -> None:
    events_of = defaultdict(set)
    for p in stream:
        events_of[p.story.index].add(p.event.index)
        assert p.event.story is p.story
    sizes = Counter(p.story.index for p in stream)
    assert 2.5 < len(stream) / len(sizes) < 8  # heavy-tailed: many small stories, a few large
    assert max(sizes.values()) >= 20
    assert any(len(e) > 1 for e in events_of.values())  # stories develop over several events
    copies = [p for p in stream if p.copy_of is not None]
    assert 0.03 < len(copies) / len(stream) < 0.15
    assert all(c.copy_of is not None and c.copy_of.index < c.index and c.copy_of.event is c.event for c in copies)
    stories = {p.story.index: p.story for p in stream}
    twins = [s for s in stories.values() if s.twin_of in stories]
    assert twins  # same kind, organisation and one person as a recent story, but another gold story
    assert all(t.kind == stories[t.twin_of].kind and t.org == stories[t.twin_of].org for t in twins
               if t.twin_of is not None)
    assert Counter(p.precision for p in stream)["exact"] / len(stream) > 0.85


def test_bench_synthetic_articles_are_long_and_story_specific(stream: list[synthetic.ArticlePlan]) -> None:
    by_story = defaultdict(list)
    for p in stream[:600]:
        if p.copy_of is None:
            by_story[(p.story.index, p.lang)].append(synthetic.render(p))
    arts = [a for group in by_story.values() for a in group]
    words = [len(a.raw_text.split()) for a in arts]
    assert 450 < sum(words) / len(words) < 600
    sample = arts[0]
    assert sample.meta["story"].isdigit() and sample.meta["event"].isdigit()

    def vocab(text: str) -> set[str]:
        return {w for w in text.lower().split() if len(w) >= 6}

    same = [len(vocab(g[0].raw_text) & vocab(g[1].raw_text)) / len(vocab(g[0].raw_text))
            for g in by_story.values() if len(g) > 1]
    groups = list(by_story.values())
    rng = random.Random(1)
    diff = []
    for _ in range(200):
        a, b = rng.sample(groups, 2)
        if a[0].meta["story"] != b[0].meta["story"] and a[0].language == b[0].language:
            diff.append(len(vocab(a[0].raw_text) & vocab(b[0].raw_text)) / len(vocab(a[0].raw_text)))
    # topics are lexically distinct, as real stories are: one story's reports share far more words
    assert sum(same) / len(same) > 3 * (sum(diff) / max(1, len(diff)))


def test_bench_reskin_moves_offsets_and_keys() -> None:
    plans = list(synthetic.plans(200, seed=5))
    pool_plan = next(p for p in plans if p.copy_of is None and p.lang == "da")
    raw = synthetic.render(pool_plan)
    # A hand-made analysis of the pool article: one person, found where the generator wrote the surname.
    surname = pool_plan.story.persons[0][1]
    at = raw.raw_text.index(surname)
    raw.text = raw.raw_text
    raw.entities = [Entity(surname, "PER", f"per:{surname.lower()}", at, at + len(surname))]
    raw.paragraphs = [Paragraph(0, len(raw.text))]
    others = [(p, synthetic.render(p)) for p in plans if p.lang != "da" and p.copy_of is None][:20]
    reskin = synthetic.Reskinner([(pool_plan, raw), *others])
    target = next(p for p in synthetic.plans(300, seed=6) if p.lang == "da" and p.copy_of is None)
    out = reskin(target)
    new_surname = target.story.persons[0][1]
    (entity,) = out.entities
    assert out.text[entity.start : entity.end] == entity.text == new_surname
    assert surname not in out.text and new_surname in out.text
    assert out.published == target.published and out.meta["story"] == str(target.story.index)
    assert out.paragraphs[0].end == len(out.text)


def test_bench_bcubed_matches_the_eval_metric() -> None:
    rng = random.Random(2)
    gold = [rng.randrange(30) for _ in range(500)]
    pred = [g if rng.random() < 0.7 else rng.randrange(40) for g in gold]
    assert bcubed(gold, pred) == reference_bcubed(dict(enumerate(gold)), dict(enumerate(pred)))


def test_bench_labels_follow_merges() -> None:
    labels = Labels()  # a merge redirects every earlier article of the merged story
    labels.add(LinkDecision("s1", "new", 0.0, event_id="e1"))
    labels.add(LinkDecision("s2", "new", 0.0, event_id="e2"))
    labels.add(LinkDecision("s1", "join", 0.9, event_id="e1", merged=["s2"]))
    stories = labels.stories().tolist()
    assert stories[0] == stories[1] == stories[2]
    assert labels.event[0] == labels.event[2] != labels.event[1]


def test_bench_cost_by_decile_shows_growth_in_order() -> None:
    """Issue 6 (cost growth toward 1M): the link stage reports the mean CPU cost of each tenth of the run."""
    from array import array

    cpu = array("d", [0.001 * (1 + k // 100) for k in range(1000)])  # cost steps up every tenth
    assert _deciles(cpu) == [float(k) for k in range(1, 11)]
    assert _deciles(array("d", [0.001] * 9)) == []  # fewer than ten articles: no tenths to report
    assert 0 < rss_mb() <= peak_rss_mb() + 1
