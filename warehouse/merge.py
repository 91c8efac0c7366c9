"""Merge event mentions into canonical events: one row per real event, however many articles
mention it, in whichever language.

The matching and folding are pure functions (`match_score`, `fold_mentions`, `assign`); only
`merge_pending` reads and writes the warehouse. Mentions are matched strongest first (numbered,
then dated, then the rest), so a batch gives the same events in any order of arrival.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import duckdb

from parsers.dates import complete_year
from parsers.models import PartialDate

LOGGER = logging.getLogger(__name__)

OFFICES = frozenset({"USTR"})
_PEOPLE_KINDS = ("meeting", "call", "ministerial_session", "statement")
_STATUS_ORDER = {"planned": 0, "ongoing": 1, "held": 2}
MAX_ANCHOR_DAYS = 45  # an undated mention refers to an event this close to its article's date


@dataclass(frozen=True)
class Mention:
    mention_id: str
    article_id: str
    kind: str
    number: int | None
    mode: str | None
    status: str
    start: PartialDate | None
    end: PartialDate | None
    location: str | None
    vn_side: frozenset[str]
    us_side: frozenset[str]
    topics: frozenset[str]
    first_seen: datetime
    position: int

    @property
    def has_full_date(self) -> bool:
        return self.start is not None and self.start.year is not None

    def strength(self) -> tuple[int, int, int]:
        """Numbered before dated before the rest; more participants first."""
        tier = 2 if self.number is not None else 1 if self.has_full_date else 0
        partial = 1 if self.start is not None else 0
        return (tier, partial, len(self.vn_side) + len(self.us_side))


@dataclass(frozen=True)
class Canonical:
    kind: str
    number: int | None
    mode: str | None
    status: str
    start: PartialDate | None
    end: PartialDate | None
    location: str | None
    vn_side: tuple[str, ...]
    us_side: tuple[str, ...]
    topics: tuple[str, ...]
    conflicts: tuple[str, ...]

    @property
    def start_date(self) -> date | None:
        return self.start.resolved() if self.start else None

    @property
    def end_date(self) -> date | None:
        return self.end.resolved() if self.end else None


@dataclass
class EventState:
    event_id: str
    mentions: list[Mention] = field(default_factory=list)
    canonical: Canonical | None = None
    articles: set[str] = field(default_factory=set)  # of its mentions: one article reports an event once
    anchor: date | None = None  # the earliest date of its articles (see `_event_anchor`)
    fold: Fold | None = None

    def add(self, mention: Mention, anchors: dict[str, date | None]) -> None:
        self.mentions.append(mention)
        self.articles.add(mention.article_id)
        if self.fold is None:
            self.fold = Fold(mention.kind)
        self.fold.add(mention)
        mine = anchors.get(mention.article_id)
        if mine is not None and (self.anchor is None or mine < self.anchor):
            self.anchor = mine

    def reanchor(self, anchors: dict[str, date | None]) -> None:
        self.articles = {m.article_id for m in self.mentions}
        self.anchor = _event_anchor(self, anchors)
        self.fold = Fold.of(self.mentions) if self.mentions else None


parse_partial = PartialDate.parse


def _md(pd: PartialDate) -> tuple[int, int]:
    return (pd.month, pd.day)


def _years_agree(a: PartialDate, b: PartialDate) -> bool:
    return a.year is None or b.year is None or a.year == b.year


def _dates_agree(m: Mention, c: Canonical) -> bool:
    """Same day, or (rounds) overlapping ranges, with no contradicting year."""
    assert m.start is not None and c.start is not None
    if not _years_agree(m.start, c.start):
        return False
    m_end, c_end = m.end or m.start, c.end or c.start
    if m.kind == "round":
        return _md(m.start) <= _md(c_end) and _md(c.start) <= _md(m_end)
    return _md(m.start) == _md(c.start)


def _sides_agree(m: Mention, c: Canonical) -> int | None:
    """None if the participants contradict; else how many people the two share."""
    shared = 0
    for mine, theirs in ((m.vn_side, c.vn_side), (m.us_side, c.us_side)):
        people_m, people_c = set(mine) - OFFICES, set(theirs) - OFFICES
        if m.kind in _PEOPLE_KINDS and people_m and people_c and not people_m & people_c:
            return None
        shared += len(people_m & people_c)
    return shared


def match_score(m: Mention, c: Canonical, anchor: date | None, event_anchor: date | None = None) -> float | None:
    """How well mention `m` fits event `c`; None when it cannot be that event.

    `anchor` is the date of the mention's article; `event_anchor` the earliest date of the articles
    that already report the event."""
    if m.kind != c.kind:
        return None
    score = 0.0
    if m.number is not None and c.number is not None:
        if m.number != c.number:
            return None
        score += 10
    if m.mode and c.mode and m.mode != c.mode:
        return None
    shared = _sides_agree(m, c)
    if shared is None:
        return None
    score += shared
    same_number = m.number is not None and m.number == c.number
    if m.start is not None and c.start is not None:
        if not _dates_agree(m, c) and not same_number:
            return None  # (round 6 with two dates is one round whose sources disagree: a conflict)
        score += 5 if _dates_agree(m, c) else 0
    elif c.status == "planned" and c.start is None and m.status != "planned" and m.has_full_date:
        # The session announced as planned, now reported as held: the same event, if it came
        # soon after the announcement.
        assert m.start is not None
        happened = m.start.resolved()
        if event_anchor is None or happened is None or not 0 <= (happened - event_anchor).days <= MAX_ANCHOR_DAYS:
            return None
        if m.kind != "round" and shared == 0:
            return None
        score += 2
    elif m.number is None or c.number is None:
        # Neither number nor date ties them: only time can, through the article's date.
        planned_m, planned_c = m.status == "planned", c.status == "planned"
        c_date = c.start_date
        if c_date is not None:
            if anchor is None or abs((c_date - anchor).days) > MAX_ANCHOR_DAYS:
                return None
            if planned_m and not planned_c and c_date < anchor:
                return None  # announced after it happened: another one
            score += 3 - abs((c_date - anchor).days) / 30
        elif planned_m != planned_c:
            return None  # an announcement and a report, with no date to join them
        if m.kind != "round" and shared == 0:
            return None
    return score


class _Tally:
    """Counts of a field's values, and where each value first appears in strength order: the
    majority is the most frequent value, ties going to the one that appears first."""

    def __init__(self) -> None:
        self.counts: dict[object, int] = {}
        self.first: dict[object, tuple[object, ...]] = {}

    def add(self, value: object, rank: tuple[object, ...]) -> None:
        if value is None:
            return
        self.counts[value] = self.counts.get(value, 0) + 1
        if value not in self.first or rank < self.first[value]:
            self.first[value] = rank

    def majority(self) -> object | None:
        if not self.counts:
            return None
        return min(self.counts, key=lambda v: (-self.counts[v], self.first[v]))


class Fold:
    """An event's facts folded from its mentions one at a time, in constant time each: what
    `fold_mentions` computes from all of them (an event reported by hundreds of articles is
    refolded after every mention that joins it)."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.added = 0
        self.numbers, self.modes, self.locations, self.full = _Tally(), _Tally(), _Tally(), _Tally()
        self.places: set[str] = set()
        self.starts: set[PartialDate] = set()
        self.dated: tuple[tuple[object, ...], Mention] | None = None  # the strongest mention with a date
        self.status: tuple[int, tuple[object, ...], str] | None = None
        self.vn: set[str] = set()
        self.us: set[str] = set()
        self.topics: set[str] = set()

    @classmethod
    def of(cls, mentions: Iterable[Mention], kind: str | None = None) -> Fold:
        """The fold of `mentions`, in their order (of the first one's kind, unless `kind` is given)."""
        mentions = list(mentions)
        fold = cls(kind or mentions[0].kind)
        for m in mentions:
            fold.add(m)
        return fold

    def add(self, m: Mention) -> None:
        strength = m.strength()
        rank: tuple[object, ...] = (-strength[0], -strength[1], -strength[2], self.added)  # strongest first
        self.added += 1
        self.numbers.add(m.number, rank)
        self.modes.add(m.mode, rank)
        self.locations.add(m.location, rank)
        if m.location:
            self.places.add(m.location)
        if m.has_full_date:
            self.full.add((m.start, m.end), rank)
            assert m.start is not None
            self.starts.add(m.start)
        if m.start is not None and (self.dated is None or rank < self.dated[0]):
            self.dated = (rank, m)
        order = _STATUS_ORDER.get(m.status, 0)
        if self.status is None or order > self.status[0]:
            self.status = (order, rank, m.status)
        self.vn |= m.vn_side
        self.us |= m.us_side
        self.topics |= m.topics

    def canonical(self, anchors: dict[str, date | None]) -> Canonical:
        assert self.status is not None, "an event has at least one mention"
        conflicts = []
        if len(self.numbers.counts) > 1:
            conflicts.append("number")
        start: PartialDate | None
        end: PartialDate | None
        if self.full.counts:
            if len(self.starts) > 1:
                conflicts.append("start")
            start, end = self.full.majority()  # type: ignore[misc]
        elif self.dated is not None:
            dated = self.dated[1]
            # A year the text left out comes from the date of the article that gave the day.
            anchor = anchors.get(dated.article_id)
            start = complete_year(dated.start, anchor, None) if dated.start else None
            end = complete_year(dated.end, anchor, None) if dated.end else None
        else:
            start = end = None
        if len(self.places) > 1:
            conflicts.append("location")
        sides = []
        for names in (set(self.vn), set(self.us)):
            if names - OFFICES:
                names -= OFFICES  # the office stands for its side only when no one is named
            sides.append(tuple(sorted(names)))
        number = self.numbers.majority()
        return Canonical(
            kind=self.kind,
            number=number if isinstance(number, int) else None,
            mode=self.modes.majority() or None,  # type: ignore[arg-type]
            status=self.status[2],
            start=start,
            end=end,
            location=self.locations.majority() or None,  # type: ignore[arg-type]
            vn_side=sides[0],
            us_side=sides[1],
            topics=tuple(sorted(self.topics)),
            conflicts=tuple(conflicts),
        )


