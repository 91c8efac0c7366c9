"""`tradewatch sql` reads the warehouse and nothing else (issue 14, item 3).

The guard is DuckDB's own: the connection is opened read-only with external access disabled and
its configuration locked. The statement checks only give clearer messages, so every bypass is tried
twice: through `run_query` as users meet it, and straight on the connection, past the checks."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from tests.test_docs import VIEWS
from tradewatch.cli import app
from warehouse.db import connect
from warehouse.queries import QueryRejected, run_query

TOKEN = "tw-canary-7f3a9c"


@pytest.fixture(scope="module")
def place(tmp_path_factory) -> dict[str, Path]:
    """A warehouse, and beside it files a query must not reach: text, CSV, Parquet, DuckDB."""
    tmp = tmp_path_factory.mktemp("sqlguard")
    files = {
        "db": tmp / "w.duckdb",
        "text": tmp / "secret.txt",
        "csv": tmp / "secret.csv",
        "parquet": tmp / "secret.parquet",
        "other": tmp / "other.duckdb",
        "out": tmp / "out.csv",
        "dir": tmp,
    }
    connect(files["db"]).close()
    files["text"].write_text(f"{TOKEN}\n", encoding="utf-8")
    files["csv"].write_text(f"secret\n{TOKEN}\n", encoding="utf-8")
    with duckdb.connect(str(files["other"])) as other:
        other.execute(f"CREATE TABLE t AS SELECT '{TOKEN}' AS secret")
        other.execute(f"COPY t TO '{files['parquet']}' (FORMAT parquet)")
    return files


BYPASSES = [
    "select * from query('select * from read_text(''{text}'')')",
    "select * from query('select * from ''{csv}''')",
    "select * from '{csv}'",
    "from '{csv}'",
    "select * from '{parquet}'",
    "select * from events, '{csv}'",
    "with t as (select * from '{csv}') select * from t",
    "select * from query_table('{csv}')",
    "select * from query_table(['{csv}'])",
    "select * from glob('{dir}/*')",
    "select * from read_blob('{text}')",
    "select * from read_text('{text}')",
    "select * from read_text(['{text}'])",
    "select * from read_csv('{csv}')",
    "select * from read_csv_auto('{csv}')",
    "select * from read_parquet('{parquet}')",
    "select * from sniff_csv('{csv}')",
    "select * from parquet_metadata('{parquet}')",
    "attach '{other}' as o",
    "copy (select 1) to '{out}'",
    "export database '{dir}/export'",
    "install httpfs",
    "load httpfs",
    "set enable_external_access = true",
    "set global enable_external_access = true",
    "reset enable_external_access",
    "set lock_configuration = false",
    "reset lock_configuration",
    "set allowed_directories = ['/']",
]


def _sql(template: str, place: dict[str, Path]) -> str:
    return template.format(**{k: str(v) for k, v in place.items()})


@pytest.mark.parametrize("template", BYPASSES)
def test_a_bypass_is_refused_with_a_message(template, place):
    with pytest.raises(
        QueryRejected, match="allowed"
    ):  # "only SELECT queries are allowed", "file access is not allowed"
        run_query(place["db"], _sql(template, place), max_rows=10, timeout_s=10)


@pytest.mark.parametrize("template", BYPASSES)
def test_the_connection_itself_refuses_it_past_the_statement_checks(template, place):
    conn = connect(place["db"], read_only=True)
    try:
        with pytest.raises(duckdb.Error) as refused:
            conn.execute(_sql(template, place)).fetchall()
        assert TOKEN not in str(refused.value)
        # And the connection is as sealed after the attempt as before it.
        with pytest.raises(duckdb.PermissionException):
            conn.execute(f"select * from read_text('{place['text']}')").fetchall()
        assert conn.execute("select current_setting('enable_external_access')").fetchone() == (False,)
    finally:
        conn.close()
    assert not place["out"].exists() and not (place["dir"] / "export").exists()


def test_the_views_are_all_readable_through_tradewatch_sql(place):
    runner = CliRunner()
    for view in VIEWS:
        result = runner.invoke(app, ["sql", f"select count(*) as n from {view}", "--db", str(place["db"])])
        assert result.exit_code == 0, (view, result.output)
    refused = runner.invoke(app, ["sql", _sql(BYPASSES[0], place), "--db", str(place["db"])])
    assert refused.exit_code == 2 and TOKEN not in refused.output
    assert "file access is not allowed" in refused.output


def test_quoted_names_are_not_mistaken_for_files(place):
    result = run_query(place["db"], 'select count(*) from "events"', max_rows=1, timeout_s=10)
    assert result.rows == [(0,)]
