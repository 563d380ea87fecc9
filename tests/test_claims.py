"""Claims: quotes of one speaker saying the same thing, grouped across languages and outlets (link/claims.py).

All texts are written for these tests (fictional people and events).
"""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import numpy.typing as npt

from storyline.link.claims import ClaimOptions, Embedder, align_claims, lexical, numbers, quote_refs, story_claims
from storyline.models import Article, Entity, Paragraph, Quote
from tests.conftest import make_article

LEXICAL = ClaimOptions(semantic=False)


def quoted(text: str, language: str, source: str, day: int,
           quotes: list[tuple[str, str | None, str | None]], kind: str = "direct") -> Article:
    """An extracted article: `quotes` are (quoted text, speaker, speaker key), located by first occurrence."""
    a = make_article(text, source=source, published=datetime(2026, 3, day, 9, tzinfo=UTC))
    a.text, a.language = text, language
    a.paragraphs = [Paragraph(0, len(text), language=language)]
    for q, speaker, key in quotes:
        start = text.index(q)
        a.quotes.append(Quote(q, kind, speaker, key, "siger", start, start + len(q)))  # type: ignore[arg-type]
    return a


DA = quoted(
    "– Bestanden er i dårlig forfatning, og vi skærer kvoten med 30 procent for at redde den, siger Ole Vang. "
    "– Vi åbner ikke for flere licenser i år, tilføjer han.",
    "da", "dagbladet-dk", 10,
    [("Bestanden er i dårlig forfatning, og vi skærer kvoten med 30 procent for at redde den", "Ole Vang",
      "per:ole_vang"),
     ("Vi åbner ikke for flere licenser i år", "Ole Vang", "per:ole_vang")],
)
NB = quoted(
    "– Bestanden er i dårlig forfatning, og vi kutter kvoten med 30 prosent for å redde den, sier Vang. "
    "– Fiskerne skal få kompensasjon fra et nytt fond, sa Vang på en pressekonferanse.",
    "nb", "avisa-no", 11,
    [("Bestanden er i dårlig forfatning, og vi kutter kvoten med 30 prosent for å redde den", "Vang",
      "per:ole_vang"),
     ("Fiskerne skal få kompensasjon fra et nytt fond", "Vang", "per:ole_vang")],
)


def _multi(claims: list) -> list:  # type: ignore[type-arg]
    return [c for c in claims if len(c.quotes) > 1]


def test_claims_group_one_statement_reported_in_danish_and_norwegian() -> None:
    claims = story_claims([DA, NB], LEXICAL)
    multi = _multi(claims)
    assert len(multi) == 1
    claim = multi[0]
    assert claim.speaker_key == "per:ole_vang" and claim.languages == ["da", "nb"]
    assert claim.sources == ["avisa-no", "dagbladet-dk"]
    assert {q.article_id for q in claim.quotes} == {DA.id, NB.id}
    assert claim.speaker == "Ole Vang", "the fullest name the articles give"
    assert claims[0] is claim, "the most reported claim comes first"


def test_claims_keep_a_different_statement_by_the_same_speaker_apart() -> None:
    claims = story_claims([DA, NB], LEXICAL)
    texts = {q.quote.text: c.id for c in claims for q in c.quotes}
    compensation = texts["Fiskerne skal få kompensasjon fra et nytt fond"]
    licences = texts["Vi åbner ikke for flere licenser i år"]
    cut = texts["Bestanden er i dårlig forfatning, og vi skærer kvoten med 30 procent for at redde den"]
    assert len({compensation, licences, cut}) == 3
    assert len(claims) == 3


def test_claims_never_group_across_speakers() -> None:
    other = quoted(
        "– Bestanden er i dårlig forfatning, og vi skærer kvoten med 30 procent for at redde den, siger Eva Lund.",
        "da", "bladet-dk", 12,
        [("Bestanden er i dårlig forfatning, og vi skærer kvoten med 30 procent for at redde den", "Eva Lund",
          "per:eva_lund")],
    )
    claims = story_claims([DA, other], LEXICAL)
    assert all(len(c.quotes) == 1 for c in claims)


def test_claims_different_figures_are_different_statements() -> None:
    changed = quoted(
        "– Bestanden er i dårlig forfatning, og vi kutter kvoten med 45 prosent for å redde den, sier Vang.",
        "nb", "avisa-no", 11,
        [("Bestanden er i dårlig forfatning, og vi kutter kvoten med 45 prosent for å redde den", "Vang",
          "per:ole_vang")],
    )
    assert not _multi(story_claims([DA, changed], LEXICAL))


