"""Loaders for labelled sets. Each yields Articles (as ingest would) plus gold labels keyed by article id.

Texts are read from where they live (`samples/`, `../shared/data`, a user's JSONL file) and never copied.

The documented labelled-set format for linking (one JSON object per line):
`{"id", "title", "text", "published", "language", "source", "url", "event", "story"}` — `event` and `story`
are gold cluster labels; `id` is the set's own id (the article id storyline computes is separate).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from storyline.errors import EvalError
from storyline.models import Article, content_id
from storyline.settings import Settings


@dataclass
class LabelledSet:
    name: str
    articles: list[Article]
    story: dict[str, str] = field(default_factory=dict)  # article id → gold story label
    event: dict[str, str] = field(default_factory=dict)  # article id → gold event label
    extra: dict[str, dict[str, Any]] = field(default_factory=dict)  # article id → the gold row


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise EvalError(f"line {n} is not JSON: {exc.msg}", input=str(path),
                            hint="fix the line; each line must be one JSON object") from exc
    return rows


def load_samples(root: Path) -> LabelledSet:
    """The bundled fictional corpus: `root/articles/` read by the real readers, `root/gold.jsonl` labels."""
    from storyline.ingest import read_inputs

    gold_path = root / "gold.jsonl"
    if not gold_path.is_file():
        raise EvalError("no gold.jsonl here", input=str(root), hint="point --data at the samples/ folder")
    gold = {row["input"]: row for row in _read_jsonl(gold_path)}
    out = LabelledSet(name="samples", articles=[])
    articles_dir = root / "articles"
    for article in read_inputs([str(articles_dir)], Settings.load()):
        rel = Path(article.input_name.split(":")[0]).relative_to(articles_dir).as_posix()
        line = article.input_name.rsplit(":", 1)[1] if ":" in article.input_name else None
        row = gold.get(f"{rel}:{line}" if line else rel)
        if row is None:
            raise EvalError(f"{article.input_name} has no gold row", input=str(gold_path),
                            hint="add a line for every article in samples/articles")
        out.articles.append(article)
        out.story[article.id] = row["story"]
        out.event[article.id] = row.get("event", row["story"])
        out.extra[article.id] = row
    return out


def load_hard_set(root: Path) -> LabelledSet:
    """The Nordic cross-lingual hard set (`samples/hard`): fictional articles laid out like the bundled corpus
    (`root/articles/` + `root/gold.jsonl` with story, event and wire_of labels; no quote rows), so the real readers
    parse it. Named `nordic-hard` in eval output."""
    if not (root / "articles").is_dir():
        raise EvalError("no articles/ folder here", input=str(root), hint="point --data at samples/hard")
    out = load_samples(root)
    out.name = "nordic-hard"
    return out


def load_hard_dev_set(root: Path) -> LabelledSet:
    """The development twin of the hard set (`samples/hard_dev`): the same layout, languages and traps with other
    stories, so the linker can be trained and tuned on it while `samples/hard` stays a test set. Named
    `nordic-hard-dev`."""
    if not (root / "articles").is_dir():
        raise EvalError("no articles/ folder here", input=str(root), hint="point --data at samples/hard_dev")
    out = load_samples(root)
    out.name = "nordic-hard-dev"
    return out


def load_jsonl_set(path: Path) -> LabelledSet:
    """A labelled JSONL file in the documented format above."""
    out = LabelledSet(name=path.stem, articles=[])
    for n, row in enumerate(_read_jsonl(path), 1):
        missing = [k for k in ("text", "story") if not row.get(k)]
        if missing:
            raise EvalError(f"line {n} lacks {missing}", input=str(path),
                            hint="each line needs at least text and story (see eval/datasets.py)")
        article = _article(row, source=row.get("source") or "unknown", input_name=f"{path}:{n}")
        out.articles.append(article)
        out.story[article.id] = str(row["story"])
        out.event[article.id] = str(row.get("event") or row["story"])
    return out


def load_ecbplus(data_dir: Path, topics: range = range(26, 46), seed: int = 13) -> LabelledSet:
    """ECB+ documents of the given topics, shuffled (ECB+ has no dates; a real stream interleaves topics)."""
    path = data_dir / "ecbplus-event-clusters" / "ecbplus_documents.jsonl"
    if not path.is_file():
        raise EvalError("ECB+ documents not found", input=str(path), hint="point --data at ../shared/data")
    rows = [r for r in _read_jsonl(path) if r["topic"] in topics]
    random.Random(seed).shuffle(rows)
    out = LabelledSet(name="ecbplus", articles=[])
    for row in rows:
        title, _, body = row["text"].partition("\n")
        if not body.strip():  # some ECB documents are a single sentence: keep it as the body, not the title
            title, body = "", row["text"]
        article = _article({"title": title, "text": body, "language": "en"}, source=row["doc_id"],
                           input_name=row["doc_id"])
        out.articles.append(article)
        out.story[article.id] = row["cluster_id"]
        out.event[article.id] = row["cluster_id"]
    return out


def load_news_background(data_dir: Path, split: str = "dev") -> LabelledSet:
    """Real Norwegian newspaper articles as a background stream: NorNE's nb and nn documents of `split` (dated by
    the corpus's newspaper reference lists, outlet from the same lists), each its own story and event. Training
    reads the dev split; `storyline eval link --data ../shared/data/norne` reports on the test split, where BCubed
    precision is the share of articles kept apart from unrelated ones.

    NorNE samples articles from many papers and years, so nearly all are unrelated; several share an outlet and
    a day (the local news of one paper), which is what a real stream is mostly made of and what the fictional
    sets lack. Link training uses it to learn that same outlet, same day and a shared place name do not make a
    story. A few documents may in truth report one happening (two race reports of one day): labelled apart here.
    """
    from storyline.eval.quotes import CORPUS_FILES, documents, references

    if split not in ("dev", "test"):
        raise EvalError(f"no NorNE split {split!r} with newspaper dates", input=split, hint="use dev or test")
    out = LabelledSet(name="news_background" if split == "dev" else f"news_background_{split}", articles=[])
    for corpus in (f"norne-nb-{split}", f"norne-nn-{split}"):
        refs = CORPUS_FILES[corpus].refs
        outlet: dict[str, list[str]] = {}
        for ref in references(data_dir, refs) if refs else []:
            outlet.setdefault(ref.get("Title", ""), []).append(ref.get("Source", "norne"))
        for doc in documents(data_dir, corpus):
            if doc.published is None or len(doc.sentences) < 3:
                continue  # undated or a fragment: not an article of the stream
            title = doc.sentences[0].text
            body = doc.text[doc.offsets[1]:]
            sources = outlet.get(title) or ["norne"]
            article = _article({"title": title, "text": body, "language": doc.language,
                                "published": doc.published.isoformat()}, source=sources.pop(0),
                               input_name=f"{corpus}:{doc.sentences[0].id}")
            out.articles.append(article)
            out.story[article.id] = out.event[article.id] = article.id
    return out


def _article(row: dict[str, Any], *, source: str, input_name: str) -> Article:
    title = row.get("title") or ""
    text = row["text"]
    published = _parse_time(row.get("published"))
    meta = {"lang_hint": row["language"]} if row.get("language") else {}
    return Article(
        id=content_id(source, title, text), source=source, url=row.get("url"), title=title, raw_text=text,
        published=published, published_precision="exact" if published else "unknown",
        fetched=datetime(2000, 1, 1, tzinfo=UTC), input_name=input_name, meta=meta,
    )


def _parse_time(value: object) -> datetime | None:
    if not value:
        return None
    dt = datetime.fromisoformat(str(value))
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)
