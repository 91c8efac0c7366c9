"""Polling real HTTP on loopback through the whole flow: feeds, a listing page, article pages, and
every broken answer FEEDS.md describes, each recorded against its source while the run goes on."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from flows.pipeline import pipeline_run
from tests.conftest import SEEDS, rows
from tests.servers import Route, free_port, web_server
from tradewatch.cli import app

pytestmark = pytest.mark.usefixtures("prefect_harness")

FEEDS = {
    "vnexpress-kinh-doanh": ("/rss/kinh-doanh.rss", "vnexpress-kinh-doanh.rss"),
    "baochinhphu-kinh-te": ("/kinh-te.rss", "baochinhphu-kinh-te.rss"),
    "sggp-kinh-te": ("/rss/kinh-te-89.rss", "sggp-kinh-te.rss"),
    "thanhnien-kinh-te": ("/tn/kinh-te.rss", "thanhnien-kinh-te.rss"),
    "vietnambiz-tai-chinh": ("/vb/tai-chinh.rss", "vietnambiz-tai-chinh.rss"),
    "vneconomy-the-gioi": ("/the-gioi.rss", "vneconomy-the-gioi.rss"),
    "evnexpress-business": ("/rss/business.rss", "evnexpress-business.rss"),
}
PAGES = {
    "/round7-vi-5000001.html": "round7-vi.html",
    "/amp/round7-vi-5000001.html": "round7-vi-amp.html",
    "/news/business/round7-en-5000101.html": "round7-en.html",
    "/about/policy-offices/press-office/press-releases/2026/march/"
    "united-states-and-vietnam-conclude-seventh-round-negotiations-agreement-reciprocal-trade": "round7-ustr.html",
    "/about-us/policy-offices/press-office/press-releases/2026/march/"
    "ustr-announces-hearing-schedule-section-301": "ustr-301.html",
    "/xuat-khau-185260313.htm": "export.html",
}
NEVER_FETCHED = [
    "/gia-vang-5000002.html",
    "/dau-tu-cong-102260313090000001.htm",
    "/mua-lon-post900001.html",
    "/ty-gia-usd-13-3.htm",
    "/fed-giu-nguyen-lai-suat.htm",
    "/news/business/rice-5000102.html",
]
QUIRKS = {  # source id: (path, route, the error code it must be recorded with)
    "challenge": (
        "/challenge.rss",
        Route(
            b'<html><script>document.cookie="D1N=1";window.location.reload(true)</script></html>',
            content_type="text/html",
        ),
        "not_a_feed",
    ),
    "dead": (
        "/tin-moi.rss",
        Route(b'<?xml version="1.0"?><rss version="2.0"><channel><title>No Content</title></channel></rss>'),
        "empty_feed",
    ),
    "gone": ("/gone.rss", Route(b"", status=410), "http_4xx"),
    "missing": ("/missing.rss", Route(b"", status=404), "http_4xx"),
    "slow": ("/slow.rss", Route(b"<rss/>", delay_s=3), "timeout"),
    "huge": ("/huge.rss", Route(stream_bytes=50 * 1024 * 1024), "too_large"),
    "loop": ("/loop-a", Route(redirect_to="/loop-a"), "redirects"),
    "malformed": ("/cut.rss", Route(b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>Cut'), "malformed"),
}


def source_table(sid: str, url: str, kind: str = "rss", language: str = "vi", **extra: str) -> str:
    lines = [
        "[[source]]",
        f'id = "{sid}"',
        f'name = "{sid}"',
        f'kind = "{kind}"',
        f'url = "{url}"',
        f'language = "{language}"',
        "interval = 0",
        *(f"{k} = {v}" for k, v in extra.items()),
    ]
    return "\n".join(lines) + "\n"


def registry(base: str) -> str:
    tables = [source_table(sid, f"{base}{path}") for sid, (path, _) in FEEDS.items()]
    tables.append(
        source_table(
            "ustr", f"{base}/press-releases", "html", "en", item_pattern='"/press-releases/\\\\d{4}/\\\\w+/.+"'
        )
    )
    tables += [source_table(sid, f"{base}{path}") for sid, (path, _, _) in QUIRKS.items()]
    return "\n".join(tables)


@pytest.fixture
def web(monkeypatch):
    for name, value in {
        "FETCH_READ_TIMEOUT_S": "0.5",
        "FETCH_CONNECT_TIMEOUT_S": "1",
        "FETCH_RETRIES": "1",
        "FETCH_HOST_DELAY_S": "0",
        "FETCH_MAX_BYTES": "2000000",
    }.items():
        monkeypatch.setenv(f"TRADEWATCH_{name}", value)
    with web_server() as server:
        for path, name in FEEDS.values():
            server.serve(path, name)
        server.serve("/press-releases", "ustr-press-releases.html", "text/html; charset=utf-8")
        for path, name in PAGES.items():
            server.serve(path, name, "text/html; charset=utf-8")
        for path, route, _ in QUIRKS.values():
            server.routes[path] = route
        yield server


def run(tmp_path: Path, seeds: Path, sources: Path):
    return pipeline_run(
        db=tmp_path / "w.duckdb",
        seeds=seeds,
        watch=SEEDS / "watch.toml",
        data_dir=tmp_path / "data",
        trigger="test",
        sources=sources,
    )


def query(tmp_path: Path, sql: str) -> list[tuple]:
    return rows(tmp_path / "w.duckdb", sql)


def counts(tmp_path: Path) -> dict[str, int]:
    return {
        t: query(tmp_path, f"SELECT count(*) FROM {t}")[0][0]
        for t in ("article", "event", "event_mention", "feed_item", "article_alias", "digest_log")
    }


def test_relevant_articles_are_fetched_and_merged_with_the_seeds(tmp_path, seeds_copy, web):
    sources = tmp_path / "sources.toml"
    sources.write_text(registry(web.base), encoding="utf-8")
    summary = run(tmp_path, seeds_copy, sources)

    rounds = query(
        tmp_path,
        "SELECT number, start_date::VARCHAR, end_date::VARCHAR, location, status, mention_count, "
        "source_count FROM events WHERE kind = 'round' ORDER BY number NULLS FIRST",
    )
    assert rounds[-1] == (7, "2026-03-10", "2026-03-13", "Hà Nội", "held", 3, 3)  # Vietnamese, English, USTR
    assert [r[0] for r in rounds] == [None, 3, 5, 6, 7]
    # "The two sides agreed to hold the next round in Washington in April": planned, not yet numbered.
    assert rounds[0][3:5] == ("Washington D.C.", "planned")
    meeting = query(
        tmp_path,
        "SELECT start_date::VARCHAR, location, mention_count FROM events "
        "WHERE list_contains(us_side, 'Rick Switzer') AND kind = 'meeting' "
        "AND list_contains(vn_side, 'Lê Mạnh Hùng')",
    )
    assert meeting == [("2026-03-11", "Hà Nội", 2)]
    assert len(summary.events_new) == 14  # the seeds' eleven, round 7, the meeting on its sidelines, the next round
    # One article for the page, its AMP copy and its tracking-parameter link.
    aliases = query(tmp_path, "SELECT count(DISTINCT article_id) FROM article_alias WHERE url LIKE '%round7-vi%'")
    assert aliases == [(1,)]
    # Items that do not concern the negotiation are stored as seen, never fetched.
    for path in NEVER_FETCHED:
        assert web.hits(path) == [], path
    skipped = query(tmp_path, "SELECT count(*) FROM feed_items WHERE page_status = 'skipped'")[0][0]
    assert skipped == len(NEVER_FETCHED)
    # The candidate whose page is gone is recorded, and does not stop anything.
    failed = query(tmp_path, "SELECT page_error FROM feed_items WHERE page_status = 'failed'")
    assert failed == [("HTTP 404",)]
    links_open(tmp_path, web, summary)


def links_open(tmp_path: Path, web, summary) -> None:
    """The key folds http into https (issue 14, item 5); the links shown are where pages answered."""
    page = f"{web.base}/round7-vi-5000001.html"
    key = page.replace("http://", "https://")
    assert query(tmp_path, f"SELECT url, page_url FROM articles WHERE url = '{key}'") == [(key, page)]
    assert query(tmp_path, "SELECT count(*) FROM articles WHERE page_url LIKE 'https://127.0.0.1%'") == [(0,)]
    mentions = query(tmp_path, f"SELECT DISTINCT page_url FROM event_mentions WHERE url = '{key}'")
    assert mentions == [(page,)]
    seeds = query(tmp_path, "SELECT count(*) FROM articles WHERE source_id = 'seeds' AND page_url <> url")
    assert seeds == [(0,)]
    from delivery.render import render_html, render_slack
    from parsers.digest import digest_from_json
    from warehouse import outbox

    assert f"]({page})" in summary.digest_markdown and f"]({key})" not in summary.digest_markdown
    conn = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    try:
        digest = digest_from_json(outbox.digest_payload(conn, summary.digest_id))
    finally:
        conn.close()
    assert f'href="{page}"' in render_html(digest) and key not in render_html(digest)
    assert f"<{page}|" in json.dumps(render_slack(digest), ensure_ascii=False)


def test_every_broken_source_is_recorded_and_the_run_goes_on(tmp_path, seeds_copy, web):
    sources = tmp_path / "sources.toml"
    sources.write_text(registry(web.base), encoding="utf-8")
    summary = run(tmp_path, seeds_copy, sources)
    codes = dict(query(tmp_path, "SELECT source_id, last_error_code FROM sources WHERE kind <> 'seeds'"))
    for sid, (_, _, code) in QUIRKS.items():
        assert codes[sid] == code, sid
    for sid in [*FEEDS, "ustr"]:
        assert codes[sid] in (None, "malformed_recovered"), sid
    flags = dict(query(tmp_path, "SELECT source_id, flag FROM sources WHERE flag IS NOT NULL"))
    # The fixtures' newest items are from March 2026: months old, as a frozen feed's would be.
    assert flags == {"challenge": "not_a_feed", "dead": "empty", **dict.fromkeys(FEEDS, "silent")}
    assert set(summary.poll.failed) == set(QUIRKS) - {"dead"}
    logged = query(tmp_path, "SELECT DISTINCT source_id FROM fetches")
    assert len(logged) == len(FEEDS) + 1 + len(QUIRKS)


def test_a_second_run_sends_validators_fetches_nothing_and_creates_nothing(tmp_path, seeds_copy, web):
    sources = tmp_path / "sources.toml"
    sources.write_text(registry(web.base), encoding="utf-8")
    run(tmp_path, seeds_copy, sources)
    before = counts(tmp_path)
    page_hits = {path: len(web.hits(path)) for path in PAGES}

    second = run(tmp_path, seeds_copy, sources)
    assert sorted(second.poll.not_modified) == sorted([*FEEDS, "ustr", "dead"])  # a dead feed is still cacheable
    for path, _ in FEEDS.values():
        assert "if-none-match" in web.hits(path)[-1]
    assert {path: len(web.hits(path)) for path in PAGES} == page_hits
    assert counts(tmp_path) == before
    assert second.events_new == [] and second.digest_id is None
    # Failing sources wait for their backoff, and are not parked for good.
    assert set(second.poll.not_due) == set(QUIRKS) - {"dead"}
    waits = query(tmp_path, "SELECT max(next_poll_at - last_fetch_at) FROM sources WHERE consecutive_failures > 0")
    assert waits[0][0].total_seconds() <= 12 * 3600


def test_a_run_where_every_source_fails_still_finishes(tmp_path, seeds_copy, monkeypatch):
    monkeypatch.setenv("TRADEWATCH_FETCH_RETRIES", "0")
    dead = free_port()
    sources = tmp_path / "sources.toml"
    sources.write_text(
        "\n".join(
            f'[[source]]\nid = "s{i}"\nname = "s{i}"\nkind = "rss"\nurl = "{url}"\nlanguage = "vi"\n'
            for i, url in enumerate([f"http://127.0.0.1:{dead}/a.rss", "http://tradewatch-test.invalid/b.rss"])
        ),
        encoding="utf-8",
    )
    env = {"TRADEWATCH_DATA_DIR": str(tmp_path / "data")}
    db = str(tmp_path / "w.duckdb")
    args = ["run", "--db", db, "--seeds", str(seeds_copy), "--sources", str(sources)]
    result = CliRunner().invoke(app, args, env=env)
    assert result.exit_code == 0, result.output
    assert "2 polled (0 not modified, 2 failed" in result.output
    assert "s0: connect: could not connect" in result.output and "s1: dns:" in result.output
    assert "11 new events" in result.output
    table = CliRunner().invoke(app, ["sources", "--db", db, "--format", "csv"])
    rows = table.output.splitlines()
    assert rows[0].startswith("source_id,kind,enabled,status,last_success_at,failures")
    assert [r.split(",")[0] for r in rows[1:]] == ["s0", "s1"]
    assert all(r.split(",")[5] == "1" for r in rows[1:])


def test_a_bad_registry_is_refused_before_anything_runs(tmp_path, seeds_copy):
    sources = tmp_path / "sources.toml"
    sources.write_text('[[source]]\nid = "x"\nname = "x"\nkind = "podcast"\nurl = "http://x"\nlanguage = "vi"\n')
    result = CliRunner().invoke(
        app, ["run", "--db", str(tmp_path / "w.duckdb"), "--seeds", str(seeds_copy), "--sources", str(sources)]
    )
    assert result.exit_code == 2
    assert "kind must be one of rss, atom, html" in result.output
    assert not (tmp_path / "w.duckdb").exists()


def test_a_sister_outlets_reprint_is_a_copy_that_still_counts_as_a_source(tmp_path, seeds_copy, web):
    web.serve("/bt/kinh-te.rss", "baotintuc-kinh-te.rss")
    web.serve(
        "/kinh-te/hoan-tat-vong-dam-phan-thu-bay-20260313190500.htm",
        "round7-vi-reprint.html",
        "text/html; charset=utf-8",
    )
    sources = tmp_path / "sources.toml"
    extra = (
        '[[source]]\nid = "baotintuc"\nname = "Báo Tin Tức"\nkind = "rss"\n'
        f'url = "{web.base}/bt/kinh-te.rss"\nlanguage = "vi"\ninterval = 0\n'
    )
    sources.write_text(registry(web.base) + "\n" + extra, encoding="utf-8")
    run(tmp_path, seeds_copy, sources)
    copy = query(
        tmp_path,
        "SELECT a.duplicate_kind, o.url FROM articles a JOIN articles o ON o.article_id = "
        "a.duplicate_of WHERE a.url LIKE '%hoan-tat%'",
    )
    assert copy == [("near", "https://127.0.0.1:" + web.base.rsplit(":", 1)[1] + "/round7-vi-5000001.html")]
    round7 = query(tmp_path, "SELECT mention_count, source_count FROM events WHERE kind = 'round' AND number = 7")
    assert round7 == [(3, 4)]  # the copy adds no mention, but one more outlet carried the story
    first = query(
        tmp_path,
        "SELECT g.source_id FROM event_mentions m JOIN sightings g USING (article_id) "
        "JOIN events e USING (event_id) WHERE e.kind = 'round' AND e.number = 7 "
        "ORDER BY g.first_seen_at, g.source_id LIMIT 1",
    )
    assert first == [("vnexpress-kinh-doanh",)]
