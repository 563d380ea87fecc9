"""Train the language model shipped in `detect/data/langid_model.npz` from the corpora in ../shared/data.

    python -m storyline.detect.train --data ../shared/data [--out src/storyline/detect/data/langid_model.npz]

The model is a multinomial naive Bayes over hashed character 1–5-grams and words (see `detect/features.py`) for
da, nb, nn, sv and en, and the weight `detect/language.py` gives it next to the Wikipedia word tables of
`detect/lexicon.py`. Training text (train splits only, read with `eval/corpora.py`; NordicDSL is the test set and
is never read here):

    da  UNER Danish-DDT train (news, ~70k words; DaN+ news train is the same sentences)
    nb  NorNE Bokmål train (~240k words)
    nn  NorNE Nynorsk train (~240k words)
    sv  UNER Swedish-Talbanken train and the Swedish NER corpus train less its every-tenth-sentence dev part
    en  ECB+ news documents (every topic not ≡ 0 mod 5)

The features are case-less and punctuation-free (`features.normalise`), so news text trains a model for the
lower-cased, punctuation-stripped sentences of NordicDSL without augmentation. Dev splits (UD dev of each
treebank, the held-out tenth of the Swedish NER corpus, ECB+ topics ≡ 0 mod 5) calibrate the model and fit the
blend, and the hyper-parameters below were chosen on them. The output holds only hashed-bucket weights, a hashed
known-word bitmap and four numbers: no corpus text. Training is deterministic: the same data and the same
langidentify-full-model tables give a byte-identical model.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
import zipfile
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import numpy.typing as npt

from storyline.detect import features as F
from storyline.detect.lexicon import Lexicon
from storyline.detect.model import LangModel
from storyline.errors import EvalError
from storyline.eval.corpora import Split, read_corpus

LANGS = ("da", "nb", "nn", "sv", "en")

# Hyper-parameters, chosen on the dev splits (see the module docstring); re-run training after any change.
BITS = 18  # 2**18 buckets per class: ~1.3 MB as float16 x 5 classes, compressed
ALPHA = 0.1  # additive smoothing of bucket counts
KNOWN_BITS = 20  # known-word bitmap: 2**20 bits = 128 KB
KNOWN_MIN_COUNT = 2  # a word counts as "known" once seen this often in the training text
KNOWN_MIN_WORDS = 6  # the known-word floor is set on dev sentences at least this long ...
KNOWN_QUANTILE = 0.005  # ... so that 99.5 % of them pass the gate

# Blend grid (detect/language.py): weight of this model next to the word tables (weight 1), fitted on dev by
# fit_blend().
BLEND_NB_WEIGHTS = (0.0, 0.01, 0.02, 0.05, 0.1, 0.2)

DEFAULT_OUT = Path(__file__).with_name("data") / "langid_model.npz"



def _texts(name: str, split: Split, data_dir: Path) -> list[str]:
    """The sentences of one split of one corpus, tokens joined by spaces (normalise() drops the punctuation)."""
    return [" ".join(sentence.tokens) for sentence in read_corpus(name, split, data_dir)]


def _ecb_texts(path: Path, *, dev: bool) -> list[str]:
    """Lines of the ECB+ documents; topics ≡ 0 mod 5 are the English dev split."""
    out: list[str] = []
    for line in _lines(path):
        if line.strip():
            doc = json.loads(line)
            if (int(doc["topic"]) % 5 == 0) == dev:
                out.extend(s for s in str(doc["text"]).split("\n") if s.strip())
    return out


def _lines(path: Path) -> list[str]:
    if not path.is_file():
        raise EvalError(
            f"{path} does not exist",
            code="eval.data",
            input=str(path),
            hint="point --data at the shared data folder (../shared/data)",
        )
    return path.read_text(encoding="utf-8").splitlines()


def _sources(data_dir: Path, *, dev: bool) -> dict[str, list[str]]:
    ecb = data_dir / "ecbplus-event-clusters" / "ecbplus_documents.jsonl"
    split: Split = "dev" if dev else "train"
    return {
        "da": _texts("uner_da_ddt", split, data_dir),
        "nb": _texts("norne_nb", split, data_dir),
        "nn": _texts("norne_nn", split, data_dir),
        "sv": _texts("uner_sv_talbanken", split, data_dir) + _texts("klintan_sv", split, data_dir),
        "en": _ecb_texts(ecb, dev=dev),
    }


def _bucket_counts(sentences: Iterable[str], bits: int) -> npt.NDArray[np.float64]:
    """Feature counts per bucket over all sentences, each sentence hashed on its own (as scoring does)."""
    counts = np.zeros(1 << bits, dtype=np.float64)
    batch: list[npt.NDArray[np.uint64]] = []
    for sentence in sentences:
        batch.append(F.buckets(np.concatenate(F.hashes(F.normalise(sentence))), bits))
        if len(batch) == 1024:  # one bincount per batch: fewer full-size array additions
            counts += np.bincount(np.concatenate(batch), minlength=1 << bits)
            batch = []
    if batch:
        counts += np.bincount(np.concatenate(batch), minlength=1 << bits)
    return counts


def _known_words(sentences: Iterable[str]) -> npt.NDArray[np.uint8]:
    """A bitmap of hashed words seen at least KNOWN_MIN_COUNT times in any language's training text."""
    buckets = [F.buckets(F.hashes(F.normalise(sentence))[1], KNOWN_BITS) for sentence in sentences]
    counts = np.bincount(np.concatenate(buckets), minlength=1 << KNOWN_BITS)
    return np.packbits(counts >= KNOWN_MIN_COUNT)


