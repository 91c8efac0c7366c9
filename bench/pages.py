"""Article pages for the synthetic corpus: a record's text inside 80–150 KB of real-looking site
chrome (inline CSS and scripts, JSON-LD, menus, breadcrumbs, "Tin liên quan" and "Đọc nhiều"
boxes, comments, footer), the way Vietnamese news sites serve them.

Each outlet has its own chrome, built once; a page is its chrome around one article. Pure and
deterministic: the same record and outlet give the same bytes."""

from __future__ import annotations

import html
import json
import random
from functools import cache

SECTIONS = [
    "Thời sự",
    "Thế giới",
    "Kinh doanh",
    "Bất động sản",
    "Khoa học",
    "Giải trí",
    "Thể thao",
    "Pháp luật",
    "Giáo dục",
    "Sức khỏe",
    "Đời sống",
    "Du lịch",
    "Số hóa",
    "Xe",
    "Ý kiến",
    "Tâm sự",
]
HEADLINES = [
    "Giá xăng dầu điều chỉnh trong kỳ điều hành chiều nay",
    "Nhiều tỉnh miền Trung mưa lớn, nguy cơ lũ quét",
    "Thị trường chứng khoán tăng điểm phiên thứ ba liên tiếp",
    "Học sinh hào hứng với tiết học trải nghiệm ngoài trời",
    "Bệnh viện triển khai kỹ thuật mổ nội soi mới",
    "Đội tuyển bóng đá chuẩn bị cho trận giao hữu quốc tế",
    "Doanh nghiệp công nghệ tuyển dụng hàng nghìn kỹ sư",
    "Giá thuê căn hộ tại các đô thị lớn tăng nhẹ",
    "Lễ hội văn hóa thu hút đông đảo du khách",
    "Ngành hàng không mở thêm đường bay nội địa",
]
CAPTIONS = {
    "vi": ["Quang cảnh buổi làm việc. Ảnh: Văn Minh", "Toàn cảnh sự kiện. Ảnh: TTXVN", "Ảnh minh họa"],
    "en": ["The meeting in progress. Photo: VNA", "An overview of the event. Photo: Minh Anh", "Illustrative photo"],
}


def _css(rng: random.Random, size: int) -> str:
    rules: list[str] = []
    while sum(len(r) for r in rules) < size:
        name = f".c{rng.randrange(10**6):06d}"
        rules.append(
            f"{name}{{margin:{rng.randrange(20)}px {rng.randrange(20)}px;color:#{rng.randrange(16**6):06x};"
            f"font-size:{rng.randrange(10, 30)}px;line-height:1.{rng.randrange(9)}}}"
        )
    return "\n".join(rules)


def _script(rng: random.Random, size: int) -> str:
    config: list[str] = []
    while sum(len(c) for c in config) < size:
        key = f"k{rng.randrange(10**5)}"
        config.append(f'window.__cfg["{key}"]={{"id":{rng.randrange(10**9)},"slot":"ad-{rng.randrange(99)}"}};')
    return "window.__cfg=window.__cfg||{};" + "".join(config)


def _links(rng: random.Random, site: str, count: int, *, with_sapo: bool = False) -> str:
    items = []
    for _ in range(count):
        title = rng.choice(HEADLINES)
        href = f"https://{site}/{rng.choice(SECTIONS).lower().replace(' ', '-')}/{rng.randrange(10**7)}.html"
        sapo = f'<p class="sapo">{title}, theo ghi nhận của phóng viên.</p>' if with_sapo else ""
        items.append(f'<li><a href="{href}" title="{title}">{title}</a>{sapo}</li>')
    return "".join(items)


