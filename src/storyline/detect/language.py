"""Language identification for da / nb / nn / sv / en (plus de, fi, is, fo) with `langidentify`.

How a decision is made
----------------------
`langidentify` gives, per language, an average n-gram log-probability (higher is better). The averages say
which language fits best but not how sure we can be: a 4-word line and a 200-word article with the same
averages carry very different evidence. So the averages are turned into logits scaled by the amount of text,

    logit(lang) = score(lang) * min(words, _MAX_WORDS) / _WORDS_PER_UNIT  (+ log prior, see below)

and the confidence is the softmax probability of the winner over the candidate languages. With the calibration
constants below, a one-line da/nb confusion (score gap ~0.7 over 12 words) comes out near 0.9 and a
one-sentence nb/nn call around 0.8, while a whole article is ~1.0.

Priors are weak on purpose: a declared language (HTML `lang`, a JSONL `language` field) or, for a paragraph,
the article's own language adds `_PRIOR_LOGIT` to the logits of the languages it names. That is enough to
decide a short or ambiguous text and far too little to override a paragraph that is clearly another language
(a Swedish quote inside a Norwegian article keeps "sv").

Output codes are da, nb, nn, sv, en, de, fi, is, fo or "other"; the model's Norwegian "no" is Bokmål and is
reported as "nb", so "no" is never emitted.
"""

from __future__ import annotations

import json
import math
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from storyline.errors import DetectError

_DATA = Path(__file__).with_name("data")

# Languages the model scores. Nordic news quotes and names many neighbours; including them keeps a German or
# French paragraph from being forced into the nearest Nordic language. Each extra language costs ~0.4 s of
# load and a little accuracy on the Nordic core (see _PRUNE_LOG_PROB).
_MODEL_LANGS = "da,no,nn,sv,en,de,fi,is,fr,es"
# Languages reported as themselves; everything else is "other".
OUTPUT_LANGS = frozenset({"da", "nb", "nn", "sv", "en", "de", "fi", "is", "fo"})
_MODEL_TO_OUTPUT = {"no": "nb"}

# Pruning of the full model's n-gram tables (log-probability floor), calibrated on nordicdsl-wikipedia
# test.csv. With 8 languages: floor -13 loads in 4.9 s and scores 0.963 on da/nb/nn/sv sentences, the unpruned
# model (floor 0) takes 12 s for 0.967, floor -10 takes 2.3 s for 0.943. With the 10 languages above and floor
# -13: 0.957 on da/nb/nn/sv, ~6 s load. Re-run `evaluate_langid` after changing either.
_PRUNE_LOG_PROB = -13.0

# Confidence calibration (see the module docstring): evidence saturates at _MAX_WORDS words.
_MAX_WORDS = 40
_WORDS_PER_UNIT = 4.0
# Weight of a declared or inherited language: e^1.1 ~ 3:1 odds, decisive only when the text is not.
_PRIOR_LOGIT = 1.1
# Paragraphs shorter than this (characters) carry too little signal and take the article's language.
MIN_PARAGRAPH_CHARS = 20

_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


@dataclass(frozen=True, slots=True)
class Guess:
    """Per-language model scores for one text, before priors; `words` is the amount of evidence."""

    scores: dict[str, float]
    words: int


@lru_cache(maxsize=1)
def _model() -> Any:
    from langidentify import Language, Model

    try:
        return Model.load_variant(
            "full", Language.from_comma_separated(_MODEL_LANGS), _PRUNE_LOG_PROB, _PRUNE_LOG_PROB
        )
    except (OSError, ValueError) as exc:
        raise DetectError(
            f"the langidentify full model could not be loaded: {exc}",
            code="detect.model",
            hint="install langidentify-full-model (pip install langidentify-full-model)",
        ) from exc


_local = threading.local()


def _detector() -> Any:
    """One Detector per thread: langidentify's Detector keeps scratch state and is not thread-safe."""
    det = getattr(_local, "detector", None)
    if det is None:
        from langidentify import Detector

        det = Detector(_model())
        _local.detector = det
    return det


