"""Near-verbatim copies: every new article is fingerprinted, compared with the canonical articles
it shares an LSH bucket with, and marked a copy of the closest one (the earliest seen wins).

The new articles are judged in order of arrival, as if one by one, but the warehouse is asked
once per batch: one query for the stored candidates of all of them, one for the texts to check,
one statement per table to write. Newcomers that are candidates of each other are found in
memory."""

from __future__ import annotations

import logging
from collections import OrderedDict, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar

import duckdb
import numpy as np

from parsers.neardup import (
    LEAD_BAND,
    REWRITE_CONTAINMENT,
    Fingerprint,
    Text,
    closest,
    estimate_many,
    fingerprint,
    read,
)
from warehouse.db import insert_rows

LOGGER = logging.getLogger(__name__)

MAX_CANDIDATES = 10
# A bucket records its first canonical articles only (copies never enter one). A lead shared by
# hundreds of stories is boilerplate (an agency's formula, a template) and says nothing about
# which of them a newcomer copies; a MinHash band shared by hundreds is a template too. A real copy
# shares its original's rarer buckets as well. Without the caps, every newcomer would be compared with
# every story of its template: quadratic.
LEAD_BUCKET_CAP = 10
BAND_BUCKET_CAP = 100
# Looser than the least containment of a copy: signatures estimate it with an error of about 0.06
# (0.1 at two standard errors). Containment is at least the Jaccard similarity, so it alone screens.
SCREEN_CONTAINMENT = REWRITE_CONTAINMENT - 0.1


def bucket_cap(band: int) -> int:
    """How many canonical articles a bucket of this band records."""
    return LEAD_BUCKET_CAP if band == LEAD_BAND else BAND_BUCKET_CAP


@dataclass(frozen=True)
class DedupeReport:
    fingerprinted: int
    near_duplicates: int


V = TypeVar("V")


