"""The whole pipeline on Prefect's engine: seeds -> DuckDB -> events -> digest, run twice."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from flows import steps
from flows.pipeline import pipeline_run
from parsers.profile import load_profile
from tests.conftest import SEEDS, rows
from warehouse import store
from warehouse.db import connect, transaction

pytestmark = pytest.mark.usefixtures("prefect_harness")

NEW_MEETING = (
    " date 2026-03-06 Chiều 5/3, tại Hà Nội, Bộ trưởng Lê Mạnh Hùng đã có buổi làm việc với Trưởng Đại diện "
    "Thương mại Hoa Kỳ Jamieson Greer nhằm thúc đẩy đàm phán Hiệp định Thương mại đối ứng.\n"
    "Hai bên nhất trí tiếp tục trao đổi ở cấp kỹ thuật."
)


def run(tmp_path: Path, seeds: Path):
    return pipeline_run(
        db=tmp_path / "w.duckdb", seeds=seeds, watch=SEEDS / "watch.toml", data_dir=tmp_path / "data", trigger="test"
    )


def query(tmp_path: Path, sql: str) -> list[tuple]:
    return rows(tmp_path / "w.duckdb", sql)


def table_counts(tmp_path: Path) -> dict[str, int]:
    return {
        name: query(tmp_path, f"SELECT count(*) FROM {name}")[0][0]
        for name in ("article", "event", "event_mention", "digest_log", "delivery_log", "raw_document")
    }


def test_two_runs_give_one_warehouse_and_one_digest(tmp_path, seeds_copy):
    first = run(tmp_path, seeds_copy)
    assert first.articles_new == 5
    assert len(first.events_new) == 11
    assert first.digest_path is not None and first.digest_path.exists()
    counts = table_counts(tmp_path)

    second = run(tmp_path, seeds_copy)
    assert second.articles_new == 0 and second.events_new == [] and second.digest_id is None
    assert table_counts(tmp_path) == counts
    assert [p.name for p in (tmp_path / "data" / "digests").iterdir()] == [first.digest_path.name]
    # Natural keys hold: no row is there twice.
    assert query(tmp_path, "SELECT count(*), count(DISTINCT url) FROM article")[0] == (5, 5)
    assert query(tmp_path, "SELECT count(*), count(DISTINCT mention_id) FROM event_mention")[0] == (16, 16)
    runs = query(
        tmp_path, "SELECT status, articles_new, events_new, digest_id IS NOT NULL FROM runs ORDER BY started_at"
    )
    assert runs == [("succeeded", 5, 11, True), ("succeeded", 0, 0, False)]


def test_the_fifth_round_is_one_event_with_three_mentions(tmp_path, seeds_copy):
    run(tmp_path, seeds_copy)
    rows = query(
        tmp_path,
        "SELECT number, start_date::VARCHAR, end_date::VARCHAR, location, mention_count, status "
        "FROM events WHERE kind = 'round' ORDER BY number",
    )
    assert rows == [
        (3, None, None, None, 1, "held"),
        (5, "2025-11-12", "2025-11-14", "Washington D.C.", 3, "held"),
        (6, None, None, None, 1, "ongoing"),
    ]
    sources = query(
        tmp_path,
        "SELECT url FROM event_mentions WHERE event_id = "
        "(SELECT event_id FROM events WHERE kind = 'round' AND number = 5) ORDER BY url",
    )
    assert [s[0] for s in sources] == [
        "seed://000_1fb59537245cd6df.txt",
        "seed://002_d436dac1ee0d164f.txt",
        "seed://003_765b38809bddbffd.txt",
    ]


def test_the_digest_lists_each_event_once_with_its_sources(tmp_path, seeds_copy):
    summary = run(tmp_path, seeds_copy)
    text = summary.digest_path.read_text(encoding="utf-8")
    assert text == summary.digest_markdown
    for heading in (
        "## Round 5 — 12–14 Nov 2025, Washington D.C., held",
        "## Round 3 —",
        "## Round 6 —",
        "## Ministerial session 8 — 10 Nov 2025, held",
        "## Meeting: Nguyễn Sinh Nhật Tân – Rick Switzer — 12 Nov 2025, Washington D.C., held",
        "## Meeting: Nguyễn Hồng Diên – Jacob Helberg — 14 Nov 2025, Washington D.C., held",
        "## Meeting: Lê Mạnh Hùng – Jacob Helberg — 2 Feb 2026, held",
    ):
        assert text.count(heading) == 1, heading
    assert text.count("\n## ") == 12  # 11 events and the timeline
    assert "> Từ ngày 12–14/11/2025, tại Washington D.C, vòng đàm phán trực tiếp lần thứ 5" in text
    assert query(tmp_path, "SELECT count(*) FROM events WHERE digest_id IS NULL")[0][0] == 0


def test_a_new_meeting_in_a_later_run_makes_a_digest_of_its_own(tmp_path, seeds_copy):
    run(tmp_path, seeds_copy)
    (seeds_copy / "100_new_meeting.txt").write_text(NEW_MEETING, encoding="utf-8")
    summary = run(tmp_path, seeds_copy)
    assert summary.articles_new == 1 and len(summary.events_new) == 1
    digest = summary.digest_markdown
    assert "1 new event ·" in digest
    assert "## Meeting: Lê Mạnh Hùng – Jamieson Greer — 5 Mar 2026, Hà Nội, held" in digest
    assert "Round 5 —" not in digest.split("## The negotiation so far")[0]
    assert query(tmp_path, "SELECT count(*) FROM digests")[0][0] == 2


def test_bad_files_are_reported_and_the_run_goes_on(tmp_path, seeds_copy):
    # Valid UTF-8 with stray bytes in the middle, as a mis-saved page would have.
    (seeds_copy / "broken.txt").write_bytes(" date 2025-11-20 Tin vắn".encode() + b"\xff\xfe" + " kinh tế.".encode())
    (seeds_copy / "empty.txt").write_bytes(b"")
    summary = run(tmp_path, seeds_copy)
    assert summary.articles_new == 6  # the five seeds and the one with bad bytes
    assert len(summary.events_new) == 11
    problems = query(tmp_path, "SELECT subject, code FROM run_problem ORDER BY subject")
    assert problems == [("broken.txt", "encoding"), ("empty.txt", "empty")]


def test_a_run_that_died_half_way_is_finished_by_the_next(tmp_path, seeds_copy):
    # A run that stored the articles and died before extracting them.
    conn = connect(tmp_path / "w.duckdb")
    now = datetime.now(UTC)
    with transaction(conn):
        store.start_run(conn, "r-crashed", "test", now)
    steps.ingest_seeds(conn, seeds_copy, "r-crashed", now)
    extract = steps.extract_pending(conn, load_profile(SEEDS / "watch.toml"), "r-crashed", now, batch_size=2)
    conn.execute("UPDATE article SET extracted_at = NULL, relevant = NULL WHERE url LIKE '%004%'")
    conn.execute(
        "DELETE FROM event_mention WHERE article_id IN (SELECT article_id FROM article WHERE url LIKE '%004%')"
    )
    conn.close()
    assert extract.articles == 5

    summary = run(tmp_path, seeds_copy)
    assert summary.abandoned_runs == 1
    assert summary.articles_new == 0 and summary.articles_extracted == 1
    assert len(summary.events_new) == 11
    statuses = dict(query(tmp_path, "SELECT run_id, status FROM runs"))
    assert statuses["r-crashed"] == "abandoned"


def test_each_run_publishes_its_counts_as_a_markdown_artifact(tmp_path, seeds_copy):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    summary = run(tmp_path, seeds_copy)
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["tradewatch-run-summary"]))
        )
    mine = [a for a in artifacts if summary.run_id in (a.data or "")]
    assert len(mine) == 1
    assert "| events new | 11 |" in mine[0].data
    assert "Round 5 — 12–14 Nov 2025, Washington D.C." in mine[0].data
