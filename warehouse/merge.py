"""Merge event mentions into canonical events: one row per real event, however many articles
mention it, in whichever language.

The matching and folding are pure functions (`match_score`, `fold_mentions`, `assign`); only
`merge_pending` reads and writes the warehouse. Mentions are matched strongest first (numbered,
then dated, then the rest), so a batch gives the same events in any order of arrival.
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

import duckdb

from parsers.dates import complete_year
from parsers.geography import NO_GEOGRAPHY, Geography
from parsers.models import Event, PartialDate

LOGGER = logging.getLogger(__name__)

OFFICES = frozenset({"USTR"})
_PEOPLE_KINDS = ("meeting", "call", "ministerial_session", "statement")
_STATUS_ORDER = {"planned": 0, "ongoing": 1, "held": 2, "agreed": 2}
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

    @classmethod
    def of_event(cls, event: Event, *, mention_id: str, article_id: str, first_seen: datetime) -> Mention:
        """The mention an article's extracted event makes."""
        return cls(
            mention_id=mention_id,
            article_id=article_id,
            kind=event.kind,
            number=event.number,
            mode=event.mode,
            status=event.status,
            start=event.start,
            end=event.end,
            location=event.location,
            vn_side=frozenset(event.vn_side),
            us_side=frozenset(event.us_side),
            topics=frozenset(event.topics),
            first_seen=first_seen,
            position=event.position,
        )

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


parse_partial = PartialDate.parse


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


def event_id_for(kind: str, founder: Mention, salt: int = 0) -> str:
    key = f"{kind}|{founder.mention_id}" + (f"|{salt}" if salt else "")
    return "e-" + hashlib.sha256(key.encode()).hexdigest()[:12]


# --- resolution: all mentions of the watch, as a whole ------------------------------------------

# How far a mention with no date of its own may sit from the event it refers to, counted from its
# article's date: a report of a held event comes after it, an announcement before it.
MAX_REPORT_DAYS = 120  # "the previous round", months later
MAX_ANNOUNCE_DAYS = 60  # "phiên đàm phán thứ 6 dự kiến tuần tới"
DAY_TOLERANCE = 1  # "April 10 (Hanoi time)" is April 9 in Washington
WEAK = 0.5  # the score of a fit on kind and people alone
# Kinds whose participants tell two events apart (a statement's signatories are often not named,
# or are named as whoever announced it).
_IDENTITY_KINDS = ("meeting", "call", "ministerial_session")
_SESSION_KINDS = {
    "ministerial_session": {"meeting", "call"},
    "meeting": {"ministerial_session"},
    "call": {"ministerial_session"},
}


def article_anchors(mentions: Iterable[Mention], published: dict[str, date | None]) -> dict[str, date | None]:
    """Each article's date: its publication date, else what its own dated mentions say of it (it
    was written after the events it reports as held, before those it announces)."""
    anchors: dict[str, date | None] = dict(published)
    held: dict[str, list[date]] = defaultdict(list)
    planned: dict[str, list[date]] = defaultdict(list)
    for m in mentions:
        day = m.end.resolved() if m.end else None
        day = day or (m.start.resolved() if m.start else None)
        if day is not None and anchors.get(m.article_id) is None:
            (planned if m.status == "planned" else held)[m.article_id].append(day)
    for article_id in set(held) | set(planned):
        anchors[article_id] = max(held[article_id]) if held[article_id] else min(planned[article_id])
    return anchors


def _complete(m: Mention, anchor: date | None) -> Mention:
    """The mention with the years its text left out taken from its article's date."""
    if anchor is None or m.start is None or m.start.year is not None:
        return m
    start = complete_year(m.start, anchor, None)
    end = m.end
    if end is not None and end.year is None and start.year is not None:
        end = PartialDate(
            end.day, end.month, start.year + (1 if (end.month, end.day) < (start.month, start.day) else 0)
        )
    return replace(m, start=start, end=end)


def _days(m_start: PartialDate, m_end: PartialDate | None) -> tuple[date, date] | None:
    first = m_start.resolved()
    last = (m_end.resolved() if m_end else None) or first
    return (first, last) if first and last and first <= last else (first, first) if first else None


