"""Listing pages of sources without a feed (USTR press releases, MOIT news): the article links."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from parsers.page import NOT_XML, shown_strings
from parsers.text import clean
from parsers.urls import canonical_url

MAX_TITLE = 500  # characters of an anchor's text read for its title


@dataclass(frozen=True)
class ListingItem:
    link: str  # canonical: the dedupe key
    raw_link: str  # absolute, as the page gave it: the address to fetch
    title: str


def anchor_text(anchor: HtmlElement, limit: int = MAX_TITLE) -> str:
    """The anchor's shown text, stripped pieces joined by spaces, read only as far as `limit`: an
    anchor left open holds the rest of the page, and reading all of it for each of a thousand such
    anchors took seconds."""
    parts: list[str] = []
    size = 0
    for piece in shown_strings(anchor):
        if piece.strip():
            parts.append(piece.strip())
            size += len(parts[-1])
            if size > limit:
                break
    return " ".join(parts)


def parse_listing(html: str, *, base_url: str, item_pattern: str) -> list[ListingItem]:
    """Every link whose absolute URL matches `item_pattern`, once, with its text as the title."""
    if "<" not in html:
        return []  # no markup, no link
    pattern = re.compile(item_pattern)
    try:
        root = lxml.html.document_fromstring(NOT_XML.sub("", html))
    except (etree.ParserError, ValueError):
        return []
    items: dict[str, ListingItem] = {}
    for anchor in root.iter("a"):
        if anchor.get("href") is None:
            continue
        try:
            href = urljoin(base_url, str(anchor.get("href")).strip())
            link = canonical_url(href)
        except ValueError:
            continue  # `http://[::1`, `http://host:abc/`: a link to nowhere is no article
        if not pattern.search(link):
            continue
        title = clean(anchor_text(anchor) or str(anchor.get("title") or "")).strip()
        current = items.get(link)
        if current is None or len(title) > len(current.title):
            items[link] = ListingItem(link, href, title)
    return list(items.values())
