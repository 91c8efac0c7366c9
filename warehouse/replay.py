"""Re-judge history: extract and merge every stored article again with the current code, in place,
keeping the ids and the announcements of the events users already had.

`begin_replay` puts the old events aside and makes every article wait for extraction again; the
pipeline's own extract and merge steps then run; `finish_replay` gives each new event the
identity of the old one it shares the most articles with."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import duckdb

from warehouse.queries import facts_json

LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True)
class EventArticles:
    event_id: str
    kind: str
    articles: frozenset[str]


def begin_replay(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute("DROP TABLE IF EXISTS replay_event_before")
    conn.execute("DROP TABLE IF EXISTS replay_mention_before")
    conn.execute("CREATE TABLE replay_event_before AS SELECT * FROM event")
    conn.execute("CREATE TABLE replay_mention_before AS SELECT DISTINCT event_id, article_id FROM event_mention")
    conn.execute("DELETE FROM event_mention")
    conn.execute("DELETE FROM event")
    conn.execute("UPDATE article SET extracted_at = NULL, relevant = NULL WHERE duplicate_of IS NULL")


def _events(conn: duckdb.DuckDBPyConnection, events: str, mentions: str) -> list[EventArticles]:
    rows = conn.execute(
        f"""SELECT e.event_id, e.kind, list(DISTINCT m.article_id) FILTER (WHERE m.article_id IS NOT NULL)
            FROM {events} e LEFT JOIN {mentions} m USING (event_id) GROUP BY e.event_id, e.kind"""
    ).fetchall()
    return [EventArticles(r[0], r[1], frozenset(r[2] or [])) for r in rows]


def match_events(before: list[EventArticles], after: list[EventArticles]) -> dict[str, str]:
    """Pure: new event id -> old event id, pairing events of one kind that share the most articles."""
    pairs = [
        (len(new.articles & old.articles), new.event_id, old.event_id)
        for new in after
        for old in before
        if new.kind == old.kind and new.articles & old.articles
    ]
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for _, new_id, old_id in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        if new_id not in mapping and old_id not in used:
            mapping[new_id] = old_id
            used.add(old_id)
    return mapping


def finish_replay(conn: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """Carry ids, first sightings and announcements over. Returns (events kept, events new)."""
    before = _events(conn, "replay_event_before", "replay_mention_before")
    after = _events(conn, "event", "event_mention")
    mapping = match_events(before, after)
    for event in after:  # out of the way first: new and old ids may coincide
        conn.execute("UPDATE event SET event_id = ? WHERE event_id = ?", ["tmp-" + event.event_id, event.event_id])
        conn.execute(
            "UPDATE event_mention SET event_id = ? WHERE event_id = ?", ["tmp-" + event.event_id, event.event_id]
        )
    for event in after:
        final = mapping.get(event.event_id, event.event_id)
        conn.execute("UPDATE event SET event_id = ? WHERE event_id = ?", [final, "tmp-" + event.event_id])
        conn.execute("UPDATE event_mention SET event_id = ? WHERE event_id = ?", [final, "tmp-" + event.event_id])
        if event.event_id in mapping:
            _inherit(conn, final)
    conn.execute("DROP TABLE replay_event_before")
    conn.execute("DROP TABLE replay_mention_before")
    kept = len(mapping)
    LOGGER.info("replay: %d events kept their identity, %d are new", kept, len(after) - kept)
    return kept, len(after) - kept


def _inherit(conn: duckdb.DuckDBPyConnection, event_id: str) -> None:
    """What users were told stays told: a replay's better facts are no news."""
    old = conn.execute(
        "SELECT first_seen_at, first_run_id, digest_id, announced_at FROM replay_event_before WHERE event_id = ?",
        [event_id],
    ).fetchone()
    assert old is not None
    conn.execute(
        """UPDATE event SET first_seen_at = ?, first_run_id = ?, digest_id = ?, announced_at = ?,
             announced_facts = ? WHERE event_id = ?""",
        [old[0], old[1], old[2], old[3], facts_json(conn, event_id) if old[2] else None, event_id],
    )
