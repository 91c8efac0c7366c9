"""What a digest says: the new and materially updated events, each with its sources, and the
timeline so far. Pure data and pure functions; `delivery/render.py` turns it into text."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime
from typing import Any

# The facts whose change is news. A new source, a new participant or "ongoing" becoming "held"
# are not: they change quietly.
MATERIAL_FACTS = ("number", "status", "start_text", "end_text", "location", "conflicts")


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
    change: str = "new"  # "new" | "updated"
    changes: tuple[str, ...] = ()  # what changed since it was last announced

    def facts(self) -> dict[str, Any]:
        return material_facts(dict(zip(MATERIAL_FACTS, (getattr(self, f) for f in MATERIAL_FACTS), strict=True)))


@dataclass(frozen=True)
class Digest:
    digest_id: str
    created_at: datetime
    watch_name: str
    events: tuple[DigestEvent, ...]
    timeline: tuple[DigestEvent, ...] = field(default_factory=tuple)

    @property
    def new_events(self) -> tuple[DigestEvent, ...]:
        return tuple(e for e in self.events if e.change == "new")

    @property
    def updated_events(self) -> tuple[DigestEvent, ...]:
        return tuple(e for e in self.events if e.change == "updated")


def material_facts(values: dict[str, Any]) -> dict[str, Any]:
    """The material facts in the form they are announced and stored (conflicts sorted)."""
    return {name: sorted(values[name]) if name == "conflicts" else values[name] for name in MATERIAL_FACTS}


def material_changes(announced: dict[str, Any] | None, current: dict[str, Any]) -> list[str]:
    """What in `current` is news compared with the facts last announced ("status: planned → held")."""
    if announced is None:
        return []
    changes = []
    for name in MATERIAL_FACTS:
        old, new = announced.get(name), current.get(name)
        if old == new or new in (None, []):
            continue
        if name == "status" and old != "planned":
            continue  # ongoing -> held is the expected course of things
        if name == "conflicts":
            added = sorted(set(new) - set(old or []))
            if added:
                changes.append(f"sources now disagree on {', '.join(added)}")
            continue
        label = name.replace("_text", "").replace("_", " ")
        changes.append(f"{label}: {old if old is not None else 'unknown'} → {new}")
    return changes


def digest_id_for(events: list[DigestEvent]) -> str:
    """Deterministic: the same events with the same facts make the same digest id, so a retried
    run reuses it rather than announcing again."""
    key = "|".join(sorted(f"{e.event_id}:{json.dumps(e.facts(), sort_keys=True)}" for e in events))
    return "d-" + hashlib.sha256(key.encode()).hexdigest()[:12]


# --- JSON round trip (the digest is stored with its data, for any channel and for --resend) ---


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    return value


def digest_to_json(digest: Digest) -> str:
    return json.dumps(_encode(asdict(digest)), ensure_ascii=False, sort_keys=True)


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _event(data: dict[str, Any]) -> DigestEvent:
    return DigestEvent(
        event_id=data["event_id"],
        kind=data["kind"],
        number=data["number"],
        mode=data["mode"],
        status=data["status"],
        start_date=_date(data["start_date"]),
        end_date=_date(data["end_date"]),
        start_text=data["start_text"],
        end_text=data["end_text"],
        location=data["location"],
        vn_side=tuple(data["vn_side"]),
        us_side=tuple(data["us_side"]),
        topics=tuple(data["topics"]),
        conflicts=tuple(data["conflicts"]),
        sources=tuple(
            Source(s["title"], s["url"], s["source_id"], _date(s["published"]), s["evidence"]) for s in data["sources"]
        ),
        change=data.get("change", "new"),
        changes=tuple(data.get("changes", ())),
    )


def digest_from_json(text: str) -> Digest:
    data = json.loads(text)
    return Digest(
        digest_id=data["digest_id"],
        created_at=datetime.fromisoformat(data["created_at"]),
        watch_name=data["watch_name"],
        events=tuple(_event(e) for e in data["events"]),
        timeline=tuple(_event(e) for e in data["timeline"]),
    )


def as_update(event: DigestEvent, changes: list[str]) -> DigestEvent:
    return replace(event, change="updated", changes=tuple(changes))
