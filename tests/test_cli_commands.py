"""The CLI end to end on real files and a real SQLite file (through click's runner, in-process)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyline.cli import cli

from .conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "cli"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_cli_every_command_has_help() -> None:
    for name, command in cli.commands.items():  # type: ignore[attr-defined]
        code, out, _ = run(name, "--help")
        assert code == 0, name
        assert command.help and "Usage:" in out, name


def test_cli_analyze_danish_and_norwegian_share_keys_and_quote_speakers() -> None:
    code, out, _ = run("analyze", str(FIXTURES / "da-topmoede.txt"), str(FIXTURES / "nb-toppmote.txt"))
    assert code == 0
    da, nb = (json.loads(line) for line in out.splitlines())
    assert (da["language"], nb["language"]) == ("da", "nb")
    for field in ("id", "source", "title", "published", "text", "paragraphs", "entities", "quotes", "dates",
                  "rejected"):
        assert field in da
    keys = lambda a: {e["key"] for e in a["entities"]}  # noqa: E731
    shared = keys(da) & keys(nb)
    russia = {e["key"] for e in da["entities"] if e["text"] == "Rusland"}
    assert russia and russia <= shared, "Rusland (da) and Russland (nb) must get one key"
    belarus = {e["key"] for e in da["entities"] if e["text"] == "Hviderusland"}
    assert belarus and belarus <= keys(nb)
    da_direct = [q for q in da["quotes"] if q["kind"] == "direct"]
    assert da_direct and all("Solvang" in (q["speaker"] or "") or q["speaker_key"] for q in da_direct)
    assert da_direct[0]["text"].startswith("Vi ser en opbygning")
    assert {q["speaker_key"] for q in da_direct} & {q["speaker_key"] for q in nb["quotes"]}
    for item in da["entities"] + da["quotes"] + da["dates"]:
        assert da["text"][item["start"]:item["end"]], item


def test_cli_ingest_mixed_directory_stores_good_rejects_bad(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for f in FIXTURES.glob("*.txt"):
        (inputs / f.name).write_bytes(f.read_bytes())
    (inputs / "empty.txt").write_bytes(b"")
    (inputs / "blob.txt").write_bytes(bytes(range(256)) * 40)
    db = str(tmp_path / "s.db")
    code, out, err = run("ingest", str(inputs), "--db", db)
    assert code == 3, (out, err)
    assert "stored 2" in out and "rejected 2" in out
    assert "empty.txt" in err and "ingest.empty" in err and "ingest.binary" in err
    code, out, _ = run("stories", "--db", db, "--format", "json")
    stories = json.loads(out)
    assert sum(len(s["articles"]) for s in stories) == 2
    assert len(stories) == 1, "the Danish and Norwegian reports of one crisis belong to one story"
    assert set(stories[0]["languages"]) == {"da", "nb"}
    # re-ingesting the same inputs is a no-op
    code, out, _ = run("ingest", str(inputs), "--db", db)
    assert "stored 0, already stored 2" in out
    code, out, _ = run("story", stories[0]["id"], "--db", db, "--explain")
    # why, in words: the first article opened the story, the second joined it for named reasons
    assert code == 0 and "Opened the story" in out and "Joined the " in out
    assert "+ names the same people" in out and "model terms: " in out


def test_cli_untitled_story_is_listed_by_the_opening_of_its_lead(tmp_path: Path) -> None:
    # A JSONL dump of bodies without titles: the story line must say what the story is about, not be empty.
    row = {"text": "Brannvesenet i Tromsø rykket ut til en stor brann i en lagerhall på Breivika natt til tirsdag. "
                   "Ingen personer ble skadd, opplyser politiet.", "published": "2024-03-05T08:00:00+01:00",
           "source": "Nordlys", "url": "https://fiktiv.example/brann"}
    (tmp_path / "rows.jsonl").write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    db = str(tmp_path / "s.db")
    code, _, err = run("ingest", str(tmp_path / "rows.jsonl"), "--db", db)
    assert code == 0, err
    code, out, _ = run("stories", "--db", db)
    story_line = out.splitlines()[0]
    assert "Brannvesenet i Tromsø rykket ut" in story_line, story_line
    story_id = story_line.split()[0]
    code, out, _ = run("story", story_id, "--db", db)
    assert code == 0 and "Brannvesenet i Tromsø rykket ut" in out.splitlines()[0]


def test_cli_usage_error_exits_2_and_missing_store_story_exits_1(tmp_path: Path) -> None:
    code, _, _ = run("stories", "--format", "yaml")
    assert code == 2
    code, _, err = run("story", "s-nope", "--db", str(tmp_path / "x.db"))
    assert code == 1 and "store.not_found" in err


def test_cli_ingest_only_bad_inputs_exits_1(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("   \n")
    code, _, err = run("ingest", str(tmp_path / "empty.txt"), "--db", str(tmp_path / "s.db"))
    assert code == 1 and "ingest.empty" in err


@pytest.mark.slow
def test_cli_demo_corpus_groups_as_gold() -> None:
    """The bundled corpus: stories found by `storyline ingest` against samples/gold.jsonl."""
    from storyline.eval.link import evaluate_link

    result = evaluate_link(ROOT / "samples")
    assert not result["rejected"]
    assert result["story_pairwise"]["precision"] >= 0.9, result
    assert result["story_pairwise"]["recall"] >= 0.8, result
