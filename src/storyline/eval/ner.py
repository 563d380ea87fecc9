"""`storyline eval ner`: entity-level P/R/F1 (exact span and type) on the test splits in ../shared/data.

Sentences are rebuilt from tokens (joined with spaces, one sentence per paragraph) and run through the real
extract stage; predicted character spans are mapped back to tokens. Types are compared on the shared set
PER / ORG / LOC: NorNE's GPE_LOC counts as LOC and GPE_ORG as ORG; gold PROD/EVT/DRV/MISC and predicted
MISC/DEMONYM are left out on both sides, so the figure is comparable across corpora.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from storyline.errors import EvalError
from storyline.eval.metrics import prf
from storyline.models import Article, Paragraph

Sentence = tuple[list[str], list[str]]  # tokens, IOB2 tags

CORPORA: dict[str, tuple[str, str, str]] = {  # name → (relative path, format, language)
    "norne_nb": ("norne/no_bokmaal-ud-test.conllu", "conllu", "nb"),
    "norne_nn": ("norne/no_nynorsk-ud-test.conllu", "conllu", "nn"),
    "uner_da_ddt": ("uner-danish-ddt/da_ddt-ud-test.iob2", "iob2", "da"),
    "uner_sv_talbanken": ("uner-swedish-talbanken/sv_talbanken-ud-test.iob2", "iob2", "sv"),
}
TYPE_MAP = {"PER": "PER", "ORG": "ORG", "GPE_ORG": "ORG", "LOC": "LOC", "GPE_LOC": "LOC", "GPE": "LOC"}


def read_sentences(path: Path, fmt: str) -> Iterator[Sentence]:
    tokens: list[str] = []
    tags: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if tokens:
                yield tokens, tags
            tokens, tags = [], []
            continue
        if line.startswith("#"):
            continue
        cols = line.split("\t")
        if "-" in cols[0] or "." in cols[0]:
            continue  # CoNLL-U multiword ranges and empty nodes
        tokens.append(cols[1])
        if fmt == "conllu":
            misc = dict(kv.split("=", 1) for kv in cols[9].split("|") if "=" in kv)
            tags.append(misc.get("name", "O"))
        else:
            tags.append(cols[2].split("#")[0])
    if tokens:
        yield tokens, tags


def gold_spans(tags: list[str]) -> set[tuple[int, int, str]]:
    spans = set()
    start, kind = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        if start >= 0 and not (tag.startswith("I-") and tag[2:] == kind):
            if kind in TYPE_MAP:
                spans.add((start, i, TYPE_MAP[kind]))
            start = -1
        if tag.startswith("B-") or (tag.startswith("I-") and start < 0):
            start, kind = i, tag[2:]
    return spans


def _article(sentences: list[Sentence], language: str) -> tuple[Article, list[list[tuple[int, int]]]]:
    """One article per batch of sentences; returns token character offsets per sentence."""
    parts: list[str] = []
    paragraphs: list[Paragraph] = []
    offsets: list[list[tuple[int, int]]] = []
    pos = 0
    for tokens, _ in sentences:
        sent_offsets = []
        start = pos
        for tok in tokens:
            sent_offsets.append((pos, pos + len(tok)))
            pos += len(tok) + 1
        parts.append(" ".join(tokens))
        paragraphs.append(Paragraph(start, pos - 1, "body", language, 1.0))
        offsets.append(sent_offsets)
        pos += 1  # the second "\n" of the paragraph separator
    text = "\n\n".join(parts)
    article = Article(id="eval", source="eval", text=text, paragraphs=paragraphs, language=language)
    return article, offsets


def _predicted(article: Article, offsets: list[list[tuple[int, int]]]) -> list[set[tuple[int, int, str]]]:
    out: list[set[tuple[int, int, str]]] = [set() for _ in offsets]
    for e in article.entities:
        kind = TYPE_MAP.get(e.type)
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


def evaluate_corpus(path: Path, fmt: str, language: str, batch: int = 50) -> dict[str, Any]:
    from storyline.extract import ExtractStage

    stage = ExtractStage()
    sentences = list(read_sentences(path, fmt))
    counts: Counter[str] = Counter()
    n_tokens = 0
    elapsed = 0.0
    for i in range(0, len(sentences), batch):
        chunk = sentences[i : i + batch]
        article, offsets = _article(chunk, language)
        n_tokens += sum(len(t) for t, _ in chunk)
        start = time.perf_counter()
        article = stage(article)
        elapsed += time.perf_counter() - start
        for (_, tags), pred in zip(chunk, _predicted(article, offsets), strict=True):
            gold = gold_spans(tags)
            for kind in ("PER", "ORG", "LOC"):
                g = {s for s in gold if s[2] == kind}
                p = {s for s in pred if s[2] == kind}
                counts[f"{kind}_tp"] += len(g & p)
                counts[f"{kind}_fp"] += len(p - g)
                counts[f"{kind}_fn"] += len(g - p)
    per_type = {k: prf(counts[f"{k}_tp"], counts[f"{k}_fp"], counts[f"{k}_fn"]) for k in ("PER", "ORG", "LOC")}
    total = prf(*(sum(counts[f"{k}_{f}"] for k in ("PER", "ORG", "LOC")) for f in ("tp", "fp", "fn")))
    return {**total, "per_type": per_type, "sentences": len(sentences), "tokens": n_tokens,
            "tokens_per_s": round(n_tokens / elapsed) if elapsed else None}


def evaluate_ner(data: Path) -> dict[str, Any]:
    results: dict[str, Any] = {"task": "ner", "types": "PER/ORG/LOC, exact span"}
    found = False
    for name, (rel, fmt, lang) in CORPORA.items():
        path = data / rel
        if path.is_file():
            found = True
            results[name] = evaluate_corpus(path, fmt, lang)
    if not found:
        raise EvalError("no NER test split found", input=str(data), hint="point --data at ../shared/data")
    return results
