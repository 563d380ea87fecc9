"""Directories: walked recursively, sorted, hidden entries skipped, every bad file a coded rejection."""

from __future__ import annotations

from pathlib import Path

from storyline.ingest import read_inputs
from storyline.settings import Settings

GOOD = "Ny skole i Tromsø\n\nKommunen åpner en ny barneskole på Kvaløya i august, med plass til 300 elever.\n"


def test_ingest_directory_with_good_and_bad_files(tmp_path: Path) -> None:
    root = tmp_path / "in"
    (root / "b" / "deeper").mkdir(parents=True)
    (root / ".hidden").mkdir()
    (root / "a-good.txt").write_text(GOOD, encoding="utf-8")
    (root / "a-empty.txt").write_text("", encoding="utf-8")
    (root / "b" / "binary.dat").write_bytes(b"\x00\x01\x02" * 100)
    (root / "b" / "deeper" / "good.jsonl").write_text(
        '{"title": "Kort sak", "text": "Brannvesenet rykket ut til en pipebrann i natt."}\n{oops\n',
        encoding="utf-8",
    )
    latin = "Fiskeværet i Å får ny kai\n\nKaien på Å i Lofoten blir ny.".encode("latin-1")
    (root / "b" / "latin.txt").write_bytes(latin)
    (root / ".hidden" / "secret.txt").write_text(GOOD, encoding="utf-8")
    (root / ".dotfile.txt").write_text(GOOD, encoding="utf-8")

    articles = list(read_inputs([str(root)], Settings()))
    by_name = {a.input_name: a for a in articles}
    deeper = str(root / "b" / "deeper" / "good.jsonl")
    assert list(by_name) == [
        str(root / "a-empty.txt"),
        str(root / "a-good.txt"),
        str(root / "b" / "binary.dat"),
        str(root / "b" / "latin.txt"),
        f"{deeper}:1",
        f"{deeper}:2",
    ]
    expected_codes = {
        str(root / "a-empty.txt"): "ingest.empty",
        str(root / "b" / "binary.dat"): "ingest.binary",
        f"{deeper}:2": "ingest.malformed_json",
    }
    for name, article in by_name.items():
        if name in expected_codes:
            assert article.rejected is not None and article.rejected.code == expected_codes[name]
            assert name in article.rejected.message
        else:
            assert article.rejected is None, article.rejected
            assert article.raw_text and article.id.startswith("a")
    assert by_name[str(root / "b" / "latin.txt")].title == "Fiskeværet i Å får ny kai"


def test_ingest_empty_directory_is_reported(tmp_path: Path) -> None:
    [article] = read_inputs([str(tmp_path)], Settings())
    assert article.rejected is not None and article.rejected.code == "ingest.empty"
