"""Feeds, listings and pages: every quirk of ../shared/FEEDS.md, on our fixtures and on the real
captures in ../shared/fixtures when they are beside the project."""

from __future__ import annotations

import json
import unicodedata
from datetime import UTC, date, datetime

import pytest

from parsers.feed import parse_feed, parse_gmt_offset, parse_mdy_vietnam
from parsers.listing import parse_listing
from parsers.page import parse_article_page, parse_page_date
from parsers.relevance import may_concern
from parsers.urls import canonical_url
from tests.conftest import SHARED
from tests.servers import WEB_FIXTURES

BASE = "http://127.0.0.1:8000"
RSS = {"content-type": "application/rss+xml; charset=utf-8"}


def fixture(name: str) -> bytes:
    return (WEB_FIXTURES / name).read_text(encoding="utf-8").replace("{base}", BASE).encode("utf-8")


def feed(name: str):
    return parse_feed(fixture(name), url=f"{BASE}/{name}", headers=RSS)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("name", "published"),
    [
        ("baochinhphu-kinh-te.rss", utc(2026, 3, 13, 2, 0)),  # 3/13/2026 9:00:00 AM, Vietnam time
        ("sggp-kinh-te.rss", utc(2026, 3, 12, 10, 2, 29)),  # +07:00 with a colon
        ("thanhnien-kinh-te.rss", utc(2026, 3, 13, 2, 13)),  # two-digit year
        ("vietnambiz-tai-chinh.rss", utc(2026, 3, 13, 2, 2, 15)),  # GMT+7 inside CDATA
        ("vneconomy-the-gioi.rss", utc(2026, 3, 13, 3, 55, 37)),  # GMT is already UTC: no +7 h
        ("vnexpress-kinh-doanh.rss", utc(2026, 3, 13, 10, 30)),  # +0700
    ],
)
def test_publication_times_are_utc_with_the_right_offset(name, published):
    assert feed(name).items[0].published == published


def test_date_handlers_for_formats_feedparser_cannot_read():
    assert datetime(*parse_mdy_vietnam("9/14/2026 6:44:00 PM")[:6], tzinfo=UTC) == utc(2026, 9, 14, 11, 44)
    assert datetime(*parse_mdy_vietnam("9/16/2026 12:05:00 AM")[:6], tzinfo=UTC) == utc(2026, 9, 15, 17, 5)
    assert datetime(*parse_gmt_offset("Tue, 15 Sep 2026 09:02:15 GMT+7")[:6], tzinfo=UTC) == utc(2026, 9, 15, 2, 2, 15)
    assert datetime(*parse_gmt_offset("Mon, 05 Oct 2026 11:07:00 +07")[:6], tzinfo=UTC) == utc(2026, 10, 5, 4, 7)
    assert parse_mdy_vietnam("13/9/2026 6:44:00 PM") is None  # D/M pages are not M/D feeds


def test_raw_ampersands_are_a_warning_and_the_items_survive():
    result = feed("vnexpress-kinh-doanh.rss")
    assert [p.code for p in result.problems] == ["malformed_recovered"]
    # Three items, one of them the same article again with tracking parameters: two items.
    assert [i.link for i in result.items] == [
        "https://127.0.0.1:8000/round7-vi-5000001.html",
        "https://127.0.0.1:8000/gia-vang-5000002.html",
    ]


def test_summaries_lose_images_and_keep_the_thumbnail():
    item = feed("vnexpress-kinh-doanh.rss").items[0]
    assert item.summary.startswith("Vòng đàm phán thứ 7 diễn ra tại Hà Nội")
    assert "<" not in item.summary and item.thumbnail == f"{BASE}/img/r7.jpg?w=1200&h=0&q=100"


def test_related_links_inside_a_summary_are_not_the_item(profile):
    (item,) = feed("sggp-kinh-te.rss").items
    assert "Hiệp định" not in item.summary and item.summary.startswith("Cơn mưa lớn chiều 12-3")
    assert not may_concern(item.title, item.summary, profile)


def test_entities_left_in_titles_are_decoded_and_padding_stripped():
    assert feed("thanhnien-kinh-te.rss").items[0].title == "Đầu năm 2026 đã có 5.000 doanh nghiệp xuất khẩu sang Mỹ"
    assert feed("vietnambiz-tai-chinh.rss").items[0].title == "Tỷ giá USD ngày 13/3: đồng bạc xanh giảm nhẹ"


def test_items_without_guid_are_keyed_on_their_link():
    item = feed("baochinhphu-kinh-te.rss").items[1]
    assert item.guid is None and item.link == "https://127.0.0.1:8000/round7-missing-102260313183000002.htm"


