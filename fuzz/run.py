"""The fuzz loop: seeded cases over the targets, findings written to disk with how to reproduce them."""

from __future__ import annotations

import argparse
import os
import random
import signal
import sys
import time
import traceback
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from fuzz.corpus import ROOT, Corpus, load_corpus
from fuzz.known import KNOWN
from fuzz.mutate import HOSTILE_URLS, mutate
from fuzz.targets import TARGETS, Broken, Target, sql_seeds

CASE_LIMIT_S = 60  # a case still running after this is stopped, and is a finding
# A case that takes longer than this is timed again on the first half of its input: work that grows
# linearly takes half the time, work that grows with the square of the input (a regular expression
# tried again from every position) a quarter. A ratio, not a fixed budget: feedparser reads 1 MB in
# 5 s on an idle machine and 30 s on a busy one, linearly.
SLOW_S = 5.0
QUADRATIC_RATIO = 3.2


@dataclass(frozen=True)
class Finding:
    target: str
    invariant: str
    seed: int
    case: int
    mutations: tuple[str, ...]
    detail: str
    data: bytes
    targets: tuple[str, ...] = ()  # the --target choice the case numbers count in (empty: all)

    @property
    def known(self) -> str | None:
        return KNOWN.get((self.target, self.invariant))

    def reproduce(self) -> str:
        chosen = "".join(f" --target {name}" for name in self.targets)
        return f"python -m fuzz --seed {self.seed} --case {self.case}{chosen}"


@dataclass
class Report:
    cases: Counter[str] = field(default_factory=Counter)
    findings: list[Finding] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def new(self) -> list[Finding]:
        return [f for f in self.findings if f.known is None]


class _TooSlow(Exception):
    pass


@contextmanager
def _limit(seconds: int) -> Iterator[None]:
    def stop(signum: int, frame: FrameType | None) -> None:
        raise _TooSlow

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def seeds_for(target: Target, corpus: Corpus) -> list[bytes]:
    found = corpus.of(target.corpus)
    if target.name == "sql":
        return found + sql_seeds()
    if target.name == "url":
        return found + HOSTILE_URLS
    return found


def case_input(target: Target, corpus: Corpus, seed: int, case: int) -> tuple[bytes, tuple[str, ...]]:
    """The input of case `case` of `seed`: the same on every machine with the same corpus."""
    rng = random.Random(f"{seed}:{case}:input")
    pool = seeds_for(target, corpus)
    data, applied = mutate(rng.choice(pool), rng, pool)
    return data[: target.max_bytes], tuple(applied)


def _timed(target: Target, data: bytes, rng: random.Random) -> float:
    started = time.monotonic()
    with _limit(CASE_LIMIT_S):
        target.check(data, rng)
    return time.monotonic() - started


