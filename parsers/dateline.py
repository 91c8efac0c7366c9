"""The publication date a page prints in its header: a timestamp, a byline date or a dateline.

Crawled excerpts often carry no date marker, but the page's own header does: "15/11/2025 17:31
GMT+7", "Thứ Sáu, 21/11/2025", "03 Tháng 7, 2025", "Updated: June 13, 2025", "HANOI, April 10,
2025 (BSS/AFP)", "Peter Starr   27 Oct 2025", "07-03-2025, 01:37 PM", "Tuesday, Oct/28/2025 -
11:02". A date counts only where a header puts it: on a short line of its own, next to a clock
time, or in a "CITY, date (AGENCY)" dateline. A date inside a sentence of the story ("Ngày
26/10/2025, bên lề Hội nghị ...") is an event's, not the page's. "7/2/2025" is read day first, as
Vietnamese pages print it, unless a 12-hour clock or the story's own dates say month first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from parsers.dates import MONTHS_EN, VI_MONTH_WORDS

HEADER_LINES = 8  # a page's header is over within its first few lines
SHORT_LINE = 80  # longer lines are story text
MENU_LINES = 30  # a header that is all short lines (a site's menu) may run this far before the story
HEADER_REST = 40  # what a header line holds besides its date: a weekday, a clock, a byline
_CLOCK = r"\d{1,2}[:h]\d{2}(?:\s*[AaPp]\.?[Mm]\.?)?"
_MONTH_NAMES = "|".join(sorted(MONTHS_EN, key=len, reverse=True))
_VI_MONTH = r"(?P<mon_vi>\d{1,2}|" + "|".join(sorted(VI_MONTH_WORDS, key=len, reverse=True)) + ")"

# d/m/yyyy, d-m-yyyy, d.m.yyyy (Vietnamese order; see `_numeric` for the US forum exception)
_NUMERIC = re.compile(r"(?<![\d/.\-])(?P<a>\d{1,2})(?P<s>[/.\-])(?P<b>\d{1,2})(?P=s)(?P<y>(?:19|20)\d{2})(?![\d/.\-])")
# June 13, 2025 ; Nov. 15, 2025 ; Oct/28/2025 ; "PUBLISHED ONFebruary 21, 2026" (glued to its label)
_EN_MDY = re.compile(
    rf"(?:\b|(?<=\bON))(?P<mon>{_MONTH_NAMES})(?:\.?\s+|/)(?P<d>\d{{1,2}})(?:(?:st|nd|rd|th)?,?\s+|/)"
    r"(?P<y>(?:19|20)\d{2})\b",
    re.I,
)
# 27 Oct 2025 ; 5 November 2025
_EN_DMY = re.compile(rf"\b(?P<d>\d{{1,2}})\s+(?P<mon>{_MONTH_NAMES})\.?,?\s+(?P<y>(?:19|20)\d{{2}})\b", re.I)
# 03 Tháng 7, 2025 ; 3 tháng 7 2025 ; 2 Tháng Bảy 2025
_VI_DMY = re.compile(rf"\b(?P<d>\d{{1,2}})\s+tháng\s+{_VI_MONTH},?\s+(?:năm\s+)?(?P<y>(?:19|20)\d{{2}})\b", re.I)
# Tháng 7 02, 2025 (a forum's month-first form)
_VI_MDY = re.compile(rf"\btháng\s+{_VI_MONTH}\s+(?P<d>\d{{1,2}}),\s+(?P<y>(?:19|20)\d{{2}})\b", re.I)
_DATELINE = re.compile(r"^[A-ZÀ-Ỹ][\w .\-À-ỹ]{1,30},\s*$")  # "HANOI," before the date
_AGENCY_AFTER = re.compile(r"^\s*\(")  # "... 2025 (BSS/AFP)"


def _make(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _vi_month(token: str) -> int | None:
    token = token.lower()
    return int(token) if token.isdigit() else VI_MONTH_WORDS.get(token)


def _numeric(m: re.Match[str], line: str, story: Sequence[date] = ()) -> date | None:
    a, b, year = int(m["a"]), int(m["b"]), int(m["y"])
    day_first = _make(year, b, a)
    if a > 12 or b > 12 or a == b:
        return day_first if day_first is not None else _make(year, a, b)
    # Vietnamese pages print day first. A forum stamp with a 12-hour clock ("07-03-2025, 01:37
    # PM") is month first, American style; so is "7/2/2025" atop a story of "June 27, 2025".
    month_first = _make(year, a, b)
    if re.search(r"\d{1,2}:\d{2}\s*[AaPp][Mm]", line[m.end() : m.end() + 20]):
        return month_first
    if story and day_first is not None and month_first is not None:

        def distance(d: date) -> int:
            return min(abs((d - s).days) for s in story)

        if distance(month_first) < distance(day_first):
            return month_first
    return day_first


def _unambiguous_dates(text: str) -> list[date]:
    """The full dates a text prints in a form of one reading: a month's name, or a day over 12."""
    found = [d for _, _, d in _named_dates_in(text)]
    for m in _NUMERIC.finditer(text):
        a, b = int(m["a"]), int(m["b"])
        if (a > 12) != (b > 12) and (d := _make(int(m["y"]), min(a, b), max(a, b))) is not None:
            found.append(d)
    return found


