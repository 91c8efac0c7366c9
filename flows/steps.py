"""The pipeline's steps as plain library calls (no Prefect here): each flow task wraps one.

Every step is idempotent: run twice on the same inputs, it changes nothing the second time.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from delivery.channels import Channels, send_with_retries
from delivery.email import build_message, send_email
from delivery.render import render_markdown, render_slack
from delivery.slack import post_webhook, webhook_label
from flows.failpoints import failpoint
from flows.parallel import map_in_order
from flows.parsing import extract_chunk, use_profile
from parsers.digest import Digest, digest_from_json, digest_id_for
from parsers.events import extract_events
from parsers.fingerprint import sha256_hex
from parsers.geography import Geography
from parsers.inputs import HTML_SUFFIXES, parse_input_file
from parsers.models import Article, Problem
from parsers.profile import WatchProfile
from warehouse import outbox, queries, store
from warehouse import replay as replay_mod
from warehouse.db import transaction
from warehouse.dedupe import DedupeReport, dedupe_pending
from warehouse.merge import MergeResult, merge_pending

LOGGER = logging.getLogger(__name__)
EXTRACTOR_VERSION = "0.2.0"
SEED_SOURCE = store.SourceRow(source_id="seeds", name="Seed articles", kind="seeds", language=None)
SEED_PATTERNS = ("*.txt", "*.html", "*.htm")


@dataclass
class IngestCounts:
    seen: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    problems: list[tuple[str, Problem]] = field(default_factory=list)


def ingest_seeds(conn: duckdb.DuckDBPyConnection, seeds_dir: Path, run_id: str, now: datetime) -> IngestCounts:
    """Store every seed file as an article (raw bytes kept by content hash), all in one statement
    per table: a scheduled run re-reads a seeds folder whose files are mostly known."""
    counts = IngestCounts()
    paths = sorted({p for pattern in SEED_PATTERNS for p in seeds_dir.glob(pattern)})
    with transaction(conn):
        store.save_sources(conn, [SEED_SOURCE], now)
    raws: list[store.RawDocument] = []
    articles: list[tuple[Article, str | None]] = []
    for path in paths:
        counts.seen += 1
        try:
            raw = path.read_bytes()
        except OSError as exc:
            counts.problems.append((path.name, Problem("unreadable", str(exc))))
            continue
        article, problems = parse_input_file(path, raw)
        counts.problems.extend((path.name, p) for p in problems)
        if article is None:
            counts.outcomes["rejected"] += 1
            continue
        sha = sha256_hex(raw)
        media_type = "text/html" if path.suffix.lower() in HTML_SUFFIXES else "text/plain"
        raws.append(store.RawDocument(sha, media_type, raw))
        articles.append((article, sha))
    with transaction(conn):
        store.save_raws(conn, raws, run_id, now)
        counts.outcomes.update(store.save_articles(conn, articles, run_id, now))
        for subject, problem in counts.problems:
            store.record_problem(conn, run_id, problem, now, source_id="seeds", subject=subject)
    return counts


@dataclass(frozen=True)
class ExtractCounts:
    articles: int
    relevant: int
    mentions: int


def dedupe(conn: duckdb.DuckDBPyConnection) -> DedupeReport:
    """Fingerprint new articles and mark near-verbatim copies (they are not extracted again)."""
    with transaction(conn):
        return dedupe_pending(conn)


def extract_pending(
    conn: duckdb.DuckDBPyConnection, profile: WatchProfile, run_id: str, now: datetime, *, batch_size: int = 200
) -> ExtractCounts:
    """Extract events from every article that waits for it, committing batch by batch so that a
    crash loses at most one batch of work (the next run picks up the rest)."""
    pending = store.pending_articles(conn)
    relevant = mentions = 0
    for start in range(0, len(pending), batch_size):
        batch = pending[start : start + batch_size]
        extractions = [(article_id, extract_events(article, profile)) for article_id, article in batch]
        with transaction(conn):
            for article_id, extraction in extractions:
                mentions += store.save_extraction(conn, article_id, extraction, EXTRACTOR_VERSION, run_id, now)
                relevant += extraction.relevant
        if start + batch_size < len(pending):
            failpoint("extract:mid-batch")
    return ExtractCounts(len(pending), relevant, mentions)


@dataclass(frozen=True)
class ReplayReport:
    articles: int
    mentions: int
    events_kept: int
    events_new: int


REPLAY_CHUNK = 1000  # articles a worker extracts at a time


def replay(
    conn: duckdb.DuckDBPyConnection, profile: WatchProfile, run_id: str, now: datetime, *, workers: int = 1
) -> ReplayReport:
    """Extract and merge every stored article again, in one transaction: all or nothing. Events
    keep their ids and announcements; only events the new code finds for the first time are new.

    Extraction is pure: with `workers` > 1 it runs on that many processes, while this one reads
    the next articles and stores the extractions that come back."""
    with transaction(conn):
        replay_mod.begin_replay(conn)
        articles = mentions = 0
        chunks = store.pending_article_chunks(conn, REPLAY_CHUNK)
        for extracted in map_in_order(
            extract_chunk, chunks, workers=workers, initializer=use_profile, initargs=(profile,)
        ):
            articles += len(extracted)
            mentions += store.save_extractions(conn, extracted, EXTRACTOR_VERSION, run_id, now)
        merge_pending(conn, run_id, now, profile.geography)
        kept, new = replay_mod.finish_replay(conn)
    return ReplayReport(articles, mentions, kept, new)


def merge_events(conn: duckdb.DuckDBPyConnection, run_id: str, now: datetime, geography: Geography) -> MergeResult:
    """Resolve the watch's events again (`geography`: the profile's, see `warehouse.merge.resolve`)."""
    with transaction(conn):
        return merge_pending(conn, run_id, now, geography)


def build_digest(conn: duckdb.DuckDBPyConnection, watch_name: str, now: datetime) -> Digest | None:
    """The digest of what is news: new events and material updates. None when there is nothing."""
    events = queries.events_to_announce(conn)
    if not events:
        return None
    return Digest(
        digest_id=digest_id_for(events),
        created_at=now,
        watch_name=watch_name,
        events=tuple(events),
        timeline=tuple(queries.timeline_events(conn)),
    )


def publish_digest(
    conn: duckdb.DuckDBPyConnection,
    digest: Digest,
    data_dir: Path,
    run_id: str,
    now: datetime,
    channels: Channels | None = None,
) -> tuple[str, Path]:
    """Write the digest to its file, record it, and queue it for every configured channel.

    The file is named by the digest's id and the id by its events and their facts, so a run that
    crashed after writing it writes the same file again and only one digest is recorded."""
    channels = channels or Channels()
    markdown = render_markdown(digest)
    folder = data_dir / "digests"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{digest.digest_id}.md"
    tmp = path.with_suffix(".md.tmp")
    tmp.write_text(markdown, encoding="utf-8")
    tmp.replace(path)
    with transaction(conn):
        queries.save_digest(conn, digest, markdown, str(path), run_id)
        outbox.record_sent(conn, digest.digest_id, "file", str(path), now)
        if channels.email:
            outbox.enqueue(conn, digest.digest_id, "email", now, target=channels.email.target)
        if channels.slack_webhook:
            outbox.enqueue(conn, digest.digest_id, "slack", now, target=webhook_label(channels.slack_webhook))
        for name, reason in channels.not_configured.items():
            outbox.enqueue(conn, digest.digest_id, name, now, target=None, skipped_because=reason)
    return markdown, path


@dataclass(frozen=True)
class DeliveryReport:
    digest_id: str
    channel: str
    ok: bool
    attempts: int
    error: str | None


def _sender(channel: str, digest: Digest, channels: Channels) -> Callable[[], None]:
    if channel == "email":
        email = channels.email
        assert email is not None
        message = build_message(digest, sender=email.sender, recipients=list(email.recipients))
        return lambda: send_email(
            message,
            host=email.host,
            port=email.port,
            security=email.security,
            username=email.username,
            password=email.password,
            timeout_s=email.timeout_s,
            ca_file=email.ca_file,
        )
    if channel == "slack":
        url = channels.slack_webhook
        assert url is not None
        payload = render_slack(digest)
        return lambda: post_webhook(url, payload)
    raise ValueError(f"unknown channel {channel}")


def deliver_outbox(
    conn: duckdb.DuckDBPyConnection,
    channels: Channels,
    now: Callable[[], datetime],
    *,
    digest_id: str | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> list[DeliveryReport]:
    """Send everything the outbox holds for the configured channels: this run's digest, and any
    that an outage or a crash left behind. Each outcome is committed as soon as it is known."""
    reports = []
    for delivery in outbox.due(conn, channels.active, digest_id):
        payload = outbox.digest_payload(conn, delivery.digest_id)
        if payload is None:
            continue
        digest = digest_from_json(payload)
        send = _sender(delivery.channel, digest, channels)
        with transaction(conn):
            outbox.mark_sending(conn, delivery, now())
        outcome = send_with_retries(send, retries=channels.retries, backoff_s=channels.backoff_s, sleep=sleep)
        if outcome.ok:
            failpoint("deliver:after-send")
        target = channels.email.target if delivery.channel == "email" and channels.email else None
        with transaction(conn):
            outbox.record_outcome(
                conn, delivery, now(), ok=outcome.ok, attempts=outcome.attempts, error=outcome.error, target=target
            )
        if not outcome.ok:
            LOGGER.warning("%s delivery of %s failed: %s", delivery.channel, delivery.digest_id, outcome.error)
        reports.append(
            DeliveryReport(delivery.digest_id, delivery.channel, outcome.ok, outcome.attempts, outcome.error)
        )
    return reports
