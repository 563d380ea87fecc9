"""`storyline eval quotes`: quotes found by the extract stage against a gold set of quotes with speakers.

Two gold sets:

* `--data samples` (samples/gold.jsonl): rows carry `quotes: [{"speaker", "kind", "starts_with"}]`; a predicted
  quote matches a gold one of the same article when its text starts with `starts_with`.
* `--data ../shared/data` (eval/data/quotes_gold_test.jsonl): quotes in real news sentences, stored BY REFERENCE
  only (corpus, sentence id, character offsets into that sentence's text, kind, speaker, cue), never the text; the
  eval rebuilds the documents from ../shared/data (`NewsCorpus` below) and runs the pipeline on them. The gold is
  exhaustive over the `portion` lines of the file: every quote in those sentences is listed, so every predicted
  quote that matches none is a false positive. A predicted quote matches a gold one of the same kind group
  (direct / indirect-or-mixed) when it starts where the gold starts (leading quote marks, dashes and spaces
  ignored) or when the two spans share most of the gold span.

Speaker accuracy is over matched direct quotes whose gold speaker is named in the text (a speaker written only as
an unresolvable pronoun, `"speaker": null`, is left out): the gold speaker's last word must appear in the predicted
speaker key or name.

How the documents are rebuilt (the corpora hold sentences, not articles):
  * NorNE (nb, nn; UD dev/test): a sentence that is the title of a newspaper document listed in
    norne/documentation/references_newspaper_*.txt opens a document dated by that reference; the sentences up
    to the next title belong to it. Sentences before the first title form an undated document.
  * DDT (da; uner-danish-ddt, the same sentences as DaN+ news): the file keeps document order but not the
    boundaries, so every 20 consecutive sentences form one document.
  * Klintan (sv): the sentences are shuffled, so every 10 consecutive sentences form one (unrelated) document;
    a pronoun there has no antecedent and the gold speaker is null.
  Every sentence is one paragraph (the corpora do not keep paragraph breaks), except that the sentences of a
  gold quote running over several sentences (`end_sent`) form one paragraph, as they did in the article; Klintan's
  tokens are joined with ordinary spacing rules (`detokenize`).

How the gold was made (quotes_gold_test.jsonl): candidates were listed by a script of its own (dashes, quotation
marks, colons, verbs of saying, "ifølge"/"enligt") and each was decided by reading the documents; rows of kind
"none" record candidates judged not to be quotes (scare quotes, titles, lists, a poster's text). Conventions: a
reporter's question in an interview is no quote; a quote's speaker is the person as the article names them
(null when it never does: "a passer-by", a pronoun in a shuffled Klintan sentence); indirect speech is
annotated only when its speaker is a person the text names (statements of organisations, "legene", "experts"
are not); a narrative sentence ending in a verb of saying and its speaker ("…, sier han.") is direct, one ending
in a verb of opinion ("…, mener han.") indirect. Held out: the test splits (NorNE nb/nn UD test, DDT test,
Klintan test); the rules were developed on the train/dev splits.

The dev gold (quotes_gold_dev.jsonl, the result's "dev" key; 155 direct and 28 indirect/mixed quotes, 73 "not
a quote" rows) follows the same conventions on NorNE nb/nn UD dev, DDT dev and train, and Klintan train
portions; further ones: an interviewer's turn (a dash paragraph ending in "?", or a
statement the next dash turn answers) is no quote, and the answers after it continue the interviewee; a dash
intertitle of a few words ("- Smart og taktisk") is no quote; a quote nested in another (a speaker quoting
someone else) is listed as well, with its own speaker; a thought ("tenke: «…»") is no quote. DDT dev and
train are shuffled like Klintan, so their speakers are named only within the sentence.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from anyascii import anyascii

from storyline.errors import EvalError
from storyline.eval.datasets import load_samples
from storyline.eval.metrics import prf
from storyline.models import Article, Quote, content_id
from storyline.workflows import analyze_articles

_LEAD = re.compile(r"^[\s«»\"“”„'‘’–—-]+")
_GOLD_DIR = Path(__file__).parent / "data"
_QUOTE_GOLD = "quotes_gold_test.jsonl"
# The tuning gold, made the same way on dev/train portions (NorNE nb/nn UD dev, DDT dev, Klintan train); reported
# under the result's "dev" key so rules can be judged without looking at the held-out test errors.
_QUOTE_GOLD_DEV = "quotes_gold_dev.jsonl"
# Sentences per pseudo-document where a corpus keeps no document boundaries (see the module docstring).
_DDT_DOC_SENTENCES = 20
_KLINTAN_DOC_SENTENCES = 10
# A predicted quote that does not start where the gold one does still matches when it covers this share of it.
_MIN_OVERLAP = 0.5
# DDT's `# text` lines put a closing quote mark after the space (`…, "siger hun.`); swapped back here, which keeps
# every offset but the mark's own.
_DDT_CLOSING_RE = re.compile(r'(?<=[,.!?]) "(?=[a-zæøåäö])')


# --- rebuilding news documents from ../shared/data ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CorpusFile:
    path: str  # relative to the data directory
    language: str
    fmt: str  # "conllu" (NorNE UD), "uner" (UNER DDT), "klintan"
    refs: str | None = None  # NorNE: the newspaper reference list that dates documents


CORPUS_FILES: dict[str, CorpusFile] = {
    "norne-nb-dev": CorpusFile("norne/no_bokmaal-ud-dev.conllu", "nb", "conllu",
                               "norne/documentation/references_newspaper_nob.txt"),
    "norne-nb-test": CorpusFile("norne/no_bokmaal-ud-test.conllu", "nb", "conllu",
                                "norne/documentation/references_newspaper_nob.txt"),
    "norne-nn-dev": CorpusFile("norne/no_nynorsk-ud-dev.conllu", "nn", "conllu",
                               "norne/documentation/references_newspaper_nno.txt"),
    "norne-nn-test": CorpusFile("norne/no_nynorsk-ud-test.conllu", "nn", "conllu",
                                "norne/documentation/references_newspaper_nno.txt"),
    "ddt-da-dev": CorpusFile("uner-danish-ddt/da_ddt-ud-dev.iob2", "da", "uner"),
    "ddt-da-test": CorpusFile("uner-danish-ddt/da_ddt-ud-test.iob2", "da", "uner"),
    "ddt-da-train": CorpusFile("uner-danish-ddt/da_ddt-ud-train.iob2", "da", "uner"),
    "klintan-sv-train": CorpusFile("swedish-ner-corpus-klintan/train_corpus.txt", "sv", "klintan"),
    "klintan-sv-test": CorpusFile("swedish-ner-corpus-klintan/test_corpus.txt", "sv", "klintan"),
}


@dataclass(slots=True)
class Sent:
    id: str
    text: str


@dataclass(slots=True)
class Document:
    """Consecutive sentences of one corpus file; `offsets[i]` is where sentence i starts in `text`. A sentence
    in `joined` continues the paragraph of the sentence before it (a quote running over several sentences);
    every other sentence opens a paragraph."""

    corpus: str
    language: str
    sentences: list[Sent]
    published: datetime | None = None
    joined: frozenset[str] = frozenset()
    offsets: list[int] = field(default_factory=list)
    text: str = ""

    def __post_init__(self) -> None:
        parts: list[str] = []
        pos = 0
        for i, s in enumerate(self.sentences):
            if i:
                sep = " " if s.id in self.joined else "\n\n"
                parts.append(sep)
                pos += len(sep)
            self.offsets.append(pos)
            parts.append(s.text)
            pos += len(s.text)
        self.text = "".join(parts)

    def article(self) -> Article:
        source = f"{self.corpus}:{self.sentences[0].id}"
        return Article(
            id=content_id(source, "", self.text), source=source, title="", raw_text=self.text,
            published=self.published, published_precision="exact" if self.published else "unknown",
            fetched=datetime(2000, 1, 1, tzinfo=UTC), input_name=source, meta={"lang_hint": self.language},
        )


def detokenize(tokens: list[str]) -> str:
    """Tokens joined as they were written: no space before closing punctuation or after an opening mark; a
    straight or ” quote mark opens and closes by turns."""
    out: list[str] = []
    toggles = 0
    attach_next = False
    for tok in tokens:
        space = bool(out) and not attach_next
        attach_next = False
        if tok in {",", ".", ":", ";", "!", "?", ")", "»", "%", "..."}:
            space = False
        elif tok in {"(", "«", "„"}:
            attach_next = True
        elif tok in {'"', "”"}:
            if toggles % 2 == 0:
                attach_next = True
            else:
                space = False
            toggles += 1
        out.append((" " if space else "") + tok)
    return "".join(out)


def token_file_sentences(path: Path) -> list[str]:
    """The sentences of a token-per-line file (a token, its label last; a blank line ends a sentence; NorNE's train
    files), each joined by `detokenize`, in file order."""
    out: list[str] = []
    tokens: list[str] = []
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.strip():
            parts = line.split()
            tokens.append(" ".join(parts[:-1]) if len(parts) > 1 else parts[0])
        elif tokens:
            out.append(detokenize(tokens))
            tokens = []
    return out


def read_sentences(data: Path, corpus: str) -> list[tuple[Sent, bool]]:
    """(sentence, opens-a-paragraph) pairs of one corpus file, in file order."""
    spec = _corpus(corpus)
    path = data / spec.path
    if not path.is_file():
        raise EvalError(f"corpus file for {corpus} not found", input=str(path), code="eval.missing_data",
                        hint="point --data at ../shared/data")
    out: list[tuple[Sent, bool]] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    if spec.fmt in ("conllu", "uner"):
        sid = ""
        newpar = False
        for line in lines:
            if line.startswith("# newpar"):
                newpar = True
            elif line.startswith("# sent_id"):
                sid = line.split("=", 1)[1].strip()
            elif line.startswith("# text = "):
                text = line[9:].strip()
                out.append((Sent(sid, _DDT_CLOSING_RE.sub('" ', text) if spec.fmt == "uner" else text), newpar))
                newpar = False
        return out
    tokens: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            parts = line.split()
            tokens.append(" ".join(parts[:-1]) if len(parts) > 1 else parts[0])
        elif tokens:
            out.append((Sent(str(len(out)), detokenize(tokens)), True))
            tokens = []
    return out


def _corpus(name: str) -> CorpusFile:
    if name not in CORPUS_FILES:
        raise EvalError(f"unknown corpus {name!r}", input=name, code="eval.corpus",
                        hint=f"use one of {', '.join(CORPUS_FILES)}")
    return CORPUS_FILES[name]


def references(data: Path, path: str) -> list[dict[str, str]]:
    refs: list[dict[str, str]] = []
    for line in (data / path).read_text(encoding="utf-8").splitlines():
        if re.fullmatch(r"File \d+", line.strip()):
            refs.append({})
        elif refs and ": " in line:
            key, value = line.split(": ", 1)
            refs[-1][key.strip()] = value.strip()
    return refs


def documents(data: Path, corpus: str, joined: frozenset[str] = frozenset()) -> list[Document]:
    """The documents of one corpus file, rebuilt as the module docstring says; `joined` sentences continue the
    paragraph before them and are never cut from it."""
    spec = _corpus(corpus)
    sents = [s for s, _ in read_sentences(data, corpus)]
    if spec.refs is None:
        size = _DDT_DOC_SENTENCES if spec.fmt == "uner" else _KLINTAN_DOC_SENTENCES
        docs: list[Document] = []
        chunk: list[Sent] = []
        for s in sents:
            if len(chunk) >= size and s.id not in joined:
                docs.append(Document(corpus, spec.language, chunk, joined=joined))
                chunk = []
            chunk.append(s)
        if chunk:
            docs.append(Document(corpus, spec.language, chunk, joined=joined))
        return docs
    dated: dict[str, list[datetime]] = defaultdict(list)
    for ref in references(data, spec.refs):
        if ref.get("Title") and ref.get("Date"):
            dated[ref["Title"]].append(datetime.fromisoformat(ref["Date"]).replace(tzinfo=UTC))
    docs = []
    current: list[Sent] = []
    published: datetime | None = None
    for s in sents:
        if s.text in dated and dated[s.text] and s.id not in joined:
            if current:
                docs.append(Document(corpus, spec.language, current, published, joined))
            current, published = [], dated[s.text].pop(0)
        current.append(s)
    if current:
        docs.append(Document(corpus, spec.language, current, published, joined))
    return docs


@lru_cache(maxsize=16)
def _docs_cached(data: str, corpus: str, joined: frozenset[str]) -> tuple[Document, ...]:
    return tuple(documents(Path(data), corpus, joined))


def locate(docs: tuple[Document, ...], sent_id: str) -> tuple[Document, int]:
    """The document holding a sentence and the sentence's offset in the document text."""
    for doc in docs:
        for s, off in zip(doc.sentences, doc.offsets, strict=True):
            if s.id == sent_id:
                return doc, off
    raise EvalError(f"sentence {sent_id!r} not found in {docs[0].corpus if docs else 'the corpus'}",
                    input=sent_id, code="eval.gold",
                    hint="the gold file and the corpus disagree; check the corpus version in its README")


