"""Article pages (HTML) to articles: title, publication date from the page's metadata, main text.

Menus, sidebars and "Tin liên quan" / "Đọc nhiều" blocks are not article text.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime

from bs4 import BeautifulSoup, Tag

from parsers.models import Article
from parsers.seedfile import CHROME_HEADINGS, guess_language
from parsers.text import clean

_DROP = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "svg", "figure")
_CHROME_CLASS = re.compile(
    r"related|relate|sidebar|menu|breadcrumb|comment|share|social|tag|banner|footer|header|box-", re.I
)
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def _meta(soup: BeautifulSoup, *names: str) -> str | None:
    for name in names:
        tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
        if isinstance(tag, Tag) and tag.get("content"):
            return str(tag["content"]).strip()
    return None


def _json_ld_date(soup: BeautifulSoup) -> str | None:
    for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
        try:
            data = json.loads(script.string or "")
        except ValueError:
            continue
        for item in data if isinstance(data, list) else [data]:
            if isinstance(item, dict) and item.get("datePublished"):
                return str(item["datePublished"])
    return None


def _published(soup: BeautifulSoup) -> date | None:
    raw = _meta(soup, "article:published_time", "pubdate", "datePublished", "date") or _json_ld_date(soup)
    if not raw:
        return None
    try:
        return datetime.fromisoformat(raw.replace("Z", "+00:00")).date()
    except ValueError:
        m = _ISO_DATE.search(raw)
        return date(int(m[1]), int(m[2]), int(m[3])) if m else None


def _main_container(soup: BeautifulSoup) -> Tag:
    for selector in ("article", "[itemprop=articleBody]", ".fck_detail", ".detail-content", ".article-body", "main"):
        found = soup.select_one(selector)
        if isinstance(found, Tag) and len(found.find_all("p")) >= 2:
            return found
    # Else the element holding the most paragraph text.
    best, best_len = soup.body or soup, 0
    for candidate in soup.find_all(["div", "section"]):
        length = sum(len(p.get_text()) for p in candidate.find_all("p", recursive=False))
        if length > best_len:
            best, best_len = candidate, length
    return best


def parse_article_page(url: str, html: str) -> Article:
    soup = BeautifulSoup(html, "lxml")
    title = _meta(soup, "og:title") or (soup.h1.get_text(" ", strip=True) if soup.h1 else None)
    if not title and soup.title:
        title = soup.title.get_text(" ", strip=True)
    published = _published(soup)
    for tag in soup.find_all(_DROP):
        tag.decompose()
    container = _main_container(soup)
    for tag in container.find_all(class_=_CHROME_CLASS):
        tag.decompose()
    paragraphs: list[str] = []
    for block in container.find_all(["p", "h2", "h3", "li"]):
        text = clean(block.get_text(" ", strip=True)).strip()
        if not text:
            continue
        if text.rstrip(":").casefold() in CHROME_HEADINGS:
            break
        paragraphs.append(text)
    body = "\n".join(paragraphs)
    return Article(
        url=url,
        title=clean(title).strip() if title else None,
        body=body,
        language=guess_language(body),
        published=published,
        source_id="seeds",
    )
