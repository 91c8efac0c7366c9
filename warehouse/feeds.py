"""Sources' state and health, the fetch log, feed items and article aliases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import duckdb

from parsers.registry import SourceConfig

MAX_BACKOFF = timedelta(hours=12)  # a failing source is retried at least this often, never parked
MAX_PAGE_ATTEMPTS = 3


@dataclass(frozen=True)
class SourceState:
    etag: str | None
    last_modified: str | None
    content_sha256: str | None
    consecutive_failures: int
    next_poll_at: datetime | None
    newest_item_at: datetime | None


def save_registry(conn: duckdb.DuckDBPyConnection, sources: list[SourceConfig], now: datetime) -> None:
    for s in sources:
        conn.execute(
            """INSERT INTO source_registry (source_id, name, kind, url, language, section, interval_minutes,
                 enabled, added_at, updated_at, item_pattern)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (source_id) DO UPDATE SET name = excluded.name, kind = excluded.kind, url = excluded.url,
                 language = excluded.language, section = excluded.section,
                 interval_minutes = excluded.interval_minutes, enabled = excluded.enabled,
                 item_pattern = excluded.item_pattern, updated_at = excluded.updated_at""",
            [
                s.source_id,
                s.name,
                s.kind,
                s.url,
                s.language,
                s.section,
                s.interval_minutes,
                s.enabled,
                now,
                now,
                s.item_pattern,
            ],
        )


def load_states(conn: duckdb.DuckDBPyConnection, source_id: str | None = None) -> dict[str, SourceState]:
    """Every source's state, or one source's."""
    rows = conn.execute(
        """SELECT source_id, etag, last_modified, content_sha256, consecutive_failures, next_poll_at, newest_item_at
           FROM source_state WHERE ? IS NULL OR source_id = ?""",
        [source_id, source_id],
    ).fetchall()
    return {r[0]: SourceState(*r[1:]) for r in rows}


def is_due(state: SourceState | None, now: datetime) -> bool:
    return state is None or state.next_poll_at is None or state.next_poll_at <= now


@dataclass(frozen=True)
class FetchRecord:
    """What one poll of a source came to, for its state and the fetch log."""

    url: str
    final_url: str
    status: int | None
    bytes: int
    etag: str | None
    last_modified: str | None
    content_sha256: str | None
    not_modified: bool
    unchanged: bool
    items: int
    new_items: int
    candidates: int
    newest_item_at: datetime | None
    error_code: str | None
    error: str | None
    attempts: int
    elapsed_s: float
    moved_to: str | None = None

    @property
    def failed(self) -> bool:
        return self.error_code is not None and self.error_code != "empty_feed"


def record_fetch(
    conn: duckdb.DuckDBPyConnection, run_id: str, source: SourceConfig, record: FetchRecord, now: datetime
) -> None:
    """Update the source's state (validators, health, next poll) and log the fetch."""
    previous = load_states(conn, source.source_id).get(source.source_id)
    failures = (previous.consecutive_failures if previous else 0) + 1 if record.failed else 0
    interval = timedelta(minutes=max(source.interval_minutes, 0))
    if record.failed:
        # Back off, but keep trying: a source that fails today may work tomorrow.
        wait = min(MAX_BACKOFF, max(interval, timedelta(minutes=5)) * 2 ** min(failures - 1, 8))
    else:
        wait = interval
    newest = max(
        [d for d in (record.newest_item_at, previous.newest_item_at if previous else None) if d is not None],
        default=None,
    )
    keep_validators = record.not_modified or record.failed
    conn.execute(
        """INSERT INTO source_state (source_id, etag, last_modified, final_url, content_sha256, last_status,
             last_fetch_at, last_success_at, consecutive_failures, last_error_code, last_error, newest_item_at,
             next_poll_at, moved_to, sends_validators)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (source_id) DO UPDATE SET
             etag = CASE WHEN ? THEN source_state.etag ELSE excluded.etag END,
             last_modified = CASE WHEN ? THEN source_state.last_modified ELSE excluded.last_modified END,
             content_sha256 = coalesce(excluded.content_sha256, source_state.content_sha256),
             final_url = excluded.final_url, last_status = excluded.last_status,
             last_fetch_at = excluded.last_fetch_at,
             last_success_at = coalesce(excluded.last_success_at, source_state.last_success_at),
             consecutive_failures = excluded.consecutive_failures, last_error_code = excluded.last_error_code,
             last_error = excluded.last_error, newest_item_at = excluded.newest_item_at,
             next_poll_at = excluded.next_poll_at, moved_to = coalesce(excluded.moved_to, source_state.moved_to),
             sends_validators = coalesce(excluded.sends_validators, source_state.sends_validators)""",
        [
            source.source_id,
            record.etag,
            record.last_modified,
            record.final_url,
            record.content_sha256,
            record.status,
            now,
            None if record.failed else now,
            failures,
            record.error_code,
            record.error,
            newest,
            now + wait,
            record.moved_to,
            None if record.failed or record.not_modified else bool(record.etag or record.last_modified),
            keep_validators,
            keep_validators,
        ],
    )
    conn.execute(
        "INSERT INTO fetch_log (run_id, source_id, url, fetched_at, status, bytes, items, new_items, candidates, "
        "not_modified, unchanged, error_code, error, attempts, elapsed_s) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            run_id,
            source.source_id,
            record.url,
            now,
            record.status,
            record.bytes,
            record.items,
            record.new_items,
            record.candidates,
            record.not_modified,
            record.unchanged,
            record.error_code,
            record.error,
            record.attempts,
            record.elapsed_s,
        ],
    )


