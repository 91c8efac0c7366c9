"""Identity of articles: a key for the URL and an exact fingerprint of the text."""

from __future__ import annotations

import hashlib
import re

from parsers.text import nfc

_WS = re.compile(r"\s+")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def article_key(canonical_url: str) -> str:
    """A short stable id for an article, from its canonical URL."""
    return "a-" + sha256_hex(canonical_url.encode("utf-8"))[:16]


def normalised_text(text: str) -> str:
    """What two copies of one article share: NFC, case-folded, whitespace collapsed."""
    return _WS.sub(" ", nfc(text).casefold()).strip()


def content_hash(title: str | None, body: str) -> str:
    """Exact fingerprint: the same text in any encoding form or spacing gives the same hash."""
    return sha256_hex(normalised_text(body).encode("utf-8"))
