"""Wikipedia-scale word frequencies for da, nb, nn, sv and en, scored in one vectorised pass.

The project's own naive Bayes model (`detect/model.py`) is trained on a few hundred thousand words of news and
treebank text; it knows news well and encyclopaedic text (names, places, species, sports) less well. The
`langidentify-full-model` dependency ships, per language, the ~100,000 most frequent words of a large general
corpus with their log-probabilities. This module reads those tables from the installed package (never downloaded,
never copied into this repository) into one sorted array of the same 64-bit word hashes `detect/features.py`
computes, so a batch of texts is scored with one `searchsorted` instead of langidentify's per-n-gram Python loop.

Scoring is naive Bayes over the tables, per language: the sum over the text's words of log P(word | language). A
word listed for some languages but not for another gets WORD_FLOOR there; one listed for none is no evidence
(the project's model, blended in by `detect/language.py`, judges those by their character n-grams). The same
table holds de, fi, is, fr and es, so the texts the gate sends on are placed with the same single lookup.
langidentify's n-gram tables were tried as well and left out: next to the project's model they moved dev
accuracy by 0.0002.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import logging
import os
import tempfile
import threading
import zipfile
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path

import numpy as np
import numpy.typing as npt

from storyline.detect import features as F
from storyline.errors import DetectError

# Output codes and langidentify's file codes ("no" is Bokmål there). The first five are LangModel.langs, in its
# order; the others are the neighbours Nordic news quotes most, for texts the gate in detect/language.py sends on
# (fr and es are reported as "other").
LANGS = ("da", "nb", "nn", "sv", "en", "de", "fi", "is", "fr", "es")
_FILE_CODES = ("da", "no", "nn", "sv", "en", "de", "fi", "is", "fr", "es")
_PACKAGE = "langidentify_full_model.data"

# Chosen on the dev splits of the training corpora (see detect/train.py), never on NordicDSL: a floor below the
# tables' own cut-off (-15) for unlisted words worked best on dev (-16 vs -14 / -13: 0.951 vs 0.942 / 0.933 mean
# da/nb/nn/sv accuracy, word tables alone).
WORD_FLOOR = -16.0

F32 = npt.NDArray[np.float32]

log = logging.getLogger(__name__)

# Bump when the cached arrays change meaning without any version or constant below changing.
_CACHE_FORMAT = 1


@dataclass(frozen=True, slots=True)
class LexiconScores:
    """Per text (rows) and language (columns, LANGS order): word log-likelihood sums (nats, not centred), and how
    many of the text's words some language lists."""

    scores: F32
    known: npt.NDArray[np.int64]


def _word_hashes(strings: list[str]) -> F.U64:
    """The hash `features.hashes()` gives each string as a word (" word ")."""
    joined = " " + " ".join(strings) + " "
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    F._POWERS.ensure(len(codes) + 1)
    prefix = np.zeros(len(codes) + 1, dtype=np.uint64)
    np.cumsum(codes * F._POWERS.pow[: len(codes)], out=prefix[1:])
    lengths = np.array([len(s) for s in strings], dtype=np.int64)
    start = np.concatenate([[0], np.cumsum(lengths + 1)[:-1]])  # the space before each string
    end = start + lengths + 2
    hashed: F.U64 = ((prefix[end] - prefix[start]) * F._POWERS.inv[start]) ^ F._WORD_SALT
    return hashed


def _read(name: str) -> tuple[str, str]:
    """Header line and the rest of one gzipped table of the installed langidentify-full-model package."""
    try:
        with resources.files(_PACKAGE).joinpath(name).open("rb") as raw, gzip.open(raw, "rb") as fh:
            text = io.TextIOWrapper(fh, encoding="utf-8").read()
    except (ModuleNotFoundError, FileNotFoundError, OSError) as exc:
        raise DetectError(
            f"the word-frequency table {name} of langidentify-full-model could not be read: {exc}",
            code="detect.model",
            input=name,
            hint="reinstall storyline's dependencies (pip install 'langidentify-full-model>=1.0,<2')",
        ) from exc
    header, _, body = text.partition("\n")
    return header, body


def _split(body: str) -> tuple[list[str], list[str]]:
    """Words and values of "word value" lines. One str.split() of the whole body when every line is exactly two
    fields (the tables as shipped: ~10x faster than splitting a million lines one by one), else line by line."""
    fields = body.split()
    if len(fields) == 2 * body.count("\n") + (0 if body.endswith("\n") else 2) and "\n#" not in body:
        return fields[0::2], fields[1::2]
    lines = [line for line in body.split("\n") if line.strip() and not line.startswith("#")]
    keys, values = zip(*(line.rsplit(" ", 1) for line in lines), strict=True)
    return list(keys), list(values)


def _word_table(code: str) -> tuple[F.U64, npt.NDArray[np.float64]]:
    """Hashes and log-probabilities of one language's frequent words."""
    header, body = _read(f"topwords-{code}.txt.gz")
    total = float(header.split()[2])  # "# Count: 31317245 MinLogProb: -15.0"
    keys, values = _split(body)
    raw = np.array(values, dtype=np.float64)
    logp = np.where(raw < 0, raw, np.log(np.maximum(raw, 1.0) / total))
    return _word_hashes(keys), logp


