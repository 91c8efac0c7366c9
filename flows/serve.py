"""`tradewatch serve`: the pipeline as a Prefect deployment on a cron schedule, served by one
long-running process. Prefect cannot schedule on its temporary in-process server, so without
PREFECT_API_URL a local Prefect server is started (and stopped on exit): one command gives the
schedule and the UI at http://127.0.0.1:4200 (PREFECT_SERVER_API_HOST and _PORT move it).

The deployment has no Prefect concurrency limit. One writer at a time is the warehouse's file lock
(`warehouse.db.writer_lock`), which queues an overlapping run. Prefect's deployment limit keeps
its slot leases in the server's memory: a server restarted while a run held the slot (as
`serve`'s own local server is, every time `serve` restarts) leaves the slot taken for good, and
every later run waits for it forever."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext

from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron

from flows.pipeline import pipeline_run
from flows.settings import Settings

LOGGER = logging.getLogger(__name__)
DEPLOYMENT = "scheduled"


def local_api_url() -> str:
    """Where `serve` starts its own Prefect server: Prefect's PREFECT_SERVER_API_HOST and
    PREFECT_SERVER_API_PORT (127.0.0.1:4200 unless set)."""
    from prefect.settings import get_current_settings

    api = get_current_settings().server.api
    return f"http://{api.host}:{api.port}/api"


def build_deployments(settings: Settings) -> list[RunnerDeployment]:
    """The deployments `serve` runs: the full pipeline on the configured schedule."""
    deployment = pipeline_run.to_deployment(
        name=DEPLOYMENT,
        schedule=Cron(settings.schedule_cron, timezone=settings.schedule_timezone),
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
def local_prefect_server(api_url: str, wait_s: float = 120.0) -> Iterator[str]:
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


@contextmanager
def prefect_api(api_url: str) -> Iterator[None]:
    """Talk to the Prefect API at `api_url`, in this process and in those it starts.

    Setting PREFECT_API_URL in the environment is not enough once Prefect is imported: its
    settings were read then, and `serve` would go on talking to a temporary in-process server of
    its own, on the same database, while the runs it starts talk to `api_url`. Each server then
    held half of what a run needs (the runner's Pending in one, the run's Running in the other):
    with a deployment concurrency limit, runs triggered from the UI were cancelled ("Deployment
    concurrency slot lost during provisioning")."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    os.environ["PREFECT_API_URL"] = api_url  # for the processes the runner starts
    with temporary_settings(updates={PREFECT_API_URL: api_url}):
        yield


def serve_forever(settings: Settings, api_url: str | None = None) -> None:
    """Register the deployments and run them on schedule until interrupted, against the Prefect
    API at `api_url` (else the configured one)."""
    from prefect import serve

    with prefect_api(api_url) if api_url is not None else nullcontext():
        serve(*build_deployments(settings))
