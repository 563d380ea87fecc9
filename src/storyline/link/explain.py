"""A link decision in words: why an article opened or joined its story, for a reader rather than a modeller.

The linker records, per decision, each feature's value and its exact contribution (weight × value) to the
logit (`link/model.py: LogisticModel.explain`), plus bias, logit and probability; a wire copy records its copy
similarity and the original's id instead. This module turns that record into a headline sentence and a few
reasons for and against, each phrased from the feature's *value* ("names 67 % of the same people") and ranked
by its *contribution*, so the words say what the model actually weighed. Pure functions of the stored
decision: the API, the web page and `storyline story --explain` show the same sentences.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from storyline.errors import LinkError
from storyline.link.model import load_models
from storyline.models import LinkDecision

CONTRIBUTION = "_contribution"
# Terms of the logit that are not evidence about the article: the model's prior, its sums, and the count of
# competing candidates (a property of the window, not of the article). They stay in the raw features.
NOT_EVIDENCE = frozenset({"bias", "logit", "probability", "candidates", "time_gap_days"})
# A contribution smaller than this (in logit units) moves the probability by under ~5 points near the
# threshold: too small to be worth a reader's attention.
MIN_CONTRIBUTION = 0.2
MAX_FOR, MAX_AGAINST = 3, 2

Direction = Literal["for", "against"]


@dataclass(frozen=True, slots=True)
class Reason:
    feature: str
    text: str
    contribution: float  # logit units; positive pushes towards joining
    direction: Direction


@dataclass(frozen=True, slots=True)
class Explanation:
    headline: str
    reasons: list[Reason]
    contributions: list[tuple[str, float]]  # every evidence term, strongest first (the model's view)


def _pct(value: float) -> str:
    # 0.996 is not certainty: never round a probability or share short of 1 up to "100 %".
    share = max(0.0, min(1.0, value))
    return "over 99 %" if 0.99 < share < 1.0 else f"{round(100 * share)} %"


def _days(value: float) -> str:
    days = round(value)
    return "the same day" if days == 0 else "1 day" if days == 1 else f"{days} days"


Values = Mapping[str, float]


def _wording(f: Values) -> str:
    parts = []
    if "lexical_best" in f:
        parts.append(f"{_pct(f['lexical_best'])} like its closest article")
    if "lexical" in f:
        parts.append(f"{_pct(f['lexical'])} like the story as a whole")
    if "words" in f:
        parts.append(f"{_pct(f['words'])} of its words in common with the story's articles on average")
    return "wording " + " and ".join(parts) + " (shared words and character grams, across da/nb/nn/sv)"


def _names(f: Values) -> str:
    parts = []
    if "entities" in f:
        parts.append(f"{_pct(f['entities'])} overlap")
    if "names" in f:
        parts.append(f"{_pct(f['names'])} of its proper names")
    return "names the same people, places and organisations" + (f" ({'; '.join(parts)})" if parts else "")


def _time(f: Values) -> str:
    parts = []
    if "time_gap_days" in f:
        gap = _days(f["time_gap_days"])
        parts.append("published the same day as the story's articles" if gap == "the same day"
                     else f"published {gap} from the story's articles")
    same = f.get("same_day")
    if same is not None:
        parts.append("reports on the same days" if same > 0 else "reports on other days" if same < 0
                     else "its day is unknown")
    return ", ".join(parts) or "close in time"


# Reader-level reasons, each the sum of correlated model terms: the model splits "wording" over the centroid
# and the closest article (and gives one of them a negative weight, as correlated features get), which would
# read as a contradiction term by term. Each group phrases its features' values; the summed contribution
# decides whether it counts for or against.
_GROUPS: tuple[tuple[str, tuple[str, ...], Callable[[Values], str]], ...] = (
    ("wording", ("lexical", "lexical_best", "words"), _wording),
    ("headline", ("title",), lambda f: f"headline {_pct(f['title'])} like the story's headlines"),
    ("names", ("entities", "entity_rare", "persons", "named", "names"), _names),
    ("missing_names", ("names_missing",),
     lambda f: f"lacks {_pct(f['names_missing'])} of the names most of the story's articles use"),
    ("other_people", ("person_conflict",), lambda f: "names only other people than the story"
     if f["person_conflict"] > 0 else "no conflict between the people named"),
    ("time", ("time_gap", "same_day"), _time),
    ("cohesion", ("cohesion_gap",), lambda f: "its words are "
     + (f"{round(100 * abs(f['cohesion_gap']))} points less alike the articles than they are to each other"
        if f["cohesion_gap"] < 0 else "as alike the articles as they are to each other")),
    # The event's core day is the median of its articles' reported days (cluster._Cluster.reported).
    ("core_day", ("day_apart",), lambda f: "reports on the same day as most of the event's articles"
     if f["day_apart"] == 0 else f"reports on a day {_days(math.expm1(f['day_apart']))} from most of the event's"
     " articles"),
    ("founding_names", ("names_core",), lambda f: f"{_pct(f['names_core'])} of its proper names are in the "
     "first report"),
    ("other_figures", ("number_conflict",), lambda f: "reports other figures than the event, none in common"
     if f["number_conflict"] > 0 else "no conflict between the figures reported"),
    ("years", ("year_conflict",), lambda f: "mentions other years than the story"
     if f["year_conflict"] > 0 else "mentions the same years"),
    # Concepts are words of different languages for one thing (storm / uvær / oväder): say that, not which.
    ("subject", ("concepts",), lambda f: f"{_pct(f['concepts'])} alike in what it is about, its subject words "
     "matched across languages"),
    ("figures", ("numbers",), lambda f: f"reports {_pct(f['numbers'])} of the same figures"),
    ("meaning", ("semantic",), lambda f: _meaning(f)),
)


def _meaning(f: Values) -> str:
    """The semantic second opinion (link/rescore.py): e5 cosines between any two news texts are high, so say how
    the title and lead compare with a typical candidate's (the fitted centre), not a raw percentage."""
    cosine, centre = f["semantic"], f.get("semantic_centre")
    if centre is None:
        return f"meaning {_pct(cosine)} alike (multilingual embedding)"
    closer = "closer to" if cosine >= centre else "further from"
    return (f"its title and lead mean {closer} the story's first articles than a borderline candidate's do "
            f"(multilingual embedding, similarity {cosine:.2f} against {centre:.2f}; asked because the decision "
            "was close)")


