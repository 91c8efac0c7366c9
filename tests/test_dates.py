from datetime import date

import pytest

from parsers.dates import article_context_year, find_dates, resolve
from parsers.models import PartialDate

PUBLISHED = date(2025, 11, 14)


def dates_in(text: str, published: date | None = PUBLISHED, context_year: int | None = None):
    return [resolve(m, published, context_year) for m in find_dates(text)]


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("Từ ngày 12-14/11, tại Washington", (12, 11, 2025), (14, 11, 2025)),
        ("Từ ngày 12–14/11/2025, tại", (12, 11, 2025), (14, 11, 2025)),
        ("từ ngày 12 đến 14-11", (12, 11, 2025), (14, 11, 2025)),
        ("diễn ra 12 - 14.11", (12, 11, 2025), (14, 11, 2025)),
        ("12–14.11.2025", (12, 11, 2025), (14, 11, 2025)),
        ("được tổ chức từ ngày 12-14 tháng 11 tại", (12, 11, 2025), (14, 11, 2025)),
        ("từ 30/11 đến 2/12/2025", (30, 11, 2025), (2, 12, 2025)),
        ("November 12-14, 2025", (12, 11, 2025), (14, 11, 2025)),
        ("from November 12 to 14", (12, 11, 2025), (14, 11, 2025)),
    ],
)
def test_ranges(text, first, last):
    (found,) = dates_in(text)
    assert found == (PartialDate(*first), PartialDate(*last))


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("ngày 15-11", (15, 11, 2025)),
        ("chiều 2/2 Quyền Bộ trưởng", (2, 2, 2026)),  # nearest to publication: February next year
        ("ngày 10-11 vừa qua", (10, 11, 2025)),  # "10-11" after "ngày" is a date, not a range
        ("sáng ngày 12/11", (12, 11, 2025)),
        ("ngày 12 tháng 11 năm 2024", (12, 11, 2024)),
        ("Nov. 12", (12, 11, 2025)),
        ("on 12 November 2025", (12, 11, 2025)),
        ("ngày mai (30/1)", (30, 1, 2026)),  # the explicit date wins over "ngày mai"
    ],
)
def test_single_days(text, day):
    (found,) = dates_in(text)
    assert found == (PartialDate(*day), None)


def test_relative_dates_resolve_against_publication():
    assert dates_in("met yesterday") == [(PartialDate(13, 11, 2025), None)]
    assert dates_in("on Thursday", published=date(2025, 11, 14)) == [(PartialDate(13, 11, 2025), None)]
    assert dates_in("hôm qua") == [(PartialDate(13, 11, 2025), None)]


def test_a_weekday_of_what_will_happen_is_the_one_to_come():
    # Published on Tuesday 1 July 2025.
    tuesday = date(2025, 7, 1)
    assert dates_in("một vòng họp sẽ diễn ra vào thứ Sáu", published=tuesday) == [(PartialDate(4, 7, 2025), None)]
    assert dates_in("the teams will meet again on Friday", published=tuesday) == [(PartialDate(4, 7, 2025), None)]
    assert dates_in("the teams met on Friday", published=tuesday) == [(PartialDate(27, 6, 2025), None)]
    # A day gone by stays one, whatever the sentence will do.
    assert dates_in("hai bên sẽ trao đổi tiếp sau cuộc gặp hôm thứ Sáu", published=tuesday) == [
        (PartialDate(27, 6, 2025), None)
    ]
    assert dates_in("they will build on what they agreed last Friday", published=tuesday) == [
        (PartialDate(27, 6, 2025), None)
    ]


def test_without_publication_date_the_year_stays_unknown():
    """Never today's year: with no publication date and no year in the text, it stays partial."""
    assert dates_in("chiều 14/11", published=None) == [(PartialDate(14, 11, None), None)]
    assert dates_in("yesterday", published=None) == [(None, None)]


def test_year_from_the_article_itself():
    text = "Từ ngày 12–14/11/2025 ... phiên đàm phán ngày 10/11"
    assert article_context_year(text) == 2025
    assert dates_in("ngày 10/11", published=None, context_year=2025) == [(PartialDate(10, 11, 2025), None)]


@pytest.mark.parametrize(
    "text",
    [
        "tăng 3.5% so với",
        "tháng 11/2025",
        "dự kiến trong tháng 11",
        "(1989-2001)",
        "từ 1/3 số doanh nghiệp",
        "lần thứ 47",
        "Nghị quyết số 68-NQ/TW",
    ],
)
def test_not_dates(text):
    assert dates_in(text) == []
