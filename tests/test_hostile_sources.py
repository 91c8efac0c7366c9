"""One source's answer never stops a run (issue 14, item 1): bytes that crashed feedparser, links
urllib cannot parse, a charset that does not exist, and — whatever the cause — an exception while
reading one source's answer or one page are recorded against that source, and the run goes on."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from fetch.http import Fetcher, FetchPolicy
from flows import polling
from parsers.feed import parse_feed
from parsers.listing import parse_listing
from parsers.page import parse_article_page
from parsers.urls import canonical_url
from tests.conftest import SEEDS, rows
from tests.servers import Route, WebServer, web_server
from tests.test_live_sources import source_table
from tradewatch.cli import app

BAD_DECLARATION = b'<?xml version="1.0" encoding="utf\x80-8"?>'
BAD_LINKS = ("http://[::1", "http://host:abc/", "http://host:99999999/")
RSS = {"content-type": "application/rss+xml"}


def rss(*items: tuple[str, str]) -> bytes:
    body = "".join(f"<item><title>{title}</title><link>{link}</link></item>" for title, link in items)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{body}</channel></rss>'.encode()


def test_a_declared_encoding_that_is_not_utf8_is_ignored_not_raised():
    result = parse_feed(
        BAD_DECLARATION + rss(("Giá vàng", "http://x.vn/a.html"))[21:], url="http://x.vn/f.rss", headers=RSS
    )
    assert [i.link for i in result.items] == ["https://x.vn/a.html"]
    assert [p.code for p in result.problems] == ["bad_encoding"]


@pytest.mark.parametrize("link", BAD_LINKS)
def test_an_item_whose_link_cannot_be_parsed_is_a_problem_and_the_others_stay(link):
    with pytest.raises(ValueError):
        canonical_url(link)
    result = parse_feed(rss(("bad", link), ("good", "http://x.vn/b.html")), url="http://x.vn/f.rss")
    assert [i.title for i in result.items] == ["good"]
    assert {p.code for p in result.problems} & {"bad_link", "item_without_link"}


def test_a_listing_skips_links_that_cannot_be_parsed():
    html = "".join(f'<a href="{link}">x</a>' for link in BAD_LINKS) + '<a href="/news/1.html">One</a>'
    items = parse_listing(html, base_url="http://x.vn/", item_pattern=r"/news/")
    assert [(i.link, i.title) for i in items] == [("https://x.vn/news/1.html", "One")]


def test_a_page_whose_canonical_link_cannot_be_parsed_keeps_its_address():
    page = '<html><head><link rel="canonical" href="http://[::1"></head><body><p>x</p></body></html>'
    assert parse_article_page("http://x.vn/a.html", page).url == "https://x.vn/a.html"


@pytest.mark.parametrize("url", [*BAD_LINKS[:2], "http://a\x00b/", "http://" + "a" * 300 + ".vn/"])
def test_the_fetcher_answers_a_url_it_cannot_ask_with_an_error(url):
    with Fetcher(FetchPolicy(retries=0, per_host_delay_s=0)) as fetcher:
        result = fetcher.get(url)
    assert result.error_code == "bad_url" and result.status is None


def test_a_charset_that_does_not_exist_reads_as_utf8():
    assert polling.decode_html("Hà Nội".encode(), "text/html; charset=utf-9") == "Hà Nội"


# --- whole runs: Prefect's engine, real HTTP on loopback, the command line ------------------------


def registry(web: WebServer, *sources: tuple[str, str, str]) -> str:
    return "\n".join(
        source_table(sid, f"{web.base}{path}", kind, **({"item_pattern": '"/news/"'} if kind == "html" else {}))
        for sid, path, kind in sources
    )


@pytest.fixture
def hostile(monkeypatch, tmp_path) -> WebServer:
    monkeypatch.setenv("TRADEWATCH_FETCH_HOST_DELAY_S", "0")
    monkeypatch.setenv("TRADEWATCH_FETCH_RETRIES", "0")
    monkeypatch.setenv("TRADEWATCH_DATA_DIR", str(tmp_path / "data"))
    with web_server() as web:
        web.serve("/good.rss", "evnexpress-business.rss")
        web.serve("/news/business/round7-en-5000101.html", "round7-en.html", "text/html; charset=utf-8")
        crashing = web.fixture("vnexpress-kinh-doanh.rss").replace(b'encoding="UTF-8"', b'encoding="utf\x80-8"')
        assert crashing != web.fixture("vnexpress-kinh-doanh.rss")
        web.routes["/crash.rss"] = Route(crashing)
        web.serve("/round7-vi-5000001.html", "round7-vi.html", "text/html; charset=utf-8")
        web.routes["/links.rss"] = Route(rss(*((f"Vòng đàm phán {i}", link) for i, link in enumerate(BAD_LINKS))))
        web.routes["/listing"] = Route(
            f'<a href="{BAD_LINKS[0]}">x</a><a href="/news/gia-vang.html">Giá vàng hôm nay</a>'.encode(),
            content_type="text/html; charset=utf-9",
        )
        yield web


def run(tmp_path: Path, sources_toml: str) -> tuple[int, str]:
    sources = tmp_path / "sources.toml"
    sources.write_text(sources_toml, encoding="utf-8")
    seeds = tmp_path / "no-seeds"
    seeds.mkdir(exist_ok=True)
    args = ["run", "--db", str(tmp_path / "w.duckdb"), "--seeds", str(seeds), "--sources", str(sources)]
    args += ["--watch", str(SEEDS / "watch.toml")]
    result = CliRunner().invoke(app, args)
    return result.exit_code, result.output


def problems(tmp_path: Path) -> set[tuple[str, str]]:
    return set(rows(tmp_path / "w.duckdb", "SELECT source_id, code FROM run_problem"))


@pytest.mark.usefixtures("prefect_harness")
def test_a_run_with_the_feeds_that_crashed_it_finishes_and_records_them(tmp_path, hostile):
    sources = [("good", "/good.rss", "rss"), ("crash", "/crash.rss", "rss"), ("links", "/links.rss", "rss")]
    code, output = run(tmp_path, registry(hostile, *sources, ("listing", "/listing", "html")))
    assert code == 0, output
    assert rows(tmp_path / "w.duckdb", "SELECT status FROM runs") == [("succeeded",)]
    found = problems(tmp_path)
    assert ("crash", "bad_encoding") in found
    assert ("links", "bad_link") in found
    # Every source still gave what it could: the good feed, the crashing one, the listing.
    per_source = dict(rows(tmp_path / "w.duckdb", "SELECT source_id, items_seen FROM sources"))
    assert per_source["good"] == 2 and per_source["crash"] == 2 and per_source["listing"] == 1
    fetched = rows(tmp_path / "w.duckdb", "SELECT source_id FROM articles ORDER BY source_id")
    assert fetched == [("crash",), ("good",)]


@pytest.mark.usefixtures("prefect_harness")
def test_any_exception_while_reading_an_answer_is_that_sources_problem(tmp_path, hostile, monkeypatch):
    """Whatever the parsers still get wrong: the barrier in `flows.polling`, proved by making the
    parsers fail for one feed and one page (the only stand-ins in this test)."""
    real_feed, real_page = polling.parse_feed, polling.parse_article_page

    def feed_that_breaks(content: bytes, *, url: str, headers: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
        if url.endswith("/crash.rss"):
            raise RecursionError("maximum recursion depth exceeded")
        return real_feed(content, url=url, headers=headers)

    def page_that_breaks(url: str, html: str | bytes, *, encoding: str | None = None):  # type: ignore[no-untyped-def]
        if "round7-en" in url:
            raise UnicodeDecodeError("utf-8", b"\x80", 0, 1, "invalid start byte")
        return real_page(url, html, encoding=encoding)

    monkeypatch.setattr(polling, "parse_feed", feed_that_breaks)
    monkeypatch.setattr(polling, "parse_article_page", page_that_breaks)
    code, output = run(tmp_path, registry(hostile, ("good", "/good.rss", "rss"), ("crash", "/crash.rss", "rss")))
    assert code == 0, output
    health = dict(rows(tmp_path / "w.duckdb", "SELECT source_id, last_error_code FROM sources WHERE kind <> 'seeds'"))
    assert health == {"good": None, "crash": "parser_error"}
    assert ("crash", "parser_error") in problems(tmp_path)
    assert "crash: parser_error: RecursionError" in output
    page = rows(tmp_path / "w.duckdb", "SELECT page_status, page_error FROM feed_items WHERE candidate")
    assert page == [
        (
            "failed",
            "parser_error: UnicodeDecodeError: 'utf-8' codec can't decode byte 0x80 in position 0: invalid start byte",
        )
    ]
    # The next poll reads the same bytes again: the code may have been fixed in between.
    assert rows(tmp_path / "w.duckdb", "SELECT content_sha256 FROM source_state WHERE source_id = 'crash'") == [(None,)]