# --- gold by reference ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Portion:
    """Sentences `first`..`last` (file order, inclusive) of a corpus file, annotated exhaustively."""

    corpus: str
    first: str
    last: str


@dataclass(frozen=True, slots=True)
class GoldQuote:
    corpus: str
    sent: str
    start: int  # character offset into the text of sentence `sent`
    end: int  # character offset into the text of sentence `end_sent`
    kind: str  # "direct", "indirect", "mixed"
    speaker: str | None
    cue: str | None
    end_sent: str


def read_gold(path: Path) -> tuple[list[Portion], list[GoldQuote]]:
    """Portions and quotes of a gold file; rows of kind "none" record candidates read and judged not quotes."""
    portions: list[Portion] = []
    quotes: list[GoldQuote] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            if "portion" in row:
                portions.append(Portion(row["corpus"], *row["portion"]))
            elif row["kind"] != "none":
                quotes.append(GoldQuote(row["corpus"], str(row["sent"]), int(row["start"]), int(row["end"]),
                                        row["kind"], row.get("speaker"), row.get("cue"),
                                        str(row.get("end_sent", row["sent"]))))
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise EvalError(f"line {n} is not a gold row: {exc}", input=str(path), code="eval.gold",
                            hint="each line is a portion or a quote reference (see eval/quotes.py)") from exc
    return portions, quotes