def _md_overlap(a: tuple[PartialDate, PartialDate | None], b: tuple[PartialDate, PartialDate | None]) -> bool:
    """Two spans of days without years: same month and day, or overlapping (one day's grace)."""
    (a1, a2), (b1, b2) = a, (b[0], b[1])
    a2, b2 = a2 or a1, b2 or b1

    def ordinal(p: PartialDate) -> int:
        return p.month * 31 + p.day

    return ordinal(a1) - DAY_TOLERANCE <= ordinal(b2) and ordinal(b1) - DAY_TOLERANCE <= ordinal(a2)


@dataclass
class Cluster:
    """A real event being resolved: the mentions that report it and their fold."""

    kind: str
    founder: Mention
    mentions: list[Mention] = field(default_factory=list)
    articles: set[str] = field(default_factory=set)
    # The days of its articles: publication dates, and floors (see `resolve`): an undated report was
    # written on or after its floor.
    reported: list[date] = field(default_factory=list)
    floors: list[date] = field(default_factory=list)
    fold: Fold | None = None
    canonical: Canonical | None = None
    # Founded by a mention nothing places and joined by no other placed one: the next articles may
    # show it to be an event already known (analysts see it as `events.tentative`).
    tentative: bool = False

    def add(self, m: Mention, anchor: date | None, anchors: dict[str, date | None], floor: bool = False) -> None:
        self.mentions.append(m)
        self.articles.add(m.article_id)
        if anchor is not None:
            (self.floors if floor else self.reported).append(anchor)
        if self.fold is None:
            self.fold = Fold(self.kind)
        self.fold.add(m)
        self.canonical = self.fold.canonical(anchors)

    @property
    def anchors(self) -> list[date]:
        return self.reported + self.floors

    def span(self) -> tuple[date, date] | None:
        c = self.canonical
        return _days(c.start, c.end) if c is not None and c.start is not None else None


def _people(names: Iterable[str]) -> set[str]:
    return set(names) - OFFICES


def _dated_neighbours(kind: str, number: int, clusters: Iterable[Cluster]) -> tuple[date | None, date | None]:
    """Rounds (and sessions) come in the order of their numbers: the last day of the latest dated
    event of `kind` numbered below `number`, and the first day of the earliest numbered above it."""
    after: date | None = None
    before: date | None = None
    for other in clusters:
        other_number = other.canonical.number if other.canonical is not None else None
        span = other.span() if other.kind == kind and other_number is not None else None
        if span is None or other_number is None:
            continue
        if other_number < number and (after is None or span[1] > after):
            after = span[1]
        elif other_number > number and (before is None or span[0] < before):
            before = span[0]
    return after, before


def _ordinal_bounds(c: Cluster, numbered: dict[tuple[str, int], Cluster]) -> tuple[date | None, date | None]:
    """When an undated numbered event must have happened: round 3 ended before a dated round 5 began
    and began after a dated round 2."""
    canon = c.canonical
    if canon is None or canon.number is None or c.span() is not None:
        return None, None
    return _dated_neighbours(c.kind, canon.number, numbered.values())


