"""Mentions of people, organisations, places and demonyms, found without a trained model (first level).

A mention is a run of capitalised words (with name particles such as "von der" inside). Runs are then trimmed
and typed by rules, in this order:
  * a sentence-initial word is only part of a name when it is a known name (gazetteer, first name) or the
    article also writes it capitalised mid-sentence; sentence openers from `data/common_words.json` never are;
  * titles before a name ("President Joe Biden") are dropped and remembered for quote speakers;
  * hyphen compounds keep the name part only: "Nato-toppmøtet" → Nato, "Wagner-gruppen" → Wagner (an ORG,
    since "-gruppen" is an organisation cue);
  * genitives lose their -s / -' when the stem is a known name or appears without it in the article (Putins,
    Natos, Belarus');
  * the gazetteer gives places, organisations and demonyms their cross-language key; otherwise organisation
    cues (-partiet, AS, Universitet, …) make an ORG and any other capitalised span a PER (a lone unknown
    capitalised word mid-sentence is most often a surname in news).
Person keys follow `names.person_key` (surname-based, disambiguated inside the article).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from storyline.extract.names import (
    GazEntry,
    first_names,
    fold_name,
    gazetteer,
    load_json,
    norm,
    person_key,
    slug,
)
from storyline.models import Entity

_HYPHEN_RE = re.compile(r"-(?=[^\W\d_])")
_TOKEN_RE = re.compile(r"[^\W\d_][\w]*(?:[-'’][\w]+)*['’]?")
_PARTICLES = frozenset(
    {"von", "van", "der", "den", "de", "af", "la", "le", "al", "bin", "da", "di", "du", "ten", "ter"}
)
_SENTENCE_END = frozenset('.!?:;\n«»"“”„–—-(')


def _word_list(name: str, field_name: str) -> list[str]:
    words = load_json(name)[field_name]
    assert isinstance(words, list)
    return [str(w) for w in words]


# A sentence-initial unknown word at least this long is a common noun ("Medicinalvirksomheden"), not a name.
_LONG_COMMON_NOUN = 13
_ORG_SUFFIXES = tuple(_word_list("org_cues.json", "suffixes"))
_ORG_TOKENS = frozenset(_word_list("org_cues.json", "tokens"))
_LOCATIVES = frozenset(_word_list("org_cues.json", "locative"))


@dataclass(slots=True)
class TitleMention:
    """A title written right before a person ("generalsekretær Jens Stoltenberg"): lets "generalsekretæren"
    later in the article be resolved to that person."""

    title: str
    key: str
    start: int


@dataclass(slots=True)
class Mentions:
    entities: list[Entity] = field(default_factory=list)
    titles: list[TitleMention] = field(default_factory=list)


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    words = load_json("common_words.json")["words"]
    assert isinstance(words, list)
    return frozenset(words)


@lru_cache(maxsize=1)
def titles() -> frozenset[str]:
    """Title words, lower-cased, with their definite forms (statsministeren, statsministern, kongen)."""
    base = load_json("titles.json")["titles"]
    assert isinstance(base, list)
    out: set[str] = set()
    for word in base:
        w = word.casefold()
        out.update({w, w + "en", w + "n", w + "et", w + "a", w + "ar" + "en"})
    return frozenset(out)


@lru_cache(maxsize=1)
def title_suffixes() -> tuple[str, ...]:
    """Title words long enough to recognise as the head of a compound title ("sportsdirektør" → direktør)."""
    return tuple(sorted({t for t in titles() if len(t) >= 6 and " " not in t}))


def is_title(word: str) -> bool:
    low = word.casefold()
    return low in titles() or low.endswith(title_suffixes())


@lru_cache(maxsize=1)
def speech_verbs() -> dict[str, tuple[str, ...]]:
    """Verbs of saying per language (data/speech_verbs.json), multi-word cues included."""
    raw = load_json("speech_verbs.json")
    return {
        lang: tuple(forms)
        for lang, forms in raw.items()
        if not lang.startswith("_") and isinstance(forms, list)
    }


@lru_cache(maxsize=1)
def _speech_words() -> frozenset[str]:
    return frozenset(v for forms in speech_verbs().values() for v in forms if " " not in v)


@lru_cache(maxsize=1)
def _phrase_index() -> dict[str, list[tuple[tuple[str, ...], GazEntry]]]:
    """Multi-word gazetteer names containing lower-case words ("Det hvite hus"), indexed by their first
    word."""
    gaz = gazetteer()
    index: dict[str, list[tuple[tuple[str, ...], GazEntry]]] = {}
    for phrase in gaz.phrases:
        words = tuple(norm(w) for w in _TOKEN_RE.findall(phrase))
        entry = gaz.lookup(phrase)
        if words and entry is not None:
            index.setdefault(words[0], []).append((words, entry))
    for entries in index.values():
        entries.sort(key=lambda e: -len(e[0]))
    return index


def _sentence_start(text: str, pos: int) -> bool:
    i = pos - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    return i < 0 or text[i] in _SENTENCE_END


def _is_cap(tok: str) -> bool:
    return tok[:1].isupper()


@dataclass(slots=True)
class _Span:
    start: int
    end: int
    text: str
    type: str = ""
    key: str = ""
    title: str | None = None
    cue_org: bool = False


def find_mentions(text: str) -> Mentions:
    """Entities in `text` (offsets into it) and the titles written before persons."""
    tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN_RE.finditer(text)]
    if not tokens:
        return Mentions()
    gaz = gazetteer()
    common = common_words()
    firsts = first_names()
    title_words = titles()
    initial = [_sentence_start(text, s) for s, _, _ in tokens]
    seen_mid = {
        norm(_strip_genitive_marks(t))
        for (_, _, t), ini in zip(tokens, initial, strict=True)
        if not ini and _is_cap(t)
    }
    spans: list[_Span] = []
    i = 0
    n = len(tokens)
    while i < n:
        s, e, tok = tokens[i]
        if not _is_cap(tok):
            entry = gaz.demonyms.get(tok.casefold()) if tok[:1].islower() else None
            if entry is not None:
                spans.append(_Span(s, e, tok, entry.type, entry.key))
            i += 1
            continue
        phrase = _match_phrase(tokens, i, text)
        if phrase is not None:
            j, entry = phrase
            spans.append(_Span(s, tokens[j - 1][1], text[s : tokens[j - 1][1]], entry.type, entry.key))
            i = j
            continue
        j = _run_end(tokens, i, text)
        run = tokens[i:j]
        title = _preceding_title(text, tokens, i, title_words)
        speaks = j < n and tokens[j][2] in _speech_words() and text[tokens[j - 1][1] : tokens[j][0]] == " "
        run, title = _trim_run_start(run, initial[i], speaks, common, firsts, title_words, seen_mid, title)
        if run:
            locative = _preceded_by(text, run[0][0], _LOCATIVES)
            span = _make_span(text, run, seen_mid, locative)
            if span is not None:
                span.title = title
                spans.append(span)
        i = j
    return _assign_keys(spans)


def _match_phrase(tokens: list[tuple[int, int, str]], i: int, text: str) -> tuple[int, GazEntry] | None:
    candidates = _phrase_index().get(norm(tokens[i][2]))
    if not candidates:
        return None
    for words, entry in candidates:
        j = i + len(words)
        if (
            j <= len(tokens)
            and all(norm(tokens[i + k][2]) == w for k, w in enumerate(words))
            and "\n" not in text[tokens[i][0] : tokens[j - 1][1]]
        ):
            return j, entry
    return None


def _run_end(tokens: list[tuple[int, int, str]], i: int, text: str) -> int:
    """End (exclusive) of the capitalised run starting at token i: words joined by single spaces, particles
    allowed inside, stopping after a hyphen compound or a genitive."""
    j = i + 1
    n = len(tokens)
    while j < n:
        if _compound_cut(tokens[j - 1][2]) is not None or tokens[j - 1][2].endswith(("'", "’")):
            break
        gap = text[tokens[j - 1][1] : tokens[j][0]]
        if gap != " ":
            break
        tok = tokens[j][2]
        if _is_cap(tok):
            j += 1
            continue
        k = j
        while k < n and tokens[k][2] in _PARTICLES and text[tokens[k - 1][1] : tokens[k][0]] == " ":
            k += 1
        if k > j and k < n and _is_cap(tokens[k][2]) and text[tokens[k - 1][1] : tokens[k][0]] == " ":
            j = k + 1
            continue
        break
    return j


def _preceding_title(
    text: str, tokens: list[tuple[int, int, str]], i: int, title_words: frozenset[str]
) -> str | None:
    if i == 0 or text[tokens[i - 1][1] : tokens[i][0]] != " ":
        return None
    prev = tokens[i - 1][2].casefold()
    return prev if prev in title_words else None


def _trim_run_start(
    run: list[tuple[int, int, str]],
    sentence_initial: bool,
    speaks: bool,
    common: frozenset[str],
    firsts: frozenset[str],
    title_words: frozenset[str],
    seen_mid: set[str],
    title: str | None,
) -> tuple[list[tuple[int, int, str]], str | None]:
    """Drop titles and sentence-initial non-names from the front of a run."""
    while run:
        tok = run[0][2]
        low = tok.casefold()
        if low in title_words or low.endswith(title_suffixes()):
            if len(run) == 1:
                # A title alone ("Udenrigsministeren siger …") names a role, not an entity; quotes resolve it
                # to the person who holds it.
                return [], low
            title, run = low, run[1:]
            sentence_initial = False
            continue
        if not sentence_initial:
            break
        bare = _strip_genitive_marks(tok)
        # "Stoltenberg sier": a capitalised word right before a verb of saying is a name.
        known = (
            gazetteer().lookup(bare) is not None
            or norm(bare) in seen_mid
            or (
                bare.endswith("s")
                and (gazetteer().lookup(bare[:-1]) is not None or norm(bare[:-1]) in seen_mid)
            )
            or (speaks and len(run) == 1)
        )
        unknown = not known and tok not in firsts
        # Nordic compound nouns are long; names this long are rare unless they end like patronymic surnames.
        long_noun = len(tok) >= _LONG_COMMON_NOUN and not low.endswith(("sen", "son", "ssen", "sson"))
        if (
            (unknown and long_noun)
            or (low in common and not (tok in firsts and len(run) > 1))
            or (unknown and (len(run) == 1 or run[1][2].casefold() in common))
            or (unknown and len(run) > 1 and gazetteer().demonyms.get(low) is not None)
        ):
            run = run[1:]
        break
    return run, title


def _strip_genitive_marks(tok: str) -> str:
    """Belarus' → Belarus, Putin's → Putin (unambiguous marks only; the -s genitive needs context)."""
    if tok.endswith(("'s", "’s")):
        return tok[:-2]
    if tok.endswith(("'", "’")):
        return tok[:-1]
    return tok


def _compound_cut(tok: str) -> int | None:
    """Where a hyphen compound's lower-case tail starts: "Nato-toppmøtet" → 4. Short tails ("Jong-un") and
    capitalised ones ("Hans-Christian") are part of the name."""
    for m in _HYPHEN_RE.finditer(tok):
        tail = tok[m.end() :]
        if tail[0].islower() and len(tail) >= 4:
            return m.start()
    return None


def _preceded_by(text: str, start: int, words: frozenset[str]) -> bool:
    """True when the word right before offset `start` (one space apart) is in `words`."""
    before = text[max(0, start - 12) : start]
    if not before.endswith(" "):
        return False
    prev = before.rstrip().rsplit(maxsplit=1)[-1:] or [""]
    return prev[0].casefold() in words


def _make_span(
    text: str, run: list[tuple[int, int, str]], seen_mid: set[str], locative: bool = False
) -> _Span | None:
    g = gazetteer()
    start, end = run[0][0], run[-1][1]
    last = run[-1][2]
    cue_org = False
    whole = text[start:end]
    if g.lookup(whole) is None:
        cut = _compound_cut(last)
        if cut is not None:
            tail = last[cut + 1 :].casefold()
            cue_org = tail.startswith(_ORG_SUFFIXES) or tail in _ORG_SUFFIXES
            end = run[-1][0] + cut
        else:
            stripped = _strip_genitive_marks(last)
            if stripped != last:
                end = run[-1][0] + len(stripped)
            elif last.endswith("s") and (len(last) > 3 or last[:-1].isupper()):
                stem = text[start : end - 1]
                if g.lookup(stem) is not None or norm(stem) in seen_mid or norm(last[:-1]) in seen_mid:
                    end -= 1
    span_text = text[start:end]
    if not span_text:
        return None
    if len(run) == 1 and span_text.casefold() in common_words():
        return None  # "Thursday", a capitalised sentence opener after a quote dash: not a name
    span = _Span(start, end, span_text, cue_org=cue_org)
    _classify(span, len(run), locative and end == run[-1][1])
    return span


def _classify(span: _Span, n_tokens: int, locative: bool = False) -> None:
    g = gazetteer()
    entry = g.lookup(span.text)
    if entry is None and span.text.casefold() in g.demonyms:
        entry = g.demonyms[span.text.casefold()]
    if entry is not None:
        span.type, span.key = entry.type, entry.key
        return
    words = span.text.split()
    low_last = words[-1].casefold()
    if span.cue_org or low_last.endswith(_ORG_SUFFIXES) or any(w.casefold() in _ORG_TOKENS for w in words):
        span.type, span.key = "ORG", "org:" + slug(span.text)
    elif n_tokens == 1 and locative:
        span.type, span.key = (
            "LOC",
            "loc:" + slug(span.text),
        )  # "i Ljusdal": a place too small for the gazetteer
    elif n_tokens == 1 and span.text.isupper() and 2 <= len(span.text) <= 6:
        span.type, span.key = "ORG", "org:" + slug(span.text)  # an unknown acronym is almost always an org
    else:
        span.type = "PER"


def _surname(name: str) -> tuple[str, str | None]:
    """("Stoltenberg", "Jens") for "Jens Stoltenberg"; particles stay with the surname (von der Leyen)."""
    words = name.split()
    k = len(words) - 1
    while k > 1 and words[k - 1] in _PARTICLES:
        k -= 1
    surname = " ".join(words[k:])
    return surname, (words[0] if k > 0 else None)


def _assign_keys(spans: list[_Span]) -> Mentions:
    """Person keys: surname-based; two different first names with one surname in the article are told apart,
    a lone surname then takes the most recent full name before it (or the first after it), and a lone first
    name that belongs to exactly one fully named person in the article ("Jonas" after "Jonas Birkeland") takes
    that person's key."""
    firsts_by_surname: dict[str, list[tuple[int, str]]] = {}
    for sp in spans:
        if sp.type == "PER":
            surname, first = _surname(sp.text)
            if first is not None:
                firsts_by_surname.setdefault(fold_name(surname), []).append((sp.start, fold_name(first)))
    keys_by_first: dict[str, set[str]] = {}
    for sp in spans:
        if sp.type != "PER":
            continue
        surname, first = _surname(sp.text)
        full = firsts_by_surname.get(fold_name(surname), [])
        if first is not None:
            sp.key = _full_name_key(surname, fold_name(first), full)
            keys_by_first.setdefault(fold_name(first), set()).add(sp.key)
        elif full:
            before = [f for pos, f in full if pos < sp.start]
            sp.key = _full_name_key(surname, before[-1] if before else full[0][1], full)
    out = Mentions()
    for sp in spans:
        if sp.type == "PER" and not sp.key:
            owners = keys_by_first.get(fold_name(sp.text), set())
            sp.key = next(iter(owners)) if len(owners) == 1 else person_key(sp.text)
        if sp.type == "PER" and sp.title:
            out.titles.append(TitleMention(sp.title, sp.key, sp.start))
        out.entities.append(Entity(sp.text, sp.type, sp.key, sp.start, sp.end))
    return out


def _full_name_key(surname: str, folded_first: str, full: list[tuple[int, str]]) -> str:
    """Surname key, qualified by the first name only when the article has namesakes with different first
    names."""
    if len({f for _, f in full}) <= 1:
        return person_key(surname)
    return "per:" + fold_name(surname) + "-" + folded_first
