"""A digest of everything the analysis stages assign, over a fixed corpus: proves a speed change kept the output.

Performance work on clean → detect → extract must not change a single field. This runs the analysis stages (the
same `Pipeline` that `storyline analyze` and the ingest workers run; `Pipeline.run_chunk` on `--chunk` articles at a
time as the workers do, or `run_one` per article with `--chunk 0`) over a fixed corpus and hashes, per article,
every field they assign: title, text, paragraphs (offsets, kind, language, confidence), language and confidence,
published and its precision, meta, the source map, entities, quotes and dates, or the rejection. Floats are
hashed by `repr`, so they must be bit-identical too.

The corpus: `samples/articles`, `samples/hard/articles` and `samples/hard_dev/articles` (read by the real
readers), the bench generator's synthetic articles (two seeds), and real documents rebuilt at run time from
`../shared/data` (NorNE nb/nn, DDT, Klintan, ECB+); never copied anywhere, only their digests are written. Without
`--data` (or when it is missing) the real documents are left out and the output says so.

    python benchmarks/analysis_fingerprint.py --out /tmp/before.jsonl            # record
    python benchmarks/analysis_fingerprint.py --out /tmp/after.jsonl --compare /tmp/before.jsonl

Writes one line per article (`{"input", "digest"}`) to `--out`, prints the overall digest, the article count per
part and the CPU seconds spent; with `--compare` it lists the articles whose digest changed and exits 1 if any
did (the diff of one article: `--show INPUT` prints its fields as JSON).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import generate

from storyline.models import Article
from storyline.pipeline import analysis_pipeline
from storyline.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIRS = ("samples/articles", "samples/hard/articles", "samples/hard_dev/articles")
SYNTHETIC = ((31, 300), (7, 200))  # (seed, articles): the analysis_cpu corpus and the bench's default seed
REAL_CORPORA = ("norne-nb-dev", "norne-nn-dev", "ddt-da-dev", "klintan-sv-test")
ECB_DOCS = 120


def corpus(data: Path | None) -> Iterator[tuple[str, Article]]:
    """(part, raw article) for the whole fixed corpus, always in the same order."""
    from storyline.ingest import read_inputs

    settings = Settings.load()
    for folder in SAMPLE_DIRS:
        for article in read_inputs([str(ROOT / folder)], settings):
            article.input_name = Path(article.input_name).relative_to(ROOT).as_posix()
            yield folder, article
    for seed, n in SYNTHETIC:
        for article in generate(n, seed=seed):
            article.input_name = f"synthetic-{seed}:{article.input_name.split(':')[1]}"
            yield f"synthetic-{seed}", article
    if data is None:
        return
    from storyline.eval.datasets import load_ecbplus
    from storyline.eval.quotes import documents

    for name in REAL_CORPORA:
        for doc in documents(data, name):
            yield name, doc.article()
    for article in load_ecbplus(data, topics=range(1, 46)).articles[:ECB_DOCS]:
        yield "ecbplus", article


def assigned(article: Article) -> dict[str, Any]:
    """Every field the analysis stages assign, as JSON-able values (floats as repr: bit-identical or not)."""
    if article.rejected is not None:
        return {"rejected": [article.rejected.code, article.rejected.message]}
    return {
        "title": article.title,
        "text": article.text,
        "paragraphs": [[p.start, p.end, p.kind, p.language, repr(p.language_confidence)] for p in article.paragraphs],
        "language": article.language,
        "language_confidence": repr(article.language_confidence),
        "published": article.published.isoformat() if article.published else None,
        "published_precision": article.published_precision,
        "meta": sorted(article.meta.items()),
        "source_map": [list(seg) for seg in article.source_map],
        "entities": [[e.text, e.type, e.key, e.start, e.end] for e in article.entities],
        "quotes": [[q.text, q.kind, q.speaker, q.speaker_key, q.cue, q.start, q.end] for q in article.quotes],
        "dates": [[d.text, d.value, d.granularity, d.start, d.end, d.anchored] for d in article.dates],
    }


def digest(fields: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(fields, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:20]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data",
                        help="../shared/data (NorNE, DDT, Klintan, ECB+ documents); left out when missing")
    parser.add_argument("--out", type=Path, required=True, help="per-article digests (JSONL)")
    parser.add_argument("--compare", type=Path, help="an earlier --out file: list the articles that changed")
    parser.add_argument("--show", help="print the assigned fields of this input as JSON (for a diff)")
    parser.add_argument("--chunk", type=int, default=16,
                        help="articles per `Pipeline.run_chunk` call, as the ingest workers send them (default 16); "
                        "0: `run_one` per article")
    args = parser.parse_args()
    data = args.data if (args.data / "norne").is_dir() else None
    pipeline = analysis_pipeline(Settings.load())
    lines: list[dict[str, str]] = []
    parts: dict[str, int] = {}
    cpu = 0.0
    overall = hashlib.sha256()
    stream = corpus(data)
    while chunk := list(islice(stream, max(args.chunk, 1))):
        t0 = time.process_time()
        if args.chunk > 0:
            analysed = pipeline.run_chunk([article for _, article in chunk])
        else:
            analysed = [pipeline.run_one(article) for _, article in chunk]
        cpu += time.process_time() - t0
        for (part, article), done in zip(chunk, analysed, strict=True):
            fields = assigned(done)
            if args.show is not None and article.input_name == args.show:
                print(json.dumps(fields, ensure_ascii=False, indent=1))
            line = {"input": article.input_name, "digest": digest(fields)}
            overall.update(f"{line['input']}\t{line['digest']}\n".encode())
            lines.append(line)
            parts[part] = parts.get(part, 0) + 1
    args.out.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    print(json.dumps({"digest": overall.hexdigest()[:20], "articles": len(lines), "chunk": args.chunk, "parts": parts,
                      "real_documents": data is not None, "analysis_cpu_s": round(cpu, 2)}))
    if args.compare is None:
        return 0
    before = {row["input"]: row["digest"] for row in map(json.loads, args.compare.read_text().splitlines())}
    changed = [line["input"] for line in lines if before.get(line["input"]) != line["digest"]]
    missing = sorted(set(before) - {line["input"] for line in lines})
    print(json.dumps({"compared_with": str(args.compare), "changed": len(changed), "missing": len(missing),
                      "first_changed": changed[:20]}))
    return 1 if changed or missing else 0


if __name__ == "__main__":
    sys.exit(main())