def fit(train: dict[str, list[str]], bits: int = BITS, alpha: float = ALPHA) -> dict[str, npt.NDArray[np.generic]]:
    """Naive Bayes log-probabilities per (bucket, language), centred per bucket, as float16."""
    counts = np.stack([_bucket_counts(train[lang], bits) for lang in LANGS], axis=1)
    logp = np.log(counts + alpha) - np.log(counts.sum(axis=0) + alpha * counts.shape[0])
    # Only differences between languages matter for the decision; centring keeps values small for float16 and
    # makes a bucket no language has seen weigh exactly zero.
    logp -= logp.mean(axis=1, keepdims=True)
    # The known-word bitmap (for the "is this one of our languages at all" gate) pools every language.
    known = _known_words(s for lang in LANGS for s in train[lang])
    return {
        "weights": logp.astype(np.float16),
        "known": known,
        "langs": np.array(LANGS),
        "bits": np.array([bits, KNOWN_BITS], dtype=np.int64),
    }


def calibrate(model: LangModel, dev: dict[str, list[str]]) -> dict[str, npt.NDArray[np.generic]]:
    """Two numbers fitted on the dev splits and stored with the weights.

    temperature: the scale on the naive Bayes log-likelihoods that minimises log-loss on dev (naive Bayes counts
    overlapping n-grams as independent evidence, so its raw probabilities are far too sure).
    known_floor: the share of known words that KNOWN_QUANTILE of dev sentences of KNOWN_MIN_WORDS+ words reach;
    below it a text is probably none of our languages and goes to the broad fallback model.
    """
    logits: list[npt.NDArray[np.float32]] = []
    gold: list[int] = []
    known: list[float] = []
    for k, lang in enumerate(model.langs):
        for sentence in dev[lang]:
            sc = model.score(sentence)
            if sc.words:
                logits.append(sc.logits)
                gold.append(k)
            if sc.words >= KNOWN_MIN_WORDS:
                known.append(sc.known)
    z = np.stack(logits).astype(np.float64)
    y = np.array(gold)
    grid = np.exp(np.linspace(np.log(0.01), np.log(2.0), 120))
    losses = [_log_loss(z * t, y) for t in grid]
    return {
        "temperature": np.array(round(float(grid[int(np.argmin(losses))]), 4)),
        "known_floor": np.array(round(float(np.quantile(known, KNOWN_QUANTILE)), 4)),
    }


