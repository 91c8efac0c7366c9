"""Seed files: UTF-8 text, an optional ` date YYYY-MM-DD ` marker, maybe a headline, then the body.

The body may end in site chrome (related links, "Đọc nhiều", video lists) that is not article text.
"""

from __future__ import annotations

import re
from datetime import date

from parsers.dateline import find_published
from parsers.models import Article
from parsers.text import clean

_DATE_MARKER = re.compile(r"^\s*date\s+(\d{4})-(\d{2})(?:-(\d{2}))?\s+")

# A line that is exactly one of these starts the site chrome; everything after it goes.
CHROME_HEADINGS = (
    "tin bài liên quan",
    "tin liên quan",
    "bài liên quan",
    "các tin bài khác",
    "các tin khác",
    "tin khác",
    "đọc nhiều",
    "đọc thêm",
    "xem thêm",
    "tin cùng chuyên mục",
    "tin mới nhất",
    "multimedia",
    "video",
    "có thể bạn quan tâm",
    "bài viết liên quan",
    "related news",
    "related articles",
    "read more",
    "most read",
    "more news",
    "see also",
)
_IMAGE_ONLY = re.compile(r"^[!\[\]()|\s]*$")
_SENTENCE_PUNCTUATION = (".", "!", "?", "…", ":", ";", ",", "”", '"')
_MAX_HEADLINE = 250


def read_marker(text: str) -> tuple[tuple[int, int, int | None] | None, str]:
    """The marker's (year, month, day or None) and the text after it."""
    match = _DATE_MARKER.match(text)
    if not match:
        return None, text
    day = int(match[3]) if match[3] else None
    return (int(match[1]), int(match[2]), day), text[match.end() :]


def parse_published_marker(text: str) -> tuple[date | None, str]:
    """The marker's date and the text after it; a marker that gives only the month gives no date."""
    marker, rest = read_marker(text)
    if marker is None or marker[2] is None:
        return None, rest
    try:
        return date(marker[0], marker[1], marker[2]), rest
    except ValueError:
        return None, rest


def strip_chrome(lines: list[str]) -> list[str]:
    """Cut the article at the first site-chrome heading and drop image-only lines."""
    kept: list[str] = []
    for line in lines:
        if line.strip().rstrip(":").casefold() in CHROME_HEADINGS:
            break
        if _IMAGE_ONLY.match(line):
            continue
        kept.append(line)
    return kept


def _looks_like_headline(first: str, rest: list[str]) -> bool:
    first = first.strip()
    return (
        bool(rest)
        and 0 < len(first) <= _MAX_HEADLINE
        and not first.endswith(_SENTENCE_PUNCTUATION)
        and not first.startswith("|")
    )


def parse_seed_file(name: str, text: str, *, published: date | None = None) -> Article:
    """Parse one seed file. `published` fills in when the file has no date marker."""
    marker, rest = read_marker(text)
    marker_date, _ = parse_published_marker(text)
    month_only = (marker[0], marker[1]) if marker is not None and marker[2] is None else None
    lines = [line for line in strip_chrome(clean(rest).split("\n")) if line]
    if marker_date is None:
        # No marker day: the page's own header may print the date ("15/11/2025 17:31 GMT+7").
        printed = find_published("\n".join(lines))
        if printed is not None and (month_only is None or (printed.year, printed.month) == month_only):
            marker_date, month_only = printed, None
    title: str | None = None
    if lines and _looks_like_headline(lines[0], lines[1:]):
        title, lines = lines[0], lines[1:]
    return Article(
        url=f"seed://{name}",
        title=title,
        body="\n".join(lines),
        language=guess_language("\n".join(lines)),
        published=marker_date or published,
        source_id="seeds",
        published_month=month_only if not (marker_date or published) else None,
    )


_VI_LETTERS = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)


def guess_language(text: str) -> str:
    """Vietnamese or English: Vietnamese-only letters are frequent in any Vietnamese prose."""
    sample = text[:4000]
    letters = sum(ch.isalpha() for ch in sample) or 1
    return "vi" if len(_VI_LETTERS.findall(sample)) / letters > 0.02 else "en"
