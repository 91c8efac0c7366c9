"""Render a digest. Pure: a Digest in, text out."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from parsers.digest import Digest, DigestEvent

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
KIND_LABELS = {
    "round": "Negotiation round",
    "ministerial_session": "Ministerial session",
    "meeting": "Meeting",
    "call": "Call",
    "statement": "Joint statement",
}
MODE_LABELS = {"in_person": "in person", "online": "online", "phone": "by phone"}
STATUS_LABELS = {"held": "held", "ongoing": "under way", "planned": "planned"}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _partial(text: str | None) -> tuple[int | None, int, int] | None:
    if not text:
        return None
    if text.startswith("--"):
        month, day = text[2:].split("-")
        return None, int(month), int(day)
    year, month, day = text.split("-")
    return int(year), int(month), int(day)


def format_dates(start_text: str | None, end_text: str | None) -> str:
    """ "12–14 Nov 2025", "30 Nov – 2 Dec 2025", "14 Nov (year not given)", "date not given"."""
    start, end = _partial(start_text), _partial(end_text)
    if start is None:
        return "date not given"
    y1, m1, d1 = start
    suffix = f" {y1}" if y1 else " (year not given)"
    if end is None or end == start:
        return f"{d1} {_MONTHS[m1 - 1]}{suffix}"
    y2, m2, d2 = end
    if m1 == m2 and y1 == y2:
        return f"{d1}–{d2} {_MONTHS[m1 - 1]}{suffix}"
    if y1 == y2:
        return f"{d1} {_MONTHS[m1 - 1]} – {d2} {_MONTHS[m2 - 1]}{suffix}"
    return f"{d1} {_MONTHS[m1 - 1]} {y1 or ''} – {d2} {_MONTHS[m2 - 1]} {y2 or ''}".replace("  ", " ").strip()


def event_title(event: DigestEvent) -> str:
    label = KIND_LABELS.get(event.kind, event.kind)
    if event.kind == "round" and event.number:
        return f"Round {event.number}"
    if event.number:
        return f"{label} {event.number}"
    if event.kind in ("meeting", "call") and (event.vn_side or event.us_side):
        return f"{label}: {', '.join(event.vn_side) or '?'} – {', '.join(event.us_side) or '?'}"
    return label


def _escape_md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]").replace("*", "\\*").replace("_", "\\_")


def _link_label(title: str | None, url: str) -> str:
    if url.startswith("seed://"):
        return f"{_escape_md(title)} (`{url}`)" if title else f"`{url}`"
    return f"[{_escape_md(title or url)}]({url})"


def sort_key(event: DigestEvent) -> tuple[int, date, str, str]:
    known = event.start_date or date.max
    return (0 if event.start_date else 1, known, event.kind, event.event_id)


def render_markdown(digest: Digest) -> str:
    created = digest.created_at.astimezone(VIETNAM).strftime("%Y-%m-%d %H:%M")
    n = len(digest.events)
    lines = [
        f"# tradewatch — {digest.watch_name}",
        "",
        f"{n} new event{'s' if n != 1 else ''} · {created} (Vietnam time) · digest `{digest.digest_id}`",
        "",
    ]
    for event in sorted(digest.events, key=sort_key):
        facts = [format_dates(event.start_text, event.end_text)]
        if event.location:
            facts.append(event.location)
        facts.append(STATUS_LABELS.get(event.status, event.status))
        lines.append(f"## {event_title(event)} — {', '.join(facts)}")
        lines.append("")
        mode = MODE_LABELS.get(event.mode or "", "mode not given")
        lines.append(f"- **Kind:** {KIND_LABELS.get(event.kind, event.kind)}, {mode}")
        lines.append(f"- **Viet Nam:** {', '.join(event.vn_side) or 'not named'}")
        lines.append(f"- **United States:** {', '.join(event.us_side) or 'not named'}")
        if event.topics:
            lines.append(f"- **Topics:** {', '.join(t.replace('_', ' ') for t in event.topics)}")
        if event.conflicts:
            lines.append(f"- **Sources disagree on:** {', '.join(event.conflicts)}")
        lines.append(f"- **Sources ({len(event.sources)}):**")
        for source in event.sources:
            published = f" — published {source.published.isoformat()}" if source.published else ""
            lines.append(f"  - {_link_label(source.title, source.url)}{published}")
            lines.append(f"    > {source.evidence}")
        lines.append("")
    if digest.timeline:
        lines.append("## The negotiation so far")
        lines.append("")
        lines.append("| Date | Event | Place | Status |")
        lines.append("|---|---|---|---|")
        for event in sorted(digest.timeline, key=sort_key):
            lines.append(
                f"| {format_dates(event.start_text, event.end_text)} | {event_title(event)} | "
                f"{event.location or '—'} | {STATUS_LABELS.get(event.status, event.status)} |"
            )
        lines.append("")
    return "\n".join(lines)
