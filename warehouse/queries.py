"""Reads: the events a digest announces, the timeline, and analysts' ad hoc SQL (read-only)."""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from parsers.digest import (
    MATERIAL_FACTS,
    Digest,
    DigestEvent,
    Source,
    as_update,
    digest_to_json,
    material_changes,
    material_facts,
)
from warehouse.db import connect

_EVENT_COLUMNS = """e.event_id, e.kind, e.number, e.mode, e.status, e.start_date, e.end_date, e.start_text,
    e.end_text, e.location, e.vn_side, e.us_side, e.topics, e.conflicts"""


def _sources(conn: duckdb.DuckDBPyConnection, event_ids: list[str]) -> dict[str, list[Source]]:
    if not event_ids:
        return {}
    rows = conn.execute(
        """SELECT m.event_id, a.title, coalesce(a.page_url, a.url), a.source_id, a.published, m.evidence
           FROM event_mention m JOIN article a USING (article_id)
           WHERE m.event_id IN (SELECT unnest(?))
           ORDER BY a.published NULLS LAST, a.first_seen_at, a.url""",
        [event_ids],
    ).fetchall()
    out: dict[str, list[Source]] = {}
    for event_id, title, url, source_id, published, evidence in rows:
        out.setdefault(event_id, []).append(Source(title, url, source_id, published, evidence))
    return out


def _events(conn: duckdb.DuckDBPyConnection, where: str, params: list[Any] | None = None) -> list[DigestEvent]:
    rows = conn.execute(f"SELECT {_EVENT_COLUMNS} FROM event e WHERE {where} ORDER BY e.event_id", params).fetchall()
    sources = _sources(conn, [r[0] for r in rows])
    return [
        DigestEvent(
            event_id=r[0],
            kind=r[1],
            number=r[2],
            mode=r[3],
            status=r[4],
            start_date=r[5],
            end_date=r[6],
            start_text=r[7],
            end_text=r[8],
            location=r[9],
            vn_side=tuple(r[10]),
            us_side=tuple(r[11]),
            topics=tuple(r[12]),
            conflicts=tuple(r[13]),
            sources=tuple(sources.get(r[0], [])),
        )
        for r in rows
    ]


def undigested_events(conn: duckdb.DuckDBPyConnection) -> list[DigestEvent]:
    """Events no digest has announced yet."""
    return _events(conn, "e.digest_id IS NULL")


def events_to_announce(conn: duckdb.DuckDBPyConnection) -> list[DigestEvent]:
    """New events, and announced events whose facts changed in a way that is news."""
    announced = dict(
        conn.execute(
            "SELECT event_id, announced_facts FROM event WHERE digest_id IS NOT NULL AND updated_at > announced_at"
        ).fetchall()
    )
    out = undigested_events(conn)
    if announced:
        for event in _events(conn, "e.event_id IN (SELECT unnest(?))", [list(announced)]):
            changes = material_changes(json.loads(announced[event.event_id] or "{}"), event.facts())
            if changes:
                out.append(as_update(event, changes))
    return out


def timeline_events(conn: duckdb.DuckDBPyConnection) -> list[DigestEvent]:
    """The negotiation's backbone: its rounds and ministerial sessions."""
    return _events(conn, "e.kind IN ('round', 'ministerial_session')")


def facts_json(conn: duckdb.DuckDBPyConnection, event_id: str) -> str:
    """The event's material facts now, as `announced_facts` records them (see DigestEvent.facts)."""
    row = conn.execute(f"SELECT {', '.join(MATERIAL_FACTS)} FROM event WHERE event_id = ?", [event_id]).fetchone()
    assert row is not None, event_id
    return json.dumps(material_facts(dict(zip(MATERIAL_FACTS, row, strict=True))), sort_keys=True)


