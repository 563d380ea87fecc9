"""Issue 5 round 2, rules found on the dev gold (quotes_gold_dev.jsonl), on sentences written for these tests
(names invented): interviewer turns that run over paragraphs, dash intertitles, tails of quotations whose
opening was lost, a colon and a dash with no verb of saying, verbs of saying added as data."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from storyline.eval.quotes import read_gold, read_sentences
from storyline.models import Article
from tests.test_extract_quotes import extract

DEV_GOLD = Path(__file__).parents[1] / "src" / "storyline" / "eval" / "data" / "quotes_gold_dev.jsonl"


def test_quotes_interviews_question_over_two_paragraphs_is_no_quote(article: Callable[..., Article]) -> None:
    text = (
        "Forfattaren Sigve Nakken har skrive ei ny bok om fjellbønder.\n"
        "- Boka handlar om dei siste gardane i dalen.\n"
        "Kvifor skreiv du ho no?\n"
        "- Eg ville fange det før det forsvann heilt frå dalen."
    )
    _, quotes = extract(article, text, "nn")
    assert [(q.text, q.speaker) for q in quotes] == [
        ("Eg ville fange det før det forsvann heilt frå dalen.", "Sigve Nakken")
    ]


def test_quotes_interviews_question_after_lead_in_sentence_is_no_quote(article: Callable[..., Article]) -> None:
    text = (
        "Forskeren Live Ørstavik har studert ulv i tjue år.\n"
        "- Ulven er tilbake i nesten hele Østlandet. Er det grunn til å være redd?\n"
        "- Nei, ulven går sjelden nær folk som ferdes i skogen."
    )
    _, quotes = extract(article, text)
    assert [(q.text, q.speaker) for q in quotes] == [
        ("Nei, ulven går sjelden nær folk som ferdes i skogen.", "Live Ørstavik")
    ]


def test_quotes_interviews_speaker_question_without_dash_answer_stays(article: Callable[..., Article]) -> None:
    text = "Trener Ola Brekke var skuffet etter kampen.\n- Vi spilte dårlig. Hva skal man si?\nLaget møter Molde neste."
    _, quotes = extract(article, text)
    assert [(q.text, q.speaker) for q in quotes] == [("Vi spilte dårlig. Hva skal man si?", "Ola Brekke")]


def test_quotes_interviews_dash_intertitle_is_no_quote(article: Callable[..., Article]) -> None:
    text = (
        "Skiløperen Mia Grønlund vant sprinten i Lillehammer.\n"
        "- Rolig og sterk\n"
        "- Jeg holdt igjen til siste bakke, sier Grønlund."
    )
    _, quotes = extract(article, text)
    assert [(q.text, q.speaker, q.cue) for q in quotes] == [
        ("Jeg holdt igjen til siste bakke", "Mia Grønlund", "sier")
    ]


def test_quotes_interviews_tail_of_lost_quotation_is_direct(article: Callable[..., Article]) -> None:
    text = "Så flyttede vi hele værkstedet ud på landet, hvor der var plads nok.\""
    _, quotes = extract(article, text, "da")
    assert [(q.kind, q.text) for q in quotes] == [
        ("direct", "Så flyttede vi hele værkstedet ud på landet, hvor der var plads nok.")
    ]


def test_quotes_interviews_closing_mark_after_space_takes_its_cue(article: Callable[..., Article]) -> None:
    text = "Det är för tidigt att säga något om vinsten ”, kommenterar Anders Wikström."
    _, quotes = extract(article, text, "sv")
    assert [(q.text, q.speaker, q.cue) for q in quotes] == [
        ("Det är för tidigt att säga något om vinsten", "Anders Wikström", "kommenterar")
    ]


def test_quotes_interviews_colon_dash_without_verb_is_direct(article: Callable[..., Article]) -> None:
    text = "Sångaren Nils Berglöf har en egen teori om varför publiken gillar honom: - Jag är annorlunda här."
    _, quotes = extract(article, text, "sv")
    assert [(q.kind, q.text) for q in quotes] == [("direct", "Jag är annorlunda här.")]


def test_quotes_interviews_summing_up_verb_is_a_cue(article: Callable[..., Article]) -> None:
    text = (
        "Alpinisten Kjetil Moen vant utforrennet, foran Lars Eide.\n"
        "- Jeg kjørte rolig i den bratte delen der mange falt.\n"
        "Det var ikke mange feil jeg gjorde, oppsummerer Moen."
    )
    _, quotes = extract(article, text)
    assert [(q.text, q.speaker, q.cue) for q in quotes][-1] == (
        "Det var ikke mange feil jeg gjorde", "Kjetil Moen", "oppsummerer"
    )


def test_quotes_interviews_dev_gold_is_by_reference() -> None:
    portions, gold = read_gold(DEV_GOLD)
    assert {p.corpus for p in portions} == {"norne-nb-dev", "norne-nn-dev", "ddt-da-dev", "ddt-da-train",
                                            "klintan-sv-train"}
    assert len(gold) >= 100
    assert not any(p.corpus.endswith("-test") for p in portions)
    for line in DEV_GOLD.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        assert set(row) <= {"corpus", "portion", "sent", "start", "end", "end_sent", "kind", "speaker", "cue"}


@pytest.mark.needs_shared_data
def test_quotes_interviews_dev_gold_offsets_fit_their_sentences(shared_data: Path) -> None:
    _, gold = read_gold(DEV_GOLD)
    texts = {c: {s.id: s.text for s, _ in read_sentences(shared_data, c)} for c in {g.corpus for g in gold}}
    for g in gold:
        assert 0 <= g.start < len(texts[g.corpus][g.sent])
        assert 0 < g.end <= len(texts[g.corpus][g.end_sent])


def test_quotes_interviews_first_name_alone_is_the_full_named_person(article: Callable[..., Article]) -> None:
    text = (
        "Unge Torild:\n"
        "- Jeg vokste opp på en gård utenfor Steinkjer.\n"
        "Torild Vassbotn har ledet magasinet i ti år."
    )
    _, quotes = extract(article, text)
    assert [(q.text, q.speaker) for q in quotes] == [
        ("Jeg vokste opp på en gård utenfor Steinkjer.", "Torild Vassbotn")
    ]


def test_quotes_interviews_colon_cue_names_the_next_paragraphs_writer(article: Callable[..., Article]) -> None:
    text = (
        "Filosofen Ragnar Tveit har skrevet forordet til den nye utgaven.\n"
        "I brevet skriver forfatteren Henrik Lunde:\n"
        "«Den som vil forstå byen, må gå i den om natten.»\n"
        "- Det sitatet forteller mye om hele boka, sier Tveit."
    )
    _, quotes = extract(article, text)
    assert [(q.text, q.speaker) for q in quotes] == [
        ("Den som vil forstå byen, må gå i den om natten.", "Henrik Lunde"),
        ("Det sitatet forteller mye om hele boka", "Ragnar Tveit"),
    ]


def test_quotes_interviews_cited_words_in_a_question_are_no_quote(article: Callable[..., Article]) -> None:
    text = (
        "Redaktøren Vibeke Storm er glad i klær.\n"
        "- Hender det at du står foran skapet og roper:\n"
        "«Jeg har ingenting å ta på meg»?\n"
        "- Ja, ofte, og det er helt latterlig."
    )
    _, quotes = extract(article, text)
    assert [(q.text, q.speaker) for q in quotes] == [("Ja, ofte, og det er helt latterlig.", "Vibeke Storm")]


def test_quotes_interviews_first_person_turn_before_an_undashed_question_stays(
    article: Callable[..., Article],
) -> None:
    text = (
        "Redaktøren Vibeke Storm forteller om moteuka i Milano.\n"
        "- Jeg var invitert på middag, trodde jeg.\n"
        "Blir ikke motebransjen rammet av krisen?\n"
        "- Folk må fortsatt ha klær på seg."
    )
    _, quotes = extract(article, text)
    assert [q.text for q in quotes if q.kind == "direct"] == [
        "Jeg var invitert på middag, trodde jeg.", "Folk må fortsatt ha klær på seg."
    ]


def test_quotes_interviews_dash_line_repeating_a_later_quote_is_an_intertitle(
    article: Callable[..., Article],
) -> None:
    text = (
        "Besøksvenn Gro Lia har besøkt fengselet i tjue år.\n"
        "- Det viktigste er å lytte til dem som sitter inne\n"
        "- Jeg kommer ikke for å preke. Det viktigste er å lytte til dem som sitter inne, sier Lia."
    )
    _, quotes = extract(article, text)
    assert [(q.text, q.speaker) for q in quotes] == [
        ("Jeg kommer ikke for å preke. Det viktigste er å lytte til dem som sitter inne", "Gro Lia")
    ]


def test_quotes_interviews_quotation_opened_after_colon_runs_to_the_end(article: Callable[..., Article]) -> None:
    text = 'Hør, hvordan Bent Lykke, instruktør af filmen "Havnen", betegner ham: "Manden er helt uforudsigelig.'
    _, quotes = extract(article, text, "da")
    assert [(q.text, q.speaker) for q in quotes] == [("Manden er helt uforudsigelig.", "Bent Lykke")]


def test_quotes_interviews_relative_clause_after_the_speaker_is_no_report(article: Callable[..., Article]) -> None:
    text = '"Vi måtte opgive huset," siger Ole Vinther, der fik forbrændinger på begge arme.'
    _, quotes = extract(article, text, "da")
    assert [(q.kind, q.text, q.speaker) for q in quotes] == [("direct", "Vi måtte opgive huset", "Ole Vinther")]


def test_quotes_interviews_family_role_names_the_parent(article: Callable[..., Article]) -> None:
    text = (
        "Pappa Geir Solum følger sønnen Mats på trening hver dag.\n"
        "- Han har blitt mye sterkere i armen, sier pappa."
    )
    _, quotes = extract(article, text)
    assert [(q.text, q.speaker) for q in quotes] == [("Han har blitt mye sterkere i armen", "Geir Solum")]


def test_quotes_interviews_song_after_a_colon_is_no_quote(article: Callable[..., Article]) -> None:
    text = (
        "Mats Solum setter seg ved pianoet og synger med:\n"
        "«Hvor går vi når lyset slukkes, hvem venter der?»\n"
        "- Musikk er det beste jeg vet, sier Solum."
    )
    _, quotes = extract(article, text)
    assert [(q.text, q.speaker) for q in quotes] == [("Musikk er det beste jeg vet", "Mats Solum")]
