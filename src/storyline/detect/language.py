"""Language identification: da / nb / nn / sv / en from the project's own model, de / fi / is / fo / other via a gate.

How a decision is made
----------------------
1. The project's model (`detect/model.py`, trained by `detect/train.py`) scores the text: naive Bayes
   log-likelihoods in nats for da, nb, nn, sv, en. It costs a handful of numpy calls per paragraph.
2. Gate: the model only knows its five languages. A text of _GATE_MIN_WORDS+ words whose share of known words
   is under the model's dev-calibrated floor, or whose letters are too often outside the da/nb/nn/sv/en alphabet
   (ð þ í ú ß ...), goes to the broad `langidentify` model (lite tables, ten languages, loaded on first use). If
   that says de, fi, is, fr, es ... the text is that language ("is" becomes "fo" when the text looks Faroese);
   if it says one of ours, the two models decide together as in step 3.
3. Second opinion: when the project's model is unsure (best-vs-second margin under _SECOND_OPINION_MARGIN nats,
   mostly short or name-heavy lines), `langidentify`'s lite da/no/nn/sv/en model (Wikipedia-trained, so it
   complements our news-trained model) adds _SECOND_OPINION_WEIGHT x words x its per-n-gram scores.

Confidence is the softmax of the scores times the model's calibrated temperature, plus priors. Priors are weak on
purpose: a declared language (HTML `lang`, a JSONL `language` field) or, for a paragraph, the article's own
language adds _PRIOR_LOGIT to the languages it names: enough to decide a short or ambiguous text, far too little
to override a paragraph that is clearly another language (a Swedish quote in a Norwegian article keeps "sv").

Output codes are da, nb, nn, sv, en, de, fi, is, fo or "other"; Norwegian "no" from langidentify is Bokmål and is
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

import numpy as np

from storyline.detect.model import ModelScore, load_model
from storyline.errors import DetectError

_DATA = Path(__file__).with_name("data")

OUTPUT_LANGS = frozenset({"da", "nb", "nn", "sv", "en", "de", "fi", "is", "fo"})
_FROM_LANGIDENTIFY = {"no": "nb"}
# langidentify language sets: the second opinion on our five, and the broad model behind the gate. Nordic news
# quotes and names many neighbours; the broad set keeps a German or French paragraph out of the Nordic five.
_SECOND_OPINION_LANGS = "da,no,nn,sv,en"
_BROAD_LANGS = "da,no,nn,sv,en,de,fi,is,fr,es"

# Calibrated on the dev splits of the training corpora (UD dev of DDT, NorNE nb/nn, Talbanken; see
# detect/train.py), never on NordicDSL: routing the ~14 % of dev sentences under a 20-nat margin to the second
# opinion at 5 x words took dev da/nb/nn/sv from 0.935 to 0.943 (NordicDSL da/nb/nn/sv: 0.938 -> 0.952).
_SECOND_OPINION_MARGIN = 20.0
_SECOND_OPINION_WEIGHT = 5.0
# The gate only judges texts this long; shorter ones are too few words to measure vocabulary on.
_GATE_MIN_WORDS = 6
# Share of letters outside the da/nb/nn/sv/en alphabet above which a text goes to the broad model (a name with
# an umlaut in a paragraph stays well under it; Icelandic, Faroese, German text is far above).
_FOREIGN_LETTER_SHARE = 0.03
# Weight of a declared or inherited language, in calibrated logits: e^1.1 ~ 3:1 odds.
_PRIOR_LOGIT = 1.1
# Paragraphs shorter than this (characters) carry too little signal and take the article's language.
MIN_PARAGRAPH_CHARS = 20

_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_LETTER_RE = re.compile(r"[^\W\d_]")


@dataclass(frozen=True, slots=True)
class Guess:
    """Per-language scores (nats, higher is better, before temperature and priors); `words`: amount of text."""

    scores: dict[str, float]
    words: int


@lru_cache(maxsize=1)
def _foreign_letter_re() -> re.Pattern[str]:
    """Matches one letter outside the native alphabet of gate.json (a regex: C speed, no Python loop)."""
    raw = json.loads((_DATA / "gate.json").read_text(encoding="utf-8"))
    return re.compile("[^\\W\\d_" + re.escape("".join(raw["native_letters"])) + "]")


@lru_cache(maxsize=1)
def _hint_table() -> dict[str, tuple[str, ...]]:
    raw = json.loads((_DATA / "language_hints.json").read_text(encoding="utf-8"))
    return {k: tuple(v) for k, v in raw["hints"].items()}


@lru_cache(maxsize=1)
def _faroese_words() -> tuple[frozenset[str], frozenset[str]]:
    raw = json.loads((_DATA / "faroese.json").read_text(encoding="utf-8"))
    return frozenset(raw["faroese"]), frozenset(raw["icelandic"])


# --- langidentify, loaded lazily (lite tables: ~1 s for five languages, ~3 s for ten) -----------------------


@lru_cache(maxsize=2)
def _langidentify_model(langs: str) -> Any:
    from langidentify import Language, Model

    try:
        return Model.load_lite(Language.from_comma_separated(langs))
    except (OSError, ValueError) as exc:
        raise DetectError(
            f"the langidentify model for {langs} could not be loaded: {exc}",
            code="detect.model",
            hint="reinstall langidentify (pip install 'langidentify>=1.0.2,<2')",
        ) from exc


_local = threading.local()


def _langidentify(text: str, langs: str) -> dict[str, float]:
    """langidentify's per-language scores (average n-gram log-probabilities), output codes; {} if it gives up.

    One Detector per thread and language set: langidentify's Detector keeps scratch state and is not thread-safe.
    """
    detectors: dict[str, Any] = _local.__dict__.setdefault("detectors", {})
    det = detectors.get(langs)
    if det is None:
        from langidentify import Detector

        det = detectors[langs] = Detector(_langidentify_model(langs))
    det.detect(text)
    res = det.results
    if res.result is None or res.result.iso_code == "un":
        return {}
    return {
        _FROM_LANGIDENTIFY.get(lang.iso_code, lang.iso_code): float(score)
        for lang, score in zip(det.model.languages, res.total_scores, strict=True)
        if score != 0.0
    }


# --- scoring ----------------------------------------------------------------------------------------------


def warm_up() -> None:
    """Load every model detection may use (the project's and both langidentify sets), e.g. before timing."""
    load_model()
    _langidentify("varmeopvarmning", _SECOND_OPINION_LANGS)
    _langidentify("varmeopvarmning", _BROAD_LANGS)


def _foreign_letter_share(text: str) -> float:
    low = text.lower()
    if not _foreign_letter_re().search(low):  # the common case, answered without counting
        return 0.0
    letters = len(_LETTER_RE.findall(low))
    return len(_foreign_letter_re().findall(low)) / letters if letters else 0.0


def _needs_broad_model(text: str, own: ModelScore, floor: float) -> bool:
    if _foreign_letter_share(text) > _FOREIGN_LETTER_SHARE:
        return True
    return own.words >= _GATE_MIN_WORDS and own.known < floor


def _with_second_opinion(own: dict[str, float], other: dict[str, float], words: int) -> dict[str, float]:
    return {lang: s + _SECOND_OPINION_WEIGHT * words * other[lang] for lang, s in own.items() if lang in other}


def score_text(text: str) -> Guess:
    """Per-language scores for one text: the project's model, with langidentify where the text asks for it."""
    model = load_model()
    return _guess(text, model.score(text), None)


def score_paragraphs(texts: list[str]) -> list[Guess]:
    """`score_text()` for all paragraphs of one article, in one pass of the project's model.

    The second opinion is only asked where it can change something: for an unsure paragraph whose best language
    is not the one the whole article leans to (an unsure paragraph that agrees with its article is decided by
    the article's prior anyway).
    """
    model = load_model()
    own = model.score_many(texts)
    scored = [o.logits for o in own if o.words]
    lead = model.langs[int(np.argmax(np.sum(scored, axis=0)))] if scored else None
    return [_guess(text, o, lead) for text, o in zip(texts, own, strict=True)]


def _guess(text: str, own_score: ModelScore, lead: str | None) -> Guess:
    model = load_model()
    if own_score.words == 0:
        return Guess({}, 0)
    own = {lang: float(v) for lang, v in zip(model.langs, own_score.logits, strict=True)}
    words = own_score.words
    if _needs_broad_model(text, own_score, model.known_floor):
        broad = _langidentify(text, _BROAD_LANGS)
        if broad and max(broad, key=broad.__getitem__) not in own:
            return Guess({lang: _SECOND_OPINION_WEIGHT * words * s for lang, s in broad.items()}, words)
        if broad:
            return Guess(_with_second_opinion(own, broad, words) or own, words)
    ranked = sorted(own, key=own.__getitem__, reverse=True)
    if own[ranked[0]] - own[ranked[1]] < _SECOND_OPINION_MARGIN and ranked[0] != lead:
        second = _langidentify(text, _SECOND_OPINION_LANGS)
        if second:
            return Guess(_with_second_opinion(own, second, words) or own, words)
    return Guess(own, words)


def combine(guesses: list[Guess]) -> Guess:
    """The article from its paragraphs: evidence adds up, so the scores are summed (one model pass in all).

    A language one paragraph was not scored for counts as that paragraph's worst candidate there.
    """
    scored = [g for g in guesses if g.scores]
    if not scored:
        return Guess({}, 0)
    langs = set().union(*(g.scores for g in scored))
    totals = {lang: sum(g.scores.get(lang, min(g.scores.values())) for g in scored) for lang in langs}
    return Guess(totals, sum(g.words for g in scored))


def decide(guess: Guess, prior: tuple[str, ...] = (), text: str = "") -> tuple[str, float]:
    """The winning output code and its confidence in [0, 1] (softmax over calibrated scores plus priors)."""
    if not guess.scores:
        return "other", 0.0
    temperature = load_model().temperature
    logits = {lang: s * temperature + (_PRIOR_LOGIT if lang in prior else 0.0) for lang, s in guess.scores.items()}
    best = max(logits, key=logits.__getitem__)
    top = logits[best]
    confidence = 1.0 / sum(math.exp(v - top) for v in logits.values())
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


def hint_languages(hint: str | None) -> tuple[str, ...]:
    """The output codes a declared language supports: "no" → (nb, nn), "dk" → (da,), "sv-SE" → (sv,)."""
    if not hint:
        return ()
    norm = hint.strip().lower().replace("_", "-")
    table = _hint_table()
    return table.get(norm) or table.get(norm.split("-")[0], ())


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
