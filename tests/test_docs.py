"""The README is part of the product: its settings, commands, views and queries are checked."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
import typer

from fetch.http import Fetcher, FetchPolicy
from flows import polling, steps
from flows.settings import Settings
from parsers.profile import load_profile
from parsers.registry import SourceConfig
from tests.conftest import ROOT, SEEDS
from tests.servers import free_port
from tradewatch.cli import app
from warehouse import store
from warehouse.db import connect
from warehouse.queries import run_query

README = (ROOT / "README.md").read_text(encoding="utf-8")
VIEWS = (
    "events",
    "event_mentions",
    "articles",
    "sources",
    "runs",
    "digests",
    "deliveries",
    "fetches",
    "feed_items",
    "sightings",
)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Path:
    """A warehouse built from the seeds by the pipeline's steps (no Prefect needed)."""
    tmp = tmp_path_factory.mktemp("docs")
    db, now = tmp / "w.duckdb", datetime.now(UTC)
    conn = connect(db)
    store.start_run(conn, "r-docs", "test", now)
    steps.ingest_seeds(conn, SEEDS, "r-docs", now)
    # And a source that cannot be reached, as any machine without the internet would see it.
    dead = SourceConfig("unreachable", "Unreachable", "rss", f"http://127.0.0.1:{free_port()}/x.rss", "vi")
    profile = load_profile(SEEDS / "watch.toml")
    with Fetcher(FetchPolicy(retries=0, per_host_delay_s=0)) as fetcher:
        polling.poll_sources(conn, [dead], fetcher, profile, "r-docs", lambda: now)
    steps.extract_pending(conn, profile, "r-docs", now)
    steps.merge_events(conn, "r-docs", now, profile.geography)
    digest = steps.build_digest(conn, "test", now)
    assert digest is not None
    steps.publish_digest(conn, digest, tmp, "r-docs", now)
    store.finish_run(conn, "r-docs", now, status="succeeded", counts={}, digest_id=digest.digest_id)
    conn.close()
    return db


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_is_documented(name):
    assert f"`TRADEWATCH_{name.upper()}`" in README
    assert Settings.model_fields[name].description


@pytest.mark.parametrize("command", typer.main.get_command(app).commands.values(), ids=lambda c: c.name)
def test_every_command_is_documented_and_has_help(command):
    assert f"### `tradewatch {command.name}`" in README
    assert command.help


def documented_columns(view: str) -> list[str]:
    section = README.split(f"### `{view}`", 1)[1].split("\n### ", 1)[0]
    return re.findall(r"^\| `(\w+)` \|", section, flags=re.MULTILINE)


@pytest.mark.parametrize("view", VIEWS)
def test_every_view_column_is_documented(view, seeded):
    result = run_query(seeded, f"DESCRIBE {view}", max_rows=200, timeout_s=10)
    actual = [row[0] for row in result.rows]
    assert documented_columns(view) == actual


SQL_EXAMPLES = re.findall(r"```sql\n(.*?)```", README, flags=re.DOTALL)


def test_the_readme_has_example_queries():
    assert len(SQL_EXAMPLES) >= 5


@pytest.mark.parametrize("sql", SQL_EXAMPLES, ids=lambda s: s.split("\n")[0][:40])
def test_every_example_query_runs_and_returns_rows(sql, seeded):
    result = run_query(seeded, sql, max_rows=1000, timeout_s=10)
    assert result.rows, "an example should show something on the seeds"
