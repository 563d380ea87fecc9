"""Train the language model shipped in `detect/data/langid_model.npz` from the corpora in ../shared/data.

    python -m storyline.detect.train --data ../shared/data [--out src/storyline/detect/data/langid_model.npz]

The model is a multinomial naive Bayes over hashed character 1–5-grams and words (see `detect/features.py`) for
da, nb, nn, sv and en. Training text (train splits only; NordicDSL is the test set and is never read here):

    da  UNER Danish-DDT train (news, ~70k words)
    nb  NorNE Bokmål train (~240k words)
    nn  NorNE Nynorsk train (~240k words)
    sv  UNER Swedish-Talbanken train and the Swedish NER corpus train (~230k words)
    en  ECB+ news documents (every topic not ≡ 0 mod 5)

Dev splits (UD dev of each treebank, ECB+ topics ≡ 0 mod 5) are scored after training and reported, and the
hyper-parameters below were chosen on them. The output holds only hashed-bucket weights and a hashed
known-word bitmap: no corpus text. Training is deterministic: the same data gives a byte-identical model.
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
from storyline.detect.model import LangModel
from storyline.errors import EvalError

LANGS = ("da", "nb", "nn", "sv", "en")

# Hyper-parameters, chosen on the dev splits (see the module docstring); re-run training after any change.
BITS = 18  # 2**18 buckets per class: ~1.3 MB as float16 x 5 classes, compressed
ALPHA = 0.1  # additive smoothing of bucket counts
KNOWN_BITS = 20  # known-word bitmap: 2**20 bits = 128 KB
KNOWN_MIN_COUNT = 2  # a word counts as "known" once seen this often in the training text
KNOWN_MIN_WORDS = 6  # the known-word floor is set on dev sentences at least this long ...
KNOWN_QUANTILE = 0.005  # ... so that 99.5 % of them pass the gate

DEFAULT_OUT = Path(__file__).with_name("data") / "langid_model.npz"



def _conllu_texts(path: Path) -> list[str]:
    """The `# text = ...` sentence lines of a CoNLL-U / UNER iob2 file."""
    return [line[9:].strip() for line in _lines(path) if line.startswith("# text = ")]


def _token_sentences(path: Path) -> list[str]:
    """Sentences of a `token<TAB>tag` file, one token a line, blank lines between sentences."""
    out: list[str] = []
    current: list[str] = []
    for line in _lines(path):
        if line.strip():
            current.append(line.split("\t")[0])
        elif current:
            out.append(" ".join(current))
            current = []
    if current:
        out.append(" ".join(current))
    return out


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
    if dev:
        return {
            "da": _conllu_texts(data_dir / "uner-danish-ddt" / "da_ddt-ud-dev.iob2"),
            "nb": _conllu_texts(data_dir / "norne" / "no_bokmaal-ud-dev.conllu"),
            "nn": _conllu_texts(data_dir / "norne" / "no_nynorsk-ud-dev.conllu"),
            "sv": _conllu_texts(data_dir / "uner-swedish-talbanken" / "sv_talbanken-ud-dev.iob2"),
            "en": _ecb_texts(ecb, dev=True),
        }
    return {
        "da": _conllu_texts(data_dir / "uner-danish-ddt" / "da_ddt-ud-train.iob2"),
        "nb": _token_sentences(data_dir / "norne" / "no_bokmaal-norne-train.tsv"),
        "nn": _token_sentences(data_dir / "norne" / "no_nynorsk-norne-train.tsv"),
        "sv": _conllu_texts(data_dir / "uner-swedish-talbanken" / "sv_talbanken-ud-train.iob2")
        + _token_sentences(data_dir / "swedish-ner-corpus-klintan" / "train_corpus.txt"),
        "en": _ecb_texts(ecb, dev=False),
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
    _write_npz(out, arrays)
    model = LangModel.load(out)
    dev_acc = {lang: _accuracy(model, lang, dev[lang]) for lang in LANGS}
    return {
        "out": str(out),
        "bytes": out.stat().st_size,
        "train_sentences": {lang: len(train[lang]) for lang in LANGS},
        "dev_accuracy": dev_acc,
        "temperature": model.temperature,
        "known_floor": model.known_floor,
        "seconds": round(time.perf_counter() - start, 1),
    }


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
