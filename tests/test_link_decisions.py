"""The linker's decisions on hand-built articles: cross-language joins, new stories, time, explanations.

The articles are hand-written and fictional: one story told in Danish, Bokmål and Swedish, and unrelated
stories around it. Entities are set by hand so these tests do not depend on the extract stage.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from storyline.link import Linker, story_id_for
from storyline.link.model import FEATURES, load_models
from storyline.models import Article, Entity
from storyline.settings import Settings
from tests.conftest import make_article

DAY = datetime(2025, 3, 10, 8, 0, tzinfo=UTC)


def build(
    text: str,
    title: str,
    language: str,
    published: datetime | None,
    entities: list[tuple[str, str, str]],
    source: str = "test",
) -> Article:
    art = make_article(text, title=title, source=source, published=published)
    art.text = text
    art.language = language
    art.entities = []
    for surface, etype, key in entities:
        start = text.find(surface)
        art.entities.append(Entity(surface, etype, key, max(start, 0), max(start, 0) + len(surface)))
    return art


FIRE_ENTITIES = [
    ("Halden", "GPE", "gpe:halden"),
    ("Nordvik Metall", "ORG", "org:nordvik_metall"),
    ("Kari Lund", "PER", "per:kari_lund"),
]


def fire_da(published: datetime | None = DAY) -> Article:
    return build(
        "En voldsom brand på fabrikken Nordvik Metall i Halden har tvunget politiet til at evakuere omkring "
        "tre hundrede beboere. Brandvæsenet kæmpede hele natten mod flammerne, og røgen drev ind over byen. "
        "Indsatsleder Kari Lund oplyser, at branden startede i lageret med kemikalier, og at beboerne skal "
        "holde vinduer og døre lukket. Regeringen følger situationen, og kommunen har åbnet et krisecenter "
        "for de evakuerede familier. Politiet efterforsker årsagen til branden.",
        "Storbrand på fabrik i Halden: hundredvis evakueret",
        "da",
        published,
        FIRE_ENTITIES,
        source="dk-avis",
    )


def fire_nb(published: datetime | None = DAY + timedelta(hours=5)) -> Article:
    return build(
        "En kraftig brann på fabrikken Nordvik Metall i Halden har tvunget politiet til å evakuere rundt "
        "tre hundre beboere. Brannvesenet kjempet hele natten mot flammene, og røyken drev inn over byen. "
        "Innsatsleder Kari Lund opplyser at brannen startet i lageret med kjemikalier, og at beboerne må "
        "holde vinduer og dører lukket. Regjeringen følger situasjonen, og kommunen har åpnet et krisesenter "
        "for de evakuerte familiene. Politiet etterforsker årsaken til brannen.",
        "Storbrann på fabrikk i Halden: hundrevis evakuert",
        "nb",
        published,
        FIRE_ENTITIES,
        source="no-avis",
    )


def fire_sv_followup(published: datetime | None = DAY + timedelta(days=2)) -> Article:
    return build(
        "Polisen har gripit en man misstänkt för branden på fabriken Nordvik Metall i Halden. Enligt "
        "insatsledaren Kari Lund startade branden i lagret med kemikalier, och de evakuerade "
        "familjerna har nu "
        "fått flytta hem igen. Kommunen stänger krisecentret.",
        "Man gripen efter storbranden i Halden",
        "sv",
        published,
        FIRE_ENTITIES,
        source="se-avis",
    )


PM = ("Mette Frederiksen", "PER", "per:mette_frederiksen")


def pm_climate(published: datetime | None = DAY) -> Article:
    return build(
        "Statsminister Mette Frederiksen præsenterede i dag en ny klimaplan, der skal halvere "
        "udledningen fra "
        "landbruget inden 2030. Planen indeholder en afgift på drivhusgasser og støtte til omlægning af "
        "marker til skov. Landbrugets organisationer kritiserer afgiften, mens klimaforskere "
        "kalder planen et "
        "vigtigt skridt. Folketinget skal stemme om klimaplanen før sommerferien.",
        "Regeringen vil halvere landbrugets udledning",
        "da",
        published,
        [PM, ("Folketinget", "ORG", "org:folketinget")],
    )


def pm_hospital(published: datetime | None = DAY + timedelta(days=10)) -> Article:
    return build(
        "Statsminister Mette Frederiksen besøgte tirsdag et sygehus i Aalborg, hvor ventelisterne til "
        "operationer er vokset markant. Hun lovede flere sygeplejersker og kortere ventetid for "
        "patienter med "
        "kræft. Regionen har længe efterlyst penge til nye senge og udstyr på kirurgisk afdeling.",
        "Statsministeren lover kortere ventetid på sygehuse",
        "da",
        published,
        [PM, ("Aalborg", "GPE", "gpe:aalborg")],
    )


def distractors() -> list[Article]:
    return [
        build(
            "Fotballklubben vant kampen tre null etter to mål av spissen i andre omgang. Treneren var "
            "fornøyd med forsvaret og publikum jublet på tribunen.",
            "Seier på hjemmebane",
            "nb",
            DAY - timedelta(days=1),
            [("Rosenborg", "ORG", "org:rosenborg")],
        ),
        build(
            "Riksbanken höjer styrräntan med en halv procentenhet för att bromsa inflationen. Bolåntagare "
            "får räkna med högre månadskostnader under hösten.",
            "Riksbanken höjer räntan",
            "sv",
            DAY - timedelta(days=2),
            [("Riksbanken", "ORG", "org:riksbanken")],
        ),
        build(
            "Kommunalvalget i Aarhus endte med et tæt løb mellem de store partier. Borgmesteren beholder "
            "posten efter lange forhandlinger om budgettet.",
            "Borgmesteren fortsætter",
            "da",
            DAY - timedelta(days=3),
            [("Aarhus", "GPE", "gpe:aarhus")],
        ),
    ]


def linker_with(store: Any, *articles: Any) -> Linker:
    linker = Linker(store, Settings())
    for art in [*distractors(), *articles]:
        linker.link_and_save(art)
    return linker


def test_link_danish_and_norwegian_versions_join_one_story(store: Any) -> None:
    da = fire_da()
    linker = linker_with(store, da)
    nb = linker.link_and_save(fire_nb())
    assert nb.link is not None and nb.link.action == "join", nb.link
    assert nb.link.story_id == story_id_for(da.id)
    assert nb.link.features["lexical"] > 0.3
    sv = linker.link_and_save(fire_sv_followup())
    assert sv.link is not None and sv.link.story_id == da.story_id, sv.link
    assert store.get_story(da.story_id).languages == ["da", "nb", "sv"]


@pytest.mark.xfail(
    reason="issue 6 known shortfall: the learned story model (trained mostly on ECB+, which has no publication "
    "dates) weighs a shared person heavily and a 10-day gap lightly; in this 5-article corpus the prime "
    "minister's key is rare, so it joins. The near-miss stories of samples/ are kept apart.",
    strict=False,
)
def test_link_same_person_different_matter_opens_new_story(store: Any) -> None:
    climate = pm_climate()
    linker = linker_with(store, climate)
    hospital = linker.decide(pm_hospital())
    assert hospital.action == "new", hospital
    assert hospital.candidate_count >= 1  # found through the shared name, then rejected
    assert hospital.score < load_models().story.threshold


def test_link_undated_article_still_joins(store: Any) -> None:
    da = fire_da()
    linker = linker_with(store, da)
    undated = fire_nb(published=None)
    decision = linker.decide(undated)
    assert decision.action == "join" and decision.story_id == da.story_id
    assert decision.features["time_gap"] == 0.0 and "time_gap_days" not in decision.features


def test_link_month_precision_is_neutral(store: Any) -> None:
    da = fire_da()
    linker = linker_with(store, da)
    month_only = fire_nb()
    month_only.published_precision = "month"
    decision = linker.decide(month_only)
    # the month overlaps the story's days: no gap is held against it
    assert decision.action == "join" and decision.features["time_gap"] == 0.0


def test_link_time_gap_lowers_the_score(store: Any) -> None:
    from datetime import timedelta

    da = fire_da()
    linker = linker_with(store, da)
    near = linker.decide(fire_nb())
    far = linker.decide(fire_nb(published=(da.published or DAY) + timedelta(days=9)))
    assert far.features["logit"] < near.features["logit"]  # (both probabilities may round to 1.0)
    assert far.features["time_gap_days"] > 8 and far.features["time_gap"] > near.features["time_gap"]


def test_link_explanation_features_add_up(store: Any) -> None:
    linker = linker_with(store, fire_da())
    decision = linker.decide(fire_nb())
    feats = decision.features
    for name in ("lexical", "entities", "title", "time_gap"):
        assert name in feats and f"{name}_contribution" in feats
    contributions = feats["bias"] + sum(feats[f"{n}_contribution"] for n in FEATURES)
    assert abs(contributions - feats["logit"]) < 0.01 and abs(decision.score - feats["probability"]) < 0.001
    assert decision.candidate_count >= 1


def test_link_first_article_opens_story_with_stable_id(store: Any) -> None:
    linker = Linker(store, Settings())
    art = fire_da()
    decision = linker.decide(art)
    assert decision.action == "new" and decision.story_id == story_id_for(art.id)
    assert decision.story_id.startswith("s") and len(decision.story_id) == 16
    assert decision.score == 0.0 and decision.candidate_count == 0
