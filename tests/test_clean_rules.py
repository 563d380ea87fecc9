"""Each cleaning rule on hand-written (fictional) cases: explainer boxes, pull-quote subheadings, repeated
navigation, teaser lists, captions with the credit on its own line, notices, signatures, printed dates."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from storyline.clean import CleanStage, clean_text
from storyline.clean.dates import find_date
from storyline.clean.explainers import remove_explainers
from storyline.clean.residue import classify
from storyline.clean.sourcemap import Piece, pieces_text
from storyline.models import Article
from storyline.settings import Settings

MakeArticle = Callable[..., Article]
BODY = "Kommunestyret vedtok budsjettet torsdag kveld etter lang debatt."


def kinds(raw: str, title: str = "Tittel") -> list[tuple[str, str]]:
    cleaned = clean_text(raw, title)
    return [(p.kind, cleaned.text[p.start : p.end]) for p in cleaned.paragraphs]


def without_boxes(line: str) -> str:
    return pieces_text(remove_explainers(Piece(0, line)))


# --- explainer boxes ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (  # the term, then the term glued to its definition (a text dump of NRK's explainer button)
            "Siden Wagner-gruppens Wagner-gruppensWagner-gruppen er et privat, militært selskap som har operert i "
            "flere land. opprør mot Kreml i juni har mange flyttet.",
            "Siden Wagner-gruppens opprør mot Kreml i juni har mange flyttet.",
        ),
        (  # the running-text term itself glued to the restatement
            "Det skjer etter at HardangerbruaHardangerbrua er ei hengebru over Eidfjorden som opna i 2013. har "
            "teke over trafikken.",
            "Det skjer etter at Hardangerbrua har teke over trafikken.",
        ),
        (  # the button text dropped (trafilatura): the term, then a capitalised restatement in another inflection
            "Siden Wagner-gruppens Wagner-gruppen er et privat, militært selskap med base i Russland. opprør mot "
            "Kreml har mange flyttet.",
            "Siden Wagner-gruppens opprør mot Kreml har mange flyttet.",
        ),
        (  # a term of two words, glued to its restatement
            "Områdene ligger sør for Utsira NordUtsira Nord er et havområde vest for Haugesund med flytende "
            "havvind. og kan gi strøm til en million husstander.",
            "Områdene ligger sør for Utsira Nord og kan gi strøm til en million husstander.",
        ),
        (  # a closing button label between the box and the resumed sentence
            "Sedan Natos NatosNato är en militär försvarsallians med många medlemsländer. Stäng toppmöte i Vilnius "
            "har Sverige förberett sig.",
            "Sedan Natos toppmöte i Vilnius har Sverige förberett sig.",
        ),
    ],
)
def test_clean_explainer_box_is_cut_out_of_the_sentence(line: str, expected: str) -> None:
    assert without_boxes(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "Per Persen er ny leder. Han begynner i august.",  # a name that starts like the one before it
        "Statoil Statoil-sjefen er fornøyd. Det sa han i går.",  # more than an inflection apart
        # the same term restated, but no sentence resumes in lower case after it: a plain repetition
        "Han nevnte Wagner-gruppens Wagner-gruppen er kjent. Den har kjempet i Afrika.",
        "Oslo. Oslo kommune er en stor arbeidsgiver. den er størst i landet.",  # the repeat starts a new sentence
        "Han sa NRK NRK er ok. det var alt.",  # too short to be a definition
    ],
)
def test_clean_repeated_term_without_box_is_kept(line: str) -> None:
    assert without_boxes(line) == line


def test_clean_explainer_counts_and_keeps_the_paragraph(article: MakeArticle) -> None:
    raw = (
        "Ordninga med Noregspris NoregsprisNoregspris er ein fast straumpris som regjeringa har føreslått. Vis meir "
        "skal etter planen innførast frå hausten.\n\nDepartementet vil sende saka på høyring i mars."
    )
    result = CleanStage(Settings())(article(raw, title="Straumstøtta"))
    assert result.paragraph_texts()[0] == "Ordninga med Noregspris skal etter planen innførast frå hausten."
    assert "explainer=1" in result.meta["residue"]


# --- subheadings -------------------------------------------------------------------------------------------------


def test_clean_dash_subheading_repeating_middle_of_later_quote_is_subheading() -> None:
    raw = (
        f"{BODY}\n\n– Helt uforsvarlig å kjøre\n\nPolitiet ber folk holde seg hjemme.\n\n"
        "– Det er helt uforsvarlig å kjøre nå, sier operasjonslederen."
    )
    assert [k for k, _ in kinds(raw)] == ["body", "subheading", "body", "body"]


@pytest.mark.parametrize("heading", ["”Ett historiskt dåligt år”", "«Et historisk dårlig år»"])
def test_clean_quoted_pull_quote_is_subheading(heading: str) -> None:
    raw = (
        f"Skörden blev den sämsta på länge.\n\n{heading}\n\nFörbundet kräver krisstöd.\n\n"
        "”Det här är ett historiskt dåligt år för bönderna”, säger ordföranden. Et historisk dårlig år, sa han."
    )
    assert kinds(raw)[1] == ("subheading", heading)


def test_clean_quoted_line_not_repeated_is_body() -> None:
    raw = f"{BODY}\n\n«Vi gir oss aldri»\n\nForbundet varsler streik fra mandag, opplyser lederen."
    assert [k for k, _ in kinds(raw)] == ["body", "body", "body"]


def test_clean_short_question_between_paragraphs_is_subheading() -> None:
    raw = f"{BODY}\nHva skjer nå?\nSaken skal opp i fylkestinget i mars, opplyser fylkesordføreren."
    assert kinds(raw)[1] == ("subheading", "Hva skjer nå?")


# --- navigation --------------------------------------------------------------------------------------------------


def test_clean_repeated_navigation_and_footer_are_removed() -> None:
    raw = (
        "NRK Nyheter Sport Kultur Vær\nTogtrafikken stanset\nAll togtrafikk er stanset etter et jordras.\n"
        "Bane NOR regner med at strekningen er stengt til torsdag.\nNRK Nyheter Sport Kultur Vær\nKontakt NRK"
    )
    cleaned = clean_text(raw)
    assert cleaned.title == "Togtrafikken stanset"
    assert cleaned.text == (
        "All togtrafikk er stanset etter et jordras.\n\nBane NOR regner med at strekningen er stengt til torsdag."
    )
    assert cleaned.removed["navigation"] == 3


def test_clean_repeated_sentence_is_not_navigation() -> None:
    raw = f"{BODY}\n\nDet ble vedtatt.\n\n{BODY}"
    assert len(kinds(raw)) == 3


@pytest.mark.parametrize("line", ["Nyheder › Indland", "Nyheter > Innenriks > Oslo", "Økonomi | Bolig"])
def test_clean_breadcrumb_is_navigation(line: str) -> None:
    assert classify(line) == "navigation"


def test_clean_skip_link_taken_for_title_is_dropped(article: MakeArticle) -> None:
    raw = "Togtrafikken stanset på Bergensbanen\nAll togtrafikk på Bergensbanen er stanset etter et jordras ved Finse."
    result = CleanStage(Settings())(article(raw, title="Hopp til innhold"))
    assert result.title == "Togtrafikken stanset på Bergensbanen"


# --- teaser lists ------------------------------------------------------------------------------------------------


def test_clean_teaser_list_before_body_leaves_the_subheading() -> None:
    raw = (
        f"{BODY}\nLæs også\nLærere: Elever kan ikke koncentrere sig\nBørn bruger seks timer om dagen på skærm\n"
        "Forældre er delte\nForældreforeningen efterlyser fælles regler fra Christiansborg."
    )
    assert kinds(raw) == [
        ("body", BODY),
        ("subheading", "Forældre er delte"),
        ("body", "Forældreforeningen efterlyser fælles regler fra Christiansborg."),
    ]


def test_clean_teaser_list_at_the_end_is_removed() -> None:
    raw = f"{BODY}\nDet ble vedtatt med knapt flertall.\nRelated Topics\nIceland\nVolcanoes"
    assert [t for _, t in kinds(raw)] == [BODY, "Det ble vedtatt med knapt flertall."]


def test_clean_teaser_with_blank_lines_takes_only_the_next_block() -> None:
    raw = f"{BODY}\n\nLes også\n\nSlik sikrer du huset\n\nKloakken klarte ikke mer\n\nDet regnet 70 millimeter."
    assert kinds(raw)[1:] == [("subheading", "Kloakken klarte ikke mer"), ("body", "Det regnet 70 millimeter.")]


# --- captions ----------------------------------------------------------------------------------------------------


def test_clean_caption_block_with_credit_on_its_own_line_is_removed() -> None:
    raw = f"{BODY}\n\nSykehuset har stått tomt siden 2021.\nFoto: Marius Dahl / Aftenposten\n\nKjøpet må godkjennes."
    assert [t for _, t in kinds(raw)] == [BODY, "Kjøpet må godkjennes."]


def test_clean_credit_line_without_blank_lines_leaves_the_line_before() -> None:
    # Without blank lines a caption and a body sentence before a bare credit look alike: keep the sentence.
    raw = f"{BODY}\nRentene stiger for tredje gang i år.\nFoto: Linda Kastrup/Ritzau Scanpix\nDet ble vedtatt."
    assert [t for _, t in kinds(raw)] == [BODY, "Rentene stiger for tredje gang i år.", "Det ble vedtatt."]


def test_clean_hard_wrapped_line_without_blank_lines_is_joined() -> None:
    wrapped = "Rents will rise by five percent after a deal between landlords and\nthe tenants' union."
    raw = f"{BODY}\n{wrapped}\nIt is done."
    assert [t for _, t in kinds(raw)] == [
        BODY,
        "Rents will rise by five percent after a deal between landlords and the tenants' union.",
        "It is done.",
    ]


def test_clean_credit_in_its_own_block_leaves_the_paragraph_before(article: MakeArticle) -> None:
    raw = f"{BODY}\n\nBara 11 procent röstade i kyrkovalet.\n\nFoto: Henrik Montgomery/TT\n\nDet var lägst sedan 2000."
    texts = CleanStage(Settings())(article(raw, title="X")).paragraph_texts()
    assert texts == [BODY, "Bara 11 procent röstade i kyrkovalet.", "Det var lägst sedan 2000."]


@pytest.mark.parametrize(
    "line",
    [
        "Finansministeren på vei inn til pressekonferansen. Foto: Tor G. Stenersen",
        "Elevar ved Firda vidaregåande skule. Bilete: Framtida.no",
        "Image caption, Lava flows near the town on Monday evening",
    ],
)
def test_clean_caption_with_initials_domain_or_comma_label(line: str) -> None:
    assert classify(line) == "caption"


# --- notices, ads, signatures ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Læsetid: 2 min.",
        "5 min read",
        "Lesetid: 3 min",
        "Denne artikkelen er mer enn ett år gammel.",
        "(Reporting by Anna Ek in Copenhagen; Editing by John Roe)",
        "Copyright 2024 The Associated Press. All rights reserved.",
        "Artiklen fortsætter under annoncen",
        "Artikeln fortsätter under annonsen",
        "Hopp til innhold",
        "Nordavis Media, Postboks 12, 6800 Lyngvik. Tlf. 57 80 00 00. www.nordavis.no",
        "Tips oss på tlf. 57800000 eller på nordavis.no",
        "Redaktionen: +45 33 44 55 66, www.avisa.dk",
    ],
)
def test_clean_notice_and_ad_lines_are_removed(line: str) -> None:
    assert classify(line) is not None
    assert [t for _, t in kinds(f"{BODY}\n\n{line}\n\n{BODY} Det ble vedtatt.")] == [BODY, f"{BODY} Det ble vedtatt."]


@pytest.mark.parametrize(
    "line",
    [
        "Lesetiden for boka er lang, sier forfatteren.",
        "Copyrightloven ble endret i fjor.",
        "Artiklen fortsætter en lang debat om ytringsfrihed.",
        # a web address or a number alone is prose; an amount in groups is no phone number
        "Les mer på www.regjeringen.no, sier statsråden.",
        "Kommunen har satt av 20 00 00 00 kroner, opplyser nettstedet kommune.no.",
        "Ring 57 80 00 00 om du har tips.",
    ],
)
def test_clean_lines_that_only_start_like_notices_are_kept(line: str) -> None:
    assert classify(line) is None


@pytest.mark.parametrize(
    ("ending", "kept"),
    [
        ("Redningsfolk søger fortsat i ruinerne. /ritzau/AFP", "Redningsfolk søger fortsat i ruinerne."),
        ("Havarikommisjonen er varslet. (©NTB)", "Havarikommisjonen er varslet."),
        ("”Hushållen bör förbereda sig”, säger Olle Ek. /TT", "”Hushållen bör förbereda sig”, säger Olle Ek."),
        ("Budsjettet fikk flertall med Sp/Ap", "Budsjettet fikk flertall med Sp/Ap"),
    ],
)
def test_clean_closing_agency_signature_is_removed(ending: str, kept: str) -> None:
    assert kinds(f"{BODY}\n\n{ending}")[-1] == ("body", kept)


# --- printed dates -----------------------------------------------------------------------------------------------


def test_clean_iso_date_with_klockan_time_is_exact() -> None:
    found = find_date("Publicerad 2023-07-12 kl. 09.15")
    assert found is not None and found.precision == "exact"
    assert found.value.isoformat() == "2023-07-12T09:15:00+00:00"


def test_clean_published_and_updated_iso_lines_fill_metadata(article: MakeArticle) -> None:
    raw = f"Publicerad 2023-07-12 kl. 09.15\nUppdaterad 2023-07-12 kl. 11.02\n{BODY}"
    result = CleanStage(Settings())(article(raw, title="Brand"))
    assert result.published is not None and result.published.isoformat() == "2023-07-12T09:15:00+00:00"
    assert result.meta["updated"] == "2023-07-12T11:02:00+00:00"
    assert result.text == BODY
