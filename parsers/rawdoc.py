"""A raw input as kept: the hash of its bytes as fetched, its media type, and its bytes, which may
be deflated. Pure: the processes that parse a backfill pack what the writer stores."""

from __future__ import annotations

import zlib
from dataclasses import dataclass


@dataclass(frozen=True)
class RawDocument:
    sha256: str  # of the bytes as fetched
    media_type: str
    content: bytes
    encoding: str = "identity"  # or "deflate": `content` is zlib-compressed


def deflated(sha256: str, media_type: str, raw: bytes) -> RawDocument:
    """The raw document compressed (level 1: a page of chrome shrinks ~5x in well under a ms),
    for whoever keeps many of them; the hash stays that of the bytes as fetched."""
    return RawDocument(sha256, media_type, zlib.compress(raw, 1), "deflate")
