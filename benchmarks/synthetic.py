"""A generator of realistic synthetic news articles in da, nb, nn, sv and en for speed benchmarks.

Articles are assembled from sentence templates in each language (dash quotes with trailing cues, places in
their local spelling, invented people and organisations) around a topic, so the linker sees the same mix of
shared entities and vocabulary as in real news. The text is the project's own; quality is not measured on it.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

from storyline.models import Article, content_id

FIRST = ["Ingrid", "Mikael", "Rasmus", "Sofie", "Lars", "Karin", "Jonas", "Mette", "Erik", "Astrid", "Nils", "Hanna"]
ORGS = ["Nordisk Forsvarsforbund", "Havnerådet", "Kystverket", "Energiforum", "Datatilsynet", "Fiskeriunionen"]
PLACES = {
    "da": ["Rusland", "Hviderusland", "Tyskland", "Frankrig", "Aarhus", "København", "Bruxelles", "Litauen"],
    "nb": ["Russland", "Hviterussland", "Tyskland", "Frankrike", "Bergen", "Oslo", "Brussel", "Litauen"],
    "nn": ["Russland", "Kviterussland", "Tyskland", "Frankrike", "Bergen", "Oslo", "Brussel", "Litauen"],
    "sv": ["Ryssland", "Vitryssland", "Tyskland", "Frankrike", "Göteborg", "Stockholm", "Bryssel", "Litauen"],
    "en": ["Russia", "Belarus", "Germany", "France", "Gothenburg", "Oslo", "Brussels", "Lithuania"],
}
TOPICS = {
    "da": ["havneudvidelsen", "forsvarsaftalen", "energiprisen", "fiskekvoten", "jernbaneprojektet", "datalækket"],
    "nb": ["havneutvidelsen", "forsvarsavtalen", "energiprisen", "fiskekvoten", "jernbaneprosjektet", "datalekkasjen"],
    "nn": ["hamneutvidinga", "forsvarsavtalen", "energiprisen", "fiskekvoten", "jernbaneprosjektet", "datalekkasjen"],
    "sv": ["hamnutbyggnaden", "försvarsavtalet", "energipriset", "fiskekvoten", "järnvägsprojektet", "dataläckan"],
    "en": ["port expansion", "defence pact", "energy price", "fishing quota", "rail project", "data leak"],
}
TEMPLATES = {
    "da": ["{p} mødtes tirsdag med repræsentanter fra {o} i {l1} for at drøfte {t}.",
           "– Vi kan ikke vente længere med {t}, og {l2} må tage ansvar, siger {p}.",
           "Ifølge {o} er der stadig uenighed om finansieringen, og forhandlingerne fortsætter i næste uge.",
           "Kritikere i {l1} mener, at planen er for dyr, mens tilhængere peger på de mange nye arbejdspladser.",
           "– Det er en historisk dag for {l1}, sagde {p} efter mødet.",
           "Sagen har skabt debat i hele regionen, og flere borgmestre har bedt om et ekstraordinært møde."],
    "nb": ["{p} møtte tirsdag representanter fra {o} i {l1} for å diskutere {t}.",
           "– Vi kan ikke vente lenger med {t}, og {l2} må ta ansvar, sier {p}.",
           "Ifølge {o} er det fortsatt uenighet om finansieringen, og forhandlingene fortsetter neste uke.",
           "Kritikere i {l1} mener planen er for dyr, mens tilhengere viser til de mange nye arbeidsplassene.",
           "– Dette er en historisk dag for {l1}, sa {p} etter møtet.",
           "Saken har skapt debatt i hele regionen, og flere ordførere har bedt om et ekstraordinært møte."],
    "nn": ["{p} møtte tysdag representantar frå {o} i {l1} for å drøfte {t}.",
           "– Vi kan ikkje vente lenger med {t}, og {l2} må ta ansvar, seier {p}.",
           "Ifølgje {o} er det framleis usemje om finansieringa, og forhandlingane held fram neste veke.",
           "Kritikarar i {l1} meiner planen er for dyr, medan tilhengjarar viser til dei mange nye arbeidsplassane.",
           "– Dette er ein historisk dag for {l1}, sa {p} etter møtet.",
           "Saka har skapt debatt i heile regionen, og fleire ordførarar har bede om eit ekstraordinært møte."],
    "sv": ["{p} träffade på tisdagen företrädare för {o} i {l1} för att diskutera {t}.",
           "– Vi kan inte vänta längre med {t}, och {l2} måste ta ansvar, säger {p}.",
           "Enligt {o} råder fortfarande oenighet om finansieringen, och förhandlingarna fortsätter nästa vecka.",
           "Kritiker i {l1} menar att planen är för dyr, medan anhängare pekar på de många nya jobben.",
           "– Det här är en historisk dag för {l1}, sade {p} efter mötet.",
           "Frågan har väckt debatt i hela regionen, och flera kommunalråd har begärt ett extra möte."],
    "en": ["{p} met representatives of {o} in {l1} on Tuesday to discuss the {t}.",
           "\"We cannot wait any longer on the {t}, and {l2} must take responsibility,\" {p} said.",
           "According to {o}, disagreement over funding remains, and talks will continue next week.",
           "Critics in {l1} say the plan is too expensive, while supporters point to the many new jobs.",
           "\"This is a historic day for {l1},\" {p} told reporters after the meeting.",
           "The issue has sparked debate across the region, and several mayors have asked for an extra meeting."],
}
LANGS = ["da", "nb", "nn", "sv", "en"]
SYLLABLES = ["ka", "ro", "vik", "sel", "ten", "mar", "dal", "bre", "lun", "fos", "ha", "gen", "tor", "by", "ster"]


SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "articles"


@cache
def _word_pool(lang: str) -> list[str]:
    """Real words of one language, from the project's own sample corpus (files are named `<lang>-…`)."""
    words: set[str] = set()
    for path in SAMPLES.glob(f"{lang}-*.txt"):
        body = path.read_text(encoding="utf-8").split("\n\n", 1)[-1]
        words.update(w.lower() for w in re.findall(r"[^\W\d_]{5,}", body))
    return sorted(words)


