"""Where things happen: the profile's places by any alias ("Wasington DC", "Nhà Trắng" and "the
White House" are Washington D.C.), a city the profile does not list when the text gives its
country ("in Tianjin, China"), and the dateline that opens a report ("WASHINGTON DC —")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsers.profile import WatchProfile
from parsers.text import PHRASE_BREAK

LOCATIVE_WINDOW = 45  # "tại trụ sở Đại sứ quán Việt Nam ở Washington D.C." still says where


@dataclass(frozen=True)
class PlaceMention:
    start: int
    end: int
    name: str  # canonical
    is_country: bool
    locative: bool  # preceded by "in", "at", "tại", "ở", ...: a place where something happens


_NAME_WORD = r"[A-ZÀ-ỸĐ][\wÀ-ỹ'’\-]+"
_UNLISTED_CITY = re.compile(
    rf"\b(?:in|at|tại|ở)\s+(?P<city>{_NAME_WORD}(?:\s+{_NAME_WORD})?),\s+(?P<country>[A-ZÀ-ỸĐ][\wÀ-ỹ ]{{2,20}})"
)
_DATELINE = re.compile(r"^\s*(?P<city>[A-ZÀ-ỸĐ][A-ZÀ-ỸĐa-zà-ỹ .,\[\]]{1,30}?)\s*(?:\([A-Za-z/ ]+\)\s*)?(?:[—–:]|-\s)")


_POSTED_IN = re.compile(
    r"\b(?:Đại\s+sứ(?!\s+quán)|Ambassador)\s+(?:(?:Mỹ|Hoa\s+Kỳ|Việt\s+Nam|US|U\.S\.|American|Vietnamese)\s+)?"
    r"(?:tại|ở|in)\s+$",
    re.IGNORECASE,
)


def find_places(text: str, profile: WatchProfile) -> list[PlaceMention]:
    """Every place named in `text`, in order of position."""
    locative = profile.marker_matcher("locative")
    found: list[PlaceMention] = []
    for m in profile.place_matcher.finditer(text):
        before = text[max(0, m.start - LOCATIVE_WINDOW) : m.start]
        at = any(lm.end >= len(before) - 1 or _same_phrase(before[lm.end :]) for lm in locative.finditer(before))
        if at and _POSTED_IN.search(before):
            at = False  # "Đại sứ Mỹ tại Việt Nam": where an ambassador serves, a title
        found.append(PlaceMention(m.start, m.end, m.value, m.value in profile.countries, at))
    for city in _UNLISTED_CITY.finditer(text):
        span = (city.start("city"), city.end("city"))
        if any(p.start < span[1] and span[0] < p.end for p in found):
            continue
        country = city["country"]
        if profile.other_matcher.search(country) or profile.place_matcher.search(country):
            found.append(PlaceMention(span[0], span[1], city["city"], False, True))
    return sorted(found, key=lambda p: p.start)


def _same_phrase(between: str) -> bool:
    """ "tại trụ sở Đại sứ quán Việt Nam ở ...": the words between a locative and the place name
    the building, not another clause."""
    return len(between) <= LOCATIVE_WINDOW and not re.search(r"[,;.]|\b(?:và|and|với|with)\b", between)


TRIP_WINDOW = 110  # "chuyến công tác tham dự Cuộc họp khai mạc Hội đồng Hòa bình về Dải Gaza tại Hợp chúng quốc Hoa Kỳ"
WISH_REACH = 200  # "the invitation of General Secretary To Lam ... for President Trump to pay a visit"
# "after his visit to Japan", "trước chuyến thăm": another trip than the one the news is about.
_OTHER_TRIP = re.compile(
    r"\b(?:before|after|ahead\s+of|prior\s+to|following|trước|sau)\s+(?:\S+\s+){0,2}$", re.IGNORECASE
)


def trip_places(text: str, places: list[PlaceMention], profile: WatchProfile) -> list[PlaceMention]:
    """The places `text` says someone travels to ("Phoc's visit to the United States", "while in
    the United States"): a trip word before the place, in the same phrase."""
    wish = profile.marker_matcher("wish")
    marks = [
        m
        for m in profile.marker_matcher("trip").find_all(text)
        if not _OTHER_TRIP.search(text[max(0, m.start - 30) : m.start])
        # "the invitation ... for President Trump to pay an official visit to Viet Nam": a wish.
        and not wish.search(text[max(0, m.start - WISH_REACH) : m.start])
    ]
    # Each trip word's destination is the first place after it: "to travel to the US capital after
    # receiving instructions from Hanoi" is a trip to Washington.
    found: list[PlaceMention] = []
    for m in marks:
        first = next((p for p in places if m.end <= p.start), None)
        if (
            first is not None
            and first.start - TRIP_WINDOW <= m.start
            and not PHRASE_BREAK.search(text, m.end, first.start)
            and first not in found
        ):
            found.append(first)
    return sorted(found, key=lambda p: p.start)


def dateline_place(first_line: str, profile: WatchProfile) -> str | None:
    """The city of a report's dateline ("WASHINGTON DC — ...", "Kuala Lumpur (VNA) – ..."), if any."""
    m = _DATELINE.match(first_line)
    if m is None:
        return None
    city = re.sub(r"\s+", " ", re.sub(r"\[.*?\]", "", m["city"]).strip(" ,[]")).casefold()
    aliases = {alias.casefold(): name for name, names in profile.places for alias in (name, *names)}
    name = aliases.get(city) or aliases.get(city.replace(".", ""))
    if name is None or name in profile.countries or name in profile.home_places:
        return None
    return name
