"""One real event, one row: whatever the order the articles arrive in, and after a replay."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from flows.pipeline import pipeline_run
from tests.conftest import SEEDS
from tradewatch.cli import app

pytestmark = pytest.mark.usefixtures("prefect_harness")

FACTS = """SELECT kind, number, mode, status, start_text, end_text, location, vn_side, us_side, topics, conflicts,
                  mention_count FROM events ORDER BY ALL"""


def run(db: Path, seeds: Path, data: Path):
    return pipeline_run(db=db, seeds=seeds, watch=SEEDS / "watch.toml", data_dir=data, trigger="test")


def facts(db: Path) -> list[tuple]:
    conn = duckdb.connect(str(db), read_only=True)
    try:
        return conn.execute(FACTS).fetchall()
    finally:
        conn.close()


def test_articles_arriving_one_run_at_a_time_in_reverse_give_the_same_events(tmp_path, seeds_copy):
    run(tmp_path / "batch.duckdb", seeds_copy, tmp_path / "d1")
    trickle = tmp_path / "trickle"
    trickle.mkdir()
    for path in sorted(seeds_copy.glob("*.txt"), reverse=True):
        shutil.copy(path, trickle / path.name)
        run(tmp_path / "trickle.duckdb", trickle, tmp_path / "d2")
    assert facts(tmp_path / "trickle.duckdb") == facts(tmp_path / "batch.duckdb")


def test_replay_keeps_events_and_announces_nothing_again(tmp_path, seeds_copy):
    db, data = tmp_path / "w.duckdb", tmp_path / "data"
    run(db, seeds_copy, data)
    conn = duckdb.connect(str(db), read_only=True)
    before_ids = conn.execute("SELECT event_id, digest_id FROM events ORDER BY 1").fetchall()
    conn.close()
    before = facts(db)
    result = CliRunner().invoke(app, ["replay", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "11 events kept their identity, 0 new" in result.output
    assert facts(db) == before
    conn = duckdb.connect(str(db), read_only=True)
    assert conn.execute("SELECT event_id, digest_id FROM events ORDER BY 1").fetchall() == before_ids
    conn.close()
    again = run(db, seeds_copy, data)
    assert again.digest_id is None and again.events_new == []


def test_replay_with_a_changed_extractor_announces_only_what_is_new(tmp_path, seeds_copy, monkeypatch):
    """A better extractor finds one more event: the replay keeps the rest, the next run announces it."""
    db, data = tmp_path / "w.duckdb", tmp_path / "data"
    (seeds_copy / "100.txt").write_text(
        " date 2026-03-06 Chiều 5/3, tại Hà Nội, Quyền Bộ trưởng Lê Mạnh Hùng đã có cuộc hội đàm với Bộ trưởng "
        "Thương mại Hoa Kỳ Howard Lutnick về Hiệp định Thương mại đối ứng.\n",
        encoding="utf-8",
    )
    profile_text = (SEEDS / "watch.toml").read_text(encoding="utf-8")
    weaker = tmp_path / "weaker.toml"
    weaker.write_text(profile_text.replace('"hội đàm", ', ""), encoding="utf-8")
    pipeline_run(db=db, seeds=seeds_copy, watch=weaker, data_dir=data, trigger="test")
    assert len(facts(db)) == 11  # the weaker vocabulary misses the talks
    result = CliRunner().invoke(app, ["replay", "--db", str(db), "--watch", str(SEEDS / "watch.toml")])
    assert "11 events kept their identity, 1 new" in result.output
    nxt = run(db, seeds_copy, data)
    assert "1 new event ·" in (nxt.digest_markdown or "")
    assert "Meeting: Lê Mạnh Hùng – Howard Lutnick — 5 Mar 2026, Hà Nội" in (nxt.digest_markdown or "")
