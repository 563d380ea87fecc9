"""Speaker resolution: titles back to the person who holds them, pronouns to the person in focus (not simply
the last name seen), gender from first names, and the full name shown on the quote.

All sentences are fictional and written for these tests.
"""

from __future__ import annotations

from collections.abc import Callable

from storyline.models import Article
from tests.test_extract_quotes import extract


def test_extract_quotes_speakers_titles_resolve_to_their_holder(article: Callable[..., Article]) -> None:
    text = (
        "Fiskeriminister Jakob Strand møtte Stine Lerum, direktør i Sjømatrådet, i Tromsø.\n"
        "– Vi trenger en avtale før sommeren, sa ministeren.\n"
        "– Eksporten har aldri vært større, sier direktøren.\n"
        "Polens president Adam Nowicki var også invitert.\n"
        "– Vi følger forhandlingene tett, sa Polens president."
    )
    art, quotes = extract(article, text)
    strand = next(e.key for e in art.entities if e.text == "Jakob Strand")
    assert [(q.speaker, q.speaker_key is not None) for q in quotes] == [
        ("Jakob Strand", True),
        ("Stine Lerum", True),
        ("Adam Nowicki", True),
    ]
    assert quotes[0].speaker_key == strand


def test_extract_quotes_speakers_pronoun_prefers_the_newcomer_over_an_earlier_subject(
    article: Callable[..., Article],
) -> None:
    text = (
        "Finlands president Juha Rantala ba om mer støtte til grensevakten. "
        "Det fikk støtte hos hans estiske kollega Mart Kask.\n"
        "– Vi kan ikke vente på neste krise, advarte han."
    )
    _, quotes = extract(article, text)
    assert [q.speaker for q in quotes] == ["Mart Kask"]


def test_extract_quotes_speakers_pronoun_prefers_the_subject_over_an_object(
    article: Callable[..., Article],
) -> None:
    text = (
        "Utenriksminister Lars Brekke sa at Norge vil samarbeide tett med Tore Lindgren om saken.\n"
        "– Vi har ingen tid å miste, konstaterte han."
    )
    _, quotes = extract(article, text)
    assert [(q.kind, q.speaker) for q in quotes] == [("indirect", "Lars Brekke"), ("direct", "Lars Brekke")]


def test_extract_quotes_speakers_gender_picks_between_two_people(article: Callable[..., Article]) -> None:
    text = (
        "Anders Moe og Ingrid Sandvik la fram rapporten sammen.\n"
        "– Tallene er verre enn vi fryktet, sa hun.\n"
        "– Vi må handle raskt, sa han."
    )
    _, quotes = extract(article, text)
    assert [q.speaker for q in quotes] == ["Ingrid Sandvik", "Anders Moe"]


def test_extract_quotes_speakers_pronoun_subject_passes_focus_back(article: Callable[..., Article]) -> None:
    text = (
        "Klimaminister Sofie Dahl besøkte Esbjerg mandag.\n"
        "Hun mødte også borgmester Jesper Holm på havnen.\n"
        "– Havnen bliver afgørende for omstillingen, sagde hun."
    )
    _, quotes = extract(article, text, "da")
    assert [q.speaker for q in quotes] == ["Sofie Dahl"]


def test_extract_quotes_speakers_names_are_shown_in_full(article: Callable[..., Article]) -> None:
    text = "Trener Kjetil Berg var skuffet.\n– Vi var ikke gode nok i dag, sier Berg."
    art, quotes = extract(article, text)
    assert [(q.speaker, q.speaker_key) for q in quotes] == [
        ("Kjetil Berg", next(e.key for e in art.entities if e.text == "Kjetil Berg"))
    ]


def test_speakers_sentences_within_paragraph_in_any_paragraph_order() -> None:
    from storyline.extract.entities import Mentions
    from storyline.extract.speakers import SpeakerContext

    text = "Første setning. Andre setning her.\n\nTredje setning. Fjerde! Femte setning."
    paras = [(0, 34), (36, len(text))]
    for order in (paras, paras[::-1]):
        ctx = SpeakerContext.build(text, order, Mentions())
        assert (ctx.sentence_starts is None) == (order != paras)
        for start, end in [*order, (0, len(text)), (16, 60)]:
            naive = [(s, e) for s, e in ctx.sentences if s >= start and e <= end]
            assert ctx.sentences_within(start, end) == naive
        assert [text[s:e] for s, e in ctx.sentences_within(*paras[1])] == ["Tredje setning.", "Fjerde!",
                                                                          "Femte setning."]
