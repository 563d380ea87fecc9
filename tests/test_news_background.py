"""The real-news background set for link training (eval/datasets.py load_news_background): NorNE dev documents,
each its own story and event, dated and with its outlet. Skips without ../shared/data."""

from __future__ import annotations

from pathlib import Path

from storyline.eval.datasets import load_news_background


def test_news_background_documents_are_dated_singletons_with_outlets(shared_data: Path) -> None:
    background = load_news_background(shared_data)
    articles = background.articles
    assert len(articles) >= 40
    assert len(set(background.story.values())) == len(articles), "every document is its own story"
    assert background.event == background.story
    assert all(a.published is not None and a.title and a.raw_text for a in articles)
    assert {a.meta.get("lang_hint") for a in articles} == {"nb", "nn"}
    # The outlets come from the corpus's reference lists: several papers, some with several articles on one day,
    # which is the point of the set (a paper's unrelated local news of one day).
    assert len({a.source for a in articles}) >= 5
    days = [(a.source, a.published.date()) for a in articles if a.published]
    assert len(days) > len(set(days))


def test_news_background_test_split_is_what_eval_link_reads_for_norne(shared_data: Path) -> None:
    from storyline.eval.link import load_link_set

    test = load_link_set(shared_data / "norne")
    assert test.name == "news_background_test" and len(test.articles) >= 40
    dev_ids = {a.id for a in load_news_background(shared_data).articles}
    assert dev_ids.isdisjoint(a.id for a in test.articles), "training reads dev, the eval reports test"