class Lru(Generic[V]):
    """A map that keeps the `capacity` most recently used entries."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._items: OrderedDict[str, V] = OrderedDict()

    def get(self, key: str) -> V | None:
        found = self._items.get(key)
        if found is not None:
            self._items.move_to_end(key)
        return found

    def put(self, key: str, value: V) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self.capacity:
            self._items.popitem(last=False)


@dataclass
class DedupeCache:
    """What is known of canonical articles that are compared with many newcomers: their signatures
    (and shingle counts), and their shingles and sentences, computed from their text once.
    Bounded, so that memory stays flat however many articles a backfill loads; a backfill shares
    one across its batches."""

    signatures: Lru[tuple[np.ndarray, int]] = field(default_factory=lambda: Lru(30_000))
    texts: Lru[Text] = field(default_factory=lambda: Lru(10_000))
    current: bool = False  # the stored fingerprints were checked against this code's


@dataclass
class _Candidate:
    article_id: str
    rough: float  # the containment estimated from the signatures: its rank
    first_seen: int  # epoch microseconds: cheap to fetch and compare
    text: Text | None = None  # known for newcomers; read from the body for stored articles


@dataclass
class _Canonical:
    """A newcomer judged canonical: a candidate of the newcomers after it."""

    article_id: str
    first_seen: int  # epoch microseconds: cheap to fetch and compare
    print: Fingerprint
    language: str | None


@dataclass
class _Newcomer:
    article_id: str
    body: str
    language: str | None
    duplicate_of: str | None
    first_seen: int  # epoch microseconds: cheap to fetch and compare
    print: Fingerprint
    stored: list[_Candidate] = field(default_factory=list)


def dedupe_pending(
    conn: duckdb.DuckDBPyConnection,
    known: Mapping[str, Fingerprint] | None = None,
    cache: DedupeCache | None = None,
) -> DedupeReport:
    """Fingerprint the articles that have none yet, oldest first (call inside a transaction).

    `known` maps article ids to the fingerprints of their texts, already computed (by backfill's
    parsing processes)."""
    rows = conn.execute(
        """SELECT a.article_id, a.body, a.language, a.duplicate_of, epoch_us(a.first_seen_at) FROM article a
           LEFT JOIN article_fingerprint f USING (article_id)
           WHERE f.article_id IS NULL ORDER BY a.first_seen_at, a.url"""
    ).fetchall()
    if not rows:
        return DedupeReport(0, 0)
    known = known or {}
    cache = cache if cache is not None else DedupeCache()
    if not cache.current:
        refresh_fingerprints(conn)
        cache.current = True
    newcomers = [_Newcomer(r[0], r[1], r[2], r[3], r[4], known.get(r[0]) or fingerprint(r[1])) for r in rows]
    _stored_candidates(conn, newcomers, cache)
    _load_texts(conn, newcomers, cache)
    stored_sizes = _bucket_sizes(conn, newcomers)

    copies: list[tuple[str, str, float]] = []  # (copy, canonical, similarity)
    # (band, bucket) -> the newcomers judged canonical so far: candidates of the ones after them
    buckets: dict[tuple[int, int], list[_Canonical]] = defaultdict(list)
    bands: list[tuple[int, int, str]] = []
    for item in newcomers:
        if item.duplicate_of is not None:
            continue  # an exact copy: fingerprinted, never a candidate
        best = _closest_copy(item, _with_newcomers(item, buckets))
        if best is not None:
            copies.append((item.article_id, best[0], best[1]))
            continue
        me = _Canonical(item.article_id, item.first_seen, item.print, item.language)
        # the next batches' candidates: known now, without reading the text again
        cache.texts.put(item.article_id, Text(item.print.shingles, item.print.sentences))
        cache.signatures.put(item.article_id, (item.print.signature, int(item.print.shingles.size)))
        for key in item.print.keys:
            if stored_sizes.get(key, 0) + len(buckets[key]) < bucket_cap(key[0]):
                buckets[key].append(me)
                bands.append((key[0], key[1], item.article_id))

    _write(conn, newcomers, copies, bands)
    if copies:
        LOGGER.info("%d near-verbatim copies among %d new articles", len(copies), len(newcomers))
    return DedupeReport(len(newcomers), len(copies))


REFRESH_CHUNK = 2_000


def refresh_fingerprints(conn: duckdb.DuckDBPyConnection) -> int:
    """Fingerprint every stored article again if its fingerprint is not the one this code computes
    from the same text (a warehouse written before the shingles or their signature changed), and
    rebuild the buckets, so that newcomers meet the old articles. Copies already found stay as they
    are. Only the signature is compared: a change of the band keys alone (BANDS, LEAD_*) must come
    with a change of the signature's scheme, or old buckets stay as they were.

    One stored fingerprint tells: they are all written by one code (this runs in the transaction
    of the first newcomers after an upgrade). Returns how many were computed again."""
    sample = conn.execute(
        "SELECT a.body, f.signature FROM article_fingerprint f JOIN article a USING (article_id) LIMIT 1"
    ).fetchone()
    if sample is None or fingerprint(sample[0]).signature.tolist() == list(sample[1]):
        return 0
    order = conn.execute(
        """SELECT f.article_id, a.duplicate_of IS NULL FROM article_fingerprint f JOIN article a USING (article_id)
           ORDER BY a.first_seen_at, a.url"""
    ).fetchall()
    LOGGER.info("fingerprinting %d stored articles again (their fingerprints are of an older scheme)", len(order))
    conn.execute("DELETE FROM article_band")
    for start in range(0, len(order), REFRESH_CHUNK):
        chunk = order[start : start + REFRESH_CHUNK]
        ids = [article_id for article_id, _ in chunk]
        bodies = dict(
            conn.execute(
                "SELECT article_id, body FROM article WHERE article_id IN (SELECT unnest(?))", [ids]
            ).fetchall()
        )
        prints = {article_id: fingerprint(bodies[article_id]) for article_id in ids}
        conn.execute("DELETE FROM article_fingerprint WHERE article_id IN (SELECT unnest(?))", [ids])
        insert_rows(
            conn,
            "article_fingerprint",
            ("article_id", "shingles", "signature"),
            [(a, int(prints[a].shingles.size), prints[a].signature.tolist()) for a in ids],
        )
        insert_rows(
            conn,
            "article_band",
            ("band", "bucket", "article_id"),
            [(band, bucket, a) for a, canonical in chunk if canonical for band, bucket in prints[a].keys],
        )
    # Each bucket keeps its first canonical articles in order of arrival, as if they had come one by
    # one: `bucket_cap`, written in SQL.
    conn.execute(
        f"""DELETE FROM article_band WHERE (band, bucket, article_id) IN (
              SELECT (band, bucket, article_id) FROM (
                SELECT b.band, b.bucket, b.article_id,
                       row_number() OVER (PARTITION BY b.band, b.bucket ORDER BY a.first_seen_at, a.url) AS n
                FROM article_band b JOIN article a USING (article_id))
              WHERE n > CASE band WHEN {LEAD_BAND} THEN {LEAD_BUCKET_CAP} ELSE {BAND_BUCKET_CAP} END)"""
    )
    return len(order)


def _stored_candidates(conn: duckdb.DuckDBPyConnection, newcomers: list[_Newcomer], cache: DedupeCache) -> None:
    """For every newcomer, the stored canonical articles (same language) it shares a bucket with
    and might copy, judged by their signatures, closest first, at most MAX_CANDIDATES. One query
    finds them for the whole batch; their signatures come from the cache or one more query."""
    probe = [
        (index, band, bucket)
        for index, item in enumerate(newcomers)
        if item.duplicate_of is None
        for band, bucket in item.print.keys
    ]
    if not probe:
        return
    mine = [
        (index, item.language, item.article_id) for index, item in enumerate(newcomers) if item.duplicate_of is None
    ]
    hits = conn.execute(
        """WITH probe AS (SELECT unnest(?) AS idx, unnest(?)::SMALLINT AS band, unnest(?)::UBIGINT AS bucket),
           mine AS (SELECT unnest(?) AS idx, unnest(?) AS language, unnest(?) AS self_id),
           hits AS (SELECT DISTINCT p.idx, b.article_id FROM probe p JOIN article_band b USING (band, bucket))
           SELECT h.idx, h.article_id, epoch_us(a.first_seen_at)
           FROM hits h JOIN mine m USING (idx) JOIN article a USING (article_id)
           WHERE a.duplicate_of IS NULL AND a.article_id <> m.self_id AND a.language IS NOT DISTINCT FROM m.language""",
        [*(list(c) for c in zip(*probe, strict=True)), *(list(c) for c in zip(*mine, strict=True))],
    ).fetchall()
    signatures = _signatures(conn, sorted({article_id for _, article_id, _ in hits}), cache)
    per_newcomer: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for idx, article_id, first_seen in hits:
        per_newcomer[idx].append((article_id, first_seen))
    for idx, found in per_newcomer.items():
        item = newcomers[idx]
        theirs = np.stack([signatures[a][0] for a, _ in found])
        sizes = np.array([signatures[a][1] for a, _ in found], dtype=np.float64)
        rough = _rough_many(item, theirs, sizes)
        ranked = sorted(
            (-float(r), first_seen, article_id)
            for (article_id, first_seen), r in zip(found, rough, strict=True)
            if r >= 0
        )
        item.stored = [_Candidate(a, -r, first_seen) for r, first_seen, a in ranked[:MAX_CANDIDATES]]


def _signatures(
    conn: duckdb.DuckDBPyConnection, article_ids: list[str], cache: DedupeCache
) -> dict[str, tuple[np.ndarray, int]]:
    out: dict[str, tuple[np.ndarray, int]] = {}
    missing = []
    for article_id in article_ids:
        cached = cache.signatures.get(article_id)
        if cached is None:
            missing.append(article_id)
        else:
            out[article_id] = cached
    if missing:
        for article_id, signature, size in conn.execute(
            "SELECT article_id, signature, shingles FROM article_fingerprint WHERE article_id IN (SELECT unnest(?))",
            [missing],
        ).fetchall():
            out[article_id] = (np.array(signature, dtype=np.uint64), int(size))
            cache.signatures.put(article_id, out[article_id])
    return out


def _rough_many(item: _Newcomer, theirs: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """The containment estimated from the signatures (it is at least the Jaccard similarity),
    against the rows of `theirs`, or -1 where the screen rules a copy out."""
    _, containment = estimate_many(item.print.signature, int(item.print.shingles.size), theirs, sizes)
    return np.where(containment >= SCREEN_CONTAINMENT, containment, -1.0)


def _bucket_sizes(conn: duckdb.DuckDBPyConnection, newcomers: list[_Newcomer]) -> dict[tuple[int, int], int]:
    """How many stored articles each of the newcomers' buckets holds already."""
    keys = sorted({key for item in newcomers if item.duplicate_of is None for key in item.print.keys})
    if not keys:
        return {}
    rows = conn.execute(
        """SELECT b.band, b.bucket, count(*) FROM article_band b
           JOIN (SELECT unnest(?)::SMALLINT AS band, unnest(?)::UBIGINT AS bucket) p USING (band, bucket)
           GROUP BY ALL""",
        [[k[0] for k in keys], [k[1] for k in keys]],
    ).fetchall()
    return {(band, bucket): count for band, bucket, count in rows}


