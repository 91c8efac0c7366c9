"""The pipeline flow: ingest seeds -> extract -> merge -> digest, one Prefect task per step.

Tasks are batch-sized (one per step, never one per article): each task run costs Prefect
tens of milliseconds. Nothing here is cached: every input is read fresh on every run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.tasks import exponential_backoff

from delivery.render import event_title, format_dates
from fetch.http import Fetcher
from flows import polling, steps
from flows.settings import Settings
from parsers.digest import Digest
from parsers.geography import Geography
from parsers.profile import WatchProfile, load_profile
from parsers.registry import parse_registry
from warehouse import store
from warehouse.db import connect, transaction, writer_lock
from warehouse.dedupe import DedupeReport
from warehouse.merge import MergeResult

# Retries for the tasks that wait on the network, and only for them. They retry whole batches,
# which is safe because every step is idempotent; per-request retries happen below, in fetch/.
IO_RETRIES: dict[str, Any] = {
    "retries": 2,
    "retry_delay_seconds": exponential_backoff(backoff_factor=10),
    "retry_jitter_factor": 0.5,
}


@dataclass
class RunSummary:
    run_id: str
    articles_seen: int = 0
    articles_new: int = 0
    articles_updated: int = 0
    articles_duplicate: int = 0
    articles_extracted: int = 0
    articles_relevant: int = 0
    mentions_new: int = 0
    events_new: list[str] = field(default_factory=list)
    events_updated: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    digest_id: str | None = None
    digest_path: Path | None = None
    digest_markdown: str | None = None
    deliveries: list[steps.DeliveryReport] = field(default_factory=list)
    poll: polling.PollReport | None = None
    pages: polling.PageReport | None = None
    abandoned_runs: int = 0

    def counts(self) -> dict[str, int]:
        return {
            "articles_seen": self.articles_seen,
            "articles_new": self.articles_new,
            "articles_updated": self.articles_updated,
            "articles_duplicate": self.articles_duplicate,
            "mentions_new": self.mentions_new,
            "events_new": len(self.events_new),
            "events_updated": len(self.events_updated),
            "problems": len(self.problems),
        }


@task(name="ingest-seeds", cache_policy=NO_CACHE)
def ingest_seeds_task(db: Path, seeds: Path, run_id: str) -> steps.IngestCounts:
    with connect(db) as conn:
        return steps.ingest_seeds(conn, seeds, run_id, datetime.now(UTC))


@task(name="poll-sources", cache_policy=NO_CACHE, timeout_seconds=1800, **IO_RETRIES)
def poll_task(db: Path, sources: Path, watch: Path, run_id: str) -> polling.PollReport:
    registry = parse_registry(sources.read_text(encoding="utf-8"))
    with connect(db) as conn, Fetcher(Settings().fetch_policy()) as fetcher:
        return polling.poll_sources(conn, registry, fetcher, load_profile(watch), run_id, polling.utc_now)


@task(name="fetch-pages", cache_policy=NO_CACHE, timeout_seconds=1800, **IO_RETRIES)
def pages_task(db: Path, run_id: str) -> polling.PageReport:
    with connect(db) as conn, Fetcher(Settings().fetch_policy()) as fetcher:
        return polling.fetch_pages(conn, fetcher, run_id, polling.utc_now)


@task(name="find-copies", cache_policy=NO_CACHE)
def dedupe_task(db: Path) -> DedupeReport:
    with connect(db) as conn:
        return steps.dedupe(conn)


@task(name="extract-events", cache_policy=NO_CACHE)
def extract_task(db: Path, watch: Path, run_id: str) -> steps.ExtractCounts:
    profile = load_profile(watch)
    with connect(db) as conn:
        return steps.extract_pending(conn, profile, run_id, datetime.now(UTC), batch_size=Settings().extract_batch_size)


@task(name="merge-events", cache_policy=NO_CACHE)
def merge_task(db: Path, geography: Geography, run_id: str) -> MergeResult:
    with connect(db) as conn:
        return steps.merge_events(conn, run_id, datetime.now(UTC), geography)


@task(name="build-digest", cache_policy=NO_CACHE)
def digest_task(db: Path, watch_name: str, data_dir: Path, run_id: str) -> tuple[Digest, str, Path] | None:
    channels = Settings().channels()  # secrets come from the environment, never as parameters
    with connect(db) as conn:
        now = datetime.now(UTC)
        digest = steps.build_digest(conn, watch_name, now)
        if digest is None:
            return None
        markdown, path = steps.publish_digest(conn, digest, data_dir, run_id, now, channels)
        return digest, markdown, path


@task(name="deliver-digests", cache_policy=NO_CACHE, timeout_seconds=900, **IO_RETRIES)
def deliver_task(db: Path) -> list[steps.DeliveryReport]:
    with connect(db) as conn:
        return steps.deliver_outbox(conn, Settings().channels(), lambda: datetime.now(UTC))


def summary_markdown(summary: RunSummary, new_events: Digest | None) -> str:
    lines = [f"# tradewatch run `{summary.run_id}`", "", "| stage | count |", "|---|---:|"]
    lines += [f"| {name.replace('_', ' ')} | {value} |" for name, value in summary.counts().items()]
    if new_events is not None:
        lines += ["", "## New events", ""]
        lines += [
            f"- {event_title(e)} — {format_dates(e.start_text, e.end_text)}{', ' + e.location if e.location else ''}"
            for e in new_events.events
        ]
    if summary.deliveries:
        lines += ["", "## Deliveries", ""] + [
            f"- {d.channel} `{d.digest_id}`: {'sent' if d.ok else 'failed: ' + str(d.error)} ({d.attempts} attempts)"
            for d in summary.deliveries
        ]
    if summary.problems:
        lines += ["", "## Problems", ""] + [f"- {p}" for p in summary.problems]
    return "\n".join(lines)


@flow(name="tradewatch-run", log_prints=False)
def pipeline_run(
    db: Path,
    seeds: Path,
    watch: Path,
    data_dir: Path,
    deliver: bool = True,
    trigger: str = "cli",
    sources: Path | None = None,
) -> RunSummary:
    """One full run, holding the warehouse's writer lock throughout: an overlapping run waits."""
    now = datetime.now(UTC)
    summary = RunSummary(run_id=store.new_run_id(now))
    profile = load_profile(watch)
    with writer_lock(db, wait_s=Settings().lock_wait_s):
        return _run(db, seeds, watch, data_dir, deliver, trigger, sources, summary, profile, now)


