"""Indirect and mixed speech in narrative sentences.

Forms, one quote per sentence at most:
  * `X sa/sagde/sade/sier/siger/säger/said at/att/that …` and the other reporting verbs of
    data/reporting_verbs.json (`mener`, `bekrefter`, `avviste`, `var tydelig på`, `skriver` …), with words
    between the verb and the complementiser (`sa tirsdag at`, `siger til Jyllands-Posten, at`,
    `skrev mandag i et innlegg i Aftenposten at`); the quote is the reported clause to the sentence end;
  * the complementiser left out after verbs that allow it (`X mener saken kan …`, `X said the patrol …`);
  * `X advarte mot …` (`warn` verbs): the report is a phrase, so the quote starts at the verb;
  * `Ifølge X …` / `Ifølgje X …` / `Enligt X …` / `According to X, …` opening a sentence: the quote is the
    rest of the sentence; in mid-sentence (`Brannen er ifølge X under kontroll`) the whole sentence.
The speaker is the verb's subject (speakers.SpeakerContext.subject) and must resolve to a person: statements
of organisations and media (`oplyser anklagemyndigheden, at …`, `ifølge NTB`) are not quotes. A clause that
also carries a quoted fragment (`sa at avtalen er «et gjennombrudd»`) is "mixed".
"""

from __future__ import annotations

from functools import lru_cache
from itertools import pairwise

from storyline.extract.quote_lexicon import (
    Word,
    according_to,
    bare_clause_verbs,
    clause_verbs,
    complementisers,
    cue_verbs,
    infinitive_clues,
    infinitive_verbs,
    is_title_word,
    match_phrase,
    phrase_heads,
    prepositions,
    subject_starters,
    warn_verbs,
)
from storyline.extract.speakers import Phrase, SpeakerContext
from storyline.models import Quote, QuoteKind

_QUOTE_MARKS = frozenset("«»\"“”„")
_CLAUSE_BREAK = frozenset(".!?:;«»\"“”„")
# How far (in words) a complementiser may follow its verb: `sa på en pressekonferanse etter møtet at`.
_COMPLEMENTISER_REACH = 10
_MIN_CLAUSE_WORDS = 2
_MIN_BARE_CLAUSE_WORDS = 3
_DEFINITE_ENDINGS = ("en", "et", "na", "ne", "a", "n")


def find_indirect(ctx: SpeakerContext, start: int, end: int) -> list[Quote]:
    """Indirect and mixed quotes in the narrative paragraph `text[start:end]` (offsets into the text)."""
    out: list[Quote] = []
    for s_start, s_end in ctx.sentences_of(start, end):
        if not _may_report(ctx.lows(s_start, s_end)):
            continue
        ws = ctx.words(s_start, s_end)
        # only the quoted stretches that reach into this sentence can hold its words
        quoted = [(qs, qe) for qs, qe in ctx.excluded if qs < s_end and qe > s_start]
        if quoted:
            ws = [w for w in ws if not any(qs <= w.start < qe for qs, qe in quoted)]
        quote = _according(ctx, ws, s_start, s_end) or _reported(ctx, ws, s_start, s_end)
        if quote is not None:
            ctx.remember(quote.start, quote.speaker_key, quote.speaker)
            out.append(quote)
    return out


def _clause_end(text: str, start: int, end: int) -> int:
    while end > start and (text[end - 1].isspace() or text[end - 1] in ".!?"):
        end -= 1
    return end


def _quote(ctx: SpeakerContext, start: int, end: int, phrase: Phrase, cue: str) -> Quote | None:
    spk = ctx.resolve(phrase, phrase.start)
    end = _clause_end(ctx.text, start, end)
    if not spk.person or spk.key is None or not ctx.well_named(spk.key) or end <= start:
        return None
    body = ctx.text[start:end]
    if any(ctx.is_quoted(pos) for pos in (start, end - 1)):
        return None
    kind: QuoteKind = "mixed" if any(ch in _QUOTE_MARKS for ch in body) else "indirect"
    return Quote(body, kind, spk.name, spk.key, cue, start, end)


def _may_report(low: list[str]) -> bool:
    """Whether a sentence's words (case-folded) can hold what `_according` or `_reported` start at: an "ifølge"
    word, a one-word verb of saying, or the first two words of a longer one side by side (`har sagt`). Most
    narrative sentences hold none and are ruled out here. Exact: a phrase's words follow each other in the text
    (match_phrase wants one character between them), so they are neighbours in `low` too."""
    singles, pairs = _verb_starts()
    # set operations in C: the same answers as `any(w in singles for w in low)` and its pairwise twin
    return not singles.isdisjoint(low) or not pairs.isdisjoint(pairwise(low))


@lru_cache(maxsize=1)
def _verb_starts() -> tuple[frozenset[str], frozenset[tuple[str, str]]]:
    """One-word verb phrases (and "ifølge" words, which `_according` reads without the neighbour rule), and the
    first two words of the longer verb phrases."""
    phrases = [p.split(" ") for p in (*warn_verbs(), *clause_verbs())]
    singles = frozenset(p[0] for p in phrases if len(p) == 1) | _according_heads()
    pairs = frozenset((p[0], p[1]) for p in phrases if len(p) > 1)
    return singles, pairs


