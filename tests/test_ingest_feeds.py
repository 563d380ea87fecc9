"""RSS and Atom feeds fetched over a real HTTP server on 127.0.0.1, one article per entry."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from storyline.ingest import read_inputs
from storyline.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
Put = Callable[[str, bytes], str]


def test_ingest_rss_feed_over_http(http_server: Put) -> None:
    url = http_server("nyheter.rss", (FIXTURES / "feed.rss").read_bytes())
    first, second = read_inputs([url], Settings())
    assert (first.input_name, second.input_name) == (f"{url}#1", f"{url}#2")
    assert first.rejected is None and second.rejected is None
    assert first.title == "Ny tunnel åpner i Hardanger"
    assert first.url == "https://fjordposten.example/tunnel"
    assert first.source == "Fjordposten – Nyheter"
    assert first.published == datetime(2023, 6, 24, 8, 15, tzinfo=UTC)
    assert first.published_precision == "exact"
    assert first.raw_text.split("\n\n") == [
        "Den nye tunnelen under fjellet åpner lørdag, opplyser Statens vegvesen.",
        "– Dette har vi ventet på i tjue år, sier ordfører Eli Fjell.",
    ]
    assert first.meta["lang_hint"] == "nb"
    assert second.raw_text.startswith("Aldri før har så mange")


def test_ingest_atom_feed_over_http(http_server: Put) -> None:
    url = http_server("flode.atom", (FIXTURES / "feed.atom").read_bytes())
    [entry] = read_inputs([url], Settings())
    assert entry.input_name == f"{url}#1"
    assert entry.title == "Nya färjelinjen till Möja invigs"
    assert entry.url == "https://skargardsbladet.example/farja"
    assert entry.published == datetime(2023, 6, 24, 6, 30, tzinfo=UTC)
    assert entry.raw_text.split("\n\n")[1] == "– Äntligen slipper vi byta båt, säger Åsa Lind som bor på ön."
    assert entry.meta["lang_hint"] == "sv"


def test_ingest_feed_sniffed_from_content(http_server: Put) -> None:
    url = http_server("feed", (FIXTURES / "feed.rss").read_bytes())  # no extension, served as octet-stream
    assert len(list(read_inputs([url], Settings()))) == 2


def test_ingest_html_page_over_http(http_server: Put) -> None:
    url = http_server("cykelbro.html", (FIXTURES / "article.html").read_bytes())
    [article] = read_inputs([url], Settings())
    assert article.input_name == url
    assert article.title == "Ny cykelbro åbner i Aalborg"


def test_ingest_missing_url_is_fetch_rejection(http_server: Put) -> None:
    url = http_server("exists.txt", b"hello").replace("exists.txt", "missing.rss")
    [article] = read_inputs([url], Settings())
    assert article.rejected is not None and article.rejected.code == "ingest.fetch"
    assert url in article.rejected.message and "404" in article.rejected.message


def test_ingest_unparseable_feed_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "broken.rss"
    path.write_text("<rss><channel><title>Halv</title>", encoding="utf-8")
    [article] = read_inputs([str(path)], Settings())
    assert article.rejected is not None and article.rejected.code == "ingest.feed"
