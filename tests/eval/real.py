"""The real labelled corpus (../shared/eval/real: 140 pages, hand labels, and the scorers that are
the measure): extraction and event resolution, measured in-process with the scorers' own rules.

The corpus is not the project's: it is read where it is present (CI has it beside the clone), never
copied. Its matching rules come from its `score.py`, imported from there, so that the figures here
are the figures its scorers print (`score.py` runs `tradewatch extract --json`; `score_events.py`
runs the whole pipeline, copy-finding included; this module resolves the mentions of every page
directly, without copy-finding, so a reprint's mentions count here as one more report).
"""

from __future__ import annotations

import importlib.util
import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

from parsers.events import extract_events
from parsers.geography import NO_GEOGRAPHY, Geography
from parsers.inputs import parse_input_file
from parsers.models import Article, Extraction
from parsers.profile import WatchProfile
from warehouse.merge import Mention, resolve

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT.parent / "shared" / "eval" / "real"
T0 = datetime(2026, 1, 1, tzinfo=UTC)


def available() -> bool:
    return (REAL / "gold.jsonl").exists() and (REAL / "score.py").exists() and (REAL / "pages").is_dir()


@cache
def scorer() -> ModuleType:
    """../shared/eval/real/score.py, whose `match`, `compatible` and `CLASS` define a hit."""
    spec = importlib.util.spec_from_file_location("real_corpus_score", REAL / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass(frozen=True)
class Page:
    gold: dict[str, Any]
    extraction: Extraction | None


def labels() -> dict[str, dict[str, Any]]:
    """The corpus's labels (gold.jsonl), by page id."""
    lines = (REAL / "gold.jsonl").read_text(encoding="utf-8").splitlines()
    return {record["id"]: record for record in map(json.loads, filter(str.strip, lines))}


def articles() -> dict[str, Article | None]:
    """The labelled pages that are here, read as tradewatch reads a seed file, by page id (None: a
    page it refuses). The README: a few pages may leave the store; the scorers skip them too."""
    out: dict[str, Article | None] = {}
    for page_id in labels():
        path = REAL / "pages" / f"{page_id}.txt"
        if path.exists():
            out[page_id] = parse_input_file(path, path.read_bytes())[0]
    return out


def pages(profile: WatchProfile) -> list[Page]:
    gold = labels()
    return [
        Page(gold[page_id], extract_events(article, profile) if article is not None else None)
        for page_id, article in articles().items()
    ]


def _gold_events(page: Page) -> list[dict[str, Any]]:
    return [e for e in page.gold["events"] if not e.get("internal") and e.get("status") != "unverified"]


def extraction_figures(corpus: list[Page]) -> dict[str, float]:
    """What `score.py` prints, as fractions: precision, recall, recall by class, field accuracy on
    matched events, page relevance, and the share of hard negatives left without events."""
    sc = scorer()
    tp = fp = fn = 0
    per: dict[str, list[int]] = {c: [0, 0] for c in sc.COMPAT}  # class -> [found, labelled]
    fields: dict[str, list[int]] = {f: [0, 0] for f in ("number", "start", "end", "location", "people")}
    # Start dates where the page gives the year: a page with no year and no date of its own
    # ("the second round, May 19-22") has a day the labels complete from what they know and a
    # reader of the page cannot; such dates stay partial here (`--05-19`), never guessed.
    year_given = [0, 0]
    rel = {"tp": 0, "fp": 0, "fn": 0}
    negatives = clean = 0
    for page in corpus:
        events = [e.to_json() for e in page.extraction.events] if page.extraction else []
        predicted_relevant = bool(page.extraction and page.extraction.relevant)
        gold_relevant = bool(page.gold["relevant"])
        if gold_relevant or predicted_relevant:
            rel["tp" if gold_relevant and predicted_relevant else "fn" if gold_relevant else "fp"] += 1
        gold = _gold_events(page)
        pred = [e for e in events if sc.CLASS.get(e.get("kind"))]
        if not gold_relevant:
            negatives += 1
            clean += not pred
        pairs = sc.match(gold, pred)
        tp, fp, fn = tp + len(pairs), fp + len(pred) - len(pairs), fn + len(gold) - len(pairs)
        matched = {i for i, _ in pairs}
        for i, g in enumerate(gold):
            per[sc.CLASS[g["kind"]]][1] += 1
            per[sc.CLASS[g["kind"]]][0] += i in matched
        for i, j in pairs:
            g, p = gold[i], pred[j]
            for name in ("number", "start", "end"):
                if g.get(name) is not None:
                    fields[name][1] += 1
                    fields[name][0] += str(p.get(name)) == str(g.get(name))
            if g.get("start") is not None:
                partial = p.get("start_text") or ""
                if not (partial.startswith("--") and partial[2:] == g["start"][5:]):
                    year_given[1] += 1
                    year_given[0] += str(p.get("start")) == str(g["start"])
            if g.get("location"):
                fields["location"][1] += 1
                fields["location"][0] += sc.norm(p.get("location")).replace(".", "") == sc.norm(g["location"]).replace(
                    ".", ""
                )
            people = sc.people(g)
            fields["people"][1] += len(people)
            fields["people"][0] += len(people & sc.people(p))
    out = {
        "real.events.precision": tp / (tp + fp) if tp + fp else 1.0,
        "real.events.recall": tp / (tp + fn) if tp + fn else 1.0,
        "real.relevance.precision": rel["tp"] / (rel["tp"] + rel["fp"]) if rel["tp"] + rel["fp"] else 1.0,
        "real.relevance.recall": rel["tp"] / (rel["tp"] + rel["fn"]) if rel["tp"] + rel["fn"] else 1.0,
        "real.negatives.clean": clean / negatives if negatives else 1.0,
    }
    out.update({f"real.{cls}.recall": found / labelled for cls, (found, labelled) in per.items() if labelled})
    out.update({f"real.field.{name}": right / total for name, (right, total) in fields.items() if total})
    if year_given[1]:
        out["real.field.start_where_the_page_gives_the_year"] = year_given[0] / year_given[1]
    return out


def mentions_of(corpus: list[Page]) -> tuple[list[Mention], dict[str, Any]]:
    """The mentions the pipeline would store for the relevant pages (one article per page)."""
    mentions, published = [], {}
    for page in corpus:
        extraction = page.extraction
        if extraction is None or not extraction.relevant:
            continue
        article_id = page.gold["id"]
        published[article_id] = extraction.article.published
        for ordinal, e in enumerate(extraction.events):
            mentions.append(
                Mention.of_event(e, mention_id=f"{article_id}#{ordinal}", article_id=article_id, first_seen=T0)
            )
    return mentions, published


def resolution_figures(corpus: list[Page], geography: Geography = NO_GEOGRAPHY) -> dict[str, float]:
    """What `score_events.py` prints of events, as fractions: the real events found (a row whose
    mentions are that event), the share of found events that are one row, the rows that are a real
    event, and the rows whose ordinal some source gives for their event."""
    sc = scorer()
    mentions, published = mentions_of(corpus)
    gold = {page.gold["id"]: page.gold for page in corpus}
    clusters = resolve(mentions, published, geography).clusters
    rows_per_ref: dict[str, int] = defaultdict(int)
    unmatched = bogus = 0
    numbers: dict[str, set[int]] = defaultdict(set)
    for g in (g for page in corpus for g in page.gold["events"]):
        if g.get("number") is not None:
            numbers[g["event_ref"]].add(int(g["number"]))
    for cluster in clusters:
        c = cluster.canonical
        assert c is not None
        row = {
            "kind": c.kind,
            "number": c.number,
            "start": c.start_date.isoformat() if c.start_date else None,
            "end": c.end_date.isoformat() if c.end_date else None,
            "vn_side": list(c.vn_side),
            "us_side": list(c.us_side),
        }
        votes: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
        for article_id in sorted({m.article_id for m in cluster.mentions}):
            for g in gold[article_id]["events"]:
                fit = sc.compatible(g, row)
                if not g.get("internal") and g.get("status") != "unverified" and fit > 0:
                    votes[g["event_ref"]][0] += 1
                    votes[g["event_ref"]][1] += fit
        # score_events.py's vote; a tie goes to the better fit, then the name, not to a set's order
        ref = max(votes, key=lambda r: (*votes[r], r)) if votes else None
        if ref is None:
            unmatched += 1
        else:
            rows_per_ref[ref] += 1
        if c.number is not None and c.number not in numbers.get(ref or "", set()):
            bogus += 1
    refs = {
        g["event_ref"]
        for page in corpus
        if page.gold["relevant"]
        for g in page.gold["events"]
        if not g.get("internal") and g.get("status") != "unverified"
    }
    found = set(rows_per_ref) & refs
    rows = len(clusters)
    return {
        "real.resolution.found": len(found) / len(refs) if refs else 1.0,
        "real.resolution.one_row": sum(1 for r in found if rows_per_ref[r] == 1) / len(found) if found else 1.0,
        "real.resolution.rows_per_event": sum(rows_per_ref[r] for r in found) / len(found) if found else 1.0,
        "real.resolution.real_rows": 1 - unmatched / rows if rows else 1.0,
        "real.resolution.true_ordinals": 1 - bogus / rows if rows else 1.0,
    }


def figures(profile: WatchProfile) -> dict[str, float]:
    corpus = pages(profile)
    return {**extraction_figures(corpus), **resolution_figures(corpus, geography=profile.geography)}
