"""Near-verbatim copies: every new article is fingerprinted, compared with the canonical articles
it shares an LSH bucket with, and marked a copy of the closest one (the earliest seen wins)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import duckdb
import numpy as np

from parsers.neardup import band_keys, estimate, lead_shingles, shingles, signature, similarity

LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True)
class DedupeReport:
    fingerprinted: int
    near_duplicates: int


def _shingles_of(conn: duckdb.DuckDBPyConnection, article_id: str, cache: dict[str, np.ndarray]) -> np.ndarray:
    if article_id not in cache:
        if len(cache) > 5000:
            cache.clear()
        row = conn.execute("SELECT body FROM article WHERE article_id = ?", [article_id]).fetchone()
        cache[article_id] = shingles(row[0]) if row else np.array([], dtype=np.uint64)
    return cache[article_id]


def dedupe_pending(conn: duckdb.DuckDBPyConnection) -> DedupeReport:
    """Fingerprint the articles that have none yet, oldest first (call inside a transaction)."""
    pending = conn.execute(
        """SELECT a.article_id, a.body, a.language, a.duplicate_of FROM article a
           LEFT JOIN article_fingerprint f USING (article_id)
           WHERE f.article_id IS NULL ORDER BY a.first_seen_at, a.url"""
    ).fetchall()
    copies = 0
    cache: dict[str, np.ndarray] = {}  # originals are compared with many newcomers: shingle them once
    for article_id, body, language, duplicate_of in pending:
        mine = shingles(body)
        sig = signature(mine)
        keys = band_keys(sig, lead_shingles(body))
        if duplicate_of is None:
            best = _closest_copy(conn, article_id, language, mine, sig, keys, cache)
            if best is not None:
                canonical, score = best
                conn.execute(
                    "UPDATE article SET duplicate_of = ?, duplicate_kind = 'near', similarity = ? WHERE article_id = ?",
                    [canonical, score, article_id],
                )
                _move_sightings(conn, article_id, canonical)
                copies += 1
            else:
                conn.execute(
                    "INSERT INTO article_band SELECT unnest(?), unnest(?), ?",
                    [[band for band, _ in keys], [bucket for _, bucket in keys], article_id],
                )
        conn.execute(
            "INSERT INTO article_fingerprint (article_id, shingles, signature) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            [article_id, int(mine.size), [int(x) for x in sig]],
        )
    if copies:
        LOGGER.info("%d near-verbatim copies among %d new articles", copies, len(pending))
    return DedupeReport(len(pending), copies)


MAX_CANDIDATES = 25
# Looser than the thresholds of a copy: signatures estimate with an error of about 0.06.
SCREEN_JACCARD = 0.55
SCREEN_CONTAINMENT = 0.6


def _closest_copy(
    conn: duckdb.DuckDBPyConnection,
    article_id: str,
    language: str | None,
    mine: np.ndarray,
    sig: np.ndarray,
    keys: list[tuple[int, int]],
    cache: dict[str, np.ndarray],
) -> tuple[str, float] | None:
    # The candidates sharing the most buckets, screened with their stored signatures; only those
    # that might be copies are checked exactly (their shingles recomputed from the text).
    candidates = conn.execute(
        """SELECT b.article_id, any_value(f.signature), any_value(f.shingles) FROM article_band b
           JOIN article a USING (article_id) JOIN article_fingerprint f USING (article_id)
           WHERE (b.band, b.bucket) IN (SELECT (unnest(?), unnest(?)))
             AND a.duplicate_of IS NULL AND a.article_id <> ? AND a.language IS NOT DISTINCT FROM ?
           GROUP BY b.article_id
           ORDER BY count(*) DESC, min(a.first_seen_at), b.article_id LIMIT ?""",
        [[k[0] for k in keys], [k[1] for k in keys], article_id, language, MAX_CANDIDATES],
    ).fetchall()
    best: tuple[float, str] | None = None
    for candidate, their_signature, their_size in candidates:
        rough = estimate(sig, np.array(their_signature, dtype=np.uint64), int(mine.size), int(their_size))
        if rough.jaccard < SCREEN_JACCARD and rough.containment < SCREEN_CONTAINMENT:
            continue
        sim = similarity(mine, _shingles_of(conn, candidate, cache))
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
