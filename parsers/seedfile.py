"""Seed files: UTF-8 text, an optional ` date YYYY-MM-DD ` marker, maybe a headline, then the body.

The body may end in site chrome (related links, "Đọc nhiều", video lists) that is not article text.
"""

from __future__ import annotations

import re
from datetime import date

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


def parse_published_marker(text: str) -> tuple[date | None, str]:
    """Return the marker's date (day 1 when only the month is given) and the text after it."""
    match = _DATE_MARKER.match(text)
    if not match:
        return None, text
    year, month, day = int(match[1]), int(match[2]), int(match[3] or 1)
    try:
        published = date(year, month, day)
    except ValueError:
        return None, text[match.end() :]
    return published, text[match.end() :]


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
    marker_date, rest = parse_published_marker(text)
    lines = [line for line in strip_chrome(clean(rest).split("\n")) if line]
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
    )


_VI_LETTERS = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)


def guess_language(text: str) -> str:
    """Vietnamese or English: Vietnamese-only letters are frequent in any Vietnamese prose."""
    sample = text[:4000]
    letters = sum(ch.isalpha() for ch in sample) or 1
    return "vi" if len(_VI_LETTERS.findall(sample)) / letters > 0.02 else "en"
