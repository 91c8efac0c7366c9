"""Loading at batch speed changes nothing but the speed: the warehouse a backfill leaves is the one
the same articles would leave arriving one at a time, however they are cut into batches and
wherever they are parsed; and the naive implementation `make bench` measures against agrees."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from bench.corpus import as_page, records, write_jsonl
from bench.naive import agreement, naive_backfill
from flows.backfill import backfill_flow
from parsers.models import Article
from tests.conftest import SEEDS
from warehouse import store
from warehouse.db import connect, transaction
from warehouse.dedupe import LEAD_BUCKET_CAP, dedupe_pending

NOW = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
WATCH = SEEDS / "watch.toml"

SNAPSHOT = {
    "copies": """SELECT a.url, c.url, a.duplicate_kind, round(a.similarity, 6) FROM article a
                 LEFT JOIN article c ON c.article_id = a.duplicate_of ORDER BY ALL""",
    "events": """SELECT kind, number, status, start_text, end_text, location, vn_side, us_side, mention_count,
                        source_count FROM events ORDER BY ALL""",
    "sightings": """SELECT a.url, s.url, s.source_id FROM article_sighting s JOIN article a USING (article_id)
                    ORDER BY ALL""",
    "mentions": "SELECT a.url, m.ordinal, m.kind, m.start_text FROM event_mention m JOIN article a USING (article_id) "
    "ORDER BY ALL",
}


def snapshot(db: Path) -> dict[str, list[tuple]]:
    conn = duckdb.connect(str(db), read_only=True)
    try:
        return {name: conn.execute(sql).fetchall() for name, sql in SNAPSHOT.items()}
    finally:
        conn.close()


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("corpus") / "pages.jsonl"
    write_jsonl(str(path), 160, seed=5, pages=True)
    return path


def test_the_batches_a_backfill_is_cut_into_change_nothing(tmp_path, pages):
    whole = backfill_flow.fn(path=pages, db=tmp_path / "a.duckdb", watch=WATCH, batch_size=500, parse_with="inline")
    cut = backfill_flow.fn(
        path=pages, db=tmp_path / "b.duckdb", watch=WATCH, batch_size=7, parse_with="processes", workers=2
    )
    assert (whole.inputs, whole.copies, whole.events_new) == (cut.inputs, cut.copies, cut.events_new)
    first, second = snapshot(tmp_path / "a.duckdb"), snapshot(tmp_path / "b.duckdb")
    assert first == second
    assert whole.copies > 0 and whole.events_new > 0  # the corpus has reprints and events to find


def test_the_naive_backfill_finds_the_same_events_and_copies(tmp_path, pages):
    backfill_flow.fn(path=pages, db=tmp_path / "fast.duckdb", watch=WATCH, parse_with="inline")
    naive_backfill(pages, tmp_path / "naive.duckdb", WATCH)
    verdict = agreement(tmp_path / "fast.duckdb", tmp_path / "naive.duckdb")
    assert verdict["same"], verdict
    assert verdict["copies"]["fast"] > 0 and verdict["events"]["fast"] > 0
    assert snapshot(tmp_path / "fast.duckdb") == snapshot(tmp_path / "naive.duckdb")


def _article(url: str, body: str) -> Article:
    return Article(url=url, title=None, body=body, language="vi", published=None, source_id=url.split("/")[2])


LONG = " ".join(f"Câu thứ {n} của bài viết về thương mại song phương với nhiều chi tiết riêng." for n in range(40))


def test_an_exact_copy_of_a_copy_names_the_original(tmp_path):
    conn = connect(tmp_path / "w.duckdb")
    trimmed = LONG.rsplit(" Câu thứ 39", 1)[0]  # a reprint without the last sentence: a near copy
    with transaction(conn):
        store.save_articles(conn, [(_article("https://a.vn/1", LONG), None)], "r1", NOW, sequence=0)
        dedupe_pending(conn)
    with transaction(conn):  # one batch: the reprint, then a verbatim copy of the reprint
        outcomes = store.save_articles(
            conn,
            [(_article("https://b.vn/2", trimmed), None), (_article("https://c.vn/3", trimmed), None)],
            "r2",
            NOW,
            sequence=1,
        )
        assert outcomes == ["new", "duplicate"]
        dedupe_pending(conn)
    rows = conn.execute(
        "SELECT url, (SELECT url FROM article o WHERE o.article_id = a.duplicate_of), duplicate_kind FROM article a "
        "ORDER BY url"
    ).fetchall()
    assert rows == [
        ("https://a.vn/1", None, None),
        ("https://b.vn/2", "https://a.vn/1", "near"),
        ("https://c.vn/3", "https://a.vn/1", "near"),
    ]
    # and the story was seen at all three places
    assert conn.execute("SELECT count(*) FROM article_sighting").fetchone() == (3,)
    conn.close()


def test_a_boilerplate_lead_shared_by_many_stories_does_not_hide_a_real_copy(tmp_path):
    lead = "Theo Thông tấn xã Việt Nam, chiều nay tại Hà Nội đã diễn ra phiên làm việc giữa hai đoàn về thương mại."
    stories = [
        f"{lead} "
        + " ".join(f"Chi tiết {n}-{k}: số liệu {n * 31 + k} và nhận định riêng số {k} của bài {n}." for k in range(25))
        for n in range(LEAD_BUCKET_CAP + 20)
    ]
    conn = connect(tmp_path / "w.duckdb")
    with transaction(conn):
        store.save_articles(
            conn, [(_article(f"https://s.vn/{n}", s), None) for n, s in enumerate(stories)], "r1", NOW, sequence=0
        )
        assert dedupe_pending(conn).near_duplicates == 0  # one template, different stories
    assert (
        conn.execute("SELECT max(n) FROM (SELECT count(*) n FROM article_band GROUP BY band, bucket)").fetchone()[0]
        <= 100
    )
    last = stories[-1]  # entered no full lead bucket, yet its reprint is found
    with transaction(conn):
        store.save_articles(
            conn, [(_article("https://copy.vn/1", last + " Theo TTXVN."), None)], "r2", NOW, sequence=100
        )
        assert dedupe_pending(conn).near_duplicates == 1
    copy_of = conn.execute(
        "SELECT o.url FROM article a JOIN article o ON o.article_id = a.duplicate_of WHERE a.url = 'https://copy.vn/1'"
    ).fetchone()
    assert copy_of == (f"https://s.vn/{len(stories) - 1}",)
    conn.close()


def test_raw_pages_are_kept_deflated_and_read_back_as_fetched(tmp_path, pages):
    backfill_flow.fn(path=pages, db=tmp_path / "w.duckdb", watch=WATCH, parse_with="inline")
    conn = connect(tmp_path / "w.duckdb")
    line = pages.read_bytes().splitlines(keepends=True)[3]
    from parsers.fingerprint import sha256_hex

    assert store.read_raw(conn, sha256_hex(line)) == line
    stored, original = conn.execute(
        "SELECT sum(octet_length(content)), count(*) FROM raw_document WHERE content_encoding = 'deflate'"
    ).fetchone()
    assert original == 160 and stored < pages.stat().st_size / 3
    conn.close()


def test_every_page_of_the_corpus_gives_its_record_text():
    """The benchmark's pages are realistic only if the parser finds in them the text they wrap."""
    from parsers.page import parse_article_page

    for record in records(60, seed=8):
        page = as_page(record)
        article = parse_article_page(str(page["url"]), str(page["html"]))
        assert 80_000 <= len(str(page["html"]).encode()) <= 160_000
        # a reprint's closing "Theo TTXVN" (a reprint's reprint has two) is a credit line, which the
        # parser leaves out like a byline
        expected = str(record["body"])
        while expected.endswith("\nTheo TTXVN"):
            expected = expected.removesuffix("\nTheo TTXVN")
        assert article.body.split("\n| ")[0] == expected
        assert article.title == record["title"] and str(article.published) == record["published"]


