"""Polling the live sources and fetching the pages worth reading (library calls, no Prefect).

Network work runs in a small thread pool (the fetcher keeps one request per host at a time);
every database write happens on the calling thread, one source or page at a time, so a crash
loses at most the one in flight and the next run picks up the rest.
"""

from __future__ import annotations

import codecs
import logging
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta, timezone

import duckdb

from fetch.http import Fetcher, FetchResult
from flows.failpoints import failpoint
from parsers.feed import parse_feed
from parsers.fingerprint import sha256_hex
from parsers.listing import parse_listing
from parsers.models import Article, Problem
from parsers.page import parse_article_page
from parsers.profile import WatchProfile
from parsers.registry import SourceConfig
from parsers.relevance import may_concern
from parsers.urls import canonical_url
from warehouse import feeds, store
from warehouse.db import transaction

LOGGER = logging.getLogger(__name__)
VIETNAM = timezone(timedelta(hours=7))
_CHARSET = re.compile(r"charset=([\w\-]+)", re.I)
MIN_ARTICLE_CHARS = 200  # less is a stub, a paywall or a JavaScript challenge, not an article


def _charset(content_type: str | None) -> str | None:
    m = _CHARSET.search(content_type or "")
    return m[1] if m else None


@dataclass(frozen=True)
class SourcePoll:
    source: SourceConfig
    record: feeds.FetchRecord
    items: list[feeds.ItemRow]
    problems: list[Problem]


def _record(result: FetchResult, **fields: object) -> feeds.FetchRecord:
    base = feeds.FetchRecord(
        url=result.url,
        final_url=result.final_url,
        status=result.status,
        bytes=len(result.content),
        etag=result.etag,
        last_modified=result.last_modified,
        content_sha256=None,
        not_modified=result.not_modified,
        unchanged=False,
        items=0,
        new_items=0,
        candidates=0,
        newest_item_at=None,
        error_code=result.error_code,
        error=result.error,
        attempts=result.attempts,
        elapsed_s=result.elapsed_s,
        moved_to=result.final_url if result.redirected_permanently and result.final_url != result.url else None,
    )
    return replace(base, **fields)  # type: ignore[arg-type]


def poll_one(
    source: SourceConfig, state: feeds.SourceState | None, fetcher: Fetcher, profile: WatchProfile
) -> SourcePoll:
    """Fetch and parse one source (no database): thread-safe, errors returned as data."""
    result = fetcher.get(
        source.url, etag=state.etag if state else None, last_modified=state.last_modified if state else None
    )
    if result.not_modified or result.error:
        return SourcePoll(source, _record(result), [], [])
    digest = sha256_hex(result.content)
    if state is not None and digest == state.content_sha256:
        # A server without validators, or a 200 with the same body: nothing new to parse.
        return SourcePoll(source, _record(result, content_sha256=digest, unchanged=True), [], [])
    try:
        rows, newest, problems = read_answer(source, result, profile)
    except Exception as exc:
        # Errors are data: whatever one source sent must not stop the run for the others. The
        # answer's hash is not kept, so the next poll reads the same bytes again (with fixed code).
        LOGGER.warning("%s: its answer could not be parsed", source.source_id, exc_info=True)
        problem = Problem("parser_error", f"{type(exc).__name__}: {exc}")
        record = _record(result, content_sha256=None, error_code=problem.code, error=problem.message)
        return SourcePoll(source, record, [], [problem])
    fatal = next((p for p in problems if p.code in ("not_a_feed", "malformed")), None)
    if fatal is not None:
        return SourcePoll(
            source, _record(result, content_sha256=None, error_code=fatal.code, error=fatal.message), [], problems
        )
    empty = next((p for p in problems if p.code in ("empty_feed", "empty_listing")), None)
    record = _record(
        result,
        content_sha256=digest,
        items=len(rows),
        newest_item_at=newest,
        error_code="empty_feed" if empty else None,
        error=empty.message if empty else None,
    )
    return SourcePoll(source, record, rows, problems)


