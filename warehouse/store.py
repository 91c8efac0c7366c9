"""Idempotent writes on natural keys: articles by URL, mentions by (article, ordinal), runs by id."""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import duckdb

from parsers.fingerprint import article_key, content_hash
from parsers.models import Article, Event, Extraction, Problem

LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True)
class SourceRow:
    source_id: str
    name: str
    kind: str
    url: str | None = None
    language: str | None = None
    section: str | None = None
    interval_minutes: int | None = None
    enabled: bool = True


def new_run_id(now: datetime) -> str:
    """`r-<UTC time>-<random>`: sortable, and unique when two runs start in the same second."""
    return f"r-{now:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"


def start_run(conn: duckdb.DuckDBPyConnection, run_id: str, trigger: str, now: datetime) -> int:
    """Record a new run. Runs left 'running' by a crash are marked 'abandoned'; returns how many."""
    abandoned = conn.execute(
        "UPDATE runs_log SET status = 'abandoned', finished_at = ? WHERE status = 'running' RETURNING run_id",
        [now],
    ).fetchall()
    conn.execute(
        "INSERT INTO runs_log (run_id, started_at, status, trigger) VALUES (?, ?, 'running', ?) ON CONFLICT DO NOTHING",
        [run_id, now, trigger],
    )
    return len(abandoned)


def finish_run(
    conn: duckdb.DuckDBPyConnection,
    run_id: str,
    now: datetime,
    *,
    status: str,
    counts: dict[str, int],
    digest_id: str | None = None,
    error: str | None = None,
) -> None:
    columns = (
        "articles_seen",
        "articles_new",
        "articles_updated",
        "articles_duplicate",
        "mentions_new",
        "events_new",
        "events_updated",
        "problems",
    )
    assignments = ", ".join(f"{c} = ?" for c in columns)
    conn.execute(
        f"UPDATE runs_log SET {assignments}, status = ?, finished_at = ?, digest_id = ?, error = ? WHERE run_id = ?",
        [counts.get(c, 0) for c in columns] + [status, now, digest_id, error, run_id],
    )


def save_sources(conn: duckdb.DuckDBPyConnection, sources: Iterable[SourceRow], now: datetime) -> None:
    for s in sources:
        conn.execute(
            """INSERT INTO source_registry (source_id, name, kind, url, language, section, interval_minutes,
                 enabled, added_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (source_id) DO UPDATE SET name = excluded.name, kind = excluded.kind,
                 url = excluded.url, language = excluded.language, section = excluded.section,
                 interval_minutes = excluded.interval_minutes, enabled = excluded.enabled,
                 updated_at = excluded.updated_at""",
            [s.source_id, s.name, s.kind, s.url, s.language, s.section, s.interval_minutes, s.enabled, now, now],
        )


def save_raw(
    conn: duckdb.DuckDBPyConnection, sha256: str, media_type: str, content: bytes, run_id: str, now: datetime
) -> None:
    conn.execute(
        "INSERT INTO raw_document (sha256, media_type, content, first_seen_at, run_id) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT DO NOTHING",
        [sha256, media_type, content, now, run_id],
    )


def record_problem(
    conn: duckdb.DuckDBPyConnection,
    run_id: str,
    problem: Problem,
    now: datetime,
    *,
    source_id: str | None = None,
    subject: str | None = None,
) -> None:
    conn.execute(
        "INSERT INTO run_problem (run_id, source_id, subject, code, message, recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
        [run_id, source_id, subject, problem.code, problem.message, now],
    )


