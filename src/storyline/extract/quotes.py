"""Quotes and their speakers: direct quotes, indirect and mixed speech, paragraph by paragraph.

Direct quotes (kind "direct"):
  1. a paragraph opening with a dash (–, —, -) and a cue after the quote, in any of the forms news uses:
     "– …, siger Jens Stoltenberg." / "…, sa hun til NRK." / "…, sier Kari Nordmann, leder i X." /
     "…, lyder det fra sportsdirektøren." / "…? spør hun." A second dash after the cue ("– A, sier hun. – B")
     starts a second part with the same speaker;
  2. a quotation in «…», »…« (Danish), "…", ”…”, „…“ or “…” with a cue after it ("«…», sa han", `"…," she
     said`) or a cue and a colon before it ("Stoltenberg sier: «…»", "Hun sa: – …");
  3. a dash paragraph, or a paragraph that is one whole quotation, with no cue continues the speaker
     established just before: the speaker of the previous paragraph's quote (direct or indirect, "Ifølge X")
     or, failing that, the person in focus;
  4. a quotation mark opened at a paragraph's start and not closed in it runs on into the next paragraph
     (the multi-paragraph convention); it takes the speaker of the quote that closes it.
A quotation with no cue is skipped: one to three words are a scare quote, longer ones a title or a term more
often than speech. Subheadings (Paragraph.kind "subheading") are skipped: a dash subheading repeats a quote.

Indirect and mixed speech (indirect.py) is looked for in the other sentences of narrative paragraphs.
Speakers resolve to people through speakers.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from storyline.extract.entities import Mentions, title_abbreviations
from storyline.extract.indirect import find_indirect
from storyline.extract.quote_lexicon import (
    Word,
    complementisers,
    coordinators,
    cue_verbs,
    declares_anonymity,
    first_person,
    indefinite,
    match_phrase,
    not_speech,
    object_pronouns,
    opinion_cues,
    phrase_heads,
    prepositions,
    second_person,
)
from storyline.extract.speakers import BOTH, Phrase, Speaker, SpeakerContext
from storyline.models import Paragraph, Quote

_DASHES = "–—-"
_OPENERS = "«»\"“”„"
_OPENER_RE = re.compile(f"[{re.escape(_OPENERS)}]")  # finds the next mark in C instead of a per-character loop
# «…», Danish »…«, "…" and “…” (closed by either kind, as pasted text mixes them), Swedish ”…”, „…“
_QUOTE_RE = re.compile(r"«([^«»]+)»|»([^«»]+)«|[\"“]([^\"“”]+)[\"”]|”([^”]+)”|„([^„“”]+)[“”]")
_BOUNDARY_RE = re.compile(r"(?:[,?!]|[?!],)\s+")
_RESTART_RE = re.compile(r"[.,!?]\s+[–—]\s+")
_COLON_DASH_RE = re.compile(r":\s+[–—-]\s+")
# "kona mi Kari", "bilen min": an interviewee talking of their own people and things (da/nb/nn/sv).
_FIRST_PERSON_POSSESSIVES = frozenset({"min", "mi", "mitt", "mine", "mina", "vår", "vårt", "våre", "våra", "vor",
                                       "vort", "vores"})
_INVERTED_SUBJECT_RE = re.compile(r"[,!?]\s+[^\W\d_]+\s+$")
_CUE_STOP_RE = re.compile(r"[.!?;:\n«»\"“”]")
# A quotation with no cue is speech only when it is a paragraph of its own with at least this many words;
# shorter ones are scare quotes or titles.
_MIN_BARE_QUOTE_WORDS = 4
# A cue whose speaker is no name, title or pronoun ("sier en kilde") is accepted only this short.
_MAX_OTHER_SPEAKER_WORDS = 3
# A narrative sentence with a trailing cue ("…, sier han til NTB.") is a quote when the words before the cue are
# at least this many and those after the speaker at most this many (a longer tail reports something else).
_MIN_TRAILING_QUOTE_WORDS = 3
# "Havnefoged Lars Brink: «…»": at most this many words before a colon name the speaker of the quotation after it.
_MAX_COLON_LABEL_WORDS = 5
_MAX_CUE_TAIL_WORDS = 8
# English speaker before its verb: `Tom Hallett, chairman of Harbour Trust in Leeds, said` runs to nine words.
_MAX_SPEAKER_BEFORE_WORDS = 10
# A dash paragraph of at most this many words with no closing punctuation and no cue is an intertitle that
# previews a quote ("- Smart og taktisk", "- Stein for stein"), not speech; set on the dev gold's NorNE nb
# portion, where every such line was an intertitle.
_MAX_INTERTITLE_WORDS = 5
# An interviewer's dash question may run on over this many plain paragraphs before the dash answer.
_MAX_LEAD_IN_PARAGRAPHS = 2
_END_PUNCT = ".!?…:;»\"”“"
_COMPLEMENTISERS = frozenset(w for ws in complementisers().values() for w in ws)


@lru_cache(maxsize=1)
def _cue_heads() -> frozenset[str]:
    """The first words of the verbs of saying (asked for per sentence and per comma: a cached call, no frames)."""
    return phrase_heads(cue_verbs())


@dataclass(frozen=True, slots=True)
class _Cue:
    verb: str
    phrase: Phrase


@dataclass(slots=True)
class _Found:
    """What one paragraph gave: its quotes; whether the speaker before it stays established (a reporter's
    question in an interview does not interrupt the interviewee); whether a quotation runs on past it."""

    quotes: list[Quote]
    keep_previous: bool = False
    runs_on: bool = False
    closer: Speaker | None = None  # named by the cue after a closing mark with nothing before it


def find_quotes(
    text: str, paragraphs: Sequence[tuple[int, int] | Paragraph], mentions: Mentions,
    interviewee: Callable[[], Speaker | None] | None = None,
) -> list[Quote]:
    """Direct, indirect and mixed quotes in `text`, paragraph by paragraph (offsets into `text`).

    `interviewee` gives the person an interview is with where the text never names them (a question-list
    interview whose headline names its subject: "Hva leser Mona Fjeldstad (52) i sommer?"); it is
    asked only when an interview answer finds no speaker, so articles without one pay nothing for it."""
    paras = [(p.start, p.end, p.kind) if isinstance(p, Paragraph) else (p[0], p[1], "body") for p in paragraphs]
    ctx = SpeakerContext.build(text, [(s, e) for s, e, _ in paras], mentions)
    quotes: list[Quote] = []
    previous: Speaker | None = None  # the speaker established by the paragraph before
    # quotes running on from earlier paragraphs, waiting for the cue that closes them; each with the speaker
    # it falls back on when none comes (the one established before it opened)
    pending: list[tuple[int, Speaker | None]] = []
    muted = False  # the paragraph before ends "synger med:" / "tenkte hun:": its quotation is a song or a thought
    citing = False  # the paragraph before is a dash line naming whose the next quotation is ("- Epiktet skriv:")
    resume: Speaker | None = None  # the speaker established before that line, back once the citation ends
    # An interview written as plain questions with dash answers ("Kva les du no?" / "- Ein krim."): every answer
    # is the interviewee's, so it takes the first answer's speaker; while that is unknown, only a person named in
    # full may be in focus (else the focus is whoever an answer named: "eg vil bli like god som Petter").
    asked = False  # the paragraph before is such a question
    answered = False  # an answer of this interview was read; `answerer` is its speaker (None: not known)
    answerer: Speaker | None = None
    asked_before = 0  # such questions so far
    # cue-less quotes of the dash paragraph just read: "- A.\n\nB, seier Gry Larsen." gives them the cue's speaker
    uncued: list[int] = []
    # the article said its sources are anonymous ("vil dei vere anonyme"): cue-less quotes are theirs, not the
    # person in focus (often the one they speak about), until a cue names someone
    anonymous = False
    for n, (start, end, kind) in enumerate(paras):
        if kind == "subheading":
            # the clean stage takes a short question line for a subheading ("Og i fjor?")
            asked = _plain_question(ctx, paras, n, asked_before)
            asked_before += asked
            continue
        if muted:
            found_muted = _mark_quotes(ctx, start, end, None, False)
            muted = found_muted.runs_on or bool(ctx.text[start:end].rstrip().endswith(":"))
            continue
        muted = _introduces_no_speech(ctx, start, end)
        label = _colon_label(ctx, start, end)
        if label is not None:
            # "- Epiktet skriv:" only says whose the next quotation is; it is no speech itself, and once the cited
            # passage is over the dash turns after it are the interviewee's again
            resume, citing, previous = previous, True, label
            continue
        next_dash = n + 1 < len(paras) and _dash_at(text, paras[n + 1][0], paras[n + 1][1]) is not None
        next_dash = next_dash or _answered_after_lead_in(ctx, paras, n)
        asks = not asked and _asks(ctx, paras, n)  # after an interviewer's plain question, a dash line answers it
        answer = asked and answered
        found = _paragraph_quotes(ctx, start, end, answerer if answer else previous, bool(pending),
                                  next_dash or asks, asks, strict=answer)
        if asked and found.quotes:
            if not answered and interviewee is not None and found.quotes[0].speaker is None:
                _answered_by(found.quotes, interviewee())
            cued = next((q for q in found.quotes if q.cue is not None and q.speaker is not None), None)
            if cued is not None or not answered:
                first = cued or found.quotes[0]
                answerer = Speaker(first.speaker, first.speaker_key, True) if first.speaker else None
            answered = True
        if anonymous:
            anonymous = _unnamed_sources(found.quotes)
        elif not found.quotes and declares_anonymity(ctx.lows(start, end)):
            anonymous = True
        asked = not found.quotes and _plain_question(ctx, paras, n, asked_before)
        asked_before += asked
        carry = next((f for _, f in pending if f is not None), None)
        speaker = next((q for q in found.quotes if q.speaker is not None), None)
        if speaker is not None:
            for i, _ in pending:
                quotes[i].speaker, quotes[i].speaker_key = speaker.speaker, speaker.speaker_key
                quotes[i].cue = quotes[i].cue or speaker.cue
            pending = []
        elif found.closer is not None:
            for i, _ in pending:
                quotes[i].speaker, quotes[i].speaker_key = found.closer.name, found.closer.key
            pending = []
        elif pending and not found.runs_on:
            for i, fallback in pending:
                if fallback is not None:
                    quotes[i].speaker, quotes[i].speaker_key = fallback.name, fallback.key
            pending = []
        dash = _dash_at(text, start, end) is not None
        if uncued and not dash and found.quotes:
            _continued(found.quotes[0], [quotes[i] for i in uncued], _skip_space(text, start, end))
        uncued = []
        for q in found.quotes:
            if q.speaker is None and q.kind == "direct":
                pending.append((len(quotes), None if anonymous else previous or carry))
            if dash and q.cue is None and q.kind == "direct":
                uncued.append(len(quotes))
            quotes.append(q)
        if citing and not found.runs_on:
            citing, previous = False, resume
            continue
        intro = _colon_intro(ctx, start, end)
        if intro is not None:
            previous = intro  # "- Epiktet skriv:" then «…»: the quotation that follows is the named writer's
            continue
        if found.keep_previous:
            continue
        last = found.quotes[-1] if found.quotes else None
        previous = Speaker(last.speaker, last.speaker_key, True) if last and last.speaker else None
    return quotes


def _unnamed_sources(found: list[Quote]) -> bool:
    """While the article's sources are anonymous: their cue-less quotes lose the speaker the focus gave them;
    whether they still are (False once a cue names someone)."""
    if any(q.cue is not None and q.speaker_key is not None for q in found):
        return False
    for q in found:
        if q.cue is None and q.kind == "direct":
            q.speaker, q.speaker_key = None, None
    return True


def _answered_by(found: list[Quote], interviewee: Speaker | None) -> None:
    """The first answer of an interview that names no one gives its cue-less quotes to the interviewee named
    outside the text; the answers after it then follow it as they follow a speaker found in the text."""
    if interviewee is None:
        return
    for q in found:
        if q.speaker is None and q.cue is None and q.kind == "direct":
            q.speaker, q.speaker_key = interviewee.name, interviewee.key


def _answered_after_lead_in(ctx: SpeakerContext, paras: Sequence[tuple[int, int, str]], n: int) -> bool:
    """A dash question whose answer comes after the interviewer's own lead-in ("- Men blir ikkje partiet då
    utydeleg?" / "Ingen andre parti på tinget er imot planen lenger." / "- Den faren er der …"): one or two plain
    paragraphs with no first person, no quotation mark and no cue, then a dash answer."""
    text = ctx.text
    start, end, _ = paras[n]
    if _dash_at(text, start, end) is None or not text[start:end].rstrip().endswith("?"):
        return False
    for m in range(n + 1, min(len(paras), n + 1 + _MAX_LEAD_IN_PARAGRAPHS + 1)):
        p_start, p_end, kind = paras[m]
        if _dash_at(text, p_start, p_end) is not None:
            return m > n + 1
        lows = ctx.lows(p_start, p_end)
        if (kind == "subheading" or _OPENER_RE.search(text, p_start, p_end) is not None
                or not first_person().isdisjoint(lows) or not _cue_heads().isdisjoint(lows)):
            return False
    return False


def _continued(first: Quote, uncued: list[Quote], lead: int) -> None:
    """A dash quote with no cue whose next paragraph opens with a quote that ends in a cue ("- Vi har venta
    lenge." / "No får elevane eit nytt bygg, seier rektor Geir Solvik.") is the first part of that speaker's
    quote: news splits one answer over paragraphs and names the speaker at the end."""
    if first.kind != "direct" or first.cue is None or first.speaker is None or first.start != lead:
        return
    for q in uncued:
        if first.speaker_key is None and q.speaker_key is not None:
            continue  # "…, sier sjefen i byrået": an unresolved title says less than the person already found
        q.speaker, q.speaker_key = first.speaker, first.speaker_key


def _plain_question(ctx: SpeakerContext, paras: Sequence[tuple[int, int, str]], n: int, asked_before: int) -> bool:
    """Paragraph `n` is an interviewer's question written without a dash, and a dash answer follows it. The
    question must ask "du"/"dere" something unless the interview has asked so before ("Og i fjor?"): a
    question line of a report ("Ei løysing i sikte?") is an intertitle, and the quote after it someone
    else's."""
    text = ctx.text
    start, end, _ = paras[n]
    if n + 1 >= len(paras) or _dash_at(text, start, end) is not None or not text[start:end].rstrip().endswith("?"):
        return False
    if _dash_at(text, paras[n + 1][0], paras[n + 1][1]) is None:
        return False
    return asked_before > 0 or any(w.low in second_person() for w in ctx.words(start, end))


def _asks(ctx: SpeakerContext, paras: Sequence[tuple[int, int, str]], n: int) -> bool:
    """Whether dash paragraph `n` opens an interviewer's turn that runs on over paragraphs with no dash and ends
    in a question the next dash paragraph answers ("- Du har vore oppteken av Seneca." / "Kva er det med
    …?" / "- Eg blei …"). Interviews split a question's lead-in and the question itself over paragraphs. A
    turn in the first person ("- Jeg var invitert, trodde jeg.") or a short answer ("- Nei.") is the
    interviewee's, whatever question the reporter asks after it without a dash."""
    text = ctx.text
    body = _dash_at(text, paras[n][0], paras[n][1])
    if body is None:
        return False
    ws = ctx.words(body, paras[n][1])
    if any(w.low in first_person() for w in ws):
        return False
    if len(ws) < _MIN_BARE_QUOTE_WORDS and not text[body : paras[n][1]].rstrip().endswith(":"):
        return False
    last = n
    for m in range(n + 1, len(paras)):
        # a short question paragraph may have been taken for a subheading by the clean stage: it still counts
        start, end, _ = paras[m]
        if _dash_at(text, start, end) is not None:
            return last > n and text[paras[last][0] : paras[last][1]].rstrip().endswith("?")
        last = m
    return False


def _introduces_no_speech(ctx: SpeakerContext, start: int, end: int) -> bool:
    """A paragraph ending in a verb of singing or thinking and a colon ("Han setter seg og synger med:"): the
    quotation after it is a song or a thought, not something said."""
    close = ctx.text[start:end].rstrip()
    if not close.endswith(":"):
        return False
    colon = start + len(close) - 1
    sent_start = max([s for s, _ in ctx.sentences if s <= colon] or [start])
    ws = ctx.words(max(start, sent_start), colon)
    return any(w.low in not_speech() for w in ws[-4:])


def _colon_intro(ctx: SpeakerContext, start: int, end: int) -> Speaker | None:
    """The person a paragraph ending in a verb of saying and a colon introduces ("I The Observer sier keeper
    David James:", "- Epiktet skriv:"): the speaker of a quotation in the next paragraph."""
    close = end
    while close > start and ctx.text[close - 1].isspace():
        close -= 1
    if close <= start or ctx.text[close - 1] != ":":
        return None
    body = _dash_at(ctx.text, start, end) or start
    cue = _cue_before(ctx, body, close)
    if cue is None:
        return None
    said = ctx.resolve(cue.phrase, close)
    return said if said.person else None


def _colon_label(ctx: SpeakerContext, start: int, end: int) -> Speaker | None:
    """The speaker a dash line that is nothing but a speaker, a verb of saying and a colon ("- Epiktet skriv:",
    "- Hun sa:") hands to the quotation after it. Interviewees introduce a passage they cite this way; the line
    names a source, it says nothing itself. The source need not be a person the entity finder knows (an author
    long dead): the name as written is shown then."""
    close = end
    while close > start and ctx.text[close - 1].isspace():
        close -= 1
    body = _dash_at(ctx.text, start, end)
    if body is None or close <= body or ctx.text[close - 1] != ":":
        return None
    ws = ctx.words(body, close - 1)
    if len(ws) < 2 or len(ws) > _MAX_COLON_LABEL_WORDS or ws[-1].end != close - 1:
        return None
    verb = next((k for k in range(1, len(ws)) if match_phrase(ws, k, cue_verbs()) == len(ws) - k), None)
    if verb is None or ws[0].start != body:
        return None
    phrase = ctx.phrase_before(ws[:verb])
    if phrase is None or phrase.start != body:
        return None
    return ctx.resolve(phrase, close)


def _intertitle(ctx: SpeakerContext, body: int, end: int) -> bool:
    """A dash line with no closing punctuation and no cue: an intertitle previewing a quote, when it is short
    or when its words come again later in the article (the quote it repeats, issue 5: don't count it twice)."""
    tail = ctx.text[body:end].rstrip()
    if not tail or tail[-1] in _END_PUNCT:
        return False
    if any(_cue_at(ctx, m.end(), end) for m in _BOUNDARY_RE.finditer(ctx.text, body, end)):
        return False
    return len(ctx.lows(body, end)) <= _MAX_INTERTITLE_WORDS or ctx.text.find(tail, end) >= 0


def _dash_at(text: str, start: int, end: int) -> int | None:
    """Where the text of a dash paragraph starts ("– Vi er …"), or None for any other paragraph."""
    lead = _skip_space(text, start, end)
    if lead + 1 < end and text[lead] in _DASHES and text[lead + 1] in " \u00a0":
        return _skip_space(text, lead + 1, end)
    return None


def _paragraph_quotes(
    ctx: SpeakerContext, start: int, end: int, previous: Speaker | None, open_quote: bool, next_dash: bool,
    asks: bool = False, strict: bool = False,
) -> _Found:
    body = _dash_at(ctx.text, start, end)
    if body is not None:
        if _reporter_question(ctx, body, end, next_dash, asks) or _intertitle(ctx, body, end):
            return _Found([], keep_previous=True)
        return _Found(_dash_quotes(ctx, body, end, previous, strict))
    found = _mark_quotes(ctx, start, end, previous, open_quote)
    free = _trailing_cue_quotes(ctx, start, end, found.quotes)
    found.quotes = sorted(found.quotes + free + find_indirect(ctx, start, end), key=lambda q: q.start)
    return found


def _reporter_question(ctx: SpeakerContext, body: int, end: int, next_dash: bool, asks: bool = False) -> bool:
    """A dash question with no cue is the reporter's in an interview, not a quote, when it asks "du"/"dere"
    something ("- Så du vil ikke flytte likevel?") or a dash answer follows it ("- Når opnar brua?" / "- Det er
    ikkje avgjort."), also after a lead-in sentence ("- Epiktet slår fast at …. Dette må vere sunne ideal?");
    `asks`: the turn's question comes in the paragraphs after it (see `_asks`)."""
    text = ctx.text
    if any(_cue_at(ctx, m.end(), end) for m in _BOUNDARY_RE.finditer(text, body, end)):
        return False
    if asks:
        return True
    if not text[body:end].rstrip().endswith("?"):
        return False
    if len([s for s in ctx.sentences if body <= s[0] < end]) > 1:
        return next_dash  # a speaker's own closing question rarely gets a dash answer
    return next_dash or any(w.low in second_person() for w in ctx.words(body, end))


def _trailing_cue_quotes(ctx: SpeakerContext, start: int, end: int, found: list[Quote]) -> list[Quote]:
    """Sentences of a narrative paragraph that end with a cue and no quotation marks: "Räntan är för låg för
    sparare, säger Eva Lindqvist." is a direct quote (news leaves the dash out of a quote's later
    sentences and of lead paragraphs); with a verb of opinion ("…, mener han.") it is reported speech."""
    text = ctx.text
    out: list[Quote] = []
    for s_start, s_end in ctx.sentences_within(start, end):
        if any(q.start < s_end and s_start < q.end for q in found):
            continue
        if _OPENER_RE.search(text, s_start, s_end) is not None or text[s_start] in _DASHES:
            continue
        quote = _trailing_cue(ctx, s_start, s_end)
        if quote is not None:
            out.append(_note(ctx, quote))
    return out


def _trailing_cue(ctx: SpeakerContext, s_start: int, s_end: int) -> Quote | None:
    text = ctx.text
    # every cue below needs a verb of saying among the sentence's words (most sentences hold none); a colon may
    # cut a word ("SVT:s") where a cue stops, leaving a shorter word than the sentence holds, so not then
    if text.find(":", s_start, s_end) < 0 and _cue_heads().isdisjoint(ctx.lows(s_start, s_end)):
        return None
    for m in _BOUNDARY_RE.finditer(text, s_start, s_end):
        if text[m.start()] != "," or m.start() in ctx.person_ends:
            continue  # "Helle Mørchs forlægger, Anne Lindholm, afviser …": a subject in apposition, not a quote
        cue = _cue_at(ctx, m.end(), s_end)
        if cue is None or cue.phrase.kind == "other":
            continue
        rest = ctx.words(cue.phrase.end, s_end)
        if len(rest) > _MAX_CUE_TAIL_WORDS or any(w.low in _COMPLEMENTISERS for w in rest):
            continue  # "…, mener tilsynet, som mener at …": the sentence goes on to report something else
        q_start, q_end = _trim(text, s_start, m.start())
        if len(ctx.lows(q_start, q_end)) < _MIN_TRAILING_QUOTE_WORDS:
            continue
        said = ctx.resolve(cue.phrase, q_start)
        if cue.verb.casefold() in opinion_cues():
            if not said.person or said.key is None or not ctx.well_named(said.key):
                return None
            return Quote(text[q_start:q_end], "indirect", said.name, said.key, cue.verb, q_start, q_end)
        return Quote(text[q_start:q_end], "direct", said.name, said.key, cue.verb, q_start, q_end)
    return None


def _skip_space(text: str, pos: int, end: int) -> int:
    while pos < end and text[pos].isspace():
        pos += 1
    return pos


def _note(ctx: SpeakerContext, quote: Quote) -> Quote:
    """Remember a found quote: its speaker is in focus, and names inside its text are nobody's antecedent."""
    ctx.remember(quote.start, quote.speaker_key, quote.speaker)
    if quote.kind == "direct":
        ctx.excluded.append((quote.start, quote.end))
    return quote


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Quote text without surrounding spaces and a trailing comma ("»…,« skriver han")."""
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return start, end


def _dash_quotes(
    ctx: SpeakerContext, body: int, end: int, previous: Speaker | None, strict: bool = False
) -> list[Quote]:
    """The quote(s) of a dash paragraph whose text starts at `body`; with no cue, its speaker is `previous`, else
    the person in focus (`strict`: only one named in full or with a title)."""
    text = ctx.text
    for m in _BOUNDARY_RE.finditer(text, body, end):
        cue = _cue_at(ctx, m.end(), end)
        if cue is None:
            continue
        q_start, q_end = _trim(text, body, m.start() + (0 if text[m.start()] == "," else 1))
        if q_end <= q_start:
            continue
        said = ctx.resolve(cue.phrase, body)
        out = [_note(ctx, Quote(text[q_start:q_end], "direct", said.name, said.key, cue.verb, q_start, q_end))]
        restart = _RESTART_RE.search(text, cue.phrase.end, end)
        if restart is not None:
            out.extend(_dash_quotes(ctx, restart.end(), end, said))
        return out
    q_start, q_end = _trim(text, body, end)
    if q_end <= q_start:
        return []
    spk = previous or _in_focus(ctx, q_start, q_end, strict)
    name, key = (spk.name, spk.key) if spk is not None else (None, None)
    return [_note(ctx, Quote(text[q_start:q_end], "direct", name, key, None, q_start, q_end))]


def _in_focus(ctx: SpeakerContext, at: int, end: int | None = None, strict: bool = False) -> Speaker | None:
    """The person in focus at `at`, for a quote with no cue; not one the quote up to `end` names itself ("- Marte
    har vore venninna mi sidan skulen": people do not call themselves by name or title, so the one just mentioned
    is spoken about). A name right after a clause break and one word ("…, slo Kari Holm fast", "Nei! tenkte
    Holm") is the subject of a cue the quote runs into, not someone spoken about."""
    inside = [e.key for e in ctx.persons if end is not None and at <= e.start < end
              and _INVERTED_SUBJECT_RE.search(ctx.text, max(at, e.start - 40), e.start) is None]
    if end is not None:  # "- Eg trur ikkje at ministeren vil gje seg no": spoken about by title, too
        inside.extend(ctx.titled(at, end))
    named = frozenset(inside + [ctx.aliases.get(k, k) for k in inside])
    if strict:
        # a person named only in first-person sentences is one the interviewee talks of ("Jeg hører mye på Ola
        # Vinje", "kona mi Kari"), not one the reporter introduces
        told = {e.key for e in ctx.persons if e.start < at and _first_person_sentence(ctx, e.start)}
        told -= {e.key for e in ctx.persons if e.start < at and not _first_person_sentence(ctx, e.start)}
        named |= frozenset(told | {ctx.aliases.get(k, k) for k in told})
    key = ctx.focus("neutral", at, named)
    if key is None or (strict and not ctx.well_named(ctx.aliases.get(key, key))):
        return None
    return ctx.person(key)


def _first_person_sentence(ctx: SpeakerContext, pos: int) -> bool:
    """Whether the sentence holding `pos` speaks in the first person."""
    return any(s <= pos < e and not (first_person() | _FIRST_PERSON_POSSESSIVES).isdisjoint(ctx.lows(s, e))
               for s, e in ctx.sentences)


def _cue_at(ctx: SpeakerContext, pos: int, end: int) -> _Cue | None:
    """A cue starting at `pos`: a verb of saying and its speaker ("sier hun", "siger direktør X"), or, in
    English, a speaker and the verb ("she said", "Stoltenberg said")."""
    text = ctx.text
    stop = _CUE_STOP_RE.search(text, pos, end)
    # the full stop of a title abbreviation or an initial does not end the cue: "siger dr. Ida Holm" (review 5)
    while stop is not None and text[stop.start()] == "." and _abbreviation_before(text, stop.start()):
        stop = _CUE_STOP_RE.search(text, stop.end(), end)
    limit = stop.start() if stop else end
    # a cue needs a verb of saying among its first words (both forms below): most commas are followed by none,
    # and the case-folded words tell that without building the words themselves
    if _cue_heads().isdisjoint(ctx.lows(pos, limit)[: _MAX_SPEAKER_BEFORE_WORDS + 1]):
        return None
    ws = ctx.words(pos, limit)
    if not ws or ws[0].start != pos:
        return None
    n = match_phrase(ws, 0, cue_verbs())
    if n:
        phrase = ctx.phrase_after(ws[n - 1].end, limit)
        if phrase is None or (phrase.kind == "other" and _content_words(phrase.text) > _MAX_OTHER_SPEAKER_WORDS):
            return None
        if phrase.kind == "other" and phrase.text.split()[0].casefold() in object_pronouns():
            return None  # `«Havnen», betegner ham`: the verb has an object, the words before are no speech
        return _Cue(_verb_text(ws, 0, n), phrase)
    commas = 0
    for k in range(1, min(_MAX_SPEAKER_BEFORE_WORDS + 1, len(ws))):
        gap = text[ws[k - 1].end : ws[k].start].strip()
        if gap == "," and commas < 2:
            commas += 1  # `Tom Hallett, chairman of X, said`: an apposition between the speaker and the verb
        elif gap:
            break
        n = match_phrase(ws, k, cue_verbs())
        if n and cue_verbs()[" ".join(w.low for w in ws[k : k + n])] == frozenset({"en"}):
            if commas == 1:
                return None  # `"…," Hallett, said`: one comma is no apposition closed before the verb
            phrase = ctx.phrase_before(ws[:k], apposition=commas == 2)
            return _Cue(_verb_text(ws, k, n), phrase) if phrase is not None else None
    return None


_WORD_BEFORE_RE = re.compile(r"(?<!\w)(\w{1,4})$")


def _abbreviation_before(text: str, dot: int) -> bool:
    """Whether the full stop at `dot` closes a title abbreviation ("dr.", "Prof.") or an initial ("H.")."""
    m = _WORD_BEFORE_RE.search(text, max(0, dot - 5), dot)
    if m is None:
        return False
    word = m.group(1)
    return (len(word) == 1 and word.isupper()) or word in title_abbreviations()


def _content_words(phrase: str) -> int:
    """Words of a speaker phrase that say who it is: articles and the "både … og" frame say nothing ("en anonym
    syrisk säkerhetskälla", "både pasientar og tilsette" are three and two)."""
    frame = indefinite() | coordinators() | BOTH
    return sum(w.casefold() not in frame for w in phrase.split())


def _verb_text(ws: list[Word], i: int, n: int) -> str:
    return " ".join(w.text for w in ws[i : i + n])


def _mark_quotes(
    ctx: SpeakerContext, start: int, end: int, previous: Speaker | None, open_quote: bool
) -> _Found:
    text = ctx.text
    if _OPENER_RE.search(text, start, end) is None and text.find(":", start, end) < 0:
        # no quotation mark and no colon (most paragraphs): every form below needs one or the other
        return _Found([])
    out: list[Quote] = []
    closer: Speaker | None = None
    lead = _skip_space(text, start, end)
    closing = _closing_mark(text, lead, end)
    if closing is not None:
        # the last paragraph of a quotation opened before it (`…," siger Mette Holm.`)
        q_start, q_end = _trim(text, lead, closing)
        cue = _cue_after_mark(ctx, closing + 1, end)
        said = ctx.resolve(cue.phrase, q_start) if cue is not None else None
        # a paragraph that only closes a quotation is its tail even when the opening was lost (`…bagefter."`)
        tail = not text[closing + 1 : end].strip(" .!?") and (
            len(ctx.lows(q_start, q_end)) >= _MIN_BARE_QUOTE_WORDS)
        if tail and not open_quote and cue is None:
            said = previous or _in_focus(ctx, q_start, q_end)
        if q_end > q_start and (open_quote or cue is not None or tail):
            name, key = (said.name, said.key) if said is not None else (None, None)
            out.append(_note(ctx, Quote(text[q_start:q_end], "direct", name, key, cue.verb if cue else None,
                                        q_start, q_end)))
        elif said is not None and open_quote:
            closer = said  # nothing before the closing mark (Swedish ” opens and closes): the cue names the speaker
        start = closing + 1
        lead = _skip_space(text, start, end)
    matches = list(_QUOTE_RE.finditer(text, start, end))
    if closing is None and lead < end and text[lead] in _OPENERS and not (matches and matches[0].start() == lead):
        # opened and not closed: a quote running on into the next paragraph; its speaker comes with the cue
        # that closes it
        q_start, q_end = _trim(text, lead + 1, end)
        return _Found([_note(ctx, Quote(text[q_start:q_end], "direct", None, None, None, q_start, q_end))],
                      runs_on=True)
    for m in matches:
        group = next(g for g in range(1, 6) if m.group(g) is not None)
        q_start, q_end = _trim(text, m.start(group), m.end(group))
        cue = _cue_after_mark(ctx, m.end(), end) or _cue_before(ctx, start, m.start())
        if cue is not None:
            said = ctx.resolve(cue.phrase, q_start)
            out.append(_note(ctx, Quote(text[q_start:q_end], "direct", said.name, said.key, cue.verb, q_start, q_end)))
        elif _after_colon(text, start, m.start()) and len(text[q_start:q_end].split()) >= _MIN_BARE_QUOTE_WORDS:
            # "Havnefoged Lars Brink: «…»", "Vidnets forklaring i retten: «…»": introduced without a verb
            spk = _colon_speaker(ctx, start, m.start()) or previous
            name, key = (spk.name, spk.key) if spk is not None else (None, None)
            out.append(_note(ctx, Quote(text[q_start:q_end], "direct", name, key, None, q_start, q_end)))
        elif _whole_paragraph(text, m, lead, end) and len(text[q_start:q_end].split()) >= _MIN_BARE_QUOTE_WORDS:
            spk = previous or _in_focus(ctx, q_start, q_end)
            name, key = (spk.name, spk.key) if spk is not None else (None, None)
            out.append(_note(ctx, Quote(text[q_start:q_end], "direct", name, key, None, q_start, q_end)))
    colon = _COLON_DASH_RE.search(text, start, end)
    if colon is not None and not any(q.start <= colon.start() < q.end for q in out):
        cue = _cue_before(ctx, start, colon.start() + 1)
        label = _colon_speaker(ctx, start, colon.start() + 1) if cue is None else None
        # a colon and a dash introduce speech even with no verb of saying before them ("Han har sin egen teori
        # om varför: - Jag är udda här."); the speaker is then the one established or in focus
        if cue is not None or label is not None or not out:
            spk = ctx.resolve(cue.phrase, colon.end()) if cue is not None else label
            for q in _dash_quotes(ctx, colon.end(), end, spk):
                q.cue = q.cue or (cue.verb if cue is not None else None)
                out.append(q)
    opened = _open_after_colon(ctx, start, end, matches)
    if opened is not None:
        out.append(opened)
        return _Found(out, closer=closer, runs_on=True)
    return _Found(out, closer=closer)


def _open_after_colon(ctx: SpeakerContext, start: int, end: int, matches: list[re.Match[str]]) -> Quote | None:
    """ "X, instruktør af filmen «Y», betegner ham: "Fyren er …": a quotation opened after a verb of saying and a
    colon and not closed in the paragraph runs to its end (and on into the next, like one opened at the start)."""
    text = ctx.text
    closed_to = max((m.end() for m in matches), default=start)
    mark = _OPENER_RE.search(text, closed_to, end)
    pos = mark.start() if mark is not None else None
    if pos is None or pos == _skip_space(text, start, end) or not _after_colon(text, start, pos):
        return None
    if _OPENER_RE.search(text, pos + 1, end) is not None:
        return None
    cue = _cue_before(ctx, start, pos)
    q_start, q_end = _trim(text, pos + 1, end)
    if cue is None or len(ctx.lows(q_start, q_end)) < 2:
        return None
    said = ctx.resolve(cue.phrase, q_start)
    return _note(ctx, Quote(text[q_start:q_end], "direct", said.name, said.key, cue.verb, q_start, q_end))


def _closing_mark(text: str, lead: int, end: int) -> int | None:
    """Where a paragraph closes a quotation it did not open: the first quotation mark, when it closes (written
    after a word or punctuation, followed by a space, a comma or the paragraph's end) and no mark opens before
    it."""
    mark = _OPENER_RE.search(text, lead, end)
    if mark is None:
        return None
    pos = mark.start()
    ch = text[pos]
    if ch in "«„":
        return None
    before = text[pos - 1] if pos > lead else " "
    after = text[pos + 1] if pos + 1 < end else " "
    # `annat ”, kommenterar X`: a mark before a comma closes even after a space (tokenised text)
    closes = ch in "»”\"“" and (pos == lead or not before.isspace() or after == ",") and (
        after.isspace() or after in ",.;:!?–—")
    if ch == "»" and pos + 1 < end and not after.isspace() and after not in ",.;:!?":
        return None  # Danish »…« opens with »
    return pos if closes and (pos > lead or after in ",") else None


def _after_colon(text: str, para_start: int, open_at: int) -> bool:
    return text[para_start:open_at].rstrip().endswith(":")


def _colon_speaker(ctx: SpeakerContext, para_start: int, open_at: int) -> Speaker | None:
    """The person a colon introduces: the last person named in the words before it ("Havnefoged Lars Brink:",
    "Sælgeren:"), when those words are few enough to be a label rather than a sentence."""
    text = ctx.text
    colon = text.rindex(":", para_start, open_at)
    sent_start = max([s for s, _ in ctx.sentences if s <= colon] or [para_start])
    seg = ctx.words(max(sent_start, para_start), colon)
    if not seg or len(seg) > _MAX_COLON_LABEL_WORDS:
        return None
    governed = {seg[k].start for k in range(1, len(seg)) if seg[k - 1].low in prepositions()}
    # "Træneren Ole om keeperen Nils:": the person the label is about follows a preposition; the speaker does not
    people = [e for e in ctx.persons if seg[0].start <= e.start < colon and e.start not in governed]
    if people:
        return ctx.person(people[0].key)
    if len(seg) == 1 and seg[0].cap:
        return Speaker(seg[0].text, None, False)
    return None


def _whole_paragraph(text: str, m: re.Match[str], lead: int, end: int) -> bool:
    """A quotation that is its paragraph; one followed by a question mark ("«Jeg har ingenting å ha på meg»?")
    ends an interviewer's question that cites words, it is nobody's speech."""
    rest = text[m.end() : end]
    return m.start() == lead and not rest.strip(" .!?") and "?" not in rest


def _cue_after_mark(ctx: SpeakerContext, pos: int, end: int) -> _Cue | None:
    text = ctx.text
    pos = _skip_space(text, pos, end)
    if pos < end and text[pos] in ",–—":
        pos = _skip_space(text, pos + 1, end)
    return _cue_at(ctx, pos, end)


def _cue_before(ctx: SpeakerContext, para_start: int, open_at: int) -> _Cue | None:
    """ "Stoltenberg sier: «…»", "sier Stoltenberg: «…»", "Solvang sa til NTB: «…»", "Hun sa: – …"."""
    text = ctx.text
    seg_end = open_at
    while seg_end > para_start and text[seg_end - 1].isspace():
        seg_end -= 1
    if seg_end <= para_start or text[seg_end - 1] not in ":,":
        return None
    sent_start = next((s for s, e in reversed(ctx.sentences) if s <= seg_end - 1 < e + 1), para_start)
    sent_start = max(sent_start, para_start)
    ws = ctx.words(sent_start, seg_end - 1)
    for k in range(len(ws) - 1, max(-1, len(ws) - 7), -1):
        n = match_phrase(ws, k, cue_verbs())
        if not n:
            continue
        phrase = ctx.phrase_after(ws[k + n - 1].end, seg_end - 1) if k + n < len(ws) else None
        if phrase is None or phrase.kind == "other":
            phrase = ctx.subject(sent_start, ws[k], ws[k + n - 1].end, ws[:k])
        return _Cue(_verb_text(ws, k, n), phrase) if phrase is not None else None
    return None
