"""Issue 6, linker quality: the names an article uses, found by capitalisation alone, tell two happenings of
the same kind apart (two fires, two celebrities in rehab) where the entity tagger is noisy or silent.

Articles are hand-built and fictional (see tests/test_link_decisions.py); no entities are set here, so only
the capitalisation features can see the names.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from storyline.link import Linker
from storyline.link.features import Vocabulary, name_terms
from storyline.link.model import FEATURES
from storyline.models import DateMention
from storyline.settings import Settings
from tests.test_link_decisions import DAY, build


def _fire(place: str, company: str, chief: str, hours: int = 0) -> Any:
    return build(
        f"A fire at the {company} plant in {place} forced police to evacuate three hundred residents on "
        f"Monday night. Fire chief {chief} said the blaze started in a chemicals store, and residents were "
        f"told to keep windows shut. The council in {place} opened a shelter for the families.",
        "Factory fire forces evacuation", "en", DAY + timedelta(hours=hours), [])


def test_link_name_terms_are_capitalised_words_inside_sentences() -> None:
    vocab = Vocabulary()
    art = build("Police said Tara Reid checked into Promises on Tuesday. Friends of Reid, in May, agreed.",
                "", "en", DAY, [])
    art.dates = [DateMention("in May", "2025-05", "month", art.text.index("in May"),
                             art.text.index("in May") + 6)]
    ids = set(name_terms(art, vocab).tolist())
    found = {w for w, tid in vocab.ids.items() if tid in ids}
    # "Police" and "Friends" open sentences; "Tuesday" is a stopword; "May" lies inside a date mention.
    assert found == {"=tara", "=reit", "=promises"}


def _features(linker: Linker, art: Any) -> dict[str, float]:
    rows = linker.feature_rows(art, "story")
    assert len(rows) == 1
    return dict(zip(FEATURES, rows[0][1].tolist(), strict=True))


def test_link_names_shared_or_other(store: Any) -> None:
    linker = Linker(store, Settings())
    linker.link_and_save(_fire("Halden", "Nordvik", "Kari Lund"))
    same = _fire("Halden", "Nordvik", "Kari Lund", hours=2)
    other = _fire("Moss", "Sorbakk", "Per Holm", hours=2)
    # every name shared, yet short of 1.0: the share is scaled by n / (n + NAMES_PRIOR) for n names
    assert 0.5 < _features(linker, same)["names"] < 1.0
    assert _features(linker, other)["names"] == 0.0
    # the same kind of happening with other names is a weaker join, whatever the shared words say
    assert linker.decide(other).score < linker.decide(same).score


def test_link_names_one_shared_name_is_not_a_full_match(store: Any) -> None:
    # A text with a single capitalised word (a notice, an all-lower-case web text) that the story also uses
    # must not score like an article that shares all of its many names.
    linker = Linker(store, Settings())
    linker.link_and_save(_fire("Halden", "Nordvik", "Kari Lund"))
    one = build("the council said on monday that families from Halden can stay at the school for another week "
                "while the cleanup goes on and the roads stay closed.", "", "en", DAY + timedelta(hours=3), [])
    many = _fire("Halden", "Nordvik", "Kari Lund", hours=3)
    assert 0.0 < _features(linker, one)["names"] < 0.5 < _features(linker, many)["names"]
