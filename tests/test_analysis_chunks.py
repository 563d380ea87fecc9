"""Analysis in chunks (issue 6, speed): `Pipeline.run_chunk` tags a chunk's articles together and scores their
paragraphs' languages in one pass, and must give every article exactly what `run_one` gives it alone: the same
fields, the same rejections, whatever the chunk's mix of languages."""

from __future__ import annotations

import copy
import random
from typing import Any

import pytest

from storyline.clean.residue import words_at_most
from storyline.extract.entities import Tagged, find_mentions, tag_texts
from storyline.extract.tagger import load_tagger
from storyline.ingest import read_inputs
from storyline.models import Article
from storyline.pipeline import analysis_pipeline
from storyline.settings import Settings
from tests.conftest import SAMPLES, make_article


def _fields(article: Article) -> dict[str, Any]:
    return {"rejected": article.rejected, "text": article.text, "title": article.title,
            "language": article.language, "confidence": article.language_confidence,
            "paragraphs": article.paragraphs, "entities": article.entities, "quotes": article.quotes,
            "dates": article.dates, "source_map": article.source_map, "meta": article.meta}


def _corpus() -> list[Article]:
    """The bundled articles (da, nb, nn, sv, en) with a too-short one among them."""
    articles = list(read_inputs([str(SAMPLES / "articles")], Settings()))
    bad = make_article("For kort.", title="Tom", input_name="too-short.txt")
    return [*articles[:7], bad, *articles[7:]]


def test_pipeline_run_chunk_gives_what_run_one_gives() -> None:
    pipeline = analysis_pipeline(Settings())
    articles = _corpus()
    alone = [_fields(pipeline.run_one(a)) for a in copy.deepcopy(articles)]
    for size in (2, 8, 16, len(articles)):
        chunked = copy.deepcopy(articles)
        done = [a for first in range(0, len(chunked), size) for a in pipeline.run_chunk(chunked[first : first + size])]
        assert [_fields(a) for a in done] == alone, size
    assert {a["language"] for a in alone} >= {"da", "nb", "sv", "en"}
    assert [a["rejected"].code for a in alone if a["rejected"]] == ["clean.empty"]


def test_tagger_tag_many_gives_each_text_its_own_labels() -> None:
    articles = [a for a in analysis_pipeline(Settings()).run_chunk(_corpus()) if a.rejected is None]
    random.Random(4).shuffle(articles)
    items = [(a.text, a.language) for a in articles[:12]] + [("", "da"), ("Kort.", None)]
    together = tag_texts(items)
    assert together == [tag_texts([item])[0] for item in items]
    tagger = load_tagger()
    assert tagger.tag_many([(t.words, lang or "") for t, (_, lang) in zip(together, items, strict=True)]) == [
        tagger.tag(t.words, lang or "") for t, (_, lang) in zip(together, items, strict=True)]
    text, language = items[0]
    assert find_mentions(text, language, together[0]) == find_mentions(text, language)
    assert find_mentions("", "da", Tagged([], [], [])).entities == []


@pytest.mark.parametrize("text", ["", " ", "a", " a b ", "a\tb\nc  d\u00a0e ", "én to tre fire fem seks"])
def test_clean_words_at_most_counts_like_split(text: str) -> None:
    for n in range(8):
        assert words_at_most(text, n) == (len(text.split()) <= n)