def fit_blend(model: LangModel, lexicon: Lexicon, dev: dict[str, list[str]]) -> dict[str, npt.NDArray[np.generic]]:
    """The weight `detect/language.py` gives this model next to the word tables, and the blend's temperature.

    Grid search on the dev splits for the weight with the best mean per-language accuracy (each language counts
    the same, whatever its dev size), then the temperature that minimises log-loss of the blended scores.
    """
    own: list[npt.NDArray[np.float32]] = []
    words: list[npt.NDArray[np.float32]] = []
    gold: list[npt.NDArray[np.int64]] = []
    for k, lang in enumerate(model.langs):
        norms = [n for n in (F.normalise(s) for s in dev[lang]) if F.word_count(n) > 0]
        for start in range(0, len(norms), 1024):
            hashed = F.hash_texts(norms[start : start + 1024])
            own.append(model.score_hashed(hashed)[0])
            ours = lexicon.score(hashed).scores[:, : len(model.langs)]
            words.append(ours - ours.mean(axis=1, keepdims=True))
        gold.append(np.full(len(norms), k))
    z_own, z_words = (np.concatenate(x).astype(np.float64) for x in (own, words))
    y = np.concatenate(gold)

    def mean_accuracy(z: npt.NDArray[np.float64]) -> float:
        hit = z.argmax(axis=1) == y
        return float(np.mean([hit[y == k].mean() for k in range(len(model.langs))]))

    scores = [mean_accuracy(z_words + w * z_own) for w in BLEND_NB_WEIGHTS]
    nb_weight = BLEND_NB_WEIGHTS[int(np.argmax(scores))]
    z = z_words + nb_weight * z_own
    temps = np.exp(np.linspace(np.log(0.01), np.log(2.0), 120))
    temperature = float(temps[int(np.argmin([_log_loss(z * t, y) for t in temps]))])
    return {"blend": np.array([nb_weight, round(temperature, 4)], dtype=np.float64)}


def _log_loss(z: npt.NDArray[np.float64], y: npt.NDArray[np.int64]) -> float:
    z = z - z.max(axis=1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return float(-logp[np.arange(len(y)), y].mean())


def _write_npz(out: Path, arrays: dict[str, npt.NDArray[np.generic]]) -> None:
    """Like np.savez_compressed, but with fixed zip timestamps so the same data gives the same bytes."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(arrays):
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.asarray(arrays[name]), allow_pickle=False)
            zf.writestr(info, buf.getvalue())


def train_langid(data_dir: Path, out: Path = DEFAULT_OUT) -> dict[str, object]:
    """Train on ../shared/data train splits, write the model to `out`, return sizes and dev accuracy."""
    start = time.perf_counter()
    data_dir = Path(data_dir)
    train = _sources(data_dir, dev=False)
    arrays = fit(train)
    _write_npz(out, arrays)
    dev = _sources(data_dir, dev=True)
    arrays.update(calibrate(LangModel.load(out), dev))
    arrays.update(fit_blend(LangModel.load(out), Lexicon.load(), dev))
    _write_npz(out, arrays)
    model = LangModel.load(out)
    dev_acc = {lang: _accuracy(model, lang, dev[lang]) for lang in LANGS}
    blended = _blend_accuracy(model, dev)
    return {
        "out": str(out),
        "bytes": out.stat().st_size,
        "train_sentences": {lang: len(train[lang]) for lang in LANGS},
        "dev_accuracy": dev_acc,
        "dev_accuracy_blended": blended,
        "blend": {"nb_weight": model.nb_weight, "temperature": model.blend_temperature},
        "temperature": model.temperature,
        "known_floor": model.known_floor,
        "seconds": round(time.perf_counter() - start, 1),
    }


def _blend_accuracy(model: LangModel, dev: dict[str, list[str]]) -> dict[str, float]:
    """Dev accuracy of what detection does with `model` (blend and gate, no priors)."""
    from storyline.detect import language

    out: dict[str, float] = {}
    for lang in LANGS:
        guesses = language.score_texts(dev[lang], model)
        # The winning score (decide() would add the shipped model's temperature, which an argmax ignores).
        hits = sum(bool(g.scores) and max(g.scores, key=g.scores.__getitem__) == lang for g in guesses)
        out[lang] = round(hits / max(len(guesses), 1), 4)
    return out


def _accuracy(model: LangModel, lang: str, sentences: list[str]) -> float:
    hits = sum(model.best(s) == lang for s in sentences)
    return round(hits / max(len(sentences), 1), 4)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m storyline.detect.train", description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="the shared data folder (../shared/data)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the model (.npz)")
    args = parser.parse_args(argv)
    print(json.dumps(train_langid(args.data, args.out), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
