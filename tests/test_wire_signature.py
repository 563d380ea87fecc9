"""The wire signature's fast path (issue 6, speed): no deduplication of shingles and the shift taken after the
minimum give the MinHash signature bit for bit, so wire-copy decisions cannot move."""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from storyline.link import wire


def _reference_signature(text: str) -> np.ndarray | None:
    """The MinHash signature as first written: deduplicated shingles, shift before the minimum."""
    import zlib

    words = re.findall(r"\w+", text.lower())
    if len(words) < wire.SHINGLE + wire.MIN_SHINGLES:
        return None
    h = np.asarray([zlib.crc32(w.encode()) for w in words], dtype=np.uint64)
    prime = np.uint64((1 << 61) - 1)
    combined = ((h[:-2] * wire._C1) % prime + (h[1:-1] * wire._C2) % prime + h[2:]) % prime
    hashes = np.unique(combined % np.uint64(1 << 32))
    mixed: np.ndarray = (hashes[:, None] * wire._A[None, :] + wire._B[None, :]) >> np.uint64(32)
    return mixed.min(axis=0)


def test_wire_signature_matches_the_reference_minhash() -> None:
    rng = np.random.default_rng(7)
    vocabulary = [f"ord{i}" for i in range(60)] + ["brand", "halden", "æøå", "köpa"]
    texts = [" ".join(rng.choice(vocabulary, size=n)) for n in (22, 23, 40, 300, 600)]
    texts.append(" ".join(["samme ord igen"] * 30))  # repeated shingles
    for text in texts:
        got, want = wire.signature(text), _reference_signature(text)
        if want is None:
            assert got is None
            continue
        assert got is not None and got.dtype == np.uint64 and np.array_equal(got, want)


def test_wire_word_hashes_fill_the_cache_for_new_words() -> None:
    import zlib

    fresh = [f"nytord{i}" for i in range(5)]
    for w in fresh:
        wire._hashes.pop(w, None)
    words = ["brand", *fresh, "brand"]
    assert wire._word_hashes(words) == [zlib.crc32(w.encode()) for w in words]
    assert all(w in wire._hashes for w in fresh)


def test_wire_copy_index_finds_copies_forgets_the_oldest_and_leaves_no_stale_bands(monkeypatch: Any) -> None:
    monkeypatch.setattr(wire, "MAX_REMEMBERED", 4)
    rng = np.random.default_rng(8)
    vocabulary = [f"ord{i}" for i in range(500)]
    texts = [" ".join(rng.choice(vocabulary, size=80)) for _ in range(5)]
    sigs = [wire.signature(t) for t in texts]
    index = wire.CopyIndex()
    index.add("a0", sigs[0])
    index.add("a0-copy", sigs[0], copy_of="a0")
    index.add("a1", sigs[1])
    match = index.find(sigs[0])
    assert match is not None and match.original == "a0" and match.similarity == 1.0  # a copy of a copy → a0
    assert index.find(sigs[2]) is None  # a different text shares no band worth a match
    index.add("a2", sigs[2])
    index.add("a3", sigs[3])  # five: a0, the oldest, is forgotten
    assert len(index) == 4
    match = index.find(sigs[0])
    assert match is not None and match.original == "a0"  # found through its copy, which is still remembered
    index.add("a4", sigs[4])  # the copy goes too
    assert index.find(sigs[0]) is None
    held = {aid for posting in index._bands.values() for aid in ([posting] if isinstance(posting, str) else posting)}
    assert held == {"a1", "a2", "a3", "a4"}  # no band still points at a forgotten article
    assert all(isinstance(p, str) or len(p) > 1 for p in index._bands.values())


def test_wire_copy_index_with_packed_signatures_answers_as_a_plain_index_would(monkeypatch: Any) -> None:
    """Issue 6 (memory at 1M): with signatures stored packed in 32 bits, the index gives the matches a plain
    dict of bands over the signatures as computed gives, for near copies of remembered and of forgotten texts."""
    monkeypatch.setattr(wire, "MAX_REMEMBERED", 400)
    rng = np.random.default_rng(9)
    vocabulary = np.array([f"ord{i}" for i in range(3000)])
    bodies = [rng.choice(vocabulary, size=60).tolist() for _ in range(900)]
    index = wire.CopyIndex()
    reference: dict[int, list[str]] = {}
    matched = 0
    remembered: list[str] = []
    sigs: dict[str, np.ndarray] = {}
    for i, body in enumerate(bodies):
        if i and i % 7 == 0:  # a near copy of an earlier text: a few words changed
            body = list(bodies[int(rng.integers(0, i))])
            for j in rng.integers(0, len(body), size=4).tolist():
                body[j] = str(rng.choice(vocabulary))
        sig = wire.signature(" ".join(body))
        assert sig is not None
        aid = f"a{i}"
        # the reference: every remembered signature sharing a band, best by similarity then smallest id
        keys = wire.CopyIndex._keys(sig)
        found = {a for k in keys for a in reference.get(k, []) if a in sigs}
        scored = [(wire.similarity(sig, sigs[a]), a) for a in found]
        want = max(((s, a) for s, a in scored if s >= wire.COPY_JACCARD), key=lambda t: (t[0], _neg(t[1])),
                   default=None)
        got = index.find(sig)
        if want is None:
            assert got is None
        else:
            assert got is not None and (got.original, got.similarity) == (want[1], want[0])
        matched += want is not None
        index.add(aid, sig)
        for k in keys:
            reference.setdefault(k, []).append(aid)
        remembered.append(aid)
        sigs[aid] = sig
        if len(remembered) > wire.MAX_REMEMBERED:
            del sigs[remembered.pop(0)]
    assert len(index) == wire.MAX_REMEMBERED
    assert len(index._bands) <= wire.BANDS * wire.MAX_REMEMBERED  # forgotten signatures left no band behind
    assert matched > 50  # near copies were found (those of forgotten texts were not)


def _neg(text: str) -> tuple[int, ...]:
    return tuple(-ord(ch) for ch in text)
