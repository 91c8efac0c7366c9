"""`tradewatch backfill PATH`: load a folder (seed-format `.txt`, `.html`) or a JSONL file of
historical articles through the same parse, copy-finding, extract and merge path as a run.

Parsing and extraction are pure, so batches of them run as Prefect tasks — on a Dask cluster
with `--dask ADDRESS` (prefect-dask's DaskTaskRunner) — while this flow stays the single writer:
it stores each batch as its results come back, at most a few batches in flight."""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path, PurePath
from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from flows import steps
from flows.parallel import map_in_order
from parsers.events import extract_events
from parsers.fingerprint import content_hash, sha256_hex
from parsers.inputs import parse_input_file
from parsers.models import Article, Extraction, Problem
from parsers.neardup import Fingerprint, fingerprint
from parsers.page import parse_article_page
from parsers.profile import load_profile
from parsers.seedfile import guess_language
from parsers.text import clean
from warehouse import store
from warehouse.db import connect, transaction, writer_lock
from warehouse.dedupe import DedupeCache, dedupe_pending
from warehouse.merge import merge_pending
from warehouse.queries import facts_json

WRITER_MEMORY_MIB = 384
IN_FLIGHT = 4  # batches parsed ahead of the writer: bounds memory, keeps the workers busy

# How the CLI draws its progress bar. Not a flow parameter: Prefect records parameters and ships
# the run's context to Dask workers, and a terminal is neither serialisable nor theirs to touch.
_progress: Callable[[int], None] | None = None


def on_progress(callback: Callable[[int], None] | None) -> None:
    global _progress
    _progress = callback


@dataclass(frozen=True)
class RawInput:
    name: str  # file name or "<file>#<line>"
    raw: bytes
    kind: str  # "file" | "record"


def iter_inputs(path: Path) -> Iterator[RawInput]:
    """Every input under `path`, in a stable order, without reading it all at once."""
    if path.is_dir():
        for child in sorted(p for p in path.rglob("*") if p.suffix.lower() in (".txt", ".html", ".htm")):
            yield RawInput(str(child.relative_to(path)), child.read_bytes(), "file")
        return
    with path.open("rb") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                yield RawInput(f"{path.name}#{number}", line, "record")


MAX_BATCH_BYTES = 24 * 2**20  # pages are 100 KB or more: a batch is bounded by its bytes too


def batches(items: Iterator[RawInput], size: int, max_bytes: int = MAX_BATCH_BYTES) -> Iterator[list[RawInput]]:
    batch: list[RawInput] = []
    held = 0
    for item in items:
        batch.append(item)
        held += len(item.raw)
        if len(batch) >= size or held >= max_bytes:
            yield batch
            batch, held = [], 0
    if batch:
        yield batch


def parse_record(line: bytes) -> tuple[Article | None, list[Problem]]:
    """One JSONL record: {"url", "title", "body" or "html", "published", "source_id", "language"}."""
    try:
        data: dict[str, Any] = json.loads(line)
    except ValueError as exc:
        return None, [Problem("malformed_record", f"not JSON: {exc}")]
    url = str(data.get("url") or "").strip()
    if not url:
        return None, [Problem("malformed_record", "a record needs a url")]
    published = None
    if data.get("published"):
        try:
            published = date.fromisoformat(str(data["published"])[:10])
        except ValueError:
            return None, [Problem("malformed_record", f"published is not a date: {data['published']!r}")]
    if data.get("html"):
        article = parse_article_page(url, str(data["html"]))
        article = Article(
            url,
            data.get("title") or article.title,
            article.body,
            article.language,
            published or article.published,
            data.get("source_id"),
        )
    else:
        body = clean(str(data.get("body") or "")).strip()
        title = clean(str(data["title"])).strip() if data.get("title") else None
        article = Article(
            url, title, body, str(data.get("language") or guess_language(body)), published, data.get("source_id")
        )
    if not article.body:
        return None, [Problem("empty", "no article text")]
    return article, []


@dataclass
class Parsed:
    name: str
    raw: store.RawDocument  # deflated: the writer and the pipe between processes carry a fifth
    article: Article | None
    extraction: Extraction | None
    problems: list[Problem] = field(default_factory=list)
    print: Fingerprint | None = None  # for copy-finding, computed where the parsing is done


def parse_batch(batch: list[RawInput], watch: Path) -> list[Parsed]:
    """Parse and extract a batch (pure: no database, runs on any worker)."""
    profile = load_profile(watch)
    out = []
    for item in batch:
        raw = store.deflated(sha256_hex(item.raw), _media_type(item.name), item.raw)
        if item.kind == "record":
            article, problems = parse_record(item.raw)
        else:
            article, problems = parse_input_file(PurePath(item.name), item.raw)
            if article is not None:
                article = Article(
                    f"backfill://{item.name}",
                    article.title,
                    article.body,
                    article.language,
                    article.published,
                    "backfill",
                )
        if article is None:
            out.append(Parsed(item.name, raw, None, None, problems))
            continue
        extraction = extract_events(article, profile)
        out.append(Parsed(item.name, raw, article, extraction, problems, fingerprint(article.body)))
    return out


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
            content_hash(item.article.title, item.article.body): item.print
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


def _media_type(name: str) -> str:
    if "#" in name:
        return "application/json"  # a JSONL record
    return "text/html" if name.endswith((".html", ".htm")) else "text/plain"


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
        conn.execute("SET checkpoint_threshold = '256MB'")
        try:
            with transaction(conn):
                store.start_run(conn, report.run_id, "backfill", now)
            for parsed in _parsed(path, watch, batch_size, parse_with, workers):
                store_batch(conn, parsed, report.run_id, now, report, cache)
                if _progress is not None:
                    _progress(len(parsed))
            with transaction(conn):
                merged = merge_pending(conn, report.run_id, now)
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
