"""The Wikipedia word tables (detect/lexicon.py) and batch scoring (detect/language.py score_texts): the tables
hash words exactly as the features do, carry the spelling evidence that tells the Nordic languages apart, and a
batch is scored exactly as its texts one by one."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from storyline.detect import features as F
from storyline.detect import lexicon
from storyline.detect.language import decide, score_text, score_texts
from storyline.detect.lexicon import LANGS, load_lexicon


def _word_scores(words: list[str]) -> dict[str, np.ndarray]:
    """Centred da/nb/nn/sv/en table scores of each word alone."""
    scores = load_lexicon().score(F.hash_texts([F.normalise(w) for w in words])).scores[:, :5]
    return dict(zip(words, scores - scores.mean(axis=1, keepdims=True), strict=True))


def test_detect_lexicon_hashes_words_like_the_features() -> None:
    words = ["ikkje", "hvad", "försvaret", "øyane"]
    from_features = np.concatenate([F.hashes(F.normalise(w))[1] for w in words])
    assert np.array_equal(lexicon._word_hashes(words), from_features)


@pytest.mark.parametrize(
    ("word", "winner", "loser"),
    [
        ("ikkje", "nn", "nb"),  # Nynorsk negation
        ("ikke", "nb", "nn"),
        ("inte", "sv", "da"),
        ("hvad", "da", "nb"),  # Danish 'what' vs Bokmål 'hva'
        ("hva", "nb", "da"),
        ("kva", "nn", "nb"),
        ("efter", "da", "nb"),  # Danish/Swedish 'after' vs Norwegian 'etter'
        ("etter", "nb", "da"),
        ("af", "da", "nb"),  # Danish 'of' vs Norwegian/Swedish 'av'
        ("eit", "nn", "nb"),
    ],
)
def test_detect_lexicon_distinctive_spellings_point_the_right_way(word: str, winner: str, loser: str) -> None:
    scores = _word_scores([word])[word]
    assert scores[LANGS.index(winner)] > scores[LANGS.index(loser)] + 1.0


def test_detect_lexicon_unknown_words_are_no_evidence() -> None:
    result = load_lexicon().score(F.hash_texts([F.normalise("qzxvbk wrrpfft")]))
    assert int(result.known[0]) == 0
    assert np.allclose(result.scores[0], 0.0)


def test_detect_features_hash_texts_keeps_each_texts_features_apart() -> None:
    texts = [F.normalise("ab c"), F.normalise("de"), F.normalise("Han kom")]
    hashed = F.hash_texts(texts)
    assert hashed.gram_starts.tolist() == [0, 6 * F.MAX_ORDER, 10 * F.MAX_ORDER]
    assert hashed.word_starts.tolist() == [0, 2, 3]
    for i, text in enumerate(texts):
        grams, words = F.hashes(text)
        end = hashed.gram_starts[i + 1] if i + 1 < len(texts) else len(hashed.grams)
        assert np.array_equal(hashed.grams[hashed.gram_starts[i] : end], grams)
        w_end = hashed.word_starts[i + 1] if i + 1 < len(texts) else len(hashed.words)
        assert np.array_equal(hashed.words[hashed.word_starts[i] : w_end], words)


def test_detect_score_texts_batch_equals_one_by_one() -> None:
    texts = [
        "Regjeringa vil auke forsvarsbudsjettet kraftig dei komande åra.",
        "12 — !!",
        "Polisen söker vittnen efter ett inbrott i en frisörsalong.",
        "Die Polizei sucht Zeugen nach einem Einbruch in der Nacht zum Sonntag.",
        "han er i byen nu",
    ]
    together = score_texts(texts)
    for text, joint in zip(texts, together, strict=True):
        alone = score_text(text)
        assert joint.words == alone.words
        assert joint.scores.keys() == alone.scores.keys()
        for lang, value in alone.scores.items():
            assert joint.scores[lang] == pytest.approx(value, abs=1e-3)
    assert together[1].scores == {}
    assert [decide(g, (), t)[0] for g, t in zip(together, texts, strict=True)] == ["nn", "other", "sv", "de", "da"]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Hallituksen mukaan uusi laki tulee voimaan ensi vuoden alussa, kertoo ministeriö tiedotteessa.", "fi"),
        ("Ríkisstjórnin hefur ákveðið að hækka framlög til heilbrigðismála á næsta ári, segir ráðherrann.", "is"),
        ("Landsstýrið hevur gjørt av at hækka játtanina til heilsuverkið næsta ár, sigur landsstýrismaðurin.", "fo"),
        ("Le gouvernement a annoncé mardi une nouvelle réforme des retraites présentée au parlement.", "other"),
    ],
)
def test_detect_language_still_names_the_neighbours(text: str, code: str) -> None:
    assert decide(score_text(text), (), text)[0] == code


def test_detect_language_swedish_line_with_an_icelandic_name_stays_swedish() -> None:
    text = (
        "Statsministern träffade på tisdagen Islands president Guðni Jóhannesson i Reykjavík, och de talade "
        "länge om säkerheten i Norden och om samarbetet kring elförsörjningen."
    )
    assert decide(score_text(text), (), text)[0] == "sv"


def _small_lexicon() -> lexicon.Lexicon:
    return lexicon.Lexicon(np.array([3, 7, 11], dtype=np.uint64), np.arange(30, dtype=np.float32).reshape(3, 10))


def test_detect_lexicon_cache_round_trip_and_rebuild(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[int] = []

    def load() -> lexicon.Lexicon:
        built.append(1)
        return _small_lexicon()

    monkeypatch.setattr(lexicon.Lexicon, "load", staticmethod(load))
    first = lexicon.Lexicon.load_cached(tmp_path)
    (cached,) = tmp_path.glob("langid-lexicon-*.npz")
    again = lexicon.Lexicon.load_cached(tmp_path)
    assert built == [1]  # the second load read the file
    assert again.keys.dtype == np.uint64 and again.logp.dtype == np.float32
    assert np.array_equal(again.keys, first.keys) and np.array_equal(again.logp, first.logp)
    cached.write_bytes(b"not a numpy file")  # damaged: rebuilt and rewritten, never an error
    assert np.array_equal(lexicon.Lexicon.load_cached(tmp_path).logp, first.logp)
    assert built == [1, 1] and np.array_equal(lexicon.Lexicon.load_cached(tmp_path).keys, first.keys)
    assert built == [1, 1]


def test_detect_lexicon_cache_unwritable_dir_still_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lexicon.Lexicon, "load", staticmethod(_small_lexicon))
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache directory should be")
    assert np.array_equal(lexicon.Lexicon.load_cached(blocked / "cache").keys, _small_lexicon().keys)


def test_detect_lexicon_cache_key_follows_package_versions(monkeypatch: pytest.MonkeyPatch) -> None:
    key = lexicon.cache_key()
    assert key == lexicon.cache_key()
    monkeypatch.setattr(lexicon, "_version", lambda package: "9.9.9")
    assert lexicon.cache_key() != key


def test_detect_lexicon_cached_tables_equal_the_parsed_ones(tmp_path: Path) -> None:
    parsed = lexicon.Lexicon.load_cached(tmp_path)  # an empty cache: parsed from the package, then written
    cached = lexicon.Lexicon.load_cached(tmp_path)
    assert np.array_equal(cached.keys, parsed.keys) and np.array_equal(cached.logp, parsed.logp)