def _fits(
    m: Mention,
    anchor: date | None,
    c: Cluster,
    bounds: tuple[date | None, date | None] = (None, None),
    geography: Geography = NO_GEOGRAPHY,
    anchor_is_floor: bool = False,
) -> float | None:
    """How well mention `m` (of an article dated `anchor`) fits event `c`; None when it cannot be
    that event. Numbers, then dates, then the article's date and the people decide. `bounds` are
    the days an undated numbered event must fall between (see `_ordinal_bounds`). `anchor_is_floor`:
    the article's date is not known, only that it was written on or after `anchor` (the latest day
    it reports, see `resolve`)."""
    canon = c.canonical
    assert canon is not None
    after, before = bounds
    if m.number is None and anchor is not None:
        if m.status == "planned" and before is not None and before <= anchor:
            return None  # "the next round", announced after a later round had been held: not this one
        if (
            m.status != "planned"
            and not anchor_is_floor
            and after is not None
            and after > anchor + timedelta(DAY_TOLERANCE)
        ):
            return None  # reported as held before the round it follows had begun
    if m.article_id in c.articles and m.kind == c.kind:
        return None  # one article reports an event once: the extractor folded its mentions
    cross = m.kind != c.kind
    if cross and m.kind not in _SESSION_KINDS.get(c.kind, ()):
        return None
    if (m.status == "agreed") != (canon.status == "agreed"):
        return None  # a statement its negotiators agreed is not the one issued, nor the deal announced
    score = 0.0
    if m.number is not None and canon.number is not None:
        if m.number != canon.number:
            return None
        if not cross:
            return 100.0  # round 6 is round 6, whatever dates its sources give (a conflict)
    mode_m, mode_c = m.mode, canon.mode
    if mode_m and mode_c and mode_m != mode_c and "in_person" in (mode_m, mode_c):
        return None  # "virtual talks" and a face-to-face session are two events; phone/online is one
    shared = 0
    for mine, theirs in ((m.vn_side, canon.vn_side), (m.us_side, canon.us_side)):
        people_m, people_c = _people(mine), _people(theirs)
        if m.kind in _IDENTITY_KINDS and people_m and people_c and not people_m & people_c:
            return None
        shared += len(people_m & people_c)
    if cross and (shared < 2 or m.start is None or canon.start is None):
        # A meeting is a session only on its day, between its people — or, undated, in its place
        # ("cuộc gặp với ông Jamieson Greer tại Hàn Quốc" is the session on Jeju).
        in_its_place = (
            shared >= 2
            and m.start is None
            and m.location is not None
            and canon.location is not None
            and not geography.apart(m.location, canon.location)
        )
        if not in_its_place:
            return None
    if m.kind in ("meeting", "call") and not cross and shared == 0 and (m.vn_side or m.us_side):
        return None  # two meetings with no one in common are two meetings
    score += shared
    span = c.span()
    if span is None and m.start is None and anchor is not None and canon.start is not None:
        # Its event's day is known without a year ("2 tháng 7"): the article's date must allow that
        # day in the year nearest it — a report of "--07-02" written on 15 November is 136 days late.
        span = _days(
            complete_year(canon.start, anchor, None), complete_year(canon.end, anchor, None) if canon.end else None
        )
    if m.start is not None and canon.start is not None:
        mine_days = _days(m.start, m.end)
        if mine_days and span:
            lo, hi = mine_days
            if not (lo - timedelta(DAY_TOLERANCE) <= span[1] and span[0] - timedelta(DAY_TOLERANCE) <= hi):
                return None
        elif not _md_overlap((m.start, m.end), (canon.start, canon.end)):
            return None
        score += 5
    elif m.start is not None:
        # A dated mention of an event known only from announcements and reports: it must fall near
        # them, before the reports of it as held, after the announcements of it as planned.
        day = m.start.resolved()
        if canon.number is not None and not _first_of_its_kind(canon.number, day, before):
            # "Round 3", known only from reports, is not whatever round an article dates: an ordinal
            # and a day meet in one event only where a source gives both.
            return None
        if day is not None and c.anchors:
            first_report, last_report = min(c.anchors), max(c.anchors)
            if canon.status == "planned":
                if day < first_report - timedelta(DAY_TOLERANCE):
                    return None  # announced after it had happened: another one
                score += 2 - min((day - first_report).days, MAX_ANNOUNCE_DAYS) / MAX_ANNOUNCE_DAYS
            else:
                if day > last_report + timedelta(DAY_TOLERANCE) or first_report - day > timedelta(MAX_ANNOUNCE_DAYS):
                    return None
                score += 2 - abs((first_report - day).days) / MAX_ANNOUNCE_DAYS
        else:
            score += 1
    elif span is not None and anchor is not None:
        # No date of its own: the article's date must allow it.
        first, last = span
        if m.status == "planned":
            if not anchor - timedelta(DAY_TOLERANCE) <= first <= anchor + timedelta(MAX_ANNOUNCE_DAYS):
                return None
            score += 3 - (first - anchor).days / MAX_ANNOUNCE_DAYS
        else:
            # (An undated article was written some time after its anchor: it may report this too.)
            too_early = anchor < first - timedelta(DAY_TOLERANCE) and not anchor_is_floor
            if too_early or anchor > last + timedelta(MAX_REPORT_DAYS):
                return None
            score += 3 - max((anchor - last).days, 0) / MAX_REPORT_DAYS
    elif anchor is not None and c.anchors:
        # Neither dated: two articles about one event come out within weeks of each other; and what
        # was reported as held before this article was written is not what it announces.
        nearest = min(
            [_days_between(anchor, anchor_is_floor, a, False) for a in c.reported]
            + [_days_between(anchor, anchor_is_floor, a, True) for a in c.floors]
        )
        if nearest > MAX_ANNOUNCE_DAYS:
            return None
        if m.status == "planned" and canon.status == "held" and any(day < anchor for day in c.reported):
            return None  # (an undated report's floor says only that it was written on or after it)
        if (m.status == "planned") != (canon.status == "planned") and nearest > 7:
            return None
        score += 1 - nearest / MAX_ANNOUNCE_DAYS
    else:
        if m.number is not None:
            return None  # a number joins a cluster without one only on the evidence of dates
        score += WEAK  # nothing ties them but the kind and the people
    if m.location and canon.location:
        if m.location == canon.location:
            score += 1
        elif (
            m.kind in ("meeting", "ministerial_session")
            and canon.mode != "online"
            and m.mode != "online"
            and geography.apart(m.location, canon.location)
        ):
            # (A country may be its city: "tại Hoa Kỳ" and "at the White House".)
            return None  # one meeting, one place: in Kuala Lumpur and in Washington are two
    return score + min(len(c.mentions), 50) / 1000


