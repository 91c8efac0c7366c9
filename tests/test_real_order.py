"""One real event, one row, in any order of arrival — on the real corpus (../shared/eval/real), when
it is here. The warehouse is fed with the library steps a run is made of (no Prefect: the flow only
orchestrates them), one publication day per run, forward, backward and all at once."""

from __future__ import annotations

import json
import random
import shutil
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from flows import steps
from tests.eval import real
from warehouse.db import connect
from warehouse.merge import resolve

pytestmark = pytest.mark.skipif(not real.available(), reason="the real corpus (../shared/eval/real) is not here")


@pytest.fixture(scope="module")
def corpus(profile):
    return real.pages(profile)


def _facts(clusters):
    return sorted(
        (
            c.kind,
            str(c.canonical.number),
            str(c.canonical.start),
            c.canonical.status,
            sorted(m.mention_id for m in c.mentions),
        )
        for c in clusters
    )


def test_resolution_does_not_depend_on_the_order_of_the_mentions(corpus, profile):
    mentions, published = real.mentions_of(corpus)
    reference = _facts(resolve(mentions, published, profile.geography).clusters)
    for seed in range(3):
        shuffled = list(mentions)
        random.Random(seed).shuffle(shuffled)
        assert _facts(resolve(shuffled, published, profile.geography).clusters) == reference


def _days(corpus) -> list[list[str]]:
    """The pages by publication day, in date order; undated pages on the first day (as the
    corpus's replay_days.py feeds them)."""
    days = sorted({p.gold["published"] for p in corpus if p.gold.get("published")})
    by_day: dict[str, list[str]] = defaultdict(list)
    for page in corpus:
        by_day[page.gold.get("published") or days[0]].append(page.gold["id"])
    return [by_day[d] for d in days]


def _feed(tmp: Path, batches: list[list[str]], profile) -> tuple[list[tuple], dict[str, int]]:
    """Run the pipeline's steps once per batch; return the events' facts (up to ids) and, for each
    final event, how many digests announced it as new."""
    seeds, db = tmp / "seeds", tmp / "tw.duckdb"
    seeds.mkdir()
    announced: dict[str, int] = defaultdict(int)
    t = datetime(2026, 3, 1, tzinfo=UTC)
    with connect(db) as conn:
        for i, batch in enumerate(batches):
            now, run_id = t + timedelta(hours=i), f"r{i:03d}"
            for page_id in batch:
                shutil.copy(real.REAL / "pages" / f"{page_id}.txt", seeds / f"{page_id}.txt")
            steps.ingest_seeds(conn, seeds, run_id, now)
            steps.dedupe(conn)
            steps.extract_pending(conn, profile, run_id, now)
            steps.merge_events(conn, run_id, now, profile.geography)
            digest = steps.build_digest(conn, profile.name, now)
            if digest is not None:
                steps.publish_digest(conn, digest, tmp / "data", run_id, now)
                for event in digest.events:
                    if event.change != "updated":
                        announced[event.event_id] += 1
        retired = dict(conn.execute("SELECT event_id, merged_into FROM event_retired").fetchall())
        # Which of two copies is the original depends on which came first; the events do not.
        rows = conn.execute(
            "SELECT event_id, kind, number, start_text, end_text, status, location, mention_count, tentative"
            " FROM events"
        ).fetchall()
    # An announcement of an event later retired into another one counts for the one it went into.
    per_event: dict[str, int] = defaultdict(int)
    for event_id, n in announced.items():
        while event_id in retired and retired[event_id]:
            event_id = retired[event_id]
        per_event[event_id] += n
    facts = sorted(tuple(str(v) for v in r[1:]) for r in rows)
    return facts, {r[0]: per_event.get(r[0], 0) for r in rows}


@pytest.fixture(scope="module")
def fed(corpus, profile, tmp_path_factory):
    days = _days(corpus)
    forward = _feed(tmp_path_factory.mktemp("forward"), days, profile)
    backward = _feed(tmp_path_factory.mktemp("backward"), list(reversed(days)), profile)
    batch = _feed(tmp_path_factory.mktemp("batch"), [[p for day in days for p in day]], profile)
    return forward, backward, batch


def test_one_day_per_run_forward_backward_or_all_at_once_gives_the_same_events(fed):
    (forward, _), (backward, _), (batch, _) = fed
    assert forward == batch
    assert backward == batch


def test_each_event_is_announced_once_whatever_the_order(fed):
    for _, announcements in fed:
        assert sorted(set(announcements.values())) == [1], json.dumps(announcements)
