"""Fold the candidates of one article into its events: one event per real event it reports.

A headline, a caption and three sentences of the body may all speak of the same round; an
anaphoric "the meeting" takes its facts to the session the next sentence names.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

from parsers.dates import MONTHS_EN
from parsers.geography import NO_GEOGRAPHY, Geography
from parsers.models import Event, PartialDate

if TYPE_CHECKING:
    from parsers.events import Candidate

_PEOPLE_KINDS = ("meeting", "call", "ministerial_session", "statement")
# "the next round", "vòng đàm phán tiếp theo": another round than the one under way.
_NEXT_BEFORE = re.compile(r"\b(?:next|upcoming|following|subsequent)\s+(?:[\w-]+\s+){0,2}$", re.IGNORECASE)
NEXT_AFTER = re.compile(r"\s+(?:tiếp\s+theo|kế\s+tiếp|sắp\s+tới|tới)\b", re.IGNORECASE)
_SENTENCE, _NEARBY = 2, 0  # parsers.events.SENTENCE, NEARBY


def _top(people: dict[str, int]) -> set[str]:
    best = max(people.values(), default=None)
    return {name for name, strength in people.items() if strength == best}


def _named(people: dict[str, int]) -> set[str]:
    """People named in the sentence itself: only they can tell two events apart."""
    return {name for name, strength in people.items() if strength == _SENTENCE}


def _same_day(a: PartialDate | None, b: PartialDate | None) -> bool:
    if a is None or b is None:
        return True
    if (a.month, a.day) != (b.month, b.day):
        return False
    return a.year is None or b.year is None or a.year == b.year


def _days_apart(a: PartialDate | None, b: PartialDate | None) -> bool:
    """Two days that cannot be one event's, even a day apart in time zones."""
    if a is None or b is None or a.year is not None and b.year is not None and a.year != b.year:
        return a is not None and b is not None
    day_a, day_b = PartialDate(a.day, a.month, 2000).resolved(), PartialDate(b.day, b.month, 2000).resolved()
    return day_a is not None and day_b is not None and abs((day_a - day_b).days) > 1


def _overlap(
    a_start: PartialDate | None, a_end: PartialDate | None, b_start: PartialDate | None, b_end: PartialDate | None
) -> bool:
    """Two spans of days that share one (a round reported "from 10 to 13 March" and "on Friday")."""
    if a_start is None or b_start is None:
        return True
    years = {d.year for d in (a_start, a_end, b_start, b_end) if d is not None and d.year is not None}
    if len(years) > 1:
        return False
    a_last, b_last = a_end or a_start, b_end or b_start
    return (a_start.month, a_start.day) <= (b_last.month, b_last.day) and (b_start.month, b_start.day) <= (
        a_last.month,
        a_last.day,
    )


