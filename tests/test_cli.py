"""The command line as users and scheduled jobs call it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import SEEDS
from tradewatch.cli import app

DESIGN_KEYS = {"path", "relevant", "language", "published", "title", "events"}
EVENT_KEYS = {
    "kind",
    "number",
    "mode",
    "status",
    "start",
    "end",
    "location",
    "vn_side",
    "us_side",
    "topics",
    "evidence",
}


def tradewatch(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tradewatch", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


def test_extract_json_is_one_object_per_file(tmp_path):
    files = sorted(str(p) for p in SEEDS.glob("*.txt"))
    result = tradewatch("extract", *files, "--json")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["path"] for r in records] == files
    for record in records:
        assert set(record) >= DESIGN_KEYS
        for event in record["events"]:
            assert set(event) >= EVENT_KEYS
    by_name = {Path(r["path"]).name: r for r in records}
    assert by_name["000_1fb59537245cd6df.txt"]["published"] == "2025-11-14"


def test_extract_published_fills_in_the_year(tmp_path):
    path = SEEDS / "003_765b38809bddbffd.txt"
    without = json.loads(tradewatch("extract", str(path), "--json").stdout)
    with_date = json.loads(tradewatch("extract", str(path), "--json", "--published", "2025-11-15").stdout)
    meeting = lambda r: next(e for e in r["events"] if e["kind"] == "meeting")  # noqa: E731
    assert meeting(without)["start"] is None and meeting(without)["start_text"] == "--11-14"
    assert meeting(with_date)["start"] == "2025-11-14"


def test_extract_is_pure_and_does_not_load_prefect():
    code = (
        "import sys; from typer.testing import CliRunner; from tradewatch.cli import app; "
        f"r = CliRunner().invoke(app, ['extract', {str(SEEDS / '000_1fb59537245cd6df.txt')!r}, '--json']); "
        "assert r.exit_code == 0, r.output; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('prefect', 'duckdb')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_extract_rejects_a_bad_date():
    result = CliRunner().invoke(app, ["extract", str(SEEDS / "000_1fb59537245cd6df.txt"), "--published", "14/11"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output


@pytest.mark.usefixtures("prefect_harness")
def test_run_then_sql_prints_the_timeline(tmp_path, seeds_copy):
    db = tmp_path / "w.duckdb"
    runner = CliRunner()
    env = {"TRADEWATCH_DATA_DIR": str(tmp_path / "data")}
    first = runner.invoke(app, ["run", "--db", str(db), "--seeds", str(seeds_copy)], env=env)
    assert first.exit_code == 0, first.output
    assert "11 new events" in first.output and "## Round 5 — 12–14 Nov 2025" in first.output
    second = runner.invoke(app, ["run", "--db", str(db), "--seeds", str(seeds_copy)], env=env)
    assert second.exit_code == 0, second.output
    assert "No new events: no digest written." in second.output

    timeline = runner.invoke(
        app,
        [
            "sql",
            "select kind, number, start_date, location from events order by start_date",
            "--db",
            str(db),
            "--format",
            "csv",
        ],
    )
    assert timeline.exit_code == 0, timeline.output
    lines = timeline.output.splitlines()
    assert lines[0] == "kind,number,start_date,location"
    assert lines[1:4] == [
        "ministerial_session,8,2025-11-10,",
        "meeting,,2025-11-12,Washington D.C.",
        "round,5,2025-11-12,Washington D.C.",
    ]
    as_json = runner.invoke(app, ["sql", "select count(*) as n from events", "--db", str(db), "--format", "json"])
    assert json.loads(as_json.output) == {"n": 11}
    dry = runner.invoke(app, ["digest", "--dry-run", "--db", str(db)])
    assert "Nothing new" in dry.output


def test_sql_refuses_writes_without_a_traceback(tmp_path):
    from warehouse.db import connect

    db = tmp_path / "w.duckdb"
    connect(db).close()
    result = tradewatch("sql", "delete from event", "--db", str(db))
    assert result.returncode == 2
    assert "only SELECT queries are allowed" in result.stderr
    assert "Traceback" not in result.stderr


def test_sql_while_a_run_holds_the_warehouse(tmp_path):
    from warehouse.db import connect

    db = tmp_path / "w.duckdb"
    connect(db).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, duckdb; c = duckdb.connect(sys.argv[1]); print('ok', flush=True); sys.stdin.readline()",
            str(db),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ok"
        result = tradewatch("sql", "select 1", "--db", str(db))
    finally:
        holder.communicate("\n", timeout=30)
    assert result.returncode == 2
    assert "held by another process" in result.stderr
    assert "Traceback" not in result.stderr


def test_sql_on_a_missing_warehouse(tmp_path):
    result = tradewatch("sql", "select 1", "--db", str(tmp_path / "nothing.duckdb"))
    assert result.returncode == 2
    assert "run `tradewatch run` first" in result.stderr
