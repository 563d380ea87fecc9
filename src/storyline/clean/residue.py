"""What scrapers leave around the article: photo captions, bylines, "Les også" teasers, share buttons, cookie
banners, ad labels and "continues below" lines, notices (article age, reading time, wire credits, copyright),
breadcrumbs, publication-date lines, date prefixes and closing agency signatures.

Every rule works on one whole line and is deliberately conservative: a line is residue only when it *is* a
caption / byline / teaser, never because it mentions a photo or an agency. The markers (per language) live in
markers.json; this module turns them into line tests. Rules that need the lines around a line are in layout.py.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

from storyline.clean.dates import FoundDate, find_date

ResidueKind = Literal[
    "caption", "byline", "read_more", "share", "consent", "agency", "notice", "navigation", "paywall", "timestamp"
]

# A byline or read-more headline is a short line; anything longer is prose that merely starts the same way.
_BYLINE_MAX_WORDS = 9
_TEASER_MAX_WORDS = 20
_CREDIT_MAX_WORDS = 8
_CAPTION_MAX_WORDS = 80
_DATE_LINE_MAX_WORDS = 14
_NOTICE_MAX_WORDS = 14
# The longest share/ad line in markers.json has 5 words; a row of share buttons rarely more than 10.
_SHARE_MAX_WORDS = 12
# A paywall box line ("Bli abonnent for 1 kr den første måneden og les alt fra …") is one or two sentences; a
# newsletter prompt likewise. Longer lines starting the same way are prose.
_PAYWALL_MAX_WORDS = 30
_NEWSLETTER_MAX_WORDS = 25
# "Oppdatert for 3 minutter siden", "Updated 2 hours ago": a label and a relative time, nothing else.
_RELATIVE_DATE_MAX_WORDS = 8
# A paper's imprint or contact line ("Nordavis Media, Postboks 12, 6800 Lyngvik. Tlf. 57 80 00 00. www.nordavis.no"):
# its web address with a post box or a phone number. Real Norwegian local papers end articles so; kept as text,
# the paper's town, its phone and its name joined unrelated articles of that paper (task RN, issue 6). Both
# signals are needed: prose names web addresses ("Les mer på www.regjeringen.no") and numbers on their own.
_IMPRINT_MAX_WORDS = 30
_WEB_RE = re.compile(r"(?:\bwww\.|https?://)[\w.-]+|\b[\w-]+\.(?:no|dk|se|com|nu|fi|is)\b", re.I)
_CONTACT_RE = re.compile(
    r"\b(?:pb|postboks|boks|box|postbox|tlf|tel|telefon|phone)\b\.?\s*:?\s*\d"  # a post box or a labelled phone
    # an 8-digit Nordic phone number, not an amount written in groups ("20 00 00 00 kroner")
    r"|(?<!\d)(?<!\d[,.])(?:\+\d{2}\s?)?\d{2}(?:\s?\d{2}){3}(?!\d|[,.]\d)(?!\s*(?:kr\b|kron|nok|dkk|sek|eur|dollar|mill))",
    re.I,
)
_SENTENCE_END = (".", "!", "?", "…", ":", "»", "”", '"', "“")
DASHES = ("–", "—", "―", "-")
QUOTE_OPENERS = "«»\"“”„'‘’"
_UPPER = "A-ZÆØÅÄÖÉÜ"


@dataclass(frozen=True, slots=True)
class Markers:
    caption_start: re.Pattern[str]
    caption_end: re.Pattern[str]
    credit_end: re.Pattern[str]
    byline: re.Pattern[str]
    agency_only: re.Pattern[str]
    signature_end: re.Pattern[str]
    read_more: re.Pattern[str]
    publication: re.Pattern[str]
    date_prefix: re.Pattern[str]
    consent: re.Pattern[str]
    share_lines: frozenset[str]
    share_tokens: frozenset[str]
    byline_words: frozenset[str]
    agencies: frozenset[str]
    updated_labels: frozenset[str]
    notice: re.Pattern[str]
    breadcrumb: re.Pattern[str]
    paywall: re.Pattern[str]
    newsletter: re.Pattern[str]
    timestamp: re.Pattern[str]
    email: re.Pattern[str]
    relative_words: frozenset[str]
    caption_labels: frozenset[str] = frozenset()  # one-word labels as written ("Foto", "Illustrasjonsfoto")


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@lru_cache(maxsize=1)
def marker_data() -> dict[str, Any]:
    """markers.json as data (per-language word lists)."""
    data: dict[str, Any] = json.loads(resources.files("storyline.clean").joinpath("markers.json").read_text("utf-8"))
    return data


def _flat(data: dict[str, Any], key: str) -> list[str]:
    """A marker list that may be split per language ({"da": [...], ...}) or shared ([...])."""
    value = data[key]
    return [w for words in value.values() for w in words] if isinstance(value, dict) else list(value)


@lru_cache(maxsize=1)
def markers() -> Markers:
    data = marker_data()
    labels = _alternation([w for words in data["caption_labels"].values() for w in words])
    agencies = _alternation(data["agencies"])
    prefixes = _alternation([w for words in data["byline_prefixes"].values() for w in words])
    dated = _alternation(data["published_labels"] + data["updated_labels"])
    # A credit is a name or agency; it may hold initials ("Tor G. Stenersen") or a domain ("Framtida.no").
    credit = rf"[{_UPPER}0-9©](?:[^.!?:;]|(?<=\b[{_UPPER}])\.|\.(?=[a-z]{{2,3}}\b)){{0,80}}?"
    return Markers(
        # "Foto: …", and the comma form some sites print ("Image caption, Lava flows near the town").
        caption_start=re.compile(rf"^\(?(?:{labels})\s*[:,]", re.I),
        # "... siger hun. Foto: Mads Nissen / Ritzau Scanpix" or "(Foto: NTB)" closing a caption line. The
        # credit starts with a capital: "et bilde: det var fint" is a sentence, not a credit.
        caption_end=re.compile(rf"(?:^|[\s(\[])(?i:{labels})\s*:\s*{credit}[)\]]?\.?$"),
        # "... ved pressemødet. Mads Claus Rasmussen/Ritzau Scanpix": a photographer's full name and an
        # agency, case-sensitive so "flertall for Sp/Ap" (Norwegian parties) is never taken for a credit.
        credit_end=re.compile(
            # A dot only as an initial ("Tor G. Stenersen/NTB"): "… sier Olle Ek. /TT" is a quote with a signature.
            rf"\b[{_UPPER}][\w'-]+(?:\s+(?:[{_UPPER}]\.|[{_UPPER}][\w'-]*)){{1,3}}\s*/\s*(?:{agencies})\)?\.?$"
        ),
        byline=re.compile(rf"^(?:{prefixes})(?:\s*:\s*|\s+)(?P<rest>\S.*)$"),
        agency_only=re.compile(rf"^[\s/()\[\]©,.–-]*(?:(?:{agencies})[\s/()\[\]©,.–-]*)+$", re.I),
        signature_end=re.compile(
            # "(NTB)", "(©NTB)", "/ritzau/", "/ritzau/AFP" (the wire and the agency it took the story from), "/TT",
            # "©NTB"; always right after a sentence's end, so "flertall for Sp/Ap" is never one
            rf"(?<=[.!?”»\"])\s*(?:\(\s*©?\s*(?:{agencies})\s*\)|/\s*(?:{agencies})\b(?:\s*/(?:\s*(?:{agencies})\b)?)?"
            rf"|©\s*(?:{agencies}))\s*$",
            re.I,
        ),
        read_more=re.compile(
            rf"^(?:{_alternation(data['read_more'])})\b\s*(?P<colon>[:.»>|–-]?)\s*(?P<rest>.*)$", re.I
        ),
        publication=re.compile(rf"(?P<label>{dated})\b\s*:?", re.I),
        date_prefix=re.compile(
            rf"^\s*(?:{_alternation(data['date_prefix_words'])})\s*:?\s+(?P<date>\d{{4}}-\d{{2}}(?:-\d{{2}})?)"
            r"\s*(?:[–—-]+|:|\|)?\s*",
            re.I,
        ),
        consent=re.compile(rf"^(?:{_alternation(data['consent_openers'])})\b.*\b(?:{_alternation(data['cookie_words'])})",
                           re.I),
        share_lines=frozenset(_norm(s) for s in data["share_lines"]),
        share_tokens=frozenset(data["share_tokens"]),
        byline_words=frozenset(w.lower() for w in data["byline_connectors"] + data["byline_roles"]),
        agencies=frozenset(a.lower() for a in data["agencies"]),
        updated_labels=frozenset(w.lower() for w in data["updated_labels"]),
        notice=re.compile(
            rf"^(?:{_alternation(_flat(data, 'notice_openers'))})\b"
            # "Lesetid: 3 min", and the number first: "5 min read", "3 min. lesetid"
            rf"|^(?:{_alternation(_flat(data, 'reading_time_labels'))})\s*:?\s*\d+\s*\w{{0,9}}\.?$"
            rf"|^\d+\s*(?:min|minutes|minutter|minuter)\.?\s*(?:{_alternation(_flat(data, 'reading_time_labels'))})$",
            re.I,
        ),
        # "Nyheder › Indland", "Nyheter > Innenriks > Oslo": short capitalised items between separators.
        breadcrumb=re.compile(
            rf"^[{_UPPER}][\w&-]*(?:\s[\w&-]+){{0,2}}"
            rf"(?:\s+(?:{_alternation(data['breadcrumb_separators'])})\s+[{_UPPER}][\w&-]*(?:\s[\w&-]+){{0,2}})+$"
        ),
        paywall=re.compile(rf"^(?:{_alternation(_flat(data, 'paywall_openers'))})\b", re.I),
        newsletter=re.compile(
            rf"^(?:{_alternation(data['newsletter_openers'])})\b.*\b(?:{_alternation(data['newsletter_words'])})\b",
            re.I,
        ),
        # "14:32", "Kl. 10.42", "I dag 09:58", "i går kl. 21.05": a live-blog entry's or teaser's time stamp.
        timestamp=re.compile(
            rf"^(?:(?:{_alternation(data['timestamp_day_words'])})\s*,?\s*)?"
            rf"(?:(?:{_alternation(data['time_connectors'])})\s*)?\d{{1,2}}[:.]\d{{2}}$",
            re.I,
        ),
        # A byline's e-mail line ("kari.holm@ntb.no"), with or without a mailto label or a closing dot.
        email=re.compile(r"^(?:e-?post|e-?mail|mail)?\s*:?\s*[\w.+-]+@[\w-]+(?:\.[\w-]+)+\.?$", re.I),
        relative_words=frozenset(w.lower() for w in data["relative_time_words"]),
        caption_labels=frozenset(w for words in data["caption_labels"].values() for w in words if " " not in w),
    )


def _norm(line: str) -> str:
    """Lower-case, no edge punctuation or icons, whitespace collapsed: how share/ad labels are compared."""
    return " ".join(re.sub(r"^[\W_]+|[\W_]+$", "", line.lower()).split())


def words_at_most(text: str, n: int) -> bool:
    """`len(text.split()) <= n`, without splitting all of a long line: at most n + 1 pieces are made, and there
    are n + 1 exactly when the text has more than n words (the last piece is the rest of the line)."""
    return len(text.split(None, n)) <= n


def classify(line: str) -> ResidueKind | None:
    """The kind of residue `line` is, or None when it is (or may be) article text."""
    words = line.split()
    text = " ".join(words)
    if not text:
        return None
    m = markers()
    if m.caption_start.match(text) and len(words) <= _CAPTION_MAX_WORDS:
        return "caption"
    # A closing credit needs its label's colon or the photographer/agency slash; most body lines have neither,
    # which spares the end-anchored searches (the slowest tests here) on them.
    caption = m.caption_end.search(text) if ":" in text else None
    short_credit = caption is not None and len(text[caption.start() :].split()) <= _CREDIT_MAX_WORDS + 2
    if short_credit and len(words) <= _CAPTION_MAX_WORDS:
        return "caption"
    if "/" in text and len(words) <= _CAPTION_MAX_WORDS and m.credit_end.search(text):
        return "caption"
    if words[0].rstrip(".") in m.caption_labels and _bare_credit(words):
        return "caption"
    if m.agency_only.match(text):
        return "agency"
    if _is_byline(text):
        return "byline"
    if _is_read_more(text):
        return "read_more"
    if _is_share(text):
        return "share"
    if m.consent.match(text):
        return "consent"
    if m.notice.match(text) and len(words) <= _NOTICE_MAX_WORDS:
        return "notice"
    if m.breadcrumb.match(text):
        return "navigation"
    if m.paywall.match(text) and len(words) <= _PAYWALL_MAX_WORDS:
        return "paywall"
    if m.newsletter.match(text) and len(words) <= _NEWSLETTER_MAX_WORDS:
        return "notice"
    if m.timestamp.match(text):
        return "timestamp"
    if "@" in text and m.email.match(text):
        return "byline"
    if len(words) <= _IMPRINT_MAX_WORDS and _WEB_RE.search(text) and _CONTACT_RE.search(text):
        return "notice"
    return None


def _bare_credit(words: list[str]) -> bool:
    """A label with no colon, alone or before a name only: "Illustrasjonsfoto.", "Foto Kari Holm", "Foto Ola
    Dahl, Avisa" (real Norwegian papers print credits so; kept as text, the photographer became a key entity
    that joined unrelated stories)."""
    rest = words[1:]
    if not rest:
        return True
    return (
        len(words) <= _CREDIT_MAX_WORDS
        and not words[0].endswith(".")
        and all(w[0].isupper() or w[0] in "(©" for w in rest)
        and not words[-1].endswith(("!", "?", ":"))
    )


def is_credit_line(line: str) -> bool:
    """A line that is only a photo credit (`Foto: Marius Dahl / Aftenposten`, `Bild: TT`), no caption text."""
    if not words_at_most(line, _CREDIT_MAX_WORDS + 1):  # asked of every line: most are long
        return False
    return markers().caption_start.match(" ".join(line.split())) is not None


def _is_byline(text: str) -> bool:
    """`Af Hans Hansen`, `Av Kari Nordmann, NTB`, `By Jane Doe and John Roe`: a prefix, then only names."""
    match = markers().byline.match(text)
    if not match or len(text.split()) > _BYLINE_MAX_WORDS or text.endswith(("!", "?", ":")):
        return False
    rest = match["rest"].rstrip(".")
    tokens = [t for t in re.split(r"[\s,/|]+", rest) if t]
    return bool(tokens) and all(_name_token(t) for t in tokens)


def _name_token(token: str) -> bool:
    m = markers()
    word = token.strip("()")
    return (
        word[:1].isupper()
        or word.lower() in m.byline_words
        or word.lower() in m.agencies
        or "@" in word
        or word in ("&", "-", "–")
    )


def _is_read_more(text: str) -> bool:
    match = markers().read_more.match(text)
    if not match:
        return False
    rest = match["rest"]
    if not rest:
        return True
    if match["colon"]:
        return len(rest.split()) <= _TEASER_MAX_WORDS
    # Without a colon the line must still read as "marker + headline", not as a sentence of the body.
    return len(rest.split()) <= _TEASER_MAX_WORDS and not rest.endswith(".")


def is_bare_read_more(line: str) -> bool:
    """A teaser label alone on its line ("Les også:"): the headline it points at follows on the next line."""
    match = markers().read_more.match(" ".join(line.split()))
    return match is not None and not match["rest"]


def _is_share(text: str) -> bool:
    if not words_at_most(text, _SHARE_MAX_WORDS):
        return False  # body prose: no need to compare it with every button label
    m = markers()
    if _norm(text) in m.share_lines:
        return True
    tokens = share_tokens(text)
    if len(tokens) >= 2 and all(t in m.share_tokens for t in tokens):
        return True
    # "Del artiklen: Facebook · X · E-post": a share label, then the targets
    label, colon, targets = text.partition(":")
    rest = share_tokens(targets)
    return bool(colon) and _norm(label) in m.share_lines and bool(rest) and all(t in m.share_tokens for t in rest)


def share_tokens(text: str) -> list[str]:
    return [t for t in re.split(r"[\s|•·/,:]+", text.lower()) if t]


def is_share_button(line: str) -> bool:
    """One share target on its own line ("Facebook", "E-post"): residue only next to other share lines, since a
    single word alone proves nothing."""
    tokens = share_tokens(line)
    return 0 < len(tokens) <= 2 and all(t in markers().share_tokens for t in tokens)


@dataclass(frozen=True, slots=True)
class DateLine:
    """A line that only states when the article was published or updated."""

    kind: Literal["published", "updated"]
    date: FoundDate | None


def date_line(line: str) -> DateLine | None:
    """`Publisert: 24.06.2023 12:00`, `Oppdatert 25. juni 2023`, a bare `24.06.2023 12:00`; None for prose."""
    if not words_at_most(line, _DATE_LINE_MAX_WORDS):  # prose: told before the line is collapsed
        return None
    text = " ".join(line.split())
    if not text:
        return None
    m = markers()
    label = m.publication.match(text)
    found = find_date(text)
    if label is None:
        # A line that is nothing but a date (and maybe a time) is metadata too.
        if found is not None and not re.sub(r"[\W_]|kl|klokken|klockan", "", _without(text, found)):
            return DateLine("published", found)
        return _tool_strip(text)
    kind: Literal["published", "updated"] = (
        "updated" if label["label"].lower() in m.updated_labels else "published"
    )
    if found is None and _relative_time(text[label.end() :]):
        return DateLine(kind, None)  # "Oppdatert for 3 minutter siden": metadata, but no date to read from it
    if found is None and not text[label.end() - 1 :].startswith(":"):
        return None  # "Publisert av ..." without a date is not a date line
    # "Publisert 24.06.2023 12:00, oppdatert 25.06.2023": the first date belongs to the first label.
    return DateLine(kind, found)


def _tool_strip(text: str) -> DateLine | None:
    """A scraped article-tools strip: byline, share and print buttons, then the printed date, on one line with no
    sentence end ("Kari Nordmann Skriv ut Del Publisert 18.01.2011 kl 10:46"). Its label is capitalised as a
    site prints it, mid-line, and a date follows; prose saying "… ble publisert 12. mai." has neither."""
    if ends_sentence(text):
        return None
    m = markers()
    for label in m.publication.finditer(text):
        if label.start() > 0 and text[label.start() - 1] == " " and label["label"][:1].isupper():
            found = find_date(text[label.end() :])
            if found is not None:
                kind: Literal["published", "updated"] = (
                    "updated" if label["label"].lower() in m.updated_labels else "published"
                )
                return DateLine(kind, found)
    return None


def _relative_time(rest: str) -> bool:
    """`for 3 minutter siden`, `2 hours ago`, `för 5 minuter sedan`: a number and only relative-time words."""
    words = [w for w in re.split(r"[\s.,]+", rest.lower()) if w]
    if not words or len(words) > _RELATIVE_DATE_MAX_WORDS or not any(w.isdigit() for w in words):
        return False
    relative = markers().relative_words
    return any(w in relative for w in words) and all(w.isdigit() or w in relative or len(w) <= 3 for w in words)


def updated_date(line: str) -> FoundDate | None:
    """The date after an "updated" label later on the same line, if any."""
    m = markers()
    for label in m.publication.finditer(" ".join(line.split())):
        if label["label"].lower() in m.updated_labels and label.start() > 0:
            return find_date(" ".join(line.split())[label.end() :])
    return None


def _without(text: str, found: FoundDate) -> str:
    return text[: found.start] + text[found.end :]


def strip_date_prefix(text: str) -> tuple[str, FoundDate | None]:
    """Remove a leading `date 2023-06 –` / `date 2023-06-24 -` prefix; return the rest and its date."""
    match = markers().date_prefix.match(text)
    if not match:
        return text, None
    return text[match.end() :], find_date(match["date"])


def ends_sentence(text: str) -> bool:
    return text.rstrip().endswith(_SENTENCE_END)


def starts_with_dash(text: str) -> bool:
    stripped = text.lstrip()
    return stripped.startswith(DASHES) and stripped[1:2] in (" ", "\u00a0")
