"""evaluate_langid: missing data is a coded error; on the shared NordicDSL split accuracy stays above a
floor."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.errors import EvalError
from storyline.eval.langid import evaluate_langid


def test_detect_langid_eval_missing_file_raises(tmp_path: Path) -> None:
    with pytest.raises(EvalError) as err:
        evaluate_langid(tmp_path)
    assert err.value.code == "eval.data"


@pytest.mark.slow
@pytest.mark.needs_shared_data
def test_detect_langid_eval_accuracy_floor(shared_data: Path) -> None:
    result = evaluate_langid(shared_data)
    assert result["n"] == 23385
    # Quality floor, never lowered silently: measured 0.9639 on da/nb/nn/sv (own model blended with the Wikipedia
    # word tables, see detect/language.py; 0.948 before, issue 3); the floor is that figure minus 0.005.
    core = result["accuracy_da_nb_nn_sv"]
    assert isinstance(core, float) and core >= 0.958
    per_language = result["per_language"]
    assert isinstance(per_language, dict) and set(per_language) == {"da", "nb", "nn", "sv", "is", "fo"}
    confusion = result["confusion"]
    assert isinstance(confusion, dict) and sum(confusion["nb"].values()) == 3720
    assert "no" not in {code for row in confusion.values() for code in row}
    for key in ("sentences_per_second_da_nb_nn_sv", "cpu_sentences_per_second_da_nb_nn_sv", "load_average_1min"):
        assert isinstance(result[key], float)
