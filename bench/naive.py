"""The same backfill done the obvious way, for `make bench` to measure the fast path against and
to check it by: BeautifulSoup with html.parser over the whole page, MinHash updated shingle by
shingle, one SQL statement per row and per lookup, one article at a time.

The rules are the fast path's (which text is the article, which article copies which, which
events there are); only the way of doing the work differs. So both must produce the same
warehouse, and `agreement` checks that they do."""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
from bs4 import BeautifulSoup, Tag

from flows.steps import EXTRACTOR_VERSION
from parsers.events import extract_events
from parsers.feed import unescape_fully
from parsers.fingerprint import article_key, content_hash, sha256_hex
from parsers.models import Article
from parsers.neardup import (
    _A,
    _B,
    _MIX,
    MIN_SHINGLES,
    NUM_PERM,
    SHINGLE_WORDS,
    Text,
    _word_hash,
    band_keys,
    closest,
    lead_shingles,
    sentences,
    words,
)
from parsers.page import _BYLINE, _CHROME_CLASS, parse_page_date
from parsers.profile import WatchProfile, load_profile
from parsers.seedfile import CHROME_HEADINGS, guess_language
from parsers.text import clean
from parsers.urls import canonical_url
from warehouse.db import connect, transaction
from warehouse.dedupe import MAX_CANDIDATES, SCREEN_CONTAINMENT, bucket_cap
from warehouse.merge import merge_pending
from warehouse.store import _ARTICLE_COLUMNS, _MENTION_COLUMNS, _mention_row, article_row

MASK = 2**64 - 1
_CONTAINERS = ("article", "[itemprop=articleBody]", ".fck_detail", ".detail-content", ".article-body", "main")
_DROP = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "svg", "button")


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


def _article_from(container: Tag, lead: str, *, url: str, title: str | None, published: date | None) -> Article:
    """`parsers.page.article_from_container`'s rules, on BeautifulSoup's tree."""
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
        paragraphs.pop()
    body = "\n".join(paragraphs + [f"| {c} |" for c in captions])
    return Article(url=url, title=title, body=body, language=guess_language(body), published=published, source_id=None)


def naive_page(url: str, html: str) -> Article:
    soup = BeautifulSoup(html, "html.parser")

    def meta(name: str) -> str | None:
        tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
        return str(tag["content"]) if isinstance(tag, Tag) and tag.get("content") else None

    title = clean(unescape_fully(meta("og:title") or "")).strip() or None
    published = parse_page_date(meta("article:published_time") or "") if meta("article:published_time") else None
    link = soup.find("link", rel="canonical")
    canonical = canonical_url(str(link["href"]), base=url) if isinstance(link, Tag) else canonical_url(url)
    for tag in soup.find_all(_DROP):
        tag.decompose()
    container = next(
        (c for s in _CONTAINERS if isinstance(c := soup.select_one(s), Tag) and len(c.find_all("p")) >= 2),
        soup.body or soup,
    )
    lead_tag = soup.select_one(".description, .sapo, .lead, .article__sapo, .detail-sapo")
    lead = clean(lead_tag.get_text(" ", strip=True)).strip() if lead_tag is not None else ""
    return _article_from(container, lead, url=canonical, title=title, published=published)


def naive_shingles(text: str) -> set[int]:
    """The same 3-gram hashes as `parsers.neardup.shingles`, one gram at a time (of the same words)."""
    found = words(text)
    hashed = [_word_hash(w) for w in found] + [0] * max(0, SHINGLE_WORDS - len(found))
    out = set()
    for start in range(len(hashed) - SHINGLE_WORDS + 1):
        gram = (hashed[start] * int(_MIX[0])) & MASK
        for offset in range(1, SHINGLE_WORDS):
            gram = ((gram ^ (gram >> 29)) + hashed[start + offset] * int(_MIX[offset])) & MASK
        out.add(gram)
    return out


def naive_signature(grams: set[int]) -> list[int]:
    """MinHash updated shingle by shingle, permutation by permutation."""
    signature = [MASK] * NUM_PERM
    a, b = [int(x) for x in _A], [int(x) for x in _B]
    for gram in grams:
        for k in range(NUM_PERM):
            value = (gram * a[k] + b[k]) & MASK
            if value < signature[k]:
                signature[k] = value
    return signature


