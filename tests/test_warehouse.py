"""The DuckDB warehouse: migration ledger, idempotent writes, read-only ad hoc SQL."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pytest

from parsers.models import Article
from warehouse import store
from warehouse.db import WarehouseBusy, WarehouseMissing, apply_migrations, available_migrations, connect
from warehouse.queries import QueryRejected, run_query, validate_select

NOW = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
VIEWS = {"articles", "events", "event_mentions", "sources", "runs", "digests", "deliveries"}


def article(url: str, body: str = "Nội dung bài báo về vòng đàm phán.") -> Article:
    return Article(url=url, title="Tiêu đề", body=body, language="vi", published=date(2025, 11, 14), source_id="seeds")


def test_a_new_warehouse_has_every_view_and_a_ledger_row_per_migration(tmp_path):
    conn = connect(tmp_path / "w.duckdb")
    views = {r[0] for r in conn.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    assert views >= VIEWS
    ledger = conn.execute("SELECT version, name FROM schema_migrations ORDER BY version").fetchall()
    assert ledger == [(v, n) for v, n, _ in available_migrations()]


def test_migrations_apply_once(tmp_path):
    path = tmp_path / "w.duckdb"
    connect(path).close()
    conn = connect(path)
    assert apply_migrations(conn) == []  # nothing left to apply
    assert conn.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == len(available_migrations())


def test_migration_files_are_numbered_without_gaps():
    versions = [v for v, _, _ in available_migrations()]
    assert versions == list(range(1, len(versions) + 1))


def test_saving_an_article_twice_stores_it_once(tmp_path):
    conn = connect(tmp_path / "w.duckdb")
    assert store.save_article(conn, article("seed://a.txt"), "r1", NOW) == "new"
    assert store.save_article(conn, article("seed://a.txt"), "r2", NOW) == "unchanged"
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 1


def test_an_edited_article_is_updated_and_extracted_again(tmp_path):
    conn = connect(tmp_path / "w.duckdb")
    store.save_article(conn, article("seed://a.txt"), "r1", NOW)
    conn.execute("UPDATE article SET extracted_at = ?", [NOW])
    assert store.save_article(conn, article("seed://a.txt", "Bản đã sửa."), "r2", NOW) == "updated"
    assert [a for a, _ in store.pending_articles(conn)] == [
        conn.execute("SELECT article_id FROM article").fetchone()[0]
    ]


def test_an_exact_copy_under_another_url_points_at_the_first(tmp_path):
    conn = connect(tmp_path / "w.duckdb")
    store.save_article(conn, article("seed://a.txt"), "r1", NOW)
    # Same text, other spacing and case: the same story.
    assert (
        store.save_article(conn, article("seed://b.txt", "nội dung  bài báo về VÒNG đàm phán."), "r1", NOW)
        == "duplicate"
    )
    rows = dict(conn.execute("SELECT url, duplicate_of FROM articles").fetchall())
    assert rows["seed://a.txt"] is None and rows["seed://b.txt"] is not None
    assert [a.url for _, a in store.pending_articles(conn)] == ["seed://a.txt"]


@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM event",
        "select 1; drop table event",
        "CREATE TABLE x AS SELECT 1",
        "SELECT * FROM read_csv('/etc/passwd')",
        "ATTACH 'other.duckdb'",
        "SET threads = 1",
        "-- only a comment",
        "COPY event TO 'out.csv'",
    ],
)
def test_ad_hoc_sql_rejects_anything_but_a_select(sql):
    with pytest.raises(QueryRejected):
        validate_select(sql)


@pytest.mark.parametrize(
    "sql",
    [
        "select kind, number from events",
        "WITH r AS (SELECT * FROM events WHERE kind = 'round') SELECT count(*) FROM r",
        "-- timeline\nSELECT * FROM events; ",
        "select 'delete; drop' as s",
    ],
)
def test_ad_hoc_sql_accepts_selects(sql):
    validate_select(sql)


def test_queries_are_capped(tmp_path):
    path = tmp_path / "w.duckdb"
    connect(path).close()
    result = run_query(path, "SELECT * FROM range(50)", max_rows=10, timeout_s=10)
    assert len(result.rows) == 10 and result.truncated


def test_a_long_query_is_stopped(tmp_path):
    path = tmp_path / "w.duckdb"
    connect(path).close()
    from warehouse.queries import QueryTimeout

    with pytest.raises(QueryTimeout):
        run_query(path, "SELECT count(*) FROM range(100000000000) a", max_rows=10, timeout_s=0.3)


def test_read_only_connection_refuses_writes(tmp_path):
    path = tmp_path / "w.duckdb"
    connect(path).close()
    conn = connect(path, read_only=True)
    with pytest.raises(duckdb.Error):
        conn.execute("DELETE FROM article")


def test_a_missing_warehouse_is_reported(tmp_path):
    with pytest.raises(WarehouseMissing):
        connect(tmp_path / "none.duckdb", read_only=True)


HOLDER = textwrap.dedent(
    """
    import sys, duckdb
    conn = duckdb.connect(sys.argv[1])
    print("holding", flush=True)
    sys.stdin.readline()
    """
)


@pytest.fixture
def held_warehouse(tmp_path):
    """A warehouse held by a writer in another process, as during a run."""
    path = tmp_path / "w.duckdb"
    connect(path).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout.readline().strip() == "holding"
    yield path
    holder.communicate("done\n", timeout=30)


def test_readers_and_writers_are_told_clearly_while_another_process_writes(held_warehouse: Path):
    with pytest.raises(WarehouseBusy, match="held by another process"):
        connect(held_warehouse, read_only=True)
    with pytest.raises(WarehouseBusy):
        connect(held_warehouse)
