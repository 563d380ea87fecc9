"""Adversarial scraped inputs (tests/fixtures/scraped): pages, news-please / trafilatura JSONL rows, RSS/Atom items
and text dumps with the residue real Nordic news sites leave (menus, cookie and paywall boxes, bylines with
e-mail, captions, "Les også" blocks, share rows, live-blog timestamps), each read exactly as `storyline analyze`
reads it and checked against `NAME.expect.json`, which was written by hand before the code ran on it.

An expectation file holds one entry per article the input yields, in order:

    {"articles": [{"language": "nb", "title": "…", "published": "2024-…" | null, "published_precision": "exact",
                   "source": "…" (optional), "url": "…" (optional), "first": "first body paragraph", "last": "…",
                   "absent": ["residue that must be gone from title and text", …],
                   "subheadings": ["paragraphs that must be kept as subheadings", …] (optional)}]}

All texts are fictional, written for this set. The top folder (26 inputs) is what the rules were developed on
(9 passed before, 25 after); `unseen/` (7 inputs) was written after the rules were frozen (1 passed before the
work): 6 passed on the first run, the seventh (a paywall box's small print) after the paywall-tail rule in
clean/layout.py.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from storyline.clean import CleanStage
from storyline.detect import DetectStage
from storyline.ingest import read_inputs
from storyline.models import Article
from storyline.settings import Settings

SCRAPED = Path(__file__).parent / "fixtures" / "scraped"
INPUTS = sorted(p for p in SCRAPED.rglob("*.*") if not p.name.endswith(".expect.json"))


def analysed(path: Path) -> list[Article]:
    """Read one input as `storyline analyze` does and run clean and detect (extract adds nothing checked here)."""
    settings = Settings.load()
    clean, detect = CleanStage(settings), DetectStage()
    return [detect(clean(article)) if article.rejected is None else article
            for article in read_inputs([str(path)], settings)]


def mismatches(article: Article, expected: dict[str, Any]) -> list[str]:
    """Every way `article` differs from its expectation (empty when it meets it)."""
    if article.rejected is not None:
        return [f"rejected: {article.rejected.code} {article.rejected.message}"]
    problems = []
    body = [p for p in article.paragraphs if p.kind == "body"]
    texts = [article.text[p.start : p.end] for p in article.paragraphs]
    published = article.published.isoformat() if article.published else None
    got = {"language": article.language, "title": article.title, "published": published,
           "published_precision": article.published_precision if published else None,
           "source": article.source, "url": article.url,
           "first": article.text[body[0].start : body[0].end] if body else None,
           "last": texts[-1] if texts else None}
    for key, value in got.items():
        if key in expected and expected[key] != value:
            problems.append(f"{key}: expected {expected[key]!r}, got {value!r}")
    for residue in expected.get("absent", []):
        if residue in article.text or residue in article.title:
            problems.append(f"residue left: {residue!r}")
    subheadings = {article.text[p.start : p.end] for p in article.paragraphs if p.kind == "subheading"}
    problems += [f"not a subheading: {s!r}" for s in expected.get("subheadings", []) if s not in subheadings]
    return problems


def case_problems(path: Path) -> list[str]:
    expected = json.loads(path.with_name(path.name.rsplit(".", 1)[0] + ".expect.json").read_text("utf-8"))["articles"]
    articles = analysed(path)
    if len(articles) != len(expected):
        return [f"expected {len(expected)} articles, got {len(articles)}"]
    return [f"#{n}: {p}" for n, (a, e) in enumerate(zip(articles, expected, strict=True), 1) for p in mismatches(a, e)]


def test_scraped_set_covers_formats_languages_and_residue() -> None:
    assert len(INPUTS) >= 25
    assert {p.suffix for p in INPUTS} >= {".html", ".jsonl", ".rss", ".atom", ".txt"}
    assert {p.name[:2] for p in INPUTS} == {"da", "nb", "nn", "sv", "en"}
    for path in INPUTS:
        assert path.with_name(path.name.rsplit(".", 1)[0] + ".expect.json").is_file(), path


# Inputs the cleaner gets wrong on purpose, each with the reason; strict, so a fix shows up as a pass to record.
KNOWN_MISSES = {
    "nb-ntb-ads.html": "'Les også' then two teaser headlines then a quote: the cleaner keeps the last headline as "
                       "the subheading of the quote (layout.py: a teaser run followed by text ends on a subheading); "
                       "nothing in the text tells the two readings apart",
}


@pytest.mark.parametrize("path", [
    pytest.param(p, marks=pytest.mark.xfail(strict=True, reason=KNOWN_MISSES[p.name])) if p.name in KNOWN_MISSES
    else p for p in INPUTS
], ids=[str(p.relative_to(SCRAPED)) for p in INPUTS])
def test_scraped_input_reads_as_expected(path: Path) -> None:
    assert case_problems(path) == []


if __name__ == "__main__":  # `python tests/test_scraped_fixtures.py`: how many cases pass, and what fails
    failed = {str(p.relative_to(SCRAPED)): problems for p in INPUTS if (problems := case_problems(p))}
    for name, problems in failed.items():
        print(name, *problems, sep="\n  ")
    print(f"{len(INPUTS) - len(failed)}/{len(INPUTS)} scraped inputs pass")
