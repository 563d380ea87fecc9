"""Which outlet a source is, however the input named it: "Politiken", "politiken.dk", "https://www.politiken.dk/x".

A page names its outlet by og:site_name, a feed or text dump by its domain; counted apart, one outlet would look
like two. Used wherever outlets are listed or counted (the store's `Story.outlets`, the story view's counts), so
both agree. `Article.source` itself is kept as read: it is part of the article's content id.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

_SCHEME = re.compile(r"^(?:[a-z][a-z0-9+.-]*://)?(?:www\.)?")
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "ac", "gov", "edu"})


def outlet_key(source: str) -> str:
    """The outlet a source names: its registrable domain ("https://www.nrk.no/vestland/x" → "nrk.no"), or, for a
    source that is not a domain ("Politiken"), its lower-cased name without spaces.
    """
    name = _SCHEME.sub("", source.strip().lower()).split("/", 1)[0]
    if "." not in name:
        return re.sub(r"\s+", "", name) or source
    labels = [x for x in name.split(".") if x]
    # bbc.co.uk, abc.net.au: the registrable part is one label further left
    keep = 3 if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL else 2
    return ".".join(labels[-keep:])


def outlet_keys(sources: Iterable[str]) -> dict[str, str]:
    """Each source's outlet key among `sources`: a bare name joins the one domain whose name part it is
    ("Politiken" with politiken.dk), never a guess between two (thelocal.dk, thelocal.se)."""
    keys = {s: outlet_key(s) for s in sources}
    by_label: defaultdict[str, list[str]] = defaultdict(list)
    for d in {k for k in keys.values() if "." in k}:
        by_label[d.split(".", 1)[0]].append(d)
    for source, key in keys.items():
        if "." not in key and len(by_label.get(key, [])) == 1:
            keys[source] = by_label[key][0]
    return keys


def distinct_outlets(sources: Iterable[str]) -> list[str]:
    """One name per outlet, the first-seen spelling, in order."""
    ordered = list(dict.fromkeys(sources))
    keys = outlet_keys(ordered)
    shown: dict[str, str] = {}
    for s in ordered:
        shown.setdefault(keys[s], s)
    return list(shown.values())