def fold_mentions(kind: str, mentions: list[Mention], anchors: dict[str, date | None]) -> Canonical:
    """The event's best-supported facts, and the fields on which its sources disagree."""
    return Fold.of(mentions, kind).canonical(anchors)


def event_id_for(kind: str, founder: Mention) -> str:
    return "e-" + hashlib.sha256(f"{kind}|{founder.mention_id}".encode()).hexdigest()[:12]


def _article_anchors(
    mentions: Iterable[Mention],
    published: dict[str, date | None],
    events: dict[str, EventState],
    assigned: dict[str, str],
) -> dict[str, date | None]:
    """An article's date: its publication date, else the earliest dated event it reports."""
    anchors: dict[str, date | None] = {}
    for article_id, pub in published.items():
        anchors[article_id] = pub
    for m in mentions:
        if anchors.get(m.article_id) is not None:
            continue
        event = events.get(assigned.get(m.mention_id, ""))
        d = event.canonical.start_date if event and event.canonical else None
        if d is not None:
            current = anchors.get(m.article_id)
            anchors[m.article_id] = d if current is None else min(current, d)
    return anchors


def _event_anchor(event: EventState, anchors: dict[str, date | None]) -> date | None:
    dates = [d for m in event.mentions if (d := anchors.get(m.article_id)) is not None]
    return min(dates) if dates else None