@dataclass(frozen=True)
class ItemRow:
    item_key: str
    link: str
    raw_link: str | None
    guid: str | None
    title: str
    summary: str
    published: datetime | None
    published_raw: str | None
    thumbnail: str | None
    candidate: bool


def save_items(
    conn: duckdb.DuckDBPyConnection, source_id: str, items: list[ItemRow], run_id: str, now: datetime
) -> tuple[int, int]:
    """Store every item seen, once (the first source to list it keeps it). Returns (new, new candidates)."""
    known = {
        r[0]
        for r in conn.execute(
            "SELECT item_key FROM feed_item WHERE item_key IN (SELECT unnest(?))", [[i.item_key for i in items]]
        ).fetchall()
    } | {
        r[0]
        for r in conn.execute(
            "SELECT url FROM article_alias WHERE url IN (SELECT unnest(?))", [[i.item_key for i in items]]
        ).fetchall()
    }
    new = candidates = 0
    for item in items:
        if item.item_key in known:
            conn.execute("UPDATE feed_item SET last_seen_at = ? WHERE item_key = ?", [now, item.item_key])
            continue
        known.add(item.item_key)
        new += 1
        candidates += item.candidate
        conn.execute(
            """INSERT INTO feed_item (item_key, source_id, link, raw_link, guid, title, summary, published,
                 published_raw, thumbnail, candidate, page_status, first_seen_at, last_seen_at, run_id)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
            [
                item.item_key,
                source_id,
                item.link,
                item.raw_link,
                item.guid,
                item.title,
                item.summary,
                item.published,
                item.published_raw,
                item.thumbnail,
                item.candidate,
                "pending" if item.candidate else "skipped",
                now,
                now,
                run_id,
            ],
        )
    return new, candidates


@dataclass(frozen=True)
class PendingPage:
    item_key: str
    link: str  # the address to fetch (as the feed gave it)
    source_id: str
    title: str
    published: datetime | None


def pending_pages(conn: duckdb.DuckDBPyConnection, limit: int) -> list[PendingPage]:
    rows = conn.execute(
        """SELECT item_key, coalesce(raw_link, link), source_id, title, published FROM feed_item
           WHERE candidate AND (page_status = 'pending' OR (page_status = 'failed' AND page_attempts < ?))
           ORDER BY first_seen_at, item_key LIMIT ?""",
        [MAX_PAGE_ATTEMPTS, limit],
    ).fetchall()
    return [PendingPage(*r) for r in rows]


def record_page(
    conn: duckdb.DuckDBPyConnection,
    item_key: str,
    *,
    ok: bool,
    error: str | None,
    article_id: str | None,
    permanent: bool = False,
) -> None:
    conn.execute(
        """UPDATE feed_item SET page_status = ?, page_attempts = page_attempts + ?, page_error = ?,
             article_id = coalesce(?, article_id) WHERE item_key = ?""",
        ["fetched" if ok else "failed", MAX_PAGE_ATTEMPTS if permanent else 1, error, article_id, item_key],
    )


def save_alias(conn: duckdb.DuckDBPyConnection, url: str, article_id: str, now: datetime) -> None:
    conn.execute(
        "INSERT INTO article_alias (url, article_id, first_seen_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        [url, article_id, now],
    )


def article_for_url(conn: duckdb.DuckDBPyConnection, url: str) -> str | None:
    row = conn.execute("SELECT article_id FROM article_alias WHERE url = ?", [url]).fetchone()
    return row[0] if row else None


def save_page_url(conn: duckdb.DuckDBPyConnection, article_id: str, url: str, *, own: bool) -> None:
    """An address the article's page was fetched from, as its link that opens (its `url` is the
    canonical key, which need not open). `own`: the address is the page's own (its canonical form
    is the article's key), not a copy's, such as an AMP page's: it replaces any other; a copy's
    address is kept only while there is no other."""
    conn.execute(
        "UPDATE article SET page_url = ? WHERE article_id = ? AND (page_url IS NULL OR ?)", [url, article_id, own]
    )
