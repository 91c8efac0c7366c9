"""Merging mentions into events, as pure functions: one real event is one row."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from parsers.events import extract_events
from parsers.geography import Geography
from parsers.seedfile import parse_seed_file
from tests.conftest import SEEDS
from warehouse.merge import Cluster, Mention, parse_partial, resolve

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def seed_mentions(profile) -> tuple[list[Mention], dict[str, date | None]]:
    mentions, published = [], {}
    for i, path in enumerate(sorted(SEEDS.glob("*.txt"))):
        article = parse_seed_file(path.name, path.read_text(encoding="utf-8"))
        published[path.name] = article.published
        for j, e in enumerate(extract_events(article, profile).events):
            mentions.append(
                Mention.of_event(
                    e, mention_id=f"{path.name}#{j}", article_id=path.name, first_seen=T0 + timedelta(seconds=i)
                )
            )
    return mentions, published


def resolved(mentions: list[Mention], published: dict[str, date | None]) -> list[Cluster]:
    return resolve(mentions, published).clusters


def facts(events: list[Cluster]) -> set[tuple]:
    out = set()
    for e in events:
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
    events = resolved(mentions, published)
    by_ref = {}
    for e in events:
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
    events = resolved(mentions, published)
    helberg = [
        e.canonical
        for e in events
        if e.canonical.us_side == ("Jacob Helberg",) and e.canonical.vn_side == ("Nguyễn Hồng Diên",)
    ]
    assert [c.start_date for c in helberg] == [date(2025, 11, 14)]


def test_any_order_of_arrival_gives_the_same_events(profile):
    mentions, published = seed_mentions(profile)
    reference = resolved(list(mentions), published)
    for seed in range(5):
        shuffled = list(mentions)
        random.Random(seed).shuffle(shuffled)
        assert facts(resolved(shuffled, published)) == facts(reference)


def test_a_later_mention_of_an_old_event_is_a_mention_not_an_event(profile):
    mentions, published = seed_mentions(profile)
    events = resolved(mentions, published)
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
    after = resolved([*mentions, later], {**published, "later": date(2026, 3, 1)})
    assert len(after) == len(events)
    (home,) = [e for e in after if later in e.mentions]
    assert home.canonical.number == 5


def test_partial_dates_round_trip():
    assert parse_partial("--11-14").iso_partial() == "--11-14"
    assert parse_partial("2025-11-14").resolved() == date(2025, 11, 14)
    assert parse_partial(None) is None


HELD_LATER = Mention(
    mention_id="later#0",
    article_id="later",
    kind="call",
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
        for e in events
        if e.canonical.kind == "call" and e.canonical.mode == "online" and e.canonical.us_side == ("Jamieson Greer",)
    ]


def test_a_planned_session_that_happens_becomes_held(profile):
    mentions, published = seed_mentions(profile)
    published = {**published, "later": date(2025, 11, 21)}
    assert [c.status for c in _online_sessions(resolved(mentions, published))] == ["planned"]
    (session,) = _online_sessions(resolved([*mentions, HELD_LATER], published))
    assert (session.status, session.start_date) == ("held", date(2025, 11, 20))


def round_mention(mid: str, number: int | None, status: str = "held", start: str | None = None, end: str | None = None):
    """A round's mention, alone in its article `mid`."""
    return Mention(
        mention_id=mid,
        article_id=mid,
        kind="round",
        number=number,
        mode="in_person",
        status=status,
        start=parse_partial(start) if start else None,
        end=parse_partial(end) if end else None,
        location=None,
        vn_side=frozenset(),
        us_side=frozenset(),
        topics=frozenset(),
        first_seen=T0,
        position=0,
    )