@cache
def site_chrome(site: str, variant: int) -> tuple[str, str, str]:
    """(head extras, everything before the article, everything after it) for one outlet."""
    rng = random.Random(f"{site}-{variant}")
    menu = "".join(f'<li><a href="https://{site}/{s.lower()}">{s}</a></li>' for s in SECTIONS * 4)
    head = (
        f"<style>{_css(rng, 19_000 + 4_000 * variant)}</style><script>{_script(rng, 20_000 + 8_000 * variant)}</script>"
    )
    before = (
        f'<header class="site-header"><div class="logo"><a href="https://{site}/">{site}</a></div>'
        f'<nav class="main-menu"><ul>{menu}</ul></nav></header>'
        f'<div class="banner ads"><script>{_script(rng, 4_000)}</script></div>'
        '<div class="container"><div class="breadcrumb"><a href="/">Trang chủ</a> › <a href="/kinh-doanh">Kinh doanh</a></div>'
        '<div class="main-col">'
    )
    after = (
        f'<div class="box-tin-lien-quan"><h3>Tin liên quan</h3><ul>{_links(rng, site, 8)}</ul></div>'
        f'<div class="comment-box"><h3>Ý kiến bạn đọc</h3><form><textarea></textarea><button>Gửi</button></form>'
        f"<script>{_script(rng, 6_000)}</script></div></div>"
        f'<aside class="sidebar"><div class="most-read"><h3>Đọc nhiều</h3><ul>{_links(rng, site, 20 + 10 * variant, with_sapo=True)}</ul></div>'
        f'<div class="ads"><script>{_script(rng, 5_000)}</script></div></aside></div>'
        f'<footer class="site-footer"><ul>{menu}</ul><p>Cơ quan chủ quản: {site}. Giấy phép số {rng.randrange(999)}/GP-BTTTT.</p>'
        f"</footer><script>{_script(rng, 10_000 + 6_000 * variant)}</script>"
    )
    return head, before, after


def render_page(record: dict[str, object], *, variant: int | None = None) -> str:
    """The page an outlet would serve for this record (url, title, body, language, published)."""
    url = str(record["url"])
    site = url.split("/")[2]
    rng = random.Random(url)
    head, before, after = site_chrome(site, rng.randrange(4) if variant is None else variant)
    title = html.escape(str(record["title"]))
    lines = str(record["body"]).split("\n")
    lead, paragraphs = lines[0], lines[1:]
    published = f"{record['published']}T{rng.randrange(6, 22):02d}:{rng.randrange(60):02d}:00+07:00"
    ld = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": record["title"],
            "datePublished": published,
        },
        ensure_ascii=False,
    )
    body = "".join(f'<p class="Normal">{html.escape(p)}</p>' for p in paragraphs)
    caption = rng.choice(CAPTIONS["en" if record.get("language") == "en" else "vi"])
    figure = f'<figure><img src="https://{site}/img/{rng.randrange(10**8)}.jpg" alt=""><figcaption>{caption}</figcaption></figure>'
    return (
        f'<!DOCTYPE html><html lang="{record.get("language") or "vi"}"><head><meta charset="utf-8">'
        f"<title>{title}</title>"
        f'<meta property="og:title" content="{title}"><meta property="article:published_time" content="{published}">'
        f'<link rel="canonical" href="{html.escape(url)}"><script type="application/ld+json">{ld}</script>{head}</head><body>'
        f'{before}<h1 class="title-detail">{title}</h1><p class="date">{record["published"]}</p>'
        f'<p class="description">{html.escape(lead)}</p>'
        f'<article class="fck_detail">{figure}{body}<p class="author">Minh Anh</p></article>'
        f"{after}</body></html>"
    )


def render_feed(site: str, items: list[dict[str, object]], base: str) -> str:
    """An RSS 2.0 feed of `items` (records), linking to their pages under `base`."""
    from datetime import datetime, timedelta, timezone
    from email.utils import format_datetime

    vietnam = timezone(timedelta(hours=7))
    entries = []
    for number, record in enumerate(items):
        published = datetime.fromisoformat(f"{record['published']}T08:00:00").replace(tzinfo=vietnam)
        link = f"{base}/a/{number}.html"
        entries.append(
            f"<item><title>{html.escape(str(record['title']))}</title><link>{link}</link>"
            f'<guid isPermaLink="false">{site}-{number}</guid>'
            f"<pubDate>{format_datetime(published + timedelta(minutes=number))}</pubDate>"
            f"<description>{html.escape(str(record['body']).split(chr(10))[0])}</description></item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{site}</title><link>{base}/</link><description>{site}</description>{''.join(entries)}"
        "</channel></rss>"
    )
