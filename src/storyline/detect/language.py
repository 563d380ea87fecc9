"""Language identification: da / nb / nn / sv / en from two blended models, de / fi / is / fo / other via a gate.

How a decision is made
----------------------
1. One vectorised pass scores a batch of texts (an article's paragraphs, or any list of texts) with two naive
   Bayes models over the same hashed words and character n-grams: the project's own (`detect/model.py`, trained
   on news and treebank text by `detect/train.py`) and Wikipedia-scale word frequencies read from the
   `langidentify-full-model` dependency (`detect/lexicon.py`). The word tables' log-likelihoods plus the
   project's model times its dev-fitted weight are the text's scores (nats) for da, nb, nn, sv, en.
2. Gate: the project's model only knows those five. A text of _GATE_MIN_WORDS+ words whose share of words that
   model has seen is under its dev-calibrated floor, or whose letters are too often outside the da/nb/nn/sv/en
   alphabet (ð þ í ú ß ...), is also judged against the word tables of de, fi, is, fr and es (the same lookup).
   If one of those wins, the text is that language ("is" becomes "fo" when the text looks Faroese, fr and es
   are "other"); otherwise step 1 stands.

Confidence is the softmax of the scores times the blend's calibrated temperature, plus priors. Priors are weak on
purpose: a declared language (HTML `lang`, a JSONL `language` field) or, for a paragraph, the article's own
language adds _PRIOR_LOGIT to the languages it names: enough to decide a short or ambiguous text, far too little
to override a paragraph that is clearly another language (a Swedish quote in a Norwegian article keeps "sv").

Output codes are da, nb, nn, sv, en, de, fi, is, fo or "other"; langidentify's Norwegian tables are Bokmål and
are read as "nb", so "no" is never emitted.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from storyline.detect import features as F
from storyline.detect.lexicon import LANGS as LEXICON_LANGS
from storyline.detect.lexicon import load_lexicon
from storyline.detect.model import LangModel, load_model
from storyline.errors import DetectError

_DATA = Path(__file__).with_name("data")

OUTPUT_LANGS = frozenset({"da", "nb", "nn", "sv", "en", "de", "fi", "is", "fo"})
# The gate only judges texts this long; shorter ones are too few words to measure vocabulary on.
_GATE_MIN_WORDS = 6
# Share of letters outside the da/nb/nn/sv/en alphabet above which a text is judged more widely (a name with
# an umlaut in a paragraph stays well under it; Icelandic, Faroese, German text is far above).
_FOREIGN_LETTER_SHARE = 0.03
# Weight of a declared or inherited language, in calibrated logits: e^1.1 ~ 3:1 odds.
_PRIOR_LOGIT = 1.1
# Paragraphs shorter than this (characters) carry too little signal and take the article's language.
MIN_PARAGRAPH_CHARS = 20

_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_LETTER_RE = re.compile(r"[^\W\d_]")
_WEST_NORDIC_RE = re.compile("[ðþÐÞ]")


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
def _domain_table() -> dict[str, tuple[str, ...]]:
    raw = json.loads((_DATA / "language_hints.json").read_text(encoding="utf-8"))
    return {k: tuple(v) for k, v in raw["domains"].items()}


@lru_cache(maxsize=1)
def _faroese_words() -> tuple[frozenset[str], frozenset[str]]:
    raw = json.loads((_DATA / "faroese.json").read_text(encoding="utf-8"))
    return frozenset(raw["faroese"]), frozenset(raw["icelandic"])


# --- scoring ----------------------------------------------------------------------------------------------


def warm_up() -> None:
    """Load every model detection uses (the project's and the word tables), e.g. before timing."""
    load_model()
    load_lexicon()


def _foreign_letter_share(text: str) -> float:
    low = text.lower()
    if not _foreign_letter_re().search(low):  # the common case, answered without counting
        return 0.0
    letters = len(_LETTER_RE.findall(low))
    return len(_foreign_letter_re().findall(low)) / letters if letters else 0.0


def score_text(text: str) -> Guess:
    """Per-language scores for one text (see `score_texts`)."""
    return score_texts([text])[0]


def score_texts(texts: list[str], model: LangModel | None = None) -> list[Guess]:
    """Per-language scores for each of several independent texts, all scored in one vectorised pass.

    A text without a single word gets an empty Guess. The result for a text does not depend on the others in
    the batch: batching only saves per-call overhead. `model` defaults to the shipped one.
    """
    model = model or load_model()
    norms = [F.normalise(t) for t in texts]
    counts = [F.word_count(n) for n in norms]
    live = [i for i, c in enumerate(counts) if c > 0]
    out = [Guess({}, 0)] * len(texts)
    if not live:
        return out
    hashed = F.hash_texts([norms[i] for i in live])
    own, known = model.score_hashed(hashed)
    lex = load_lexicon().score(hashed)
    ours = lex.scores[:, : len(model.langs)]
    blended = ours - ours.mean(axis=1, keepdims=True) + model.nb_weight * own
    for row, i in enumerate(live):
        words = counts[i]
        if _needs_wider_view(texts[i], words, float(known[row]) / words, model.known_floor):
            wide = dict(zip(LEXICON_LANGS, (lex.scores[row] - lex.scores[row].mean()).tolist(), strict=True))
            if _WEST_NORDIC_RE.search(texts[i]) and float(known[row]) / words < model.known_floor:
                # ð and þ are written only in Icelandic and Faroese: in a text whose words our model mostly has
                # not seen (not a Swedish line naming Icelanders) they settle it, whatever the shared function
                # words (og, í, til) say ("is" may become "fo" in decide()). Without this, Faroese went to
                # da/nn: NordicDSL fo accuracy 0.535, with it 0.574 (da/nb/nn/sv unchanged at 0.9639).
                wide = {lang: v for lang, v in wide.items() if lang not in model.langs}
            if max(wide, key=wide.__getitem__) not in model.langs:
                out[i] = Guess(wide, words)
                continue
        out[i] = Guess({lang: float(v) for lang, v in zip(model.langs, blended[row], strict=True)}, words)
    return out


def score_paragraphs(texts: list[str]) -> list[Guess]:
    """`score_texts()` for the paragraphs of one article (each paragraph is judged on its own text)."""
    return score_texts(texts)


def _needs_wider_view(text: str, words: int, known: float, floor: float) -> bool:
    """Whether a text may be none of our five: foreign letters, or too few words our model has seen."""
    if _foreign_letter_share(text) > _FOREIGN_LETTER_SHARE:
        return True
    return words >= _GATE_MIN_WORDS and known < floor


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
    temperature = load_model().blend_temperature
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


def domain_languages(source: str | None) -> tuple[str, ...]:
    """The output codes an outlet's country domain suggests: "politiken.dk" → (da,), "https://www.nrk.no/x" →
    (nb, nn), "bbc.com" → (). Used as the same weak prior as a declared language, and only when there is none."""
    if not source:
        return ()
    host = source.strip().lower()
    host = host.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0].rstrip(".")
    if "." not in host:
        return ()
    return _domain_table().get(host.rsplit(".", 1)[1], ())


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