def test_two_dates_for_one_numbered_round_are_a_conflict_not_two_rounds():
    (event,) = resolved(
        [
            round_mention("a", 6, start="2026-02-02", end="2026-02-05"),
            round_mention("b", 6, start="2026-02-02", end="2026-02-05"),
            round_mention("c", 6, start="2026-02-09", end="2026-02-12"),
        ],
        {"a": None, "b": None, "c": None},
    )
    assert event.canonical.conflicts == ("start",)
    assert event.canonical.start_date == date(2026, 2, 2)  # two sources against one


def test_the_next_round_announced_after_a_later_round_is_not_an_earlier_one():
    """Round 3 is known only from an undated report; round 5 was held in November. "The next round",
    announced in March, cannot be round 3: rounds come in the order of their numbers."""
    mentions = [
        round_mention("round3", 3),
        round_mention("round5", 5, start="2025-11-12", end="2025-11-14"),
        round_mention("next", None, "planned"),
    ]
    published = {"round3": None, "round5": date(2025, 11, 15), "next": date(2026, 3, 13)}
    events = resolved(mentions, published)
    assert sorted((e.canonical.number or 0, len(e.mentions)) for e in events) == [(0, 1), (3, 1), (5, 1)]
    # Announced before round 5, it could be round 3 (the only round it can be).
    published["next"] = date(2025, 5, 1)
    events = resolved(mentions, published)
    assert sorted((e.canonical.number or 0, len(e.mentions)) for e in events) == [(3, 2), (5, 1)]


def test_a_rounds_year_left_unsaid_comes_from_the_rounds_around_it():
    """Round 3 "from 9 June", in undated reports only, after round 2 of May 2025: June 2025."""
    mentions = [
        round_mention("round2", 2, start="2025-05-19", end="2025-05-22"),
        round_mention("round3-a", 3, start="--06-09", end="--06-12"),
        round_mention("round3-b", 3, start="--06-09"),
    ]
    published = {"round2": date(2025, 5, 23), "round3-a": None, "round3-b": None}
    by_number = {e.canonical.number: e for e in resolved(mentions, published)}
    assert by_number[3].canonical.start_date == date(2025, 6, 9)
    assert by_number[3].canonical.end_date == date(2025, 6, 12)
    # With no round around it to tell the year, it stays unsaid.
    (alone,) = resolved(mentions[1:], published)
    assert alone.canonical.start_date is None


def test_a_dated_round_before_round_two_is_the_first_round_reported_without_its_number():
    mentions = [
        round_mention("visit", None, "planned", start="2025-05-01"),
        round_mention("first", 1),
        round_mention("second", 2, start="2025-05-19", end="2025-05-22"),
    ]
    published = {"visit": date(2025, 4, 28), "first": date(2025, 5, 20), "second": date(2025, 5, 20)}
    by_number = {e.canonical.number: e for e in resolved(mentions, published)}
    assert sorted(by_number) == [1, 2]
    assert by_number[1].canonical.start_date == date(2025, 5, 1)
    # Any later number keeps to its rule: a day and an ordinal meet only where a source gives both.
    mentions[1] = round_mention("first", 3)
    mentions[2] = round_mention("second", 4, start="2025-05-19", end="2025-05-22")
    assert sorted(e.canonical.number or 0 for e in resolved(mentions, published)) == [0, 3, 4]


def test_an_undated_one_sided_call_in_an_undated_article_waits_rather_than_joins_a_guess():
    """ "Trump spoke with Vietnam's leader", in an article without a date: the one Trump call known
    may not be the one it means. It is kept unresolved: neither merged into that call nor a row."""

    def call(mid: str, vn: frozenset[str], start: str | None) -> Mention:
        return replace(
            round_mention(mid, None, start=start),
            kind="call",
            mode="phone",
            vn_side=vn,
            us_side=frozenset({"Donald Trump"}),
        )

    known = call("april", frozenset({"Tô Lâm"}), "2025-04-04")
    vague = call("vague", frozenset(), None)
    result = resolve([known, vague], {"april": date(2025, 4, 5), "vague": None})
    assert [sorted(m.article_id for m in c.mentions) for c in result.clusters] == [["april"]]
    assert [m.article_id for m in result.unresolved] == ["vague"]
    # Alone, it is the only call there is: a tentative row of its own.
    alone = resolve([vague], {"vague": None})
    assert [c.tentative for c in alone.clusters] == [True]


