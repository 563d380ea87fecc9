"""Two-level linking (issue 6): events inside stories, wire copies, merges, time placement, the learned model.

Articles are hand-built and fictional (see tests/test_link_decisions.py); entities are set by hand.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np

from storyline.link import Linker, story_id_for
from storyline.link.cluster import event_id_for
from storyline.link.model import FEATURES, LogisticModel, fit_logistic, load_models
from storyline.link.timing import gap_days, place
from storyline.link.wire import COPY_JACCARD, CopyIndex, signature, similarity
from storyline.models import Article, DateMention, LinkDecision
from storyline.settings import Settings
from tests.test_link_decisions import DAY, distractors, fire_da, fire_nb, fire_sv_followup


def linker_with(store: Any, *articles: Article) -> Linker:
    linker = Linker(store, Settings())
    for art in [*distractors(), *articles]:
        linker.link_and_save(art)
    return linker


def wire_copy_of(original: Article, source: str) -> Article:
    """The same body under another outlet's title and a trimmed last sentence, as outlets do with wire text."""
    copy = fire_da()
    copy.source = source
    copy.title = "Brand i Halden: beboere evakueret"
    copy.text = original.text.rsplit(".", 2)[0] + "."
    copy.id = "a-copy-" + source
    copy.published = (original.published or DAY) + timedelta(minutes=40)
    return copy


def test_link_wire_copy_joins_story_and_event_of_its_original(store: Any) -> None:
    da = fire_da()
    linker = linker_with(store, da)
    copy = linker.link_and_save(wire_copy_of(da, "other-avis"))
    assert copy.link is not None and copy.link.copy_of == da.id
    assert copy.link.story_id == da.story_id and da.link is not None
    assert copy.link.event_id == da.link.event_id
    assert copy.link.features["wire_copy"] == 1.0
    story = store.get_story(da.story_id)
    assert story.reports == 1 and sorted(story.outlets) == ["dk-avis", "other-avis"]


def test_link_own_words_report_is_not_a_copy(store: Any) -> None:
    da = fire_da()
    linker = linker_with(store, da)
    nb = linker.link_and_save(fire_nb())
    assert nb.link is not None and nb.link.copy_of is None


def test_link_wire_signature_tells_copies_from_rewrites() -> None:
    da, nb = fire_da(), fire_nb()
    sig_da, sig_copy, sig_nb = signature(da.text), signature(wire_copy_of(da, "x").text), signature(nb.text)
    assert sig_da is not None and sig_copy is not None and sig_nb is not None
    assert similarity(sig_da, sig_copy) >= COPY_JACCARD > similarity(sig_da, sig_nb)
    assert signature("for kort") is None
    index = CopyIndex()
    index.add(da.id, sig_da)
    match = index.find(sig_copy)
    assert match is not None and match.original == da.id
    assert index.find(sig_nb) is None


def test_link_every_article_gets_an_event_with_stable_id(store: Any) -> None:
    linker = Linker(store, Settings())
    art = fire_da()
    decision = linker.decide(art)
    assert decision.event_action == "new" and decision.event_id == event_id_for(art.id)
    assert decision.event_id.startswith("e") and len(decision.event_id) == 16
    assert decision.event_day == DAY.date().isoformat()


def test_link_stories_report_their_events(store: Any) -> None:
    da = fire_da()
    linker = linker_with(store, da)
    linker.link_and_save(fire_nb())
    linker.link_and_save(fire_sv_followup())
    story = store.get_story(da.story_id)
    assert story.events, story
    listed = [a for e in story.events for a in e.articles]
    assert sorted(listed) == sorted(story.articles)
    assert story.events == store.story_events(da.story_id)
    first = story.events[0]
    assert first.first == DAY.date().isoformat() and first.id == da.link.event_id  # type: ignore[union-attr]
    as_json = story.to_json()
    assert set(as_json["events"][0]) == {"id", "title", "articles", "first", "last"}
    assert as_json["articles"] == story.articles


def test_link_event_day_comes_from_the_text(store: Any) -> None:
    art = fire_da(published=datetime(2025, 3, 14, 9, tzinfo=UTC))
    art.dates = [DateMention("tirsdag", "2025-03-11", "day", 0, 7, "published")]
    decision = Linker(store, Settings()).decide(art)
    assert decision.event_day == "2025-03-11"


def test_link_time_place_from_text_dates_and_month() -> None:
    undated = fire_da(published=None)
    assert place(undated) is None
    undated.dates = [DateMention("24. juni", "2023-06-24", "day", 0, 8)]
    where = place(undated)
    assert where is not None and where.precision == "text" and where.lo.date() == date(2023, 6, 24)
    month = fire_da(published=datetime(2023, 6, 1, tzinfo=UTC))
    month.published_precision = "month"
    where = place(month)
    assert where is not None and where.precision == "month"
    assert where.lo.date() == date(2023, 6, 1) and where.hi.date() == date(2023, 6, 30)
    # an interval overlapping the cluster's span is no gap at all: the uncertainty is not held against it
    assert gap_days(where.lo, where.hi, datetime(2023, 6, 20, tzinfo=UTC), datetime(2023, 6, 21, tzinfo=UTC)) == 0


def test_link_undated_and_month_only_articles_still_join(store: Any) -> None:
    da = fire_da()
    linker = linker_with(store, da)
    undated = linker.decide(fire_nb(published=None))
    assert undated.action == "join" and undated.story_id == da.story_id, undated
    assert undated.features["time_gap"] == 0.0 and "time_gap_days" not in undated.features
    month_only = fire_nb()
    month_only.published_precision = "month"
    decision = linker.decide(month_only)
    assert decision.action == "join" and decision.story_id == da.story_id, decision


