"""The body of a page that marks its article up as one <article>, read in document order.

trafilatura finds the main text of any page, but it may reorder what it keeps (a live blog's lead came out after
its first entry) and drop short headings between entries. When the page holds exactly one <article>, that
element is the article by the page's own markup: it is flattened as it stands, minus what HTML itself marks as
not body text (navigation, asides, figures and their captions, footers, buttons), and the clean stage removes the
residue left in it as it does for any text. It is used only when it holds (nearly) everything trafilatura found
(the <article> may wrap just the headline on some sites): it adds headings and order, and loses at most one line
in ten of what trafilatura kept.
"""

from __future__ import annotations

import copy
from typing import Any

from storyline.ingest.feeds import element_text

# Elements that are by their HTML meaning not the article's running text.
_NOT_BODY = ("nav", "aside", "footer", "figure", "figcaption", "button", "svg", "select", "template", "dialog",
             "picture", "video", "audio")
# Share of trafilatura's lines the <article> text must hold before it replaces them: all of them, give or take
# a line trafilatura took from outside the element (a lead paragraph placed above the <article>).
MIN_COVERAGE = 0.9
# ... and at most this many times as much text: what trafilatura left out beyond that is boilerplate it recognised
# (a comment thread inside the <article>), which the clean stage does not look for. On the 24 one-<article>
# pages of tests/fixtures/clean and tests/fixtures/scraped the <article> held 1.0-1.53 times trafilatura's text.
MAX_GROWTH = 2.0
# Block elements inside a link: a teaser card (<a><h3>headline</h3><p>summary</p></a>), never running text.
_BLOCKS_IN_LINKS = ".//a[.//p or .//div or .//h2 or .//h3 or .//h4 or .//li or .//img]"
# trafilatura and list flattening write list items with a bullet; compared without it.
_BULLET = "- "


def article_lines(tree: Any) -> list[str] | None:
    """The paragraphs of the page's only <article>, in document order; None when it has none or several."""
    articles = tree.xpath("//article")
    if len(articles) != 1:
        return None  # an index of teaser cards, or no article markup at all
    root = copy.deepcopy(articles[0])
    root.tail = None
    for element in list(root.iter(*_NOT_BODY)):
        element.drop_tree()
    for element in root.xpath(_BLOCKS_IN_LINKS):
        element.drop_tree()
    for element in [e for e in root.iter() if e.get("hidden") is not None or e.get("aria-hidden") == "true"]:
        element.drop_tree()
    return [line for line in element_text(root).split("\n\n") if line]


def covers(candidate: list[str], extracted: list[str]) -> bool:
    """True when `candidate` holds (nearly) every line of `extracted` and not much besides."""
    if not extracted:
        return bool(candidate)
    if sum(map(len, candidate)) > MAX_GROWTH * sum(map(len, extracted)):
        return False
    have = {_key(line) for line in candidate}
    found = sum(_key(line) in have for line in extracted)
    return found >= MIN_COVERAGE * len(extracted)


def _key(line: str) -> str:
    return " ".join(line.split()).removeprefix(_BULLET)