@lru_cache(maxsize=1)
def _hint_table() -> dict[str, tuple[str, ...]]:
    raw = json.loads((_DATA / "language_hints.json").read_text(encoding="utf-8"))
    return {k: tuple(v) for k, v in raw["hints"].items()}


@lru_cache(maxsize=1)
def _faroese_words() -> tuple[frozenset[str], frozenset[str]]:
    raw = json.loads((_DATA / "faroese.json").read_text(encoding="utf-8"))
    return frozenset(raw["faroese"]), frozenset(raw["icelandic"])


def hint_languages(hint: str | None) -> tuple[str, ...]:
    """The output codes a declared language supports: "no" → (nb, nn), "dk" → (da,), "sv-SE" → (sv,)."""
    if not hint:
        return ()
    norm = hint.strip().lower().replace("_", "-")
    table = _hint_table()
    return table.get(norm) or table.get(norm.split("-")[0], ())


def score_text(text: str) -> Guess:
    """The model's per-language scores for `text` (output codes; "no" already renamed "nb")."""
    det = _detector()
    det.detect(text)
    res = det.results
    words = len(_WORD_RE.findall(text))
    langs = det.model.languages
    scores: dict[str, float] = {}
    if res.result is not None and res.result.iso_code != "un":
        for lang, score in zip(langs, res.total_scores, strict=True):
            if score != 0.0:
                code = _MODEL_TO_OUTPUT.get(lang.iso_code, lang.iso_code)
                scores[code] = float(score)
    return Guess(scores, words)


def combine(guesses: list[Guess]) -> Guess:
    """Word-weighted average of several texts' scores: the article from its paragraphs, in one model pass."""
    total = sum(g.words for g in guesses if g.scores)
    if total == 0:
        return Guess({}, 0)
    langs = set.intersection(*(set(g.scores) for g in guesses if g.scores))
    scores = {lang: sum(g.scores[lang] * g.words for g in guesses if g.scores) / total for lang in langs}
    return Guess(scores, total)


def decide(guess: Guess, prior: tuple[str, ...] = (), text: str = "") -> tuple[str, float]:
    """The winning output code and its confidence in [0, 1] (softmax over text-scaled scores plus priors)."""
    if not guess.scores:
        return "other", 0.0
    scale = min(max(guess.words, 1), _MAX_WORDS) / _WORDS_PER_UNIT
    logits = {lang: s * scale + (_PRIOR_LOGIT if lang in prior else 0.0) for lang, s in guess.scores.items()}
    best = max(logits, key=logits.__getitem__)
    top = logits[best]
    norm = sum(math.exp(v - top) for v in logits.values())
    confidence = 1.0 / norm
    if best == "is" and text and _looks_faroese(text):
        best = "fo"
    if best not in OUTPUT_LANGS:
        best = "other"
    return best, round(confidence, 4)


def _looks_faroese(text: str) -> bool:
    """Faroese scores as Icelandic in a model without Faroese; letters and function words tell them apart."""
    low = text.lower()
    if "þ" in low:
        return False
    fo_words, is_words = _faroese_words()
    words = _WORD_RE.findall(low)
    fo = sum(w in fo_words for w in words)
    is_ = sum(w in is_words for w in words)
    return "ø" in low or fo > is_


def detect_language(text: str, hint: str | None = None) -> tuple[str, float]:
    """Language code (da, nb, nn, sv, en, de, fi, is, fo, other) and confidence for one text.

    `hint` is a declared language (e.g. "no", "da-DK"); it only tips the balance when the text itself is weak
    evidence. Raises DetectError (detect.no_text) when the text has no letters at all.
    """
    if not _WORD_RE.search(text):
        raise DetectError(
            "the text has no words to identify a language from",
            code="detect.no_text",
            hint="pass text with letters; clean should have rejected an empty article",
        )
    return decide(score_text(text), hint_languages(hint), text)
