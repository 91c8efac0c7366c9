"""`tradewatch serve` for real (issue 14, item 4): the command starts its own Prefect server on a
free loopback port and serves the deployment; a run triggered through the API (what the UI's "Run"
button does) and a run the scheduler would insert both complete, one after the other on the
warehouse's lock, each with its `tradewatch-run-summary` artifact."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from flows.serve import DEPLOYMENT, prefect_api
from tests.conftest import ROOT, SEEDS, rows
from tests.servers import free_port

NAME = f"tradewatch-run/{DEPLOYMENT}"
FINAL = ("COMPLETED", "FAILED", "CANCELLED", "CRASHED")


@pytest.fixture
def served(tmp_path: Path, seeds_copy: Path) -> Iterator[str]:
    """`tradewatch serve` in a process of its own, as under systemd; yields its Prefect API URL."""
    port = free_port()
    sources = tmp_path / "sources.toml"
    sources.write_text("# no sources: the seeds only\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "TRADEWATCH_"))}
    env.update(
        PREFECT_HOME=str(tmp_path / "prefect"),
        PREFECT_SERVER_API_HOST="127.0.0.1",
        PREFECT_SERVER_API_PORT=str(port),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_UI_ENABLED="false",
        PREFECT_RUNNER_POLL_FREQUENCY="1",  # pick a triggered run up within a second, not ten
        TRADEWATCH_DB=str(tmp_path / "w.duckdb"),
        TRADEWATCH_SEEDS=str(seeds_copy),
        TRADEWATCH_SOURCES=str(sources),
        TRADEWATCH_WATCH=str(SEEDS / "watch.toml"),
        TRADEWATCH_DATA_DIR=str(tmp_path / "data"),
        TRADEWATCH_SCHEDULE_CRON="0 0 1 1 *",  # the test inserts the scheduled run itself
    )
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "tradewatch", "serve"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its Prefect server is its child: stopped with it
    )
    try:
        yield f"http://127.0.0.1:{port}/api"
    finally:
        process.send_signal(signal.SIGINT)  # Ctrl-C: serve stops, then stops its server
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
        log.close()


def wait_for(what: str, check: Any, timeout_s: float, log: Path) -> Any:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            found = check()
        except Exception:  # the server is still starting: connection refused, 404
            found = None
        if found:
            return found
        time.sleep(0.5)
    pytest.fail(f"{what}: not within {timeout_s:g} s\n{log.read_text()[-3000:]}")


def test_a_triggered_and_a_scheduled_run_of_the_served_deployment_complete(served, tmp_path):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL, temporary_settings
    from prefect.states import Scheduled

    log = tmp_path / "serve.log"
    with temporary_settings(updates={PREFECT_API_URL: served}), get_client(sync_client=True) as client:
        deployment = wait_for("the deployment is served", lambda: client.read_deployment_by_name(NAME), 180, log)
        triggered = run_deployment(name=NAME, timeout=0)  # the UI's "Run" button
        # What the scheduler inserts when a cron tick comes due.
        scheduled = client.create_flow_run_from_deployment(
            deployment.id, state=Scheduled(scheduled_time=datetime.now(UTC))
        )
        ids = [triggered.id, scheduled.id]

        def finished() -> list[Any] | None:
            runs = [client.read_flow_run(i) for i in ids]
            return runs if all(r.state is not None and r.state.type.value in FINAL for r in runs) else None

        runs = wait_for("both runs finish", finished, 180, log)
        for run in runs:
            assert run.state.is_completed(), (run.state, run.state.message, log.read_text()[-3000:])
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["tradewatch-run-summary"]))
        )
    assert sorted(str(a.flow_run_id) for a in artifacts) == sorted(str(i) for i in ids)
    assert any("| events new | 11 |" in (a.data or "") for a in artifacts)
    # One writer at a time: the second waited for the first, then found nothing new.
    assert rows(tmp_path / "w.duckdb", "SELECT trigger, status, events_new FROM runs ORDER BY started_at") == [
        ("schedule", "succeeded", 11),
        ("schedule", "succeeded", 0),
    ]


def test_serve_talks_to_the_server_it_started_though_prefect_is_already_imported(monkeypatch):
    """The cause of the cancelled runs: PREFECT_API_URL set after Prefect read its settings."""
    from prefect.settings import get_current_settings

    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:8/api")  # and undone after the test
    url = "http://127.0.0.1:9/api"
    before = get_current_settings().api.url
    with prefect_api(url):
        assert get_current_settings().api.url == url and os.environ["PREFECT_API_URL"] == url
    assert get_current_settings().api.url == before
