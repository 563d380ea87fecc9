"""`storyline eval ner`: entity-level P/R/F1 (exact span and type) on the test splits in ../shared/data.

Two views per corpus:

* `tagger`: the shipped tagger on the gold tokens, the standard NER measure. Types are compared on the set every
  corpus shares, PER / ORG / LOC (NorNE's GPE_LOC counts as LOC and GPE_ORG as ORG; other types are left out on
  both sides), and for NorNE also on its own full type set (PER, ORG, LOC, GPE_LOC, GPE_ORG, PROD, EVT, DRV,
  MISC), the set spaCy's nb_core_news models are scored on. `tokens_per_s` is tagger throughput per CPU second
  (process time, so one core), sentences tagged in batches of 25 (about one 512-word article).
* `extract`: the whole extract stage (tokeniser, tagger, news-specific span handling, gazetteer) on text rebuilt
  from the tokens (joined with spaces, one sentence per paragraph); predicted character spans are mapped back to
  tokens and compared on PER / ORG / LOC. This is what the pipeline delivers, including the rules that
  deliberately differ from the corpora (a genitive -s or a hyphen compound tail is not part of a name).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from storyline.errors import EvalError
from storyline.eval.corpora import CORPORA, Sentence, corpus_path, read_corpus
from storyline.eval.metrics import prf
from storyline.extract.tagger import tag_spans
from storyline.models import Article, Paragraph

TEST_SETS = ("norne_nb", "norne_nn", "uner_da_ddt", "uner_sv_talbanken", "klintan_sv")
COARSE = ("PER", "ORG", "LOC")
COARSE_OF = {"PER": "PER", "ORG": "ORG", "GPE_ORG": "ORG", "LOC": "LOC", "GPE_LOC": "LOC", "GPE": "LOC"}
FULL = ("PER", "ORG", "LOC", "GPE_LOC", "GPE_ORG", "PROD", "EVT", "DRV", "MISC")
_BATCH = 25

Counts = dict[str, list[int]]  # type → [tp, fp, fn]


def span_set(tags: Sequence[str], type_map: dict[str, str] | None) -> set[tuple[int, int, str]]:
    """Exact spans of an IOB2 sequence; `type_map` renames types and drops those it lacks (None: keep all)."""
    out = set()
    for s, e, t in tag_spans(list(tags)):
        kind = t if type_map is None else type_map.get(t)
        if kind is not None:
            out.add((s, e, kind))
    return out


def add_counts(counts: Counts, gold: set[tuple[int, int, str]], pred: set[tuple[int, int, str]]) -> None:
    for span in gold | pred:
        c = counts.setdefault(span[2], [0, 0, 0])
        if span in gold and span in pred:
            c[0] += 1
        elif span in pred:
            c[1] += 1
        else:
            c[2] += 1


def summarise(counts: Counts, types: Sequence[str]) -> dict[str, Any]:
    """Micro P/R/F1 over `types` and per type."""
    zero = [0, 0, 0]
    total = [sum(counts.get(t, zero)[i] for t in types) for i in range(3)]
    return {**prf(*total), "per_type": {t: prf(*counts.get(t, zero)) for t in types if t in counts}}


def evaluate_tagger(sentences: list[Sentence], full_types: bool) -> dict[str, Any]:
    from storyline.extract.tagger import load_tagger

    tagger = load_tagger()
    coarse: Counts = {}
    full: Counts = {}
    cpu = 0.0
    for i in range(0, len(sentences), _BATCH):
        chunk = sentences[i : i + _BATCH]
        started = time.process_time()
        preds = tagger.tag([s.tokens for s in chunk], chunk[0].language)
        cpu += time.process_time() - started
        for s, p in zip(chunk, preds, strict=True):
            add_counts(coarse, span_set(s.tags, COARSE_OF), span_set(p, COARSE_OF))
            if full_types:
                add_counts(full, span_set(s.tags, None), span_set(p, None))
    n_tokens = sum(len(s.tokens) for s in sentences)
    out: dict[str, Any] = {**summarise(coarse, COARSE)}
    if full_types:
        out["full_types"] = summarise(full, FULL)
    out["tokens_per_s"] = round(n_tokens / cpu) if cpu else None
    return out


def _article(sentences: Sequence[Sentence], language: str) -> tuple[Article, list[list[tuple[int, int]]]]:
    """One article per batch of sentences; returns token character offsets per sentence."""
    parts: list[str] = []
    paragraphs: list[Paragraph] = []
    offsets: list[list[tuple[int, int]]] = []
    pos = 0
    for sent in sentences:
        sent_offsets = []
        start = pos
        for tok in sent.tokens:
            sent_offsets.append((pos, pos + len(tok)))
            pos += len(tok) + 1
        parts.append(" ".join(sent.tokens))
        paragraphs.append(Paragraph(start, pos - 1, "body", language, 1.0))
        offsets.append(sent_offsets)
        pos += 1  # the second "\n" of the paragraph separator
    text = "\n\n".join(parts)
    article = Article(id="eval", source="eval", text=text, paragraphs=paragraphs, language=language)
    return article, offsets


def _predicted(article: Article, offsets: list[list[tuple[int, int]]]) -> list[set[tuple[int, int, str]]]:
    out: list[set[tuple[int, int, str]]] = [set() for _ in offsets]
    for e in article.entities:
        kind = COARSE_OF.get(e.type)
        if kind is None:
            continue
        for s, toks in enumerate(offsets):
            if toks and toks[0][0] <= e.start <= toks[-1][1]:
                first = next((i for i, (a, b) in enumerate(toks) if a <= e.start < b), None)
                last = next((i for i, (a, b) in enumerate(toks) if a < e.end <= b), None)
                if first is not None and last is not None:
                    out[s].add((first, last + 1, kind))
                break
    return out


def evaluate_extract(sentences: list[Sentence], language: str) -> dict[str, Any]:
    from storyline.extract import ExtractStage

    stage = ExtractStage()
    counts: Counts = {}
    n_tokens = 0
    cpu = 0.0
    for i in range(0, len(sentences), _BATCH):
        chunk = sentences[i : i + _BATCH]
        article, offsets = _article(chunk, language)
        n_tokens += sum(len(s.tokens) for s in chunk)
        started = time.process_time()
        article = stage(article)
        cpu += time.process_time() - started
        for s, pred in zip(chunk, _predicted(article, offsets), strict=True):
            add_counts(counts, span_set(s.tags, COARSE_OF), pred)
    return {**summarise(counts, COARSE), "tokens_per_s": round(n_tokens / cpu) if cpu else None}


def evaluate_ner(data: Path, with_extract: bool = True) -> dict[str, Any]:
    results: dict[str, Any] = {
        "task": "ner",
        "types": "PER/ORG/LOC exact span (NorNE GPE_LOC→LOC, GPE_ORG→ORG); full_types: NorNE's own nine",
        "speed": "tokens_per_s = tokens per CPU second (one core), batches of 25 sentences",
    }
    for name in TEST_SETS:
        if not corpus_path(data, name, "test").is_file():
            continue
        sentences = read_corpus(name, "test", data)
        entry: dict[str, Any] = {"sentences": len(sentences), "tokens": sum(len(s.tokens) for s in sentences)}
        entry["tagger"] = evaluate_tagger(sentences, full_types=name.startswith("norne"))
        if with_extract:
            entry["extract"] = evaluate_extract(sentences, CORPORA[name].language)
        results[name] = entry
    if len(results) == 3:
        raise EvalError("no NER test split found", input=str(data), hint="point --data at ../shared/data")
    return results