def test_claims_unattributed_quotes_stay_single() -> None:
    a = quoted("«Det er en god dag,» står der. «Det er en god dag,» står der igen.", "da", "x", 3,
               [("Det er en god dag,", None, None)])
    b = quoted("«Det er en god dag,» skrev nogen.", "da", "y", 4, [("Det er en god dag,", None, None)])
    assert all(len(c.quotes) == 1 for c in story_claims([a, b], LEXICAL))


def test_claims_ids_and_order_do_not_depend_on_input_order() -> None:
    forward = story_claims([DA, NB], LEXICAL)
    backward = story_claims([NB, DA], LEXICAL)
    assert [(c.id, [q.article_id for q in c.quotes]) for c in forward] == [
        (c.id, [q.article_id for q in c.quotes]) for c in backward
    ]


def test_claims_semantic_fallback_bridges_what_words_cannot() -> None:
    """An idiomatic English rendering shares no words or lexicon concepts with the Danish; an embedder that rates
    them close joins them, and the same embedder is not asked about a pair the words already decide."""
    en = quoted('"Drastic steps are unavoidable if the cod is to survive," Vang said.', "en", "wire-en", 11,
                [("Drastic steps are unavoidable if the cod is to survive", "Vang", "per:ole_vang")])
    seen: list[list[str]] = []

    def fake(texts: list[str]) -> npt.NDArray[np.float32]:
        seen.append(texts)
        # The first Danish quote and the English one point the same way; the other Danish quote elsewhere.
        rows = [[1.0, 0.0] if ("Bestanden" in t or "cod" in t) else [0.0, 1.0] for t in texts]
        return np.asarray(rows, dtype=np.float32)

    embedder = Embedder("fake", fake, 0.9, 0.98)
    assert not _multi(story_claims([DA, en], LEXICAL))
    multi = _multi(align_claims(quote_refs([DA, en]), ClaimOptions(), embedder))
    assert len(multi) == 1 and multi[0].languages == ["da", "en"]
    assert seen, "the embedder was consulted for the cross-language pair"


def test_claims_lexical_similarity_folds_nordic_spelling() -> None:
    assert lexical("Sverige fortsatt står bak prosjektet på lang sikt",
                   "Sverige framleis står bak prosjektet på lang sikt") > 0.6
    assert lexical("Regeringen har haft kontakt med länsstyrelserna",
                   "Regjeringen har hatt kontakt med fylkene") > lexical("Regeringen har haft kontakt",
                                                                          "Vi ser fram emot sommaren")


def test_claims_numbers_are_normalised_across_conventions() -> None:
    assert numbers("60.000 danskere, 80 000 hushåll, 2,3 millioner og 400") == {"60000", "80000", "2.3", "400"}


def test_claims_entity_keys_inside_quotes_count() -> None:
    a = quoted("– Vi mødes med Nordlinjen i morgen, siger Ole Vang.", "da", "x", 3,
               [("Vi mødes med Nordlinjen i morgen", "Ole Vang", "per:ole_vang")])
    a.entities = [Entity("Nordlinjen", "ORG", "org:nordlinjen", a.text.index("Nordlinjen"),
                         a.text.index("Nordlinjen") + len("Nordlinjen"))]
    refs = quote_refs([a])
    assert refs[0].entity_keys == {"org:nordlinjen"}
    assert refs[0].language == "da"


def test_claims_one_person_under_two_keys_is_one_speaker() -> None:
    """Entity keys sometimes disagree for one person; same surname and no conflicting first name is one speaker."""
    from storyline.link.claims import speaker_aliases

    da = quoted("– Jeg har aldrig læst hans digte, siger Helle Mørk.", "da", "x", 3,
                [("Jeg har aldrig læst hans digte", "Helle Mørk", "per:helle_mork")])
    nb = quoted("– Jeg har aldri lest hans dikt, sier Mørk.", "nb", "y", 4,
                [("Jeg har aldri lest hans dikt", "Mørk", "org:mork")])
    multi = _multi(story_claims([da, nb], LEXICAL))
    assert len(multi) == 1 and multi[0].speaker == "Helle Mørk"
    q = [Quote("a", "direct", n, k, None, 0, 1) for n, k in
         (("Helle Mørk", "per:h"), ("Mørk", "org:m"), ("Anders Mørk", "per:a"), ("Lise Holm", "per:l"))]
    aliases = speaker_aliases(q)
    assert aliases.get("k:per:h") != "k:per:a" and aliases.get("k:per:a") != "k:per:h"
    assert "k:per:l" not in aliases and len({aliases.get(g, g) for g in ("k:per:h", "k:per:a")}) == 2
