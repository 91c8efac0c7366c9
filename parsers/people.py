"""Who is named in a text, and for which side: the profile's people by any alias, and officials the
profile does not list, found by their title ("Under Secretary of State Allison Hooker", "David
Fogel, US Assistant Secretary of Commerce", "Hạ nghị sĩ Adrian Smith").

A title implies a side ("Senator" is American, "Tổng Bí thư" Vietnamese) or leaves it to the
country named with it ("Thứ trưởng Ngoại giao Mỹ", "Malaysian Prime Minister") or to the form of
the name (a Vietnamese family name). Someone whose side cannot be told, or whose country is a third
one, is not a participant of this negotiation and is not returned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsers.matching import Match
from parsers.profile import Title, WatchProfile
from parsers.text import PHRASE_BREAK, fold, nfc

WINDOW = 110  # how far after a title its holder's name may come ("Under Secretary ... for Economic Growth, ...")


@dataclass(frozen=True)
class PersonMention:
    start: int
    end: int
    name: str  # canonical for listed people, as written otherwise
    side: str  # "vn" | "us"
    rank: str
    is_office: bool = False
    listed: bool = True
    by_title: bool = False  # "Tổng thống Mỹ" alone: the title's one listed holder, not a name


# Capitalised words that are parts of titles, institutions and places, never of a person's name.
_NOT_NAME = frozenset(
    fold(w).casefold()
    for w in [
        "the",
        "of",
        "for",
        "and",
        "to",
        "in",
        "at",
        "on",
        "a",
        "an",
        "mr",
        "mrs",
        "ms",
        "dr",
        "his",
        "her",
        "their",
        "its",
        "this",
        "that",
        "state",
        "states",
        "united",
        "america",
        "american",
        "us",
        "u.s",
        "usa",
        "vietnam",
        "vietnamese",
        "viet",
        "nam",
        "việt",
        "mỹ",
        "hoa",
        "kỳ",
        "washington",
        "hanoi",
        "department",
        "ministry",
        "office",
        "bureau",
        "agency",
        "administration",
        "commission",
        "committee",
        "subcommittee",
        "council",
        "service",
        "services",
        "house",
        "senate",
        "congress",
        "congressional",
        "assembly",
        "national",
        "government",
        "party",
        "communist",
        "economic",
        "economy",
        "growth",
        "energy",
        "environment",
        "environmental",
        "affairs",
        "political",
        "politics",
        "trade",
        "commerce",
        "commercial",
        "industry",
        "industrial",
        "agriculture",
        "agricultural",
        "foreign",
        "international",
        "security",
        "development",
        "finance",
        "financial",
        "treasury",
        "policy",
        "director",
        "general",
        "deputy",
        "acting",
        "assistant",
        "under",
        "secretary",
        "minister",
        "president",
        "prime",
        "representative",
        "ambassador",
        "senator",
        "congressman",
        "congresswoman",
        "chairman",
        "chair",
        "vice",
        "chief",
        "head",
        "special",
        "envoy",
        "east",
        "asian",
        "pacific",
        "asia",
        "republican",
        "democratic",
        "democrat",
        "tennessee",
        "nebraska",
        "ways",
        "means",
        "science",
        "technology",
        "innovation",
        "justice",
        "defense",
        "defence",
        "labor",
        "labour",
        "public",
        "bộ",
        "trưởng",
        "thứ",
        "công",
        "thương",
        "ngoại",
        "giao",
        "nông",
        "nghiệp",
        "môi",
        "trường",
        "tài",
        "chính",
        "văn",
        "phòng",
        "phủ",
        "đảng",
        "trung",
        "ương",
        "quốc",
        "hội",
        "ban",
        "đoàn",
        "đàm",
        "phán",
        "phó",
        "thủ",
        "tướng",
        "tổng",
        "thống",
        "bí",
        "thư",
        "chủ",
        "tịch",
        "nước",
        "đại",
        "sứ",
        "diện",
        "hạ",
        "thượng",
        "nghị",
        "sĩ",
        "viện",
        "ủy",
        "cơ",
        "quan",
        "sở",
        "đặc",
        "phái",
        "viên",
        "kinh",
        "tế",
        "năng",
        "lượng",
        "tăng",
        "phụ",
        "trách",
        "bang",
        "social",
        "media",
        "post",
        "news",
        "times",
        "press",
        "reuters",
        "network",
        "group",
        "corporation",
        "company",
        "inc",
        "ltd",
        "organization",
        "organisation",
        "foundation",
        "university",
        "institute",
        "center",
        "centre",
        "bank",
        "fund",
        "board",
        "peace",
        "summit",
        "forum",
        "conference",
        "comprehensive",
        "strategic",
        "partnership",
        "agreement",
        "framework",
        "deal",
        "white",
        "oval",
        "truth",
        "rose",
        "garden",
        "delegation",
        "negotiation",
        "negotiating",
        "team",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ]
)
_NEVER_IN_VN_NAME = frozenset({"bo", "my", "ky", "viet", "the", "of", "and", "us", "u.s."})
_TOKEN = re.compile(r"[^\W\d_](?:[\w'’\-]*[^\W_])?\.?")
_STOP = re.compile(r"[;!?()\"“”\[\]|]|(?<![A-Z])\.(?!\w)|\s[-–—]\s|:")


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    text: str

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()

    @property
    def initial(self) -> bool:
        return len(self.text) == 2 and self.text.endswith(".") and self.text[0].isupper()

    @property
    def nameish(self) -> bool:
        bare = self.text.rstrip(".")
        return self.capitalised and (self.initial or fold(bare).casefold() not in _NOT_NAME)


def _runs(text: str, offset: int) -> list[list[_Token]]:
    """Runs of adjacent capitalised tokens (single spaces between them)."""
    runs: list[list[_Token]] = []
    current: list[_Token] = []
    last_end = -1
    # (Most words are not capitalised: they only end a run, and make no token.)
    for m in _TOKEN.finditer(text):
        word, start = m.group(0), m.start()
        if not word[:1].isupper():
            if current:
                runs.append(current)
                current = []
        elif current and text[last_end:start] == " ":
            current.append(_Token(offset + start, offset + m.end(), word))
        else:
            if current:
                runs.append(current)
            current = [_Token(offset + start, offset + m.end(), word)]
        last_end = m.end()
    if current:
        runs.append(current)
    return runs


def _name_in(run: list[_Token], profile: WatchProfile) -> list[_Token] | None:
    """The person's name a run of capitalised words holds, if it holds one: from a Vietnamese
    family name on (up to four syllables), or two or three name-like words."""
    for i, tok in enumerate(run):
        if _is_family_name(tok.text, profile) and i + 1 < len(run):
            # Vietnamese given names are ordinary syllables ("Trung", "Chính", "Quốc"): after a
            # family name, every capitalised syllable of the run is the name's.
            name = []
            for t in run[i : i + 4]:
                if t is not tok and fold(t.text).casefold() in _NEVER_IN_VN_NAME:
                    break
                name.append(t)
            if len(name) >= 2:
                return name
    tail: list[_Token] = []
    for tok in reversed(run):
        if not tok.nameish:
            break
        tail.insert(0, tok)
    if 2 <= len(tail) <= 4 and not tail[0].initial and not tail[-1].initial:
        return tail[-3:] if len(tail) == 4 else tail
    return None


def _is_family_name(word: str, profile: WatchProfile) -> bool:
    """A Vietnamese family name, compared with its diacritics when it is written with them ("Mại"
    and "Đảng" are not "Mai" and "Đặng")."""
    if fold(word) == word:
        return word.casefold() in profile.vn_family_folded
    return word in profile.vn_family_names


def _country_side(text: str, profile: WatchProfile) -> str | None:
    """The side a stretch of text ties a title to: "vn", "us", "other" or None."""
    sides = {m.value for m in profile.parties_in(text)}
    if profile.other_matcher.search(text):
        sides.add("other")
    if len(sides) == 1:
        return sides.pop()
    return "other" if "other" in sides else None


def _is_vietnamese_name(name: str, profile: WatchProfile) -> bool:
    return _is_family_name(name.split()[0], profile)


def _is_other_name(name: str, profile: WatchProfile) -> bool:
    """A place, a party or a third country that looks like a person's name ("Thái Lan")."""
    return any(
        m.start == 0 and m.end == len(name)
        for matcher in (profile.other_matcher, profile.party_matcher, profile.place_matcher)
        for m in matcher.finditer(name)
    )


