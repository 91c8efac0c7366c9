"""Idempotent writes on natural keys: articles by URL, mentions by (article, ordinal), runs by id."""

from __future__ import annotations

import hashlib
import logging
import uuid
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import duckdb

from parsers.fingerprint import article_key, content_hash
from parsers.models import Article, Event, Extraction, Problem
from parsers.rawdoc import RawDocument
from warehouse.db import insert_rows

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
    save_raws(conn, [RawDocument(sha256, media_type, content)], run_id, now)


def read_raw(conn: duckdb.DuckDBPyConnection, sha256: str) -> bytes | None:
    """The bytes of a raw document as fetched, whichever way they are kept."""
    row = conn.execute("SELECT content, content_encoding FROM raw_document WHERE sha256 = ?", [sha256]).fetchone()
    if row is None:
        return None
    return zlib.decompress(row[0]) if row[1] == "deflate" else bytes(row[0])


def save_raws(conn: duckdb.DuckDBPyConnection, documents: Sequence[RawDocument], run_id: str, now: datetime) -> None:
    """Raw inputs, each kept once by content hash."""
    unique = {d.sha256: (d.sha256, d.media_type, d.content, d.encoding, now, run_id) for d in documents}
    insert_rows(
        conn,
        "raw_document",
        ("sha256", "media_type", "content", "content_encoding", "first_seen_at", "run_id"),
        list(unique.values()),
        on_conflict="ON CONFLICT DO NOTHING",
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
    return save_articles(conn, [(article, raw_sha256)], run_id, now)[0]


_ARTICLE_COLUMNS = (
    "article_id",
    "url",
    "source_id",
    "title",
    "body",
    "language",
    "published",
    "content_hash",
    "raw_sha256",
    "duplicate_of",
    "duplicate_kind",
    "similarity",
    "first_seen_at",
    "updated_at",
    "run_id",
    "published_month",
)


def _month(article: Article) -> str | None:
    month = article.published_month
    return f"{month[0]:04d}-{month[1]:02d}" if month else None


def save_articles(
    conn: duckdb.DuckDBPyConnection,
    incoming: Sequence[tuple[Article, str | None]],
    run_id: str,
    now: datetime,
    *,
    sequence: int | None = None,
) -> list[str]:
    """`save_article` for many (article, raw sha256) at once, in order, with one statement per
    table: the outcome of each is what it would have been had they been saved one by one.

    `sequence`: the position of the first of them in a longer stream (a backfill's): new articles
    are then seen `sequence + i` microseconds after `now`, so that the earliest seen (which wins
    as the original of a copy) is the earliest in the stream, however it is cut into batches."""
    keys = [article_key(article.url) for article, _ in incoming]
    digests = [content_hash(article.title, article.body) for article, _ in incoming]
    # article_id -> [content_hash, canonical id], for the stored and the ones inserted here
    known: dict[str, list[str]] = {
        row[0]: [row[1], row[2]]
        for row in conn.execute(
            """SELECT article_id, content_hash, coalesce(duplicate_of, article_id) FROM article
               WHERE article_id IN (SELECT unnest(?))""",
            [sorted(set(keys))],
        ).fetchall()
    }
    # content_hash -> the earliest canonical article with that text
    twins: dict[str, str] = dict(
        conn.execute(
            """SELECT content_hash, article_id FROM article
               WHERE content_hash IN (SELECT unnest(?)) AND duplicate_of IS NULL
               QUALIFY row_number() OVER (PARTITION BY content_hash ORDER BY first_seen_at, article_id) = 1""",
            [sorted(set(digests))],
        ).fetchall()
    )
    inserts: dict[str, list[object]] = {}
    updates: dict[str, tuple[Article, str, str | None]] = {}
    sightings: dict[tuple[str, str], str | None] = {}
    outcomes = []
    for (article, raw_sha256), article_id, digest in zip(incoming, keys, digests, strict=True):
        if article_id in known:
            stored_digest, canonical = known[article_id]
            sightings[(canonical, article.url)] = article.source_id
            if stored_digest == digest:
                outcomes.append("unchanged")
                continue
            known[article_id][0] = digest
            if twins.get(stored_digest) == article_id:
                del twins[stored_digest]
            if article_id in inserts:  # inserted and edited within this batch: insert the edit
                inserts[article_id][3:9] = [
                    article.title,
                    article.body,
                    article.language,
                    article.published or inserts[article_id][6],
                    digest,
                    raw_sha256,
                ]
            else:
                updates[article_id] = (article, digest, raw_sha256)
            if canonical == article_id:
                twins.setdefault(digest, article_id)
            outcomes.append("updated")
            continue
        twin = twins.get(digest)
        seen_at = now if sequence is None else now + timedelta(microseconds=sequence + len(outcomes))
        inserts[article_id] = article_row(article, digest, raw_sha256, twin, seen_at, now, run_id)
        known[article_id] = [digest, twin or article_id]
        if twin is None:
            twins[digest] = article_id
        sightings[(twin or article_id, article.url)] = article.source_id
        outcomes.append("duplicate" if twin else "new")
    for article_id, (article, digest, raw_sha256) in updates.items():
        conn.execute(
            """UPDATE article SET title = ?, body = ?, language = ?, published = coalesce(?, published),
               published_month = coalesce(?, published_month),
               content_hash = ?, raw_sha256 = ?, updated_at = ?, extracted_at = NULL WHERE article_id = ?""",
            [
                article.title,
                article.body,
                article.language,
                article.published,
                _month(article),
                digest,
                raw_sha256,
                now,
                article_id,
            ],
        )
        # The publisher's edit is fingerprinted afresh: it may now be, or no longer be, a copy.
        conn.execute("DELETE FROM article_fingerprint WHERE article_id = ?", [article_id])
        conn.execute("DELETE FROM article_band WHERE article_id = ?", [article_id])
    insert_rows(conn, "article", _ARTICLE_COLUMNS, list(inserts.values()))
    record_sightings(conn, [(a, url, source) for (a, url), source in sightings.items()], run_id, now)
    return outcomes


def article_row(
    article: Article,
    digest: str,
    raw_sha256: str | None,
    twin: str | None,
    seen_at: datetime,
    now: datetime,
    run_id: str,
) -> list[object]:
    """A new article's row, in `_ARTICLE_COLUMNS` order; `twin`: the original it copies exactly."""
    return [
        article_key(article.url),
        article.url,
        article.source_id,
        article.title,
        article.body,
        article.language,
        article.published,
        digest,
        raw_sha256,
        twin,
        "exact" if twin else None,
        1.0 if twin else None,
        seen_at,
        now,
        run_id,
        _month(article),
    ]


def record_sighting(
    conn: duckdb.DuckDBPyConnection, article_id: str, url: str, source_id: str | None, run_id: str, now: datetime
) -> None:
    """One more place the story was seen: its canonical copy, this URL, this source."""
    record_sightings(conn, [(article_id, url, source_id)], run_id, now)


def record_sightings(
    conn: duckdb.DuckDBPyConnection,
    seen: Sequence[tuple[str, str, str | None]],
    run_id: str,
    now: datetime,
) -> None:
    """Sightings (canonical article id, URL, source): new ones added, known ones seen again."""
    unique = {(article_id, url): (article_id, url, source, now, now, run_id) for article_id, url, source in seen}
    insert_rows(
        conn,
        "article_sighting",
        ("article_id", "url", "source_id", "first_seen_at", "last_seen_at", "run_id"),
        list(unique.values()),
        on_conflict="ON CONFLICT (article_id, url) DO UPDATE SET last_seen_at = excluded.last_seen_at",
    )


_PENDING = """SELECT article_id, url, title, body, language, published, source_id, published_month FROM article
               WHERE extracted_at IS NULL AND duplicate_of IS NULL"""


def _pending(row: tuple[Any, ...]) -> tuple[str, Article]:
    month = (int(row[7][:4]), int(row[7][5:7])) if row[7] else None
    return row[0], Article(
        url=row[1],
        title=row[2],
        body=row[3],
        language=row[4],
        published=row[5],
        source_id=row[6],
        published_month=month,
    )


def pending_articles(conn: duckdb.DuckDBPyConnection) -> list[tuple[str, Article]]:
    """Articles waiting for extraction (new, edited, or left by a crashed run); copies are skipped."""
    return [_pending(row) for row in conn.execute(_PENDING + " ORDER BY first_seen_at, url").fetchall()]


def pending_article_chunks(conn: duckdb.DuckDBPyConnection, size: int) -> Iterator[list[tuple[str, Article]]]:
    """The same articles, `size` at a time, read as they are wanted (by article id: the caller may
    extract and store some between two reads)."""
    after = ""
    while True:
        rows = conn.execute(_PENDING + " AND article_id > ? ORDER BY article_id LIMIT ?", [after, size]).fetchall()
        if not rows:
            return
        after = rows[-1][0]
        yield [_pending(row) for row in rows]


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
    return save_extractions(conn, [(article_id, extraction)], extractor_version, run_id, now)


_MENTION_COLUMNS = (
    "mention_id",
    "article_id",
    "ordinal",
    "event_id",
    "kind",
    "number",
    "mode",
    "status",
    "start_date",
    "end_date",
    "start_text",
    "end_text",
    "location",
    "vn_side",
    "us_side",
    "topics",
    "evidence",
    "position",
    "from_caption",
    "created_at",
    "run_id",
)


def save_extractions(
    conn: duckdb.DuckDBPyConnection,
    extractions: Sequence[tuple[str, Extraction]],
    extractor_version: str,
    run_id: str,
    now: datetime,
) -> int:
    """Replace each article's mentions with its extraction's; returns how many mentions were written."""
    if not extractions:
        return 0
    latest = dict(extractions)  # an article given twice keeps its last extraction
    article_ids = list(latest)
    conn.execute("DELETE FROM event_mention WHERE article_id IN (SELECT unnest(?))", [article_ids])
    rows = [
        _mention_row(article_id, ordinal, event, extractor_version, run_id, now)
        for article_id, extraction in latest.items()
        for ordinal, event in enumerate(extraction.events)
    ]
    insert_rows(conn, "event_mention", _MENTION_COLUMNS, rows, on_conflict="ON CONFLICT DO NOTHING")
    conn.execute(
        """UPDATE article SET relevant = u.relevant, extracted_at = ?, extractor_version = ?
           FROM (SELECT unnest(?) AS article_id, unnest(?) AS relevant) u
           WHERE article.article_id = u.article_id""",
        [now, extractor_version, article_ids, [e.relevant for e in latest.values()]],
    )
    return len(rows)


def _mention_row(
    article_id: str, ordinal: int, event: Event, extractor_version: str, run_id: str, now: datetime
) -> list[object]:
    return [
        mention_id(article_id, extractor_version, ordinal),
        article_id,
        ordinal,
        None,
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
    ]
