"""Article pages (HTML) to articles: canonical URL, title, publication date from the page's
metadata, main text, and photo captions kept apart from the body.

Menus, sidebars, bylines and "Tin liên quan" / "Đọc nhiều" blocks are not article text.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta, timezone

from bs4 import BeautifulSoup, Tag

from parsers.feed import unescape_fully
from parsers.models import Article
from parsers.seedfile import CHROME_HEADINGS, guess_language
from parsers.text import clean
from parsers.urls import canonical_url

VIETNAM = timezone(timedelta(hours=7))
_DROP = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "svg", "button")
_CHROME_CLASS = re.compile(
    r"related|relate|sidebar|menu|breadcrumb|comment|share|social|tags?\b|banner|footer|header|box-tin|"
    r"tin-lien-quan|readmore|read-more|most-read|doc-nhieu|advert|ads?\b",
    re.I,
)
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_BYLINE = re.compile(r"^[A-ZÀ-ỸĐ][\wÀ-ỹĐđ.]*(?:[ \-–]+[A-ZÀ-ỸĐ][\wÀ-ỹĐđ.]*){0,4}$")


def _meta(soup: BeautifulSoup, *names: str) -> str | None:
    for name in names:
        tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
        if isinstance(tag, Tag) and tag.get("content"):
            return str(tag["content"]).strip()
    return None


def _json_ld(soup: BeautifulSoup) -> list[dict[str, object]]:
    found: list[dict[str, object]] = []
    for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
        try:
            data = json.loads(script.string or "")
        except ValueError:
            continue
        items = data if isinstance(data, list) else data.get("@graph", [data]) if isinstance(data, dict) else []
        found.extend(i for i in items if isinstance(i, dict))
    return found


def parse_page_date(raw: str) -> date | None:
    """A page's publication date, in Vietnam. An ISO time without an offset (CafeF's and
    VietNamNet's JSON-LD) is Vietnam local time."""
    raw = raw.strip()
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        m = _ISO_DATE.search(raw)
        return date(int(m[1]), int(m[2]), int(m[3])) if m else None
    if moment.tzinfo is None:
        return moment.date()
    return moment.astimezone(VIETNAM).date()


def _published(soup: BeautifulSoup) -> date | None:
    raw = _meta(soup, "article:published_time", "datePublished", "pubdate", "og:published_time", "date")
    if not raw:
        raw = next((str(i["datePublished"]) for i in _json_ld(soup) if i.get("datePublished")), None)
    return parse_page_date(raw) if raw else None


def _title(soup: BeautifulSoup) -> str | None:
    title = _meta(soup, "og:title") or next((str(i["headline"]) for i in _json_ld(soup) if i.get("headline")), None)
    if not title and soup.h1:
        title = soup.h1.get_text(" ", strip=True)
    if not title and soup.title:
        title = soup.title.get_text(" ", strip=True)
    return clean(unescape_fully(title)).strip() if title else None


def _canonical(soup: BeautifulSoup, url: str) -> str:
    link = soup.find("link", rel="canonical")
    href = link.get("href") if isinstance(link, Tag) else None
    if not href:
        href = _meta(soup, "og:url")
    return canonical_url(str(href), base=url) if href else canonical_url(url)


def _main_container(soup: BeautifulSoup) -> Tag:
    for selector in (
        "article",
        "[itemprop=articleBody]",
        ".fck_detail",
        ".detail-content",
        ".article-body",
        ".article__body",
        ".detail__content",
        ".content-detail",
        "main",
    ):
        found = soup.select_one(selector)
        if isinstance(found, Tag) and len(found.find_all("p")) >= 2:
            return found
    best: Tag = soup.body or soup  # else the element holding the most paragraph text
    best_len = 0
    for candidate in soup.find_all(["div", "section"]):
        length = sum(len(p.get_text()) for p in candidate.find_all("p", recursive=False))
        if length > best_len:
            best, best_len = candidate, length
    return best


def _captions(container: Tag) -> list[str]:
    captions = []
    for tag in container.find_all(["figcaption"]) + container.select(".caption, .image-caption, p.Image"):
        text = clean(tag.get_text(" ", strip=True)).strip()
        if text and text not in captions:
            captions.append(text)
        tag.decompose()
    for figure in container.find_all("figure"):
        figure.decompose()
    return captions


def parse_article_page(url: str, html: str | bytes, *, encoding: str | None = None) -> Article:
    """An article from its page. `url` is the address it was fetched from; the Article carries
    the page's canonical URL. Captions follow the body as `| caption |` lines, the seed format's
    mark for them, so that the extractor treats them as captions, not as body text."""
    # Bytes let the parser honour the page's own <meta charset> when the server gave none.
    if isinstance(html, bytes):
        soup = BeautifulSoup(html, "lxml", from_encoding=encoding)
    else:
        soup = BeautifulSoup(html, "lxml")
    title, published, canonical = _title(soup), _published(soup), _canonical(soup, url)
    for tag in soup.find_all(_DROP):
        tag.decompose()
    container = _main_container(soup)
    # The lead (sapo) often sits outside the article body, and often carries the news itself.
    lead_tag = soup.select_one(".description, .sapo, .lead, .article__sapo, .detail-sapo")
    lead = clean(lead_tag.get_text(" ", strip=True)).strip() if lead_tag is not None else ""
    if lead_tag is not None and container in lead_tag.parents:
        lead = ""
    captions = _captions(container)
    for tag in container.find_all(class_=_CHROME_CLASS):
        tag.decompose()
    paragraphs: list[str] = [lead] if lead else []
    for block in container.find_all(["p", "h2", "h3", "li"]):
        if block.find_parent(["li"]) is not None and block.name != "li":
            continue
        text = clean(block.get_text(" ", strip=True)).strip()
        if not text:
            continue
        if text.rstrip(":").casefold() in CHROME_HEADINGS:
            break
        if text not in paragraphs:
            paragraphs.append(text)
    while paragraphs and len(paragraphs[-1]) < 40 and _BYLINE.match(paragraphs[-1]):
        paragraphs.pop()  # "Lê Phương": the byline, not the story
    body = "\n".join(paragraphs + [f"| {c} |" for c in captions])
    return Article(
        url=canonical,
        title=title,
        body=body,
        language=guess_language(body),
        published=published,
        source_id=None,
    )
