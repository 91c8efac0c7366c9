"""Scheduled runs: the deployment `serve` registers, and one writer at a time (a served deployment's
triggered and scheduled runs: tests/test_serve.py)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from flows.pipeline import pipeline_run
from flows.serve import DEPLOYMENT, build_deployments
from flows.settings import Settings
from tests.conftest import ROOT, SEEDS
from warehouse.db import WarehouseBusy, writer_lock

pytestmark = pytest.mark.usefixtures("prefect_harness")


def settings(tmp_path: Path, seeds: Path) -> Settings:
    sources = tmp_path / "sources.toml"
    sources.write_text("# no sources: the seeds only\n", encoding="utf-8")
    return Settings(
        db=tmp_path / "w.duckdb",
        seeds=seeds,
        data_dir=tmp_path / "data",
        sources=sources,
        watch=SEEDS / "watch.toml",
        schedule_cron="*/30 6-22 * * *",
    )


def test_serve_registers_the_deployment_with_its_schedule(tmp_path, seeds_copy):
    from prefect.client.orchestration import get_client

    deployment = build_deployments(settings(tmp_path, seeds_copy))[0]
    deployment_id = deployment.apply()
    with get_client(sync_client=True) as client:
        registered = client.read_deployment(deployment_id)
    assert registered.name == DEPLOYMENT
    (schedule,) = registered.schedules
    assert schedule.schedule.cron == "*/30 6-22 * * *"
    assert schedule.schedule.timezone == "Asia/Ho_Chi_Minh"
    assert registered.parameters["trigger"] == "schedule"
    # One writer at a time is the warehouse's file lock; Prefect's limit lost its slot (flows/serve.py).
    assert registered.global_concurrency_limit is None


HOLD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from warehouse.db import writer_lock
    with writer_lock(Path(sys.argv[1]), wait_s=5):
        print("holding", flush=True)
        time.sleep(float(sys.argv[2]))
    """
)


def hold_lock(db: Path, seconds: float) -> subprocess.Popen[str]:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db), str(seconds)], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
    return holder


def test_an_overlapping_run_waits_for_the_first_to_finish(tmp_path, seeds_copy):
    db = tmp_path / "w.duckdb"
    holder = hold_lock(db, 2.0)
    started = time.monotonic()
    summary = pipeline_run(
        db=db, seeds=seeds_copy, watch=SEEDS / "watch.toml", data_dir=tmp_path / "data", trigger="test"
    )
    waited = time.monotonic() - started
    assert holder.wait(timeout=30) == 0
    assert waited >= 1.5 and len(summary.events_new) == 11


def test_a_run_that_cannot_get_the_lock_in_time_writes_nothing(tmp_path):
    db = tmp_path / "w.duckdb"
    holder = hold_lock(db, 3.0)
    try:
        with pytest.raises(WarehouseBusy, match="TRADEWATCH_LOCK_WAIT_S"), writer_lock(db, wait_s=0.5, poll_s=0.1):
            pass
    finally:
        holder.wait(timeout=30)
    assert not db.exists()
