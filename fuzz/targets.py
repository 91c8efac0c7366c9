"""What each parser must guarantee whatever it is given. A check raises `Broken(invariant, detail)`;
any other exception is a crash (the invariant "does not raise")."""

from __future__ import annotations

import hashlib
import json
import random
import re
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path, PurePath

from fuzz.corpus import BASE, ROOT
from fuzz.mutate import as_text
from parsers.models import EVENT_KINDS, MODES, STATUSES, Article, PartialDate
from parsers.profile import WatchProfile

MIN_DAY, MAX_DAY = date(1, 1, 1), date(9999, 12, 31)


class Broken(AssertionError):
    def __init__(self, invariant: str, detail: str = ""):
        super().__init__(f"{invariant}: {detail}" if detail else invariant)
        self.invariant = invariant


def require(ok: object, invariant: str, detail: object = "") -> None:
    if not ok:
        raise Broken(invariant, str(detail)[:500])


def _nfc(text: str | None) -> bool:
    return text is None or unicodedata.is_normalized("NFC", text)


# --- URLs -----------------------------------------------------------------------------------------


def check_canonical(url: str) -> str | None:
    """canonical_url raises ValueError or gives an https URL without fragment that it maps to itself."""
    from parsers.urls import canonical_url

    try:
        once = canonical_url(url)
    except ValueError:
        return None
    if not once.startswith(("http://", "https://")):
        require(once == url.strip(), "a URL that is not http(s) is left as it is", (url, once))
        return once
    require(once.startswith("https://"), "canonical URLs are https", (url, once))
    require("#" not in once, "canonical URLs have no fragment", (url, once))
    try:
        twice = canonical_url(once)
    except ValueError as exc:
        raise Broken("canonical URLs can be parsed again", f"{url!r} -> {once!r}: {exc}") from exc
    require(twice == once, "canonical(canonical(u)) == canonical(u)", (url, once, twice))
    return once


def url_target(data: bytes, rng: random.Random) -> None:
    url = as_text(data)
    check_canonical(url)
    check_canonical(url.split("\n", 1)[0])


# --- feeds, listings, pages -------------------------------------------------------------------------

FEED_PROBLEMS = {
    "bad_encoding",
    "bad_character",
    "malformed",
    "not_a_feed",
    "malformed_recovered",
    "empty_feed",
    "item_without_link",
    "bad_link",
}
CONTENT_TYPES = [
    None,
    "application/rss+xml; charset=utf-8",
    "application/xml",
    "text/xml; charset=windows-1258",
    "text/html; charset=utf-8",
    "text/plain",
    "application/atom+xml; charset=utf-9",
    "application/rss+xml; charset=\x80",
]


def feed_target(data: bytes, rng: random.Random) -> None:
    from parsers.feed import parse_feed

    content_type = rng.choice(CONTENT_TYPES)
    result = parse_feed(data, url=f"{BASE}/feed.rss", headers={"content-type": content_type} if content_type else {})
    codes = [p.code for p in result.problems]
    require(set(codes) <= FEED_PROBLEMS, "problems are of known kinds", codes)
    # parse_feed survives feedparser's own crashes, but each one loses a whole feed: find them.
    crashed = [p.message for p in result.problems if p.message.startswith("feedparser could not read it")]
    require(not crashed, "feedparser does not crash", crashed)
    require(result.items or codes, "a feed without items says why", codes)
    links = [item.link for item in result.items]
    require(len(links) == len(set(links)), "one item per canonical link", links)
    for item in result.items:
        require(check_canonical(item.raw_link) == item.link, "an item's link is its raw link, canonical", item)
        require(item.published is None or item.published.tzinfo == UTC, "publication times are UTC", item)
        require("\n" not in item.title and _nfc(item.title), "titles are one NFC line", item.title)
        require(_nfc(item.summary), "summaries are NFC", item.summary)
    dated = [i.published for i in result.items if i.published]
    require(result.newest == (max(dated) if dated else None), "newest is the newest item's time", result.newest)
    _may_concern([(i.title, i.summary) for i in result.items])


def _may_concern(items: list[tuple[str, str]]) -> None:
    """What polling does next with each item: decide whether its page is worth fetching."""
    from parsers.relevance import may_concern

    for title, summary in items:
        require(may_concern(title, summary, _profile()) in (True, False), "relevance is yes or no", title)


PATTERNS = [r"/press-releases/\d{4}/\w+/.+", r"\.html?$", r"/", r"\d+"]


