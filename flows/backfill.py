"""`tradewatch backfill PATH`: load a folder (seed-format `.txt`, `.html`) or a JSONL file of
historical articles through the same parse, copy-finding, extract and merge path as a run.

Parsing, extraction and fingerprinting are pure (flows/parsing.py), so batches of them run on
local processes, or as Prefect tasks on a Dask cluster with `--dask ADDRESS` (prefect-dask's
DaskTaskRunner), while this flow stays the single writer: it stores each batch, one statement per
table, as its results come back, at most a few batches in flight."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from flows import steps
from flows.parallel import map_in_order
from flows.parsing import Parsed, RawInput, batches, iter_inputs, parse_batch
from parsers.fingerprint import article_key
from parsers.models import Extraction
from parsers.profile import load_profile
from warehouse import store
from warehouse.db import connect, transaction, writer_lock
from warehouse.dedupe import DedupeCache, dedupe_pending
from warehouse.merge import merge_pending
from warehouse.queries import facts_json

WRITER_MEMORY_MIB = 256
IN_FLIGHT = 4  # batches parsed ahead of the writer: bounds memory, keeps the workers busy

# How the CLI draws its progress bar. Not a flow parameter: Prefect records parameters and ships
# the run's context to Dask workers, and a terminal is neither serialisable nor theirs to touch.
_progress: Callable[[int], None] | None = None


def on_progress(callback: Callable[[int], None] | None) -> None:
    global _progress
    _progress = callback


def _advance(done: int) -> None:
    # Not in the flow's body: Prefect ships the flow's function, with the globals it names, to
    # Dask workers, and a progress bar drawing on a terminal does not travel.
    if _progress is not None:
        _progress(done)


@task(name="parse-batch", cache_policy=NO_CACHE)
def parse_batch_task(batch: list[RawInput], watch: Path) -> list[Parsed]:
    return parse_batch(batch, watch)


@dataclass
class BackfillReport:
    run_id: str
    inputs: int = 0
    articles_new: int = 0
    copies: int = 0
    mentions: int = 0
    events_new: int = 0
    problems: list[str] = field(default_factory=list)


def store_batch(
    conn: Any,
    parsed: list[Parsed],
    run_id: str,
    now: datetime,
    report: BackfillReport,
    cache: DedupeCache | None = None,
) -> None:
    """The single writer: articles, then copies found, then the extractions of the new originals.
    One statement per table for the whole batch."""
    stored = [item for item in parsed if item.article is not None and item.extraction is not None]
    sequence = report.inputs
    for item in parsed:
        report.inputs += 1
        report.problems += [f"{item.name}: {p.code}: {p.message}" for p in item.problems]
    with transaction(conn):
        store.save_raws(conn, [item.raw for item in stored], run_id, now)
        outcomes = store.save_articles(
            conn, [(item.article, item.raw.sha256) for item in stored if item.article], run_id, now, sequence=sequence
        )
        fresh: dict[str, Extraction] = {}
        for item, outcome in zip(stored, outcomes, strict=True):
            assert item.article is not None and item.extraction is not None
            report.articles_new += outcome in ("new", "duplicate")
            report.copies += outcome == "duplicate"
            if outcome in ("new", "updated"):
                fresh[item.article.url] = item.extraction
        known = {
            article_key(item.article.url): item.print
            for item in stored
            if item.article is not None and item.print is not None
        }
        report.copies += dedupe_pending(conn, known, cache).near_duplicates
        extractions = [
            (article_id, extraction)
            for article_id, article in store.pending_articles(conn)
            if (extraction := fresh.get(article.url)) is not None
        ]
        report.mentions += store.save_extractions(conn, extractions, steps.EXTRACTOR_VERSION, run_id, now)


PARSE_WITH = ("processes", "inline", "task_runner")


@flow(name="tradewatch-backfill", log_prints=False)
def backfill_flow(
    path: Path,
    db: Path,
    watch: Path,
    batch_size: int = 500,
    announce: bool = False,
    lock_wait_s: float = 600.0,
    parse_with: str = "processes",
    workers: int = 2,
) -> BackfillReport:
    """`parse_with`: "processes" (`workers` local processes), "inline" (this process), or
    "task_runner" (Prefect tasks on the flow's task runner: a Dask cluster)."""
    if parse_with not in PARSE_WITH:
        raise ValueError(f"parse_with must be one of {', '.join(PARSE_WITH)}, not {parse_with!r}")
    now = datetime.now(UTC)
    report = BackfillReport(run_id=store.new_run_id(now))
    cache = DedupeCache()
    with writer_lock(db, wait_s=lock_wait_s):
        conn = connect(db)
        # DuckDB would cache up to 80% of RAM; a backfill only appends, so a small cache costs
        # nothing and keeps the memory flat however large the warehouse grows.
        conn.execute(f"SET memory_limit = '{WRITER_MEMORY_MIB}MB'")
        conn.execute("SET checkpoint_threshold = '64MB'")  # fewer checkpoints, each rewriting less
        try:
            with transaction(conn):
                store.start_run(conn, report.run_id, "backfill", now)
            for parsed in _parsed(path, watch, batch_size, parse_with, workers):
                store_batch(conn, parsed, report.run_id, now, report, cache)
                _advance(len(parsed))
            with transaction(conn):
                merged = merge_pending(conn, report.run_id, now, load_profile(watch).geography)
                report.events_new = len(merged.events_new)
                if not announce:
                    _record_as_known(conn, report.run_id, merged.events_new, now)
                store.finish_run(
                    conn,
                    report.run_id,
                    datetime.now(UTC),
                    status="succeeded",
                    counts={
                        "articles_seen": report.inputs,
                        "articles_new": report.articles_new,
                        "articles_duplicate": report.copies,
                        "mentions_new": report.mentions,
                        "events_new": report.events_new,
                        "problems": len(report.problems),
                    },
                )
        finally:
            conn.close()
    return report


def _parsed(path: Path, watch: Path, batch_size: int, parse_with: str, workers: int) -> Iterator[list[Parsed]]:
    """The input's batches, parsed, in order, at most a few ahead of the writer."""
    items = batches(iter_inputs(path), batch_size)
    if parse_with == "task_runner":
        pending: deque[Any] = deque()
        for batch in items:
            pending.append(parse_batch_task.submit(batch, watch))
            if len(pending) >= IN_FLIGHT:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
        return
    yield from map_in_order(
        partial(parse_batch, watch=watch), items, workers=workers if parse_with == "processes" else 1
    )


def _record_as_known(conn: Any, run_id: str, event_ids: list[str], now: datetime) -> None:
    """History is not news: a backfill's events count as announced, by a digest that is not sent."""
    if not event_ids:
        return
    digest_id = f"d-backfill-{run_id}"
    conn.execute(
        """INSERT INTO digest_log (digest_id, run_id, created_at, event_ids, markdown, path, payload, updated_event_ids)
           VALUES (?, ?, ?, ?, ?, NULL, NULL, [])""",
        [digest_id, run_id, now, event_ids, f"(backfill {run_id}: {len(event_ids)} events recorded, not sent)"],
    )
    for event_id in event_ids:
        conn.execute(
            "UPDATE event SET digest_id = ?, announced_facts = ?, announced_at = ? WHERE event_id = ?",
            [digest_id, facts_json(conn, event_id), now, event_id],
        )
