"""Which places can be one place: the watch profile's countries and the cities it knows to be in
them. An in-person meeting is held in one place, so "in Malaysia" and "in Washington D.C." are two
meetings, while "in the United States" may be the one "in Washington D.C."."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Geography:
    countries: frozenset[str] = frozenset()
    cities: tuple[tuple[str, str], ...] = ()  # (city, the country it is in), sorted

    def country_of(self, place: str) -> str | None:
        if place in self.countries:
            return place
        return next((country for city, country in self.cities if city == place), None)

    def apart(self, a: str | None, b: str | None) -> bool:
        """True when `a` and `b` cannot be where one in-person event was held: two cities, two
        countries, or a city and a country it is not in. A city whose country the profile does not
        give may be in any country."""
        if a is None or b is None or a == b:
            return False
        if a not in self.countries and b not in self.countries:
            return True
        country_a, country_b = self.country_of(a), self.country_of(b)
        return country_a is not None and country_b is not None and country_a != country_b

    def key(self) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
        """A representation that does not depend on set order (for signatures)."""
        return tuple(sorted(self.countries)), self.cities


NO_GEOGRAPHY = Geography()  # knows no country: only two different cities are apart