def contributions(features: Values) -> list[tuple[str, float]]:
    """(feature, contribution) of every evidence term, strongest first; empty for decisions without them."""
    terms = [(k.removesuffix(CONTRIBUTION), v) for k, v in features.items() if k.endswith(CONTRIBUTION)]
    return sorted(((k, v) for k, v in terms if k not in NOT_EVIDENCE), key=lambda kv: (-abs(kv[1]), kv[0]))


def reasons(features: Values) -> list[Reason]:
    """The strongest reasons for (up to 3) and against (up to 2) joining, each in words."""
    terms = dict(contributions(features))
    grouped = []
    for name, members, phrase in _GROUPS:
        present = [m for m in members if m in terms]
        total = sum(terms[m] for m in present)
        if present and abs(total) >= MIN_CONTRIBUTION:
            grouped.append((name, round(total, 2), phrase(features)))
    grouped.sort(key=lambda g: -abs(g[1]))
    out: list[Reason] = []
    plan: tuple[tuple[Direction, int], ...] = (("for", MAX_FOR), ("against", MAX_AGAINST))
    for direction, limit in plan:
        chosen = [g for g in grouped if (g[1] > 0) == (direction == "for")][:limit]
        out += [Reason(name, text, total, direction) for name, total, text in chosen]
    return out


def _scored(score: float, level: str) -> str:
    """ "match score 29 % (joins from 25 %)": with the shipped model's decision threshold, so a score under 50 %
    that joined reads as what it is, a score above the learned bar, not as "unlikely but joined anyway"."""
    try:
        models = load_models()
    except LinkError:
        return f"match score {_pct(score)}"
    model = models.story if level == "story" else models.event
    return f"match score {_pct(score)} (joins from {_pct(model.threshold)})"


def headline(decision: LinkDecision, copy_title: str | None = None, copy_source: str | None = None) -> str:
    """One sentence: what the linker decided and how sure it was."""
    n = decision.candidate_count
    if decision.copy_of:
        original = f"«{copy_title}»" if copy_title else decision.copy_of
        where = f" ({copy_source})" if copy_source else ""
        return (f"Wire copy of {original}{where}: {_pct(decision.score)} of the text is the same, so it counts as "
                "the same report, carried by another outlet.")
    if decision.action == "new":
        if n == 0:
            return "Opened the story: no earlier story shared enough names or words to be compared with."
        which = "the only candidate story" if n == 1 else f"the closest of {n} candidate stories"
        return f"Opened the story: {which} scored too low to join, {_scored(decision.score, 'story')}."
    among = "the only candidate story" if n <= 1 else f"the best of {n} candidate stories"
    text = f"Joined {among}: {_scored(decision.score, 'story')}."
    if decision.merged:
        k = len(decision.merged)
        text += f" It showed that {k} other stor{'y was' if k == 1 else 'ies were'} the same one; merged in."
    return text


def event_sentence(decision: LinkDecision, event_title: str | None) -> str | None:
    """Which event of the story the article reports, in words; None when the linker recorded no event."""
    if decision.event_id is None or decision.event_action is None:
        return None
    named = f"«{event_title}»" if event_title else "an event of the story"
    if decision.copy_of:
        return f"Same event as its original: {named}."
    if decision.event_action == "new":
        return f"Reports a new event in the story: {named}."
    return f"Reports the same event as earlier articles, {_scored(decision.event_score, 'event')}: {named}."


def explain(decision: LinkDecision, copy_title: str | None = None, copy_source: str | None = None) -> Explanation:
    return Explanation(headline(decision, copy_title, copy_source), reasons(decision.features),
                       contributions(decision.features))
