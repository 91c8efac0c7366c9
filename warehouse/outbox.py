"""The outbox: one row per digest and channel in `delivery_log`. A row is attempted until it is
sent; once sent it is never sent again (unless someone resends on purpose)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb

DUE_STATUSES = ("pending", "failed", "sending")  # "sending": a run died before recording the outcome


@dataclass(frozen=True)
class Delivery:
    digest_id: str
    channel: str
    status: str
    attempts: int


def enqueue(
    conn: duckdb.DuckDBPyConnection,
    digest_id: str,
    channel: str,
    now: datetime,
    *,
    target: str | None,
    skipped_because: str | None = None,
) -> None:
    """Add a digest to a channel's queue (idempotent); an unconfigured channel is recorded as skipped."""
    status = "skipped" if skipped_because else "pending"
    conn.execute(
        """INSERT INTO delivery_log (digest_id, channel, status, attempts, last_error, target)
           VALUES (?, ?, ?, 0, ?, ?) ON CONFLICT DO NOTHING""",
        [digest_id, channel, status, skipped_because, target],
    )


def due(conn: duckdb.DuckDBPyConnection, channels: list[str], digest_id: str | None = None) -> list[Delivery]:
    """Deliveries still to make on the configured channels, oldest digest first."""
    rows = conn.execute(
        """SELECT d.digest_id, d.channel, d.status, d.attempts FROM delivery_log d
           JOIN digest_log g USING (digest_id)
           WHERE d.status IN (SELECT unnest(?)) AND d.channel IN (SELECT unnest(?))
             AND (? IS NULL OR d.digest_id = ?)
           ORDER BY g.created_at, d.digest_id, d.channel""",
        [list(DUE_STATUSES), channels, digest_id, digest_id],
    ).fetchall()
    return [Delivery(*row) for row in rows]


def mark_sending(conn: duckdb.DuckDBPyConnection, delivery: Delivery, now: datetime) -> None:
    conn.execute(
        """UPDATE delivery_log SET status = 'sending', first_attempt_at = coalesce(first_attempt_at, ?),
             last_attempt_at = ? WHERE digest_id = ? AND channel = ?""",
        [now, now, delivery.digest_id, delivery.channel],
    )


def record_outcome(
    conn: duckdb.DuckDBPyConnection,
    delivery: Delivery,
    now: datetime,
    *,
    ok: bool,
    attempts: int,
    error: str | None,
    target: str | None,
) -> None:
    conn.execute(
        """UPDATE delivery_log SET status = ?, attempts = attempts + ?, last_error = ?, target = coalesce(?, target),
             last_attempt_at = ?, sent_at = CASE WHEN ? THEN ?::TIMESTAMPTZ ELSE sent_at END
           WHERE digest_id = ? AND channel = ?""",
        [
            "sent" if ok else "failed",
            attempts,
            None if ok else error,
            target,
            now,
            ok,
            now,
            delivery.digest_id,
            delivery.channel,
        ],
    )


def requeue(conn: duckdb.DuckDBPyConnection, digest_id: str, channels: list[str], now: datetime) -> int:
    """Send a digest again on purpose: its rows on these channels go back to pending."""
    for channel in channels:
        conn.execute(
            """INSERT INTO delivery_log (digest_id, channel, status, attempts) VALUES (?, ?, 'pending', 0)
               ON CONFLICT (digest_id, channel) DO UPDATE SET status = 'pending', last_error = NULL""",
            [digest_id, channel],
        )
    return len(channels)


def digest_payload(conn: duckdb.DuckDBPyConnection, digest_id: str) -> str | None:
    row = conn.execute("SELECT payload FROM digest_log WHERE digest_id = ?", [digest_id]).fetchone()
    return row[0] if row else None


def record_sent(conn: duckdb.DuckDBPyConnection, digest_id: str, channel: str, target: str, now: datetime) -> None:
    """A channel that delivers within the run's own transaction (the digest file)."""
    conn.execute(
        """INSERT INTO delivery_log (digest_id, channel, status, attempts, last_error, target, first_attempt_at,
             last_attempt_at, sent_at) VALUES (?, ?, 'sent', 1, NULL, ?, ?, ?, ?)
           ON CONFLICT (digest_id, channel) DO UPDATE SET status = 'sent', attempts = delivery_log.attempts + 1,
             target = excluded.target, last_attempt_at = excluded.last_attempt_at,
             sent_at = coalesce(delivery_log.sent_at, excluded.sent_at)""",
        [digest_id, channel, target, now, now, now],
    )
