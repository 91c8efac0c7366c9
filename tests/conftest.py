"""Shared fixtures. Prefect's real engine runs under one session-scoped test harness."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

from parsers.profile import WatchProfile, load_profile  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"
SEEDS_GOLD = SHARED / "eval" / "seeds-gold.jsonl"


def rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    """What an analyst would see: the query's rows, on a read-only connection."""
    import duckdb

    conn = duckdb.connect(str(db), read_only=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


@pytest.fixture(scope="session")
def profile() -> WatchProfile:
    return load_profile(SEEDS / "watch.toml")


@pytest.fixture(scope="session")
def seeds_gold() -> dict[str, dict[str, Any]]:
    if not SEEDS_GOLD.exists():
        pytest.skip("../shared/eval/seeds-gold.jsonl is not beside the project")
    from tests.eval.score import in_design_kinds

    lines = SEEDS_GOLD.read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line]
    # (The labels' online ministerial sessions are DESIGN's online calls: see `in_design_kinds`.)
    return {row["file"]: {**row, "events": [in_design_kinds(e) for e in row["events"]]} for row in rows}


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A private copy of the seed folder (the seed files and the watch profile)."""
    target = tmp_path / "seeds"
    target.mkdir()
    for path in SEEDS.glob("*.txt"):
        shutil.copy(path, target / path.name)
    return target
