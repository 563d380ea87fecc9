"""The real app under uvicorn, loaded by headless Chromium: the pages render for a browser, not only httpx."""

from __future__ import annotations

import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.serve_stories import CUT_DA, CUT_NB, QUOTA_STORY, STORY, fill_store

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian Chromium at /usr/bin/chromium (apt-get install chromium)"
    ),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def live_url(store: Any) -> Iterator[str]:
    """The app served by a real uvicorn on 127.0.0.1 in a background thread."""
    import uvicorn

    from storyline.serve import create_app

    fill_store(store, quota=True)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(store), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start within 10 s")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def chromium(tmp_path: Path, *args: str) -> str:
    """Run headless Chromium with everything that would phone home switched off; returns stdout."""
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    cmd = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
        *args,
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_web_browser_renders_story_list_and_story_page(live_url: str, tmp_path: Path) -> None:
    index = chromium(tmp_path, "--dump-dom", f"{live_url}/")
    assert "Færgen til Havneby aflyst efter storm" in index
    assert f'href="/stories/{STORY}"' in index

    story = chromium(tmp_path, "--dump-dom", f"{live_url}/stories/{STORY}")
    assert "<h1>Færgen til Havneby aflyst efter storm</h1>" in story
    assert '<table class="quotes">' in story
    assert "Vi setter inn ekstra avganger fra onsdag" in story


def test_web_browser_renders_aligned_claims_and_event_timeline(live_url: str, tmp_path: Path) -> None:
    page = chromium(tmp_path, "--dump-dom", f"{live_url}/stories/{QUOTA_STORY}")
    claims = page[page.index('<section id="claims">'):page.index('<section id="quotes">')]
    # One statement, two renderings side by side, each with its language badge.
    assert claims.count('class="rendering"') == 2
    assert CUT_DA in claims and CUT_NB in claims
    assert '<span class="badge lang-da"' in claims and '<span class="badge lang-nb"' in claims
    timeline = page[page.index('<section id="timeline">'):page.index('<section id="why">')]
    assert 'id="event-e-quota-cut"' in timeline and 'id="event-e-quota-reaction"' in timeline
    assert "2026-04-01" in timeline, "a date from the text, not only publication days"
    assert '<p class="summary" lang="da">' in page


def test_web_browser_screenshots_story_page(live_url: str, tmp_path: Path) -> None:
    shot = tmp_path / "story.png"
    chromium(tmp_path, f"--screenshot={shot}", "--window-size=1200,900", f"{live_url}/stories/{STORY}")
    assert shot.exists() and shot.stat().st_size > 10_000, "a rendered page, not a blank one"