def check(target: Target, data: bytes, seed: int, case: int) -> tuple[str, str] | None:
    """(invariant, detail) if the target breaks on `data`, else None."""
    try:
        elapsed = _timed(target, data, random.Random(f"{seed}:{case}:check"))
    except Broken as broken:
        return broken.invariant, str(broken)
    except _TooSlow:
        return "finishes in time", f"still running after {CASE_LIMIT_S} s"
    except Exception as exc:
        return "does not raise", "".join(traceback.format_exception(exc)[-6:])
    if elapsed <= SLOW_S:
        return None
    try:
        half = _timed(target, data[: len(data) // 2], random.Random(f"{seed}:{case}:check"))
    except Exception:
        return None  # the first half is another input; only the whole one is this case
    if elapsed > QUADRATIC_RATIO * max(half, 0.05):
        return "finishes in time", f"{elapsed:.1f} s on {len(data)} bytes, {half:.1f} s on the first half"
    return None


def target_named(name: str) -> Target:
    return next(t for t in TARGETS if t.name == name)


def fuzz(
    cases: int,
    seed: int,
    *,
    corpus: Corpus | None = None,
    targets: list[Target] | None = None,
    findings_dir: Path | None = None,
    progress: bool = False,
) -> Report:
    corpus = corpus or load_corpus()
    targets = [t for t in (targets or TARGETS) if seeds_for(t, corpus)]
    report = Report()
    started = time.monotonic()
    for case in range(cases):
        target = targets[case % len(targets)]
        data, applied = case_input(target, corpus, seed, case)
        report.cases[target.name] += 1
        broken = check(target, data, seed, case)
        if broken is not None:
            chosen = tuple(t.name for t in targets) if len(targets) < len(TARGETS) else ()
            finding = Finding(target.name, broken[0], seed, case, applied, broken[1], data, chosen)
            report.findings.append(finding)
            if findings_dir is not None:
                save(finding, findings_dir)
        if progress and (case + 1) % 500 == 0:
            print(f"  {case + 1} cases, {len(report.findings)} findings", file=sys.stderr, flush=True)
    report.seconds = time.monotonic() - started
    return report


def save(finding: Finding, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    stem = folder / f"{finding.target}-{finding.seed}-{finding.case}"
    stem.with_suffix(".bin").write_bytes(finding.data)
    stem.with_suffix(".txt").write_text(
        f"target: {finding.target}\ninvariant: {finding.invariant}\nmutations: {', '.join(finding.mutations)}\n"
        f"reproduce: {finding.reproduce()}\n\n{finding.detail}\n",
        encoding="utf-8",
    )


def summary(report: Report, seed: int) -> str:
    lines = [
        f"fuzz: {sum(report.cases.values())} cases (seed {seed}) in {report.seconds:.0f} s: "
        + ", ".join(f"{name} {n}" for name, n in sorted(report.cases.items()))
    ]
    groups: dict[tuple[str, str], list[Finding]] = {}
    for finding in report.findings:
        groups.setdefault((finding.target, finding.invariant), []).append(finding)
    for (target, invariant), found in sorted(groups.items()):
        first = found[0]
        status = f"known: {first.known}" if first.known else "NEW"
        lines.append(f"- {target}: {invariant} — {len(found)} case(s), {status}")
        lines.append(f"    first: {first.reproduce()} (mutations: {', '.join(first.mutations)})")
        lines.append("    " + first.detail.strip().replace("\n", "\n    ")[:1500])
    if not report.findings:
        lines.append("no findings")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fuzz", description=__doc__)
    parser.add_argument("--cases", type=int, default=int(os.environ.get("FUZZ_CASES", "10000")))
    parser.add_argument("--seed", type=int, default=int(os.environ.get("FUZZ_SEED", "1")))
    parser.add_argument("--case", type=int, help="run this one case of --seed only, and show its input")
    parser.add_argument("--target", action="append", help="only these targets (repeatable)")
    parser.add_argument("--findings", type=Path, default=ROOT / "data" / "fuzz", help="where inputs that fail go")
    args = parser.parse_args(argv)
    corpus = load_corpus()
    print("fuzz corpus: " + "; ".join(corpus.sources), file=sys.stderr)
    chosen = [target_named(n) for n in args.target] if args.target else None
    if args.case is not None:
        # The case numbers of a run count in the targets it was given, as `fuzz` does.
        targets = [t for t in (chosen or TARGETS) if seeds_for(t, corpus)]
        target = targets[args.case % len(targets)]
        data, applied = case_input(target, corpus, args.seed, args.case)
        print(f"target {target.name}, mutations {', '.join(applied)}, {len(data)} bytes: {data[:2000]!r}")
        broken = check(target, data, args.seed, args.case)
        print("ok" if broken is None else f"{broken[0]}\n{broken[1]}")
        return 0 if broken is None else 1
    report = fuzz(args.cases, args.seed, corpus=corpus, targets=chosen, findings_dir=args.findings, progress=True)
    print(summary(report, args.seed))
    return 1 if report.new else 0