class _Group:
    """The candidates of one event, with what `accepts` asks of them kept up to date as they join
    (an article of a thousand sentences about one round must not be walked a thousand times)."""

    def __init__(self, first: Candidate):
        self.members: list[Candidate] = []
        self._number: int | None = None
        self._dates: tuple[PartialDate | None, PartialDate | None] = (None, None)
        self._mode: str | None = None
        self._status: tuple[int, str] | None = None
        self._people: dict[str, dict[str, int]] = {"vn": {}, "us": {}}
        self.add(first)

    def add(self, cand: Candidate) -> None:
        self.members.append(cand)
        if self._number is None and cand.number is not None:
            self._number = cand.number
        if self._dates[0] is None and cand.start is not None:
            self._dates = (cand.start, cand.end)
        if self._mode is None and cand.mode_explicit:
            self._mode = cand.mode
        if not cand.bare and (self._status is None or cand.status_rank > self._status[0]):
            self._status = (cand.status_rank, cand.status)
        # A bare mention's neighbours are not its people; but "a new round ..., led by Minister Dien"
        # says who leads the round.
        named_apart = cand.bare or cand.generic or cand.anaphoric
        for side in ("vn", "us"):
            merged = self._people[side]
            for name, strength in cand.people[side].items():
                if not named_apart or name in cand.leaders:
                    merged[name] = max(strength, merged.get(name, -1))

    @property
    def head(self) -> Candidate:
        return self.members[0]

    def first(self, attr: str) -> object:
        return next((getattr(m, attr) for m in self.members if getattr(m, attr) is not None), None)

    def dates(self) -> tuple[PartialDate | None, PartialDate | None]:
        return self._dates

    def dated(self, day: PartialDate | None) -> None:
        """The day the article gives it indirectly ("on the last day of the round")."""
        self._dates = (day, None)

    def people(self, side: str) -> dict[str, int]:
        return self._people[side]

    def explicit_mode(self) -> str | None:
        return self._mode

    def status(self) -> str:
        return self._status[1] if self._status is not None else self.head.status

    def _status_rank(self) -> int:
        return self._status[0] if self._status is not None else self.head.status_rank

    def accepts(self, cand: Candidate, geography: Geography) -> bool:
        head = self.head
        if cand.kind != head.kind:
            return False
        number = self._number
        if number is not None and cand.number is not None and number != cand.number:
            return False
        start, end = self.dates()
        if not (_same_day(start, cand.start) or cand.kind == "round" and _overlap(start, end, cand.start, cand.end)):
            return False
        if cand.kind == "round" and cand.start is None and start is not None and _early_in_another_time(cand, start):
            return False
        mode = self.explicit_mode()
        if mode and cand.mode_explicit and cand.mode != mode:
            return False
        if cand.kind in ("meeting", "ministerial_session") and "online" not in (mode, cand.mode):
            location = self.first("location")
            if isinstance(location, str) and geography.apart(location, cand.location):
                return False  # "discussions held earlier in Malaysia" is not the working session in Washington
        # Planned and under way may be one round (announced for 12-14/11, "gets underway" on the 12th),
        # unless one is "the next"; planned and held are two, unless their days say otherwise.
        statuses = {self.status(), cand.status}
        if "agreed" in statuses and len(statuses) > 1:
            return False  # the text the negotiators settled is not its issue, nor the deal announced
        # A meeting "held" only because nothing said otherwise is not apart from its plan: "dự kiến
        # sẽ có cuộc hội đàm vào hôm nay (9/4) với Bessent" and "sau cuộc gặp với Bessent, ông ...".
        unsaid = cand.kind in ("meeting", "call") and (
            cand.status == "held" and cand.status_rank == 0 or self.status() == "held" and self._status_rank() == 0
        )
        apart = (
            statuses == {"planned", "held"}
            and not unsaid
            or statuses == {"planned", "ongoing"}
            and (_is_next(cand) or any(_is_next(member) for member in self.members))
        )
        same_number = number is not None and cand.number == number
        if apart and not (cand.bare or same_number or start and cand.start):
            return False
        if cand.kind in ("meeting", "call") and cand.by_role != head.by_role and (start is None or cand.start is None):
            return False  # "the minister's call" is the call with Tô Lâm only if their days say so
        return not (cand.kind in _PEOPLE_KINDS and _named_apart(self._people, cand.people))


# "từ đầu tháng 5", "Earlier this May", "in early April": the first days of a month.
_EARLY_IN = re.compile(
    r"\b(?:đầu\s+tháng\s+(?P<vi>\d{1,2})\b|(?:early|earlier\s+this|earlier\s+in|beginning\s+of|start\s+of)\s+"
    rf"(?P<en>{'|'.join(month for month in MONTHS_EN if len(month) > 3 or month == 'may')})\b)",
    re.IGNORECASE,
)
EARLY_DAYS = 10
LEAD_REACH = 3  # paragraphs: how far "the meeting" looks back for the lead that dated it


@lru_cache(maxsize=256)
def _early_month(sentence: str) -> int | None:
    m = _EARLY_IN.search(sentence)
    if m is None:
        return None
    return int(m["vi"]) if m["vi"] else MONTHS_EN[m["en"].casefold()]


def _early_in_another_time(cand: Candidate, start: PartialDate) -> bool:
    """ "The technical delegation arrived in the US earlier this May", in a report of the round of
    19–22 May: an earlier round than the one the article dates."""
    month = _early_month(cand.sentence)
    return month is not None and (month != start.month or start.day > EARLY_DAYS)