def test_an_undated_one_sided_meeting_in_a_dated_article_waits_where_a_meeting_of_its_people_is_known():
    """ "Minister Dien had working sessions with the US Deputy Minister of Foreign Affairs": undated
    and one-sided, it may be the working session with Under Secretary Helberg another report names,
    or another: it founds no second row beside it, and is a row of its own only where none is known."""

    def meeting(mid: str, us: frozenset[str]) -> Mention:
        return replace(
            round_mention(mid, None, start=None),
            kind="meeting",
            mode="in_person",
            vn_side=frozenset({"Nguyễn Hồng Diên"}),
            us_side=us,
        )

    named = meeting("named", frozenset({"Jacob Helberg"}))
    unnamed = meeting("unnamed", frozenset())
    published = {"named": date(2025, 11, 15), "unnamed": date(2025, 11, 16)}
    result = resolve([named, unnamed], published)
    assert [sorted(m.article_id for m in c.mentions) for c in result.clusters] == [["named"]]
    assert [m.article_id for m in result.unresolved] == ["unnamed"]
    alone = resolve([unnamed], {"unnamed": date(2025, 11, 16)})
    assert [sorted(m.article_id for m in c.mentions) for c in alone.clusters] == [["unnamed"]]


def test_an_undated_meeting_of_a_sessions_people_in_its_place_is_that_session(profile):
    """ "Ông Diên đã có cuộc gặp với ông Jamieson Greer tại Hàn Quốc", in an undated report of round
    2 under way: the ministerial session on Jeju, not a meeting of its own; elsewhere it is not."""
    people = {"vn_side": frozenset({"Nguyễn Hồng Diên"}), "us_side": frozenset({"Jamieson Greer"})}
    session = replace(
        round_mention("session", 1, start="2025-05-16"), kind="ministerial_session", location="Jeju", **people
    )
    round_two = round_mention("report", 2, start="2025-05-19")
    meeting = replace(
        round_mention("report", None), mention_id="report#2", kind="meeting", location="South Korea", **people
    )
    published = {"session": date(2025, 5, 17), "report": None}
    clusters = resolve([session, round_two, meeting], published, profile.geography).clusters
    assert sorted(sorted(m.mention_id for m in c.mentions) for c in clusters) == [["report"], ["report#2", "session"]]
    elsewhere = replace(meeting, location="Washington D.C.")
    clusters = resolve([session, round_two, elsewhere], published, profile.geography).clusters
    assert len(clusters) == 3


def test_an_undated_reports_floor_is_no_date_it_was_written():
    """An undated report of round 2 under way, after round 1 of 7 May: written on or after 7 May, it
    may well come after "the upcoming technical negotiations" announced on 17 May — the same round."""
    round_one = round_mention("first", 1, start="2025-05-07")
    under_way = [round_mention("report", 1), replace(round_mention("report", 2), mention_id="report#2")]
    upcoming = round_mention("upcoming", None, status="planned")
    published = {"first": date(2025, 5, 8), "report": None, "upcoming": date(2025, 5, 17)}
    clusters = resolve([round_one, *under_way, upcoming], published).clusters
    assert sorted(sorted(m.mention_id for m in c.mentions) for c in clusters) == [
        ["first", "report"],
        ["report#2", "upcoming"],
    ]


