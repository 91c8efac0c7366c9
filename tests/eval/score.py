"""Score event extraction against labelled articles.

    python -m tests.eval.score [--json]

A corpus is a folder of articles in seed format plus a JSONL file of labels (one line per file,
in the event fields of DESIGN.md; see ../shared/eval/README.md). Predicted and labelled events of
one file are paired one to one, most similar first, within the same kind; precision and recall
count the pairs, field accuracy is measured over them.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parsers.events import extract_events
from parsers.inputs import parse_input_file
from parsers.models import EVENT_KINDS
from parsers.profile import WatchProfile, load_profile
from tests.eval import real

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
FIELDS = ("number", "start", "end", "location", "vn_side", "us_side", "mode", "status")


@dataclass(frozen=True)
class Corpus:
    name: str
    articles: Path
    labels: Path


def corpora() -> list[Corpus]:
    """The labelled corpora present on this machine."""
    found = []
    seeds_gold = SHARED / "eval" / "seeds-gold.jsonl"
    if seeds_gold.exists():
        found.append(Corpus("seeds", ROOT / "seeds", seeds_gold))
    for labels in sorted((ROOT / "tests" / "eval" / "corpora").glob("*/labels.jsonl")):
        meta = labels.parent / "corpus.json"
        folder = (
            json.loads(meta.read_text(encoding="utf-8")).get("articles", "articles") if meta.exists() else "articles"
        )
        found.append(Corpus(labels.parent.name, (labels.parent / folder).resolve(), labels))
    return found


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Tally) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    kinds: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    fields: dict[str, list[bool]] = field(default_factory=lambda: defaultdict(list))
    relevance: list[bool] = field(default_factory=list)
    negatives_with_events: list[str] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)

    @property
    def overall(self) -> Tally:
        total = Tally()
        for tally in self.kinds.values():
            total.add(tally)
        return total

    def figures(self) -> dict[str, float]:
        """Flat figures, the keys that floors.json pins."""
        out: dict[str, float] = {}
        overall = self.overall
        out["overall.precision"], out["overall.recall"], out["overall.f1"] = (
            overall.precision,
            overall.recall,
            overall.f1,
        )
        for kind, tally in sorted(self.kinds.items()):
            out[f"{kind}.precision"], out[f"{kind}.recall"], out[f"{kind}.f1"] = (
                tally.precision,
                tally.recall,
                tally.f1,
            )
        for name, results in sorted(self.fields.items()):
            out[f"field.{name}"] = sum(results) / len(results) if results else 1.0
        out["relevance.accuracy"] = sum(self.relevance) / len(self.relevance) if self.relevance else 1.0
        out["negatives.clean"] = 0.0 if self.negatives_with_events else 1.0
        return out


def in_design_kinds(gold: dict[str, Any]) -> dict[str, Any]:
    """The seed labels call ministers' unnumbered online talks a `ministerial_session` with mode
    online; DESIGN's `call` is "phone or online talks", and the real corpus labels them
    `online_meeting` (its scorer's `call`). The extractor follows DESIGN and the real corpus; the
    sessions the sources count (an ordinal) stay sessions."""
    if gold["kind"] == "ministerial_session" and gold.get("mode") == "online" and gold.get("number") is None:
        return {**gold, "kind": "call"}
    return gold


def _norm(value: Any, name: str) -> Any:
    if name in ("vn_side", "us_side", "topics"):
        return sorted(value or [])
    return value


def _similarity(gold: dict[str, Any], pred: dict[str, Any]) -> float | None:
    if gold["kind"] != pred["kind"]:
        return None
    if gold.get("number") is not None and pred.get("number") is not None and gold["number"] != pred["number"]:
        return None
    score = 0.0
    if gold.get("evidence") and gold["evidence"] in pred.get("evidence", ""):
        score += 3
    for name in ("number", "start"):
        if gold.get(name) is not None and gold.get(name) == pred.get(name):
            score += 2
    for name in ("status", "mode", "location"):
        score += 1 if gold.get(name) == pred.get(name) else 0
    for side in ("vn_side", "us_side"):
        score += len(set(gold.get(side) or []) & set(pred.get(side) or []))
    return score


def pair_events(gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """Pair labelled and predicted events one to one, most similar first."""
    scored = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            s = _similarity(g, p)
            if s is not None:
                scored.append((s, -gi, -pi, gi, pi))
    pairs, used_g, used_p = [], set(), set()
    for _, _, _, gi, pi in sorted(scored, reverse=True):
        if gi not in used_g and pi not in used_p:
            pairs.append((gi, pi))
            used_g.add(gi)
            used_p.add(pi)
    return pairs


def score_corpus(corpus: Corpus, profile: WatchProfile, report: Report | None = None) -> Report:
    report = report or Report()
    for line in corpus.labels.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        label = json.loads(line)
        path = corpus.articles / label["file"]
        article, _ = parse_input_file(path, path.read_bytes())
        assert article is not None, f"{path}: no article text"
        extraction = extract_events(article, profile)
        pred = [e.to_json() for e in extraction.events]
        gold = [in_design_kinds(g) for g in label.get("events", [])]
        report.relevance.append(extraction.relevant == label.get("relevant", True))
        if not gold and pred:
            report.negatives_with_events.append(f"{corpus.name}/{label['file']}")
        pairs = pair_events(gold, pred)
        for kind in EVENT_KINDS:
            tally = Tally()
            g_kind = [i for i, g in enumerate(gold) if g["kind"] == kind]
            p_kind = [i for i, p in enumerate(pred) if p["kind"] == kind]
            matched = [(gi, pi) for gi, pi in pairs if gold[gi]["kind"] == kind]
            tally.tp, tally.fn, tally.fp = len(matched), len(g_kind) - len(matched), len(p_kind) - len(matched)
            if g_kind or p_kind:
                report.kinds[kind].add(tally)
        for gi, pi in pairs:
            g, p = gold[gi], pred[pi]
            names = FIELDS + (("topics",) if "topics" in g else ())
            for name in names:
                ok = _norm(g.get(name), name) == _norm(p.get(name), name)
                report.fields[name].append(ok)
                if not ok:
                    report.mismatches.append(
                        f"{corpus.name}/{label['file']} {g['kind']} {g.get('event_ref', '')}: "
                        f"{name} labelled {g.get(name)!r}, extracted {p.get(name)!r}"
                    )
        for gi in set(range(len(gold))) - {gi for gi, _ in pairs}:
            report.mismatches.append(f"{corpus.name}/{label['file']}: missed {gold[gi].get('event_ref')}")
        for pi in set(range(len(pred))) - {pi for _, pi in pairs}:
            report.mismatches.append(
                f"{corpus.name}/{label['file']}: extra {pred[pi]['kind']} «{pred[pi]['evidence'][:90]}»"
            )
    return report


def score_all(profile: WatchProfile | None = None) -> Report:
    profile = profile or load_profile(ROOT / "seeds" / "watch.toml")
    report = Report()
    for corpus in corpora():
        score_corpus(corpus, profile, report)
    return report


def format_report(report: Report) -> str:
    lines = [f"{'kind':22} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}"]
    for kind, t in sorted(report.kinds.items()):
        lines.append(f"{kind:22} {t.precision:6.3f} {t.recall:6.3f} {t.f1:6.3f} {t.tp:4} {t.fp:4} {t.fn:4}")
    o = report.overall
    lines.append(f"{'overall':22} {o.precision:6.3f} {o.recall:6.3f} {o.f1:6.3f} {o.tp:4} {o.fp:4} {o.fn:4}")
    lines.append("")
    lines.append("field accuracy on matched events:")
    for name, results in sorted(report.fields.items()):
        lines.append(f"  {name:10} {sum(results) / len(results):6.3f}  ({sum(results)}/{len(results)})")
    lines.append(f"relevance accuracy: {report.figures()['relevance.accuracy']:.3f}")
    if report.negatives_with_events:
        lines.append("hard negatives with events: " + ", ".join(report.negatives_with_events))
    if report.mismatches:
        lines.append("")
        lines.append("mismatches:")
        lines.extend(f"  {m}" for m in report.mismatches)
    return "\n".join(lines)


def format_real(figures: dict[str, float]) -> str:
    """The real corpus's figures, as its scorers name them."""
    lines = ["real corpus (../shared/eval/real, scored with its own rules):"]
    for name, value in figures.items():
        lines.append(f"  {name[len('real.') :]:32} {value:6.3f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    profile = load_profile(ROOT / "seeds" / "watch.toml")
    report = score_all(profile)
    figures = report.figures()
    real_figures = real.figures(profile) if real.available() else {}
    if args.json:
        print(json.dumps({**figures, **real_figures}, indent=2))
        return 0
    print("project corpora (seeds, web, written):")
    print(format_report(report))
    print()
    print(format_real(real_figures) if real_figures else "real corpus: ../shared/eval/real is not here; not measured")
    return 0


if __name__ == "__main__":
    sys.exit(main())