def save_article(
    conn: duckdb.DuckDBPyConnection, article: Article, run_id: str, now: datetime, *, raw_sha256: str | None = None
) -> str:
    """Store an article. Returns 'new', 'updated' (the publisher edited it), 'unchanged' or 'duplicate'
    (the same text under another URL). Every call records a sighting of the story."""
    article_id = article_key(article.url)
    digest = content_hash(article.title, article.body)
    existing = conn.execute(
        "SELECT content_hash, coalesce(duplicate_of, article_id) FROM article WHERE article_id = ?", [article_id]
    ).fetchone()
    if existing is not None:
        record_sighting(conn, existing[1], article.url, article.source_id, run_id, now)
        if existing[0] == digest:
            return "unchanged"
        conn.execute(
            """UPDATE article SET title = ?, body = ?, language = ?, published = coalesce(?, published),
               content_hash = ?, raw_sha256 = ?, updated_at = ?, extracted_at = NULL WHERE article_id = ?""",
            [article.title, article.body, article.language, article.published, digest, raw_sha256, now, article_id],
        )
        # The publisher's edit is fingerprinted afresh: it may now be, or no longer be, a copy.
        conn.execute("DELETE FROM article_fingerprint WHERE article_id = ?", [article_id])
        conn.execute("DELETE FROM article_band WHERE article_id = ?", [article_id])
        return "updated"
    twin = conn.execute(
        "SELECT article_id FROM article WHERE content_hash = ? AND duplicate_of IS NULL ORDER BY first_seen_at LIMIT 1",
        [digest],
    ).fetchone()
    conn.execute(
        """INSERT INTO article (article_id, url, source_id, title, body, language, published, content_hash,
             raw_sha256, duplicate_of, duplicate_kind, similarity, first_seen_at, updated_at, run_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            article_id,
            article.url,
            article.source_id,
            article.title,
            article.body,
            article.language,
            article.published,
            digest,
            raw_sha256,
            twin[0] if twin else None,
            "exact" if twin else None,
            1.0 if twin else None,
            now,
            now,
            run_id,
        ],
    )
    record_sighting(conn, twin[0] if twin else article_id, article.url, article.source_id, run_id, now)
    return "duplicate" if twin else "new"


def record_sighting(
    conn: duckdb.DuckDBPyConnection, article_id: str, url: str, source_id: str | None, run_id: str, now: datetime
) -> None:
    """One more place the story was seen: its canonical copy, this URL, this source."""
    conn.execute(
        """INSERT INTO article_sighting (article_id, url, source_id, first_seen_at, last_seen_at, run_id)
           VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (article_id, url) DO UPDATE SET last_seen_at = excluded.last_seen_at""",
        [article_id, url, source_id, now, now, run_id],
    )


def pending_articles(conn: duckdb.DuckDBPyConnection) -> list[tuple[str, Article]]:
    """Articles waiting for extraction (new, edited, or left by a crashed run); copies are skipped."""
    rows = conn.execute(
        """SELECT article_id, url, title, body, language, published, source_id FROM article
           WHERE extracted_at IS NULL AND duplicate_of IS NULL ORDER BY first_seen_at, url"""
    ).fetchall()
    return [
        (row[0], Article(url=row[1], title=row[2], body=row[3], language=row[4], published=row[5], source_id=row[6]))
        for row in rows
    ]


def mention_id(article_id: str, extractor_version: str, ordinal: int) -> str:
    raw = f"{article_id}|{extractor_version}|{ordinal}".encode()
    return "m-" + hashlib.sha256(raw).hexdigest()[:16]


def save_extraction(
    conn: duckdb.DuckDBPyConnection,
    article_id: str,
    extraction: Extraction,
    extractor_version: str,
    run_id: str,
    now: datetime,
) -> int:
    """Replace the article's mentions with these; returns how many were written."""
    conn.execute("DELETE FROM event_mention WHERE article_id = ?", [article_id])
    for ordinal, event in enumerate(extraction.events):
        _insert_mention(conn, article_id, ordinal, event, extractor_version, run_id, now)
    conn.execute(
        "UPDATE article SET relevant = ?, extracted_at = ?, extractor_version = ? WHERE article_id = ?",
        [extraction.relevant, now, extractor_version, article_id],
    )
    return len(extraction.events)


def _insert_mention(
    conn: duckdb.DuckDBPyConnection,
    article_id: str,
    ordinal: int,
    event: Event,
    extractor_version: str,
    run_id: str,
    now: datetime,
) -> None:
    conn.execute(
        """INSERT INTO event_mention (mention_id, article_id, ordinal, event_id, kind, number, mode, status,
             start_date, end_date, start_text, end_text, location, vn_side, us_side, topics, evidence,
             position, from_caption, created_at, run_id)
           VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT DO NOTHING""",
        [
            mention_id(article_id, extractor_version, ordinal),
            article_id,
            ordinal,
            event.kind,
            event.number,
            event.mode,
            event.status,
            event.start_date,
            event.end_date,
            event.start.iso_partial() if event.start else None,
            event.end.iso_partial() if event.end else None,
            event.location,
            list(event.vn_side),
            list(event.us_side),
            list(event.topics),
            event.evidence,
            event.position,
            event.from_caption,
            now,
            run_id,
        ],
    )
