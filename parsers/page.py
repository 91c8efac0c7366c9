"""Article pages (HTML) to articles: canonical URL, title, publication date from the page's
metadata, main text, and photo captions kept apart from the body.

Menus, sidebars, bylines and "Tin liên quan" / "Đọc nhiều" blocks are not article text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone

import lxml.html
from bs4 import UnicodeDammit
from lxml import etree
from lxml.html import HtmlElement

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


def _has_class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


_HIDDEN = frozenset({"script", "style", "template"})  # elements whose text is not shown


def shown_strings(element: HtmlElement) -> Iterator[str]:
    """The text nodes bs4's get_text sees: no comments, no script, style or template contents (the
    text after them is shown). Walked lazily and without recursion: a caller may stop early, and an
    element left open may hold the rest of a page, however deep."""
    skipping = 0
    for event, node in etree.iterwalk(element, events=("start", "end", "comment", "pi")):
        if event == "start":
            skipping += node.tag in _HIDDEN
            if node.text and not skipping:
                yield node.text
            continue
        if event == "end":
            skipping -= node.tag in _HIDDEN
        if node is not element and node.tail and not skipping:
            yield node.tail


def _text(element: HtmlElement) -> str:
    """`get_text(" ", strip=True)`: the stripped strings, joined by spaces."""
    return " ".join(s.strip() for s in shown_strings(element) if s.strip())


def _first(root: HtmlElement, xpath: str, **variables: str) -> HtmlElement | None:
    found = root.xpath(xpath, **variables)
    return found[0] if found else None


def _meta(root: HtmlElement, *names: str) -> str | None:
    for name in names:
        tag = _first(root, "(//meta[@property=$n])[1]", n=name)
        if tag is None:
            tag = _first(root, "(//meta[@name=$n])[1]", n=name)
        if tag is not None and tag.get("content"):
            return str(tag.get("content")).strip()
    return None


def _json_ld(root: HtmlElement) -> list[dict[str, object]]:
    found: list[dict[str, object]] = []
    for script in root.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
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
        try:
            return date(int(m[1]), int(m[2]), int(m[3])) if m else None
        except ValueError:
            return None  # "2025-02-30": no such day
    if moment.tzinfo is None:
        return moment.date()
    return moment.astimezone(VIETNAM).date()


def _published(root: HtmlElement, ld: list[dict[str, object]]) -> date | None:
    raw = _meta(root, "article:published_time", "datePublished", "pubdate", "og:published_time", "date")
    if not raw:
        raw = next((str(i["datePublished"]) for i in ld if i.get("datePublished")), None)
    return parse_page_date(raw) if raw else None


def _title(root: HtmlElement, ld: list[dict[str, object]]) -> str | None:
    title = _meta(root, "og:title") or next((str(i["headline"]) for i in ld if i.get("headline")), None)
    if not title and (h1 := _first(root, "(//h1)[1]")) is not None:
        title = _text(h1)
    if not title and (tag := _first(root, "(//title)[1]")) is not None:
        title = _text(tag)
    return clean(unescape_fully(title)).strip() if title else None


def _canonical(root: HtmlElement, url: str) -> str:
    link = _first(root, "(//link[contains(concat(' ', normalize-space(@rel), ' '), ' canonical ')])[1]")
    href = link.get("href") if link is not None else None
    if not href:
        href = _meta(root, "og:url")
    if href:
        try:
            return canonical_url(str(href), base=url)
        except ValueError:
            pass  # a declared link that names no page: the address it was fetched from will do
    return canonical_url(url)


# bs4-style selectors of the element that holds the article, most specific first, as XPath
_CONTAINERS = [
    "//article",
    "//*[@itemprop='articleBody']",
    *(f"//*[{_has_class(c)}]" for c in ("fck_detail", "detail-content", "article-body", "article__body")),
    *(f"//*[{_has_class(c)}]" for c in ("detail__content", "content-detail")),
    "//main",
]
_LEAD = " | ".join(f"//*[{_has_class(c)}]" for c in ("description", "sapo", "lead", "article__sapo", "detail-sapo"))


def _main_container(root: HtmlElement) -> HtmlElement:
    for xpath in _CONTAINERS:
        found = _first(root, f"({xpath})[1]")
        if found is not None and len(found.xpath(".//p")) >= 2:
            return found
    body = _first(root, "(//body)[1]")
    best: HtmlElement = body if body is not None else root  # else the element holding the most paragraph text
    best_len = 0
    for candidate in root.iter("div", "section"):
        length = sum(len("".join(shown_strings(p))) for p in candidate.iterchildren("p"))
        if length > best_len:
            best, best_len = candidate, length
    return best


def _captions(container: HtmlElement) -> list[str]:
    """The photo captions' texts; the captions and figures are taken out of the container."""
    found = container.xpath(
        f".//figcaption | .//*[{_has_class('caption')}] | .//*[{_has_class('image-caption')}]"
        f" | .//p[{_has_class('Image')}]"
    )
    # figcaptions first, then the others, each in document order (as bs4's find_all + select gave)
    ordered = [e for e in found if e.tag == "figcaption"] + [e for e in found if e.tag != "figcaption"]
    captions: list[str] = []
    for element in ordered:
        text = clean(_text(element)).strip()
        if text and text not in captions:
            captions.append(text)
    for element in ordered + list(container.iterdescendants("figure")):
        if element.getparent() is not None:
            element.drop_tree()
    return captions


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# Characters lxml refuses in a tree it is asked to change ("All strings must be XML compatible"):
# C0 controls but tab and line ends, lone surrogates (a JSON record's "\ud800"), U+FFFE/U+FFFF.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def parse_article_page(url: str, html: str | bytes, *, encoding: str | None = None) -> Article:
    """An article from its page. `url` is the address it was fetched from; the Article carries
    the page's canonical URL. Captions follow the body as `| caption |` lines, the seed format's
    mark for them, so that the extractor treats them as captions, not as body text.

    lxml reads the whole page and finds the article in it (about a tenth of what BeautifulSoup
    costs on a 100 KB page of chrome); BeautifulSoup then reads just the article's part."""
    if isinstance(html, bytes):
        # Decoded as BeautifulSoup would, honouring the page's own <meta charset> when the server gave none.
        html = UnicodeDammit(html, [encoding] if encoding else [], is_html=True).unicode_markup or ""
    html = NOT_XML.sub("", _XML_DECLARATION.sub("", html))
    try:
        root = lxml.html.document_fromstring(html) if html.strip() else lxml.html.document_fromstring("<html></html>")
    except (etree.ParserError, ValueError):
        root = lxml.html.document_fromstring("<html></html>")
    ld = _json_ld(root)
    title, published, canonical = _title(root, ld), _published(root, ld), _canonical(root, url)
    for tag in list(root.iter(*_DROP)):
        tag.drop_tree()
    found = _main_container(root)
    # The lead (sapo) often sits outside the article body, and often carries the news itself.
    lead_tag = _first(root, f"({_LEAD})[1]")
    lead = clean(_text(lead_tag)).strip() if lead_tag is not None else ""
    if lead_tag is not None and found in lead_tag.iterancestors():
        lead = ""
    return article_from_container(found, lead, url=canonical, title=title, published=published)


