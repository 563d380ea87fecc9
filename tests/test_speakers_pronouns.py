"""Pronoun speakers (issue 5): "han"/"hun"/"hon" in a cue point at the person in focus, not simply the last
name seen. All sentences are fictional and written for these tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from storyline.models import Article
from tests.test_extract_quotes import extract


@pytest.mark.parametrize(
    ("language", "text", "speaker"),
    [
        (
            "nb",
            "Finlands president Sauli Niinistö sa at grensen må forsterkes. "
            "Det fikk støtte hos hans estiske kollega Alar Karis.\n"
            "– Vi kan ikke se bort fra trusselen, advarte han.",
            "Alar Karis",
        ),
        (
            "da",
            "Finlands præsident Sauli Niinistö sagde, at grænsen skal styrkes. "
            "Det fik opbakning fra hans estiske kollega Alar Karis.\n"
            "– Vi kan ikke se bort fra truslen, advarede han.",
            "Alar Karis",
        ),
        (
            "sv",
            "Finlands president Sauli Niinistö sade att gränsen måste förstärkas. "
            "Det fick stöd av hans estniske kollega Alar Karis.\n"
            "– Vi kan inte bortse från hotet, varnade han.",
            "Alar Karis",
        ),
    ],
)
def test_speakers_pronoun_points_at_the_newcomer(
    article: Callable[..., Article], language: str, text: str, speaker: str
) -> None:
    _, quotes = extract(article, text, language)
    direct = [q for q in quotes if q.kind == "direct"]
    assert [(q.speaker, q.cue) for q in direct] == [(speaker, direct[0].cue)]
    assert direct[0].speaker_key is not None


def test_speakers_pronoun_skips_a_person_mentioned_as_object(article: Callable[..., Article]) -> None:
    # A paragraph about what Jonas Holm said mentions Per Olsen only as an object: "han" is still Holm.
    text = (
        "Statsminister Jonas Holm sa at regjeringen vil snakke med Per Olsen om saken.\n"
        "– Dette er alvorlig, konstaterte han."
    )
    _, quotes = extract(article, text)
    assert [(q.kind, q.speaker) for q in quotes] == [("indirect", "Jonas Holm"), ("direct", "Jonas Holm")]


def test_speakers_pronoun_respects_gender_from_first_names(article: Callable[..., Article]) -> None:
    text = (
        "Kari Nordmann møtte Ola Hansen på kontoret i Bergen.\n"
        "– Vi er enige om planen, sa hun.\n"
        "– Nå begynner arbeidet, sa han."
    )
    _, quotes = extract(article, text)
    assert [q.speaker for q in quotes] == ["Kari Nordmann", "Ola Hansen"]