def test_link_explanation_is_the_learned_sum(store: Any) -> None:
    linker = linker_with(store, fire_da())
    decision = linker.decide(fire_nb())
    feats = decision.features
    total = feats["bias"] + sum(feats[f"{n}_contribution"] for n in FEATURES)
    assert abs(total - feats["logit"]) < 0.01
    assert abs(decision.score - feats["probability"]) < 0.001
    assert decision.event_features and "logit" in decision.event_features


def test_link_model_fit_learns_a_separable_signal() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 3))
    y = (x[:, 0] - 0.5 * x[:, 1] > 0).astype(np.float64)
    w, b = fit_logistic(x, y, l2=0.1)
    assert w[0] > 0 > w[1] and abs(w[2]) < abs(w[0]) / 5
    model = LogisticModel(("a", "b", "c"), w, b, 0.5)
    assert model.probability(np.array([2.0, -1.0, 0.0])) > 0.9


def test_link_shipped_model_matches_the_features() -> None:
    models = load_models()
    assert models.story.names == FEATURES and models.event.names == FEATURES
    assert 0 < models.story.threshold < 1 and 0 < models.event.threshold < 1


def test_link_merge_moves_articles_and_events_and_keeps_old_ids(store: Any) -> None:
    linker = Linker(store, Settings())
    a, b = fire_da(), fire_sv_followup()
    a.link = LinkDecision(story_id_for(a.id), "new", 0.0, {}, 0, event_id=event_id_for(a.id), event_action="new")
    store.save_article(a)
    linker.commit(a)
    b.link = LinkDecision(story_id_for(b.id), "new", 0.0, {}, 0, event_id=event_id_for(b.id), event_action="new")
    store.save_article(b)
    linker.commit(b)
    bridge = fire_nb()
    bridge.link = LinkDecision(a.link.story_id, "join", 0.99, {}, 2, event_id=a.link.event_id,
                               event_action="join", merged=[b.link.story_id])
    store.save_article(bridge)
    linker.commit(bridge)
    live = store.get_story(b.link.story_id)
    assert live.id == a.link.story_id  # the old id still resolves, to the live story
    assert sorted(live.articles) == sorted([a.id, b.id, bridge.id])
    assert {e.id for e in live.events} == {a.link.event_id, b.link.event_id}
    assert b.link.story_id not in linker.stories and linker.events[b.link.event_id].story_id == live.id
    merges = [c for c in store.changes() if c.action == "merge"]
    assert len(merges) == 1 and merges[0].other_story_id == b.link.story_id


def test_store_changes_since_a_time(store: Any) -> None:
    linker = linker_with(store, fire_da())
    everything = store.changes()
    cut = everything[1].at
    later = store.changes(since=cut)
    assert [c.seq for c in later] == [c.seq for c in everything if c.at > cut]
    assert store.changes(since=datetime.now(UTC) + timedelta(days=1)) == []
    assert linker.stories
    assert everything[0].detail["event"] is not None and everything[0].detail["event_action"] == "new"


def test_link_cli_stories_events_changes_since_time_and_explain(tmp_path: Any) -> None:
    import json

    from click.testing import CliRunner

    from storyline.cli import cli
    from storyline.store import open_store

    db = str(tmp_path / "cli.db")
    with open_store(db) as s:
        da = fire_da()
        linker_with(s, da)
        linker_with_copy = Linker(s, Settings())
        linker_with_copy.link_and_save(fire_nb())
        first_at = s.changes()[0].at
    runner = CliRunner()
    listed = json.loads(runner.invoke(cli, ["stories", "--db", db, "--format", "json"]).output)
    fire = next(st for st in listed if da.id in st["articles"])
    assert fire["events"] and all(set(e) == {"id", "title", "articles", "first", "last"} for e in fire["events"])
    since = runner.invoke(cli, ["changes", "--db", db, "--since", first_at.isoformat(), "--format", "json"])
    assert since.exit_code == 0
    seqs = [c["seq"] for c in json.loads(since.output)]
    assert seqs and min(seqs) > 1
    bad = runner.invoke(cli, ["changes", "--db", db, "--since", "yesterday"])
    assert bad.exit_code == 2 and "neither a change number nor an ISO time" in bad.output
    shown = runner.invoke(cli, ["story", fire["id"], "--db", db, "--explain"])
    assert shown.exit_code == 0 and "event " in shown.output and "probability" in shown.output


def test_link_word_hashes_are_crc32_and_stable() -> None:
    import zlib

    from storyline.link.wire import _word_hashes

    words = ["brand", "halden", "brand", "æøå"]
    assert _word_hashes(words) == [zlib.crc32(w.encode()) for w in words]
    assert signature(fire_da().text) is not None
    assert (signature(fire_da().text) == signature(fire_da().text)).all()  # type: ignore[union-attr]


def test_link_long_story_scores_only_its_newest_events(store: Any) -> None:
    from storyline.link.cluster import MAX_EVENTS, _Cluster, _newest_events

    events = {f"e{i}": _Cluster(f"e{i}", "s") for i in range(MAX_EVENTS + 10)}
    ids = list(events)
    gone = ids[-3]
    del events[gone]  # an event that left the index is skipped, not an error
    newest = _newest_events(events, ids)
    assert len(newest) == MAX_EVENTS - 1
    assert gone not in {c.id for c in newest}
    assert newest[-1].id == ids[-1] and all(c.id in events for c in newest)