def decode_html(content: bytes, content_type: str | None) -> str:
    """A listing page's text in the charset the server named, or UTF-8 when it named none or
    one that does not exist (`charset=utf-9`)."""
    charset = _charset(content_type) or "utf-8"
    try:
        codecs.lookup(charset)
    except LookupError:
        charset = "utf-8"
    return content.decode(charset, errors="replace")


def read_answer(
    source: SourceConfig, result: FetchResult, profile: WatchProfile
) -> tuple[list[feeds.ItemRow], datetime | None, list[Problem]]:
    """A source's answer as item rows, the newest item's time and the problems found (pure)."""
    problems: list[Problem] = []
    rows: list[feeds.ItemRow] = []
    if source.expects_feed:
        parsed = parse_feed(result.content, url=result.final_url, headers=result.headers)
        problems = list(parsed.problems)
        for item in parsed.items:
            rows.append(
                feeds.ItemRow(
                    item.link,
                    item.link,
                    item.raw_link,
                    item.guid,
                    item.title,
                    item.summary,
                    item.published,
                    item.published_raw,
                    item.thumbnail,
                    may_concern(item.title, item.summary, profile),
                )
            )
        return rows, parsed.newest, problems
    assert source.item_pattern is not None
    html = decode_html(result.content, result.content_type)
    for listed in parse_listing(html, base_url=result.final_url, item_pattern=source.item_pattern):
        rows.append(
            feeds.ItemRow(
                listed.link,
                listed.link,
                listed.raw_link,
                None,
                listed.title,
                "",
                None,
                None,
                None,
                may_concern(listed.title, "", profile),
            )
        )
    if not rows:
        problems.append(Problem("empty_listing", "no article link matches the source's item_pattern"))
    return rows, None, problems


@dataclass
class PollReport:
    polled: list[str] = field(default_factory=list)
    not_due: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    not_modified: list[str] = field(default_factory=list)
    new_items: int = 0
    candidates: int = 0


def poll_sources(
    conn: duckdb.DuckDBPyConnection,
    sources: list[SourceConfig],
    fetcher: Fetcher,
    profile: WatchProfile,
    run_id: str,
    now: Callable[[], datetime],
    *,
    workers: int = 4,
) -> PollReport:
    """Poll every enabled source that is due, store every item seen, and record each source's health."""
    report = PollReport()
    with transaction(conn):
        feeds.save_registry(conn, sources, now())
    states = feeds.load_states(conn)
    due = []
    for source in sources:
        if not source.enabled:
            continue
        if feeds.is_due(states.get(source.source_id), now()):
            due.append(source)
        else:
            report.not_due.append(source.source_id)
    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="poll") as pool:
        polls = pool.map(lambda s: poll_one(s, states.get(s.source_id), fetcher, profile), due)
        for poll in polls:
            failpoint("poll:after-fetch")
            sid = poll.source.source_id
            report.polled.append(sid)
            with transaction(conn):
                new, candidates = feeds.save_items(conn, sid, poll.items, run_id, now()) if poll.items else (0, 0)
                record = replace(poll.record, new_items=new, candidates=candidates)
                feeds.record_fetch(conn, run_id, poll.source, record, now())
                for problem in poll.problems:
                    store.record_problem(conn, run_id, problem, now(), source_id=sid, subject=poll.source.url)
                if record.failed and not poll.problems:
                    store.record_problem(
                        conn,
                        run_id,
                        Problem(record.error_code or "error", record.error or ""),
                        now(),
                        source_id=sid,
                        subject=poll.source.url,
                    )
            report.new_items += new
            report.candidates += candidates
            if record.failed:
                report.failed[sid] = f"{record.error_code}: {record.error}"
            elif record.not_modified:
                report.not_modified.append(sid)
    return report


@dataclass(frozen=True)
class PageFetch:
    page: feeds.PendingPage
    result: FetchResult
    article: Article | None
    error: str | None
    permanent: bool


