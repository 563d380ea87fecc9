"""The real app under uvicorn, loaded by headless Chromium: the pages render for a browser, not only httpx."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.staticfiles import StaticFiles

from tests.serve_stories import CUT_DA, CUT_NB, QUOTA_STORY, STORY, fill_store, section

CHROMIUM = Path("/usr/bin/chromium")
PHONE_WIDTH = 390  # CSS px of a common phone in portrait

# Loads each page named in the URL fragment in a PHONE_WIDTH-wide frame, then writes per page: the document's
# scroll width (wider than the frame = the reader must scroll sideways) and where the skip link sits once it
# has keyboard focus (it must come on screen).
PHONE_PROBE = """<!doctype html><html><body><pre id="out">pending</pre><script>
const pages = JSON.parse(decodeURIComponent(location.hash.slice(1)));
const out = {}; let left = pages.length;
for (const page of pages) {
  const frame = document.createElement("iframe");
  frame.style.width = "PHONE_WIDTHpx"; frame.style.height = "900px"; frame.style.border = "0";
  frame.onload = () => {
    const doc = frame.contentDocument, skip = doc.querySelector("a.skip");
    skip.focus();
    out[page] = {scroll: doc.documentElement.scrollWidth, client: doc.documentElement.clientWidth,
                 skipLeft: skip.getBoundingClientRect().left};
    if (--left === 0) document.getElementById("out").textContent = JSON.stringify(out);
  };
  frame.src = page; document.body.appendChild(frame);
}
</script></body></html>""".replace("PHONE_WIDTH", str(PHONE_WIDTH))

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
def live_url(store: Any, tmp_path: Path) -> Iterator[str]:
    """The app served by a real uvicorn on 127.0.0.1 in a background thread."""
    import uvicorn

    from storyline.serve import create_app

    fill_store(store, quota=True)
    app = create_app(store)
    # A test-only page on the same origin that loads the real pages in phone-sized frames and measures them.
    probe = tmp_path / "probe"
    probe.mkdir()
    (probe / "phone.html").write_text(PHONE_PROBE, encoding="utf-8")
    app.mount("/_probe", StaticFiles(directory=probe), name="probe")
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
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
    assert '<h1 lang="da">Færgen til Havneby aflyst efter storm</h1>' in story
    assert '<table class="quotes stack">' in story
    assert "Vi setter inn ekstra avganger fra onsdag" in story


def test_web_browser_renders_aligned_claims_and_event_timeline(live_url: str, tmp_path: Path) -> None:
    page = chromium(tmp_path, "--dump-dom", f"{live_url}/stories/{QUOTA_STORY}")
    claims = section(page, "claims")
    # One statement, two renderings side by side, each with its language badge.
    assert claims.count('class="rendering"') == 2
    assert CUT_DA in claims and CUT_NB in claims
    assert '<span class="badge lang-da"' in claims and '<span class="badge lang-nb"' in claims
    timeline = section(page, "timeline")
    assert 'id="event-e-quota-cut"' in timeline and 'id="event-e-quota-reaction"' in timeline
    assert "2026-04-01" in timeline, "a date from the text, not only publication days"
    assert '<p class="summary" lang="da">' in page


def test_web_browser_screenshots_story_page(live_url: str, tmp_path: Path) -> None:
    shot = tmp_path / "story.png"
    chromium(tmp_path, f"--screenshot={shot}", "--window-size=1200,900", f"{live_url}/stories/{STORY}")
    assert shot.exists() and shot.stat().st_size > 10_000, "a rendered page, not a blank one"


def test_web_browser_phone_width_pages_fit_and_skip_link_shows(live_url: str, tmp_path: Path) -> None:
    """At 390 px nothing makes the reader scroll sideways, and the keyboard's skip link comes into view."""
    pages = ["/", f"/stories/{STORY}", f"/stories/{QUOTA_STORY}", "/search?q=Havneby", "/docs", "/stories/s-nope"]
    dom = chromium(tmp_path, "--virtual-time-budget=15000", "--dump-dom",
                   f"{live_url}/_probe/phone.html#{quote(json.dumps(pages))}")
    found = re.search(r'<pre id="out">(.*?)</pre>', dom, flags=re.S)
    assert found and found.group(1) != "pending", dom[-2000:]
    measured = json.loads(found.group(1).replace("&quot;", '"'))
    assert set(measured) == set(pages)
    for page, m in measured.items():
        assert m["client"] <= PHONE_WIDTH and m["scroll"] <= m["client"], (page, m)
        assert m["skipLeft"] >= 0, (page, "the focused skip link stays off screen")
