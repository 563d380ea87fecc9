"""One set of readers for the NER corpora in ../shared/data: every split comes back as `Sentence`s with IOB2 tags.

Each corpus keeps its own type names (NorNE's GPE_LOC, PROD, …; DaN+'s and Klintan's MISC); mapping them to a
common set is the caller's business (`eval/ner.py` for scoring, `extract/train_ner.py` for training). Formats
(see each folder's README):

* NorNE: dev/test are UD CoNLL-U with the tag as `name=B-PER` in MISC; train is the rebuilt `token<TAB>tag` file.
* UNER (Danish-DDT, Swedish-Talbanken): `index<TAB>token<TAB>IOB2<TAB>…`, `#` comment lines.
* DaN+: `token<TAB>outer<TAB>inner`; we take the outer level, and `*part` / `*deriv` tags ("russiske",
  "Nato-landene") become O, as in UNER, which was derived from the same annotation.
* Klintan: `token <whitespace> label`, IO labels (`0` = outside); runs become B-/I- spans. It has no dev split:
  every tenth training sentence is held out as dev, deterministically.

UNER Danish-DDT and DaN+ news annotate the same DDT sentences with the same split, so only their train splits may
be used for training when either one's dev or test split is being measured.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from storyline.errors import EvalError
from storyline.extract.tagger import tag_spans

Split = Literal["train", "dev", "test"]
Format = Literal["conllu", "tsv", "uner", "danplus", "klintan"]


@dataclass(frozen=True, slots=True)
class Sentence:
    """One annotated sentence: tokens and their IOB2 tags (the corpus's own type names)."""

    tokens: tuple[str, ...]
    tags: tuple[str, ...]
    language: str
    corpus: str


@dataclass(frozen=True, slots=True)
class CorpusSpec:
    language: str
    files: dict[str, tuple[str, Format]]  # split → (path relative to the data dir, format)
    types: tuple[str, ...]  # the entity types the corpus annotates


CORPORA: dict[str, CorpusSpec] = {
    "norne_nb": CorpusSpec("nb", {
        "train": ("norne/no_bokmaal-norne-train.tsv", "tsv"),
        "dev": ("norne/no_bokmaal-ud-dev.conllu", "conllu"),
        "test": ("norne/no_bokmaal-ud-test.conllu", "conllu"),
    }, ("PER", "ORG", "LOC", "GPE_LOC", "GPE_ORG", "PROD", "EVT", "DRV", "MISC")),
    "norne_nn": CorpusSpec("nn", {
        "train": ("norne/no_nynorsk-norne-train.tsv", "tsv"),
        "dev": ("norne/no_nynorsk-ud-dev.conllu", "conllu"),
        "test": ("norne/no_nynorsk-ud-test.conllu", "conllu"),
    }, ("PER", "ORG", "LOC", "GPE_LOC", "GPE_ORG", "PROD", "EVT", "DRV", "MISC")),
    "uner_da_ddt": CorpusSpec("da", {
        "train": ("uner-danish-ddt/da_ddt-ud-train.iob2", "uner"),
        "dev": ("uner-danish-ddt/da_ddt-ud-dev.iob2", "uner"),
        "test": ("uner-danish-ddt/da_ddt-ud-test.iob2", "uner"),
    }, ("PER", "ORG", "LOC")),
    "danplus_news": CorpusSpec("da", {
        "train": ("danplus/da_news_train.tsv", "danplus"),
        "dev": ("danplus/da_news_dev.tsv", "danplus"),
        "test": ("danplus/da_news_test.tsv", "danplus"),
    }, ("PER", "ORG", "LOC", "MISC")),
    "uner_sv_talbanken": CorpusSpec("sv", {
        "train": ("uner-swedish-talbanken/sv_talbanken-ud-train.iob2", "uner"),
        "dev": ("uner-swedish-talbanken/sv_talbanken-ud-dev.iob2", "uner"),
        "test": ("uner-swedish-talbanken/sv_talbanken-ud-test.iob2", "uner"),
    }, ("PER", "ORG", "LOC")),
    "klintan_sv": CorpusSpec("sv", {
        "train": ("swedish-ner-corpus-klintan/train_corpus.txt", "klintan"),
        "dev": ("swedish-ner-corpus-klintan/train_corpus.txt", "klintan"),
        "test": ("swedish-ner-corpus-klintan/test_corpus.txt", "klintan"),
    }, ("PER", "ORG", "LOC", "MISC")),
}

_KLINTAN_DEV_EVERY = 10  # every tenth Klintan training sentence is its dev split (the corpus ships none)


def corpus_path(data: Path, name: str, split: Split) -> Path:
    spec = _spec(name)
    if split not in spec.files:
        raise EvalError(f"corpus {name!r} has no {split} split", input=name, code="eval.split",
                        hint=f"use one of {', '.join(spec.files)}")
    return data / spec.files[split][0]


def read_corpus(name: str, split: Split, data: Path) -> list[Sentence]:
    """All sentences of one split of one corpus under `data` (../shared/data)."""
    spec = _spec(name)
    path = corpus_path(data, name, split)
    if not path.is_file():
        raise EvalError(f"{name} {split} split not found", input=str(path), code="eval.missing_data",
                        hint="point --data at ../shared/data")
    fmt = spec.files[split][1]
    out: list[Sentence] = []
    for i, (tokens, tags) in enumerate(_blocks(path, fmt)):
        if fmt == "klintan" and split != "test" and (i % _KLINTAN_DEV_EVERY == 0) != (split == "dev"):
            continue
        out.append(Sentence(tuple(tokens), tuple(repair_iob2(tags)), spec.language, name))
    return out


def repair_iob2(tags: list[str]) -> list[str]:
    """IOB2 with every entity opened by B- (an I- after O or after another type becomes B-)."""
    out = ["O"] * len(tags)
    for start, end, kind in tag_spans(tags):
        out[start] = "B-" + kind
        for i in range(start + 1, end):
            out[i] = "I-" + kind
    return out


def _spec(name: str) -> CorpusSpec:
    if name not in CORPORA:
        raise EvalError(f"unknown NER corpus {name!r}", input=name, code="eval.corpus",
                        hint=f"use one of {', '.join(CORPORA)}")
    return CORPORA[name]


def _blocks(path: Path, fmt: Format) -> Iterator[tuple[list[str], list[str]]]:
    tokens: list[str] = []
    tags: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if tokens:
                yield tokens, tags
            tokens, tags = [], []
            continue
        if line.startswith("#") and fmt in ("conllu", "uner"):
            continue
        token, tag = _token_tag(line, fmt)
        if token is None:
            continue
        tokens.append(token)
        tags.append(tag)
    if tokens:
        yield tokens, tags


def _token_tag(line: str, fmt: Format) -> tuple[str | None, str]:
    if fmt == "klintan":
        parts = line.rsplit(None, 1)  # the separator is a tab on some lines, spaces on others
        if len(parts) != 2:
            return None, "O"  # the README's one stray `bn` line: a label with no token
        label = parts[1]
        # IO labels; `0` is outside, and the one stray `bn` label is not a type
        return parts[0], ("I-" + label if label in ("PER", "ORG", "LOC", "MISC") else "O")
    cols = line.split("\t")
    if fmt == "tsv":
        return cols[0], cols[1] if len(cols) > 1 else "O"
    if fmt == "danplus":
        return cols[0], _outer_danplus(cols[1] if len(cols) > 1 else "O")
    if "-" in cols[0] or "." in cols[0]:
        return None, "O"  # CoNLL-U multiword-token ranges and empty nodes
    if fmt == "conllu":
        misc = dict(kv.split("=", 1) for kv in cols[9].split("|") if "=" in kv)
        return cols[1], misc.get("name", "O")
    return cols[1], cols[2]  # uner


def _outer_danplus(tag: str) -> str:
    if tag == "O" or tag.endswith(("part", "deriv")):
        return "O"
    return tag
