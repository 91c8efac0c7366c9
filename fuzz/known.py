"""Findings that are known and open: bugs in files this fuzzer's owners may not change (the event
extractor is being rewritten), each with the regression test that records it as xfail. A case
that breaks one of these invariants of one of these targets is reported, not failed on."""

from __future__ import annotations

_NO_SUCH_DAY = (
    "a day no year has (31/4, 30/2) is taken for a date without a year, and given one later: "
    "tests/test_fuzz_regressions.py::test_a_day_no_year_has_is_no_date"
)

KNOWN: dict[tuple[str, str], str] = {
    ("events", "finishes in time"): (
        "extraction time grows with the square of the text (consolidate's groups, find_dates' overlap test): "
        "tests/test_fuzz_regressions.py::test_finding_dates_takes_linear_time"
    ),
    ("dates", "finishes in time"): (
        "find_dates tests each match against every date already taken: 700 KB of feed dates ran over a minute: "
        "tests/test_fuzz_regressions.py::test_finding_dates_takes_linear_time"
    ),
    ("dates", "dates found are valid dates"): _NO_SUCH_DAY,
    ("dates", "resolved dates are valid dates"): _NO_SUCH_DAY,
    ("events", "event dates are valid dates"): _NO_SUCH_DAY,
}