def assign(
    pending: list[Mention],
    events: dict[str, EventState],
    published: dict[str, date | None],
) -> dict[str, str]:
    """Decide the event of every pending mention, creating events as needed (pure: mutates only
    the `events` map it is given). Returns mention_id -> event_id."""
    assigned: dict[str, str] = {m.mention_id: e.event_id for e in events.values() for m in e.mentions}
    ordered = sorted(pending, key=lambda m: (m.strength(), -m.first_seen.timestamp(), m.mention_id), reverse=True)
    # Dated and numbered mentions first; then the article dates they give, for the rest.
    first_pass = [m for m in ordered if m.number is not None or m.has_full_date]
    second_pass = [m for m in ordered if not (m.number is not None or m.has_full_date)]
    existing = [m for e in events.values() for m in e.mentions]
    anchors = _article_anchors(existing, published, events, assigned)
    for batch_index, batch in enumerate((first_pass, second_pass)):
        if batch_index == 1:
            every = [m for e in events.values() for m in e.mentions]
            anchors = _article_anchors(every, published, events, assigned)
        for event in events.values():
            event.reanchor(anchors)
        by_id = sorted(events.values(), key=lambda e: e.event_id)
        for m in batch:
            anchor = anchors.get(m.article_id)
            best: tuple[float, str] | None = None
            for event in by_id:
                if event.canonical is None or m.article_id in event.articles:
                    continue  # one article reports an event once (the extractor folded its mentions)
                score = match_score(m, event.canonical, anchor, event.anchor)
                if score is not None and (best is None or score > best[0]):
                    best = (score, event.event_id)
            if best is None:
                event = EventState(event_id_for(m.kind, m))
                events[event.event_id] = event
                by_id = sorted(events.values(), key=lambda e: e.event_id)
            else:
                event = events[best[1]]
            event.add(m, anchors)
            assert event.fold is not None
            event.canonical = event.fold.canonical(anchors)
            assigned[m.mention_id] = event.event_id
    # Final facts with every article's anchor known.
    every = [m for e in events.values() for m in e.mentions]
    anchors = _article_anchors(every, published, events, assigned)
    for event in events.values():
        if event.mentions:
            event.canonical = fold_mentions(event.mentions[0].kind, event.mentions, anchors)
    return assigned


