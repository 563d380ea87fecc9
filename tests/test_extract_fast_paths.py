"""Shortcuts in the analysis stages (issue 6, speed) give exactly what the long way gives: date patterns are
skipped only where they cannot match, the quote finders' words come from one pass over the text, and the
language-ID word look-up is done in sorted order."""

from __future__ import annotations

import random
import re
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from storyline.detect import lexicon
from storyline.extract import dates
from storyline.extract.dates import UNSAFE_TO_LOWER, find_dates, needles
from storyline.extract.entities import Mentions
from storyline.extract.quote_lexicon import words_in
from storyline.extract.speakers import SpeakerContext
from tests.conftest import SAMPLES

_DATED = [
    "Mødet fandt sted 11. juli 2023, og et nyt er sat til 28 juni-3 juli.",
    "I går kveld sa hun at avtalen fra 04.11.97 og 2023-07-11 gjelder til i 2030.",
    "Tirsdag 14. mai 2019 og i tisdags, neste lørdag og natt til søndag.",
    "I MAI I FJOR OG I HELGEN, FORRIGE UKE OG I ÅR.",
    "On July 11, 2023 and on March 3rd she said the deal from June 2020 holds.",
    "Den 7 juni og 11.–12. juli, i fredags og på fredag, i begynnelsen av august.",
    "Frem til 2030 og siden 2004; inden 2030 i Jan Mayen.",
    "ſøndag i İstanbul (ıstanbul): the unsafe letters take the long way.",
]


def _texts() -> list[str]:
    samples = [p.read_text(encoding="utf-8") for p in sorted((SAMPLES / "articles").glob("*.txt"))]
    return _DATED + samples


def _full_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every text look unsafe to lower-case: every pattern is then scanned, as before the shortcut."""
    monkeypatch.setattr(dates, "_UNSAFE_RE", re.compile(""))


def test_extract_dates_fast_path_finds_what_the_full_scan_finds(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [v for t in _texts() for v in (t, t.upper(), t.swapcase())]
    anchors = [None, date(2024, 3, 13), date(2023, 1, 2)]
    fast = [find_dates(t, a, "published", lang) for t in texts for a in anchors for lang in ("da", "sv")]
    _full_scan(monkeypatch)
    full = [find_dates(t, a, "published", lang) for t in texts for a in anchors for lang in ("da", "sv")]
    assert fast == full
    assert sum(map(len, full)) > 100  # the texts do hold dates of every kind


def test_extract_dates_fast_path_skips_patterns_without_their_words() -> None:
    plain = dates._Scan("Regeringen fremlagde et forslag om havnen, og oppositionen er imod det.")
    assert not any(plain.may_match(name) for name in dates._patterns())
    dated = dates._Scan("I går kveld, 11. juli, sa hun at mødet i juli 2023 var vigtigt.")
    assert {name for name in dates._patterns() if dated.may_match(name)} >= {
        "relative", "day_month", "month_year", "month"}
    # a month with no number beside it is no "11. juli" and no "juli 2023"
    month_only = dates._Scan("Det var en varm juli for alle.")
    assert not month_only.may_match("day_month") and not month_only.may_match("month_year")


def test_extract_dates_fast_path_unsafe_letters_cover_every_code_point() -> None:
    """The shortcut reads lower-cased text: that is exact only where a character's lower case is the one
    character the regex engine compares it as under IGNORECASE, and keeps it a word character or not."""
    everything = "".join(chr(i) for i in range(0x110000) if not 0xD800 <= i < 0xE000)
    lowered = everything.lower()
    assert len(lowered) == len(everything) + sum(len(c.lower()) - 1 for c in UNSAFE_TO_LOWER)
    safe = "".join(c for c in everything if c not in UNSAFE_TO_LOWER)
    assert len(safe.lower()) == len(safe)  # one character each
    word = re.compile(r"\w")
    assert [m.start() for m in word.finditer(safe)] == [m.start() for m in word.finditer(safe.lower())]
    vocabulary = {w for n in needles().values() if n is not None for runs in n.words for w in runs}
    vocabulary |= {w for n in needles().values() if n is not None for w in n.before}
    for letter in sorted({c for w in vocabulary for c in w}):
        matched = re.findall(re.escape(letter), everything, re.IGNORECASE)
        assert {c for c in matched if c.lower() != letter} <= set(UNSAFE_TO_LOWER), letter


def test_speakers_words_are_the_words_of_the_stretch() -> None:
    rng = random.Random(6)
    for text in _texts()[:12]:
        ctx = SpeakerContext.build(text, [(0, len(text))], Mentions())
        bounds = [0, len(text), len(text) + 5, *(rng.randrange(len(text)) for _ in range(60))]
        every = words_in(text, 0, len(text))
        bounds += [w.start for w in every[::7]] + [w.end for w in every[::5]]
        for start in bounds:
            for end in rng.sample(bounds, 8):
                assert ctx.words(start, end) == words_in(text, start, end), (start, end)
                assert ctx.lows(start, end) == [w.low for w in words_in(text, start, end)]


def test_detect_lexicon_lookup_in_sorted_order_finds_the_same_rows() -> None:
    rng = np.random.default_rng(3)
    keys = np.unique(rng.integers(0, 2**63, 5000, dtype=np.uint64))
    table = rng.random((len(keys), 3)).astype(np.float32)
    queries = np.concatenate([keys[rng.integers(0, len(keys), 300)], rng.integers(0, 2**63, 300, dtype=np.uint64),
                              np.array([0, 2**64 - 1], dtype=np.uint64)])
    rng.shuffle(queries)
    rows, found = lexicon._lookup(keys, table, queries)
    idx = np.minimum(np.searchsorted(keys, queries), len(keys) - 1)
    assert (found == (keys[idx] == queries)).all() and found.sum() >= 300
    assert (rows == table[idx] * found[:, None]).all()


def test_extract_fast_paths_sample_files_exist() -> None:
    assert len(list(Path(SAMPLES / "articles").glob("*.txt"))) > 20
