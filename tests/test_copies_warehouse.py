"""Copies through the warehouse: a reworded reprint found against an original stored runs ago, the
same texts copies whatever the order of arrival, the naive comparator agreeing on reworded
reprints, and a warehouse fingerprinted by an older scheme brought up to date."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bench.naive import agreement, naive_backfill
from flows.backfill import backfill_flow
from parsers.models import Article
from parsers.neardup import fingerprint
from parsers.seedfile import guess_language
from tests.conftest import SEEDS, rows
from tests.eval import real
from tests.test_reprints import NOT_COPIES, REPRINTS
from warehouse import store
from warehouse.db import connect, transaction
from warehouse.dedupe import dedupe_pending, refresh_fingerprints

NOW = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
WATCH = SEEDS / "watch.toml"


def _article(url: str, body: str, language: str = "vi") -> Article:
    return Article(url=url, title=None, body=body, language=language, published=None, source_id=url.split("/")[2])


def _texts() -> list[tuple[str, str]]:
    """(url, text): the release, its reprints and the English pair of tests/test_reprints.py, and
    every text that shares some of them without being a copy; each text once."""
    texts = list(dict.fromkeys(t for _, a, b in REPRINTS + NOT_COPIES for t in (a, b)))
    return [(f"https://outlet{n}.vn/{n}", text) for n, text in enumerate(texts)]


def _expected() -> list[set[str]]:
    """The stories of `_texts()` with more than one text: the release with its four reprints, the
    English call with its wire copy."""
    url = {text: u for u, text in _texts()}
    release = {url[REPRINTS[0][1]]} | {url[b] for _, _, b in REPRINTS[:4]}
    return sorted([release, {url[REPRINTS[4][1]], url[REPRINTS[4][2]]}], key=sorted)


def _stories(db: Path) -> list[set[str]]:
    """The copies as stories: each original with its copies (whichever of them came first)."""
    groups: dict[str, set[str]] = {}
    for url, original in rows(
        db,
        "SELECT url, coalesce((SELECT o.url FROM article o WHERE o.article_id = a.duplicate_of), url) FROM article a",
    ):
        groups.setdefault(original, set()).add(url)
    return sorted((g for g in groups.values() if len(g) > 1), key=sorted)


def _load(db: Path, items: list[tuple[str, str]], *, one_by_one: bool, languages: dict[str, str] | None = None) -> None:
    """Store and dedupe `items` (url, text) one run at a time, or all in one run."""
    conn = connect(db)
    batches = [[item] for item in items] if one_by_one else [items]
    for sequence, batch in enumerate(batches):
        with transaction(conn):
            store.save_articles(
                conn,
                [
                    (_article(url, text, (languages or {}).get(url) or guess_language(text)), None)
                    for url, text in batch
                ],
                "r1",
                NOW,
                sequence=sequence * 1000,
            )
            dedupe_pending(conn)
    conn.close()


def test_a_reworded_reprint_is_found_against_an_original_stored_runs_ago(tmp_path):
    name, original, reprint = REPRINTS[3]
    assert "reworded" in name
    conn = connect(tmp_path / "w.duckdb")
    with transaction(conn):
        store.save_articles(conn, [(_article("https://bocongthuong.vn/1", original), None)], "r1", NOW, sequence=0)
        dedupe_pending(conn)
    with transaction(conn):  # a later run, a fresh cache: the original's text comes from the warehouse
        store.save_articles(conn, [(_article("https://baomoi.vn/2", reprint), None)], "r2", NOW, sequence=1)
        assert dedupe_pending(conn).near_duplicates == 1
    assert conn.execute("SELECT o.url FROM article a JOIN article o ON o.article_id = a.duplicate_of").fetchall() == [
        ("https://bocongthuong.vn/1",)
    ]
    conn.close()


def test_the_same_texts_are_copies_in_any_order_of_arrival(tmp_path):
    items = _texts()
    _load(tmp_path / "forward.duckdb", items, one_by_one=True)
    _load(tmp_path / "reverse.duckdb", items[::-1], one_by_one=True)
    _load(tmp_path / "batch.duckdb", items, one_by_one=False)
    assert _stories(tmp_path / "forward.duckdb") == _expected()
    assert _stories(tmp_path / "reverse.duckdb") == _expected()
    assert _stories(tmp_path / "batch.duckdb") == _expected()


def test_the_naive_comparator_agrees_on_reworded_reprints(tmp_path):
    """The synthetic bench corpus has only verbatim and trimmed reprints; these are reworded too."""
    path = tmp_path / "texts.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for url, text in _texts():
            handle.write(json.dumps({"url": url, "body": text, "source_id": url.split("/")[2]}) + "\n")
    backfill_flow.fn(path=path, db=tmp_path / "fast.duckdb", watch=WATCH, parse_with="inline")
    naive_backfill(path, tmp_path / "naive.duckdb", WATCH)
    verdict = agreement(tmp_path / "fast.duckdb", tmp_path / "naive.duckdb")
    assert verdict["same"], verdict
    assert verdict["copies"]["fast"] == sum(len(story) - 1 for story in _expected())


def test_fingerprints_of_an_older_scheme_are_computed_again(tmp_path):
    """A warehouse written before the shingles changed: its articles get this code's fingerprints
    and buckets (as if they had arrived under it), so that a new reprint of one of them is found."""
    name, original, reprint = REPRINTS[3]
    others = list(dict.fromkeys(text for _, a, b in NOT_COPIES for text in (a, b) if text != original))
    conn = connect(tmp_path / "w.duckdb")
    with transaction(conn):
        store.save_articles(
            conn,
            [(_article(f"https://old.vn/{n}", text), None) for n, text in enumerate([original, *others])],
            "r1",
            NOW,
            sequence=0,
        )
        dedupe_pending(conn)
    current = conn.execute("SELECT * FROM article_band ORDER BY ALL").fetchall()
    with transaction(conn):  # what an older tradewatch left: other signatures, other buckets
        conn.execute("UPDATE article_fingerprint SET signature = list_transform(signature, lambda x: x // 2)")
        conn.execute("UPDATE article_band SET bucket = bucket // 2")
    with transaction(conn):
        assert refresh_fingerprints(conn) == 1 + len(others)
        assert refresh_fingerprints(conn) == 0  # once
    assert conn.execute("SELECT * FROM article_band ORDER BY ALL").fetchall() == current
    stored = dict(conn.execute("SELECT article_id, signature FROM article_fingerprint").fetchall())
    body = dict(conn.execute("SELECT article_id, body FROM article").fetchall())
    assert all(signature == fingerprint(body[a]).signature.tolist() for a, signature in stored.items())
    with transaction(conn):
        store.save_articles(conn, [(_article("https://new.vn/1", reprint), None)], "r2", NOW, sequence=1)
        assert dedupe_pending(conn).near_duplicates == 1
    conn.close()


@pytest.mark.skipif(not real.available(), reason="../shared/eval/real is not beside the project")
def test_the_real_copies_do_not_depend_on_the_order_of_arrival(tmp_path):
    """The real pages one at a time in one order, in the reverse order, and in one batch: the same
    stories (an original and its copies, whichever of them is kept as the original)."""
    items = [
        (f"seed://{page_id}.txt", article.body)
        for page_id, article in sorted(real.articles().items())
        if article is not None
    ]
    languages = {url: guess_language(text) for url, text in items}

    def load(db: Path, order: list[tuple[str, str]], one_by_one: bool) -> list[set[str]]:
        _load(db, order, one_by_one=one_by_one, languages=languages)
        return _stories(db)

    forward = load(tmp_path / "f.duckdb", items, True)
    assert forward  # the corpus has copies
    assert load(tmp_path / "r.duckdb", items[::-1], True) == forward
    assert load(tmp_path / "b.duckdb", items, False) == forward
