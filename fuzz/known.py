"""Findings that are known and open, each with the regression test that records it as xfail: a case
that breaks one of these invariants of one of these targets is reported, not failed on. None today:
the extractor's two (a day no year has; time that grew with the square of the text) are fixed."""

from __future__ import annotations

KNOWN: dict[tuple[str, str], str] = {}