def article_from_container(
    container: HtmlElement, lead: str, *, url: str, title: str | None, published: date | None
) -> Article:
    """The article held by `container` (its paragraphs, captions apart, chrome left out), after
    its lead. Takes captions and chrome out of `container`."""
    captions = _captions(container)
    for element in [e for e in container.iterdescendants() if _CHROME_CLASS.search(_class(e))]:
        element.drop_tree()
    paragraphs: list[str] = [lead] if lead else []
    for block in container.iterdescendants("p", "h2", "h3", "li"):
        around = _ancestors(block, container)
        if "template" in around or (block.tag != "li" and "li" in around):
            continue
        text = clean(_text(block)).strip()
        if not text:
            continue
        if text.rstrip(":").casefold() in CHROME_HEADINGS:
            break
        if text not in paragraphs:
            paragraphs.append(text)
    while paragraphs and len(paragraphs[-1]) < 40 and _BYLINE.match(paragraphs[-1]):
        paragraphs.pop()  # "Lê Phương": the byline, not the story
    body = "\n".join(paragraphs + [f"| {c} |" for c in captions])
    return Article(url=url, title=title, body=body, language=guess_language(body), published=published, source_id=None)


def _class(element: HtmlElement) -> str:
    value = element.get("class") if isinstance(element.tag, str) else None
    return value or ""


def _ancestors(element: HtmlElement, container: HtmlElement) -> set[str]:
    """The tags between `element` and `container` (a container that is an li counts)."""
    tags = set()
    for ancestor in element.iterancestors():
        tags.add(ancestor.tag)
        if ancestor is container:
            break
    return tags