def _estimate(sig_a: list[int], sig_b: list[int], size_a: int, size_b: int) -> tuple[float, float]:
    if min(size_a, size_b) < MIN_SHINGLES:
        return 0.0, 0.0
    jaccard = sum(1 for x, y in zip(sig_a, sig_b, strict=True) if x == y) / NUM_PERM
    return jaccard, min(1.0, jaccard * (size_a + size_b) / ((1 + jaccard) * min(size_a, size_b)))


def _records(path: Path) -> Iterator[tuple[bytes, dict[str, Any]]]:
    with path.open("rb") as handle:
        for line in handle:
            if line.strip():
                yield line, json.loads(line)


def naive_backfill(path: Path, db: Path, watch: Path) -> dict[str, int]:
    """Backfill a JSONL file of pages (or texts) into `db`, one row and one lookup at a time."""
    profile = load_profile(watch)
    conn = connect(db)
    now = datetime.now(UTC)
    counts = {"inputs": 0, "copies": 0}
    for sequence, (raw, record) in enumerate(_records(path)):
        counts["inputs"] += 1
        article = _article(record)
        if article is None or not article.body:
            continue
        with transaction(conn):
            copy = _store_one(conn, article, raw, now + timedelta(microseconds=sequence), now, profile)
        counts["copies"] += copy
    with transaction(conn):
        merge_pending(conn, "r-naive", now, profile.geography)
    conn.close()
    return counts


def _article(record: dict[str, Any]) -> Article | None:
    url = str(record.get("url") or "")
    if record.get("html"):
        page = naive_page(url, str(record["html"]))
        return Article(url, page.title, page.body, page.language, page.published, record.get("source_id"))
    if not record.get("body"):
        return None
    published = date.fromisoformat(str(record["published"])[:10]) if record.get("published") else None
    return Article(
        url,
        record.get("title"),
        str(record["body"]),
        str(record.get("language") or guess_language(str(record["body"]))),
        published,
        record.get("source_id"),
    )


def _store_one(
    conn: duckdb.DuckDBPyConnection,
    article: Article,
    raw: bytes,
    seen_at: datetime,
    now: datetime,
    profile: WatchProfile,
) -> bool:
    """Returns whether the article is a copy of another."""
    article_id, digest = article_key(article.url), content_hash(article.title, article.body)
    sha = sha256_hex(raw)
    conn.execute(
        "INSERT INTO raw_document (sha256, media_type, content, content_encoding, first_seen_at, run_id)"
        " VALUES (?, 'application/json', ?, 'deflate', ?, 'r-naive') ON CONFLICT DO NOTHING",
        [sha, zlib.compress(raw, 1), now],
    )
    if conn.execute("SELECT 1 FROM article WHERE article_id = ?", [article_id]).fetchone():
        return False  # seen already: this comparison has no edited articles
    twin = conn.execute(
        "SELECT article_id FROM article WHERE content_hash = ? AND duplicate_of IS NULL"
        " ORDER BY first_seen_at, article_id LIMIT 1",
        [digest],
    ).fetchone()
    row = article_row(article, digest, sha, twin[0] if twin else None, seen_at, now, "r-naive")
    conn.execute(f"INSERT INTO article ({', '.join(_ARTICLE_COLUMNS)}) VALUES ({', '.join('?' * len(row))})", row)
    conn.execute(
        "INSERT INTO article_sighting VALUES (?, ?, ?, ?, ?, 'r-naive')",
        [twin[0] if twin else article_id, article.url, article.source_id, now, now],
    )
    grams = naive_shingles(article.body)
    signature = naive_signature(grams)
    conn.execute("INSERT INTO article_fingerprint VALUES (?, ?, ?)", [article_id, len(grams), signature])
    if twin:
        return True
    keys = list(dict.fromkeys(band_keys(np.array(signature, dtype=np.uint64), lead_shingles(article.body))))
    best = _closest(conn, article_id, article.language, article.body, grams, signature, keys)
    if best is not None:
        canonical, score = best
        conn.execute(
            "UPDATE article SET duplicate_of = ?, duplicate_kind = 'near', similarity = ? WHERE article_id = ?",
            [canonical, score, article_id],
        )
        for url, source, first, last, run in conn.execute(
            "SELECT url, source_id, first_seen_at, last_seen_at, run_id FROM article_sighting WHERE article_id = ?",
            [article_id],
        ).fetchall():
            conn.execute(
                "INSERT INTO article_sighting VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                [canonical, url, source, first, last, run],
            )
        conn.execute("DELETE FROM article_sighting WHERE article_id = ?", [article_id])
        return True
    sizes = dict(
        conn.execute(
            """SELECT (band, bucket), count(*) FROM article_band
               WHERE (band, bucket) IN (SELECT (unnest(?), unnest(?))) GROUP BY ALL""",
            [[k[0] for k in keys], [k[1] for k in keys]],
        ).fetchall()
    )
    for band, bucket in keys:
        if sizes.get((band, bucket), 0) < bucket_cap(band):
            conn.execute("INSERT INTO article_band VALUES (?, ?, ?)", [band, bucket, article_id])
    extraction = extract_events(article, profile)
    for ordinal, event in enumerate(extraction.events):  # one INSERT per mention
        row = _mention_row(article_id, ordinal, event, EXTRACTOR_VERSION, "r-naive", now)
        conn.execute(
            f"INSERT INTO event_mention ({', '.join(_MENTION_COLUMNS)}) VALUES ({', '.join('?' * len(row))})", row
        )
    conn.execute(
        "UPDATE article SET relevant = ?, extracted_at = ?, extractor_version = ? WHERE article_id = ?",
        [extraction.relevant, now, EXTRACTOR_VERSION, article_id],
    )
    return False


