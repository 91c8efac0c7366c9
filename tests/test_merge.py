"""Merging mentions into events, as pure functions: one real event is one row."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from parsers.events import extract_events
from parsers.seedfile import parse_seed_file
from tests.conftest import SEEDS
from warehouse.merge import EventState, Mention, assign, parse_partial

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def seed_mentions(profile) -> tuple[list[Mention], dict[str, date | None]]:
    mentions, published = [], {}
    for i, path in enumerate(sorted(SEEDS.glob("*.txt"))):
        article = parse_seed_file(path.name, path.read_text(encoding="utf-8"))
        published[path.name] = article.published
        for j, e in enumerate(extract_events(article, profile).events):
            mentions.append(
                Mention(
                    mention_id=f"{path.name}#{j}",
                    article_id=path.name,
                    kind=e.kind,
                    number=e.number,
                    mode=e.mode,
                    status=e.status,
                    start=e.start,
                    end=e.end,
                    location=e.location,
                    vn_side=frozenset(e.vn_side),
                    us_side=frozenset(e.us_side),
                    topics=frozenset(e.topics),
                    first_seen=T0 + timedelta(seconds=i),
                    position=e.position,
                )
            )
    return mentions, published


def facts(events: dict[str, EventState]) -> set[tuple]:
    out = set()
    for e in events.values():
        c = e.canonical
        out.add(
            (
                c.kind,
                c.number,
                c.start_date,
                c.end_date,
                c.location,
                c.vn_side,
                c.us_side,
                c.status,
                frozenset(m.mention_id for m in e.mentions),
            )
        )
    return out


def test_the_seeds_give_each_real_event_once(profile):
    mentions, published = seed_mentions(profile)
    events: dict[str, EventState] = {}
    assign(mentions, events, published)
    by_ref = {}
    for e in events.values():
        c = e.canonical
        by_ref.setdefault((c.kind, c.number), []).append(e)
    (round5,) = by_ref[("round", 5)]
    assert {m.article_id[:3] for m in round5.mentions} == {"000", "002", "003"}
    assert (round5.canonical.start_date, round5.canonical.end_date) == (date(2025, 11, 12), date(2025, 11, 14))
    assert round5.canonical.location == "Washington D.C."
    (m8,) = by_ref[("ministerial_session", 8)]
    assert {m.article_id[:3] for m in m8.mentions} == {"000", "002", "003"}
    assert len(events) == 11  # the labelled event_refs of ../shared/eval/seeds-gold.jsonl


def test_a_year_the_text_leaves_out_comes_from_the_events_it_sits_with(profile):
    mentions, published = seed_mentions(profile)
    events: dict[str, EventState] = {}
    assign(mentions, events, published)
    helberg = [
        e.canonical
        for e in events.values()
        if e.canonical.us_side == ("Jacob Helberg",) and e.canonical.vn_side == ("Nguyễn Hồng Diên",)
    ]
    assert [c.start_date for c in helberg] == [date(2025, 11, 14)]


def test_any_order_of_arrival_gives_the_same_events(profile):
    mentions, published = seed_mentions(profile)
    reference: dict[str, EventState] = {}
    assign(list(mentions), reference, published)
    for seed in range(5):
        shuffled = list(mentions)
        random.Random(seed).shuffle(shuffled)
        events: dict[str, EventState] = {}
        assign(shuffled, events, published)
        assert facts(events) == facts(reference)


def test_one_article_at_a_time_gives_the_same_events(profile):
    """Articles arriving run after run merge as they would in one batch."""
    mentions, published = seed_mentions(profile)
    batch: dict[str, EventState] = {}
    assign(list(mentions), batch, published)
    incremental: dict[str, EventState] = {}
    for article_id in sorted(published, reverse=True):
        assign([m for m in mentions if m.article_id == article_id], incremental, published)
    assert facts(incremental) == facts(batch)


def test_a_later_mention_of_an_old_event_is_a_mention_not_an_event(profile):
    mentions, published = seed_mentions(profile)
    events: dict[str, EventState] = {}
    assign(mentions, events, published)
    later = Mention(
        mention_id="later#0",
        article_id="later",
        kind="round",
        number=5,
        mode="in_person",
        status="held",
        start=None,
        end=None,
        location=None,
        vn_side=frozenset(),
        us_side=frozenset(),
        topics=frozenset(),
        first_seen=T0 + timedelta(days=90),
        position=0,
    )
    before = len(events)
    assigned = assign([later], events, {**published, "later": date(2026, 3, 1)})
    assert len(events) == before
    assert events[assigned["later#0"]].canonical.number == 5


def test_partial_dates_round_trip():
    assert parse_partial("--11-14").iso_partial() == "--11-14"
    assert parse_partial("2025-11-14").resolved() == date(2025, 11, 14)
    assert parse_partial(None) is None


HELD_LATER = Mention(
    mention_id="later#0",
    article_id="later",
    kind="ministerial_session",
    number=None,
    mode="online",
    status="held",
    start=parse_partial("2025-11-20"),
    end=None,
    location=None,
    vn_side=frozenset({"Nguyễn Hồng Diên"}),
    us_side=frozenset({"Jamieson Greer"}),
    topics=frozenset(),
    first_seen=T0 + timedelta(days=30),
    position=0,
)


def _online_sessions(events):
    return [
        e.canonical
        for e in events.values()
        if e.canonical.kind == "ministerial_session"
        and e.canonical.mode == "online"
        and e.canonical.us_side == ("Jamieson Greer",)
    ]


def test_a_planned_session_that_happens_becomes_held(profile):
    mentions, published = seed_mentions(profile)
    published = {**published, "later": date(2025, 11, 21)}
    incremental: dict[str, EventState] = {}
    assign(mentions, incremental, published)
    assert [c.status for c in _online_sessions(incremental)] == ["planned"]
    assign([HELD_LATER], incremental, published)
    batch: dict[str, EventState] = {}
    assign([*mentions, HELD_LATER], batch, published)
    for events in (incremental, batch):
        (session,) = _online_sessions(events)
        assert (session.status, session.start_date) == ("held", date(2025, 11, 20))


def test_two_dates_for_one_numbered_round_are_a_conflict_not_two_rounds():
    def mention(mid: str, start: str, end: str) -> Mention:
        return Mention(
            mention_id=mid,
            article_id=mid,
            kind="round",
            number=6,
            mode="in_person",
            status="held",
            start=parse_partial(start),
            end=parse_partial(end),
            location=None,
            vn_side=frozenset(),
            us_side=frozenset(),
            topics=frozenset(),
            first_seen=T0,
            position=0,
        )

    events: dict[str, EventState] = {}
    assign(
        [
            mention("a", "2026-02-02", "2026-02-05"),
            mention("b", "2026-02-02", "2026-02-05"),
            mention("c", "2026-02-09", "2026-02-12"),
        ],
        events,
        {"a": None, "b": None, "c": None},
    )
    (event,) = events.values()
    assert event.canonical.conflicts == ("start",)
    assert event.canonical.start_date == date(2026, 2, 2)  # two sources against one
