"""Find known phrases (names, places, vocabulary) in text, longest match first."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

from parsers.text import fold, has_diacritics

T = TypeVar("T")

_WS = re.compile(r"\s+")


def _key(text: str, case_sensitive: bool) -> str:
    text = _WS.sub(" ", text.strip())
    return text if case_sensitive else text.casefold()


@dataclass(frozen=True)
class Match(Generic[T]):
    start: int
    end: int
    text: str
    value: T


class PhraseMatcher(Generic[T]):
    """Matches a set of phrases on word boundaries, each mapped to a value.

    Phrases with diacritics also match their folded form ("Nguyen Hong Dien"), so that
    English text and unaccented copies find the same people and places.
    """

    def __init__(self, phrases: Iterable[tuple[str, T]], *, case_sensitive: bool, fold_variants: bool = True):
        self.case_sensitive = case_sensitive
        self._values: dict[str, T] = {}
        for phrase, value in phrases:
            variants = [phrase]
            if fold_variants and has_diacritics(phrase):
                variants.append(fold(phrase))
            for variant in variants:
                self._values.setdefault(_key(variant, case_sensitive), value)
        alternatives = sorted(self._values, key=len, reverse=True)
        body = "|".join(_WS.sub(r"\\s+", re.escape(a).replace(r"\ ", " ")) for a in alternatives)
        flags = 0 if case_sensitive else re.IGNORECASE
        self._pattern = re.compile(rf"(?<!\w)(?:{body})(?!\w)", flags) if alternatives else None

    def finditer(self, text: str) -> Iterator[Match[T]]:
        if self._pattern is None:
            return
        for m in self._pattern.finditer(text):
            value = self._values.get(_key(m.group(0), self.case_sensitive))
            if value is not None:
                yield Match(m.start(), m.end(), m.group(0), value)

    def find_overlapping(self, text: str) -> list[Match[T]]:
        """Every phrase that starts at a word, including those that overlap an earlier match ("online
        negotiation" and "negotiation at the ministerial level" in "online negotiation at the
        ministerial level"): the longest at each starting word."""
        if self._pattern is None:
            return []
        found: list[Match[T]] = []
        pos = 0
        while (m := self._pattern.search(text, pos)) is not None:
            value = self._values.get(_key(m.group(0), self.case_sensitive))
            if value is not None:
                found.append(Match(m.start(), m.end(), m.group(0), value))
            nxt = re.search(r"\W\w", text[m.start() :])
            if nxt is None:
                break
            pos = m.start() + nxt.start() + 1
        return found

    def find_all(self, text: str) -> list[Match[T]]:
        return list(self.finditer(text))

    def search(self, text: str) -> Match[T] | None:
        return next(self.finditer(text), None)
