"""A run killed half-way (SIGKILL), then an ordinary run, ends where an uninterrupted run ends:
nothing lost, nothing duplicated. The kill comes from a failpoint (flows/failpoints.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from flows.failpoints import NAMES
from flows.pipeline import pipeline_run
from tests.conftest import ROOT, SEEDS
from tests.servers import smtp_server, web_server, webhook_server

pytestmark = pytest.mark.usefixtures("prefect_harness")

TABLES = ("article", "event", "event_mention", "feed_item", "article_alias", "digest_log", "raw_document")
FACTS = """SELECT kind, number, status, start_text, end_text, location, vn_side, us_side, mention_count,
                  digest_id IS NOT NULL FROM events ORDER BY ALL"""


@pytest.fixture
def world(tmp_path, seeds_copy, monkeypatch):
    """Sources on a loopback web, and an SMTP server and a Slack webhook to deliver to."""
    with web_server() as web, smtp_server() as (smtp, port), webhook_server() as hook:
        web.serve("/rss/kinh-doanh.rss", "vnexpress-kinh-doanh.rss")
        web.serve("/rss/business.rss", "evnexpress-business.rss")
        for path, name in {
            "/round7-vi-5000001.html": "round7-vi.html",
            "/news/business/round7-en-5000101.html": "round7-en.html",
        }.items():
            web.serve(path, name, "text/html; charset=utf-8")
        sources = tmp_path / "sources.toml"
        sources.write_text(
            "\n".join(
                f'[[source]]\nid = "{sid}"\nname = "{sid}"\nkind = "rss"\nurl = "{web.base}{path}"\nlanguage = "vi"\n'
                for sid, path in (("vnexpress", "/rss/kinh-doanh.rss"), ("evnexpress", "/rss/business.rss"))
            ),
            encoding="utf-8",
        )
        env = {
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(port),
            "SMTP_SECURITY": "none",
            "EMAIL_FROM": "tw@example.org",
            "EMAIL_TO": "analyst@example.org",
            "SLACK_WEBHOOK_URL": hook.url,
            "DELIVERY_BACKOFF_S": "0.01",
            "FETCH_HOST_DELAY_S": "0",
            "FETCH_RETRIES": "0",
            "EXTRACT_BATCH_SIZE": "2",
        }
        for name, value in env.items():
            monkeypatch.setenv(f"TRADEWATCH_{name}", value)
        yield {"sources": sources, "seeds": seeds_copy, "smtp": smtp, "hook": hook}


def run_in_process(db: Path, world: dict) -> None:
    pipeline_run(
        db=db,
        seeds=world["seeds"],
        watch=SEEDS / "watch.toml",
        data_dir=db.parent / "data",
        trigger="test",
        sources=world["sources"],
    )


def run_killed(db: Path, world: dict, failpoint: str) -> int:
    from prefect.settings import PREFECT_API_URL

    env = {
        **os.environ,
        "TRADEWATCH_FAILPOINT": failpoint,
        "PREFECT_API_URL": str(PREFECT_API_URL.value()),
        "TRADEWATCH_DATA_DIR": str(db.parent / "data"),
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tradewatch",
            "run",
            "--db",
            str(db),
            "--seeds",
            str(world["seeds"]),
            "--sources",
            str(world["sources"]),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return done.returncode


def state(db: Path) -> tuple[dict[str, int], list[tuple], list[tuple]]:
    conn = duckdb.connect(str(db), read_only=True)
    try:
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
        deliveries = conn.execute("SELECT channel, status FROM deliveries ORDER BY ALL").fetchall()
        return counts, conn.execute(FACTS).fetchall(), deliveries
    finally:
        conn.close()


@pytest.mark.parametrize("failpoint", NAMES)
def test_a_killed_run_then_a_run_ends_like_an_uninterrupted_run(tmp_path, world, failpoint):
    reference = tmp_path / "reference" / "w.duckdb"
    reference.parent.mkdir()
    run_in_process(reference, world)
    expected = state(reference)
    emails, posts = len(world["smtp"].messages), len(world["hook"].posts)
    assert (emails, posts) == (1, 1)

    crashed = tmp_path / "crashed" / "w.duckdb"
    crashed.parent.mkdir()
    assert run_killed(crashed, world, failpoint) == -9  # SIGKILL, at the failpoint
    run_in_process(crashed, world)
    assert state(crashed) == expected

    conn = duckdb.connect(str(crashed), read_only=True)
    statuses = sorted(r[0] for r in conn.execute("SELECT status FROM runs").fetchall())
    conn.close()
    assert statuses == ["abandoned", "succeeded"]
    new_emails = world["smtp"].messages[emails:]
    new_posts = world["hook"].posts[posts:]
    assert len(new_posts) == 1  # the Slack post went out once
    # The email went out once — or, killed between the server's acceptance and the outbox's record,
    # twice as the very same message (one Message-ID), which mail clients show once.
    assert len({m.message["Message-ID"] for m in new_emails}) == 1
    assert len(new_emails) == (2 if failpoint == "deliver:after-send" else 1)
