"""Vietnamese and English date expressions, found in text and resolved against the publication date.

Years come from the text, or from the publication date, or from other dates in the same article;
never from today's date. A date whose year cannot be known stays partial (`--11-14`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from parsers.models import PartialDate
from parsers.ordinals import VI_NUMBER_WORDS

_DASH = r"\s*[-–—]\s*"
_SEP = r"\s*[/.]\s*"
_D = r"(\d{1,2})"
_M = r"(\d{1,2})"
_Y = r"(\d{4})"
_NO_DIGIT_BEFORE = r"(?<![\d/.,])"
# A day of one or two digits, not inside a number: `_NO_DIGIT_BEFORE` then \d{1,2}, written to begin
# with a digit so that the regex engine skips ahead to digits instead of trying every position.
_DAY1 = r"(?P<d1>\d(?<![\d/.,]\d)\d?)"
_NO_DIGIT_AFTER = r"(?![\d]|[/.,]\d)"
_DAYPART = r"(?:ngày|sáng|chiều|tối|trưa|đêm|hôm|rạng sáng|từ|đến|tới|và|nay|mai)"

MONTHS_EN = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
_MONTH_EN = r"(" + "|".join(sorted(MONTHS_EN, key=len, reverse=True)) + r")\.?"
_ORD = r"(?:st|nd|rd|th)?"
# "tháng Bảy", "tháng Giêng", "tháng Chạp": the number words, and the two months' own names.
VI_MONTH_WORDS = {
    word: number for word, number in VI_NUMBER_WORDS.items() if number <= 12 and word not in ("nhất", "đầu tiên")
} | {"giêng": 1, "chạp": 12}
_VI_MONTH_WORD = "|".join(sorted(VI_MONTH_WORDS, key=len, reverse=True))
# "thứ Hai" .. "thứ Bảy", "Chủ nhật" (Monday = 0)
WEEKDAYS_VI = {"hai": 0, "ba": 1, "tư": 2, "năm": 3, "sáu": 4, "bảy": 5, "2": 0, "3": 1, "4": 2, "5": 3, "6": 4, "7": 5}
WEEKDAYS_EN = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
RELATIVE_DAYS = {
    "hôm qua": -1,
    "hôm nay": 0,
    "ngày mai": 1,
    "ngày hôm qua": -1,
    "ngày hôm nay": 0,
    "yesterday": -1,
    "today": 0,
    "tomorrow": 1,
}


@dataclass(frozen=True)
class DateMention:
    """A date or date range at [start, end) in the text."""

    start: int
    end: int
    first: PartialDate | None
    last: PartialDate | None = None
    relative_days: int | None = None  # "yesterday" = -1, resolved against the publication date
    weekday: int | None = None  # "on Thursday", resolved against the publication date
    ahead: bool = False  # "next Monday": the weekday after the publication date, not before

    @property
    def has_year(self) -> bool:
        return self.first is not None and self.first.year is not None


_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # 29 February: some year has it


def _valid(day: int, month: int, year: int | None = None) -> bool:
    if not (1 <= month <= 12 and 1 <= day <= _DAYS_IN_MONTH[month - 1]):
        return False  # "31/4" is no day, whatever the year
    if year is None:
        return True
    try:
        date(year, month, day)
    except ValueError:
        return False
    return 1990 <= year <= 2100


def _pd(day: str, month: str | int, year: str | None = None) -> PartialDate | None:
    d, m = int(day), int(month)
    y = int(year) if year else None
    return PartialDate(d, m, y) if _valid(d, m, y) else None


Handler = Callable[[re.Match[str]], tuple[PartialDate | None, PartialDate | None]]


def _range_same_month(m: re.Match[str]) -> tuple[PartialDate | None, PartialDate | None]:
    return _pd(m["d1"], m["m"], m["y"]), _pd(m["d2"], m["m"], m["y"])


def _range_two_months(m: re.Match[str]) -> tuple[PartialDate | None, PartialDate | None]:
    return _pd(m["d1"], m["m1"], m["y"]), _pd(m["d2"], m["m2"], m["y"])


def _single(m: re.Match[str]) -> tuple[PartialDate | None, PartialDate | None]:
    return _pd(m["d1"], m["m"], m["y"] if "y" in m.groupdict() else None), None


def _en_month_first(m: re.Match[str]) -> tuple[PartialDate | None, PartialDate | None]:
    month = MONTHS_EN[m["mon"].lower()]
    first = _pd(m["d1"], month, m["y"])
    last = _pd(m["d2"], month, m["y"]) if m["d2"] else None
    return first, last


def _en_day_first(m: re.Match[str]) -> tuple[PartialDate | None, PartialDate | None]:
    month = MONTHS_EN[m["mon"].lower()]
    first = _pd(m["d1"], month, m["y"])
    last = _pd(m["d2"], month, m["y"]) if m["d2"] else None
    return first, last


def _month_only(m: re.Match[str]) -> tuple[PartialDate | None, PartialDate | None]:
    # A month alone ("trong tháng 11", "tháng 11/2025") is consumed so its digits are not read
    # as a day, but it gives no day to report.
    return None, None


# Order matters: earlier patterns win where matches overlap.
_PATTERNS: list[tuple[re.Pattern[str], Handler]] = [
    # từ ngày 30/11 đến ngày 2/12/2025 ; 30/11 - 2/12/2025
    (
        re.compile(
            rf"(?:từ\s+(?:ngày\s+)?)?{_NO_DIGIT_BEFORE}(?P<d1>\d{{1,2}}){_SEP}(?P<m1>\d{{1,2}})"
            rf"(?:\s*(?:đến|tới)\s+(?:ngày\s+)?|{_DASH})(?P<d2>\d{{1,2}}){_SEP}(?P<m2>\d{{1,2}})"
            rf"(?:{_SEP}(?P<y>\d{{4}}))?{_NO_DIGIT_AFTER}",
            re.IGNORECASE,
        ),
        _range_two_months,
    ),
    # từ ngày 12 đến (ngày) 14/11(/2025) ; từ 12 đến 14-11
    (
        re.compile(
            rf"từ\s+(?:ngày\s+)?(?P<d1>\d{{1,2}})\s+(?:đến|tới)\s+(?:ngày\s+)?(?P<d2>\d{{1,2}})"
            rf"\s*[/.\-]\s*(?P<m>\d{{1,2}})(?:\s*[/.\-]\s*(?P<y>\d{{4}}))?{_NO_DIGIT_AFTER}",
            re.IGNORECASE,
        ),
        _range_same_month,
    ),
    # (từ ngày) 12-14 tháng 11 (năm 2025)
    (
        re.compile(
            rf"{_DAY1}(?:{_DASH}|\s+(?:đến|tới)\s+)(?P<d2>\d{{1,2}})\s+tháng\s+"
            rf"(?P<m>\d{{1,2}})(?:\s*(?:năm\s+|/\s*)(?P<y>\d{{4}}))?",
            re.IGNORECASE,
        ),
        _range_same_month,
    ),
    # 2 Tháng Bảy (2025) ; ngày 2 tháng Bảy năm 2025 (the month as a word)
    (
        re.compile(
            rf"{_DAY1}\s+tháng\s+(?P<mw>{_VI_MONTH_WORD})(?!\w)"
            rf"(?:,?\s*(?:năm\s+)?(?P<y>\d{{4}}))?",
            re.IGNORECASE,
        ),
        lambda m: (_pd(m["d1"], VI_MONTH_WORDS[m["mw"].lower()], m["y"]), None),
    ),
    # ngày 12 tháng 11 (năm 2025)
    (
        re.compile(
            rf"{_DAY1}\s+tháng\s+(?P<m>\d{{1,2}})(?:\s*(?:năm\s+|/\s*)(?P<y>\d{{4}}))?",
            re.IGNORECASE,
        ),
        _single,
    ),
    # 12-14/11 ; 12–14/11/2025 ; 12 - 14.11 ; 12–14.11.2025
    (
        re.compile(
            rf"{_DAY1}{_DASH}(?P<d2>\d{{1,2}}){_SEP}(?P<m>\d{{1,2}})"
            rf"(?:{_SEP}(?P<y>\d{{4}}))?{_NO_DIGIT_AFTER}"
        ),
        _range_same_month,
    ),
    # 15/11/2025 ; 15-11-2025 ; 15.11.2025
    (
        re.compile(rf"{_DAY1}(?P<s>[/.\-])(?P<m>\d{{1,2}})(?P=s)(?P<y>\d{{4}}){_NO_DIGIT_AFTER}"),
        _single,
    ),
    # tháng 11/2025 ; trong tháng 11 (month only)
    (re.compile(r"tháng\s+\d{1,2}(?:\s*(?:/|năm)\s*\d{4})?(?!\s*[/.\-]\s*\d)", re.IGNORECASE), _month_only),
    # 12/6 (a slash is a date on its own)
    (
        re.compile(rf"{_DAY1}\s*/\s*(?P<m>\d{{1,2}}){_NO_DIGIT_AFTER}(?!\s*(?:%|số))"),
        _single,
    ),
    # ngày 15-11 ; chiều 10.11 (a dash or a dot only after a word that introduces a date)
    (
        re.compile(rf"\b{_DAYPART}\s+(?P<d1>\d{{1,2}})[.\-](?P<m>\d{{1,2}}){_NO_DIGIT_AFTER}", re.IGNORECASE),
        _single,
    ),
    # November 12-14, 2025 ; Nov. 12 ; November 12 to 14
    (
        re.compile(
            rf"\b(?P<mon>{_MONTH_EN[1:-4]})\.?\s+(?P<d1>\d{{1,2}}){_ORD}"
            rf"(?:(?:{_DASH}|\s+(?:to|and|through)\s+)(?P<d2>\d{{1,2}}){_ORD})?(?:,?\s+(?P<y>\d{{4}}))?\b",
            re.IGNORECASE,
        ),
        _en_month_first,
    ),
    # 12 November 2025 ; 12-14 November
    (
        re.compile(
            rf"\b(?P<d1>\d{{1,2}}){_ORD}(?:{_DASH}(?P<d2>\d{{1,2}}){_ORD})?\s+(?:of\s+)?(?P<mon>{_MONTH_EN[1:-4]})\.?"
            rf"(?:,?\s+(?P<y>\d{{4}}))?\b",
            re.IGNORECASE,
        ),
        _en_day_first,
    ),
]

_RELATIVE = re.compile(r"\b(" + "|".join(sorted(RELATIVE_DAYS, key=len, reverse=True)) + r")\b", re.IGNORECASE)
# "on Wednesday", "said Wednesday", "next Monday"; not "Monday, February 23, 2026" (a dateline).
_WEEKDAY = re.compile(
    r"\b(?:(?P<dir>on|last|this|next)\s+)?(?P<day>" + "|".join(WEEKDAYS_EN) + r")\b(?!,?\s+(?:\w+\s+)?\d)",
    re.IGNORECASE,
)
# "hôm thứ Tư", "vào thứ Sáu tuần trước", "chiều Chủ nhật"; not "lần thứ ba" (an ordinal) nor
# "thứ Tư 2/7" (the date that follows is the one to keep).
_WEEKDAY_VI = re.compile(
    r"(?P<th>[Tt]hứ)\s+(?P<day>Hai|Ba|Tư|Năm|Sáu|Bảy|[2-7])\b"
    r"(?P<next>\s+tuần\s+(?:tới|sau))?(?!\s*,?\s*\(?\d{1,2}\s*[/.\-]\s*\d)"
)
# What may stand before "thứ Tư": a word that introduces a day ("hôm", "chiều"), or no word at all
# ("Thứ Tư, ..."); after any other word it is an ordinal ("lần thứ ba", "vòng thứ hai").
_WEEKDAY_VI_INTRO = re.compile(r"\b(?:hôm|vào|sáng|chiều|tối|trưa|đêm|ngày)\s+$")
_WORD_BEFORE = re.compile(r"[\wÀ-ỹ]\s$")


# Patterns that cannot match a text without a month's, a weekday's or a relative day's name: a
# substring test rules them out for most texts at a fraction of the regex's cost.
_NEEDS_MONTH_NAME = frozenset(pattern for pattern, _ in _PATTERNS if "(?P<mon>" in pattern.pattern)
_NEEDS_THANG = frozenset(
    pattern for pattern, _ in _PATTERNS if pattern.pattern.startswith("tháng") or r")\s+tháng\s+" in pattern.pattern
)


# "sẽ diễn ra vào thứ Sáu", "will meet on Friday": the weekday to come, not the one just past.
_FUTURE_BEFORE = re.compile(
    r"\b(?:sẽ|will|would|plans?\s+to|(?:is|are)\s+(?:due|set|scheduled|expected)\s+to|dự\s+kiến)\b[^.;,]{0,70}$",
    re.IGNORECASE,
)


def _will_happen(text: str, start: int) -> bool:
    # ("will hold talks with Jamieson Greer in Washington on Thursday": the verb may be far before.)
    return _FUTURE_BEFORE.search(text, max(0, start - 90), start) is not None


def _mentions_any(lowered: str, names: Iterable[str]) -> bool:
    return any(name in lowered for name in names)


def find_dates(text: str) -> list[DateMention]:
    """Every date expression in `text`, in order of position, without overlaps."""
    taken = bytearray(len(text) + 1)  # characters already part of a date: linear, however many dates
    found: list[DateMention] = []
    lowered = text.lower()
    month_named = _mentions_any(lowered, MONTHS_EN)
    thang = "tháng" in lowered

    def free(a: int, b: int) -> bool:
        return not any(taken[a:b])

    def take(a: int, b: int) -> None:
        taken[a:b] = b"\x01" * (b - a)

    for pattern, handler in _PATTERNS:
        if pattern in _NEEDS_MONTH_NAME and not month_named or pattern in _NEEDS_THANG and not thang:
            continue
        for m in pattern.finditer(text):
            if not free(m.start(), m.end()):
                continue
            first, last = handler(m)
            take(m.start(), m.end())
            if first is not None:
                if last is not None and (last.year, last.month, last.day) < (first.year, first.month, first.day):
                    last = None  # "29-2/9": a range cannot end before it starts; keep the day that is sure
                found.append(DateMention(m.start(), m.end(), first, last))
    for m in _RELATIVE.finditer(text) if _mentions_any(lowered, RELATIVE_DAYS) else ():
        # "ngày mai (30/1)": the explicit date that follows is the one to keep.
        if re.match(
            r"\s*[(\[]?\s*(?:\d{1,2}\s*[/.\-]\s*\d{1,2}|[A-Z][a-z]+\.?\s+\d{1,2}\b)", text[m.end() : m.end() + 16]
        ):
            continue
        if free(m.start(), m.end()):
            take(m.start(), m.end())
            found.append(DateMention(m.start(), m.end(), None, relative_days=RELATIVE_DAYS[m[1].lower()]))
    for m in _WEEKDAY.finditer(text) if _mentions_any(lowered, WEEKDAYS_EN) else ():
        if free(m.start(), m.end()):
            direction = (m["dir"] or "").lower()
            ahead = direction == "next" or direction != "last" and _will_happen(text, m.start())
            found.append(DateMention(m.start(), m.end(), None, weekday=WEEKDAYS_EN[m["day"].lower()], ahead=ahead))
    for m in _WEEKDAY_VI.finditer(text) if "thứ" in lowered else ():
        before = text[max(0, m.start() - 12) : m.start()]
        if _WORD_BEFORE.search(before) and not _WEEKDAY_VI_INTRO.search(before):
            continue
        if free(m.start("th"), m.end()):
            weekday = WEEKDAYS_VI[m["day"].lower()]
            # ("hôm thứ Sáu" is a day gone by, whatever the sentence will do after it.)
            ahead = m["next"] is not None or not before.rstrip().endswith("hôm") and _will_happen(text, m.start())
            found.append(DateMention(m.start("th"), m.end(), None, weekday=weekday, ahead=ahead))
    return sorted(found, key=lambda d: d.start)


def _nearest_year(day: int, month: int, anchor: date) -> int | None:
    best: tuple[int, int] | None = None
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        if not _valid(day, month, year):
            continue
        distance = abs((date(year, month, day) - anchor).days)
        if best is None or distance < best[0]:
            best = (distance, year)
    return best[1] if best else None


def complete_year(pd: PartialDate, published: date | None, context_year: int | None) -> PartialDate:
    """Give `pd` a year: its own, else the one nearest the publication date, else the article's."""
    if pd.year is not None:
        return pd
    if published is not None:
        year = _nearest_year(pd.day, pd.month, published)
        return PartialDate(pd.day, pd.month, year)
    if context_year is not None and _valid(pd.day, pd.month, context_year):
        return PartialDate(pd.day, pd.month, context_year)
    return pd


