"""Person keys inside one article and across articles (issue 4): surname keys shared across languages, a lone
surname resolved to the full name introduced before it, namesakes never merged inside one article.

Spans are given by hand (`NameSpan` at their offsets in the text): finding them is the NER's job."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from storyline.cli import cli
from storyline.extract.keys import NameSpan, assign_person_keys, entity_key, split_name

FIXTURES = Path(__file__).parent / "fixtures" / "cli"


def _keys(text: str, names: list[str]) -> list[str]:
    """Keys of the person `names`, found in this order in `text`."""
    spans: list[NameSpan] = []
    pos = 0
    for name in names:
        pos = text.index(name, pos)
        spans.append(NameSpan(name, "PER", pos))
        pos += len(name)
    assign_person_keys(spans)
    return [sp.key for sp in spans]


def test_keys_lone_surname_takes_the_full_name_before_it() -> None:
    text = "Lejesoldaternes leder, Jevgenij Prigozjin, døde onsdag. Ifølge Prigozjin var aftalen brudt."
    assert _keys(text, ["Jevgenij Prigozjin", "Prigozjin"]) == ["per:prigosin", "per:prigosin"]


def test_keys_transliterations_in_one_article_are_one_person() -> None:
    text = ("Jevgenij Prigozjin talte i går. Reuters skriver, at Yevgeny Prigozhin var vred. "
            "Aleksandr Lukasjenko svarede. Senere sagde Alexander Lukashenko, at Lukasjenka ikke ville mødes.")
    names = ["Jevgenij Prigozjin", "Yevgeny Prigozhin", "Aleksandr Lukasjenko", "Alexander Lukashenko",
             "Lukasjenka"]
    assert _keys(text, names) == ["per:prigosin"] * 2 + ["per:lukasenko"] * 3


def test_keys_namesakes_in_one_article_are_kept_apart() -> None:
    text = ("Joe Biden benådede sin søn Hunter Biden søndag. Biden sagde, at sagen var politisk. "
            "Senere talte Joe Biden igen, og Biden gentog det.")
    keys = _keys(text, ["Joe Biden", "Hunter Biden", "Biden", "Joe Biden", "Biden"])
    # A lone "Biden" is the most recent full name before it.
    assert keys == ["per:biden-joe", "per:biden-hunter", "per:biden-hunter", "per:biden-joe", "per:biden-joe"]


def test_keys_brothers_with_transliterated_names_are_kept_apart() -> None:
    text = "Vitalij Klitsjko og hans bror Wladimir Klitschko mødtes. Vitali Klitschko talte først."
    keys = _keys(text, ["Vitalij Klitsjko", "Wladimir Klitschko", "Vitali Klitschko"])
    assert keys[0] == keys[2] != keys[1]


def test_keys_a_short_name_that_fits_two_namesakes_does_not_join_them() -> None:
    text = "Jonas Gahr Støre og Jonas Hansen Støre mødtes. Jonas Støre talte først, så talte Støre igen."
    keys = _keys(text, ["Jonas Gahr Støre", "Jonas Hansen Støre", "Jonas Støre", "Støre"])
    assert keys[0] != keys[1]
    assert keys[2] == keys[3] == keys[1]  # the most recent fitting full name


def test_keys_a_middle_name_or_a_dropped_first_name_is_the_same_person() -> None:
    text = "Jonas Gahr Støre kom i går. Gahr Støre sa at Støre ikke visste det. Jonas smilte."
    assert set(_keys(text, ["Jonas Gahr Støre", "Gahr Støre", "Støre", "Jonas"])) == {"per:store"}


def test_keys_surname_first_names_keep_the_given_name() -> None:
    text = "Nordkoreas leder Kim Jong-un talte. Ifølge Kim er testen en succes, mens Kim Yo-jong tav."
    assert _keys(text, ["Kim Jong-un", "Kim", "Kim Yo-jong"]) == ["per:kim-jong-un", "per:kim-jong-un",
                                                                  "per:kim-jo-jong"]
    assert split_name("Kim Larsen").surname == "larsen"  # the Danish first name Kim, not a Korean surname
    assert split_name("Xi Jinping").surname_first


def test_keys_one_key_across_articles_and_languages() -> None:
    # "Jens Stoltenberg" in a Danish article and a lone "Stoltenberg" in a Norwegian one.
    assert entity_key("Jens Stoltenberg", "PER") == entity_key("Stoltenberg", "PER") == "per:stoltenberg"
    assert entity_key("Ursula von der Leyen", "PER") == entity_key("von der Leyen", "PER")
    for name in ["Hviderusland", "Hviterussland", "Kviterussland", "Vitryssland", "Belarus"]:
        assert entity_key(name, "LOC") == "loc:belarus"
    assert entity_key("Haag", "LOC") == entity_key("Den Haag", "LOC") == entity_key("The Hague", "LOC")
    assert entity_key("Moskva", "LOC") == "loc:moscow"
    for name in ["FN", "UN", "VN", "ONU", "United Nations"]:
        assert entity_key(name, "ORG") == "org:un"
    assert entity_key("Unicef", "ORG") != "org:un"
    for name in ["Wagner-gruppen", "Wagner-gruppa", "Wagner-gruppe", "Wagnergruppen"]:
        assert entity_key(name, "ORG") == "org:wagner"
    assert entity_key("Nato", "ORG") == entity_key("NATO", "ORG") == "org:nato"
    assert entity_key("EU-kommissionen", "ORG") != entity_key("EU", "ORG")
    for form, country in [("danske", "denmark"), ("norske", "norway"), ("litauiske", "lithuania"),
                          ("franske", "france"), ("svenska", "sweden")]:
        assert entity_key(form, "DEMONYM") == f"loc:{country}"


def test_keys_danish_and_norwegian_articles_share_keys() -> None:
    result = CliRunner().invoke(
        cli, ["analyze", str(FIXTURES / "da-topmoede.txt"), str(FIXTURES / "nb-toppmote.txt")]
    )
    assert result.exit_code == 0, result.output
    da, nb = (json.loads(line) for line in result.output.splitlines() if line.startswith("{"))
    shared = {e["key"] for e in da["entities"]} & {e["key"] for e in nb["entities"]}
    # "Ingrid Solvang" (da) and "Solvang" (nb); Rusland / Russland; Hviderusland / Hviterussland.
    assert {"per:solvang", "loc:belarus", "loc:russia", "loc:lithuania"} <= shared
