"""The project's own language model: hashed n-gram naive Bayes weights for da, nb, nn, sv and en, and the
dev-fitted weights that blend it with the word tables of `detect/lexicon.py`.

`LangModel.load()` reads `detect/data/langid_model.npz` (written by `detect/train.py`) in a few milliseconds;
`score()` turns one text into per-language log-likelihood differences (nats) with a handful of numpy calls, and
says how much of the text's vocabulary the model has seen (the "is this one of our languages at all" signal).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

from storyline.detect import features as F
from storyline.errors import DetectError

MODEL_PATH = Path(__file__).with_name("data") / "langid_model.npz"


@dataclass(frozen=True, slots=True)
class ModelScore:
    """One text scored by the model: log-likelihood per language (nats, centred), word count, known-word share."""

    logits: npt.NDArray[np.float32]
    words: int
    known: float


class LangModel:
    def __init__(self, weights: npt.NDArray[np.float32], known: npt.NDArray[np.bool_], langs: tuple[str, ...],
                 bits: int, known_bits: int, temperature: float = 1.0, known_floor: float = 0.0,
                 blend: tuple[float, float] = (1.0, 1.0)) -> None:
        if known_bits < bits:
            raise DetectError(
                f"the known-word table ({known_bits} bits) is smaller than the weight table ({bits} bits)",
                code="detect.model",
                hint="rebuild the model: python -m storyline.detect.train --data ../shared/data",
            )
        self.temperature = temperature
        self.known_floor = known_floor
        self.weights = weights
        self.known = known
        self.langs = langs
        self.bits = bits
        self.known_bits = known_bits
        # How language.py blends this model with the word tables of detect/lexicon.py, fitted on dev by
        # detect/train.py: this model's weight (the tables' is 1) and the blend's temperature.
        self.nb_weight, self.blend_temperature = blend

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> LangModel:
        try:
            with np.load(path, allow_pickle=False) as npz:
                weights = npz["weights"].astype(np.float32)
                known = np.unpackbits(npz["known"]).astype(bool)
                langs = tuple(str(x) for x in npz["langs"])
                bits, known_bits = (int(x) for x in npz["bits"])
                # Calibration is added by a second pass of training; a model without it is still usable.
                temperature = float(npz["temperature"]) if "temperature" in npz.files else 1.0
                known_floor = float(npz["known_floor"]) if "known_floor" in npz.files else 0.0
                nb_weight, blend_temperature = (
                    (float(x) for x in npz["blend"]) if "blend" in npz.files else (1.0, temperature)
                )
        except (OSError, KeyError, ValueError) as exc:
            raise DetectError(
                f"the language model could not be read: {exc}",
                code="detect.model",
                input=str(path),
                hint="reinstall storyline, or rebuild it: python -m storyline.detect.train --data ../shared/data",
            ) from exc
        if weights.shape != (1 << bits, len(langs)) or known.shape != (1 << known_bits,):
            raise DetectError(
                f"the language model has inconsistent shapes {weights.shape} / {known.shape}",
                code="detect.model",
                input=str(path),
                hint="rebuild the model: python -m storyline.detect.train --data ../shared/data",
            )
        return cls(weights, known, langs, bits, known_bits, temperature, known_floor,
                   (nb_weight, blend_temperature))

    def score(self, text: str) -> ModelScore:
        """Per-language log-likelihoods of `text` (centred: only differences matter) and its known-word share."""
        return self.score_many([text])[0]

    def score_many(self, texts: list[str]) -> list[ModelScore]:
        """`score()` of several texts (an article's paragraphs) in one vectorised pass: same numbers, fewer calls."""
        norms = [F.normalise(t) for t in texts]
        counts = [F.word_count(n) for n in norms]
        live = [i for i, c in enumerate(counts) if c > 0]
        out = [ModelScore(np.zeros(len(self.langs), dtype=np.float32), 0, 0.0)] * len(texts)
        if not live:
            return out
        logits, known = self.score_hashed(F.hash_texts([norms[i] for i in live]))
        for row, i in enumerate(live):
            out[i] = ModelScore(logits[row], counts[i], float(known[row]) / counts[i])
        return out

    def score_hashed(self, hashed: F.Hashed) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.int32]]:
        """Log-likelihoods (texts x languages) and known-word counts of texts already hashed together."""
        # One mixing pass at the known-word table's size; the weight buckets are its top `bits` bits.
        shift = np.uint64(self.known_bits - self.bits)
        fine_words = F.buckets(hashed.words, self.known_bits)
        grams = F.buckets(hashed.grams, self.known_bits) >> shift
        logits = np.add.reduceat(self.weights.take(grams, axis=0), hashed.gram_starts)
        logits += np.add.reduceat(self.weights.take(fine_words >> shift, axis=0), hashed.word_starts)
        known = np.add.reduceat(self.known[fine_words].astype(np.int32), hashed.word_starts)
        return logits, known

    def best(self, text: str) -> str:
        """The most likely of the model's languages (no gate, no calibration): for training reports."""
        return self.langs[int(np.argmax(self.score(text).logits))]


@lru_cache(maxsize=1)
def load_model() -> LangModel:
    """The shipped model, loaded once per process."""
    return LangModel.load()
