"""The name span that `entities.find_mentions` builds and the passes in `name_types` and `org_forms` retype, with
the word lists (data/name_heads.json, data/org_cues.json) more than one of them reads."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from storyline.extract.names import load_json, norm


def word_list(name: str, field_name: str) -> list[str]:
    words = load_json(name)[field_name]
    assert isinstance(words, list)
    return [str(w) for w in words]


@dataclass(slots=True)
class Span:
    """A name being found: where it stands, its type and key, and what the passes that type it need."""

    start: int
    end: int
    text: str
    type: str = ""
    key: str = ""
    title: str | None = None
    cue_org: bool = False
    kind: str = ""  # the tagger's type, kept where the gazetteer's reading replaced it
    compound: bool = False  # the name part of a hyphen compound ("Nintendo" of "Nintendo-fans")


@lru_cache(maxsize=4)
def endings(field_name: str) -> tuple[str, ...]:
    """A list of word endings from data/name_heads.json (genitive surname endings, Nordic place suffixes)."""
    return tuple(word_list("name_heads.json", field_name))


def full_name_surnames(spans: list[Span]) -> set[str]:
    return {norm(sp.text.rsplit(" ", 1)[1]) for sp in spans if sp.type == "PER" and " " in sp.text}


@lru_cache(maxsize=1)
def compound_tails() -> tuple[tuple[str, tuple[str, ...]], ...]:
    table = load_json("name_heads.json")["compound_tails"]
    assert isinstance(table, dict)
    return tuple((str(kind), tuple(str(w) for w in words)) for kind, words in table.items())


def compound_tail_type(tail: str) -> str | None:
    """What the name before a hyphen is, read from the compound's tail (data/name_heads.json `compound_tails`):
    "leder" makes "Frp" an organisation, "mannen" makes "Hamar" a place; None when the tail says nothing."""
    low = tail.casefold()
    return next((kind for kind, stems in compound_tails() if low.startswith(stems)), None)
