"""`storyline eval clean` over the cleaning set (tests/fixtures/clean/dev: the cases the rules were developed on;
tests/fixtures/clean/test: cases written after the rules were frozen) and its metrics on hand-made inputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyline.cli import cli
from storyline.errors import EvalError
from storyline.eval.clean import char_overlap, evaluate_clean, load_clean_cases

FIXTURES = Path(__file__).parent / "fixtures" / "clean"
# Quality floors (exact match, char F1): the figures reached when this set was built (README results table).
# Raise them when the cleaner gets better; never lower them to make a change pass. The one dev miss is a caption
# followed by its credit on the next line in a dump without blank lines, which the cleaner keeps on purpose.
FLOORS = {"dev": (0.97, 0.995), "test": (1.0, 1.0)}


@pytest.mark.parametrize("split", ["dev", "test"])
def test_clean_eval_over_the_cleaning_set_meets_floor(split: str) -> None:
    result = evaluate_clean(FIXTURES / split)
    exact, char_f1 = FLOORS[split]
    assert result["exact_match"] >= exact, result["failures"]
    assert result["char"]["f1"] >= char_f1
    assert result["paragraphs"]["kind_accuracy"] == 1.0
    assert all(v == 1.0 for v in result["metadata"].values()), result["metadata"]


def test_clean_eval_set_covers_outlets_languages_and_formats() -> None:
    cases = load_clean_cases(FIXTURES / "dev") + load_clean_cases(FIXTURES / "test")
    assert len(cases) >= 30
    assert {c.language for c in cases} == {"da", "nb", "nn", "sv", "en"}
    assert {c.path.suffix for c in cases} == {".txt", ".html"}
    assert sum(kind == "subheading" for c in cases for kind, _ in c.paragraphs) >= 15


def test_clean_eval_cli_prints_metrics() -> None:
    result = CliRunner().invoke(cli, ["eval", "clean", "--data", str(FIXTURES / "test")], catch_exceptions=False)
    assert result.exit_code == 0
    metrics = json.loads(result.stdout)
    assert metrics["task"] == "clean" and metrics["cases"] == 17
    assert {"exact_match", "char", "paragraphs", "metadata", "per_language", "failures"} <= set(metrics)


def _case(folder: Path, name: str, raw: str, paragraphs: list[dict[str, str]], title: str) -> None:
    (folder / f"{name}.txt").write_text(raw, encoding="utf-8")
    gold = {"language": "nb", "title": title, "published": None, "updated": None, "paragraphs": paragraphs}
    (folder / f"{name}.expected.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")


def test_clean_eval_scores_a_miss(tmp_path: Path) -> None:
    body = "Kommunestyret vedtok budsjettet torsdag kveld etter en lang debatt om skolene."
    # The gold says the second line is a subheading and the closing line is residue; cleaning keeps that line.
    _case(tmp_path, "a", f"Budsjett vedtatt\n\n{body}\n\nSkolene får mer\n\n{body}\n\nSe video fra møtet",
          [{"body": body}, {"subheading": "Skolene får mer"}, {"body": body}], "Budsjett vedtatt")
    result = evaluate_clean(tmp_path)
    assert result["exact_match"] == 0.0
    assert result["char"]["recall"] == 1.0 and result["char"]["precision"] < 1.0
    assert result["paragraphs"]["recall"] == 1.0 and result["paragraphs"]["precision"] == 0.75
    assert result["paragraphs"]["kind_accuracy"] == 1.0
    assert result["failures"][0]["case"] == "a.txt"


def test_clean_eval_char_overlap_counts_shared_characters_in_order() -> None:
    assert char_overlap("abc", "abc") == 3
    assert char_overlap("abXc", "abc") == 3
    assert char_overlap("", "abc") == 0


def test_clean_eval_bad_data_is_a_coded_error(tmp_path: Path) -> None:
    with pytest.raises(EvalError) as empty:
        evaluate_clean(tmp_path)
    assert empty.value.code == "eval.data" and "NAME.expected.json" in empty.value.full_message
    (tmp_path / "x.expected.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "x.txt").write_text("Tekst", encoding="utf-8")
    with pytest.raises(EvalError, match="not a valid cleaning case"):
        evaluate_clean(tmp_path)
    (tmp_path / "x.expected.json").write_text('{"paragraphs": []}', encoding="utf-8")
    (tmp_path / "x.html").write_text("<p>Tekst</p>", encoding="utf-8")
    with pytest.raises(EvalError, match="exactly one input file"):
        evaluate_clean(tmp_path)