def _phrase_before(text: str) -> str:
    """The last few characters of `text`, back to a comma or stop: where "Malaysian" of "Malaysian
    Prime Minister" stands, and "tại Hàn Quốc," of "tại Hàn Quốc, Chủ tịch nước ..." does not."""
    return PHRASE_BREAK.split(text[-14:])[-1]


def _decide_side(
    title: Title, before: str, qualifier: str, name: str, profile: WatchProfile, around: str = ""
) -> str | None:
    # "to the US", "tại Việt Nam": where an ambassador serves, not whose.
    qualifier = re.sub(r"\b(?:to|in|at|tại|ở)\s+(?:the\s+)?[\w .’'-]{1,25}$", "", qualifier)
    qualifier = re.split(r"\b(?:to|in|at|tại|ở)\s", qualifier)[0]
    # "Malaysian Prime Minister": the country word just before, in the same phrase; in "tại Hàn
    # Quốc, Chủ tịch nước Lương Cường" the comma ends the place and the title is Vietnam's.
    adjective = _phrase_before(before)
    country = _country_side(adjective, profile) or _country_side(qualifier, profile)
    if country == "other":
        return None
    if title.side != "either":
        return title.side if country in (None, title.side) else None
    if country is not None:
        return country
    if not _is_vietnamese_name(name, profile):
        return None
    # Chinese names read like Vietnamese ones in Vietnamese ("Lý Thành Cương"): a sentence that
    # names a third country and not Vietnam is about that country's officials.
    if profile.other_matcher.search(around) and not any(m.value == "vn" for m in profile.parties_in(around)):
        return None
    return "vn"