def _is_next(cand: Candidate) -> bool:
    text = cand.sentence
    return bool(
        _NEXT_BEFORE.search(text[max(0, cand.trigger_start - 30) : cand.trigger_start])
        or NEXT_AFTER.match(text, cand.trigger_end)
    )


def _named_apart(people: dict[str, dict[str, int]], others: dict[str, dict[str, int]]) -> bool:
    """The two name someone of one side each, in their own sentences, and no one in common."""
    for side in ("vn", "us"):
        mine, theirs = _named(people[side]), _named(others[side])
        if mine and theirs and not mine & theirs:
            return True
    return False


def _absorb_anaphora(cands: list[Candidate]) -> list[Candidate]:
    """A meeting or call that refers back ("At the meeting, ...", "sau cuộc điện đàm này"), or whose
    participants all come from its paragraph ("the special meeting on 12/6"), is the event another
    sentence names: give that one its date and place, and found no event of its own."""
    kept: list[Candidate] = []
    by_paragraph: dict[int, list[Candidate]] = {}
    for other in cands:
        if other.kind in ("meeting", "call", "ministerial_session") and not other.anaphoric and other.explicit_sides():
            by_paragraph.setdefault(other.paragraph_index, []).append(other)
    for cand in cands:
        refers_back = cand.anaphoric or cand.explicit_sides() == 0
        if cand.kind not in ("meeting", "call") or not refers_back:
            kept.append(cand)
            continue
        reach = range(cand.paragraph_index - 2, cand.paragraph_index + 3) if cand.anaphoric else [cand.paragraph_index]
        near = [
            other
            for index in reach
            for other in by_paragraph.get(index, ())
            if other is not cand
            and other.kind in ("meeting", "call", "ministerial_session")
            and not other.anaphoric
            and other.explicit_sides() > 0
            # "Greer held a virtual talk with Dien, following Trump's call with To Lam": in one
            # sentence, a back-reference naming others refers to another event than this one.
            and not (other.position == cand.position and _named_apart(cand.people, other.people))
            and (
                other.paragraph_index == cand.paragraph_index
                or cand.anaphoric
                and abs(cand.paragraph_index - other.paragraph_index) <= 2
            )
        ]
        # "the first in-person session ... following the online meeting on April 12": a day of its
        # own is another event than the one the sentence is about.
        hosts = [other for other in near if not _days_apart(cand.start, other.start)]
        if not hosts:
            if not cand.anaphoric:
                kept.append(cand)  # its people are its paragraph's: nothing else it could be
            elif cand.explicit_sides() == 2:
                # "At the meeting between A and B ..." opens the story, or goes on with the meeting a
                # lead named without its people ("a ... meeting held in Washington on April 10").
                kept.append(_with_its_lead(replace(cand, anaphoric=False), cands))
            elif near and cand.start is not None:
                # An earlier meeting of the same two sides, compared with the one the text reports.
                source = min(near, key=lambda o: abs(o.position - cand.position))
                people = {side: {name: _NEARBY for name in _named(source.people[side])} for side in ("vn", "us")}
                kept.append(replace(cand, anaphoric=False, people=people))
            continue
        # The event with the people it names, if there is one; else the nearest ("At the meeting, the
        # Prime Minister conveyed To Lam's invitation" names whom the meeting spoke of).
        host = min(
            hosts,
            key=lambda o: (
                _named_apart(cand.people, o.people),
                o.position > cand.position,
                abs(o.position - cand.position),
            ),
        )
        if host.start is None and cand.start is not None:
            host.start, host.end = cand.start, cand.end
            host.status, host.status_rank = max((host.status_rank, host.status), (cand.status_rank, cand.status))[::-1]
        if host.location is None:
            host.location = cand.location
        if cand.attending:
            for side in ("vn", "us"):  # "Tham dự điện đàm có ...": the attendees take part in it
                for name in cand.people[side]:
                    host.people[side].setdefault(name, cand.people[side][name])
    return kept


