"""Direct quotes and their speakers (first level: dash paragraphs and quotation marks with a verb of saying).

Patterns, per paragraph:
  1. a paragraph opening with a dash (–, —, -) and ending in a cue: "– Vi står sammen, siger Jens
     Stoltenberg." The quote is the text between the dash and the comma before the cue;
  2. a quotation in «…», "…", ”…”, „…“ or “…” with a cue after it ("«…», sier hun.") or before it
     ("Stoltenberg sier: «…»");
  3. a dash paragraph with no cue continues the speaker of the quote paragraph right before it.
A quotation with no cue is skipped: one to three words are a scare quote, longer ones a title or a term more
often than speech (a later level may attribute them from context).

Speakers resolve to entity keys: a name to its own mention; a definite title ("generalsekretæren") to the
person written with that title earlier ("generalsekretær Jens Stoltenberg"); a pronoun to the person mentioned
most recently before the quote (a first-level heuristic: right most of the time in news, where the quote
usually follows the paragraph that introduced its speaker).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from storyline.extract.entities import Mentions, speech_verbs, titles
from storyline.extract.names import load_json
from storyline.models import Quote

_DASHES = "–—-"
_SENTENCE_CUT_RE = re.compile(r"[.!?\n]")
_QUOTE_RE = re.compile(r"«([^«»]+)»|\"([^\"]+)\"|”([^”]+)”|„([^„“”]+)[“”]|“([^“”]+)”")
_WORD_RE = re.compile(r"[^\W\d_][\w]*(?:[-'’][\w]+)*")
_PARTICLES = frozenset({"von", "van", "der", "den", "de", "af", "la", "le", "al", "bin"})


@lru_cache(maxsize=1)
def _pronouns() -> frozenset[str]:
    words = load_json("pronouns.json")["pronouns"]
    assert isinstance(words, list)
    return frozenset(words)


@lru_cache(maxsize=1)
def _verb_re() -> re.Pattern[str]:
    forms = sorted({v for vs in speech_verbs().values() for v in vs}, key=len, reverse=True)
    alts = "|".join(r"\s+".join(re.escape(w) for w in f.split()) for f in forms)
    return re.compile(rf"(?<![\w])(?:{alts})(?![\w])")


@lru_cache(maxsize=1)
def _cue_after_re() -> re.Pattern[str]:
    """ ", sier hun." / ", sa Jens Stoltenberg til NRK." / ", Stoltenberg said." right after the quote."""
    verb = _verb_re().pattern
    return re.compile(
        rf"\s*[,–—-]?\s*(?:(?P<verb>{verb})\s+(?P<after>[^\n]*)|(?P<before>[^\n,.:;]{{1,60}}?)\s+"
        rf"(?P<verb2>{verb})(?![\w]))"
    )


@lru_cache(maxsize=1)
def _cue_before_re() -> re.Pattern[str]:
    """ "Stoltenberg sier: «…»" / "sier Stoltenberg: «…»" / "sa hun:" right before the quote."""
    verb = _verb_re().pattern
    return re.compile(
        rf"(?:(?P<who>[^\n.!?:;«»\"”“]{{1,60}}?)\s+(?P<verb>{verb})|(?P<verb2>{verb})\s+"
        rf"(?P<who2>[^\n.!?:;«»\"”“]{{1,60}}?))\s*[:,]?\s*$"
    )


@dataclass(slots=True)
class _Speaker:
    text: str
    start: int
    end: int
    kind: str  # "name", "title", "pronoun"


def _speaker_after(text: str, offset: int) -> _Speaker | None:
    """The speaker phrase at the start of text[offset:]: a pronoun, a (title +) name or a definite title."""
    segment = _SENTENCE_CUT_RE.split(text[offset : offset + 80], maxsplit=1)[0]
    words = [(m.start() + offset, m.end() + offset, m.group()) for m in _WORD_RE.finditer(segment)]
    return _speaker_from_words(words)


def _speaker_before(text: str, start: int, end: int) -> _Speaker | None:
    """The speaker phrase ending at `end`: the last pronoun, name or definite title before the verb."""
    words = [(m.start() + start, m.end() + start, m.group()) for m in _WORD_RE.finditer(text[start:end])]
    if not words:
        return None
    last = words[-1]
    if last[2].casefold() in _pronouns():
        return _Speaker(last[2], last[0], last[1], "pronoun")
    if last[2].casefold() in titles():
        return _Speaker(last[2], last[0], last[1], "title")
    k = len(words) - 1
    while k > 0 and (words[k - 1][2][:1].isupper() or words[k - 1][2] in _PARTICLES):
        k -= 1
    if not words[k][2][:1].isupper():
        return None
    while k < len(words) - 1 and words[k][2].casefold() in titles():
        k += 1
    return _Speaker(text[words[k][0] : last[1]], words[k][0], last[1], "name")


def _speaker_from_words(words: list[tuple[int, int, str]]) -> _Speaker | None:
    if not words:
        return None
    first = words[0]
    low = first[2].casefold()
    if low in _pronouns():
        return _Speaker(first[2], first[0], first[1], "pronoun")
    k = 0
    while k < len(words) and words[k][2].casefold() in titles() and not words[k][2][:1].isupper():
        k += 1
    if k < len(words) and words[k][2][:1].isupper() and (k == 0 or words[k][0] - words[k - 1][1] == 1):
        end = k + 1
        while (
            end < len(words)
            and (words[end][2][:1].isupper() or words[end][2] in _PARTICLES)
            and words[end][0] - words[end - 1][1] == 1
        ):
            end += 1
        return _Speaker(" ".join(w[2] for w in words[k:end]), words[k][0], words[end - 1][1], "name")
    if k > 0:
        return _Speaker(words[0][2], words[0][0], words[0][1], "title")
    return None


def _resolve(speaker: _Speaker, mentions: Mentions, before: int) -> str | None:
    """The entity key a speaker phrase refers to (see the module docstring)."""
    if speaker.kind == "name":
        for e in mentions.entities:
            if e.start < speaker.end and speaker.start < e.end and e.type in ("PER", "ORG"):
                return e.key
        return None
    if speaker.kind == "title":
        word = speaker.text.casefold()
        best: str | None = None
        for t in mentions.titles:
            if t.start < before and (word == t.title or word.startswith(t.title)):
                best = t.key
        return best
    persons = [e for e in mentions.entities if e.type == "PER" and e.end <= before]
    return persons[-1].key if persons else None


def find_quotes(text: str, paragraphs: list[tuple[int, int]], mentions: Mentions) -> list[Quote]:
    """Direct quotes in `text`, paragraph by paragraph (offsets into `text`)."""
    quotes: list[Quote] = []
    previous: Quote | None = None  # the quote of the paragraph right before, for cue-less dash paragraphs
    for start, end in paragraphs:
        para = text[start:end]
        stripped = para.lstrip()
        found: list[Quote] = []
        if stripped[:1] in _DASHES and len(stripped) > 1 and stripped[1] in " \u00a0":
            q = _dash_quote(text, start + len(para) - len(stripped), end, mentions, previous)
            if q is not None:
                found.append(q)
        else:
            found.extend(_mark_quotes(text, start, end, mentions))
        quotes.extend(found)
        previous = found[-1] if found else None
    return quotes


def _dash_quote(text: str, dash: int, end: int, mentions: Mentions, previous: Quote | None) -> Quote | None:
    body_start = dash + 1
    while body_start < end and text[body_start].isspace():
        body_start += 1
    body = text[body_start:end]
    for m in reversed(list(re.finditer(r",\s+", body))):
        cue = _cue_after_re().match(body, m.start())
        if cue is None:
            continue
        verb_group = "verb" if cue.group("verb") else "verb2"
        if verb_group == "verb":
            spk = _speaker_after(text, body_start + cue.start("after"))
        else:
            spk = _speaker_before(text, body_start + cue.start("before"), body_start + cue.end("before"))
        if spk is None:
            continue
        q_end = body_start + m.start()
        return Quote(
            text[body_start:q_end],
            "direct",
            spk.text,
            _resolve(spk, mentions, dash),
            cue.group(verb_group),
            body_start,
            q_end,
        )
    if previous is None:
        return None
    q_end = len(body.rstrip()) + body_start
    return Quote(
        text[body_start:q_end], "direct", previous.speaker, previous.speaker_key, None, body_start, q_end
    )


def _mark_quotes(text: str, start: int, end: int, mentions: Mentions) -> list[Quote]:
    out: list[Quote] = []
    para = text[start:end]
    for m in _QUOTE_RE.finditer(para):
        group = next(g for g in range(1, 6) if m.group(g) is not None)
        q_start, q_end = start + m.start(group), start + m.end(group)
        cue_verb, spk = _cue_for_mark(text, start, start + m.start(), start + m.end(), end)
        if spk is None or cue_verb is None:
            continue  # no cue: a scare quote, a title or a term, not speech
        out.append(
            Quote(
                text[q_start:q_end],
                "direct",
                spk.text,
                _resolve(spk, mentions, q_start),
                cue_verb,
                q_start,
                q_end,
            )
        )
    return out


def _cue_for_mark(
    text: str, para_start: int, open_at: int, close_at: int, para_end: int
) -> tuple[str | None, _Speaker | None]:
    after = _cue_after_re().match(text[close_at:para_end])
    if after is not None:
        if after.group("verb"):
            return after.group("verb"), _speaker_after(text, close_at + after.start("after"))
        return after.group("verb2"), _speaker_before(
            text, close_at + after.start("before"), close_at + after.end("before")
        )
    before = _cue_before_re().search(text[para_start:open_at])
    if before is not None:
        if before.group("verb"):
            return before.group("verb"), _speaker_before(
                text, para_start + before.start("who"), para_start + before.end("who")
            )
        return before.group("verb2"), _speaker_after(text, para_start + before.start("who2"))
    return None, None
