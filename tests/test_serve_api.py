"""The REST API over a real SQLite store filled with hand-built, linked articles."""

from __future__ import annotations

from typing import Any

import pytest

from tests.serve_stories import OTHER, STORY, Corpus, fill_store


@pytest.fixture
def corpus(store: Any) -> Corpus:
    return fill_store(store)


def test_serve_api_lists_stories_with_article_counts(api_client: Any, corpus: Corpus) -> None:
    stories = {s["id"]: s for s in api_client.get("/api/stories").json()}
    assert set(stories) == {STORY, OTHER, "s-xss"}
    ferry = stories[STORY]
    assert ferry["article_count"] == 3 == len(ferry["articles"])
    assert ferry["languages"] == ["da", "nb", "sv"]
    assert ferry["first_published"].startswith("2026-03-02")


def test_serve_api_pages_stories_with_limit_and_offset(api_client: Any, corpus: Corpus) -> None:
    first = api_client.get("/api/stories", params={"limit": 2}).json()
    rest = api_client.get("/api/stories", params={"limit": 2, "offset": 2}).json()
    assert len(first) == 2 and len(rest) == 1
    assert {s["id"] for s in first} | {s["id"] for s in rest} == {STORY, OTHER, "s-xss"}


def test_serve_api_story_has_articles_outlets_and_timeline(api_client: Any, corpus: Corpus) -> None:
    story = api_client.get(f"/api/stories/{STORY}").json()
    assert story["redirected_from"] is None
    assert [a["id"] for a in story["article_list"]] == [
        corpus.ferry_da.id,
        corpus.ferry_nb.id,
        corpus.ferry_sv.id,
    ]
    assert story["article_list"][1]["url"] == corpus.ferry_nb.url
    assert {o["name"] for o in story["outlets"]} == {"dagbladet-dk", "avisa-no", "tidningen-se"}
    mentioned = [e for e in story["timeline"] if e["kind"] == "mentioned"]
    # The Danish and Norwegian texts write 2 March differently; the timeline shows one event for both.
    assert len(mentioned) == 1
    assert mentioned[0]["date"] == "2026-03-02"
    assert set(mentioned[0]["article_ids"]) == {corpus.ferry_da.id, corpus.ferry_nb.id}
    dates = [e["date"] for e in story["timeline"]]
    assert dates == sorted(dates)


def test_serve_api_story_entities_keep_surface_form_per_language(api_client: Any, corpus: Corpus) -> None:
    entities = {e["key"]: e for e in api_client.get(f"/api/stories/{STORY}").json()["entities"]}
    island = entities["loc:nordo"]
    assert island["count"] == 3 and island["article_count"] == 3
    assert island["surface"] == {"da": "Nordø", "nb": "Nordøy", "sv": "Nordö"}
    assert entities["per:lise_holm"]["type"] == "PER"


def test_serve_api_story_groups_quotes_by_speaker_across_languages(api_client: Any, corpus: Corpus) -> None:
    story = api_client.get(f"/api/stories/{STORY}").json()
    first = story["quote_groups"][0]
    assert first["speaker_key"] == "per:lise_holm"
    assert first["languages"] == ["da", "nb"]
    assert [q["article_id"] for q in first["quotes"]] == [corpus.ferry_da.id, corpus.ferry_nb.id]
    flat = story["quotes"]
    assert [q["speaker_key"] for q in flat] == ["per:lise_holm", "per:lise_holm", "per:jonas_berg"]
    assert flat[2] == {
        "speaker": "Jonas Berg",
        "speaker_key": "per:jonas_berg",
        "text": "Vi följer läget,",
        "kind": "direct",
        "language": "sv",
        "article_id": corpus.ferry_sv.id,
        "source": "tidningen-se",
        "published": "2026-03-04T09:00:00+00:00",
    }


def test_serve_api_story_explains_links_strongest_feature_first(api_client: Any, corpus: Corpus) -> None:
    why = {x["article_id"]: x for x in api_client.get(f"/api/stories/{STORY}").json()["explanations"]}
    assert why[corpus.ferry_da.id]["action"] == "new"
    joined = why[corpus.ferry_nb.id]
    assert joined["action"] == "join" and joined["score"] == pytest.approx(0.72)
    assert [f["name"] for f in joined["features"]] == ["entity_overlap", "title_similarity", "time_gap_days"]


def test_serve_api_follows_merge_tombstone(api_client: Any, store: Any, corpus: Corpus) -> None:
    store.merge_stories(STORY, OTHER, {"entity_overlap": 0.5})
    story = api_client.get(f"/api/stories/{OTHER}").json()
    assert story["id"] == STORY
    assert story["redirected_from"] == OTHER
    assert corpus.bridge.id in {a["id"] for a in story["article_list"]}
    assert OTHER not in {s["id"] for s in api_client.get("/api/stories").json()}


def test_serve_api_article_is_the_analyze_shape_plus_link(api_client: Any, corpus: Corpus) -> None:
    body = api_client.get(f"/api/articles/{corpus.ferry_nb.id}").json()
    expected = corpus.ferry_nb.to_json()
    for key in ("id", "title", "source", "url", "language", "text", "story", "entities", "quotes", "dates"):
        assert body[key] == expected[key], key
    assert [p["text"] for p in body["paragraphs"]] == corpus.ferry_nb.paragraph_texts()
    assert body["link"]["story_id"] == STORY
    assert body["link"]["features"]["entity_overlap"] == pytest.approx(0.81)


def test_serve_api_search_finds_articles(api_client: Any, corpus: Corpus) -> None:
    hits = api_client.get("/api/search", params={"q": "Nordøy"}).json()
    assert [h["id"] for h in hits] == [corpus.ferry_nb.id]
    assert hits[0]["story"] == STORY and "Nordøy" in hits[0]["snippet"]


def test_serve_api_changes_since_sequence(api_client: Any, store: Any, corpus: Corpus) -> None:
    log = api_client.get("/api/changes").json()
    assert [c["action"] for c in log[:3]] == ["create", "join", "join"]
    assert log[1]["article"] == corpus.ferry_nb.id
    later = api_client.get("/api/changes", params={"since": log[-1]["seq"]}).json()
    assert later == []
    store.merge_stories(STORY, OTHER)
    merged = api_client.get("/api/changes", params={"since": log[-1]["seq"]}).json()
    assert [c["action"] for c in merged] == ["merge"]


def test_serve_api_openapi_documents_paths_and_error_shape(api_client: Any) -> None:
    schema = api_client.get("/openapi.json").json()
    paths = set(schema["paths"])
    assert {
        "/api/stories",
        "/api/stories/{story_id}",
        "/api/articles/{article_id}",
        "/api/search",
        "/api/changes",
    } <= paths
    assert not any(p == "/" or p.startswith("/stories") for p in paths), (
        "web pages stay out of the API schema"
    )
    not_found = schema["paths"]["/api/stories/{story_id}"]["get"]["responses"]["404"]
    assert not_found["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorResponse")
    assert "StoryDetail" in schema["components"]["schemas"]
