"""samples/hard_dev: the Nordic cross-lingual development set for linking (the tuning twin of samples/hard).

The counts pinned here are the ones samples/hard_dev/README.md states; change both together.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from storyline.errors import EvalError
from storyline.eval.datasets import LabelledSet, load_hard_dev_set, load_hard_set

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "samples" / "hard_dev"


@pytest.fixture(scope="module")
def dev() -> LabelledSet:
    return load_hard_dev_set(DEV)


def _gold_rows() -> list[dict[str, str | None]]:
    return [json.loads(line) for line in (DEV / "gold.jsonl").read_text(encoding="utf-8").splitlines() if line]


def test_hard_dev_set_counts_match_its_readme(dev: LabelledSet) -> None:
    assert dev.name == "nordic-hard-dev"
    rows = list(dev.extra.values())
    assert len(dev.articles) == len(rows) == 56
    assert Counter(r["language"] for r in rows) == {"da": 12, "nb": 12, "nn": 8, "sv": 14, "en": 10}
    assert len(set(dev.story.values())) == 10
    assert len(set(dev.event.values())) == 17
    assert sum(1 for r in rows if r["wire_of"]) == 4


def test_hard_dev_set_every_gold_row_has_its_file_and_labels_are_consistent(dev: LabelledSet) -> None:
    rows = _gold_rows()
    files = sorted(p.name for p in (DEV / "articles").iterdir())
    assert [r["input"] for r in rows] == files  # one row per file, sorted file-name order, nothing extra
    by_input = {r["input"]: r for r in rows}
    for r in rows:
        assert str(r["input"]).startswith(f"{r['language']}-{r['story']}-")
        assert str(r["event"]).startswith(f"{r['story']}/")
        if r["wire_of"]:
            original = by_input[str(r["wire_of"])]  # a copy points at a file of the set, of the same event
            assert original["event"] == r["event"] and original["wire_of"] is None


def test_hard_dev_set_articles_are_news_sized_fiction_with_dateless_ones(dev: LabelledSet) -> None:
    for a in dev.articles:
        assert 120 <= len(a.raw_text.split()) <= 200, a.input_name
        assert a.url and ("fiktiv" in a.url or "fictional" in a.url), a.input_name
    # Month-only (`date 2025-06 – ` prefix) and undated articles carry no Published header: part of the trap.
    assert sum(1 for a in dev.articles if a.published is None) >= 5


def test_hard_dev_set_shares_no_story_or_title_with_the_hard_test_set(dev: LabelledSet) -> None:
    hard = load_hard_set(ROOT / "samples" / "hard")
    assert not set(dev.story.values()) & set(hard.story.values())
    assert not {a.title for a in dev.articles} & {a.title for a in hard.articles}


def test_hard_dev_set_keeps_its_traps(dev: LabelledSet) -> None:
    """One person in two unrelated stories, and two happenings of the same kind in different years."""
    brandt = {dev.story[a.id] for a in dev.articles if "Camilla Brandt" in a.raw_text}
    assert brandt == {"sundbank-fine", "brandt-consultancy"}
    years = {dev.story[a.id]: a.published.year for a in dev.articles if a.published is not None}
    assert years["hellesoy-ferry"] != years["kattegatpilen-ferry"]
    assert years["norway-teachers-strike"] != years["sweden-teachers-strike"]


def test_hard_dev_set_loader_refuses_a_folder_without_articles(tmp_path: Path) -> None:
    with pytest.raises(EvalError) as err:
        load_hard_dev_set(tmp_path)
    assert "samples/hard_dev" in (err.value.hint or "")


@pytest.mark.slow
def test_hard_dev_set_detected_language_matches_gold(dev: LabelledSet) -> None:
    from storyline.settings import Settings
    from storyline.workflows import analyze_articles

    analysed = list(analyze_articles(dev.articles, Settings.load()))
    assert all(a.rejected is None for a in analysed)
    wrong = [(dev.extra[a.id]["input"], a.language) for a in analysed if a.language != dev.extra[a.id]["language"]]
    assert wrong == []
