"""The watch profile (seeds/watch.toml): who and what the extractor looks for."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

from parsers.geography import Geography
from parsers.matching import Match, PhraseMatcher
from parsers.text import fold, nfc

SIDES = ("vn", "us")
KIND_VOCABULARIES = ("round", "ministerial_session", "negotiation_session", "meeting", "call", "statement")
MARKER_LISTS = (
    "plural",
    "online",
    "phone",
    "in_person",
    "planned",
    "ongoing",
    "held",
    "reporting",
    "locative",
    "backdrop",
    "delegation_head",
    "between",
    "wish",
    "continuing",
    "trip",
)


class ProfileError(ValueError):
    """The watch profile is malformed."""


@dataclass(frozen=True)
class Participant:
    name: str  # canonical, with diacritics
    side: str  # "vn" | "us"
    rank: str  # head_of_state | minister | deputy | ambassador | official | office
    is_office: bool = False


TITLE_SIDES = ("vn", "us", "either")


@dataclass(frozen=True)
class Title:
    """A title of office: the side it implies ("either" when the country or the name decides)."""

    side: str
    rank: str


@dataclass(frozen=True)
class WatchProfile:
    watch_id: str
    name: str
    names: tuple[str, ...]
    party_names: dict[str, tuple[str, ...]]
    other_names: tuple[str, ...]
    people: tuple[tuple[Participant, tuple[str, ...]], ...]
    places: tuple[tuple[str, tuple[str, ...]], ...]
    vocabulary: dict[str, tuple[str, ...]]  # kind -> phrases (all languages)
    markers: dict[str, tuple[str, ...]]
    topics: tuple[tuple[str, tuple[str, ...]], ...]
    titles: tuple[tuple[Title, tuple[str, ...]], ...] = ()
    countries: frozenset[str] = frozenset()  # places that are countries, not cities
    cities_in: tuple[tuple[str, str], ...] = ()  # (city, its country) where the profile says ("within")
    home_places: frozenset[str] = frozenset()  # newsrooms' cities: a dateline there says nothing
    since: date | None = None  # events before the negotiation opened are history
    vn_family_names: tuple[str, ...] = ()
    earlier_people: tuple[str, ...] = ()  # left office before the watch opened: their meetings are history

    @cached_property
    def geography(self) -> Geography:
        return Geography(self.countries, self.cities_in)

    # Compiled matchers, built once per profile.
    @cached_property
    def watch_matcher(self) -> PhraseMatcher[str]:
        return PhraseMatcher(((n, "watch") for n in self.names), case_sensitive=False)

    @cached_property
    def party_matcher(self) -> PhraseMatcher[str]:
        pairs = [(n, side) for side, names in self.party_names.items() for n in names]
        return PhraseMatcher(pairs, case_sensitive=True)

    @cached_property
    def other_matcher(self) -> PhraseMatcher[str]:
        return PhraseMatcher(((n, n) for n in self.other_names), case_sensitive=True)

    @cached_property
    def people_matcher(self) -> PhraseMatcher[Participant]:
        pairs: list[tuple[str, Participant]] = []
        for participant, aliases in self.people:
            pairs.append((participant.name, participant))
            pairs.extend((alias, participant) for alias in aliases)
        return PhraseMatcher(pairs, case_sensitive=True)

    @cached_property
    def place_matcher(self) -> PhraseMatcher[str]:
        pairs = [(alias, name) for name, aliases in self.places for alias in (name, *aliases)]
        return PhraseMatcher(pairs, case_sensitive=True)

    @cached_property
    def trigger_matcher(self) -> PhraseMatcher[str]:
        pairs = [(phrase, kind) for kind, phrases in self.vocabulary.items() for phrase in phrases]
        return PhraseMatcher(pairs, case_sensitive=False, fold_variants=False)

    @cached_property
    def topic_matcher(self) -> PhraseMatcher[str]:
        pairs = [(alias, topic_id) for topic_id, aliases in self.topics for alias in aliases]
        return PhraseMatcher(pairs, case_sensitive=False, fold_variants=False)

    @cached_property
    def listed_names(self) -> frozenset[str]:
        return frozenset(participant.name for participant, _ in self.people)

    @cached_property
    def office_names(self) -> frozenset[str]:
        """The listed names that are offices standing for a side ("USTR"), not persons."""
        return frozenset(participant.name for participant, _ in self.people if participant.is_office)

    @cached_property
    def sole_holders(self) -> dict[tuple[str, str], str]:
        """(side, rank) -> the one listed person of that side and rank, where there is only one."""
        holders: dict[tuple[str, str], list[str]] = {}
        for participant, _ in self.people:
            if not participant.is_office:
                holders.setdefault((participant.side, participant.rank), []).append(participant.name)
        return {key: names[0] for key, names in holders.items() if len(names) == 1}

    @cached_property
    def earlier_folded(self) -> frozenset[str]:
        return frozenset(fold(n).casefold() for n in self.earlier_people)

    def parties_in(self, text: str) -> list[Match[str]]:
        """Mentions of the two parties, except inside another's name ("Nam Mỹ" is South America)."""
        others = [(m.start, m.end) for m in self.other_matcher.finditer(text)]
        return [m for m in self.party_matcher.finditer(text) if not any(s <= m.start and m.end <= e for s, e in others)]

    @cached_property
    def title_matcher(self) -> PhraseMatcher[Title]:
        pairs = [(phrase, title) for title, phrases in self.titles for phrase in phrases]
        # "trade minister Nguyen Hong Dien", "Trưởng Đại diện thương mại Hoa Kỳ": reports are loose
        # with the case of titles; the name that must follow keeps this safe.
        return PhraseMatcher(pairs, case_sensitive=False)

    @cached_property
    def vn_family_folded(self) -> frozenset[str]:
        return frozenset(fold(n).casefold() for n in self.vn_family_names)

    def marker_matcher(self, name: str) -> PhraseMatcher[str]:
        return self._marker_matchers[name]

    @cached_property
    def _marker_matchers(self) -> dict[str, PhraseMatcher[str]]:
        return {
            name: PhraseMatcher(((p, name) for p in phrases), case_sensitive=False, fold_variants=False)
            for name, phrases in self.markers.items()
        }


