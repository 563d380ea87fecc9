"""Entity keys agree across a Danish and a Norwegian article about the same people and places."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from storyline.extract import ExtractStage
from storyline.extract.names import fold_name
from storyline.models import Article, Paragraph

DA = "\n".join(
    [
        "Natos generalsekretær Jens Stoltenberg ankom tirsdag til Vilnius, hvor topmødet begynder i morgen.",
        "Ifølge Stoltenberg er Rusland fortsat den største trussel mod alliancen, og Hviderusland huser nu "
        "soldater fra Wagner-gruppen.",
        "– Vi står sammen med Ukraine, siger Jens Stoltenberg.",
        "Putins talsmand afviste kritikken. Præsident Vladimir Putin har ikke kommenteret sagen, mens de "
        "danske soldater i Litauen er i højeste beredskab.",
        "Dommerne i Haag følger sagen.",
    ]
)

NB = "\n".join(
    [
        "Stoltenberg sier at Russland er den største trusselen mot alliansen før Nato-toppmøtet i Vilnius.",
        "Hviterussland har tatt imot leiesoldater fra Wagner, skriver NTB. Den russiske presidenten Vladimir "
        "Putin vil ikke kommentere saken.",
        "Natos generalsekretær møtte onsdag den ukrainske presidenten, og norske soldater i Litauen er i "
        "beredskap.",
        "Domstolen i Den Haag har fått saken, og Putins talsmann avviser kritikken.",
    ]
)


def extract_lines(make_article: Callable[..., Article], text: str, language: str, title: str = "",
         published: datetime = datetime(2023, 7, 11, 8, tzinfo=UTC)) -> Article:
    """The extract stage on `text` as cleaned paragraphs (one per line)."""
    art = make_article(text, title=title, published=published)
    art.text = text
    art.language = language
    pos = 0
    for para in text.split("\n"):
        art.paragraphs.append(Paragraph(pos, pos + len(para)))
        pos += len(para) + 1
    return ExtractStage()(art)


def _keys(art: Article) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for e in art.entities:
        assert art.text[e.start : e.end] == e.text
        out.setdefault(e.text, set()).add(e.key)
    return out


def test_extract_entities_same_keys_across_danish_and_norwegian(article: Callable[..., Article]) -> None:
    da, nb = _keys(extract_lines(article, DA, "da")), _keys(extract_lines(article, NB, "nb"))
    assert da["Rusland"] == nb["Russland"] == {"loc:russia"}
    assert da["Hviderusland"] == nb["Hviterussland"] == {"loc:belarus"}
    assert da["Haag"] == nb["Den Haag"] == {"loc:the-hague"}
    assert da["Jens Stoltenberg"] == da["Stoltenberg"] == nb["Stoltenberg"]
    assert da["Putin"] == nb["Putin"] == da["Vladimir Putin"] == nb["Vladimir Putin"]
    assert nb["Nato"] == {"org:nato"}
    assert da["danske"] == {"loc:denmark"} and nb["norske"] == {"loc:norway"}
    assert da["Litauen"] == nb["Litauen"] == {"loc:lithuania"}


def test_extract_entities_genitive_and_compounds_cover_the_name_only(article: Callable[..., Article]) -> None:
    art = extract_lines(article, NB, "nb")
    texts = [e.text for e in art.entities]
    assert "Putins" not in texts and "Putin" in texts
    nato = [e for e in art.entities if e.key == "org:nato"]
    assert nato and all(e.text == "Nato" for e in nato)
    wagner = [e for e in extract_lines(article, DA, "da").entities if e.key == "org:wagner"]
    assert wagner and wagner[0].type == "ORG"


def test_extract_entities_titles_and_sentence_openers_are_not_names(article: Callable[..., Article]) -> None:
    art = extract_lines(article, DA, "da")
    texts = {e.text for e in art.entities}
    assert "Ifølge" not in texts and "Ifølge Stoltenberg" not in texts
    assert "Præsident Vladimir Putin" not in texts
    assert all(e.type == "PER" for e in art.entities if "Stoltenberg" in e.text)


def test_extract_entities_namesakes_in_one_article_are_told_apart(article: Callable[..., Article]) -> None:
    text = (
        "Kronprins Frederik og prinsesse Benedikte Frederik deltog. Senere talte Anne Frederik med pressen, "
        "og Frederik svarede."
    )
    art = extract_lines(article, text, "da")
    keys = {e.text: e.key for e in art.entities if e.type == "PER"}
    assert keys["Benedikte Frederik"] != keys["Anne Frederik"]
    assert keys["Frederik"] == keys["Anne Frederik"]  # a lone surname takes the latest full name


def test_extract_names_fold_transliterations() -> None:
    assert fold_name("Prigozjin") == fold_name("Prigozhin") == fold_name("Prigoschin")
    assert fold_name("Zelenskyj") == fold_name("Selenskyj") == fold_name("Zelensky")
    assert fold_name("Sjojgu") == fold_name("Shoigu") == fold_name("Schoigu")
    assert fold_name("Jevgenij") == fold_name("Yevgeny") == fold_name("Jewgeni")
    assert fold_name("Stoltenberg") != fold_name("Solberg")


def test_extract_entities_a_title_alone_is_not_a_person(article: Callable[..., Article]) -> None:
    text = ("Udenrigsminister Lene Vestby mødte pressen i Oslo.\n\n"
            "Udenrigsministeren siger, at aftalen er klar. Statsministern säger inget.")
    art = extract_lines(article, text, "da")
    people = {e.text for e in art.entities if e.type == "PER"}
    assert "Udenrigsministeren" not in people and "Statsministern" not in people
    assert any("Vestby" in p for p in people)