def _dates_in(line: str, story: Sequence[date] = ()) -> list[tuple[int, int, date]]:
    found: list[tuple[int, int, date]] = []
    for m in _NUMERIC.finditer(line):
        if (d := _numeric(m, line, story)) is not None:
            found.append((m.start(), m.end(), d))
    return found + _named_dates_in(line)


def _named_dates_in(line: str) -> list[tuple[int, int, date]]:
    found: list[tuple[int, int, date]] = []
    for pattern in (_EN_MDY, _EN_DMY):
        for m in pattern.finditer(line):
            if (d := _make(int(m["y"]), MONTHS_EN[m["mon"].lower()], int(m["d"]))) is not None:
                found.append((m.start(), m.end(), d))
    for pattern in (_VI_DMY, _VI_MDY):
        for m in pattern.finditer(line):
            month = _vi_month(m["mon_vi"])
            if month and (d := _make(int(m["y"]), month, int(m["d"]))) is not None:
                found.append((m.start(), m.end(), d))
    return found


def _is_header_date(line: str, start: int, end: int) -> bool:
    rest = line[:start] + line[end:]
    if len(line) <= SHORT_LINE and len(rest.strip()) <= HEADER_REST:
        return True  # a line that is little but the date: a byline, a timestamp
    before, after = line[:start], line[end:]
    if re.match(rf"\s*[-|,–]?\s*{_CLOCK}", after) or re.search(rf"{_CLOCK}\s*[-|,–]?\s*$", before):
        return True
    return bool(_DATELINE.match(before) and _AGENCY_AFTER.match(after))


def _header_lines(text: str) -> list[str]:
    """The first lines of the page, and, while its story has not begun, the lines of a site's menu
    and the headline after them: "• Home", "• Latest", ..., "July 3, 2025, 1:45 AM ET". The story
    begins with a long line that ends a sentence."""
    lines = [line.strip() for line in text.split("\n", MENU_LINES * 2) if line.strip()][:MENU_LINES]
    header = lines[:HEADER_LINES]
    if not any(_is_story(line) for line in header):
        for line in lines[HEADER_LINES:]:
            if _is_story(line):
                break
            header.append(line)
    return header


def _is_story(line: str) -> bool:
    return len(line) > SHORT_LINE and line.rstrip("\"”’' ").endswith((".", "!", "?"))


def find_published(text: str) -> date | None:
    """The publication date the page's header prints, or None. Where a header prints several
    (a sidebar's, the article's), the latest is the article's: pages show the newest on top."""
    lines = _header_lines(text)
    story = _unambiguous_dates(text) if _NUMERIC.search("\n".join(lines)) else []
    candidates = [
        found for line in lines for start, end, found in _dates_in(line, story) if _is_header_date(line, start, end)
    ]
    return max(candidates) if candidates else None