def _with_its_lead(cand: Candidate, cands: list[Candidate]) -> Candidate:
    """ "The meeting took place between Phoc and Greer", after "a bilateral economic and trade meeting
    held in Washington on April 10": the day and place the lead gave the meeting, where it named no
    one, no other meeting came between, and this sentence gives none of its own."""
    if cand.start is not None and cand.location is not None:
        return cand
    before = [
        o
        for o in cands
        if o.kind == cand.kind and o.position < cand.position and cand.paragraph_index - o.paragraph_index <= LEAD_REACH
    ]
    if not before:
        return cand
    lead = max(before, key=lambda o: o.position)
    if not lead.anaphoric or lead.explicit_sides() or _days_apart(cand.start, lead.start):
        return cand
    if cand.start is None and lead.start is not None:
        cand = replace(cand, start=lead.start, end=lead.end)
    if cand.location is None and lead.location is not None:
        cand = replace(cand, location=lead.location)
    return cand


def _inherit_round_location(groups: list[_Group]) -> None:
    """A meeting held during a round, with no place of its own, was held where the round was."""
    rounds = [g for g in groups if g.head.kind == "round" and g.first("location") and g.dates()[0]]
    for group in groups:
        if group.head.kind not in ("meeting", "call") or group.first("location"):
            continue
        start, _ = group.dates()
        if start is None:
            continue
        for rnd in rounds:
            r_start, r_end = rnd.dates()
            assert r_start is not None
            r_end = r_end or r_start
            if (r_start.month, r_start.day) <= (start.month, start.day) <= (r_end.month, r_end.day) and (
                start.year is None or r_start.year is None or start.year == r_start.year
            ):
                group.head.location = str(rnd.first("location"))
                break


# "vào buổi chiều ngày làm việc cuối cùng", "on the final day of the talks": a day of the round.
_LAST_DAY = re.compile(
    r"\b(?:(?:ngày|buổi\s+chiều|buổi\s+sáng)\s+(?:làm\s+việc\s+|đàm\s+phán\s+)?cuối\s+cùng|"
    r"(?:final|last)\s+(?:working\s+)?(?:day|afternoon|morning))\b",
    re.IGNORECASE,
)
_FIRST_DAY = re.compile(r"\b(?:ngày\s+(?:làm\s+việc\s+|đàm\s+phán\s+)?đầu\s+tiên|first\s+day)\b", re.IGNORECASE)


def _days_of_the_round(groups: list[_Group]) -> None:
    """A meeting or session "on the last day", in an article about one dated round, took place on
    that round's last day (on its first, "on the first day")."""
    rounds = [g for g in groups if g.head.kind == "round" and g.dates()[0] is not None]
    if len(rounds) != 1:
        return
    first, last = rounds[0].dates()
    for group in groups:
        if group.head.kind == "round" or group.dates()[0] is not None:
            continue
        for member in group.members:
            near = member.sentence[max(0, member.trigger_start - 80) : member.trigger_end]
            if last is not None and _LAST_DAY.search(near):
                group.dated(last)
                break
            if _FIRST_DAY.search(near):
                group.dated(first)
                break


def _calls_before_announcements(groups: list[_Group]) -> None:
    """ "I have just made a Trade Deal with Vietnam after speaking with To Lam": an undated call that
    led to an announcement took place the day of that announcement, when the article dates it."""
    statements = [g for g in groups if g.head.kind == "statement" and g.dates()[0] is not None]
    for group in groups:
        if group.head.kind != "call" or group.dates()[0] is not None:
            continue
        positions = {m.position for m in group.members if m.led_to_news}
        announced = [g for g in statements if positions & {m.position for m in g.members}]
        days = {g.dates()[0] for g in announced}
        if len(days) == 1:
            group.dated(days.pop())