def listing_target(data: bytes, rng: random.Random) -> None:
    from parsers.listing import parse_listing

    pattern = rng.choice(PATTERNS)
    items = parse_listing(as_text(data), base_url=f"{BASE}/list", item_pattern=pattern)
    links = [i.link for i in items]
    require(len(links) == len(set(links)), "one item per canonical link", links)
    for item in items:
        require(check_canonical(item.raw_link) == item.link, "an item's link is its raw link, canonical", item)
        require(re.search(pattern, item.link), "every link matches the item pattern", (pattern, item.link))
        require(_nfc(item.title), "titles are NFC", item.title)
    _may_concern([(i.title, "") for i in items])


def _check_article(article: Article) -> None:
    require(_nfc(article.title) and _nfc(article.body), "article text is NFC", article.title)
    require("\r" not in article.body, "article text has no carriage returns", repr(article.body[:80]))
    require(article.language in ("vi", "en"), "language is vi or en", article.language)
    require(article.published is None or isinstance(article.published, date), "published is a date", article)


PAGE_ENCODINGS = [None, "utf-8", "cp1258", "utf-16", "no-such-charset", "\x80"]


def page_target(data: bytes, rng: random.Random) -> None:
    from parsers.page import parse_article_page

    fetched = f"{BASE}/news/a-{rng.randrange(10**6)}.html"
    source: str | bytes = data if rng.random() < 0.8 else as_text(data)
    article = parse_article_page(fetched, source, encoding=rng.choice(PAGE_ENCODINGS))
    _check_article(article)
    require(check_canonical(article.url) == article.url, "a page's URL is canonical", article.url)


def page_date_target(data: bytes, rng: random.Random) -> None:
    from parsers.feed import parse_gmt_offset, parse_mdy_vietnam
    from parsers.page import parse_page_date

    raw = as_text(data)
    day = parse_page_date(raw)
    require(day is None or MIN_DAY <= day <= MAX_DAY, "a page date is a date", day)
    for handler in (parse_mdy_vietnam, parse_gmt_offset):
        parsed = handler(raw)
        if parsed is not None:
            datetime(*parsed[:6], tzinfo=UTC)  # feedparser builds this: it must not raise


# --- seed files ---------------------------------------------------------------------------------


def seedfile_target(data: bytes, rng: random.Random) -> None:
    from parsers.inputs import parse_input_file

    name = rng.choice(["a.txt", "b.html", "c.htm", "d.TXT"])
    article, problems = parse_input_file(PurePath(name), data)
    if article is None:
        require(problems, "a file without an article says why", problems)
        return
    _check_article(article)
    require(article.url == f"seed://{name}", "a seed file is keyed on its name", article.url)
    require(article.body.strip(), "an article has text", article)


# --- dates and events -----------------------------------------------------------------------------


def _valid(pd: PartialDate | None) -> bool:
    """A day there is: in its year, or, without one, in some year (29/2 is; 31/4 never is)."""
    if pd is None:
        return True
    return PartialDate(pd.day, pd.month, pd.year or 2000).resolved() is not None


def _ordered(first: PartialDate | None, last: PartialDate | None) -> bool:
    a, b = (first.resolved() if first else None), (last.resolved() if last else None)
    return a is None or b is None or a <= b


def _published(rng: random.Random) -> date | None:
    return rng.choice([None, date(2025, 11, 14), date(2026, 1, 1), date(2024, 2, 29), date(2025, 12, 31)])


def dates_target(data: bytes, rng: random.Random) -> None:
    from parsers import dates

    text = as_text(data)
    mentions = dates.find_dates(text)
    previous_end = 0
    for m in sorted((m for m in mentions if m.weekday is None), key=lambda m: m.start):
        require(previous_end <= m.start < m.end <= len(text), "date mentions lie in the text, apart", m)
        previous_end = m.end
    published = _published(rng)
    context = dates.article_context_year(text, mentions)
    for m in mentions:
        require(_valid(m.first) and _valid(m.last), "dates found are valid dates", (text[m.start : m.end], m))
        require(_ordered(m.first, m.last), "a range starts before it ends", (text[m.start : m.end], m))
        first, last = dates.resolve(m, published, context)
        require(_valid(first) and _valid(last), "resolved dates are valid dates", (text[m.start : m.end], first, last))
        require(_ordered(first, last), "start <= end once resolved", (text[m.start : m.end], published, first, last))


@cache
def _profile() -> WatchProfile:
    from parsers.profile import load_profile

    return load_profile(ROOT / "seeds" / "watch.toml")


