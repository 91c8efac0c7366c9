"""Render a digest for each channel. Pure: a Digest in, text (or Slack blocks) out.

English labels; Vietnamese names and evidence quotes as written; times in Vietnam time.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, select_autoescape

from parsers.digest import Digest, DigestEvent, Source
from parsers.models import PartialDate

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
KIND_LABELS = {
    "round": "Negotiation round",
    "ministerial_session": "Ministerial session",
    "meeting": "Meeting",
    "call": "Call",
    "statement": "Joint statement",
}
MODE_LABELS = {"in_person": "in person", "online": "online", "phone": "by phone"}
STATUS_LABELS = {"held": "held", "ongoing": "under way", "planned": "planned", "agreed": "agreed by the negotiators"}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# Slack's limits (Block Kit): blocks per message, characters per section and header.
SLACK_MAX_BLOCKS = 50
SLACK_MAX_SECTION = 3000
SLACK_MAX_HEADER = 150
EVIDENCE_CHARS = 320


def _partial(text: str | None) -> tuple[int | None, int, int] | None:
    parsed = PartialDate.parse(text)
    return (parsed.year, parsed.month, parsed.day) if parsed else None


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


def event_facts(event: DigestEvent) -> str:
    facts = [format_dates(event.start_text, event.end_text)]
    if event.location:
        facts.append(event.location)
    facts.append(STATUS_LABELS.get(event.status, event.status))
    return ", ".join(facts)


def sort_key(event: DigestEvent) -> tuple[int, date, str, str]:
    return (0 if event.start_date else 1, event.start_date or date.max, event.kind, event.event_id)


def ordered(events: tuple[DigestEvent, ...]) -> list[DigestEvent]:
    return sorted(events, key=sort_key)


def created_local(digest: Digest) -> str:
    return digest.created_at.astimezone(VIETNAM).strftime("%Y-%m-%d %H:%M")


def headline(digest: Digest) -> str:
    """ "11 new events" / "1 new event, 1 update"."""
    parts = []
    if n := len(digest.new_events):
        parts.append(f"{n} new event{'s' if n != 1 else ''}")
    if u := len(digest.updated_events):
        parts.append(f"{u} update{'s' if u != 1 else ''}")
    return ", ".join(parts) or "nothing new"


def email_subject(digest: Digest) -> str:
    first = ordered(digest.new_events or digest.updated_events)[0]
    more = len(digest.events) - 1
    lead = f"{event_title(first)} ({format_dates(first.start_text, first.end_text)})"
    subject = f"tradewatch: {headline(digest)} — {lead}" + (f" and {more} more" if more else "")
    return subject[:200]


def _evidence(source: Source) -> str:
    text = source.evidence
    return text if len(text) <= EVIDENCE_CHARS else text[: EVIDENCE_CHARS - 1].rstrip() + "…"


def is_web(url: str) -> bool:
    return url.startswith(("http://", "https://"))


# --- Markdown ---------------------------------------------------------------------------------


def _escape_md(text: str) -> str:
    for ch in "\\[]*_`":
        text = text.replace(ch, "\\" + ch)
    return text


def _md_source(source: Source) -> str:
    if not is_web(source.url):
        return f"{_escape_md(source.title)} (`{source.url}`)" if source.title else f"`{source.url}`"
    return f"[{_escape_md(source.title or source.url)}]({source.url})"


def _md_event(event: DigestEvent) -> list[str]:
    lines = [f"## {event_title(event)} — {event_facts(event)}", ""]
    if event.changes:
        lines.append(f"- **Update:** {'; '.join(event.changes)}")
    lines.append(
        f"- **Kind:** {KIND_LABELS.get(event.kind, event.kind)}, {MODE_LABELS.get(event.mode or '', 'mode not given')}"
    )
    lines.append(f"- **Viet Nam:** {', '.join(event.vn_side) or 'not named'}")
    lines.append(f"- **United States:** {', '.join(event.us_side) or 'not named'}")
    if event.topics:
        lines.append(f"- **Topics:** {', '.join(t.replace('_', ' ') for t in event.topics)}")
    if event.conflicts:
        lines.append(f"- **Sources disagree on:** {', '.join(event.conflicts)}")
    lines.append(f"- **Sources ({len(event.sources)}):**")
    for source in event.sources:
        published = f" — published {source.published.isoformat()}" if source.published else ""
        lines.append(f"  - {_md_source(source)}{published}")
        lines.append(f"    > {source.evidence}")
    lines.append("")
    return lines


def render_markdown(digest: Digest) -> str:
    lines = [
        f"# tradewatch — {digest.watch_name}",
        "",
        f"{headline(digest)} · {created_local(digest)} (Vietnam time) · digest `{digest.digest_id}`",
        "",
    ]
    for event in ordered(digest.new_events) + ordered(digest.updated_events):
        lines += _md_event(event)
    if digest.timeline:
        lines += ["## The negotiation so far", "", "| Date | Event | Place | Status |", "|---|---|---|---|"]
        for event in ordered(digest.timeline):
            lines.append(
                f"| {format_dates(event.start_text, event.end_text)} | {event_title(event)} | "
                f"{event.location or '—'} | {STATUS_LABELS.get(event.status, event.status)} |"
            )
        lines.append("")
    return "\n".join(lines)


# --- plain text (the email's text part) -------------------------------------------------------


def render_text(digest: Digest) -> str:
    lines = [f"tradewatch — {digest.watch_name}", f"{headline(digest)} · {created_local(digest)} (Vietnam time)", ""]
    for event in ordered(digest.new_events) + ordered(digest.updated_events):
        marker = "UPDATE: " if event.change == "updated" else ""
        lines.append(f"{marker}{event_title(event)} — {event_facts(event)}")
        if event.changes:
            lines.append(f"  What changed: {'; '.join(event.changes)}")
        lines.append(f"  Viet Nam: {', '.join(event.vn_side) or 'not named'}")
        lines.append(f"  United States: {', '.join(event.us_side) or 'not named'}")
        if event.topics:
            lines.append(f"  Topics: {', '.join(t.replace('_', ' ') for t in event.topics)}")
        for source in event.sources:
            lines.append(f"  - {source.title or source.url}: {source.url}")
            lines.append(f"    “{_evidence(source)}”")
        lines.append("")
    if digest.timeline:
        lines.append("The negotiation so far:")
        for event in ordered(digest.timeline):
            lines.append(
                f"  {format_dates(event.start_text, event.end_text):<26} {event_title(event):<28} "
                f"{event.location or '—':<18} {STATUS_LABELS.get(event.status, event.status)}"
            )
    return "\n".join(lines).rstrip() + "\n"


# --- HTML email -------------------------------------------------------------------------------

_ENV = Environment(
    loader=PackageLoader("delivery", "templates"),
    autoescape=select_autoescape(["html", "j2"], default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
_ENV.globals.update(
    event_title=event_title,
    event_facts=event_facts,
    format_dates=format_dates,
    kind_label=lambda k: KIND_LABELS.get(k, k),
    mode_label=lambda m: MODE_LABELS.get(m or "", "mode not given"),
    status_label=lambda s: STATUS_LABELS.get(s, s),
    evidence=_evidence,
    is_web=is_web,
)


def render_html(digest: Digest) -> str:
    return _ENV.get_template("digest.html.j2").render(
        digest=digest,
        headline=headline(digest),
        created=created_local(digest),
        new_events=ordered(digest.new_events),
        updated_events=ordered(digest.updated_events),
        timeline=ordered(digest.timeline),
    )


# --- Slack Block Kit --------------------------------------------------------------------------


def slack_escape(text: str) -> str:
    """Slack's three control characters, so that a title can't ping @channel or fake a link."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _slack_source(source: Source) -> str:
    label = slack_escape(_clip(source.title or source.url, 80)).replace("|", "¦")
    return f"<{source.url}|{label}>" if is_web(source.url) else f"`{slack_escape(source.url)}`"