def _sessions_absorb_meetings(groups: list[_Group]) -> list[_Group]:
    """ "Cuộc làm việc giữa Bộ trưởng Diên và ... Greer chiều 10/11" and "phiên đàm phán cấp Bộ trưởng
    ngày 10/11" in one article are one session: a meeting or call on the day of a ministerial
    session, between people of both sides who take part in it, is that session."""
    sessions = [g for g in groups if g.head.kind == "ministerial_session"]
    kept = []
    for group in groups:
        start, _ = group.dates()
        host = None
        if group.head.kind in ("meeting", "call") and start is not None:
            # An undated session in the article is the meeting's day's only if it is the only one.
            undated_ok = len(sessions) == 1
            host = next(
                (
                    s
                    for s in sessions
                    if (_same_day(s.dates()[0], start) if s.dates()[0] is not None else undated_ok)
                    and all(_named(group.people(side)) & set(s.people(side)) for side in ("vn", "us"))
                    and not (s.explicit_mode() and group.explicit_mode() and s.explicit_mode() != group.explicit_mode())
                ),
                None,
            )
        if host is None:
            kept.append(group)
        else:
            for member in group.members:
                host.add(member)
    return kept


def _trip_location(
    groups: list[_Group], trips: Sequence[tuple[str, frozenset[str]]], geography: Geography, dateline: str | None
) -> None:
    """A meeting with no place of its own was held where the article says one of its people went
    ("met with Secretary Bessent" ... "during Phoc's visit to the United States")."""
    for group in groups:
        if group.head.kind not in ("meeting", "ministerial_session") or group.first("location"):
            continue
        if group.explicit_mode() == "online":
            continue
        people = {name for side in ("vn", "us") for name in _top(group.people(side))}
        places = sorted({place for place, names in trips if names & people})
        if not places or any(geography.apart(a, b) for a in places for b in places):
            continue  # nowhere said, or two trips: which one is not said
        cities = [p for p in places if p not in geography.countries]
        place = cities[0] if cities else places[0]
        if dateline is not None and not geography.apart(place, dateline):
            place = dateline  # "WASHINGTON DC — ... during his visit to the United States"
        group.head.location = place


def _dateline_location(groups: list[_Group], dateline: str | None) -> None:
    """A report datelined abroad ("WASHINGTON DC — ...") was filed where its events happen: an
    event the text gives no place takes the dateline's (a call happens nowhere)."""
    if dateline is None:
        return
    for group in groups:
        if group.head.kind in ("call", "statement") or group.first("location"):
            continue
        group.head.location = dateline


def consolidate(
    cands: list[Candidate],
    dateline: str | None = None,
    geography: Geography = NO_GEOGRAPHY,
    trips: Sequence[tuple[str, frozenset[str]]] = (),
) -> list[Event]:
    """Fold an article's candidates into its events. `trips`: where the people it names travel
    (place, names), for meetings that give no place of their own."""
    cands = _absorb_anaphora(cands)
    groups: list[_Group] = []
    for cand in sorted(cands, key=lambda c: c.specificity(), reverse=True):
        target = next((g for g in groups if g.accepts(cand, geography)), None)
        if target is not None:
            target.add(cand)
        elif not cand.bare:
            groups.append(_Group(cand))
    _days_of_the_round(groups)
    _calls_before_announcements(groups)
    groups = _sessions_absorb_meetings(groups)
    _inherit_round_location(groups)
    _trip_location(groups, trips, geography, dateline)
    _dateline_location(groups, dateline)
    events = [_to_event(g) for g in groups]
    return sorted(events, key=lambda e: (e.position, e.kind))


def _to_event(group: _Group) -> Event:
    head = group.head
    start, end = group.dates()
    number = group.first("number")
    location = group.first("location")
    sides = {}
    for side in ("vn", "us"):
        sides[side] = tuple(sorted(_top(group.people(side))))
    topics: set[str] = set()
    for m in group.members:
        topics |= m.topics
    return Event(
        kind=head.kind,
        number=number if isinstance(number, int) else None,
        mode=group.explicit_mode() or head.mode,
        status=group.status(),
        start=start,
        end=end,
        location=location if isinstance(location, str) else None,
        vn_side=sides["vn"],
        us_side=sides["us"],
        topics=tuple(sorted(topics)),
        evidence=head.sentence,
        position=head.position,
        from_caption=head.from_caption,
    )
