from __future__ import annotations

import pytest

from storyline.errors import ExtractError, PipelineError
from storyline.models import Article
from storyline.pipeline import Pipeline, analysis_pipeline, stage


@stage("upper", requires={"raw_text"}, assigns={"text"})
def upper(article: Article) -> Article:
    article.text = article.raw_text.upper()
    return article


@stage("needs_entities", requires={"entities"}, assigns={"quotes"})
def needs_entities(article: Article) -> Article:
    return article


@stage("explodes", requires={"text"}, assigns=set())
def explodes(article: Article) -> Article:
    if "BOOM" in article.text:
        raise RuntimeError("kaboom")
    if "BAD" in article.text:
        raise ExtractError("no usable sentences", code="extract.nothing", input=article.input_name)
    return article


def test_pipeline_rejects_stage_whose_requirements_no_earlier_stage_assigns() -> None:
    with pytest.raises(PipelineError, match="needs_entities") as info:
        Pipeline([upper, needs_entities])
    assert info.value.code == "config.pipeline"


def test_pipeline_records_failures_as_rejections_and_goes_on(article) -> None:  # type: ignore[no-untyped-def]
    pipe = Pipeline([upper, explodes])
    items = [article("ok one"), article("boom", input_name="b.txt"), article("bad", input_name="c.txt"),
             article("ok two")]
    out = list(pipe.run(items))
    assert [a.rejected is None for a in out] == [True, False, False, True]
    assert out[1].rejected is not None and out[1].rejected.code == "internal.explodes"
    assert "b.txt" in out[1].rejected.message and "kaboom" in out[1].rejected.message
    assert out[2].rejected is not None and out[2].rejected.code == "extract.nothing"
    assert out[3].text == "OK TWO"


def test_pipeline_analysis_stages_compose_in_order() -> None:
    assert analysis_pipeline().names == ["clean", "detect", "extract"]
