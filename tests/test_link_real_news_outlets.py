"""Issue 6 (task RN): one paper's unrelated local news must not join on the names every one of its articles uses.

Real-news review 3 saw a local paper's traffic accidents, court cases and sports results of one or a few days
joined into stories: the home town, the county and the police district are rare in the whole stream (no other
paper writes them) but in most of that paper's articles. `link/rarity.py` weighs a name by its rarity in the
article's own outlet too. All texts here are invented; the real documents are read at run time only
(load_news_train, skipped without ../shared/data).
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from storyline.eval.datasets import NEWS_TRAIN_STORIES, load_news_background, load_news_train
from storyline.link import Linker
from storyline.link.model import FEATURES
from storyline.link.rarity import HALF_LIFE, OutletRarity
from storyline.settings import Settings
from tests.test_link_decisions import DAY, build

# Invented local happenings of the fictional paper "Fjordposten" in the fictional town of Kvernvik: each report
# names the town and its county and one person or place of its own.
_LOCAL = [
    ("Ny barnehage opna", "Kommunen i Kvernvik opna måndag ein ny barnehage på Solbakken med plass til seksti born."),
    ("Brann i løe", "Ei løe på garden til Ivar Lunde i Kvernvik brann ned natt til tysdag, ingen dyr omkom."),
    ("Rekordår for hamna", "Hamna i Kvernvik hadde rekordmange anløp i fjor, fortel hamnesjef Marit Sande."),
    ("Vegarbeid på brua", "Brua over Kvernvikelva blir stengd i to veker medan Statens vegvesen skiftar dekke."),
    ("Korpset fyller hundre", "Skulekorpset i Kvernvik feirar hundreårsjubileum med konsert i Storsalen."),
    ("Nytt legekontor", "Legekontoret i Kvernvik flyttar inn i nye lokale ved Torget til hausten."),
    ("Fotballag opp ein divisjon", "Kvernvik IL rykte opp etter siger mot Brekkestø på heimebane laurdag."),
    ("Biblioteket utvidar", "Biblioteket i Kvernvik får lengre opningstider etter vedtak i formannskapet."),
]


# Other papers of the stream, each about its own invented town: the stream is many papers, so Kvernvik is rare in
# it as a whole, as a local paper's home town is.
ELSEWHERE_ARTICLES = 150
_ELSEWHERE = ["Austvoll", "Berget", "Dalsvik", "Eikrem", "Fossnes", "Granli", "Hovland", "Isdal", "Juvik", "Kleiva"]


def _elsewhere(i: int) -> Any:
    town = _ELSEWHERE[i % len(_ELSEWHERE)]
    return build(f"I {town} har kommunestyret vedteke eit nytt budsjett, fortel ordføraren i {town} Lars Nybø{i}.",
                 f"Budsjett i {town}", "nn", DAY + timedelta(minutes=5 * i), [(town, "GPE", f"gpe:{town.lower()}")],
                 source=f"{town}avisa")


def _fjordposten(i: int, title: str, text: str) -> Any:
    return build(text, title, "nn", DAY + timedelta(hours=3 * i), [("Kvernvik", "GPE", "gpe:kvernvik")],
                 source="Fjordposten")


def _names_feature(linker: Linker, article: Any) -> list[float]:
    return [float(x[FEATURES.index("names")]) for _, x in linker.feature_rows(article, "story")]


def test_link_real_outlet_rarity_caps_what_the_outlet_always_names() -> None:
    rarity: OutletRarity[str] = OutletRarity()
    for i in range(30):
        rarity.count("fjordposten.no", ["kvernvik", f"person{i}"])
    stream_idf = {"kvernvik": 6.0, "holm": 6.0}  # both rare in the whole stream (the same IDF)
    local = rarity.idf("https://www.fjordposten.no/nyheter/1", stream_idf)  # the same outlet, however spelled
    assert local["kvernvik"] < 2.0 < local["holm"], "the name in every article of the paper says little"
    assert local["holm"] == pytest.approx(6.0), "a name the paper never used keeps its stream rarity"
    assert rarity.idf("other.no", stream_idf) == stream_idf, "an outlet never seen keeps the stream IDF"


def test_link_real_outlet_rarity_shrinks_a_new_outlet_towards_the_stream() -> None:
    rarity: OutletRarity[str] = OutletRarity()
    rarity.count("fjordposten.no", ["kvernvik"])
    # One article that named the town is no evidence that the paper always does: the prior keeps it near 6.
    assert rarity.idf("fjordposten.no", {"kvernvik": 6.0})["kvernvik"] > 3.0


def test_link_real_outlet_rarity_forgets_with_a_half_life() -> None:
    rarity: OutletRarity[str] = OutletRarity()
    for _ in range(HALF_LIFE):
        rarity.count("fjordposten.no", ["kvernvik"])
    before = rarity.idf("fjordposten.no", {"kvernvik": 6.0})["kvernvik"]
    for _ in range(HALF_LIFE):
        rarity.count("fjordposten.no", ["strandvik"])  # the paper moved on to another town
    after = rarity.idf("fjordposten.no", {"kvernvik": 6.0})["kvernvik"]
    assert before < after, "what the paper wrote long ago weighs less"


def test_link_real_home_town_is_weak_evidence_of_one_story(store: Any) -> None:
    """Two unrelated local reports of one paper share only its home town: the share of names the candidate
    story has used counts the town at its outlet rarity, well below a protagonist named in both."""
    linker = Linker(store, Settings())
    for i in range(ELSEWHERE_ARTICLES):
        linker.link_and_save(_elsewhere(i))
    for i, (title, text) in enumerate(_LOCAL):
        linker.link_and_save(_fjordposten(i, title, text))
    first = _fjordposten(20, "Ulukke på fylkesvegen",
                         "Ein bil køyrde av vegen ved Kvernvik i kveld, opplyser operasjonsleiar Tone Myrvang.")
    linker.link_and_save(first)
    other = _fjordposten(21, "Innbrot i butikk",
                         "Ein butikk i Kvernvik hadde innbrot i natt, seier butikksjef Sverre Aasen.")
    follow_up = _fjordposten(22, "Bilisten slapp med skrekken",
                             "Bilisten som køyrde av vegen ved Kvernvik er uskadd, seier Tone Myrvang.")
    town_only = max(_names_feature(linker, other))
    shared_person = max(_names_feature(linker, follow_up))
    # Weighed by stream rarity alone the town scored 0.145 here; at its rarity in Fjordposten 0.082.
    assert town_only < 0.11 and shared_person > 0.5


@pytest.mark.needs_shared_data
def test_link_real_news_train_documents_are_dated_reviewed_and_split_by_week(shared_data: Path) -> None:
    everything = load_news_train(shared_data)
    assert len(everything.articles) >= 400
    assert all(a.published is not None and a.title and a.raw_text for a in everything.articles)
    assert all(a.input_name.startswith(("norne-nb-train:", "norne-nn-train:")) for a in everything.articles)
    # Reviewed groups share a story; every other document is its own.
    sizes = sorted(n for n in Counter(everything.story.values()).values() if n > 1)
    assert sizes == sorted(len(g) for g in NEWS_TRAIN_STORIES)
    even, odd = load_news_train(shared_data, "even"), load_news_train(shared_data, "odd")
    assert {a.id for a in even.articles}.isdisjoint(a.id for a in odd.articles)
    assert len(even.articles) + len(odd.articles) == len(everything.articles)
    held_out = {a.id for split in ("dev", "test") for a in load_news_background(shared_data, split).articles}
    assert held_out.isdisjoint(a.id for a in everything.articles), "train documents only"