def fetch_page(page: feeds.PendingPage, fetcher: Fetcher) -> PageFetch:
    result = fetcher.get(page.link)
    if result.error or result.status != 200:
        permanent = result.status in (404, 410)
        return PageFetch(page, result, None, result.error or f"HTTP {result.status}", permanent)
    try:
        article = parse_article_page(result.final_url, result.content, encoding=_charset(result.content_type))
    except Exception as exc:  # errors are data: one page that cannot be read stops nothing else
        LOGGER.warning("%s: the page could not be parsed", page.link, exc_info=True)
        return PageFetch(page, result, None, f"parser_error: {type(exc).__name__}: {exc}", False)
    if len(article.body) < MIN_ARTICLE_CHARS:
        return PageFetch(page, result, None, f"no article text ({len(article.body)} characters)", False)
    if article.published is None and page.published is not None:
        article = replace(article, published=page.published.astimezone(VIETNAM).date())
    if not article.title:
        article = replace(article, title=page.title)
    return PageFetch(page, result, replace(article, source_id=page.source_id), None, False)


@dataclass
class PageReport:
    fetched: int = 0
    failed: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)


def fetch_pages(
    conn: duckdb.DuckDBPyConnection,
    fetcher: Fetcher,
    run_id: str,
    now: Callable[[], datetime],
    *,
    limit: int = 300,
    workers: int = 4,
) -> PageReport:
    """Fetch the pages of the items that may concern the negotiation, and store them as articles
    (raw bytes kept by content hash; every URL seen for one article recorded as its alias)."""
    report = PageReport()
    pending = []
    for page in feeds.pending_pages(conn, limit):
        known = feeds.article_for_url(conn, page.item_key) or feeds.article_for_url(conn, page.link)
        if known is not None:  # an alias of an article already stored: no need to fetch it again
            with transaction(conn):
                feeds.record_page(conn, page.item_key, ok=True, error=None, article_id=known)
                canonical = conn.execute(
                    "SELECT coalesce(duplicate_of, article_id) FROM article WHERE article_id = ?", [known]
                ).fetchone()
                if canonical is not None:
                    store.record_sighting(conn, canonical[0], page.item_key, page.source_id, run_id, now())
            continue
        pending.append(page)
    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="page") as pool:
        for fetched in pool.map(lambda p: fetch_page(p, fetcher), pending):
            with transaction(conn):
                if fetched.article is None:
                    report.failed += 1
                    feeds.record_page(
                        conn,
                        fetched.page.item_key,
                        ok=False,
                        error=fetched.error,
                        article_id=None,
                        permanent=fetched.permanent,
                    )
                    store.record_problem(
                        conn,
                        run_id,
                        Problem("page", fetched.error or "failed"),
                        now(),
                        source_id=fetched.page.source_id,
                        subject=fetched.page.link,
                    )
                    continue
                article = fetched.article
                existing = feeds.article_for_url(conn, article.url)
                if existing is not None:
                    article = replace(article, url=_url_of(conn, existing) or article.url)
                sha = sha256_hex(fetched.result.content)
                store.save_raw(conn, sha, "text/html", fetched.result.content, run_id, now())
                outcome = store.save_article(conn, article, run_id, now(), raw_sha256=sha)
                article_id = _id_of(conn, article.url)
                feeds.save_page_url(
                    conn, article_id, fetched.result.final_url, own=_canonical(fetched.result.final_url) == article.url
                )
                for url in {fetched.page.item_key, fetched.page.link, fetched.result.final_url, article.url}:
                    feeds.save_alias(conn, url, article_id, now())
                feeds.record_page(conn, fetched.page.item_key, ok=True, error=None, article_id=article_id)
                report.fetched += 1
                report.outcomes[outcome] = report.outcomes.get(outcome, 0) + 1
    return report


def _canonical(url: str) -> str | None:
    try:
        return canonical_url(url)
    except ValueError:
        return None


def _id_of(conn: duckdb.DuckDBPyConnection, url: str) -> str:
    row = conn.execute("SELECT article_id FROM article WHERE url = ?", [url]).fetchone()
    assert row is not None
    return str(row[0])


def _url_of(conn: duckdb.DuckDBPyConnection, article_id: str) -> str | None:
    row = conn.execute("SELECT url FROM article WHERE article_id = ?", [article_id]).fetchone()
    return str(row[0]) if row else None


def utc_now() -> datetime:
    return datetime.now(UTC)