def joined_sentences(data: Path, gold: list[GoldQuote]) -> dict[str, frozenset[str]]:
    """Per corpus, the sentences that continue a quote begun in the sentence before (one paragraph)."""
    out: dict[str, set[str]] = defaultdict(set)
    for g in gold:
        if g.end_sent == g.sent:
            continue
        ids = [s.id for s, _ in read_sentences(data, g.corpus)]
        first, last = ids.index(g.sent), ids.index(g.end_sent)
        out[g.corpus].update(ids[first + 1 : last + 1])
    return {corpus: frozenset(ids) for corpus, ids in out.items()}


def portion_documents(docs: tuple[Document, ...], portion: Portion) -> Iterator[tuple[Document, set[int]]]:
    """Documents overlapping a portion, each with the offsets of its sentences inside the portion."""
    inside = False
    for doc in docs:
        chosen: set[int] = set()
        for s, off in zip(doc.sentences, doc.offsets, strict=True):
            if s.id == portion.first:
                inside = True
            if inside:
                chosen.add(off)
            if s.id == portion.last:
                inside = False
        if chosen:
            yield doc, chosen


# --- scoring ---------------------------------------------------------------------------------------------------


def _norm(text: str) -> str:
    return " ".join(_LEAD.sub("", text).split()).lower()