def _days_between(mine: date, mine_floor: bool, theirs: date, theirs_floor: bool) -> int:
    """The fewest days between two reports, where a floor is only the earliest day one could be."""
    if mine_floor and theirs_floor:
        return 0
    if mine_floor:
        return max(0, (mine - theirs).days)
    if theirs_floor:
        return max(0, (theirs - mine).days)
    return abs((mine - theirs).days)


def _first_of_its_kind(number: int, day: date | None, next_begins: date | None) -> bool:
    """The exception: the first round is reported without its number while it happens ("a technical
    delegation visits the US on May 1"; nobody yet counts) and numbered later ("the first round was
    held earlier this month"). A dated round before round 2 began can only be round 1."""
    return number == 1 and day is not None and next_begins is not None and day < next_begins - timedelta(DAY_TOLERANCE)


def _strength(m: Mention) -> tuple[object, ...]:
    """Numbered before dated before anchored; held before planned; then by id, so that the result
    does not depend on the order mentions arrived in."""
    full = m.start is not None and m.start.year is not None
    return (
        m.number is None,
        not full,
        m.start is None,
        m.status == "planned",
        -(len(m.vn_side) + len(m.us_side)),
        m.mention_id,
    )


@dataclass
class Resolution:
    clusters: list[Cluster]
    unresolved: list[Mention]  # no number, no date, no article date, and more than one event it could be


def _one_sided(m: Mention) -> bool:
    """A meeting or call that names no one of a side ("a working session with the US Deputy Minister")."""
    return m.kind in ("meeting", "call") and not (_people(m.vn_side) and _people(m.us_side))


def _is_weak(m: Mention, anchor: date | None) -> bool:
    return m.number is None and m.start is None and anchor is None


def resolve(
    mentions: list[Mention], published: dict[str, date | None], geography: Geography = NO_GEOGRAPHY
) -> Resolution:
    """Resolve all the mentions of the watch into real events, strongest first: one cluster per
    event. Pure and deterministic: the same mentions give the same clusters in any order.

    A mention with nothing to place it — no number, no date, in an article of unknown date ("the
    two countries agreed to a framework") — joins the one event it can be; where it could be two or
    more, it stays unresolved rather than guessed, and founds an event only where none fits.

    `geography`: the watch profile's countries and the cities in them; a meeting "in the United
    States" may be the one "in Washington D.C.", where two cities are two meetings."""
    anchors = article_anchors(mentions, published)
    # An undated article that reports an event as held was written on or after it: its anchor (the
    # latest such day) is a floor, not its date.
    floors = frozenset(
        m.article_id
        for m in mentions
        if published.get(m.article_id) is None and m.status != "planned" and m.start is not None
    )
    first = _resolve_once(mentions, anchors, geography, floors)
    # An undated article that reports a dated event (round 5, 12–14 November 2025) was written on or
    # after it: its other dates take their year from the latest such day ("Chiều 14/11" is 14
    # November 2025), and it may report later events than that day, never earlier ones as news.
    learned = dict(anchors)
    learned_floors = set(floors)
    for cluster in first.clusters:
        day = cluster.canonical.start_date if cluster.canonical else None
        if day is None:
            day = _day_between_neighbours(cluster, first.clusters)
        if day is None:
            continue
        for m in cluster.mentions:
            if anchors.get(m.article_id) is None and (m.number is not None or m.start is not None):
                known = learned.get(m.article_id)
                learned[m.article_id] = day if known is None else max(known, day)
                if m.status != "planned":
                    learned_floors.add(m.article_id)  # reported as held: written on or after that day
    if learned == anchors:
        return first
    return _resolve_once(mentions, learned, geography, frozenset(learned_floors))


