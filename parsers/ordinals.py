"""Ordinals of rounds and sessions: "lần thứ 5", "lần 3", "thứ năm", "vòng 6", "fifth", "6th Round"."""

from __future__ import annotations

import re

VI_NUMBER_WORDS = {
    "nhất": 1,
    "một": 1,
    "hai": 2,
    "ba": 3,
    "tư": 4,
    "bốn": 4,
    "năm": 5,
    "sáu": 6,
    "bảy": 7,
    "bẩy": 7,
    "tám": 8,
    "chín": 9,
    "mười": 10,
    "mười một": 11,
    "mười hai": 12,
    "mười ba": 13,
    "mười bốn": 14,
    "mười lăm": 15,
    "đầu tiên": 1,
}
EN_ORDINAL_WORDS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
}
EN_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
_MAX = 60  # no negotiation has had this many rounds; a bigger number belongs to something else

# "vòng đàm phán 12-14/11": a number that runs into a date is a day, not an ordinal.
_NOT_A_DATE = r"(?!\s*[-–—/.]\s*\d)"
_VI_WORDS = "|".join(sorted(VI_NUMBER_WORDS, key=len, reverse=True))
# Lower-case words that may stand between "vòng đàm phán" and its ordinal:
# "vòng đàm phán thương mại song phương lần 3", "vòng đàm phán trực tiếp lần thứ 5".
_VI_MODIFIER = r"(?:\s+(?!lần\b|thứ\b|số\b)[a-zà-ỹđ\-]+){0,5}?"
# Modifiers are lower-case words: a capitalised name ("EFTA", "Hiệp định") ends the phrase.
_VI_AFTER = re.compile(
    rf"^{_VI_MODIFIER}\s+(?i:lần\s+thứ|lần|thứ|số)\s+(?P<n>\d{{1,2}}|(?i:{_VI_WORDS}))(?![\w/]){_NOT_A_DATE}"
    rf"|^{_VI_MODIFIER}\s+(?P<first>đầu\s+tiên)\b"
)
_EN_WORDS = "|".join(EN_ORDINAL_WORDS)
# "the fifth round of", "the first in-person, ministerial-level negotiation": adjectives between.
_EN_BEFORE = re.compile(
    rf"\b(?P<n>{_EN_WORDS}|\d{{1,2}}(?:st|nd|rd|th))\s+(?:(?:[a-z\-]+\s+){{0,3}}|[a-z\-]+,\s+)$", re.IGNORECASE
)
_EN_ROUND_N = re.compile(rf"^\s*(?P<n>\d{{1,2}}|{'|'.join(EN_NUMBER_WORDS)})\b{_NOT_A_DATE}", re.IGNORECASE)
VI_ROUND_N = re.compile(rf"\bvòng\s+(?:thứ\s+)?(?P<n>\d{{1,2}}|{_VI_WORDS})\b(?!\s*/){_NOT_A_DATE}", re.IGNORECASE)
EN_ROUND_N = re.compile(
    rf"\b(?:(?P<a>{_EN_WORDS}|\d{{1,2}}(?:st|nd|rd|th))\s+round|round\s+(?P<b>\d{{1,2}}|{'|'.join(EN_NUMBER_WORDS)}))\b{_NOT_A_DATE}",
    re.IGNORECASE,
)


def _value(token: str) -> int | None:
    token = re.sub(r"\s+", " ", token.strip().lower())
    if token.isdigit():
        n = int(token)
    elif token[:-2].isdigit() and token[-2:] in ("st", "nd", "rd", "th"):
        n = int(token[:-2])
    else:
        n = VI_NUMBER_WORDS.get(token) or EN_ORDINAL_WORDS.get(token) or EN_NUMBER_WORDS.get(token) or 0
    return n if 0 < n <= _MAX else None


value_of = _value


def ordinal_after(text_after: str) -> int | None:
    """The ordinal that follows a Vietnamese trigger ("vòng đàm phán" + " lần thứ 5 ...")."""
    window = re.split(r"[,.;:()\"“”]", text_after, maxsplit=1)[0][:80]
    m = _VI_AFTER.match(window)
    if not m:
        m2 = _EN_ROUND_N.match(window)
        return _value(m2["n"]) if m2 and window[: m2.start("n")].strip() == "" else None
    if m["first"]:
        return 1
    return _value(m["n"])


def ordinal_before(text_before: str) -> int | None:
    """The ordinal that precedes an English trigger ("the fifth" + " round of negotiations")."""
    window = re.split(r"[.;:()\"“”]", text_before)[-1][-60:]
    m = _EN_BEFORE.search(window)
    return _value(m["n"]) if m else None


def round_number_token(match: re.Match[str]) -> int | None:
    """Value of a VI_ROUND_N or EN_ROUND_N match."""
    groups = match.groupdict()
    token = groups.get("n") or groups.get("a") or groups.get("b") or ""
    return _value(token)
