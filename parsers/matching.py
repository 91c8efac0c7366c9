"""Find known phrases (names, places, vocabulary) in text, longest match first."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

from parsers.text import fold, has_diacritics

T = TypeVar("T")

_WS = re.compile(r"\s+")
_RECENT = 32  # texts whose matches a matcher keeps


def _key(text: str, case_sensitive: bool) -> str:
    text = _WS.sub(" ", text.strip())
    return text if case_sensitive else text.casefold()


def _trie_pattern(phrases: Iterable[str]) -> str:
    """One regular expression for many phrases, as a trie ("vòng (?:đàm phán|thứ)"): a flat
    alternation of hundreds of phrases is tried phrase by phrase at every position of the text, a
    trie only along the path the text spells. Longer phrases are tried first (greedy), so the
    longest phrase that ends on a word boundary wins, as it did with the alternation sorted by length.
    A space in a phrase matches any run of white space."""
    trie: dict[str, dict] = {}
    for phrase in phrases:
        node = trie
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict[str, dict]) -> str:
        ends = "" in node
        branches = [
            (r"\s+" if char == " " else re.escape(char)) + pattern(child) for char, child in node.items() if char
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return body + "?" if len(branches) == 1 and len(body) == 1 else "(?:" + body + ")?"
        return body

    return pattern(trie)


@dataclass(frozen=True)
class Match(Generic[T]):
    start: int
    end: int
    text: str
    value: T


_NEXT_WORD = re.compile(r"\W\w")


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
        flags = 0 if case_sensitive else re.IGNORECASE
        body = _trie_pattern(self._values)
        self._pattern = re.compile(rf"(?<!\w)(?:{body})(?!\w)", flags) if self._values else None
        self._recent: dict[str, tuple[Match[T], ...]] = {}

    def finditer(self, text: str) -> Iterator[Match[T]]:
        return iter(self._matches(text))

    def _matches(self, text: str) -> tuple[Match[T], ...]:
        # The extractor asks again about the same sentence, paragraph or article for each event
        # candidate in it: the last few answers are kept.
        cached = self._recent.get(text)
        if cached is not None:
            return cached
        found = tuple(self._scan(text))
        if len(self._recent) >= _RECENT:
            # (Polling threads share the profile's matchers: another may have evicted it already.)
            self._recent.pop(next(iter(self._recent), ""), None)
        self._recent[text] = found
        return found

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
            nxt = _NEXT_WORD.search(text, m.start())
            if nxt is None:
                break
            pos = nxt.start() + 1
        return found

    def find_all(self, text: str) -> list[Match[T]]:
        return list(self._matches(text))

    def _scan(self, text: str) -> Iterator[Match[T]]:
        if self._pattern is None:
            return
        for m in self._pattern.finditer(text):
            value = self._values.get(_key(m.group(0), self.case_sensitive))
            if value is not None:
                yield Match(m.start(), m.end(), m.group(0), value)

    def search(self, text: str) -> Match[T] | None:
        """The first match: from the kept answers, else read only as far as it (a one-off slice of
        text is not worth keeping)."""
        cached = self._recent.get(text)
        if cached is not None:
            return cached[0] if cached else None
        return next(self._scan(text), None)
