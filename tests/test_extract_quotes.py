"""Direct quotes: dash paragraphs with cues in every position, quotation marks of every convention, bare
continuations, multi-paragraph quotes, and the things that look like quotes but are not.

All sentences are fictional and written for these tests.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from storyline.extract import ExtractStage
from storyline.models import Article, Paragraph, Quote


def extract(
    make_article: Callable[..., Article], text: str, language: str = "nb", subheadings: tuple[int, ...] = ()
) -> tuple[Article, list[Quote]]:
    """Run the extract stage on `text`, one paragraph a line; returns the article and its quotes."""
    art = make_article(text, published=datetime(2024, 3, 11, 8, tzinfo=UTC))
    art.text = text
    art.language = language
    pos = 0
    for n, para in enumerate(text.split("\n")):
        art.paragraphs.append(Paragraph(pos, pos + len(para), "subheading" if n in subheadings else "body"))
        pos += len(para) + 1
    art = ExtractStage()(art)
    for q in art.quotes:
        assert art.text[q.start : q.end] == q.text
    return art, art.quotes


def _direct(quotes: list[Quote]) -> list[tuple[str, str | None, str | None]]:
    return [(q.text, q.speaker, q.cue) for q in quotes if q.kind == "direct"]


def test_extract_quotes_dash_paragraphs_with_name_title_and_pronoun(article: Callable[..., Article]) -> None:
    text = (
        "Natos generalsekretær Jens Stoltenberg møtte pressen i Vilnius tirsdag.\n"
        "– Alliansen står samlet, sier Jens Stoltenberg.\n"
        "– Russland har ikke vunnet, og kommer ikke til å vinne, sier generalsekretæren.\n"
        "Statsminister Jonas Gahr Støre var også til stede.\n"
        "– Dette er en viktig dag for Norge, sa han."
    )
    art, quotes = extract(article, text)
    stoltenberg = next(e.key for e in art.entities if e.text == "Jens Stoltenberg")
    store = next(e.key for e in art.entities if e.text == "Jonas Gahr Støre")
    assert [(q.text, q.speaker, q.speaker_key, q.cue) for q in quotes] == [
        ("Alliansen står samlet", "Jens Stoltenberg", stoltenberg, "sier"),
        ("Russland har ikke vunnet, og kommer ikke til å vinne", "Jens Stoltenberg", stoltenberg, "sier"),
        ("Dette er en viktig dag for Norge", "Jonas Gahr Støre", store, "sa"),
    ]


def test_extract_quotes_trailing_cue_forms(article: Callable[..., Article]) -> None:
    text = (
        "Kommunen har lagt fram en ny plan for sentrum.\n"
        "– Vi bygger for de neste femti årene, sier ordfører Trude Vasshaug til NRK.\n"
        "– Planen er gjennomarbeidet, konstaterte rådmann Eirik Holtan.\n"
        "– Vi er ikke fornøyd. Dette må vi se på igjen, sier Lise Bratberg, leder i Sentrumsforeningen.\n"
        "– Vi tar imot innspill fram til mai, skriver Vasshaug i en pressemelding.\n"
        "– Dette er en god dag, sa hun ifølge NTB.\n"
        "– Hvem skal betale for dette? spør Bratberg.\n"
        "– Det har jeg ikke svar på, lyder det fra rådmannen."
    )
    _, quotes = extract(article, text)
    assert _direct(quotes) == [
        ("Vi bygger for de neste femti årene", "Trude Vasshaug", "sier"),
        ("Planen er gjennomarbeidet", "Eirik Holtan", "konstaterte"),
        ("Vi er ikke fornøyd. Dette må vi se på igjen", "Lise Bratberg", "sier"),
        ("Vi tar imot innspill fram til mai", "Trude Vasshaug", "skriver"),
        ("Dette er en god dag", "Trude Vasshaug", "sa"),
        ("Hvem skal betale for dette?", "Lise Bratberg", "spør"),
        ("Det har jeg ikke svar på", "Eirik Holtan", "lyder"),
    ]


def test_extract_quotes_compound_titles_and_possessors_before_the_name(article: Callable[..., Article]) -> None:
    text = (
        "– Vi har stoppet salget med det samme, siger administrerende direktør Bo Kristensen.\n"
        "– Ingen patienter er i fare, siger afdelingschef Lone Skov fra Sundhedsstyrelsen.\n"
        "– Vi samarbejder fuldt ud, siger Vestkrafts kommunikationschef, Mads Aagaard, til Ritzau."
    )
    _, quotes = extract(article, text, "da")
    assert [q.speaker for q in quotes] == ["Bo Kristensen", "Lone Skov", "Mads Aagaard"]


def test_extract_quotes_swedish_nynorsk_and_english_cues(article: Callable[..., Article]) -> None:
    _, quotes = extract(
        article,
        "Statsminister Ebba Lindqvist besökte Umeå på måndagen.\n"
        "– Vi kommer att bygga ut vården i hela landet, säger statsministern.\n"
        "”Det här är bara början”, säger hon.",
        "sv",
    )
    assert [(q.speaker, q.cue) for q in quotes] == [("Ebba Lindqvist", "säger"), ("Ebba Lindqvist", "säger")]
    _, quotes = extract(
        article, "Ordføraren i Sogndal, Ragnhild Myklebust, var nøgd.\n– Vi har venta lenge på dette, seier ho.", "nn"
    )
    assert [(q.text, q.speaker) for q in quotes] == [("Vi har venta lenge på dette", "Ragnhild Myklebust")]
    _, quotes = extract(
        article,
        '"We will not accept this," said harbour master Colin Reeves.\n"It is a matter of safety," he added.',
        "en",
    )
    assert [(q.text, q.speaker, q.cue) for q in quotes] == [
        ("We will not accept this", "Colin Reeves", "said"),
        ("It is a matter of safety", "Colin Reeves", "added"),
    ]


def test_extract_quotes_guillemets_with_cue_before_and_after(article: Callable[..., Article]) -> None:
    text = (
        "Stoltenberg sier: «Døren til Nato står åpen for Ukraina.»\n"
        "Utenriksminister Anniken Huitfeldt sa til NTB: «Vi står sammen med våre allierte.»\n"
        "«Vi kommer til å støtte dem så lenge det trengs», sier hun."
    )
    _, quotes = extract(article, text)
    assert quotes[0].text == "Døren til Nato står åpen for Ukraina."
    assert quotes[0].speaker == "Stoltenberg" and quotes[0].cue == "sier"
    assert quotes[0].speaker_key == "per:stoltenberg"
    assert [q.speaker for q in quotes[1:]] == ["Anniken Huitfeldt", "Anniken Huitfeldt"]
    assert quotes[2].text == "Vi kommer til å støtte dem så lenge det trengs"


def test_extract_quotes_danish_reversed_guillemets_and_colon_dash(article: Callable[..., Article]) -> None:
    text = (
        "Borgmester Henrik Vestergaard kommenterede sagen onsdag.\n"
        "»Vi har ikke tænkt os at lukke skolen,« skriver Henrik Vestergaard på Facebook.\n"
        "Senere på dagen sagde han: – Vi finder en løsning sammen med forældrene."
    )
    _, quotes = extract(article, text, "da")
    assert _direct(quotes) == [
        ("Vi har ikke tænkt os at lukke skolen", "Henrik Vestergaard", "skriver"),
        ("Vi finder en løsning sammen med forældrene.", "Henrik Vestergaard", "sagde"),
    ]


def test_extract_quotes_cue_in_the_middle(article: Callable[..., Article]) -> None:
    text = (
        "Skiløperen Marit Haugen vant sølv i Lahti.\n"
        "– Jeg hadde ikke mer å gi, sier hun, – men neste år skal jeg ta gullet.\n"
        "«Det var tungt i motbakkene», sa hun. «Men jeg er stolt av løpet.»"
    )
    _, quotes = extract(article, text)
    assert [(q.text, q.speaker) for q in quotes] == [
        ("Jeg hadde ikke mer å gi", "Marit Haugen"),
        ("men neste år skal jeg ta gullet.", "Marit Haugen"),
        ("Det var tungt i motbakkene", "Marit Haugen"),
    ]


def test_extract_quotes_cueless_dash_paragraph_continues_speaker(article: Callable[..., Article]) -> None:
    text = (
        "– Vi må handle nå, säger statsminister Ulf Kristersson.\n"
        "– Sverige kommer att göra sin del i alliansen."
    )
    _, quotes = extract(article, text, "sv")
    assert len(quotes) == 2
    assert quotes[1].text == "Sverige kommer att göra sin del i alliansen."
    assert quotes[1].speaker_key == quotes[0].speaker_key is not None


def test_extract_quotes_bare_dash_after_according_to_continues_that_speaker(article: Callable[..., Article]) -> None:
    text = (
        "Fiskaren Oddvar Leirvik frå Austevoll har fiska sild i førti år.\n"
        "Ifølgje Leirvik er kvotane no dei lågaste han har opplevd.\n"
        "– Det er ikkje mogleg å leve av dette lenger."
    )
    _, quotes = extract(article, text, "nn")
    assert [(q.kind, q.speaker) for q in quotes] == [("indirect", "Oddvar Leirvik"), ("direct", "Oddvar Leirvik")]


def test_extract_quotes_multi_paragraph_quote_takes_the_closing_speaker(article: Callable[..., Article]) -> None:
    text = (
        "Rektor Ingvild Sæther skrev et brev til foreldrene.\n"
        "«Skolen har hatt et krevende år, og mange elever har slitt.\n"
        "«Vi skal gjøre alt vi kan for at neste år blir bedre», skriver Sæther."
    )
    _, quotes = extract(article, text)
    assert [(q.text, q.speaker) for q in quotes] == [
        ("Skolen har hatt et krevende år, og mange elever har slitt.", "Ingvild Sæther"),
        ("Vi skal gjøre alt vi kan for at neste år blir bedre", "Ingvild Sæther"),
    ]


def test_extract_quotes_skips_scare_quotes_titles_and_subheadings(article: Callable[..., Article]) -> None:
    text = (
        "Kreml kaller krigen en «spesiell militæroperasjon» og omtaler kritikerne som «forrædere».\n"
        "Romanen «Havet under isen» kom ut i fjor, og tråleren «Nordkyn» ligger til kai.\n"
        "– Vi gir oss ikke\n"
        "– Vi gir oss ikke før saken er løst, sier tillitsvalgt Arne Bakken."
    )
    _, quotes = extract(article, text, subheadings=(2,))
    assert [(q.text, q.speaker) for q in quotes] == [("Vi gir oss ikke før saken er løst", "Arne Bakken")]
