"""Organisation forms written after a name: a company's legal form ("Vinkel ApS", "Brunn AB") and a party's
letters in parentheses after a politician ("Mette Holm (S)"). Both come from review 5 (Danish and Swedish news):
the "S" of "A/S" had been read as the Social Democrats, and party letters as names of their own."""

from __future__ import annotations

import re
from functools import lru_cache

from storyline.extract.keys import entity_key
from storyline.extract.names import gazetteer, load_json, slug
from storyline.extract.spans import Span

_PARTY_AFTER_NAME_RE = re.compile(r" \(([^\W\d_]{1,3})\)")


@lru_cache(maxsize=1)
def _party_table() -> dict[str, dict[str, str]]:
    raw = load_json("org_cues.json")["party_letters"]
    assert isinstance(raw, dict)
    return {str(lang): {str(k): str(v) for k, v in table.items()} for lang, table in raw.items()}


def party_letters(spans: list[Span], text: str, language: str | None) -> list[Span]:
    """A party's short form in parentheses right after a person ("Mette Holm (S)") is that party, in the
    article's language (data/org_cues.json `party_letters`); whatever else read the letters is dropped."""
    table = _party_table().get(language or "")
    if not table or "(" not in text:
        return spans
    added: list[Span] = []
    for sp in spans:
        m = _PARTY_AFTER_NAME_RE.match(text, sp.end) if sp.type == "PER" else None
        if m is not None and m.group(1) in table:
            added.append(Span(m.start(1), m.end(1), m.group(1), "ORG", "org:" + table[m.group(1)]))
    if not added:
        return spans
    kept = [sp for sp in spans if not any(a.start < sp.end and sp.start < a.end for a in added)]
    return sorted(kept + added, key=lambda sp: sp.start)


# A company's legal form after its name ("Vinkel ApS", "Holm & Co A/S", "Brunn AB"). Review 5 (Danish DDT train)
# found the "S" of "A/S" read as the Social Democrats' abbreviation and "ApS" as an organisation of its own.
_LEGAL_FORM_RE = re.compile(r"\s?(?:A/S|I/S|K/S|P/S|ApS|IVS|AB|ASA|Oyj)(?![\w/])")
_LEGAL_FORM_PART_RE = re.compile(r"(?:A|I|K|P)/S|ApS|IVS")


def legal_forms(spans: list[Span], text: str) -> list[Span]:
    """A legal form is never an entity alone; after an organisation's name it joins the name (the key stays the
    name's, so "Vinkel" and "Vinkel ApS" are one organisation)."""
    out: list[Span] = []
    companies: dict[str, str] = {}  # a name written with a legal form somewhere: the company's, everywhere
    for sp in spans:
        if _LEGAL_FORM_PART_RE.fullmatch(text, max(0, sp.start - 2), sp.end) or _LEGAL_FORM_PART_RE.fullmatch(
                text, sp.start, sp.end):
            continue
        m = _LEGAL_FORM_RE.match(text, sp.end)
        if m is not None and m.group(0)[:1] in " \u00a0" and sp.type in ("ORG", "PER", "LOC", "MISC"):
            if sp.type != "ORG":  # the legal form says what it is ("Vindbyg A/S" read as a person)
                sp.type, sp.key, sp.title = "ORG", f"org:{slug(sp.text)}", None
            companies[sp.text] = sp.key
            sp.end = m.end()
            sp.text = text[sp.start : sp.end]
        out.append(sp)
    for sp in out:
        if sp.text in companies and sp.type != "ORG":
            sp.type, sp.key, sp.title = "ORG", companies[sp.text], None
    for sp in out:
        if sp.type == "ORG":
            inner = _LEGAL_FORM_RE.search(sp.text)
            if inner is not None and inner.start() > 0 and inner.end() == len(sp.text):
                name = sp.text[: inner.start()]
                known = gazetteer().lookup(name)
                sp.key = known.key if known is not None and known.type == "ORG" else entity_key(name, "ORG")
    return out
