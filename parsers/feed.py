"""RSS and Atom feeds to items, with feedparser on bytes (never a URL) and the response headers.

Errors are data: a feed that is not well-formed but readable gives its items and a warning; a
page that is not a feed at all gives no items and a `not_a_feed` problem.
"""

from __future__ import annotations

import codecs
import html
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from io import BytesIO
from typing import Any
from urllib.parse import urljoin

import feedparser
from bs4 import BeautifulSoup

from parsers.models import Problem
from parsers.text import clean
from parsers.urls import canonical_url

VIETNAM = timezone(timedelta(hours=7))
_XML_TYPES = ("xml", "rss", "atom")
# feedparser's own reading of the declared encoding (encodings.RE_XML_PI_ENCODING), which it then
# decodes as UTF-8 and crashes on when the name holds a byte that is not UTF-8.
_DECLARED_ENCODING = re.compile(rb"^(<\?.*)encoding=['\"](.*?)['\"](.*\?>)")

# --- dates feedparser cannot read: Vietnamese feeds' own formats -------------------------------

_MDY = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AP]M)?\s*$", re.I)
_GMT_OFFSET = re.compile(
    r"^\s*(?:\w{3},\s*)?(\d{1,2})\s+(\w{3})\s+(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*"
    r"(?:GMT|UTC)?\s*([+-])(\d{1,2})(?::?(\d{2}))?\s*$",
    re.I,
)
_MONTHS = {
    m: i for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)
}


def _struct(dt: datetime) -> time.struct_time:
    return dt.astimezone(UTC).timetuple()


def parse_mdy_vietnam(value: str) -> time.struct_time | None:
    """`9/14/2026 6:44:00 PM` (Báo Chính phủ, Tuổi Trẻ feeds): M/D/YYYY, 12-hour, Vietnam time."""
    m = _MDY.match(value)
    if not m:
        return None
    month, day, year, hour, minute = (int(m[i]) for i in range(1, 6))
    second = int(m[6] or 0)
    if m[7]:
        hour = hour % 12 + (12 if m[7].upper() == "PM" else 0)
    try:
        return _struct(datetime(year, month, day, hour, minute, second, tzinfo=VIETNAM))
    except ValueError:
        return None


def parse_gmt_offset(value: str) -> time.struct_time | None:
    """`Tue, 15 Sep 2026 09:02:15 GMT+7` (vietnambiz) and `Mon, 05 Oct 2026 11:07:00 +07` (GenK)."""
    m = _GMT_OFFSET.match(value)
    if not m or m[2][:3].lower() not in _MONTHS:
        return None
    year = int(m[3]) + (2000 if len(m[3]) == 2 else 0)
    offset = timedelta(hours=int(m[8]), minutes=int(m[9] or 0)) * (1 if m[7] == "+" else -1)
    try:
        local = datetime(
            year, _MONTHS[m[2][:3].lower()], int(m[1]), int(m[4]), int(m[5]), int(m[6] or 0), tzinfo=timezone(offset)
        )
    except ValueError:
        return None
    return _struct(local)


feedparser.registerDateHandler(parse_mdy_vietnam)
feedparser.registerDateHandler(parse_gmt_offset)


# --- items ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedItem:
    title: str
    link: str  # canonical URL: the dedupe key
    raw_link: str  # absolute URL as the feed gave it: the address to fetch
    guid: str | None
    published: datetime | None  # UTC
    published_raw: str | None
    summary: str  # text, without images or related-links blocks
    thumbnail: str | None = None


@dataclass(frozen=True)
class FeedResult:
    items: tuple[FeedItem, ...] = ()
    problems: tuple[Problem, ...] = ()
    title: str | None = None
    newest: datetime | None = None


def unescape_fully(text: str) -> str:
    """Entities left in titles (`đ&atilde;`, `gi&#225;`), or escaped twice (`&amp;quot;`)."""
    for _ in range(3):
        unescaped = html.unescape(text)
        if unescaped == text:
            break
        text = unescaped
    return text