def events_target(data: bytes, rng: random.Random) -> None:
    from parsers.events import extract_events, with_published
    from parsers.inputs import parse_input_file

    article, _ = parse_input_file(PurePath("case.txt"), data)
    if article is None:
        return
    extraction = extract_events(with_published(article, _published(rng)), _profile())
    text = extraction.article.full_text
    for event in extraction.events:
        where = f"{event.kind} {event.evidence[:120]!r}"
        require(event.evidence and event.evidence in text, "every event's evidence occurs in the article text", where)
        require(
            text[event.position : event.position + len(event.evidence)] == event.evidence,
            "an event's position is where its evidence is",
            (where, event.position),
        )
        require(event.kind in EVENT_KINDS, "kinds are known", event.kind)
        require(event.mode is None or event.mode in MODES, "modes are known", event.mode)
        require(event.status in STATUSES, "statuses are known", event.status)
        require(event.number is None or event.number >= 1, "ordinals are positive", (where, event.number))
        require(_valid(event.start) and _valid(event.end), "event dates are valid dates", (where, event.start))
        require(_ordered(event.start, event.end), "an event starts before it ends", (where, event.start, event.end))
        json.dumps(event.to_json())


# --- the SQL guard ----------------------------------------------------------------------------------

TOKEN = "tw-fuzz-canary-51c0"
ESCAPES = [
    "select * from read_text('{secret}')",
    "select * from query('select * from read_text(''{secret}'')')",
    "select * from '{secret}'",
    "from '{secret}'",
    "select * from query_table('{secret}')",
    "select * from glob('{dir}/*')",
    "select * from read_blob('{secret}')",
    "select * from read_csv('{secret}', header = false)",
    "select * from events, '{secret}'",
    "attach '{secret}' as s",
    "copy (select 1) to '{dir}/out.csv'",
    "set enable_external_access = true",
    "reset lock_configuration",
]
SQL_NOISE = ["--", "/*", "*/", "'", "''", '"', ";", "\n", " ", "(", ")", "read_text(", "query(", "'{secret}'", "É"]


@dataclass(frozen=True)
class Sandbox:
    db: Path
    secret: Path
    folder: Path
    db_sha: str


@cache
def _sandbox() -> Sandbox:
    from warehouse.db import connect

    folder = Path(tempfile.mkdtemp(prefix="tradewatch-fuzz-"))
    db, secret = folder / "w.duckdb", folder / "secret.csv"
    connect(db).close()
    secret.write_text(f"secret\n{TOKEN}\n", encoding="utf-8")
    return Sandbox(db, secret, folder, hashlib.sha256(db.read_bytes()).hexdigest())


def sql_seeds() -> list[bytes]:
    return [e.encode() for e in ESCAPES]


def sql_target(data: bytes, rng: random.Random) -> None:
    import duckdb

    from warehouse.queries import QueryRejected, QueryTimeout, run_query

    box = _sandbox()
    sql = as_text(data)
    for _ in range(rng.randint(0, 3)):
        at = rng.randint(0, len(sql))
        sql = sql[:at] + rng.choice(SQL_NOISE) + sql[at:]
    sql = sql.replace("{secret}", str(box.secret)).replace("{dir}", str(box.folder))
    try:
        result = run_query(box.db, sql, max_rows=50, timeout_s=5)
    except (QueryRejected, QueryTimeout, duckdb.Error) as refused:
        require(TOKEN not in str(refused), "no error message shows a file's content", sql)
    else:
        require(TOKEN not in repr(result.rows), "no query reads a file beside the warehouse", sql)
    require(sorted(p.name for p in box.folder.iterdir()) == ["secret.csv", "w.duckdb"], "no query writes a file", sql)
    require(hashlib.sha256(box.db.read_bytes()).hexdigest() == box.db_sha, "no query changes the warehouse", sql)


# --- the table of targets -------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    name: str
    corpus: str  # the Corpus field its inputs come from
    check: Callable[[bytes, random.Random], None]
    max_bytes: int = 1_000_000  # inputs are cut here


# Extraction's inputs stop at 200 KB, ten times the longest article text seen, and the dates' at
# 50 KB of dates: only so that 10,000 cases take minutes, not hours (time grows with the text, and
# tests/test_fuzz_regressions.py keeps the case that once grew with its square).
TARGETS = [
    Target("feed", "feeds", feed_target),
    Target("listing", "listings", listing_target),
    Target("page", "pages", page_target),
    Target("seedfile", "texts", seedfile_target),
    Target("url", "urls", url_target),
    Target("page_date", "dates", page_date_target),
    Target("dates", "dates", dates_target, max_bytes=50_000),
    Target("events", "texts", events_target, max_bytes=200_000),
    Target("sql", "queries", sql_target),
]