def _day_between_neighbours(cluster: Cluster, clusters: list[Cluster]) -> date | None:
    """The year a numbered event's sources leave out, from its neighbours in number: round 3 "on
    9 June", after round 2 of 19 May 2025, is 9 June 2025 — the first such day after the round before
    it (or the last before the round after it), as rounds follow each other within months."""
    canon = cluster.canonical
    if canon is None or canon.number is None or canon.start is None or canon.start.year is not None:
        return None
    after, before = _dated_neighbours(cluster.kind, canon.number, clusters)
    if after is None and before is None:
        return None
    if after is not None:
        years = range(after.year, after.year + 2)
    else:
        assert before is not None
        years = range(before.year, before.year - 2, -1)
    for year in years:
        day = PartialDate(canon.start.day, canon.start.month, year).resolved()
        if day is None:
            continue
        if (after is None or day >= after - timedelta(DAY_TOLERANCE)) and (
            before is None or day <= before + timedelta(DAY_TOLERANCE)
        ):
            return day
    return None


def _resolve_once(
    mentions: list[Mention],
    anchors: dict[str, date | None],
    geography: Geography = NO_GEOGRAPHY,
    floors: frozenset[str] = frozenset(),
) -> Resolution:
    """One pass of `resolve`; `floors`: the articles whose anchor is only the latest day they report."""
    completed = sorted((_complete(m, anchors.get(m.article_id)) for m in mentions), key=_strength)
    clusters: list[Cluster] = []
    unresolved: list[Mention] = []
    by_number: dict[tuple[str, int], Cluster] = {}
    by_kind: dict[str, list[Cluster]] = defaultdict(list)
    for m in completed:
        anchor = anchors.get(m.article_id)
        best: tuple[float, int, Cluster] | None = None
        numbered = by_number.get((m.kind, m.number)) if m.number is not None else None
        pool = (
            [numbered]
            if numbered is not None
            else [c for kind in (m.kind, *_SESSION_KINDS.get(m.kind, ())) for c in by_kind[kind]]
        )
        fitting = 0
        for order, c in enumerate(pool):
            bounds = _ordinal_bounds(c, by_number) if m.number is None else (None, None)
            score = _fits(m, anchor, c, bounds, geography, m.article_id in floors)
            if score is None:
                continue
            fitting += 1
            if best is None or (score, -order) > (best[0], -best[1]):
                best = (score, order, c)
        weak = _is_weak(m, anchor)
        if weak and fitting > 1 or fitting and m.start is None and _one_sided(m):
            # Nothing places it (no number, no date, an undated article) and it could be more than
            # one event; or, undated, it names one side only ("a working session with the US Deputy
            # Minister", "Trump spoke with Vietnam's leader"): of the meetings known of its people it
            # could be any, or one not known yet. It waits, unresolved, rather than be guessed, and
            # founds a row only where none is known.
            unresolved.append(m)
            continue
        if best is None:
            cluster = Cluster(m.kind, m, tentative=weak)
            clusters.append(cluster)
            by_kind[m.kind].append(cluster)
        else:
            cluster = best[2]
            cluster.tentative = cluster.tentative and weak
        cluster.add(m, anchor, anchors, floor=m.article_id in floors)
        if cluster.canonical is not None and cluster.canonical.number is not None and cluster.kind == m.kind:
            by_number.setdefault((cluster.kind, cluster.canonical.number), cluster)
    return Resolution(clusters, unresolved)