def _fold(name: str) -> str:
    return anyascii(name).lower()


def _speaker_ok(gold_speaker: str, quote: Quote) -> bool:
    surname = _fold(gold_speaker.split()[-1])
    return surname in _fold(quote.speaker_key or "") or surname in _fold(quote.speaker or "")


def _group(kind: str) -> str:
    return "direct" if kind == "direct" else "indirect"


def evaluate_quotes(data: Path) -> dict[str, Any]:
    if (data / "gold.jsonl").is_file():
        return _evaluate_samples(data)
    if (data / "norne").is_dir():
        result = evaluate_quotes_corpus(data, _GOLD_DIR / _QUOTE_GOLD)
        result["dev"] = evaluate_quotes_corpus(data, _GOLD_DIR / _QUOTE_GOLD_DEV)
        return result
    raise EvalError("no quote gold for this folder", input=str(data), code="eval.missing_data",
                    hint="pass --data samples or --data ../shared/data")


def _evaluate_samples(data: Path) -> dict[str, Any]:
    labelled = load_samples(data)
    counts: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for article in analyze_articles(labelled.articles):
        if article.rejected:
            continue
        lang = labelled.extra[article.id].get("language", article.language or "?")
        gold = labelled.extra[article.id].get("quotes", [])
        for kind in ("direct", "indirect"):
            g = [q for q in gold if q.get("kind", "direct") == kind]
            p = [q for q in article.quotes if _group(q.kind) == kind]
            matched: set[int] = set()
            c = counts[(kind, lang)]
            for gq in g:
                start = _norm(gq["starts_with"])
                hit = next((i for i, pq in enumerate(p) if i not in matched and _norm(pq.text).startswith(start)),
                           None)
                if hit is None:
                    c["fn"] += 1
                    continue
                matched.add(hit)
                c["tp"] += 1
                if kind == "direct":
                    c["speaker_n"] += 1
                    c["speaker_ok"] += _speaker_ok(gq["speaker"], p[hit])
            c["fp"] += len(p) - len(matched)
    return {"task": "quotes", "set": labelled.name, **_summarise(counts)}


