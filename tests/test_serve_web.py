"""The HTML pages over a real SQLite store: content present, text escaped, merged stories redirected."""

from __future__ import annotations

import itertools
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
    card = next(c for c in html.split('<li class="story-card">') if f'href="/stories/{STORY}"' in c)
    assert re.search(r'First seen</span> <time datetime="2026-03-02T09:00:00\+00:00">2026-03-02 09:00</time>', card)
    assert re.search(r'Last seen</span> <time datetime="2026-03-04[^"]*">2026-03-04 09:00</time>', card)
    # The headline is Danish on an English page: marked so screen readers and hyphenation use Danish.
    assert f'<a href="/stories/{STORY}" lang="da">' in card


def test_serve_web_story_page_shows_title_quotes_and_explanations(api_client: Any, corpus: Corpus) -> None:
    html = api_client.get(f"/stories/{STORY}").text
    assert '<h1 lang="da">Færgen til Havneby aflyst efter storm</h1>' in html
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
    # A subheading inside the text is the level below the page's h1 (no skipped heading level).
    assert '<h2 class="subheading">Rederiet undskylder' in html
    assert '<div class="main-col text" lang="da">' in html, "the body is marked as Danish on an English page"
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


def test_serve_web_unknown_story_page_says_what_to_do(api_client: Any) -> None:
    r = api_client.get("/stories/s-nope", headers={"accept": "text/html"})
    assert r.status_code == 404
    html = r.text
    assert "<h1>Not found</h1>" in html and "s-nope" in html
    assert "search for words from the headline" in html
    assert '<form class="search big" action="/search"' in html and '<label for="error-q">' in html
    assert '<a href="/">Go to the list of stories</a>' in html and "store.not_found" in html
    missing = api_client.get("/no/such/page", headers={"accept": "text/html"})
    assert missing.status_code == 404 and "There is no page at this address" in missing.text


def test_serve_web_pages_load_nothing_from_other_hosts(api_client: Any, corpus: Corpus) -> None:
    """Offline: no stylesheet, script, font or image from elsewhere, on any page (links to sources are fine)."""
    external = re.compile(r'<(?:link|script|img|iframe|source)\b[^>]*(?:href|src)="(?:https?:)?//', flags=re.I)
    pages = ["/", f"/stories/{STORY}", f"/articles/{corpus.ferry_da.id}", "/search?q=Havneby", "/docs",
             "/stories/s-nope"]
    for path in pages:
        html = api_client.get(path, headers={"accept": "text/html"}).text
        assert not external.search(html), path
        assert "@import" not in html and "url(http" not in html, path
    css = api_client.get("/static/style.css").text
    assert "url(" not in css and "@import" not in css and "@font-face" not in css


def test_serve_web_api_reference_is_served_without_a_cdn(api_client: Any) -> None:
    html = api_client.get("/docs").text
    assert "<h1>API reference</h1>" in html
    assert "<code>GET /api/stories/{story_id}</code>" in html and "<code>lang</code>" in html
    assert "cdn" not in html.lower()
    assert api_client.get("/redoc").status_code == 404


def test_serve_web_keyboard_and_screen_reader_basics(api_client: Any, corpus: Corpus) -> None:
    html = api_client.get(f"/stories/{STORY}").text
    assert html.index('<a class="skip" href="#main">') < html.index('<main id="main"')
    # Headings descend one level at a time: h1, then h2 sections, then h3 inside them.
    levels = [int(n) for n in re.findall(r"<h([1-6])\b", html)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), levels
    # Language badges say the language's name to screen readers, not a two-letter code.
    assert '<span class="sr-only">Danish </span><span aria-hidden="true">da</span>' in html
    css = api_client.get("/static/style.css").text
    assert ":focus-visible" in css and "opacity" not in css


def test_serve_web_search_names_the_stories_of_its_hits(api_client: Any, corpus: Corpus) -> None:
    html = api_client.get("/search", params={"q": "Havneby"}).text
    stories = html[html.index('<ul class="story-hits">'):html.index('<ul class="hits">')]
    assert f'<a href="/stories/{STORY}">Færgen til Havneby aflyst efter storm</a>' in stories
    assert "3 matching articles" in stories and "In 3 stories" in html


def test_serve_web_times_show_minutes_but_not_an_invented_midnight() -> None:
    from storyline.serve.web import short_time

    assert short_time("2026-03-02T09:05:00+01:00") == "2026-03-02 09:05"
    assert short_time("2026-03-02T00:00:00+00:00") == "2026-03-02", "a day-precision date has no time"
    assert short_time("2026-03") == "2026-03" and short_time(None) == "—"