def stable_ids(
    clusters: list[Cluster],
    previous: dict[str, str | None],
    announced: set[str] = frozenset(),  # type: ignore[assignment]
) -> list[str]:
    """An id for each cluster: the id most of its mentions had before (each old id goes to one
    cluster, the one that keeps most of its mentions; an announced id before one not yet
    announced, so that a merge announces nothing again), else a new one from its founder."""
    overlaps: list[tuple[bool, int, str, int]] = []
    for index, cluster in enumerate(clusters):
        counts: dict[str, int] = defaultdict(int)
        for m in cluster.mentions:
            old = previous.get(m.mention_id)
            if old is not None:
                counts[old] += 1
        overlaps.extend((old not in announced, -n, old, index) for old, n in counts.items())
    chosen: dict[int, str] = {}
    used: set[str] = set()
    taken = {old for old in previous.values() if old is not None}
    for _, _, old, index in sorted(overlaps):
        if index not in chosen and old not in used:
            chosen[index] = old
            used.add(old)
    ids = []
    for i, cluster in enumerate(clusters):
        event_id = chosen.get(i)
        if event_id is None:
            # A new event is named by its founder; a name another event holds is not taken again
            # (the founder of an old event may now found another one).
            event_id, salt = event_id_for(cluster.kind, cluster.founder), 0
            while event_id in used or event_id in taken:
                salt += 1
                event_id = event_id_for(cluster.kind, cluster.founder, salt)
            used.add(event_id)
        ids.append(event_id)
    return ids


# --- I/O ---------------------------------------------------------------------------------------

# An article's date is its own, or else the earliest of its copies' (a reprint that kept the
# dateline its original lost): which copy came first must not change what the story says.
_MENTION_COLUMNS = """m.mention_id, m.article_id, m.kind, m.number, m.mode, m.status, m.start_text, m.end_text,
    m.location, m.vn_side, m.us_side, m.topics, a.first_seen_at, m.position, m.event_id,
    coalesce(a.published, (SELECT min(d.published) FROM article d WHERE d.duplicate_of = a.article_id)),
    m.unresolved"""


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


def merge_pending(conn: duckdb.DuckDBPyConnection, run_id: str, now: datetime, geography: Geography) -> MergeResult:
    """Resolve the events of the watch again from all their mentions, when any mention is new, and
    store the result: events keep their ids (and their announcements) through re-resolution; an
    event found to be another one's is retired into it (`event_retired`)."""
    rows = conn.execute(
        f"SELECT {_MENTION_COLUMNS} FROM event_mention m JOIN article a USING (article_id)"
        " WHERE a.relevant AND a.duplicate_of IS NULL"
    ).fetchall()
    pending = [row for row in rows if row[14] is None and not row[16]]
    # The events are a function of the mentions and their articles' dates: resolve again when they
    # change (new mentions, or a copy that brings its original the date it lacked), and only then.
    signature = hashlib.sha256(repr((sorted((row[0], row[15]) for row in rows), geography.key())).encode()).hexdigest()
    last = conn.execute("SELECT signature FROM event_resolution ORDER BY resolved_at DESC LIMIT 1").fetchone()
    if not pending and last is not None and last[0] == signature:
        return MergeResult(0, [], [])
    mentions = [_mention(row) for row in rows]
    published = {row[1]: row[15] for row in rows}
    previous = {row[0]: row[14] for row in rows}
    stored = {
        row[0]: list(row[1:])
        for row in conn.execute(
            """SELECT event_id, kind, number, mode, status, start_date, end_date, start_text, end_text,
                      location, vn_side, us_side, topics, conflicts, tentative FROM event"""
        ).fetchall()
    }
    announced = {r[0] for r in conn.execute("SELECT event_id FROM event WHERE digest_id IS NOT NULL").fetchall()}
    resolution = resolve(mentions, published, geography)
    clusters = resolution.clusters
    ids = stable_ids(clusters, previous, announced)
    new_ids, updated_ids = [], []
    assignment: dict[str, str] = {}
    for event_id, cluster in sorted(zip(ids, clusters, strict=True), key=lambda pair: pair[0]):
        canonical = cluster.canonical
        assert canonical is not None
        for m in cluster.mentions:
            assignment[m.mention_id] = event_id
        if event_id not in stored:
            _insert_event(conn, event_id, canonical, cluster.tentative, run_id, now)
            new_ids.append(event_id)
        elif stored[event_id] != _event_values(canonical, cluster.tentative):
            _update_event(conn, event_id, canonical, cluster.tentative, run_id, now)
            updated_ids.append(event_id)
    _retire(conn, set(stored) - set(ids), previous, assignment, run_id, now)
    changed = [mid for mid, eid in assignment.items() if previous.get(mid) != eid]
    conn.execute(
        """UPDATE event_mention SET event_id = u.event_id, unresolved = false
           FROM (SELECT unnest(?) AS mention_id, unnest(?) AS event_id) u
           WHERE event_mention.mention_id = u.mention_id""",
        [changed, [assignment[mid] for mid in changed]],
    )
    conn.execute(
        "UPDATE event_mention SET event_id = NULL, unresolved = true WHERE mention_id IN (SELECT unnest(?))",
        [[m.mention_id for m in resolution.unresolved]],
    )
    conn.execute("INSERT INTO event_resolution VALUES (?, ?, ?)", [signature, run_id, now])
    LOGGER.info(
        "resolved %d mentions (%d new): %d events, %d new, %d updated",
        len(mentions),
        len(pending),
        len(clusters),
        len(new_ids),
        len(updated_ids),
    )
    return MergeResult(len(pending), new_ids, updated_ids)