def _load_texts(conn: duckdb.DuckDBPyConnection, newcomers: list[_Newcomer], cache: DedupeCache) -> None:
    """Give the stored candidates their shingles and sentences, from the cache or their body (one query)."""
    wanted: dict[str, list[_Candidate]] = defaultdict(list)
    for item in newcomers:
        for candidate in item.stored:
            candidate.text = cache.texts.get(candidate.article_id)
            if candidate.text is None:
                wanted[candidate.article_id].append(candidate)
    if not wanted:
        return
    for article_id, body in conn.execute(
        "SELECT article_id, body FROM article WHERE article_id IN (SELECT unnest(?))", [sorted(wanted)]
    ).fetchall():
        text = read(body)
        cache.texts.put(article_id, text)
        for candidate in wanted[article_id]:
            candidate.text = text


def _with_newcomers(item: _Newcomer, buckets: dict[tuple[int, int], list[_Canonical]]) -> list[_Candidate]:
    """The newcomer's candidates: the stored ones and the earlier newcomers, closest first."""
    earlier = {
        c.article_id: c
        for key in item.print.keys
        for c in buckets.get(key, ())
        if c.article_id != item.article_id and c.language == item.language  # as for the stored ones
    }
    if not earlier:
        return item.stored
    others = list(earlier.values())
    rough = _rough_many(
        item,
        np.stack([o.print.signature for o in others]),
        np.array([o.print.shingles.size for o in others]),
    )
    merged = list(item.stored)
    merged += [
        _Candidate(o.article_id, float(r), o.first_seen, o.print) for o, r in zip(others, rough, strict=True) if r >= 0
    ]
    merged.sort(key=lambda c: (-c.rough, c.first_seen, c.article_id))
    return merged[:MAX_CANDIDATES]