def _merge(tables: list[tuple[F.U64, npt.NDArray[np.float64]]], floor: float) -> tuple[F.U64, F32]:
    """One sorted hash array and a (hash, language) matrix of log-probabilities, `floor` where unlisted.

    A word no language lists is no evidence; callers centre the scores over the languages they compare, which
    makes a word listed only outside those languages weigh zero too.
    """
    keys = np.sort(np.concatenate([h for h, _ in tables]))
    keys = keys[np.concatenate([[True], keys[1:] != keys[:-1]])]  # sorted unique, faster than np.unique here
    logp = np.full((len(keys), len(tables)), floor, dtype=np.float64)
    for col, (hashes, values) in enumerate(tables):
        logp[np.searchsorted(keys, hashes), col] = np.maximum(values, floor)
    return keys, logp.astype(np.float32)


def _lookup(keys: F.U64, table: F32, queries: F.U64) -> tuple[F32, npt.NDArray[np.bool_]]:
    """Rows of `table` for each query hash (zeros for hashes not in `keys`), and which queries were found."""
    # Searched in sorted order (the same positions): numpy starts each search where the last one ended, so the
    # ~500 look-ups of an article into ~700k keys touch memory in order, ~40% faster than in text order.
    order = np.argsort(queries, kind="stable")
    found_at = np.empty(len(queries), dtype=np.intp)
    found_at[order] = np.searchsorted(keys, queries[order])
    idx = np.minimum(found_at, len(keys) - 1)
    found = keys[idx] == queries
    return table[idx] * found[:, None], found


class Lexicon:
    """The frequent-word tables of one langidentify-full-model install, as a sorted hash array and a matrix."""

    def __init__(self, keys: F.U64, logp: F32) -> None:
        self.keys, self.logp = keys, logp

    @classmethod
    def load(cls) -> Lexicon:
        return cls(*_merge([_word_table(code) for code in _FILE_CODES], WORD_FLOOR))

    @classmethod
    def load_cached(cls, cache_dir: Path | None = None) -> Lexicon:
        """`load()`, through a numpy file in the user cache directory: parsing and hashing the tables costs
        ~2.3 s of CPU in every process (each `storyline` command, each worker of a parallel ingest); reading the
        arrays back costs ~0.05 s. The file name carries everything the arrays depend on (see `cache_key`), so a
        new storyline or langidentify version, floor or hash builds a new file. A cache that cannot be read is
        rebuilt and one that cannot be written is skipped: the cache only ever saves time."""
        path = (cache_dir or default_cache_dir()) / f"langid-lexicon-{cache_key()}.npz"
        try:
            with np.load(path, allow_pickle=False) as stored:
                return cls(stored["keys"], stored["logp"])
        except FileNotFoundError:
            pass
        except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
            log.warning("the language-ID word cache %s could not be read (%s); rebuilding it", path, exc)
        lexicon = cls.load()
        lexicon.save(path)
        return lexicon

    def save(self, path: Path) -> None:
        """Write the arrays to `path` atomically (a temporary file renamed), so a concurrent reader never sees a
        half-written cache; failures are logged, not raised."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
            try:
                with os.fdopen(fd, "wb") as fh:
                    np.savez(fh, keys=self.keys, logp=self.logp)
                os.replace(tmp, path)
            except BaseException:
                os.unlink(tmp)
                raise
        except OSError as exc:
            log.info("the language-ID word cache could not be written to %s (%s); going on without it", path, exc)

    def score(self, hashed: F.Hashed) -> LexiconScores:
        """Word log-likelihood sums and known-word counts of every text of `hashed` (rows in its order)."""
        rows, found = _lookup(self.keys, self.logp, hashed.words)
        return LexiconScores(
            np.add.reduceat(rows, hashed.word_starts, axis=0),
            np.add.reduceat(found.astype(np.int64), hashed.word_starts),
        )


_lock = threading.Lock()
_loaded: list[Lexicon] = []


def load_lexicon() -> Lexicon:
    """The tables, read once per process (~1 million words parsed and hashed, a few seconds; from the user
    cache when an earlier process left them there)."""
    with _lock:
        if not _loaded:
            _loaded.append(Lexicon.load_cached())
        return _loaded[0]


def default_cache_dir() -> Path:
    """`$XDG_CACHE_HOME/storyline` (`~/.cache/storyline` when unset), beside the gazetteer cache."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "storyline"


def cache_key() -> str:
    """A fingerprint of what the cached arrays depend on: this module and the word hash's module (their source,
    so an edit during development rebuilds too), both packages' versions and the cache format."""
    digest = hashlib.sha256(str(_CACHE_FORMAT).encode())
    for module in (__file__, F.__file__):
        digest.update(Path(module).read_bytes())
    for package in ("storyline", "langidentify-full-model"):
        digest.update(_version(package).encode())
    return digest.hexdigest()[:16]


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "unknown"
