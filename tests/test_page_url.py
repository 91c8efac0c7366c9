"""Article links that open (issue 14, item 5): `articles.url` is the canonical key, `page_url` the
address the page answered at. The whole path (a run over loopback HTTP, the digest in all three
channels) is checked in tests/test_live_sources.py; here, the migration and the rule."""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb

from parsers.fingerprint import article_key
from warehouse import feeds
from warehouse.db import available_migrations, connect, transaction

NOW = datetime(2026, 3, 13, tzinfo=UTC)
KEY = "https://127.0.0.1:8000/a/1.html"


def _at_0005(path) -> duckdb.DuckDBPyConnection:
    """A warehouse as it was before 0006, with one article fetched twice: as an AMP copy first."""
    conn = duckdb.connect(str(path))
    conn.execute(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ)"
    )
    for version, name, sql in available_migrations():
        if version <= 5:
            conn.execute(sql)
            conn.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)", [version, name, NOW])
    aid = article_key(KEY)
    conn.execute(
        "INSERT INTO article (article_id, url, body, content_hash, first_seen_at, updated_at, run_id) "
        "VALUES (?, ?, 'body', 'h', ?, ?, 'r1'), ('a-seed', 'seed://x.txt', 'b', 'h2', ?, ?, 'r1')",
        [aid, KEY, NOW, NOW, NOW, NOW],
    )
    for minute, (item_key, raw) in enumerate(
        [
            ("https://127.0.0.1:8000/amp/a/1.html", "http://127.0.0.1:8000/amp/a/1.html"),
            (KEY, f"{KEY[:4]}{KEY[5:]}?x=1"),
        ]
    ):
        conn.execute(
            "INSERT INTO feed_item (item_key, source_id, link, raw_link, candidate, page_status, article_id, "
            "first_seen_at, last_seen_at, run_id) VALUES (?, 's', ?, ?, true, 'fetched', ?, ?, ?, 'r1')",
            [item_key, item_key, raw, aid, NOW.replace(minute=minute), NOW],
        )
    return conn


def test_0006_gives_articles_already_fetched_the_address_their_own_page_answered_at(tmp_path):
    _at_0005(tmp_path / "w.duckdb").close()
    conn = connect(tmp_path / "w.duckdb")  # applies 0006
    assert conn.execute("SELECT url, page_url FROM articles ORDER BY url").fetchall() == [
        (KEY, "http://127.0.0.1:8000/a/1.html?x=1"),  # not the AMP copy, fetched earlier
        ("seed://x.txt", "seed://x.txt"),  # nothing fetched: the key is the address
    ]
    assert conn.execute("SELECT page_url FROM article WHERE url LIKE 'seed%'").fetchall() == [(None,)]


def test_a_copys_address_serves_only_until_the_page_itself_is_fetched(tmp_path):
    conn = _at_0005(tmp_path / "w.duckdb")
    conn.close()
    conn = connect(tmp_path / "w.duckdb")
    aid = article_key(KEY)
    conn.execute("UPDATE article SET page_url = NULL")
    with transaction(conn):
        feeds.save_page_url(conn, aid, "http://127.0.0.1:8000/amp/a/1.html", own=False)
        feeds.save_page_url(conn, aid, "http://127.0.0.1:8000/amp/a/1.html?again", own=False)
    assert conn.execute("SELECT page_url FROM article WHERE article_id = ?", [aid]).fetchone() == (
        "http://127.0.0.1:8000/amp/a/1.html",
    )
    with transaction(conn):
        feeds.save_page_url(conn, aid, "http://127.0.0.1:8000/a/1.html", own=True)
        feeds.save_page_url(conn, aid, "http://127.0.0.1:8000/amp/a/1.html", own=False)
    assert conn.execute("SELECT page_url FROM article WHERE article_id = ?", [aid]).fetchone() == (
        "http://127.0.0.1:8000/a/1.html",
    )