def test_a_meeting_in_a_country_may_be_the_meeting_in_its_capital():
    def meeting(mid: str, location: str, start: str | None) -> Mention:
        return replace(
            round_mention(mid, None, start=start),
            kind="meeting",
            location=location,
            vn_side=frozenset({"Tô Lâm"}),
            us_side=frozenset({"Donald Trump"}),
        )

    geography = Geography(frozenset({"United States", "Malaysia"}), (("Washington D.C.", "United States"),))
    mentions = [meeting("dated", "Washington D.C.", "2026-02-20"), meeting("trip", "United States", None)]
    published = {"dated": date(2026, 2, 21), "trip": date(2026, 2, 21)}
    assert len(resolve(mentions, published, geography).clusters) == 1
    # Two cities are two meetings; so are a city and a country it is not in.
    for elsewhere in ("Kuala Lumpur", "Malaysia"):
        mentions[1] = replace(mentions[1], location=elsewhere)
        assert len(resolve(mentions, published, geography).clusters) == 2


def _fold_by_sorting(kind, mentions, anchors):
    """The definition `Fold` computes incrementally: sort by strength, count, take the first."""
    from collections import Counter

    from parsers.dates import complete_year
    from warehouse.merge import _STATUS_ORDER, OFFICES, Canonical

    def majority(values):
        counts = Counter(v for v in values if v is not None)
        return counts.most_common(1)[0][0] if counts else None

    ordered = sorted(mentions, key=lambda m: m.strength(), reverse=True)
    conflicts = []
    if len({m.number for m in ordered if m.number is not None}) > 1:
        conflicts.append("number")
    full = [(m.start, m.end) for m in ordered if m.has_full_date]
    if full:
        if len({s for s, _ in full}) > 1:
            conflicts.append("start")
        start, end = majority(full)
    else:
        dated = next((m for m in ordered if m.start is not None), None)
        start, end = (dated.start, dated.end) if dated else (None, None)
        if dated is not None:
            start = complete_year(start, anchors.get(dated.article_id), None)
            end = complete_year(end, anchors.get(dated.article_id), None) if end else None
    if len({m.location for m in ordered if m.location}) > 1:
        conflicts.append("location")
    sides = []
    for attr in ("vn_side", "us_side"):
        names = set().union(*(getattr(m, attr) for m in ordered))
        if names - OFFICES:
            names -= OFFICES
        sides.append(tuple(sorted(names)))
    return Canonical(
        kind=kind,
        number=majority(m.number for m in ordered),
        mode=majority(m.mode for m in ordered) or None,
        status=max((m.status for m in ordered), key=lambda s: _STATUS_ORDER.get(s, 0)),
        start=start,
        end=end,
        location=majority(m.location for m in ordered) or None,
        vn_side=sides[0],
        us_side=sides[1],
        topics=tuple(sorted(set().union(*(m.topics for m in ordered)))),
        conflicts=tuple(conflicts),
    )


def test_folding_one_mention_at_a_time_gives_what_sorting_them_all_gives():
    """An event reported by hundreds of articles is refolded after each: `Fold` does it in
    constant time, and must agree with the plain definition at every step."""
    from warehouse.merge import Fold

    rng = random.Random(8)
    people = ["Nguyễn Hồng Diên", "Lê Manh Hùng", "Jamieson Greer", "USTR"]
    anchors = {f"a{i}": date(2025, 11, 1) + timedelta(days=i % 5) if i % 3 else None for i in range(60)}
    for trial in range(40):
        fold = Fold("round")
        seen = []
        for i in range(rng.randrange(1, 30)):
            start = rng.choice([None, "--11-12", "2025-11-12", "2025-11-13", "--11-13"])
            m = Mention(
                mention_id=f"m{trial}-{i}",
                article_id=f"a{rng.randrange(60)}",
                kind="round",
                number=rng.choice([None, 5, 5, 6]),
                mode=rng.choice([None, "in_person", "online"]),
                status=rng.choice(["planned", "ongoing", "held"]),
                start=parse_partial(start),
                end=parse_partial(rng.choice([None, "2025-11-14"])) if start else None,
                location=rng.choice([None, "", "Washington D.C.", "Hà Nội"]),
                vn_side=frozenset(rng.sample(people[:2], rng.randrange(3))),
                us_side=frozenset(rng.sample(people[2:], rng.randrange(3))),
                topics=frozenset(rng.sample(["tariffs", "digital trade", "rules of origin"], rng.randrange(3))),
                first_seen=datetime(2025, 11, 1, tzinfo=UTC),
                position=i,
            )
            seen.append(m)
            fold.add(m)
            assert fold.canonical(anchors) == _fold_by_sorting("round", seen, anchors)


