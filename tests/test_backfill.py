"""Backfill: history through the same path as a run, in batches, with or without a Dask cluster."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from bench.corpus import write_jsonl
from tests.conftest import SEEDS
from tradewatch.cli import app

pytestmark = pytest.mark.usefixtures("prefect_harness")

FACTS = """SELECT kind, number, status, start_text, end_text, location, vn_side, us_side, mention_count
           FROM events ORDER BY ALL"""


def backfill(tmp_path: Path, name: str, source: Path, *extra: str) -> tuple[str, list[tuple]]:
    db = tmp_path / f"{name}.duckdb"
    result = CliRunner().invoke(app, ["backfill", str(source), "--db", str(db), "--batch-size", "100", *extra])
    assert result.exit_code == 0, result.output
    conn = duckdb.connect(str(db), read_only=True)
    try:
        return result.output, conn.execute(FACTS).fetchall()
    finally:
        conn.close()


def test_backfill_gives_the_same_events_with_and_without_dask(tmp_path):
    corpus = tmp_path / "history.jsonl"
    write_jsonl(str(corpus), 400, seed=11)
    labelled = {json.loads(line)["event"] for line in corpus.read_text(encoding="utf-8").splitlines()} - {None}
    plain_output, plain = backfill(tmp_path, "plain", corpus)
    dask_output, on_dask = backfill(tmp_path, "dask", corpus, "--dask", "local")
    assert on_dask == plain
    assert "400 inputs" in plain_output and "(recorded as known: no digest)" in plain_output
    # One event row per real event in the synthetic history: every round and meeting, once.
    assert len(plain) == len(labelled)


def test_backfill_of_a_folder_then_a_run_announces_nothing_old(tmp_path, seeds_copy):
    from flows.pipeline import pipeline_run

    output, events = backfill(tmp_path, "w", seeds_copy)
    assert len(events) == 11 and "5 inputs" in output
    summary = (
        pipeline_run(
            db=tmp_path / "w.duckdb",
            seeds=tmp_path / "empty",
            watch=SEEDS / "watch.toml",
            data_dir=tmp_path / "data",
            trigger="test",
        )
        if (tmp_path / "empty").mkdir() is None
        else None
    )
    assert summary is not None and summary.digest_id is None  # history is not news


def test_bad_records_are_reported_and_the_rest_loaded(tmp_path):
    corpus = tmp_path / "mixed.jsonl"
    good = {
        "url": "https://example.vn/a-1.html",
        "title": "Vòng đàm phán thứ 9",
        "body": "Ngày 5/5/2026, tại Hà Nội, vòng đàm phán thứ 9 Hiệp định Thương mại đối ứng đã diễn ra.",
        "published": "2026-05-06",
    }
    corpus.write_text(
        "\n".join(
            [
                json.dumps(good, ensure_ascii=False),
                "{not json",
                json.dumps({"title": "no url"}),
                json.dumps({**good, "url": "https://example.vn/a-2.html", "published": "soon"}),
            ]
        ),
        encoding="utf-8",
    )
    output, events = backfill(tmp_path, "w", corpus)
    assert "4 inputs, 1 articles stored" in output
    assert "not JSON" in output and "a record needs a url" in output and "published is not a date" in output
    assert [(e[0], e[1], e[3]) for e in events] == [("round", 9, "2026-05-05")]
