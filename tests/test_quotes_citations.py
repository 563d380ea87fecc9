"""An interviewee citing someone: a dash line that only names the source ("- Platon skriv:") hands the
quotation after it to that source, is no quote itself, and the dash turns after the citation are the
interviewee's again. All sentences are fictional and written for these tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from storyline.models import Article
from tests.test_extract_quotes import extract


@pytest.mark.parametrize(
    ("language", "text", "source"),
    [
        (
            "nn",
            "Filosofen Randi Myklebust har lese dei gamle grekarane i førti år.\n"
            "- Eg les dei kvar morgon, seier Myklebust.\n"
            "- Platon skriv:\n"
            "«Den som veit kva som er godt, vil alltid gjere det gode.»\n"
            "- Det har eg aldri trudd heilt på.",
            "Platon",
        ),
        (
            "nb",
            "Forfatteren Randi Myklebust har lest de gamle grekerne i førti år.\n"
            "- Jeg leser dem hver morgen, sier Myklebust.\n"
            "- Sokrates skriver:\n"
            "«Den som vet hva som er godt, vil alltid gjøre det gode.»\n"
            "- Det har jeg aldri trodd helt på.",
            "Sokrates",
        ),
    ],
)
def test_quotes_citation_line_gives_the_quotation_to_its_source(
    article: Callable[..., Article], language: str, text: str, source: str
) -> None:
    _, quotes = extract(article, text, language)
    direct = [(q.text.split()[0], q.speaker) for q in quotes if q.kind == "direct"]
    assert direct == [
        (direct[0][0], "Randi Myklebust"),
        ("Den", source),
        ("Det", "Randi Myklebust"),
    ]
    assert not any(q.text.startswith(source) for q in quotes)  # the citation line itself is no quote


def test_quotes_citation_line_with_a_pronoun_resolves_it(article: Callable[..., Article]) -> None:
    text = (
        "Statsråd Kari Lunde besøkte verftet i Ulsteinvik tysdag.\n"
        "- Ho sa:\n"
        "«Dette verftet skal vi ta vare på i mange år framover.»"
    )
    _, quotes = extract(article, text, "nn")
    assert [(q.kind, q.speaker) for q in quotes] == [("direct", "Kari Lunde")]