def clean_summary(raw: str) -> tuple[str, str | None]:
    """Summary text and thumbnail: images and related-links lists (SGGP's "Tin liên quan") go."""
    if "<" not in raw:
        return clean(unescape_fully(raw)).strip(), None
    soup = BeautifulSoup(raw, "lxml")
    image = soup.find("img")
    thumbnail = str(image["src"]).strip() if image is not None and image.get("src") else None
    for tag in soup.find_all(["ul", "ol", "img", "script", "style", "figure", "table"]):
        tag.decompose()
    text = unescape_fully(soup.get_text(" ", strip=True))
    return re.sub(r"\s+", " ", clean(text)).strip(), thumbnail


def _own(entry: Any, key: str) -> Any:
    """The entry's own value: feedparser's `get("updated")` falls back to `published` with a
    DeprecationWarning where `updated` is missing; `in` does not."""
    return entry[key] if key in entry else None  # noqa: SIM401 (get() is what warns)


def _published(entry: Any) -> tuple[datetime | None, str | None]:
    raw = entry.get("published") or _own(entry, "updated")
    parsed = entry.get("published_parsed") or _own(entry, "updated_parsed")
    if parsed is None and raw:
        parsed = parse_mdy_vietnam(raw) or parse_gmt_offset(raw)
    if parsed is None:
        return None, raw
    year, month, day, hour, minute, second = parsed[:6]
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC), raw


def _without_unreadable_encoding(content: bytes) -> tuple[bytes, Problem | None]:
    """The feed without its XML declaration's encoding name when that name is not ASCII
    (`encoding="utf\x80-8"`): no such encoding exists, and the bytes are read as if none were
    declared (the HTTP charset, else UTF-8, else windows-1252)."""
    m = _DECLARED_ENCODING.match(content)
    if m is None or m[2].isascii():
        return content, None
    name = m[2].decode("ascii", "backslashreplace")
    fixed = content[: m.start()] + m[1] + m[3] + content[m.end() :]
    return fixed, Problem("bad_encoding", f'the XML declaration names no encoding there is ("{name}"); ignored')


_CHARACTER_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));")
# The encodings in which a character reference is not ASCII bytes: by their BOM, or by how "<?" is
# written without one (as feedparser itself tells them apart). UTF-32 before UTF-16: FF FE 00 00.
_WIDE = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (b"", "utf-32-le", b"<\x00\x00\x00?\x00\x00\x00"),
    (b"", "utf-32-be", b"\x00\x00\x00<\x00\x00\x00?"),
    (b"", "utf-16-le", b"<\x00?\x00"),
    (b"", "utf-16-be", b"\x00<\x00?"),
)


def _no_character(m: re.Match[str]) -> bool:
    digits = (m[1] or m[2]).lstrip("0")
    if len(digits) > 8:
        return True  # beyond U+10FFFF whatever the base (and int() refuses 4,300 digits)
    code = int(m[1], 16) if m[1] else int(m[2])
    return 0xD800 <= code <= 0xDFFF or code > 0x10FFFF


def _replace_impossible(text: str) -> str:
    return _CHARACTER_REFERENCE.sub(lambda m: "&#xFFFD;" if _no_character(m) else m[0], text)


def _without_impossible_characters(content: bytes) -> tuple[bytes, Problem | None]:
    """`&#xD800;` or `&#1114112;` name no character, and feedparser, unable to encode one, gave up
    on the whole feed: each becomes U+FFFD, the replacement character, and the items stay."""
    for bom, codec, *marker in _WIDE:
        if content.startswith(bom if bom else marker[0]):
            head, body = content[: len(bom)], content[len(bom) :]
            text = body.decode(codec, errors="replace")
            fixed_text = _replace_impossible(text)
            if fixed_text == text:
                return content, None
            fixed = head + fixed_text.encode(codec)
            break
    else:
        if b"&#" not in content:
            return content, None
        # ASCII-compatible: a reference is ASCII whatever the encoding, so latin-1 round-trips the bytes.
        fixed = _replace_impossible(content.decode("latin-1")).encode("latin-1")
        if fixed == content:
            return content, None
    return fixed, Problem("bad_character", "character references to no character (a surrogate) replaced")