def _closest_copy(item: _Newcomer, candidates: list[_Candidate]) -> tuple[str, float] | None:
    """The candidate this newcomer copies most closely: screened by signature, judged exactly."""
    usable = [(c.article_id, c.text) for c in candidates if c.text is not None]
    found = closest(item.print, [text for _, text in usable])
    return (usable[found[0]][0], found[1].score) if found else None


def _write(
    conn: duckdb.DuckDBPyConnection,
    newcomers: list[_Newcomer],
    copies: list[tuple[str, str, float]],
    bands: list[tuple[int, int, str]],
) -> None:
    if copies:
        columns = [list(c) for c in zip(*copies, strict=True)]
        conn.execute(
            """UPDATE article SET duplicate_of = u.canonical, duplicate_kind = 'near', similarity = u.similarity
               FROM (SELECT unnest(?) AS copy_id, unnest(?) AS canonical, unnest(?) AS similarity) u
               WHERE article.article_id = u.copy_id""",
            columns,
        )
        # Exact copies of an article that turns out to be a copy itself: copies of its original
        # (duplicate_of always names a canonical article, as if they had come after it).
        conn.execute(
            """UPDATE article SET duplicate_of = u.canonical, duplicate_kind = 'near', similarity = u.similarity
               FROM (SELECT unnest(?) AS copy_id, unnest(?) AS canonical, unnest(?) AS similarity) u
               WHERE article.duplicate_of = u.copy_id""",
            columns,
        )
        # A copy's sightings are its canonical article's: the story was seen there too.
        conn.execute(
            """INSERT INTO article_sighting
               SELECT DISTINCT ON (u.canonical, s.url) u.canonical, s.url, s.source_id, s.first_seen_at,
                      s.last_seen_at, s.run_id
               FROM article_sighting s JOIN (SELECT unnest(?) AS copy_id, unnest(?) AS canonical) u
                 ON s.article_id = u.copy_id
               ON CONFLICT DO NOTHING""",
            columns[:2],
        )
        conn.execute("DELETE FROM article_sighting WHERE article_id IN (SELECT unnest(?))", [columns[0]])
    insert_rows(conn, "article_band", ("band", "bucket", "article_id"), bands)
    insert_rows(
        conn,
        "article_fingerprint",
        ("article_id", "shingles", "signature"),
        [(item.article_id, int(item.print.shingles.size), item.print.signature.tolist()) for item in newcomers],
        on_conflict="ON CONFLICT DO NOTHING",
    )
