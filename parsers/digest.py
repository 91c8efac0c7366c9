"""What a digest says: the new events, each with its sources, and the timeline so far."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class Source:
    title: str | None
    url: str
    source_id: str | None
    published: date | None
    evidence: str


@dataclass(frozen=True)
class DigestEvent:
    event_id: str
    kind: str
    number: int | None
    mode: str | None
    status: str
    start_date: date | None
    end_date: date | None
    start_text: str | None
    end_text: str | None
    location: str | None
    vn_side: tuple[str, ...]
    us_side: tuple[str, ...]
    topics: tuple[str, ...]
    conflicts: tuple[str, ...]
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Digest:
    digest_id: str
    created_at: datetime
    watch_name: str
    events: tuple[DigestEvent, ...]
    timeline: tuple[DigestEvent, ...]


def digest_id_for(event_ids: list[str]) -> str:
    """Deterministic: the same events make the same digest id, so a retried run reuses it."""
    return "d-" + hashlib.sha256("|".join(sorted(event_ids)).encode()).hexdigest()[:12]