def _closest(
    conn: duckdb.DuckDBPyConnection,
    article_id: str,
    language: str | None,
    body: str,
    grams: set[int],
    signature: list[int],
    keys: list[tuple[int, int]],
) -> tuple[str, float] | None:
    # One lookup per article: the canonical articles sharing a bucket, with their signatures.
    rows = conn.execute(
        """SELECT DISTINCT b.article_id, a.first_seen_at, f.signature, f.shingles FROM article_band b
           JOIN article a USING (article_id) JOIN article_fingerprint f USING (article_id)
           WHERE (b.band, b.bucket) IN (SELECT (unnest(?), unnest(?)))
             AND a.duplicate_of IS NULL AND a.article_id <> ? AND a.language IS NOT DISTINCT FROM ?""",
        [[k[0] for k in keys], [k[1] for k in keys], article_id, language],
    ).fetchall()
    ranked = []
    for other, first_seen, their_signature, their_size in rows:
        _, containment = _estimate(signature, their_signature, len(grams), their_size)
        if containment >= SCREEN_CONTAINMENT:
            ranked.append((-containment, first_seen, other))
    found = []
    for _, _, other in sorted(ranked)[:MAX_CANDIDATES]:
        row = conn.execute("SELECT body FROM article WHERE article_id = ?", [other]).fetchone()
        if row is not None:
            found.append((other, Text(np.array(sorted(naive_shingles(row[0])), dtype=np.uint64), sentences(row[0]))))
    # the one rule, on shingles counted the slow way
    best = closest(Text(np.array(sorted(grams), dtype=np.uint64), sentences(body)), [text for _, text in found])
    return (found[best[0]][0], best[1].score) if best else None


def agreement(fast: Path, naive: Path) -> dict[str, Any]:
    """Whether two warehouses hold the same events and the same copies (by URL, not by id)."""
    queries = {
        "events": """SELECT kind, number, start_text, end_text, status, location, vn_side, us_side,
                            (SELECT count(*) FROM event_mention m WHERE m.event_id = e.event_id)
                     FROM event e ORDER BY ALL""",
        "copies": """SELECT a.url, c.url, a.duplicate_kind FROM article a
                     JOIN article c ON c.article_id = a.duplicate_of ORDER BY ALL""",
    }
    out: dict[str, Any] = {}
    for name, sql in queries.items():
        found = []
        for path in (fast, naive):
            conn = duckdb.connect(str(path), read_only=True)
            found.append(conn.execute(sql).fetchall())
            conn.close()
        out[name] = {"fast": len(found[0]), "naive": len(found[1]), "same": found[0] == found[1]}
    out["same"] = all(v["same"] for v in out.values() if isinstance(v, dict))
    return out
