"""Known phrases in text: the trie the matcher compiles finds what a flat alternation would."""

from __future__ import annotations

import random
import re

from parsers.matching import PhraseMatcher


def _flat(phrases: list[str], case_sensitive: bool) -> re.Pattern[str]:
    """The definition: every phrase, longest first, on word boundaries."""
    body = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", 0 if case_sensitive else re.IGNORECASE)


def test_the_longest_phrase_that_ends_on_a_word_wins():
    matcher = PhraseMatcher(
        [("vòng đàm phán", "round"), ("vòng đàm phán thứ", "x"), ("đàm phán", "talks")], case_sensitive=False
    )
    found = [(m.text, m.value) for m in matcher.finditer("Vòng  đàm phán thứ sáu; vòng đàm phán thứba; đàm phán.")]
    # "thứba" is no word "thứ": the shorter phrase that ends on a boundary is the match.
    assert found == [("Vòng  đàm phán thứ", "x"), ("vòng đàm phán", "round"), ("đàm phán", "talks")]


def test_folded_phrases_match_text_without_diacritics():
    matcher = PhraseMatcher([("Nguyễn Hồng Diên", "Diên")], case_sensitive=True)
    assert [m.value for m in matcher.finditer("Minister Nguyen Hong Dien and Nguyễn Hồng Diên")] == ["Diên", "Diên"]


def test_matches_agree_with_a_flat_alternation_on_random_text():
    rng = random.Random(20261129)
    words = ["round", "rounds", "vòng", "đàm", "phán", "talks", "trade", "Greer", "Diên", "thứ", "sáu", "a"]
    phrases = sorted({" ".join(rng.choice(words) for _ in range(rng.randint(1, 3))) for _ in range(40)})
    for case_sensitive in (True, False):
        matcher = PhraseMatcher([(p, p) for p in phrases], case_sensitive=case_sensitive, fold_variants=False)
        flat = _flat(phrases, case_sensitive)
        for _ in range(200):
            text = " ".join(rng.choice(words + [",", "."]) for _ in range(rng.randint(0, 30)))
            expected = [(m.start(), m.end()) for m in flat.finditer(text)]
            assert [(m.start, m.end) for m in matcher.finditer(text)] == expected, text