def _as_plain_utf8(content: bytes) -> bytes:
    """The feed decoded as its byte order mark says (else UTF-8, bad bytes replaced), without NULs
    or an XML declaration, in UTF-8."""
    for bom, codec in _WIDE[:4]:
        if content.startswith(bom):
            text = content[len(bom) :].decode(codec, errors="replace")
            break
    else:
        text = content.decode("utf-8", errors="replace").lstrip("\ufeff")
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text.replace("\x00", ""))
    return text.encode("utf-8")


def parse_feed(content: bytes, *, url: str, headers: dict[str, str] | None = None) -> FeedResult:
    """Parse a feed's bytes. `headers` are the HTTP response headers (charset, content type).

    Never raises on what the source sent: whatever cannot be read is a problem of the result."""
    response_headers = {k.lower(): v for k, v in (headers or {}).items()}
    response_headers.setdefault("content-location", url)
    content, declaration = _without_unreadable_encoding(content)
    content, references = _without_impossible_characters(content)
    problems: list[Problem] = [p for p in (declaration, references) if p is not None]
    try:
        parsed = feedparser.parse(BytesIO(content), response_headers=response_headers, sanitize_html=False)
    except Exception as crash:  # feedparser's own bugs on hostile bytes: the feed is unreadable, not the run
        # Once more, as plain UTF-8 without the declaration that tripped it ("UTF-\x00" in a
        # UTF-16 feed): what can still be read is kept.
        try:
            parsed = feedparser.parse(BytesIO(_as_plain_utf8(content)), response_headers={}, sanitize_html=False)
        except Exception:
            problems.append(Problem("malformed", f"feedparser could not read it: {type(crash).__name__}: {crash}"))
            return FeedResult(problems=tuple(problems))
        problems.append(Problem("bad_encoding", f"read again as UTF-8 after: {type(crash).__name__}: {crash}"))
    entries = parsed.entries
    content_type = response_headers.get("content-type", "")
    if parsed.bozo:
        exc = parsed.get("bozo_exception")
        name = type(exc).__name__ if exc else "bozo"
        if not entries:
            kind = "not_a_feed" if content_type and not any(t in content_type for t in _XML_TYPES) else "malformed"
            head = content[:200].decode("utf-8", "replace").strip().replace("\n", " ")
            problems.append(Problem(kind, f"{name}: {exc} (starts: {head[:80]!r})"))
            return FeedResult(problems=tuple(problems))
        problems.append(Problem("malformed_recovered", f"{name}: {exc}; {len(entries)} items recovered"))
    if not entries:
        problems.append(Problem("empty_feed", "the feed has no items"))
    items: list[FeedItem] = []
    seen: set[str] = set()
    for entry in entries:
        raw_link = (entry.get("link") or entry.get("id") or "").strip()
        if not raw_link:
            problems.append(Problem("item_without_link", f"item {entry.get('title', '')!r} has no link"))
            continue
        try:
            raw_link = urljoin(url, raw_link)
            link = canonical_url(raw_link)
        except ValueError as exc:  # `http://[::1`, `http://host:abc/`: a link to nowhere
            problems.append(Problem("bad_link", f"item {entry.get('title', '')!r}: {exc}"))
            continue
        if link in seen:
            continue  # one item twice in a feed
        seen.add(link)
        summary, thumbnail = clean_summary(entry.get("summary") or entry.get("description") or "")
        if thumbnail is None:
            media = entry.get("media_thumbnail") or entry.get("media_content") or []
            thumbnail = media[0].get("url") if media else None
        published, raw = _published(entry)
        guid = entry.get("id")
        items.append(
            FeedItem(
                title=re.sub(r"\s+", " ", clean(unescape_fully(entry.get("title") or ""))).strip(),
                link=link,
                raw_link=raw_link,
                guid=guid.strip() if isinstance(guid, str) else None,
                published=published,
                published_raw=raw,
                summary=summary,
                thumbnail=thumbnail,
            )
        )
    if parsed.bozo and not items:
        problems.append(Problem("malformed", "not well-formed, and no usable item could be recovered"))
    newest = max((i.published for i in items if i.published), default=None)
    feed_title = parsed.feed.get("title")
    return FeedResult(
        items=tuple(items),
        problems=tuple(problems),
        title=clean(unescape_fully(feed_title)).strip() if feed_title else None,
        newest=newest,
    )
