"""The story view on the API, the web page and the CLI: summary, aligned claims, events as timeline groups."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.serve_stories import (
    COPY_OUTLET,
    CUT_DA,
    CUT_NB,
    FUND_NB,
    QUOTA_STORY,
    STORY,
    Corpus,
    fill_store,
    section,
)


@pytest.fixture
def corpus(store: Any) -> Corpus:
    return fill_store(store, quota=True)


def test_serve_story_view_api_has_summary_claims_events_and_outlets(api_client: Any, corpus: Corpus) -> None:
    assert corpus.quota_da and corpus.quota_nb
    story = api_client.get(f"/api/stories/{QUOTA_STORY}").json()
    assert story["summary"]["language"] == "da"
    assert 2 <= len(story["summary"]["sentences"]) <= 4
    assert story["summary"]["sentences"][0]["article_id"] == corpus.quota_da.id
    aligned = [c for c in story["claims"] if len(c["quotes"]) > 1]
    assert len(aligned) == 1
    claim = aligned[0]
    assert claim["speaker_key"] == "per:ole_vang" and claim["languages"] == ["da", "nb"]
    assert [q["text"] for q in claim["quotes"]] == [CUT_DA, CUT_NB]
    assert {q["language"] for q in claim["quotes"]} == {"da", "nb"}
    single = [c for c in story["claims"] if len(c["quotes"]) == 1]
    assert [c["text"] for c in single] == [FUND_NB]
    assert [g["id"] for g in story["events"]] == ["e-quota-cut", "e-quota-reaction"]
    assert story["events"][0]["articles"] == [corpus.quota_da.id]
    assert {e["kind"] for e in story["events"][0]["entries"]} == {"published", "mentioned"}
    assert {o["name"] for o in story["outlets"]} == {"dagbladet-dk", "avisa-no"}
    assert story["first_seen"].startswith("2026-03-10") and story["last_seen"].startswith("2026-03-11")
    vang = next(e for e in story["entities"] if e["key"] == "per:ole_vang")
    assert vang["article_count"] == 2 and vang["surface"] == {"da": "Ole Vang", "nb": "Ole Vang"}
    assert story["entities"][0]["article_count"] == 2, "entities named in both articles rank first"


def test_serve_story_view_api_summary_language_parameter(api_client: Any, corpus: Corpus) -> None:
    story = api_client.get(f"/api/stories/{QUOTA_STORY}", params={"lang": "nb"}).json()
    assert story["summary"]["language"] == "nb"
    assert story["summary"]["sentences"][0]["language"] == "nb"
    absent = api_client.get(f"/api/stories/{QUOTA_STORY}", params={"lang": "sv"}).json()
    assert absent["summary"]["language"] == "da", "falls back to the story's commonest language"
    bad = api_client.get(f"/api/stories/{QUOTA_STORY}", params={"lang": "not a code"})
    assert bad.status_code == 422 and set(bad.json()["error"]) == {"code", "message", "hint"}


def test_serve_story_view_story_without_events_keeps_a_flat_timeline(api_client: Any, corpus: Corpus) -> None:
    story = api_client.get(f"/api/stories/{STORY}").json()
    assert story["events"] == [] and story["timeline"]
    assert all(e["event_id"] is None for e in story["timeline"])


def test_serve_story_view_openapi_documents_the_new_parts(api_client: Any) -> None:
    schemas = api_client.get("/openapi.json").json()["components"]["schemas"]
    detail = schemas["StoryDetail"]["properties"]
    assert {"summary", "claims", "events", "timeline", "entities", "outlets", "first_seen"} <= set(detail)
    assert {"Claim", "StoryOverview", "TimelineGroup"} <= set(schemas)


def test_serve_story_view_web_page_aligns_claims_side_by_side(api_client: Any, corpus: Corpus) -> None:
    html = api_client.get(f"/stories/{QUOTA_STORY}").text
    claims = section(html, "claims")
    assert claims.count('<figure class="rendering"') == 2
    assert 'lang="da"' in claims and 'lang="nb"' in claims
    assert CUT_DA in claims and CUT_NB in claims and FUND_NB not in claims
    assert '<ol class="timeline grouped">' in html and 'id="event-e-quota-cut"' in html
    assert '<p class="summary" lang="da">' in html
    assert 'href="?lang=nb"' in html
    nb = api_client.get(f"/stories/{QUOTA_STORY}", params={"lang": "nb"}).text
    assert '<p class="summary" lang="nb">' in nb


def test_serve_story_view_cli_story_text_and_json(store: Any, db_path: Path, corpus: Corpus) -> None:
    from storyline.cli import cli

    store.close()  # the CLI opens the same file itself
    runner = CliRunner()
    out = runner.invoke(cli, ["story", QUOTA_STORY, "--db", str(db_path), "--format", "json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["summary"]["language"] == "da"
    assert [len(c["quotes"]) for c in data["claims"]] == [2, 1]
    assert {"timeline", "entities", "outlet_counts", "first_seen", "last_seen", "events"} <= set(data)
    assert set(data["outlets"]) == {"dagbladet-dk", "avisa-no"}, "the story's own outlet list is kept"
    assert {o["name"]: o["count"] for o in data["outlet_counts"]} == {"dagbladet-dk": 1, "avisa-no": 1}
    text = runner.invoke(cli, ["story", QUOTA_STORY, "--db", str(db_path), "--lang", "nb"])
    assert text.exit_code == 0, text.output
    assert "summary [nb]:" in text.output and "who said what, aligned:" in text.output
    assert "Ole Vang [da, nb]" in text.output and "events:" in text.output


@pytest.fixture
def wired(store: Any) -> Corpus:
    """The quota story with its Norwegian report carried word for word by a second outlet."""
    return fill_store(store, wire=True)


def test_serve_story_view_api_wire_copy_is_one_report_with_two_outlets(api_client: Any, wired: Corpus) -> None:
    assert wired.quota_da and wired.quota_nb and wired.quota_copy
    story = api_client.get(f"/api/stories/{QUOTA_STORY}").json()
    assert story["article_count"] == 3 and story["reports"] == 2
    reports = story["report_list"]
    assert [r["article"]["id"] for r in reports] == [wired.quota_da.id, wired.quota_nb.id]
    assert reports[1]["outlets"] == ["avisa-no", COPY_OUTLET]
    assert [c["id"] for c in reports[1]["copies"]] == [wired.quota_copy.id]
    # The copy's quotes repeat the original's words: one rendering per wording, with both outlets under it.
    cut = next(c for c in story["claims"] if len(c["renderings"]) > 1)
    assert [(r["language"], [s["source"] for s in r["sources"]]) for r in cut["renderings"]] == [
        ("da", ["dagbladet-dk"]), ("nb", ["avisa-no", COPY_OUTLET]),
    ]
    assert len(cut["quotes"]) == 3, "every quote is still listed"


def test_serve_story_view_api_explains_in_words(api_client: Any, wired: Corpus) -> None:
    assert wired.quota_nb and wired.quota_copy
    story = api_client.get(f"/api/stories/{QUOTA_STORY}").json()
    why = {x["article_id"]: x for x in story["explanations"]}
    nb = why[wired.quota_nb.id]
    assert nb["headline"].startswith("Joined the best of 2 candidate stories: match score 98 % (joins from ")
    assert [(r["feature"], r["direction"]) for r in nb["reasons"]] == [
        ("names", "for"), ("figures", "for"), ("missing_names", "against"),
    ]
    assert nb["event"] == "Reports a new event in the story: «Dansk minister kutter sildekvoten»."
    # The model terms are contributions, strongest first, without the model's bias and sums.
    assert [f["name"] for f in nb["features"]][:2] == ["entities", "numbers"]
    assert not {"bias", "logit", "probability"} & {f["name"] for f in nb["features"]}
    copy = why[wired.quota_copy.id]
    assert copy["copy_of"] == wired.quota_nb.id
    assert copy["headline"].startswith("Wire copy of «Dansk minister kutter sildekvoten» (avisa-no): 97 %")
    assert story["title_language"] == "da"


def test_serve_story_view_web_shows_reasons_wire_copies_and_header(api_client: Any, wired: Corpus) -> None:
    assert wired.quota_copy
    html = api_client.get(f"/stories/{QUOTA_STORY}").text
    assert "3 articles" in html and "2 reports" in html and "2 events" in html and "3 outlets" in html
    assert "First seen</span> <time" in html and "Last seen</span> <time" in html
    articles = section(html, "articles")
    wire = articles[articles.index('<li class="report wire">'):]
    assert "Same wire text also in 1 other outlet" in wire and COPY_OUTLET in wire
    assert f'href="/articles/{wired.quota_copy.id}"' in wire
    why = section(html, "why")
    assert "<b>For:</b>" not in why and '<span class="dir">For:</span> names the same people' in why
    assert '<span class="dir">Against:</span> lacks 20 % of the names' in why
    assert "Wire copy of «Dansk minister kutter sildekvoten»" in why
    # Raw model terms only behind a disclosure, never as the explanation itself.
    assert why.count("<details") == why.count("</details>") >= 1
    outside = re.sub(r"<details.*?</details>", "", why, flags=re.S)
    assert "bias" not in outside and "contribution" not in outside
    claims = section(html, "claims")
    assert claims.count('<figure class="rendering"') == 2, "the copy's identical words share one rendering"
    assert f'avisa-no</a> <span class="muted nowrap">2026-03-11</span>, <a href="/articles/{wired.quota_copy.id}"' \
        in claims


def test_serve_story_view_web_marks_languages_of_quotes_and_titles(api_client: Any, corpus: Corpus) -> None:
    html = api_client.get(f"/stories/{QUOTA_STORY}").text
    assert '<h1 lang="da">Sildekvoten skæres ned</h1>' in html
    quotes = section(html, "quotes")
    assert f'<q class="quote-direct" lang="nb">{FUND_NB}</q>' in quotes
    assert f'<q class="quote-direct" lang="da">{CUT_DA}</q>' in quotes
    # Switching the summary language is a link named by the language, marked with the language it leads to.
    assert '<a class="lang-choice" href="?lang=nb" hreflang="nb">Norwegian Bokmål</a>' in html
    assert 'aria-current="true"' in html
