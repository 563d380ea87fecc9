"""Residue rules added for scraped pages: paywall boxes, newsletter prompts, live-blog time stamps, e-mail bylines,
relative "updated" lines, menus above the article, lone share buttons, bulleted and block-per-line teaser lists.
Each rule has its look-alike in article text that must stay. Fictional texts."""

from __future__ import annotations

import pytest

from storyline.clean.residue import classify, date_line
from storyline.clean.stage import clean_text

BODY = "Kommunen har vedtatt å bygge en ny skole på Hasvik, og arbeidet starter til høsten."
BODY2 = "Skolen skal ha plass til 200 elever og stå ferdig i 2027, ifølge rådmannen."


@pytest.mark.parametrize("line", [
    "Du har nu læst 3 af 3 gratis artikler denne måned.", "Bli abonnent for 1 kr den første måneden",
    "Allerede abonnent? Logg inn", "Redan prenumerant? Logga in", "Prenumerera för att läsa vidare.",
    "Denne saken er for abonnenter", "Already a subscriber? Sign in",
])
def test_clean_paywall_prompt_is_residue(line: str) -> None:
    assert classify(line) == "paywall"


@pytest.mark.parametrize("line", [
    "Du har lest riktig: kommunen har ingen penger igjen til veiene neste år, og rådmannen vil nå kutte i "
    "skoletilbudet, eldreomsorgen, kulturhuset og alle tilskudd til idrettslagene i hele kommunen fra januar.",
    "Abonnentene hos strømselskapet får en ny regning i posten.",
])
def test_clean_prose_like_a_paywall_prompt_is_kept(line: str) -> None:
    assert classify(line) is None


@pytest.mark.parametrize("line", ["Sign up for our Nordic Briefing newsletter",
                                  "Meld deg på nyhetsbrevet vårt og få sakene først", "Tilmeld dig vores nyhedsbrev"])
def test_clean_newsletter_prompt_is_residue(line: str) -> None:
    assert classify(line) == "notice"


def test_clean_sentence_about_a_newsletter_is_kept() -> None:
    assert classify("Nyhetsbrevet ble sendt til 4000 innbyggere før valget.") is None


@pytest.mark.parametrize("line", ["14:32", "Kl. 10.42", "I dag 09:58", "i går kl. 21.05", "Idag 08:14"])
def test_clean_live_blog_timestamp_is_residue(line: str) -> None:
    assert classify(line) == "timestamp"


@pytest.mark.parametrize("line", ["Møtet starter kl. 10.30.", "Kl. 10.42 kom meldingen om brannen.", "10.30 til 11.00"])
def test_clean_time_in_a_sentence_or_a_number_is_kept(line: str) -> None:
    assert classify(line) != "timestamp"


@pytest.mark.parametrize("line", ["per.olsen@finnmarksnytt.no", "E-post: kari@ntb.no"])
def test_clean_email_line_is_byline(line: str) -> None:
    assert classify(line) == "byline"


def test_clean_sentence_with_email_is_kept() -> None:
    assert classify("Tips oss på tips@avisa.no hvis du har sett noe.") is None


@pytest.mark.parametrize("line", ["Oppdatert for 3 minutter siden", "Updated 2 hours ago",
                                  "Uppdaterad för 5 minuter sedan"])
def test_clean_relative_updated_line_is_a_date_line_without_a_date(line: str) -> None:
    found = date_line(line)
    assert found is not None and found.kind == "updated" and found.date is None


def test_clean_updated_in_a_sentence_is_not_a_date_line() -> None:
    assert date_line("Oppdatert informasjon om stengte veier kommer for 3 dager siden ble lagt ut") is None


def test_clean_menu_above_the_article_is_navigation() -> None:
    result = clean_text(f"Hopp til hovedinnhold\nNyheter\nSport\nKultur\nNy skole på Hasvik\n{BODY}\n{BODY2}")
    assert result.title == "Ny skole på Hasvik"
    assert result.text == f"{BODY}\n\n{BODY2}"
    assert result.removed["navigation"] == 3


def test_clean_short_title_and_subheading_at_the_top_are_not_a_menu() -> None:
    result = clean_text(f"Ny skole\nStor jubel\n{BODY}\n{BODY2}", title="")
    assert result.title == "Ny skole"
    assert result.text.startswith("Stor jubel")


def test_clean_lone_share_buttons_go_with_their_share_line() -> None:
    result = clean_text(f"{BODY}\n{BODY2}\nDel artikkelen\nFacebook\nE-post")
    assert result.text == f"{BODY}\n\n{BODY2}"


def test_clean_lone_share_word_in_the_text_is_kept() -> None:
    result = clean_text(f"{BODY}\n\nFacebook\n\n{BODY2}")
    assert "Facebook" in result.text


def test_clean_byline_name_above_an_email_line_is_removed() -> None:
    result = clean_text(f"Anna Berg\nanna.berg@avisa.no\n{BODY}\n{BODY2}", title="Ny skole")
    assert result.text == f"{BODY}\n\n{BODY2}"


def test_clean_bulleted_related_topics_at_the_end_are_teasers() -> None:
    result = clean_text(f"{BODY}\n\n{BODY2}\n\nRelated Topics\n\n- Sweden\n\n- Wildfires")
    assert result.text == f"{BODY}\n\n{BODY2}"


def test_clean_teaser_blocks_after_a_label_then_subheading_keeps_the_subheading() -> None:
    # "Les også", two teaser headlines, then a heading over body text: the last one introduces the text.
    raw = f"{BODY}\n\nLes også\n\nSlik blir den nye skolen\n\nElevene flytter i 2027\n\nNy rektor\n\n{BODY2}"
    paragraphs = clean_text(raw).paragraphs
    assert [p.kind for p in paragraphs] == ["body", "subheading", "body"]


def test_clean_paywall_box_and_its_small_print_are_removed() -> None:
    result = clean_text(f"{BODY}\n{BODY2}\nDenne artikkelen er for abonnenter\nKjøp abonnement\nfor 5 kr første måned")
    assert result.text == f"{BODY}\n\n{BODY2}"
    assert result.removed["paywall"] == 2  # "Kjøp abonnement" alone is a button label (share) already


def test_clean_paywall_prompt_mid_article_leaves_the_text_after_it() -> None:
    long_body = " ".join([BODY] * 2)
    result = clean_text(f"{BODY}\nBli abonnent i dag\n{long_body}\n{BODY2}")
    assert result.text == f"{BODY}\n\n{long_body}\n\n{BODY2}"
