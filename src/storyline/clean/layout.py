"""Residue that only shows in context: a line is judged by the lines around it, not by itself.

- Navigation repeated on the page (a menu or breadcrumb printed at the top and again at the bottom): a short line
  that is not a sentence and occurs more than once is navigation, and the short non-sentence lines after its last
  occurrence are the page footer.
- "Les også" / "Related Topics" labels standing alone: the headline-like lines right after them are the linked
  teasers. With blank lines, those are the rest of the label's block, or the next block when the label stands
  alone. Without, they are the run of headline-like lines after the label — except that when body text follows
  a run of two or more, the last one is the subheading of that text (a teaser list never ends on a heading
  that introduces the next paragraph; a subheading always does). A run that reaches the end of the page is
  all teasers (a "Related Topics" list closing the article).
- A caption whose credit sits on its own line ("Sykehuset har stått tomt siden 2021." / "Foto: Marius Dahl"): with
  blank lines in the text, the credit takes the rest of its block with it. Without blank lines nothing tells a
  caption from a body sentence before a credit (a photo may have no caption), so only the credit goes: losing
  article text is worse than keeping a caption.

Each rule marks lines in a list of verdicts (None = article text, else the residue kind), so the stage can count
what was removed and keep the rest with its source offsets.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from storyline.clean.paragraphs import looks_like_headline
from storyline.clean.residue import (
    classify,
    ends_sentence,
    is_bare_read_more,
    is_credit_line,
    starts_with_dash,
)

Verdict = str | None

# A caption is a sentence or two; a longer line before a credit is article text and the photo had no caption.
CAPTION_MAX_WORDS = 30
NAVIGATION_MAX_WORDS = 12
# The longest teaser label in markers.json ("Læs hele artiklen", "More on this story") has four words.
LABEL_MAX_WORDS = 4


def mark_context(texts: Sequence[str], blocks: Sequence[int], spaced: bool, verdicts: list[Verdict]) -> None:
    """Fill in `verdicts` (one per line of `texts`, `blocks` giving each line's block number) in place."""
    _mark_navigation(texts, verdicts)
    _mark_teasers(texts, blocks, spaced, verdicts)
    _mark_captions(texts, blocks, spaced, verdicts)


def _is_navigation_like(text: str) -> bool:
    words = text.split()
    return 0 < len(words) <= NAVIGATION_MAX_WORDS and not ends_sentence(text) and not starts_with_dash(text)


def _mark_navigation(texts: Sequence[str], verdicts: list[Verdict]) -> None:
    counts = Counter(t.casefold() for t in texts if _is_navigation_like(t))
    repeated = {t for t, n in counts.items() if n > 1}
    last = -1
    for i, text in enumerate(texts):
        if text.casefold() in repeated:
            verdicts[i] = "navigation"
            last = i
    if last < 0:
        return
    tail = range(last + 1, len(texts))
    if all(verdicts[i] is not None or _is_navigation_like(texts[i]) for i in tail):
        for i in tail:
            verdicts[i] = verdicts[i] or "navigation"


def _mark_teasers(texts: Sequence[str], blocks: Sequence[int], spaced: bool, verdicts: list[Verdict]) -> None:
    for i, text in enumerate(texts):
        if len(text.split()) > LABEL_MAX_WORDS or not is_bare_read_more(text):
            continue
        following = [j for j in range(i + 1, len(texts)) if verdicts[j] is None]
        if spaced:
            own = [j for j in following if blocks[j] == blocks[i]]
            nxt = [j for j in following if following and blocks[j] == blocks[following[0]]]
            run = own or (nxt if all(_teaser_like(texts[j]) for j in nxt) else [])
            run = [j for j in run if _teaser_like(texts[j])]
        else:
            run = []
            for j in following:
                if not _teaser_like(texts[j]):
                    break
                run.append(j)
            if len(run) > 1 and run[-1] != following[-1]:
                run = run[:-1]  # body text follows: the last heading is its subheading, not a teaser
        for j in run:
            verdicts[j] = "read_more"


def _teaser_like(text: str) -> bool:
    return looks_like_headline(text) and classify(text) is None


def _mark_captions(texts: Sequence[str], blocks: Sequence[int], spaced: bool, verdicts: list[Verdict]) -> None:
    for i, text in enumerate(texts):
        if not is_credit_line(text) or i == 0:
            continue
        before = [j for j in range(i - 1, -1, -1) if verdicts[j] is None]
        # The caption is what is left of the credit's own block.
        same_block = [j for j in before if blocks[j] == blocks[i]]
        if spaced and same_block and sum(len(texts[j].split()) for j in same_block) <= CAPTION_MAX_WORDS:
            for j in same_block:
                verdicts[j] = "caption"