# --- I/O ---------------------------------------------------------------------------------------

_MENTION_COLUMNS = """m.mention_id, m.article_id, m.kind, m.number, m.mode, m.status, m.start_text, m.end_text,
    m.location, m.vn_side, m.us_side, m.topics, a.first_seen_at, m.position, m.event_id, a.published"""


def _mention(row: tuple[Any, ...]) -> Mention:
    return Mention(
        mention_id=row[0],
        article_id=row[1],
        kind=row[2],
        number=row[3],
        mode=row[4],
        status=row[5],
        start=parse_partial(row[6]),
        end=parse_partial(row[7]),
        location=row[8],
        vn_side=frozenset(row[9]),
        us_side=frozenset(row[10]),
        topics=frozenset(row[11]),
        first_seen=row[12],
        position=row[13],
    )


@dataclass(frozen=True)
class MergeResult:
    mentions_merged: int
    events_new: list[str]
    events_updated: list[str]


def merge_pending(conn: duckdb.DuckDBPyConnection, run_id: str, now: datetime) -> MergeResult:
    """Attach every mention that has no event yet, and refresh the facts of the events touched."""
    rows = conn.execute(
        f"SELECT {_MENTION_COLUMNS} FROM event_mention m JOIN article a USING (article_id)"
        " WHERE a.relevant AND a.duplicate_of IS NULL"
    ).fetchall()
    if not any(row[14] is None for row in rows):
        return MergeResult(0, [], [])
    events: dict[str, EventState] = {}
    pending: list[Mention] = []
    published: dict[str, date | None] = {}
    for row in rows:
        mention = _mention(row)
        published[mention.article_id] = row[15]
        if row[14] is None:
            pending.append(mention)
        else:
            events.setdefault(row[14], EventState(row[14])).mentions.append(mention)
    for event in events.values():
        event.canonical = fold_mentions(event.mentions[0].kind, event.mentions, dict(published))
    stored = {
        row[0]: list(row[1:])
        for row in conn.execute(
            """SELECT event_id, kind, number, mode, status, start_date, end_date, start_text, end_text,
                      location, vn_side, us_side, topics, conflicts FROM event"""
        ).fetchall()
    }
    assigned = assign(pending, events, published)
    new_ids, updated_ids = [], []
    for event_id, event in sorted(events.items()):
        canonical = event.canonical
        assert canonical is not None
        if event_id not in stored:
            _insert_event(conn, event_id, canonical, run_id, now)
            new_ids.append(event_id)
        elif stored[event_id] != _event_values(canonical):
            _update_event(conn, event_id, canonical, run_id, now)
            updated_ids.append(event_id)
    conn.execute(
        """UPDATE event_mention SET event_id = u.event_id
           FROM (SELECT unnest(?) AS mention_id, unnest(?) AS event_id) u
           WHERE event_mention.mention_id = u.mention_id""",
        [[m.mention_id for m in pending], [assigned[m.mention_id] for m in pending]],
    )
    LOGGER.info("merged %d mentions: %d new events, %d updated", len(pending), len(new_ids), len(updated_ids))
    return MergeResult(len(pending), new_ids, updated_ids)


def _event_values(c: Canonical) -> list[object]:
    return [
        c.kind,
        c.number,
        c.mode,
        c.status,
        c.start_date,
        c.end_date,
        c.start.iso_partial() if c.start else None,
        c.end.iso_partial() if c.end else None,
        c.location,
        list(c.vn_side),
        list(c.us_side),
        list(c.topics),
        list(c.conflicts),
    ]


def _insert_event(conn: duckdb.DuckDBPyConnection, event_id: str, c: Canonical, run_id: str, now: datetime) -> None:
    conn.execute(
        """INSERT INTO event (event_id, kind, number, mode, status, start_date, end_date, start_text, end_text,
             location, vn_side, us_side, topics, conflicts, first_seen_at, updated_at, first_run_id, updated_run_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [event_id, *_event_values(c), now, now, run_id, run_id],
    )


def _update_event(conn: duckdb.DuckDBPyConnection, event_id: str, c: Canonical, run_id: str, now: datetime) -> None:
    conn.execute(
        """UPDATE event SET kind = ?, number = ?, mode = ?, status = ?, start_date = ?, end_date = ?,
             start_text = ?, end_text = ?, location = ?, vn_side = ?, us_side = ?, topics = ?, conflicts = ?,
             updated_at = ?, updated_run_id = ?
           WHERE event_id = ?""",
        [*_event_values(c), now, run_id, event_id],
    )
