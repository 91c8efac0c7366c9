"""Listing pages of sources without a feed (USTR press releases, MOIT news): the article links."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from parsers.text import clean
from parsers.urls import canonical_url

MAX_TITLE = 500  # characters of an anchor's text read for its title
_SKIP = ("script", "style", "template")  # text that is not shown (as BeautifulSoup's get_text)
# Characters lxml will not hold (C0 controls but tab and line ends, lone surrogates, U+FFFE/U+FFFF).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class ListingItem:
    link: str  # canonical: the dedupe key
    raw_link: str  # absolute, as the page gave it: the address to fetch
    title: str


def anchor_text(anchor: HtmlElement, limit: int = MAX_TITLE) -> str:
    """The anchor's shown text, stripped pieces joined by spaces, read only as far as `limit`.

    Walked lazily: an anchor left open holds the rest of the page, and reading all of it for each
    of a thousand such anchors took seconds (the whole text, once per anchor)."""
    parts: list[str] = []
    size = skipping = 0
    for event, element in etree.iterwalk(anchor, events=("start", "end")):
        shown = isinstance(element.tag, str) and element.tag not in _SKIP
        if event == "start":
            skipping += not shown and isinstance(element.tag, str)
            text = element.text if shown and not skipping else None
        else:
            skipping -= not shown and isinstance(element.tag, str)
            text = element.tail if element is not anchor and not skipping else None
        if text and text.strip():
            parts.append(text.strip())
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
        root = lxml.html.document_fromstring(_NOT_XML.sub("", html))
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