@lru_cache(maxsize=1)
def _according_heads() -> frozenset[str]:
    return phrase_heads(according_to())


def _according(ctx: SpeakerContext, ws: list[Word], s_start: int, s_end: int) -> Quote | None:
    heads = _according_heads()
    for k, w in enumerate(ws):
        if w.low not in heads:  # neither "ifølge" nor the first word of "according to"
            continue
        n = 2 if k + 1 < len(ws) and f"{w.low} {ws[k + 1].low}" in according_to() else int(w.low in according_to())
        if not n:
            continue
        found = ctx.according_phrase(ws, k + n)
        if found is None:
            return None
        phrase, j = found
        cue = " ".join(x.text for x in ws[k : k + n])
        if k > 0:
            return _quote(ctx, s_start, s_end, phrase, cue)  # mid-sentence: the whole sentence is reported
        if j >= len(ws):
            return None
        return _quote(ctx, ws[j].start, s_end, phrase, cue)
    return None


@lru_cache(maxsize=1)
def _verb_heads() -> frozenset[str]:
    return phrase_heads(warn_verbs()) | phrase_heads(clause_verbs())


def _reported(ctx: SpeakerContext, ws: list[Word], s_start: int, s_end: int) -> Quote | None:
    heads = _verb_heads()
    for i, w in enumerate(ws):
        if w.low not in heads:  # starts no verb phrase (most words): skip both look-ups
            continue
        n_warn = match_phrase(ws, i, warn_verbs())
        n = n_warn or match_phrase(ws, i, clause_verbs())
        if not n:
            continue
        verb_end = ws[i + n - 1].end
        subject = ctx.subject(s_start, w, verb_end, ws[:i])
        if subject is None or subject.kind == "other":
            continue
        cue = " ".join(x.text for x in ws[i : i + n])
        if n_warn:
            return _quote(ctx, w.start, s_end, subject, cue)
        k = i + n
        if subject.start >= verb_end:  # inverted: "Der innrømmet han at"
            k = next((m for m in range(k, len(ws)) if ws[m].start >= subject.end), len(ws))
        clause = _clause_start(ctx, ws, k, cue.casefold())
        if clause is None:
            continue
        return _quote(ctx, ws[clause].start, s_end, subject, cue)
    return None


def _clause_start(ctx: SpeakerContext, ws: list[Word], k: int, verb: str) -> int | None:
    """Index of the first word of the reported clause after the verb (and its inverted subject) at ws[k]:
    after a complementiser within reach, or, after verbs that may leave it out, right at ws[k] when that
    word can open a clause."""
    text = ctx.text
    langs = clause_verbs().get(verb, frozenset())
    comps = frozenset(c for lang in langs for c in complementisers().get(lang, ()))
    bare = verb in bare_clause_verbs()
    bare_start: int | None = None
    for m in range(k, min(len(ws), k + _COMPLEMENTISER_REACH)):
        w = ws[m]
        if m > k and any(ch in _CLAUSE_BREAK for ch in text[ws[m - 1].end : w.start]):
            return None
        after_preposition = m > k and ws[m - 1].low in prepositions()
        if w.low in comps:
            # after a verb of saying (`säger att nya regler …`) `at`/`att` introduces a clause; after `lovede`,
            # `hoppas` and other verbs of intent it may mark an infinitive (`lovede at sænke skatten`)
            may_be_infinitive = verb not in cue_verbs() or verb in infinitive_verbs()
            if (
                m + 1 >= len(ws)
                or (may_be_infinitive and _infinitive(ws[m + 1], langs))
                or len(ws) - m - 1 < _MIN_CLAUSE_WORDS
            ):
                return None
            return m + 1
        if not bare or m != k or after_preposition or w.low in prepositions():
            continue
        if k > 0 and "," in text[ws[k - 1].end : w.start]:
            continue  # `siger Ib Holm, der fik …`: a relative clause or apposition about the speaker, no report
        if k > 0 and "(" in text[ws[k - 1].end : w.start]:
            continue  # `seier Kari Holm (Sp), statssekretær …`: the speaker's party or age, no report
        # "said Moscow and Minsk would …": a name that is not the (inverted) speaker opens the clause too
        opens = w.low in subject_starters() or _definite_noun(w, langs) or (w.cap and not ctx.is_person_at(w.start))
        if opens and len(ws) - m >= _MIN_BARE_CLAUSE_WORDS:
            bare_start = m
    return bare_start


def _infinitive(w: Word, langs: frozenset[str]) -> bool:
    """Danish `at` and Swedish `att` also mark an infinitive (`lovede at sænke`): no reported clause then."""
    if w.cap or w.low in subject_starters():
        return False
    for lang in langs:
        endings = infinitive_clues().get(lang, ())
        if endings and w.low.endswith(endings) and not w.low.endswith(("ne", "na")):
            return True
    return False


def _definite_noun(w: Word, langs: frozenset[str]) -> bool:
    """`mener saken kan …`: a Scandinavian definite noun opening a clause with no complementiser."""
    return (
        "en" not in langs
        and not w.cap
        and len(w.text) >= 4
        and w.low.endswith(_DEFINITE_ENDINGS)
        and not is_title_word(w.text)
        and w.low not in prepositions()
    )