def resolve(
    mention: DateMention, published: date | None, context_year: int | None, year_anchor: date | None = None
) -> tuple[PartialDate | None, PartialDate | None]:
    """The mention's first and last day, with years completed where the article allows.

    `year_anchor` stands in for the publication date where only its month is known: it gives a
    year to "14/11", but no day to resolve "on Friday" against."""
    if mention.relative_days is not None or mention.weekday is not None:
        if published is None:
            return None, None
        if mention.relative_days is not None:
            day = published + timedelta(days=mention.relative_days)
        elif mention.ahead:
            day = published + timedelta(days=((mention.weekday or 0) - published.weekday()) % 7 or 7)
        else:
            back = (published.weekday() - (mention.weekday or 0)) % 7
            day = published - timedelta(days=back)
        return PartialDate(day.day, day.month, day.year), None
    anchor = published or year_anchor
    first = complete_year(mention.first, anchor, context_year) if mention.first else None
    last = mention.last
    if last is not None:
        if last.year is None and first is not None and first.year is not None:
            year = first.year + (1 if (last.month, last.day) < (first.month, first.day) else 0)
            last = _with_year(last, year)
        elif first is not None and first.year is None and last.year is not None:
            year = last.year - (1 if (last.month, last.day) < (first.month, first.day) else 0)
            first = _with_year(first, year)
        else:
            last = complete_year(last, anchor, context_year)
    return first, last


def _with_year(pd: PartialDate, year: int) -> PartialDate:
    """`pd` in `year`, if that year has the day (29 February of 2025 does not: the year stays unknown)."""
    return PartialDate(pd.day, pd.month, year) if _valid(pd.day, pd.month, year) else pd


def article_context_year(text: str, mentions: list[DateMention] | None = None) -> int | None:
    """The year that the article's own dates state, when they state exactly one."""
    found = find_dates(text) if mentions is None else mentions
    years = {m.first.year for m in found if m.first is not None and m.first.year is not None}
    return years.pop() if len(years) == 1 else None
