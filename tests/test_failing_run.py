"""A run that fails ends with one clear line, and nothing after it (issue 14, item 6): no
"nanobind: leaked ..." lines from DuckDB objects still alive when the interpreter exits."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEEDS

pytestmark = pytest.mark.usefixtures("prefect_harness")


def failing_run(tmp_path: Path, db: Path, **env: str) -> subprocess.CompletedProcess[str]:
    from prefect.settings import PREFECT_API_URL

    seeds = tmp_path / "seeds"
    seeds.mkdir(exist_ok=True)
    (seeds / "a.txt").write_bytes((SEEDS / "000_1fb59537245cd6df.txt").read_bytes())
    return subprocess.run(
        [sys.executable, "-m", "tradewatch", "run", "--no-feeds", "--db", str(db), "--seeds", str(seeds)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        # The harness's server: the run need not start a temporary one of its own.
        env={**os.environ, "PREFECT_API_URL": str(PREFECT_API_URL.value()), **env},
    )


def test_a_run_that_breaks_half_way_ends_with_its_error(tmp_path):
    """The digest cannot be written: the warehouse is open and the steps before have run."""
    result = failing_run(tmp_path, tmp_path / "w.duckdb", TRADEWATCH_DATA_DIR="/proc/tradewatch-nowhere")
    assert result.returncode == 1
    last = [line for line in result.stderr.splitlines() if line.strip()][-1]
    assert last == "tradewatch: the run failed: FileNotFoundError: [Errno 2] No such file or directory: " + (
        "'/proc/tradewatch-nowhere'"
    )
    assert "nanobind" not in result.stderr
