"""Near-verbatim copies: every new article is fingerprinted, compared with the canonical articles
it shares an LSH bucket with, and marked a copy of the closest one (the earliest seen wins)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import duckdb
import numpy as np

from parsers.neardup import band_keys, lead_shingles, shingles, signature, similarity

LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True)
class DedupeReport:
    fingerprinted: int
    near_duplicates: int


def _shingles_of(conn: duckdb.DuckDBPyConnection, article_id: str) -> np.ndarray:
    row = conn.execute("SELECT body FROM article WHERE article_id = ?", [article_id]).fetchone()
    return shingles(row[0]) if row else np.array([], dtype=np.uint64)


def dedupe_pending(conn: duckdb.DuckDBPyConnection) -> DedupeReport:
    """Fingerprint the articles that have none yet, oldest first (call inside a transaction)."""
    pending = conn.execute(
        """SELECT a.article_id, a.body, a.language, a.duplicate_of FROM article a
           LEFT JOIN article_fingerprint f USING (article_id)
           WHERE f.article_id IS NULL ORDER BY a.first_seen_at, a.url"""
    ).fetchall()
    copies = 0
    for article_id, body, language, duplicate_of in pending:
        mine = shingles(body)
        sig = signature(mine)
        keys = band_keys(sig, lead_shingles(body))
        if duplicate_of is None:
            best = _closest_copy(conn, article_id, language, mine, keys)
            if best is not None:
                canonical, score = best
                conn.execute(
                    "UPDATE article SET duplicate_of = ?, duplicate_kind = 'near', similarity = ? WHERE article_id = ?",
                    [canonical, score, article_id],
                )
                _move_sightings(conn, article_id, canonical)
                copies += 1
            else:
                conn.executemany(
                    "INSERT INTO article_band (band, bucket, article_id) VALUES (?, ?, ?)",
                    [[band, bucket, article_id] for band, bucket in keys],
                )
        conn.execute(
            "INSERT INTO article_fingerprint (article_id, shingles, signature) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            [article_id, int(mine.size), [int(x) for x in sig]],
        )
    if copies:
        LOGGER.info("%d near-verbatim copies among %d new articles", copies, len(pending))
    return DedupeReport(len(pending), copies)


def _closest_copy(
    conn: duckdb.DuckDBPyConnection,
    article_id: str,
    language: str | None,
    mine: np.ndarray,
    keys: list[tuple[int, int]],
) -> tuple[str, float] | None:
    candidates = conn.execute(
        """SELECT DISTINCT b.article_id, a.first_seen_at FROM article_band b JOIN article a USING (article_id)
           WHERE (b.band, b.bucket) IN (SELECT (unnest(?), unnest(?)))
             AND a.duplicate_of IS NULL AND a.article_id <> ? AND a.language IS NOT DISTINCT FROM ?
           ORDER BY a.first_seen_at, b.article_id""",
        [[k[0] for k in keys], [k[1] for k in keys], article_id, language],
    ).fetchall()
    best: tuple[float, str] | None = None
    for candidate, _ in candidates:
        sim = similarity(mine, _shingles_of(conn, candidate))
        if sim.is_copy:
            score = max(sim.jaccard, sim.containment)
            if best is None or score > best[0]:
                best = (score, candidate)
    return (best[1], best[0]) if best else None


def _move_sightings(conn: duckdb.DuckDBPyConnection, copy_id: str, canonical_id: str) -> None:
    conn.execute(
        """INSERT INTO article_sighting SELECT ?, url, source_id, first_seen_at, last_seen_at, run_id
           FROM article_sighting WHERE article_id = ? ON CONFLICT DO NOTHING""",
        [canonical_id, copy_id],
    )
    conn.execute("DELETE FROM article_sighting WHERE article_id = ?", [copy_id])
