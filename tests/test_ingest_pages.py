"""Page metadata over heuristics (JSON-LD, og:title, the <article>'s <h1>), the <article> body in document order,
trafilatura JSON fields, link lists in feed HTML and site menus above a text's headline. Fictional pages."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import lxml.html  # type: ignore[import-untyped]

from storyline.ingest import read_inputs
from storyline.ingest.feeds import html_to_text
from storyline.ingest.pagebody import article_lines, covers
from storyline.ingest.pagemeta import PageMeta, json_ld, page_title
from storyline.models import Article
from storyline.settings import Settings

BODY = ("<p>Kommunestyret i Tromsø vedtok torsdag å bygge en ny svømmehall ved Templarheimen for 400 millioner "
        "kroner.</p><p>Hallen skal etter planen åpne høsten 2027.</p>")


def _page(tmp_path: Path, head: str, body: str, name: str = "page.html") -> Article:
    path = tmp_path / name
    path.write_text(f"<!DOCTYPE html><html lang='nb'><head><meta charset='utf-8'>{head}</head>"
                    f"<body>{body}</body></html>", encoding="utf-8")
    (article,) = read_inputs([str(path)], Settings())
    assert article.rejected is None, article.rejected
    return article


def _ld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def test_ingest_html_json_ld_headline_and_time_beat_the_site_title(tmp_path: Path) -> None:
    head = "<title>Nyheter | Nordlys Nett</title>" + _ld(
        {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Tromsø får ny svømmehall",
         "datePublished": "2024-05-02T08:30:00+02:00"})
    article = _page(tmp_path, head, f"<article><h1>Tromsø får ny svømmehall</h1>{BODY}</article>")
    assert article.title == "Tromsø får ny svømmehall"
    assert article.published == datetime(2024, 5, 2, 8, 30, tzinfo=timezone(timedelta(hours=2)))
    assert article.published_precision == "exact"
    assert not article.raw_text.startswith("Tromsø får ny svømmehall")  # the <h1> is the title, not body


def test_ingest_html_json_ld_in_graph_and_lists() -> None:
    graph = {"@graph": [{"@type": "WebSite", "name": "X"},
                        {"@type": ["NewsArticle"], "headline": "A &amp; B", "datePublished": "2024-01-02"}]}
    listed = [{"@type": "Organization", "name": "X"}, {"@type": "ReportageNewsArticle", "headline": "C"}]
    for data, headline in ((graph, "A & B"), (listed, "C")):
        tree = lxml.html.document_fromstring(f"<html><head>{_ld(data)}</head><body><p>x</p></body></html>")
        assert json_ld(tree).headline == headline
    broken = '<script type="application/ld+json">{"@type": "NewsArticle", "headline": </script>'
    assert json_ld(lxml.html.document_fromstring(f"<html><head>{broken}</head></html>")) == PageMeta()


def test_ingest_html_broken_json_ld_falls_back_to_meta_tags(tmp_path: Path) -> None:
    head = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": </script>'
            '<meta property="og:title" content="Tromsø får ny svømmehall">'
            '<meta property="article:published_time" content="2024-05-02T06:30:00Z">')
    article = _page(tmp_path, head, f"<article>{BODY}</article>")
    assert article.title == "Tromsø får ny svømmehall"
    assert article.published == datetime(2024, 5, 2, 6, 30, tzinfo=UTC)


def test_ingest_html_og_title_with_site_name_gives_way_to_the_h1() -> None:
    tree = lxml.html.document_fromstring(
        '<html><head><meta property="og:title" content="Tromsø får ny svømmehall | Nordlys Nett"></head>'
        "<body><article><h1>Tromsø får ny svømmehall</h1><p>x</p></article></body></html>")
    assert page_title(tree, json_ld(tree), "Nordlys Nett") == "Tromsø får ny svømmehall"


def test_ingest_html_h1_of_the_only_article_is_the_title_without_metadata(tmp_path: Path) -> None:
    article = _page(tmp_path, "<title>Nyheter - Nordlys Nett</title>",
                    f"<div><span>Meny</span></div><article><h1>Tromsø får ny svømmehall</h1>{BODY}</article>")
    assert article.title == "Tromsø får ny svømmehall"


def test_ingest_html_text_date_is_not_guessed_from_the_body(tmp_path: Path) -> None:
    # No date in the markup: the page's printed line is the clean stage's to read, not a guess from "© 2024".
    article = _page(tmp_path, "<title>Svømmehall</title>",
                    f"<article><h1>Svømmehall</h1>{BODY}</article><footer><p>© 2024 Nordlys Nett</p></footer>")
    assert article.published is None


def test_ingest_html_kicker_above_the_headline_is_dropped(tmp_path: Path) -> None:
    head = '<meta property="og:title" content="Tromsø får ny svømmehall">'
    article = _page(tmp_path, head, f"<article><p>Tromsø</p><h1>Tromsø får ny svømmehall</h1>{BODY}</article>")
    assert article.raw_text.startswith("Kommunestyret i Tromsø vedtok")


def test_ingest_html_article_body_keeps_document_order_and_headings() -> None:
    page = ("<html><body><article><h1>Flom</h1><p class='lead'>Elva går over sine bredder i Otta, og kommunen "
            "følger situasjonen.</p><div class='entry'><time>14:32</time><h2>Evakuerer boliger</h2>"
            "<p>Politiet evakuerer 60 boliger nær elva i Otta sentrum.</p></div>"
            "<aside><p>Les også</p></aside><figure><figcaption>Foto: NTB</figcaption></figure>"
            "<a href='/x'><h3>Teaserkort</h3><p>Sammendrag</p></a><nav>Meny</nav></article></body></html>")
    lines = article_lines(lxml.html.document_fromstring(page))
    assert lines == ["Flom", "Elva går over sine bredder i Otta, og kommunen følger situasjonen.", "14:32",
                     "Evakuerer boliger", "Politiet evakuerer 60 boliger nær elva i Otta sentrum."]


def test_ingest_html_several_articles_are_an_index_not_one_article() -> None:
    page = "<html><body><article><h3>A</h3></article><article><h3>B</h3></article></body></html>"
    assert article_lines(lxml.html.document_fromstring(page)) is None


def test_ingest_html_article_body_used_only_when_it_holds_what_trafilatura_found() -> None:
    extracted = ["Første avsnitt i saken.", "- Andre avsnitt", "Tredje avsnitt."]
    assert covers(["Første avsnitt i saken.", "Andre avsnitt", "Tredje avsnitt.", "14:32"], extracted)
    assert not covers(["Første avsnitt i saken."], extracted)  # the <article> wraps only the top of the page
    assert not covers([*extracted, "kommentar " * 200], extracted)  # a comment thread trafilatura left out


def test_ingest_jsonl_trafilatura_fields_url_is_not_the_outlet(tmp_path: Path) -> None:
    record = {"title": "Ny färjelinje", "text": "Färjan går fyra gånger om dagen under sommaren.",
              "source": "https://ystadsnytt.example/farja", "source-hostname": "Ystads Nytt",
              "hostname": "ystadsnytt.example", "date": "2024-06-02"}
    path = tmp_path / "t.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    (article,) = read_inputs([str(path)], Settings())
    assert (article.source, article.url) == ("Ystads Nytt", "https://ystadsnytt.example/farja")
    record.pop("source-hostname")
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    (article,) = read_inputs([str(path)], Settings())
    assert article.source == "ystadsnytt.example"


def test_ingest_feed_html_link_lists_are_dropped_prose_links_kept() -> None:
    text = html_to_text("<p>Broen åpner <a href='/a'>lørdag</a> for trafikk.</p><h3>Les også</h3>"
                        "<ul><li><a href='/b'>Slik blir den nye bydelen</a></li><li><a href='/c'>Køen på E6</a></li>"
                        "</ul><p><a href='/d'>Ferjene er innstilt</a></p>")
    assert text == "Broen åpner lørdag for trafikk.\n\nLes også"


def test_ingest_text_menu_above_the_headline_is_not_the_title(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Hopp til innhold\nNyheter\nSport\nKultur\n\nSvømmehallen i Tromsø blir dyrere\n\n"
                    "Kommunen må betale 40 millioner kroner mer enn planlagt for den nye hallen.\n", encoding="utf-8")
    (article,) = read_inputs([str(path)], Settings())
    assert article.title == "Svømmehallen i Tromsø blir dyrere"
    assert article.raw_text.startswith("Hopp til innhold\nNyheter")  # left for the clean stage to remove
    assert "Svømmehallen i Tromsø blir dyrere" not in article.raw_text


def test_ingest_text_two_short_lines_are_a_title_and_kicker_not_a_menu(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Budsjett vedtatt\nStor uenighet\nKommunestyret vedtok budsjettet etter en lang debatt.\n",
                    encoding="utf-8")
    (article,) = read_inputs([str(path)], Settings())
    assert article.title == "Budsjett vedtatt"
