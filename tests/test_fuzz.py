"""`make fuzz` in small (issue 14, item 2): a few seeded cases of every target on every test run,
so that a parser that starts to raise or to break an invariant on mutated real input fails here.
The full budget is `make fuzz` (10,000 cases); the cases that found bugs are regression tests in
tests/test_fuzz_regressions.py."""

from __future__ import annotations

import random

import pytest

from fuzz.corpus import load_corpus
from fuzz.known import KNOWN
from fuzz.run import case_input, fuzz, summary, target_named
from fuzz.targets import TARGETS

CASES_PER_TARGET = 6
SEED = 20261129  # fixed: the suite is the same on every run; `make fuzz FUZZ_SEED=...` explores


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


def test_a_short_fuzz_run_finds_nothing_new(corpus):
    report = fuzz(CASES_PER_TARGET * len(TARGETS), SEED, corpus=corpus)
    assert sum(report.cases.values()) == CASES_PER_TARGET * len(TARGETS)
    assert report.new == [], summary(report, SEED)


def test_every_target_has_real_inputs_to_start_from(corpus):
    for target in TARGETS:
        assert corpus.of(target.corpus) or target.name == "sql", target.name


def test_a_case_is_the_same_input_wherever_it_runs(corpus):
    page = target_named("page")
    assert case_input(page, corpus, 7, 123) == case_input(page, corpus, 7, 123)
    assert case_input(page, corpus, 7, 123) != case_input(page, corpus, 8, 123)


def test_the_invariants_can_fail(corpus, monkeypatch):
    """An invariant nothing can break proves nothing: each check rejects a wrong answer."""
    from dataclasses import replace

    import parsers.events
    from fuzz.targets import Broken, check_canonical, events_target

    assert check_canonical("http://[::1") is None  # refused as unparseable, not a crash
    assert check_canonical("https://www.example.vn/a/amp") == "https://example.vn/a"
    real = parsers.events.extract_events

    def misquoting(article, profile):  # type: ignore[no-untyped-def]
        extraction = real(article, profile)
        wrong = tuple(replace(e, evidence=e.evidence + " (not in the text)") for e in extraction.events)
        assert wrong, "the seed article reports events"
        return replace(extraction, events=wrong)

    monkeypatch.setattr(parsers.events, "extract_events", misquoting)
    seed = next(t for t in corpus.texts if "đàm phán".encode() in t)
    with pytest.raises(Broken, match="evidence occurs in the article text"):
        events_target(seed, random.Random(0))


def test_known_findings_name_a_target_and_a_regression_test():
    names = {t.name for t in TARGETS}
    for (target, _invariant), note in KNOWN.items():
        assert target in names and "test_fuzz_regressions.py::" in note


def test_work_that_grows_with_the_square_of_the_input_is_found(monkeypatch):
    import fuzz.run
    from fuzz.targets import Target

    monkeypatch.setattr(fuzz.run, "SLOW_S", 0.05)
    # The targets' work is counted on a clock of their own: what the check decides must not depend
    # on how busy the machine running the suite is.
    clock = [0.0]
    monkeypatch.setattr(fuzz.run.time, "monotonic", lambda: clock[0])

    def quadratic(data: bytes, rng: random.Random) -> None:
        clock[0] += len(data) ** 2 * 1e-7

    def linear(data: bytes, rng: random.Random) -> None:
        clock[0] += 40 * len(data) * 1e-7

    data = b"x" * 3000
    slow = fuzz.run.check(Target("quadratic", "texts", quadratic), data, 0, 0)
    assert slow is not None and slow[0] == "finishes in time"
    assert fuzz.run.check(Target("linear", "texts", linear), b"x" * 60_000, 0, 0) is None
