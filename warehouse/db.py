"""Connecting to the warehouse: one writer at a time, migrations applied in order, once."""

from __future__ import annotations

import fcntl
import logging
import os
import re
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import duckdb

LOGGER = logging.getLogger(__name__)
_MIGRATION_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
_Config = dict[str, str | bool | int | float | list[str]]
_READER: _Config = {"enable_external_access": False}  # the warehouse's own files (and its .wal, .tmp) only


class WarehouseBusy(RuntimeError):
    """Another process holds the DuckDB file (DuckDB allows one writer, or readers only)."""


class WarehouseMissing(FileNotFoundError):
    """A read-only connection was asked for a warehouse that does not exist yet."""


def _is_lock_error(exc: duckdb.Error) -> bool:
    text = str(exc).lower()
    return "lock" in text or "conflicting" in text or "being used by another process" in text


def connect(path: Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the warehouse. A writer also brings the schema up to date.

    A reader is sealed: it reads the warehouse and nothing else. DuckDB itself refuses it every
    other file (`read_text`, a `'file.csv'` scan, `query(...)` around either, COPY, ATTACH,
    INSTALL, EXPORT) and, its configuration locked, any SET or RESET that would undo that."""
    if read_only and not path.exists():
        raise WarehouseMissing(f"no warehouse at {path}: run `tradewatch run` first")
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = duckdb.connect(str(path), read_only=read_only, config=_READER if read_only else {})
    except duckdb.Error as exc:
        if _is_lock_error(exc):
            raise WarehouseBusy(
                f"the warehouse {path} is held by another process (a run in progress?); "
                "DuckDB allows one writer at a time, and no readers while it writes. Try again when it finishes."
            ) from exc
        raise
    conn.execute("SET TimeZone = 'UTC'")
    # DuckDB draws a progress bar for long queries on stdout, terminal or not: not in our output.
    conn.execute("SET enable_progress_bar = false")
    if read_only:
        # Last: from here on no setting of this connection's database can change (TimeZone can
        # only be set once ICU is loaded, after the connection opens, so not through `config`).
        conn.execute("SET lock_configuration = true")
    else:
        apply_migrations(conn)
    return conn


@contextmanager
def writer_lock(db_path: Path, *, wait_s: float, poll_s: float = 0.5) -> Iterator[None]:
    """Hold the warehouse's writer lock for a whole run. A second run waits for the first to
    finish (up to `wait_s`), then gives up with a clear message; two runs never write at once.

    DuckDB's own file lock refuses a second writer at once; this lock lets it queue instead."""
    lock_path = db_path.with_name(db_path.name + ".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait_s
    with open(lock_path, "a+") as handle:
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise WarehouseBusy(
                        f"another run has held {db_path} for more than {wait_s:g} s "
                        "(TRADEWATCH_LOCK_WAIT_S); this run gives up without writing anything"
                    ) from None
                time.sleep(poll_s)
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(f"{os.getpid()}\n")
            handle.flush()
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


@contextmanager
def transaction(conn: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    conn.execute("BEGIN TRANSACTION")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def insert_rows(
    conn: duckdb.DuckDBPyConnection,
    table: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    on_conflict: str = "",
) -> None:
    """Insert many rows in one statement: each column goes in as one list and is unnested, which
    costs a fraction of a row-by-row INSERT (DuckDB is a column store; a statement has a fixed price)."""
    if not rows:
        return
    unnested = ", ".join(f"unnest(?) AS {c}" for c in columns)
    conn.execute(
        f"INSERT INTO {table} ({', '.join(columns)}) SELECT * FROM (SELECT {unnested}) {on_conflict}",
        [list(column) for column in zip(*rows, strict=True)],
    )


def available_migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) for every file in warehouse/migrations, in order."""
    found = []
    for entry in resources.files("warehouse").joinpath("migrations").iterdir():
        m = _MIGRATION_NAME.match(entry.name)
        if m:
            found.append((int(m[1]), m[2], entry.read_text(encoding="utf-8")))
    return sorted(found)


def apply_migrations(conn: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply the migrations not yet in the ledger, each in its own transaction."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL)"
    )
    applied = {row[0] for row in conn.execute("SELECT version FROM schema_migrations").fetchall()}
    done = []
    for version, name, sql in available_migrations():
        if version in applied:
            continue
        with transaction(conn):
            conn.execute(sql)
            conn.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                [version, name, datetime.now(UTC)],
            )
        LOGGER.info("applied migration %04d_%s", version, name)
        done.append(version)
    return done