def test_decomposed_titles_come_out_nfc():
    nfd = unicodedata.normalize("NFD", fixture("thanhnien-kinh-te.rss").decode()).encode()
    title = parse_feed(nfd, url=BASE, headers=RSS).items[0].title
    assert unicodedata.is_normalized("NFC", title) and title.startswith("Đầu năm 2026 đã có")


@pytest.mark.parametrize(
    ("body", "content_type", "code"),
    [
        (
            b'<html><script>document.cookie="D1N=abc"; window.location.reload(true)</script></html>',
            "text/html",
            "not_a_feed",
        ),
        (
            b'<?xml version="1.0"?><rss version="2.0"><channel><title>No Content</title></channel></rss>',
            "application/xml",
            "empty_feed",
        ),
        (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Cut', "application/xml", "malformed"),
        (b"", "application/xml", "empty_feed"),
    ],
)
def test_broken_feeds_are_problems_not_exceptions(body, content_type, code):
    result = parse_feed(body, url=BASE, headers={"content-type": content_type})
    assert result.items == () and [p.code for p in result.problems] == [code]


def test_a_wrong_charset_is_survived():
    body = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>x</title><item><title>Giá '
        "vàng</title><link>http://x/1</link></item></channel></rss>".encode("cp1258", errors="replace")
    )
    result = parse_feed(body, url=BASE, headers={"content-type": "application/xml; charset=utf-8"})
    assert len(result.items) == 1 and result.problems  # recorded, not raised


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        (
            "https://www.vnexpress.net/a-4846612.html?utm_source=rss&utm_medium=x#box",
            "https://vnexpress.net/a-4846612.html",
        ),
        ("http://kinhdoanh.vnexpress.net/tin-tuc/a-3635044.html", "https://vnexpress.net/tin-tuc/a-3635044.html"),
        ("https://amp.example.vn/a-post1.html?fbclid=xyz", "https://example.vn/a-post1.html"),
        ("https://m.example.vn/a-post1.html/amp", "https://example.vn/a-post1.html"),
        (
            "https://ustr.gov/about/policy-offices/press-office/press-releases/2026/march/x",
            "https://ustr.gov/about-us/policy-offices/press-office/press-releases/2026/march/x",
        ),
        ("https://Example.VN/a?id=5&utm_campaign=z", "https://example.vn/a?id=5"),
        ("  https://e.vnexpress.net/news/a-5123815.html\n", "https://e.vnexpress.net/news/a-5123815.html"),
    ],
)
def test_canonical_urls(url, canonical):
    assert canonical_url(url) == canonical


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("https://www.m.example.vn/a-post1.html", "https://example.vn/a-post1.html"),
        ("https://m.www.example.vn/a-post1.html", "https://example.vn/a-post1.html"),
        ("https://m.vn/a.html", "https://m.vn/a.html"),  # a prefix is never all that is left of a host
        ("https://example.vn/a/amp/amp", "https://example.vn/a"),
        ("https://example.vn/a.amp.amp.html", "https://example.vn/a.html"),
        ("http://[::1]:8000/a/1.html", "https://[::1]:8000/a/1.html"),
    ],
)
def test_canonical_urls_are_a_fixed_point(url, canonical):
    assert canonical_url(url) == canonical
    assert canonical_url(canonical) == canonical


def test_a_listing_page_gives_its_article_links():
    items = parse_listing(
        fixture("ustr-press-releases.html").decode(),
        base_url=f"{BASE}/press-releases",
        item_pattern=r"/press-releases/\d{4}/\w+/.+",
    )
    assert [i.title for i in items] == [
        "United States and Vietnam Conclude Seventh Round of Negotiations on an Agreement on Reciprocal Trade",
        "USTR Announces Hearing Schedule in Section 301 Investigation",
    ]


def test_an_article_page_without_its_chrome():
    article = parse_article_page(f"{BASE}/round7-vi-5000001.html", fixture("round7-vi.html"))
    assert article.title == "Việt Nam - Hoa Kỳ kết thúc vòng đàm phán thứ 7 về thương mại đối ứng"
    assert article.published == date(2026, 3, 13)
    assert article.url == "https://127.0.0.1:8000/round7-vi-5000001.html"
    lines = article.body.split("\n")
    assert lines[0].startswith("Vòng đàm phán thứ 7 diễn ra tại Hà Nội")
    for chrome in ("Thời sự", "Tin liên quan", "Vòng đàm phán thứ 6", "Đọc nhiều", "Giá vàng", "Minh Anh", "©"):
        assert chrome not in article.body
    assert (
        lines[-1] == "| Quyền Bộ trưởng Lê Mạnh Hùng và Phó Đại diện Thương mại Hoa Kỳ Rick Switzer tại Hà Nội. "
        "Ảnh: Bộ Công Thương |"
    )