def test_an_undated_article_may_report_events_after_the_first_day_it_gives():
    # An undated review: "the call on 4 April ..., then the envoy met Secretary Bessent". The day of
    # the call says the article was written after it, not on it: the meeting of 10 April is news too.
    def contact(mid: str, article: str, kind: str, vn: str, us: str, start: str | None) -> Mention:
        return replace(
            round_mention(mid, None, start=start),
            article_id=article,
            kind=kind,
            mode="phone" if kind == "call" else "in_person",
            vn_side=frozenset({vn}),
            us_side=frozenset({us}),
        )

    mentions = [
        contact("call", "news-0405", "call", "Tô Lâm", "Donald Trump", "2025-04-04"),
        contact("meeting", "news-0411", "meeting", "Hồ Đức Phớc", "Scott Bessent", "2025-04-10"),
        contact("review-call", "review", "call", "Tô Lâm", "Donald Trump", "2025-04-04"),
        contact("review-meeting", "review", "meeting", "Hồ Đức Phớc", "Scott Bessent", None),
    ]
    published = {"news-0405": date(2025, 4, 5), "news-0411": date(2025, 4, 11), "review": None}
    by_kind = {c.kind: {m.mention_id for m in c.mentions} for c in resolve(mentions, published).clusters}
    assert by_kind == {"call": {"call", "review-call"}, "meeting": {"meeting", "review-meeting"}}


def test_a_statement_its_negotiators_agreed_is_not_the_deal_announced_that_day():
    """Leaders "welcomed the agreement reached by the negotiating teams on the Joint Statement" on the
    day one of them announced a deal: two events, though both are statements of one day."""

    def statement(mid: str, status: str, start: str | None) -> Mention:
        return replace(
            round_mention(mid, None, status=status, start=start),
            kind="statement",
            us_side=frozenset({"Donald Trump"}),
        )

    mentions = [
        statement("post", "held", "2025-07-02"),
        statement("report", "held", "2025-07-02"),
        statement("welcomed", "agreed", None),
        statement("welcomed-again", "agreed", None),
    ]
    published = {m.article_id: date(2025, 7, 3) for m in mentions}
    for order in (mentions, mentions[::-1]):
        result = resolve(order, published)
        assert sorted(sorted(m.article_id for m in c.mentions) for c in result.clusters) == [
            ["post", "report"],
            ["welcomed", "welcomed-again"],
        ]
        assert sorted(c.canonical.status for c in result.clusters) == ["agreed", "held"]


def test_an_undated_report_joins_the_event_whose_yearless_day_its_date_allows():
    """ "Trump công bố thỏa thuận ... ngày 2 tháng 7" and "the joint statement ... 26/10", both
    without a year, and "the joint statement" in an article of 15 November: 2 July is 136 days
    before it, too long for a report; 26 October is the one it can be."""

    def statement(mid: str, start: str | None) -> Mention:
        return replace(round_mention(mid, None, start=start), kind="statement")

    mentions = [statement("july", "--07-02"), statement("october", "--10-26"), statement("november", None)]
    published = {"july": None, "october": None, "november": date(2025, 11, 15)}
    for order in (mentions, mentions[::-1]):
        result = resolve(order, published)
        assert sorted(sorted(m.article_id for m in c.mentions) for c in result.clusters) == [
            ["july"],
            ["november", "october"],
        ]