def _lead_offset(text: str, start: int, end: int) -> int:
    """Where a span's words start (quote marks, dashes and spaces skipped)."""
    while start < end and (text[start].isspace() or text[start] in "«»\"“”„'‘’–—-"):
        start += 1
    return start


def evaluate_quotes_corpus(data: Path, gold_path: Path) -> dict[str, Any]:
    """Quotes on the rebuilt news documents of the gold's portions (see the module docstring)."""
    portions, gold = read_gold(gold_path)
    joined = joined_sentences(data, gold)
    corpora = {p.corpus: _docs_cached(str(data), p.corpus, joined.get(p.corpus, frozenset())) for p in portions}
    by_doc: dict[str, list[tuple[int, int, GoldQuote]]] = defaultdict(list)
    for g in gold:
        docs = corpora.get(g.corpus) or _docs_cached(str(data), g.corpus, joined.get(g.corpus, frozenset()))
        doc, start_off = locate(docs, g.sent)
        _, end_off = locate(docs, g.end_sent)
        by_doc[doc.article().id].append((start_off + g.start, end_off + g.end, g))
    jobs = [pair for p in portions for pair in portion_documents(corpora[p.corpus], p)]
    counts: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    errors: list[dict[str, Any]] = []
    for (doc, chosen), article in zip(jobs, analyze_articles([d.article() for d, _ in jobs]), strict=True):
        spans = [(off, off + len(s.text)) for s, off in zip(doc.sentences, doc.offsets, strict=True) if off in chosen]
        # The clean stage may move text; predicted offsets are mapped back by finding the quote in the document.
        found = [] if article.rejected else [_relocate(doc.text, q) for q in article.quotes]
        predicted = [q for q in found if q is not None and any(s <= q.start < e for s, e in spans)]
        golds = by_doc.get(article.id, [])
        for kind in ("direct", "indirect"):
            _score(doc, [x for x in golds if _group(x[2].kind) == kind],
                   [q for q in predicted if _group(q.kind) == kind], counts[(kind, doc.language)], errors)
    return {"task": "quotes", "set": f"{gold_path.name} ({', '.join(p.corpus for p in portions)})",
            **_summarise(counts), "errors": errors}