def _run(
    db: Path,
    seeds: Path,
    watch: Path,
    data_dir: Path,
    deliver: bool,
    trigger: str,
    sources: Path | None,
    summary: RunSummary,
    profile: WatchProfile,
    now: datetime,
) -> RunSummary:
    logger = get_run_logger()
    lock: duckdb.DuckDBPyConnection = connect(db)
    try:
        with transaction(lock):
            summary.abandoned_runs = store.start_run(lock, summary.run_id, trigger, now)
        if summary.abandoned_runs:
            logger.warning("%d earlier run(s) did not finish; their work is picked up now", summary.abandoned_runs)
        try:
            ingested = ingest_seeds_task(db, seeds, summary.run_id)
            summary.articles_seen = ingested.seen
            summary.articles_new = ingested.outcomes["new"]
            summary.articles_updated = ingested.outcomes["updated"]
            summary.articles_duplicate = ingested.outcomes["duplicate"]
            summary.problems += [f"{subject}: {p.code}: {p.message}" for subject, p in ingested.problems]
            if sources is not None:
                summary.poll = poll_task(db, sources, watch, summary.run_id)
                summary.pages = pages_task(db, summary.run_id)
                summary.articles_seen += summary.poll.new_items
                summary.articles_new += summary.pages.outcomes.get("new", 0)
                summary.articles_updated += summary.pages.outcomes.get("updated", 0)
                summary.articles_duplicate += summary.pages.outcomes.get("duplicate", 0)
                summary.problems += [f"{sid}: {why}" for sid, why in summary.poll.failed.items()]
            copies = dedupe_task(db)
            summary.articles_duplicate += copies.near_duplicates
            extracted = extract_task(db, watch, summary.run_id)
            summary.articles_extracted, summary.articles_relevant = extracted.articles, extracted.relevant
            summary.mentions_new = extracted.mentions
            merged = merge_task(db, profile.geography, summary.run_id)
            summary.events_new, summary.events_updated = merged.events_new, merged.events_updated
            digest = None
            if deliver:
                published = digest_task(db, profile.name, data_dir, summary.run_id)
                if published is not None:
                    digest, summary.digest_markdown, summary.digest_path = published
                    summary.digest_id = digest.digest_id
                # Also what an earlier outage or crash left in the outbox.
                summary.deliveries = deliver_task(db)
        except Exception as exc:
            with transaction(lock):
                store.finish_run(
                    lock,
                    summary.run_id,
                    datetime.now(UTC),
                    status="failed",
                    counts=summary.counts(),
                    error=f"{type(exc).__name__}: {exc}",
                )
            raise
        with transaction(lock):
            store.finish_run(
                lock,
                summary.run_id,
                datetime.now(UTC),
                status="succeeded",
                counts=summary.counts(),
                digest_id=summary.digest_id,
            )
    finally:
        lock.close()
    create_markdown_artifact(
        markdown=summary_markdown(summary, digest),
        key="tradewatch-run-summary",
        description="Counts per stage and the new events of this run",
    )
    logger.info(
        "run %s: %d articles seen, %d new, %d new events",
        summary.run_id,
        summary.articles_seen,
        summary.articles_new,
        len(summary.events_new),
    )
    return summary


def run_once(settings: Settings, *, deliver: bool = True, trigger: str = "cli", feeds: bool = True) -> RunSummary:
    return pipeline_run(
        db=settings.db,
        seeds=settings.seeds,
        watch=settings.watch,
        data_dir=settings.data_dir,
        deliver=deliver,
        trigger=trigger,
        sources=settings.sources if feeds else None,
    )
