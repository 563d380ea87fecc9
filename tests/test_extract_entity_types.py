"""One name, one type per article (real-news review 4 follow-up): every mention of a name in an article gets one
type and so one key, decided by a vote over its mentions where cues in the text outweigh the tagger's reading;
organisation heads type names the tagger read as persons. Text written for these tests, every name invented."""

from __future__ import annotations

from storyline.extract.entities import find_mentions, tag_texts


def _types(text: str, language: str, name: str) -> list[tuple[str, str]]:
    return [(e.type, e.key) for e in find_mentions(text, language).entities if e.text == name]


def test_an_organisation_noun_before_a_name_types_every_mention() -> None:
    # the tagger reads the invented alliance as a person in both mentions; "forsvarsalliansen" says what it is
    text = ("Forsvarsministrene i den nordiske forsvarsalliansen Varnek møttes tirsdag. Varnek skal nå patruljere "
            "lufta i nord, sa Berit Holmsund.")
    assert _types(text, "nb", "Varnek") == [("ORG", "org:varnek")] * 2
    assert _types(text, "nb", "Berit Holmsund") == [("PER", "per:holmsund")]


def test_a_sentence_opening_organisation_noun_is_a_cue_too() -> None:
    text = ("Spillselskapet Glimtora la fram tallene sine torsdag. Glimtora har solgt godt i år. Mange Glimtora-fans "
            "er likevel skuffet over den nye konsollen.")
    assert _types(text, "nb", "Glimtora") == [("ORG", "org:glimtora")] * 3


def test_a_name_in_the_genitive_before_an_organisations_head_is_an_organisation() -> None:
    # the tagger reads the invented company as a person in every mention; its director says what it is
    text = ("Tinvik bekræftede tirsdag angrebet. Tinvik har 9.000 brugere i Danmark. Vi har kontaktet alle kunder, "
            "siger Tinviks administrerende direktør, Ole Sandgaard.")
    assert _types(text, "da", "Tinvik") == [("ORG", "org:tinvik")] * 3
    assert _types(text, "da", "Ole Sandgaard") == [("PER", "per:sandgard")]


def test_a_compound_tail_that_types_the_name_outweighs_a_bare_reading() -> None:
    # "-supportere" makes the club an organisation; the bare mention the tagger called a person follows it
    text = "Pengene fra Strandvik ble brukt godt. Mange Strandvik-supportere var likevel misfornøyde."
    assert _types(text, "nb", "Strandvik") == [("ORG", "org:strandvik")] * 2


def test_the_name_part_of_a_compound_follows_the_names_own_mentions() -> None:
    # "Lundvik-elevane" alone reads as a person; "på Lundvik" is the place the article means
    text = ("Elevane frå Lundvik Gymnas var på tur til London. Lundvik-elevane fekk ros av alle. Rektor på Lundvik, "
            "Per Haugrim, var stolt.")
    assert _types(text, "nn", "Lundvik") == [("LOC", "loc:lundvik")] * 2


def test_a_person_and_a_place_of_one_name_stay_apart() -> None:
    # each mention backs its own type: a full name for the person, a locative word for the place
    text = "Arne Tovdal er ny leiar i laget. Kommunestyret i Tovdal vedtok budsjettet torsdag."
    ents = [(e.text, e.type) for e in find_mentions(text, "nn").entities]
    assert ents == [("Arne Tovdal", "PER"), ("Tovdal", "LOC")]


def test_organisation_heads_type_names_the_tagger_reads_as_persons() -> None:
    # a movement and a stable in a compound's tail, a health trust's opening word
    assert _types("Lederen i Frihetsvår-bevegelsen, Mette Ulvik, vil stille til valg.", "nb", "Frihetsvår") == [
        ("ORG", "org:frihetsvar")]
    assert _types("Bokseren trener nå med resten av Krüger-stallen i Hamburg.", "nb", "Krüger") == [
        ("ORG", "org:kruger")]
    assert _types("Direktør Helse Vestkyst sier at kuttene blir store.", "nb", "Helse Vestkyst") == [
        ("ORG", "org:helse-vestkyst")]


def test_an_articles_types_do_not_depend_on_the_articles_tagged_with_it() -> None:
    text = "Forsvarsministrene i forsvarsalliansen Varnek møttes tirsdag. Varnek skal patruljere i nord."
    other = "Varnek Olsen er ny trener for laget. Varnek sa at han gleder seg."
    alone = find_mentions(text, "nb").entities
    chunk = tag_texts([(other, "nb"), (text, "nb")])
    assert find_mentions(text, "nb", chunk[1]).entities == alone
    assert {e.type for e in alone if e.text == "Varnek"} == {"ORG"}