def _strings(table: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ProfileError(f"{where}.{key} must be a list of strings")
    return tuple(nfc(v) for v in value)


def _date(value: Any, where: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    raise ProfileError(f"{where} must be a date (YYYY-MM-DD)")


def parse_profile(text: str) -> WatchProfile:
    """Parse the TOML text of a watch profile."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"watch profile is not valid TOML: {exc}") from exc
    watch = data.get("watch")
    if not isinstance(watch, dict) or "id" not in watch:
        raise ProfileError("watch profile needs a [watch] table with an id")
    people: list[tuple[Participant, tuple[str, ...]]] = []
    for i, person in enumerate(data.get("person", [])):
        where = f"person[{i}]"
        if person.get("side") not in SIDES or not person.get("name"):
            raise ProfileError(f"{where} needs a name and a side of {SIDES}")
        participant = Participant(nfc(person["name"]), person["side"], person.get("rank", "official"))
        people.append((participant, _strings(person, "aliases", where)))
    for i, office in enumerate(data.get("office", [])):
        where = f"office[{i}]"
        if office.get("side") not in SIDES or not office.get("name"):
            raise ProfileError(f"{where} needs a name and a side of {SIDES}")
        participant = Participant(nfc(office["name"]), office["side"], "office", is_office=True)
        people.append((participant, _strings(office, "aliases", where)))
    vocabulary_table = data.get("vocabulary", {})
    vocabulary = {
        kind: _strings(vocabulary_table.get(kind, {}), "vi", kind)
        + _strings(vocabulary_table.get(kind, {}), "en", kind)
        for kind in KIND_VOCABULARIES
    }
    markers_table = vocabulary_table.get("markers", {})
    markers = {name: _strings(markers_table, name, "markers") for name in MARKER_LISTS}
    titles: list[tuple[Title, tuple[str, ...]]] = []
    for i, title in enumerate(data.get("title", [])):
        where = f"title[{i}]"
        if title.get("side") not in TITLE_SIDES:
            raise ProfileError(f"{where} needs a side of {TITLE_SIDES}")
        titles.append((Title(title["side"], title.get("rank", "official")), _strings(title, "phrases", where)))
    return WatchProfile(
        since=_date(watch.get("since"), "watch.since"),
        watch_id=str(watch["id"]),
        name=nfc(str(watch.get("name", watch["id"]))),
        names=_strings(watch, "names", "watch"),
        party_names={side: _strings(data.get("parties", {}).get(side, {}), "names", side) for side in SIDES},
        other_names=_strings(data.get("other", {}), "names", "other"),
        people=tuple(people),
        places=tuple(
            (nfc(p["name"]), _strings(p, "aliases", f"place[{i}]")) for i, p in enumerate(data.get("place", []))
        ),
        vocabulary=vocabulary,
        markers=markers,
        topics=tuple((str(t["id"]), _strings(t, "aliases", "topic")) for t in data.get("topic", [])),
        titles=tuple(titles),
        countries=frozenset(nfc(p["name"]) for p in data.get("place", []) if p.get("country")),
        cities_in=_cities_in(data.get("place", [])),
        home_places=frozenset(nfc(p["name"]) for p in data.get("place", []) if p.get("home")),
        vn_family_names=_strings(data.get("names", {}), "vn_family", "names"),
        earlier_people=_strings(data.get("earlier", {}), "people", "earlier"),
    )


def _cities_in(places: list[dict[str, Any]]) -> tuple[tuple[str, str], ...]:
    countries = {nfc(p["name"]) for p in places if p.get("country")}
    pairs = []
    for i, place in enumerate(places):
        if place.get("within") is None:
            continue
        country = nfc(str(place["within"]))
        if country not in countries:
            raise ProfileError(f"place[{i}].within names {country!r}, which is no place with country = true")
        pairs.append((nfc(place["name"]), country))
    return tuple(sorted(pairs))


def load_profile(path: Path) -> WatchProfile:
    return parse_profile(path.read_text(encoding="utf-8"))