def save_digest(conn: duckdb.DuckDBPyConnection, digest: Digest, markdown: str, path: str | None, run_id: str) -> None:
    """Record the digest and mark its events as announced, with the facts announced (call
    inside one transaction)."""
    event_ids = [e.event_id for e in digest.events]
    conn.execute(
        """INSERT INTO digest_log (digest_id, run_id, created_at, event_ids, markdown, path, payload, updated_event_ids)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
        [
            digest.digest_id,
            run_id,
            digest.created_at,
            event_ids,
            markdown,
            path,
            digest_to_json(digest),
            [e.event_id for e in digest.updated_events],
        ],
    )
    for event in digest.events:
        conn.execute(
            """UPDATE event SET digest_id = coalesce(digest_id, ?), announced_facts = ?, announced_at = ?
               WHERE event_id = ?""",
            [digest.digest_id, json.dumps(event.facts(), sort_keys=True), digest.created_at, event.event_id],
        )


# --- ad hoc SQL --------------------------------------------------------------------------------


class QueryRejected(ValueError):
    """The SQL is not a single read-only query."""


# Strings, quoted names and comments, read in one pass. Each may run to the end of the text: an
# unclosed one then matches at once, where a pattern that must find its end is tried again from
# every later quote or "/*" (quadratic: 400 KB of "/*" took minutes, before the time limit starts).
_LITERALS = re.compile(r"'(?:[^']|'')*(?:'|\Z)|\"(?:[^\"]|\"\")*(?:\"|\Z)|--[^\n]*|/\*.*?(?:\*/|\Z)", re.DOTALL)
# A string where a table goes is a file to DuckDB (a replacement scan: FROM 'data.csv').
_FILE_SCAN = re.compile(r"\b(?:from|join)\s+''", re.IGNORECASE)
_FORBIDDEN = re.compile(
    r"\b(insert|update|delete|merge|create|drop|alter|attach|detach|copy|export|import|install|load|"
    r"pragma|set|reset|call|checkpoint|vacuum|begin|commit|rollback|grant|truncate|use)\b",
    re.IGNORECASE,
)
_FILE_FUNCTIONS = re.compile(
    r"\b(read_\w+|glob|write_\w+|sniff_csv|parquet_\w+|query|query_table|iceberg_\w+|delta_scan)\s*\(", re.IGNORECASE
)


def _without_comments(literal: re.Match[str]) -> str:
    return " " if literal[0][0] in "-/" else literal[0]


def _blank(literal: re.Match[str]) -> str:
    return literal[0][0] * 2  # '' for a string, "" for a quoted name


def validate_select(sql: str) -> str:
    """Accept one SELECT / WITH / FROM / DESCRIBE / SHOW / SUMMARIZE statement over the warehouse;
    reject writes, settings and file access, with a message that says so.

    This is for clear messages, not the guard: a list of names cannot foresee every way SQL can
    reach a file. The guard is the connection (see `warehouse.db.connect`): read-only, without
    external access, its configuration locked."""
    stripped = _LITERALS.sub(_without_comments, sql).strip().rstrip(";").strip()
    if not stripped:
        raise QueryRejected("empty query")
    bare = _LITERALS.sub(_blank, stripped)
    if ";" in bare:
        raise QueryRejected("one statement at a time")
    first = bare.split(None, 1)[0].lower()
    if first not in ("select", "with", "from", "describe", "show", "summarize", "values", "table"):
        raise QueryRejected(f"only SELECT queries are allowed, not {first.upper()}")
    if m := _FORBIDDEN.search(bare):
        raise QueryRejected(f"only SELECT queries are allowed ({m.group(1).upper()} found)")
    if m := _FILE_FUNCTIONS.search(bare):
        raise QueryRejected(f"file access is not allowed in ad hoc queries ({m.group(1)})")
    if _FILE_SCAN.search(bare):
        raise QueryRejected("file access is not allowed in ad hoc queries (a file name where a table goes)")
    return stripped


@dataclass(frozen=True)
class QueryResult:
    columns: list[str]
    rows: list[tuple[Any, ...]]
    truncated: bool


class QueryTimeout(TimeoutError):
    pass


def run_query(db_path: Path, sql: str, *, max_rows: int, timeout_s: float) -> QueryResult:
    """Run a validated query on a read-only connection, capping rows and time."""
    query = validate_select(sql)
    conn = connect(db_path, read_only=True)
    timer = threading.Timer(timeout_s, conn.interrupt)
    timer.start()
    try:
        cursor = conn.execute(query)
        columns = [d[0] for d in cursor.description or []]
        rows = cursor.fetchmany(max_rows + 1)
    except duckdb.InterruptException as exc:
        raise QueryTimeout(f"query stopped after {timeout_s:g} s (TRADEWATCH_SQL_TIMEOUT_S)") from exc
    except duckdb.PermissionException as exc:
        raise QueryRejected(f"file access is not allowed in ad hoc queries ({exc})") from exc
    finally:
        timer.cancel()
        conn.close()
    return QueryResult(columns, [tuple(r) for r in rows[:max_rows]], len(rows) > max_rows)