def test_a_killed_writer_leaves_no_parsing_processes_behind(tmp_path):
    """The processes that parse for a backfill or replay end with the process that feeds them."""
    import os
    import signal
    import subprocess
    import sys
    import time

    script = tmp_path / "feeder.py"
    script.write_text(
        "import time\n"
        "from flows.parallel import map_in_order\n"
        "if __name__ == '__main__':\n"
        "    for _ in map_in_order(time.sleep, [30] * 8, workers=2):\n"
        "        pass\n",
        encoding="utf-8",
    )
    feeder = subprocess.Popen([sys.executable, str(script)], cwd=Path(__file__).resolve().parents[1])

    def workers() -> list[int]:
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == feeder.pid and "spawn_main" in (
                    entry / "cmdline"
                ).read_bytes().decode(errors="replace"):
                    found.append(int(entry.name))
        return found

    deadline = time.monotonic() + 30
    while len(started := workers()) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(started) == 2
    os.kill(feeder.pid, signal.SIGKILL)
    feeder.wait()
    deadline = time.monotonic() + 10
    alive = started
    while alive and time.monotonic() < deadline:
        time.sleep(0.2)
        alive = [pid for pid in started if Path(f"/proc/{pid}").exists() and "Z" not in _state(pid)]
    assert alive == []


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"


@pytest.mark.parametrize("batches", [1, 2])
def test_a_text_tagged_in_another_language_is_not_a_copy(tmp_path, batches):
    """Stored candidates and candidates from the same batch obey the same rules."""
    conn = connect(tmp_path / "w.duckdb")
    english = Article("https://en.vn/1", None, LONG, "en", None, "en")
    tagged_vi = Article("https://vi.vn/1", None, LONG + " Thêm một câu.", "vi", None, "vi")
    arrivals = [[english, tagged_vi]] if batches == 1 else [[english], [tagged_vi]]
    for number, batch in enumerate(arrivals):
        with transaction(conn):
            store.save_articles(conn, [(a, None) for a in batch], "r1", NOW, sequence=number)
            dedupe_pending(conn)
    assert conn.execute("SELECT count(*) FROM article WHERE duplicate_of IS NOT NULL").fetchone() == (0,)
    conn.close()