def _score(doc: Document, gold: list[tuple[int, int, GoldQuote]], predicted: list[Quote], c: dict[str, int],
           errors: list[dict[str, Any]]) -> None:
    matched: set[int] = set()
    for g_start, g_end, gq in gold:
        hit = _match(doc.text, g_start, g_end, predicted, matched)
        if hit is None:
            c["fn"] += 1
            errors.append({"error": "missed", "kind": gq.kind, "corpus": gq.corpus, "sent": gq.sent})
            continue
        matched.add(hit)
        c["tp"] += 1
        if gq.kind == "direct" and gq.speaker is not None:
            c["speaker_n"] += 1
            ok = _speaker_ok(gq.speaker, predicted[hit])
            c["speaker_ok"] += ok
            if not ok:
                errors.append({"error": "speaker", "corpus": gq.corpus, "sent": gq.sent, "gold": gq.speaker,
                               "predicted": predicted[hit].speaker})
    c["fp"] += len(predicted) - len(matched)
    for i, q in enumerate(predicted):
        if i not in matched:
            errors.append({"error": "spurious", "kind": q.kind, "corpus": doc.corpus, "sent": _sent_at(doc, q.start)})


def _sent_at(doc: Document, pos: int) -> str:
    idx = max(i for i, off in enumerate(doc.offsets) if off <= pos)
    return doc.sentences[idx].id


def _relocate(doc_text: str, q: Quote) -> Quote | None:
    if doc_text[q.start : q.end] == q.text:
        return q
    # the occurrence nearest the predicted offset: a quote repeated as an intertitle appears twice
    hits = [m.start() for m in re.finditer(re.escape(q.text), doc_text)]
    if not hits:
        return None
    at = min(hits, key=lambda h: abs(h - q.start))
    return Quote(q.text, q.kind, q.speaker, q.speaker_key, q.cue, at, at + len(q.text))


def _match(text: str, g_start: int, g_end: int, p: list[Quote], matched: set[int]) -> int | None:
    lead = _lead_offset(text, g_start, g_end)
    for i, q in enumerate(p):
        if i not in matched and _lead_offset(text, q.start, q.end) == lead:
            return i
    for i, q in enumerate(p):
        shared = min(q.end, g_end) - max(q.start, g_start)
        if i not in matched and shared >= _MIN_OVERLAP * (g_end - g_start):
            return i
    return None


def _summarise(counts: dict[tuple[str, str], dict[str, int]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for kind in ("direct", "indirect"):
        rows = {lang: c for (k, lang), c in counts.items() if k == kind}
        total = {f: sum(c[f] for c in rows.values()) for f in ("tp", "fp", "fn", "speaker_ok", "speaker_n")}
        out[kind] = {
            **prf(total["tp"], total["fp"], total["fn"]),
            "gold": total["tp"] + total["fn"],
            "predicted": total["tp"] + total["fp"],
            "per_language": {lang: _row(kind, c) for lang, c in sorted(rows.items())},
        }
        if kind == "direct":
            out[kind]["speaker_accuracy"] = _ratio(total["speaker_ok"], total["speaker_n"])
    return out


def _row(kind: str, c: dict[str, int]) -> dict[str, Any]:
    row: dict[str, Any] = {**prf(c["tp"], c["fp"], c["fn"]), "gold": c["tp"] + c["fn"]}
    if kind == "direct":
        row["speaker_accuracy"] = _ratio(c["speaker_ok"], c["speaker_n"])
    return row


def _ratio(a: int, b: int) -> float:
    return round(a / b, 4) if b else 0.0
