"""`tradewatch serve`: the pipeline as a Prefect deployment on a cron schedule, served by one
long-running process. Prefect cannot schedule on its temporary in-process server, so without
PREFECT_API_URL a local Prefect server is started (and stopped on exit): one command gives the
schedule and the UI at http://127.0.0.1:4200."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron

from flows.pipeline import pipeline_run
from flows.settings import Settings

LOGGER = logging.getLogger(__name__)
DEPLOYMENT = "scheduled"
LOCAL_API = "http://127.0.0.1:4200/api"


def build_deployments(settings: Settings) -> list[RunnerDeployment]:
    """The deployments `serve` runs: the full pipeline on the configured schedule."""
    deployment = pipeline_run.to_deployment(
        name=DEPLOYMENT,
        schedule=Cron(settings.schedule_cron, timezone=settings.schedule_timezone),
        concurrency_limit=1,  # Prefect queues a run while the last one works (the file lock does too)
        parameters={
            "db": str(settings.db.resolve()),
            "seeds": str(settings.seeds.resolve()),
            "watch": str(settings.watch.resolve()),
            "data_dir": str(settings.data_dir.resolve()),
            "sources": str(settings.sources.resolve()),
            "trigger": "schedule",
        },
        description="Poll the sources, extract and merge events, deliver the digest.",
        tags=["tradewatch"],
    )
    assert isinstance(deployment, RunnerDeployment)  # to_deployment is sync here
    return [deployment]


def _healthy(api_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


@contextmanager
def local_prefect_server(api_url: str = LOCAL_API, wait_s: float = 120.0) -> Iterator[str]:
    """Start `prefect server start` on loopback for as long as the block runs."""
    if _healthy(api_url):
        LOGGER.info("a Prefect server already answers at %s", api_url)
        yield api_url
        return
    host, port = api_url.split("//", 1)[1].split("/", 1)[0].split(":")
    process = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", host, "--port", port],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"},
    )
    try:
        deadline = time.monotonic() + wait_s
        while not _healthy(api_url):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the local Prefect server did not start at {api_url}")
            time.sleep(0.5)
        yield api_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def serve_forever(settings: Settings) -> None:
    """Register the deployments and run them on schedule until interrupted."""
    from prefect import serve

    serve(*build_deployments(settings))