def _topic(topic: int) -> dict[str, str]:
    """A topic's own people, organisation and subject words, shared by its articles.

    Subject words are drawn per topic from real words of each language, so topics stay distinct (as real
    stories are) while the sentence templates are shared by all topics.
    """
    trng = random.Random(topic)
    surname = "".join(trng.choice(SYLLABLES) for _ in range(3)).capitalize()
    return {
        "p": f"{trng.choice(FIRST)} {surname}",
        "o": f"{trng.choice(SYLLABLES).capitalize()}{trng.choice(SYLLABLES)} {trng.choice(ORGS)}",
        **{f"vocab_{lang}": " ".join(random.Random(topic * 7 + i).sample(_word_pool(lang), 40))
           for i, lang in enumerate(LANGS)},
    }


FUNCTION_WORDS = {
    "da": "og i at det er som på for med af til",
    "nb": "og i at det er som på for med av til",
    "nn": "og i at det er som på for med av til",
    "sv": "och i att det är som på för med av till",
    "en": "and in that it is as on for with of to",
}


def _topic_sentence(rng: random.Random, vocab: list[str], lang: str) -> str:
    """A sentence of the topic's own subject words glued with the language's function words."""
    glue = FUNCTION_WORDS[lang].split()
    words = [rng.choice(vocab) if i % 2 == 0 else rng.choice(glue) for i in range(13)]
    return " ".join(words).capitalize() + "."


def generate(n: int, seed: int = 7, words: int = 500, start: datetime | None = None) -> Iterator[Article]:
    """`n` articles about `n // 6` topics, spread over time in publication order, ~`words` words each."""
    rng = random.Random(seed)
    start = start or datetime(2024, 1, 1, tzinfo=UTC)
    n_topics = max(1, n // 6)
    for i in range(n):
        topic = rng.randrange(n_topics)
        trng = random.Random(topic)  # a topic keeps its people, places and subject across languages
        lang = rng.choice(LANGS)
        own = _topic(topic)
        person, org = own["p"], own["o"]
        place_ix = trng.sample(range(len(PLACES[lang])), 2)
        fill = {"p": person, "o": org, "t": TOPICS[lang][topic % len(TOPICS[lang])],
                "l1": PLACES[lang][place_ix[0]], "l2": PLACES[lang][place_ix[1]]}
        paragraphs: list[str] = []
        count = 0
        while count < words:
            vocab = own[f"vocab_{lang}"].split()
            sentences = [rng.choice(TEMPLATES[lang]).format(**fill), _topic_sentence(rng, vocab, lang)]
            para = " ".join(sentences)
            paragraphs.append(para)
            count += len(para.split())
        title = f"{person}: {fill['t']} i {fill['l1']}" if lang != "en" else f"{person} on the {fill['t']}"
        body = "\n\n".join(paragraphs)
        source = f"outlet{rng.randrange(12)}.example"
        published = start + timedelta(minutes=10 * i + rng.randrange(10))
        yield Article(id=content_id(source, title, body), source=source, title=title, raw_text=body,
                      published=published, published_precision="exact", fetched=published,
                      input_name=f"synthetic:{i}", meta={"topic": str(topic)})
