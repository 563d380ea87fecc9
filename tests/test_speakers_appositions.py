"""Speakers written with more than a bare name next to the cue: a possessor and several adjectives before the
title ("säger Norges nya kristdemokratiska minister Eldar Rustad"), and English speakers with an apposition or
a modifier between the name and the verb (`"…," Tom Hallett, chairman of Harbour Trust, said`). All sentences
are fictional and written for these tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from storyline.models import Article
from tests.test_extract_quotes import extract


@pytest.mark.parametrize(
    ("language", "text", "speaker"),
    [
        ("sv", "– Vi måste agera nu, säger Norges nya kristdemokratiska minister Eldar Rustad.", "Eldar Rustad"),
        ("sv", "– Vi måste agera nu, säger Danmarks förre socialdemokratiska minister Mette Lundgaard.",
         "Mette Lundgaard"),
        ("nb", "– Vi må handle nå, sier Sveriges nye konservative handelsminister Lina Bergkvist.", "Lina Bergkvist"),
        ("da", "– Vi må handle nu, siger Norges nye konservative fiskeriminister Eldar Rustad.", "Eldar Rustad"),
    ],
)
def test_speakers_possessor_with_adjectives_before_title_is_not_the_speaker(
    article: Callable[..., Article], language: str, text: str, speaker: str
) -> None:
    _, quotes = extract(article, text, language)
    assert [(q.kind, q.speaker) for q in quotes] == [("direct", speaker)]
    assert quotes[0].speaker_key is not None and quotes[0].speaker_key.startswith("per:")


def test_speakers_genitive_before_a_clause_does_not_hand_the_source_to_a_person(
    article: Callable[..., Article],
) -> None:
    # "Enligt Kvällsbladets uppgifter kommer …": the newspaper's information is the source, and a newspaper is no
    # speaker; the person after the verb is what the report is about, not who reports it.
    text = "Enligt Kvällsbladets uppgifter kommer generalsekreteraren Ingrid Holm att föreslå en ny plan för hamnen."
    _, quotes = extract(article, text, "sv")
    assert quotes == []


@pytest.mark.parametrize(
    "cue",
    [
        "Tom Hallett, chairman of Harbour Trust, said",
        "Tom Hallett of Harbour Trust said",
        "Tom Hallett, the trust's chairman, said on Monday",
        "Tom Hallett, chairman of Harbour Trust in Leeds, told reporters",
    ],
)
def test_speakers_english_name_with_apposition_or_modifier_before_the_verb(
    article: Callable[..., Article], cue: str
) -> None:
    text = f'The port will reopen on Monday after repairs.\n"We have done everything we could," {cue}.'
    _, quotes = extract(article, text, "en")
    assert [(q.kind, q.speaker, q.text) for q in quotes] == [
        ("direct", "Tom Hallett", "We have done everything we could")
    ]
    assert quotes[0].speaker_key is not None and quotes[0].speaker_key.startswith("per:")


def test_speakers_english_organisation_before_the_verb_stays_the_organisation(
    article: Callable[..., Article],
) -> None:
    # No person opens the words before the verb: the speaker is what they name, as before the apposition rule.
    text = '"We have done everything we could," Harbour Trust said.'
    _, quotes = extract(article, text, "en")
    assert [(q.kind, q.speaker) for q in quotes] == [("direct", "Harbour Trust")]
