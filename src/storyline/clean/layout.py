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
- A site menu printed above the article: a run of short capitalised lines at the very top ("Nyheter", "Sport",
  "Kultur", with skip links and "Meny"/"Søk" among them) before the first real line.
- Single share targets on their own lines ("Facebook", "E-post") next to a share line ("Del artikkelen").
- The name line of a byline whose e-mail address sits on the next line ("Anna Berg" / "anna.berg@…").
- A paywall box ends the free text: short lines after its last recognised line ("Kjøp abonnement" / "for 5 kr
  første måned") are the rest of the box or the page footer.

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
    is_share_button,
    starts_with_dash,
    words_at_most,
)

Verdict = str | None

# A caption is a sentence or two; a longer line before a credit is article text and the photo had no caption.
CAPTION_MAX_WORDS = 30
NAVIGATION_MAX_WORDS = 12
# The longest teaser label in markers.json ("Læs hele artiklen", "More on this story") has four words.
LABEL_MAX_WORDS = 4
# A menu is at least three items in a row, each a word or three ("Nyheter", "Innenriks", "Meny", "Logg inn"); a
# kicker over a headline ("Trafik") is one short line, and a short headline is followed by longer lines.
MENU_MIN_LINES = 3
MENU_ITEM_MAX_WORDS = 3
# A byline's name line: a name of two to four words.
BYLINE_NAME_MAX_WORDS = 4
# Lines after a paywall prompt are the box's small print (prices, terms) when there are at most this many and none
# is longer than this; a prompt in mid-article followed by more article text leaves that text alone.
PAYWALL_TAIL_MAX_WORDS = 12
PAYWALL_TAIL_MAX_LINES = 5
# Bullets as trafilatura and list-flattening write list items; an en dash opens a quote, not a list item.
_BULLETS = ("- ", "• ", "· ", "* ")


def mark_context(texts: Sequence[str], blocks: Sequence[int], spaced: bool, verdicts: list[Verdict]) -> None:
    """Fill in `verdicts` (one per line of `texts`, `blocks` giving each line's block number) in place."""
    _mark_share_buttons(texts, verdicts)
    _mark_menu(texts, verdicts)
    _mark_navigation(texts, verdicts)
    _mark_teasers(texts, blocks, spaced, verdicts)
    _mark_captions(texts, blocks, spaced, verdicts)
    _mark_byline_names(texts, verdicts)
    _mark_paywall_tail(texts, verdicts)


def _mark_paywall_tail(texts: Sequence[str], verdicts: list[Verdict]) -> None:
    last = max((i for i, v in enumerate(verdicts) if v == "paywall"), default=-1)
    tail = [i for i in range(last + 1, len(texts)) if verdicts[i] is None]
    if last >= 0 and len(tail) <= PAYWALL_TAIL_MAX_LINES and all(
        len(texts[i].split()) <= PAYWALL_TAIL_MAX_WORDS for i in tail
    ):
        for i in tail:
            verdicts[i] = "paywall"


def _mark_share_buttons(texts: Sequence[str], verdicts: list[Verdict]) -> None:
    changed = True
    while changed:  # a row of buttons one per line: each newly marked line can mark the next
        changed = False
        for i, text in enumerate(texts):
            beside = (verdicts[j] for j in (i - 1, i + 1) if 0 <= j < len(texts))
            # the neighbours first: most lines have no share line beside them, and the button test splits the line
            if verdicts[i] is None and "share" in beside and is_share_button(text):
                verdicts[i] = "share"
                changed = True


def _is_menu_item(text: str) -> bool:
    words = text.split()
    return (0 < len(words) <= MENU_ITEM_MAX_WORDS and text[:1].isupper() and not ends_sentence(text)
            and not starts_with_dash(text))


def _mark_menu(texts: Sequence[str], verdicts: list[Verdict]) -> None:
    run: list[int] = []
    for i, text in enumerate(texts):
        if verdicts[i] is None and not _is_menu_item(text):
            break
        run.append(i)  # lines already judged residue (a skip link, "Logg inn") belong to the menu too
    else:
        return  # nothing after the short lines: a tiny text, not a menu above an article
    items = [i for i in run if verdicts[i] is None]
    if len(run) >= MENU_MIN_LINES and len(items) >= 2:
        for i in items:
            verdicts[i] = "navigation"


def _mark_byline_names(texts: Sequence[str], verdicts: list[Verdict]) -> None:
    for i in range(1, len(texts)):
        if verdicts[i] == "byline" and "@" in texts[i] and verdicts[i - 1] is None:
            name = texts[i - 1].split()
            if 2 <= len(name) <= BYLINE_NAME_MAX_WORDS and all(w[:1].isupper() for w in name) \
                    and not ends_sentence(texts[i - 1]):
                verdicts[i - 1] = "byline"


def _is_navigation_like(text: str) -> bool:
    has_words = bool(text) and not text.isspace()
    return (has_words and words_at_most(text, NAVIGATION_MAX_WORDS) and not ends_sentence(text)
            and not starts_with_dash(text))


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
        if not words_at_most(text, LABEL_MAX_WORDS) or not is_bare_read_more(text):
            continue
        following = [j for j in range(i + 1, len(texts)) if verdicts[j] is None]
        own = [j for j in following if blocks[j] == blocks[i]] if spaced else []
        nxt = [j for j in following if following and blocks[j] == blocks[following[0]]] if spaced else []
        if own or len(nxt) > 1:
            run = own or (nxt if all(_teaser_like(texts[j]) for j in nxt) else [])
            run = [j for j in run if _teaser_like(texts[j])]
        else:
            # One teaser per line (or per block when the text has blank lines): the run of headline-like lines.
            run = []
            for j in following:
                if not _teaser_like(texts[j]) or (spaced and run and blocks[j] == blocks[run[-1]]):
                    break
                run.append(j)
            if len(run) > 1 and run[-1] != following[-1] and not _bulleted(texts[run[-1]]):
                run = run[:-1]  # body text follows: the last heading is its subheading, not a teaser
        for j in run:
            verdicts[j] = "read_more"


def _bulleted(text: str) -> bool:
    return text.startswith(_BULLETS)


def _teaser_like(text: str) -> bool:
    if _bulleted(text):  # a linked list item ("- Sweden", "• Slik sparer du strøm")
        text = text[2:].lstrip()
        return bool(text) and not ends_sentence(text) and classify(text) is None and len(text.split()) <= 20
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
