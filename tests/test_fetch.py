"""The HTTP seam against a real server on loopback: validators, retries, caps, loops, politeness."""

from __future__ import annotations

import time

import pytest

from fetch.http import USER_AGENT, Fetcher, FetchPolicy
from tests.servers import Route, web_server

FAST = FetchPolicy(
    connect_timeout_s=2, read_timeout_s=0.5, max_bytes=1_000_000, retries=2, backoff_s=0.01, per_host_delay_s=0
)


@pytest.fixture
def web():
    with web_server() as server:
        yield server


def test_a_second_request_sends_the_validators_and_gets_304(web):
    web.serve("/feed.rss", "vnexpress-kinh-doanh.rss")
    with Fetcher(FAST) as fetcher:
        first = fetcher.get(f"{web.base}/feed.rss")
        second = fetcher.get(f"{web.base}/feed.rss", etag=first.etag, last_modified=first.last_modified)
    assert first.ok and first.etag and first.last_modified
    assert second.not_modified and second.content == b"" and second.error is None
    sent = web.hits("/feed.rss")[1]
    assert sent["if-none-match"] == first.etag and sent["if-modified-since"] == first.last_modified
    assert sent["user-agent"] == USER_AGENT


def test_no_validators_are_sent_that_the_server_never_gave(web):
    web.routes["/plain.rss"] = Route(b"<rss/>", validators=False)
    with Fetcher(FAST) as fetcher:
        first = fetcher.get(f"{web.base}/plain.rss")
        fetcher.get(f"{web.base}/plain.rss", etag=first.etag, last_modified=first.last_modified)
    assert first.etag is None and "if-none-match" not in web.hits("/plain.rss")[1]


def test_429_is_retried_after_the_time_the_server_asks(web):
    web.routes["/busy.rss"] = Route(b"<rss/>", script=[(429, {"Retry-After": "0"})])
    waits: list[float] = []
    with Fetcher(FAST, sleep=waits.append) as fetcher:
        result = fetcher.get(f"{web.base}/busy.rss")
    assert result.ok and result.attempts == 2 and waits == [0.0]


def test_503_is_retried_with_backoff_then_given_up(web):
    web.routes["/down.rss"] = Route(b"", script=[(503, {})] * 5)
    waits: list[float] = []
    with Fetcher(FAST, sleep=waits.append) as fetcher:
        result = fetcher.get(f"{web.base}/down.rss")
    assert result.error == "HTTP 503" and result.error_code == "http_5xx" and result.attempts == 3
    assert len(waits) == 2 and waits[1] > waits[0]  # backoff doubles (with jitter)


@pytest.mark.parametrize("status", [404, 410])
def test_missing_and_gone_are_not_retried(web, status):
    web.routes["/x.rss"] = Route(b"", status=status)
    with Fetcher(FAST) as fetcher:
        result = fetcher.get(f"{web.base}/x.rss")
    assert result.status == status and result.error_code == "http_4xx" and result.attempts == 1


def test_a_server_that_never_answers_times_out(web):
    web.routes["/slow.rss"] = Route(b"<rss/>", delay_s=3)
    with Fetcher(FetchPolicy(read_timeout_s=0.3, retries=0, per_host_delay_s=0)) as fetcher:
        started = time.monotonic()
        result = fetcher.get(f"{web.base}/slow.rss")
    assert result.error_code == "timeout" and time.monotonic() - started < 2.5


def test_a_response_over_the_cap_is_cut_off(web):
    web.routes["/huge.rss"] = Route(stream_bytes=50 * 1024 * 1024)
    with Fetcher(FAST) as fetcher:
        started = time.monotonic()
        result = fetcher.get(f"{web.base}/huge.rss")
    assert result.error_code == "too_large" and result.content == b""
    assert time.monotonic() - started < 10


def test_a_redirect_loop_is_reported(web):
    web.routes["/loop-a"] = Route(redirect_to="/loop-b")
    web.routes["/loop-b"] = Route(redirect_to="/loop-a")
    with Fetcher(FAST) as fetcher:
        result = fetcher.get(f"{web.base}/loop-a")
    assert result.error_code == "redirects"


def test_a_permanent_redirect_is_followed_and_noted(web):
    web.serve("/rss/new.rss", "sggp-kinh-te.rss")
    web.routes["/rss/old.rss"] = Route(redirect_to="/rss/new.rss", status=301)
    with Fetcher(FAST) as fetcher:
        result = fetcher.get(f"{web.base}/rss/old.rss")
    assert result.ok and result.final_url == f"{web.base}/rss/new.rss" and result.redirected_permanently


def test_an_unknown_host_fails_at_once():
    with Fetcher(FAST) as fetcher:
        result = fetcher.get("http://tradewatch-test.invalid/feed.rss")
    assert result.error_code == "dns" and result.attempts == 1


def test_one_host_is_asked_one_thing_at_a_time_with_a_pause(web):
    web.routes["/a.rss"] = Route(b"<rss/>")
    with Fetcher(FetchPolicy(per_host_delay_s=0.3, retries=0)) as fetcher:
        started = time.monotonic()
        fetcher.get(f"{web.base}/a.rss")
        fetcher.get(f"{web.base}/a.rss")
        fetcher.get(f"{web.base}/a.rss")
    assert time.monotonic() - started >= 0.6
