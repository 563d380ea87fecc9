"""The HTML pages over a real SQLite store: content present, text escaped, merged stories redirected."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.serve_stories import OTHER, STORY, XSS_STORY, XSS_TITLE, Corpus, fill_store


@pytest.fixture
def corpus(store: Any) -> Corpus:
    return fill_store(store)


def test_serve_web_index_lists_stories_with_languages_and_outlets(api_client: Any, corpus: Corpus) -> None:
    r = api_client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    html = r.text
    assert f'href="/stories/{STORY}"' in html
    assert "Færgen til Havneby aflyst efter storm" in html
    for lang in ("da", "nb", "sv"):
        assert f'class="badge lang-{lang}"' in html
    assert "tidningen-se" in html and "3 articles" in html
    assert "2026-03-02 – 2026-03-04" in html


def test_serve_web_story_page_shows_title_quotes_and_explanations(api_client: Any, corpus: Corpus) -> None:
    html = api_client.get(f"/stories/{STORY}").text
    assert "<h1>Færgen til Havneby aflyst efter storm</h1>" in html
    assert "Vi setter inn ekstra avganger fra onsdag" in html
    assert f'href="{corpus.ferry_nb.url}"' in html, "article titles link to the source"
    assert "entity overlap" in html and "0.81" in html
    assert "Nordøy" in html, "an entity shows its surface form in each language"


def test_serve_web_story_page_groups_one_speakers_quotes_together(api_client: Any, corpus: Corpus) -> None:
    html = api_client.get(f"/stories/{STORY}").text
    groups = re.findall(r'<tbody class="speaker-group">(.*?)</tbody>', html, flags=re.S)
    assert len(groups) == 2
    holm = groups[0]
    # The Danish and the Norwegian statement sit in one group under one speaker cell spanning both rows.
    assert 'rowspan="2"' in holm and "Lise Holm" in holm
    assert "Vi beklager over for alle passagerer," in holm and "Vi setter inn ekstra avganger" in holm
    assert "Jonas Berg" in groups[1]


def test_serve_web_escapes_article_text(api_client: Any, corpus: Corpus) -> None:
    for path in ("/", f"/stories/{XSS_STORY}", f"/articles/{corpus.xss.id}"):
        html = api_client.get(path).text
        assert "<script>" not in html, path
        assert "<b>evil</b>" not in html and "<i>Mallory</i>" not in html, path
    story = api_client.get(f"/stories/{XSS_STORY}").text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Havneby &amp; co" in story
    assert XSS_TITLE not in story


def test_serve_web_merged_story_redirects_to_live_story(api_client: Any, store: Any, corpus: Corpus) -> None:
    store.merge_stories(STORY, OTHER)
    r = api_client.get(f"/stories/{OTHER}", follow_redirects=False)
    assert r.status_code == 301
    assert r.headers["location"].startswith(f"/stories/{STORY}")
    page = api_client.get(f"/stories/{OTHER}")
    assert page.status_code == 200
    assert "was merged into this one" in page.text and "Ny bro til Nordø åbner" in page.text


def test_serve_web_article_page_styles_subheadings_and_marks_quotes(api_client: Any, corpus: Corpus) -> None:
    html = api_client.get(f"/articles/{corpus.ferry_da.id}").text
    assert '<h3 class="subheading">Rederiet undskylder' in html
    assert re.search(r'<span class="quote quote-direct"[^>]*>Vi beklager', html)
    assert re.search(r'<span class="ent ent-per"[^>]*>Lise Holm</span>', html)
    assert f'href="/stories/{STORY}"' in html


def test_serve_web_search_page_and_stylesheet(api_client: Any, corpus: Corpus) -> None:
    html = api_client.get("/search", params={"q": "Nordøy"}).text
    assert f'href="/articles/{corpus.ferry_nb.id}"' in html and "1 result " in html
    css = api_client.get("/static/style.css")
    assert css.status_code == 200 and "text/css" in css.headers["content-type"]


def test_serve_web_empty_store_renders_a_hint(api_client: Any) -> None:
    html = api_client.get("/").text
    assert "No stories yet" in html