def _sentence_around(text: str, at: int) -> str:
    start = max(text.rfind(". ", 0, at), text.rfind("\n", 0, at), 0)
    stops = [i for i in (text.find(". ", at), text.find("\n", at)) if i != -1]
    return text[start : min(stops) if stops else len(text)]


def _overlaps(a: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(a[0] < e and s < a[1] for s, e in spans)


# "David Fogel, US Assistant Secretary of Commerce": a name, a comma, maybe the country, the title.
_NAME_BEFORE_TITLE = re.compile(
    r"([^\W\d_][\w .'’\-]*?),\s+(?:(?:the|a|an|ông|bà)\s+)?"
    r"((?:US|U\.S\.|American|Vietnamese|Vietnam's|Mỹ|Hoa Kỳ)?)\s*$"
)


_FORMER = re.compile(
    r"\b(?:former|ex-|cựu|nguyên)\s*(?:(?:US|U\.S\.|American|Mỹ|Hoa\s+Kỳ|Vietnamese|Việt\s+Nam)\s+)?$", re.IGNORECASE
)


def _titled_people(text: str, profile: WatchProfile, taken: list[tuple[int, int]]) -> list[PersonMention]:
    found: list[PersonMention] = []
    foreign: set[str] = set()  # names a title ties to a third country somewhere in the text
    titles: list[Match[Title]] = profile.title_matcher.find_all(text)
    for t in titles:
        if _FORMER.search(text, max(0, t.start - 24), t.start):
            continue  # "Cựu Đại sứ Mỹ Ted Osius", "former U.S. Ambassador": no longer speaks for a side
        # Title, qualifier, then the name: "Thứ trưởng Ngoại giao Mỹ Allison Hooker".
        window = text[t.end : t.end + WINDOW]
        stop = _STOP.search(window)
        window = window[: stop.start()] if stop else window
        for run in _runs(window, t.end):
            name = _name_in(run, profile)
            if name is None:
                continue
            span = (name[0].start, name[-1].end)
            later_title = any(t.end < o.start < span[0] for o in titles)
            if _overlaps(span, taken) or later_title:
                break  # the holder is someone already known, or the name belongs to the next title
            full = " ".join(tok.text for tok in name)
            if _is_other_name(full, profile):
                continue
            qualifier = text[t.end : span[0]]
            side = _decide_side(t.value, text[: t.start], qualifier, full, profile, _sentence_around(text, t.start))
            if side is not None:
                found.append(PersonMention(span[0], span[1], full, side, t.value.rank, listed=False))
                taken.append(span)
            elif _country_side(_phrase_before(text[max(0, t.start - 14) : t.start]) + qualifier, profile) == "other":
                foreign.add(full)
            break
        # Name, then the title: "David Fogel, US Assistant Secretary of Commerce".
        before = text[max(0, t.start - 60) : t.start]
        comma = before.rfind(",")
        # The name ends at a comma just before the title (", the US", ", Vietnamese"): no comma
        # there, no name, and the pattern's backward search can be skipped.
        m = _NAME_BEFORE_TITLE.search(before) if comma >= 0 and len(before) - comma <= 40 else None
        if m is None or _country_side(m.group(2), profile) == "other":
            continue
        offset = t.start - len(before)
        runs = _runs(m.group(1), offset + m.start(1))
        if not runs:
            continue
        name = _name_in(runs[-1], profile)
        if name is None or name[-1].end != offset + m.end(1):
            continue
        span = (name[0].start, name[-1].end)
        if _overlaps(span, taken):
            continue
        full = " ".join(tok.text for tok in name)
        if _is_other_name(full, profile):
            continue
        side = _decide_side(
            t.value, m.group(2), text[t.end : t.end + 30], full, profile, _sentence_around(text, t.start)
        )
        if side is not None:
            found.append(PersonMention(span[0], span[1], full, side, t.value.rank, listed=False))
            taken.append(span)
    # "Phó Thủ tướng Trung Quốc Hà Lập Phong" once, "Phó Thủ tướng Hà Lập Phong" later: Chinese.
    return [p for p in found if p.name not in foreign]


def _as_listed(found: list[PersonMention], profile: WatchProfile) -> list[PersonMention]:
    """A name written half with diacritics ("Phạm Minh Chinh") is the listed person it folds to."""
    listed = {fold(p.name).casefold(): p for p, _ in profile.people if not p.is_office}
    out = []
    for p in found:
        key = fold(p.name).casefold()
        known = listed.get(key)
        if known is None and len(key) >= 8:
            # A crawl cut mid-word ("Jamieson Gree"): the one listed name it begins.
            starts = [v for k, v in listed.items() if k.startswith(key) and len(k) - len(key) <= 3]
            known = starts[0] if len(starts) == 1 else None
        words = key.split()
        if known is None and p.side == "vn" and len(words) == 3:
            # A family name misspelt ("Minister Trần Hồng Diên"): the one listed Vietnamese official
            # of the same middle and given names.
            same = [
                v for k, v in listed.items() if v.side == "vn" and k.split()[1:] == words[1:] and len(k.split()) == 3
            ]
            known = same[0] if len(same) == 1 else None
        out.append(p if known is None else PersonMention(p.start, p.end, known.name, known.side, known.rank))
    return out


# A capitalised word after a surname, or before it (within a window: no name is longer), makes it
# part of a longer name ("Trump Organization", "Hoang Trung").
_NAME_AFTER = re.compile(r"\s+[A-ZÀ-ỸĐ]")
_NAME_BEFORE = re.compile(r"[A-ZÀ-ỸĐ][\w]*\s+$")
# The word after a title: "Secretary Lutnick", "Bộ trưởng Diên".
_WORD_AFTER_TITLE = re.compile(r"\s+([^\W\d_][\w'’\-]*)(?!\s+[A-ZÀ-ỸĐ])")


def _bare_surnames(
    text: str,
    profile: WatchProfile,
    listed: list[PersonMention],
    taken: list[tuple[int, int]],
    exclude: set[str],
    english: bool = False,
) -> list[PersonMention]:
    """A listed person named in full is named again by the last word of the name alone ("Dien,
    Lutnick and Greer"): with or without diacritics, capitalised, not part of a longer name."""
    found: list[PersonMention] = []
    named = {p.name: p for p in listed if not p.is_office and " " in p.name}
    lasts: dict[str, list[PersonMention]] = {}
    for p in named.values():
        lasts.setdefault(fold(p.name.split()[-1]).casefold(), []).append(p)
    if not lasts:
        return found
    # Each capitalised word once, by the surname it could be. Vietnamese prose names people with
    # "ông", a title or in full, so there only words without diacritics count ("Chính" is "Chính
    # phủ"); English prose shortens a name with its diacritics too ("On Wednesday, Lâm held a call").
    # Only the words that could be a surname are read: scanning every word of a long text is not.
    spellings: dict[str, PersonMention] = {}
    for last, people in lasts.items():
        if len(people) != 1 or last in exclude or len(last) < 3:
            continue
        spellings[last] = people[0]
        if english:
            spellings[nfc(people[0].name.split()[-1]).casefold()] = people[0]
    if not spellings:
        return found
    pattern = re.compile(
        r"(?<![\w.])(" + "|".join(sorted(map(re.escape, spellings), key=len, reverse=True)) + r")(?![\w'’])",
        re.IGNORECASE,
    )
    for m in pattern.finditer(text):
        word = m.group(1)
        if not word[0].isupper() or not (word.isascii() or english):
            continue
        person = spellings.get(word.casefold()) or spellings.get(fold(word).casefold())
        if person is None:
            continue
        span = (m.start(1), m.end(1))
        if (
            _overlaps(span, taken)
            or _NAME_AFTER.match(text, span[1])
            or _NAME_BEFORE.search(text, max(0, span[0] - 40), span[0])
        ):
            continue  # part of a longer name ("Trump Organization", "Hoang Trung")
        found.append(PersonMention(span[0], span[1], person.name, person.side, person.rank))
        taken.append(span)
    return found


def _titled_surnames(
    text: str, profile: WatchProfile, taken: list[tuple[int, int]], exclude: frozenset[str] | set[str] = frozenset()
) -> list[PersonMention]:
    """A listed person named by title and the last word of the name: "General Secretary Lâm",
    "Secretary Lutnick", "Bộ trưởng Diên"."""
    by_last: dict[str, list[tuple[str, str, str]]] = {}
    for participant, _ in profile.people:
        if not participant.is_office:
            last = fold(participant.name.split()[-1]).casefold()
            by_last.setdefault(last, []).append((participant.name, participant.side, participant.rank))
    found = []
    for t in profile.title_matcher.finditer(text):
        m = _WORD_AFTER_TITLE.match(text, t.end)
        if m is None:
            continue
        span = (m.start(1), m.end(1))
        people = by_last.get(fold(m.group(1)).casefold(), [])
        if fold(m.group(1)).casefold() in exclude:
            continue  # "Deputy Minister Trung" is the unlisted Hoang Trung named before, not a listed Trung
        if len(people) != 1 or _overlaps(span, taken) or not m.group(1)[0].isupper():
            continue
        name, side, rank = people[0]
        if t.value.side in ("either", side):
            found.append(PersonMention(span[0], span[1], name, side, rank))
            taken.append(span)
    return found


# What follows a bare title: not a name (a capital letter), nor "former"'s holder of another time.
_NAME_NEXT = re.compile(r"\s+(?:[A-ZÀ-ỸĐ]|\()")


def _sole_holders(text: str, profile: WatchProfile, taken: list[tuple[int, int]]) -> list[PersonMention]:
    """ "khi Tổng thống Mỹ loan báo đạt thỏa hiệp", "the US President announced": a country's own
    title without a name is the one listed person of that side and rank who holds it (the profile's
    earlier holders are history). Said by title only, it is weaker evidence than a name."""
    found = []
    for t in profile.title_matcher.finditer(text):
        if t.value.side == "either" or t.value.rank != "head_of_state" or _overlaps((t.start, t.end), taken):
            continue
        holder = profile.sole_holders.get((t.value.side, t.value.rank))
        if holder is None or _NAME_NEXT.match(text, t.end) or _FORMER.search(text, max(0, t.start - 24), t.start):
            continue
        found.append(PersonMention(t.start, t.end, holder, t.value.side, t.value.rank, by_title=True))
        taken.append((t.start, t.end))
    return found


def _canonical_spelling(found: list[PersonMention]) -> list[PersonMention]:
    """An unlisted name written with and without diacritics in one text is one person: the
    spelling with diacritics is kept ("Nguyen Minh Hang" -> "Nguyễn Minh Hằng")."""
    accented = {fold(p.name).casefold(): p.name for p in found if not p.listed and fold(p.name) != p.name}
    out = []
    for p in found:
        better = accented.get(fold(p.name).casefold()) if not p.listed else None
        out.append(p if better is None or better == p.name else PersonMention(**{**p.__dict__, "name": better}))
    return out


# "the Trump Organization", "Trump Tower", "the Trump administration": a name that names a thing.
_THING_AFTER = re.compile(
    r"\s+(?:Organi[sz]ation|Tower|Group|International|Media|Hotel|Foundation|Corporation|Corp|Inc|"
    r"[Aa]dministration|[Aa]dministration's|[Cc]ampaign|[Ff]amily)\b"
)


def _names_a_thing(text: str, start: int, end: int) -> bool:
    return " " not in text[start:end].strip() and _THING_AFTER.match(text, end) is not None


def find_people(text: str, profile: WatchProfile, language: str | None = None) -> list[PersonMention]:
    """Every participant named in `text` (written in `language`, "vi" or "en"), in order of position."""
    listed = [
        PersonMention(m.start, m.end, m.value.name, m.value.side, m.value.rank, m.value.is_office)
        for m in profile.people_matcher.finditer(text)
        if not _names_a_thing(text, m.start, m.end)
    ]
    taken = [(p.start, p.end) for p in listed]
    unlisted = _titled_people(text, profile, taken)
    unlisted_last = {fold(p.name.split()[-1]).casefold() for p in unlisted}
    unlisted = _as_listed(unlisted, profile)
    listed += _titled_surnames(text, profile, taken, unlisted_last)
    listed += _sole_holders(text, profile, taken)
    listed += _bare_surnames(text, profile, listed, taken, unlisted_last, english=language == "en")
    # Later mentions of an unlisted official by the same name (without the title) are theirs too.
    known = {p.name: p for p in unlisted}
    again: list[PersonMention] = []
    for name, p in known.items():
        # By full name, and by the name a report shortens it to: "Hooker", "Hằng".
        short = name.split()[-1]
        pattern = rf"(?<!\w)(?:{re.escape(name)}|{re.escape(short)})(?!\w)" if len(short) > 2 else re.escape(name)
        for m in re.finditer(pattern, text):
            if not _overlaps((m.start(), m.end()), taken):
                again.append(PersonMention(m.start(), m.end(), p.name, p.side, p.rank, listed=False))
                taken.append((m.start(), m.end()))
    return sorted(_canonical_spelling(listed + unlisted + again), key=lambda p: p.start)