def test_an_amp_copy_names_the_article_it_copies():
    amp = parse_article_page(f"{BASE}/amp/round7-vi-5000001.html", fixture("round7-vi-amp.html"))
    assert amp.url == "https://127.0.0.1:8000/round7-vi-5000001.html"


@pytest.mark.parametrize(
    ("raw", "day"),
    [
        ("2025-10-22T19:25:52+07:00", date(2025, 10, 22)),
        ("2026-03-13T20:30:00Z", date(2026, 3, 14)),  # 03:30 next morning in Vietnam
        ("2026-03-14T08:00:00", date(2026, 3, 14)),  # no offset: Vietnam local time (CafeF, VietNamNet)
        ("2026-03-13", date(2026, 3, 13)),
    ],
)
def test_page_dates_are_vietnamese_dates(raw, day):
    assert parse_page_date(raw) == day


# --- the real captures, when ../shared is beside the project -----------------------------------

REAL_FEEDS = sorted((SHARED / "fixtures" / "feeds").rglob("*.xml")) if SHARED.exists() else []


@pytest.mark.skipif(not REAL_FEEDS, reason="../shared/fixtures is not beside the project")
@pytest.mark.parametrize("path", REAL_FEEDS, ids=lambda p: p.name)
def test_every_real_capture_parses_without_raising(path):
    result = parse_feed(path.read_bytes(), url="https://example.org/feed", headers=RSS)
    for item in result.items:
        assert item.link.startswith(("http://", "https://")) and item.title == item.title.strip()
        assert item.published is None or item.published.tzinfo is UTC


def _real(name: str):
    path = next(p for p in REAL_FEEDS if p.name == name)
    return parse_feed(path.read_bytes(), url="https://example.org/feed", headers=RSS)


@pytest.mark.skipif(not REAL_FEEDS, reason="../shared/fixtures is not beside the project")
def test_what_the_real_captures_show():
    assert _real("baochinhphu-kinh-te.xml").items[0].published == utc(2026, 9, 14, 11, 44)
    assert _real("vietnambiz-tai-chinh.xml").items[0].published == utc(2026, 9, 15, 2, 2, 15)
    assert _real("vneconomy-tai-chinh.xml").items[0].published == utc(2026, 9, 14, 3, 55, 37)
    assert _real("thanhnien-kinh-te.xml").items[0].published == utc(2026, 9, 14, 2, 13)
    assert _real("sggp-rss-kinh-te-89-2items.xml").items[0].published == utc(2026, 9, 23, 10, 2, 29)
    assert _real("tuoitre-kinh-doanh-mdy-dates.xml").items[0].published == utc(2026, 9, 16, 3, 30)
    assert "&#" not in _real("vietnambiz-tai-chinh.xml").items[0].title
    sggp = _real("sggp-rss-kinh-te-89-2items.xml").items[0]
    assert "TPHCM: Mưa lớn" not in sggp.summary  # the related-links list is gone
    excerpt = _real("vnexpress-rss-the-gioi-1item-excerpt.xml")
    assert len(excerpt.items) == 1 and excerpt.problems[0].code == "malformed_recovered"
    assert all(i.title == i.title.strip() for i in _real("vietnamnet-kinh-doanh-2items.xml").items)
    evn = _real("evnexpress-rss-business-2items.xml").items[0]
    assert evn.summary.startswith("PM2.5 air pollution costs") and evn.thumbnail


@pytest.mark.skipif(not (SHARED / "fixtures" / "pages").exists(), reason="../shared/fixtures is not beside the project")
def test_the_real_vnexpress_page_gives_the_expected_text():
    folder = SHARED / "fixtures" / "pages" / "fundus-vn"
    expected = json.loads((folder / "VnExpress.json").read_text(encoding="utf-8"))["V1"]
    article = parse_article_page(
        "https://vnexpress.net/x-4954454.html", (folder / "VnExpress_2025_10_22.html").read_bytes()
    )
    assert article.title == expected["title"]
    assert article.published == date(2025, 10, 22)
    paragraphs = [p for s in expected["body"]["sections"] for p in s["paragraphs"]]
    body = article.body
    assert all(p in body for p in paragraphs)
    assert not any(a in body.split("\n")[:-2] for a in expected["authors"])  # the byline is not text