def _retire(
    conn: duckdb.DuckDBPyConnection,
    gone: set[str],
    previous: dict[str, str | None],
    assignment: dict[str, str],
    run_id: str,
    now: datetime,
) -> None:
    """Events whose mentions now belong to other events: recorded with the event that took most of
    them, and removed. What was announced of them stays announced: the event they went into
    inherits the announcement, so that nothing is announced twice."""
    for event_id in sorted(gone):
        into: dict[str, int] = defaultdict(int)
        for mid, old in previous.items():
            if old == event_id and mid in assignment:
                into[assignment[mid]] += 1
        target = max(sorted(into), key=lambda e: into[e]) if into else None
        conn.execute(
            "INSERT INTO event_retired (event_id, merged_into, run_id, retired_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT DO NOTHING",
            [event_id, target, run_id, now],
        )
        if target is not None:
            conn.execute(
                """UPDATE event SET digest_id = coalesce(event.digest_id, o.digest_id),
                          announced_facts = coalesce(event.announced_facts, o.announced_facts),
                          announced_at = coalesce(event.announced_at, o.announced_at)
                   FROM (SELECT digest_id, announced_facts, announced_at FROM event WHERE event_id = ?) o
                   WHERE event.event_id = ?""",
                [event_id, target],
            )
        conn.execute("UPDATE event_mention SET event_id = NULL WHERE event_id = ?", [event_id])
        conn.execute("DELETE FROM event WHERE event_id = ?", [event_id])


def _event_values(c: Canonical, tentative: bool) -> list[object]:
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
        tentative,
    ]


def _insert_event(
    conn: duckdb.DuckDBPyConnection, event_id: str, c: Canonical, tentative: bool, run_id: str, now: datetime
) -> None:
    conn.execute(
        """INSERT INTO event (event_id, kind, number, mode, status, start_date, end_date, start_text, end_text,
             location, vn_side, us_side, topics, conflicts, tentative, first_seen_at, updated_at, first_run_id,
             updated_run_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [event_id, *_event_values(c, tentative), now, now, run_id, run_id],
    )


def _update_event(
    conn: duckdb.DuckDBPyConnection, event_id: str, c: Canonical, tentative: bool, run_id: str, now: datetime
) -> None:
    conn.execute(
        """UPDATE event SET kind = ?, number = ?, mode = ?, status = ?, start_date = ?, end_date = ?,
             start_text = ?, end_text = ?, location = ?, vn_side = ?, us_side = ?, topics = ?, conflicts = ?,
             tentative = ?,
             updated_at = ?, updated_run_id = ?
           WHERE event_id = ?""",
        [*_event_values(c, tentative), now, run_id, event_id],
    )
