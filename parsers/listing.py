"""Listing pages of sources without a feed (USTR press releases, MOIT news): the article links."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin

from bs4 import BeautifulSoup

from parsers.text import clean
from parsers.urls import canonical_url


@dataclass(frozen=True)
class ListingItem:
    link: str  # canonical: the dedupe key
    raw_link: str  # absolute, as the page gave it: the address to fetch
    title: str


def parse_listing(html: str, *, base_url: str, item_pattern: str) -> list[ListingItem]:
    """Every link whose absolute URL matches `item_pattern`, once, with its text as the title."""
    pattern = re.compile(item_pattern)
    soup = BeautifulSoup(html, "lxml")
    items: dict[str, ListingItem] = {}
    for anchor in soup.find_all("a", href=True):
        try:
            href = urljoin(base_url, str(anchor["href"]).strip())
            link = canonical_url(href)
        except ValueError:
            continue  # `http://[::1`, `http://host:abc/`: a link to nowhere is no article
        if not pattern.search(link):
            continue
        title = clean(anchor.get_text(" ", strip=True)).strip() or str(anchor.get("title") or "").strip()
        current = items.get(link)
        if current is None or len(title) > len(current.title):
            items[link] = ListingItem(link, href, title)
    return list(items.values())