def _slack_event_blocks(event: DigestEvent) -> list[dict[str, Any]]:
    lines = [f"*{slack_escape(event_title(event))}* — {slack_escape(event_facts(event))}"]
    if event.changes:
        lines.append(f"_Update:_ {slack_escape('; '.join(event.changes))}")
    lines.append(
        f"*Viet Nam:* {slack_escape(', '.join(event.vn_side) or 'not named')}   "
        f"*United States:* {slack_escape(', '.join(event.us_side) or 'not named')}"
    )
    if event.sources:
        lines.append("> " + slack_escape(_evidence(event.sources[0])).replace("\n", " "))
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": _clip("\n".join(lines), SLACK_MAX_SECTION)}}
    ]
    if event.sources:
        sources = " · ".join(_slack_source(s) for s in event.sources[:5])
        if len(event.sources) > 5:
            sources += f" · and {len(event.sources) - 5} more"
        blocks.append(
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": _clip(f"Sources: {sources}", SLACK_MAX_SECTION)}],
            }
        )
    return blocks


def render_slack(digest: Digest) -> dict[str, Any]:
    """An incoming-webhook payload within Slack's limits: events that do not fit are counted."""
    header = _clip(f"tradewatch: {headline(digest)}", SLACK_MAX_HEADER)
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": header}},
        {
            "type": "context",
            "elements": [
                {"type": "mrkdwn", "text": slack_escape(f"{digest.watch_name} · {created_local(digest)} Vietnam time")}
            ],
        },
    ]
    timeline: list[dict[str, Any]] = []
    if digest.timeline:
        rows = [
            f"{format_dates(e.start_text, e.end_text)} · {event_title(e)} · {STATUS_LABELS.get(e.status, e.status)}"
            for e in ordered(digest.timeline)
        ]
        timeline = [
            {"type": "divider"},
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": _clip("*The negotiation so far*\n" + slack_escape("\n".join(rows)), SLACK_MAX_SECTION),
                },
            },
        ]
    events = ordered(digest.new_events) + ordered(digest.updated_events)
    room = SLACK_MAX_BLOCKS - len(blocks) - len(timeline) - 1  # one left for "and N more"
    shown = 0
    for event in events:
        event_blocks = _slack_event_blocks(event)
        if len(event_blocks) > room:
            break
        blocks += event_blocks
        room -= len(event_blocks)
        shown += 1
    if shown < len(events):
        rest = len(events) - shown
        blocks.append(
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": f"…and {rest} more in the email and in digest `{digest.digest_id}`.",
                },
            }
        )
    blocks += timeline
    return {"text": slack_escape(f"tradewatch: {headline(digest)} — {digest.watch_name}"), "blocks": blocks}
