"""Event extraction: rounds, ministerial sessions, meetings, calls and statements of the watched
negotiation, with number, dates, place, participants, mode, status, topics and evidence.

The extractor works in stages, each with a module of its own:

1. segment (`parsers.segment`): headline, paragraphs, captions, sentences;
2. resolvers over the whole text, once: dates (`parsers.dates`), people by name or title
   (`parsers.people`), places and the dateline (`parsers.places`);
3. triggers (`parsers.triggers`): where a sentence speaks of an event, and of which kind;
4. slots: each trigger takes the ordinal, dates, place, participants, mode and status around it;
5. validity: a candidate stands only if it is an event of this negotiation (a meeting needs an
   official of each side, a round must not be another negotiation's, a hope is no event);
6. relevance (`parsers.relevance`): the article's, now that its events are known;
7. fold (`parsers.consolidate`): the candidates of one article become one event per real event.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from parsers import dates as dates_mod
from parsers.consolidate import NEXT_AFTER, consolidate
from parsers.matching import Match
from parsers.models import Article, Event, Extraction, Paragraph, PartialDate
from parsers.people import PersonMention, find_people
from parsers.places import PlaceMention, dateline_place, find_places, trip_places
from parsers.profile import WatchProfile
from parsers.relevance import GOVERNMENT_MEETING, is_relevant
from parsers.segment import Sentence, split_article, split_paragraphs
from parsers.text import fold, split_sentences
from parsers.triggers import Trigger, find_triggers

# Strength of a candidate's participants: named in its own sentence, in its paragraph, or further.
SENTENCE, PARAGRAPH, NEARBY = 2, 1, 0
# Ranks that make "a negotiation session between A and B" a ministerial session, and the ranks
# that lead a delegation at a round.
LEADERS = ("minister", "head_of_state")
DELEGATION_LEADERS = ("minister",)
_SAME_DAY = re.compile(r"\b(?:cùng ngày|trong cùng ngày|(?:on |later )?the same day|later that day)\b", re.IGNORECASE)
# "welcomed the agreement reached by their negotiating teams on the Joint ... Statement", "đoàn đàm
# phán hai nước đã thống nhất Tuyên bố chung", "the two sides agreed on the content of a joint
# statement", "reached an agreement on a joint statement": the text settled by the negotiators, not
# its issue, which comes later.
_AGREED_TEXT = re.compile(
    r"(?:\bagreement\s+reached\s+by|\bagreed\s+(?:up)?on\s+by)\s+(?:[\w’'-]+\s+){0,4}?(?:negotiating\s+teams?|negotiators)"
    r"(?:\s+(?:on|revealed\s+in|in)(?:\s+(?:the|a))?)?\s*$"
    r"|\b(?:negotiating\s+teams?|negotiators|đoàn\s+đàm\s+phán)\b[^.;]{0,40}?\b(?:agreed(?:\s+(?:up)?on)?|"
    r"thống\s+nhất|nhất\s+trí)(?:\s+(?:the|a|về))?\s*$"
    r"|\breach(?:ed|ing)?\s+(?:an\s+)?agreement\s+on\s+(?:a|the)\s*$"
    r"|\b(?:agreed|thống\s+nhất|nhất\s+trí)\s+(?:(?:up)?on\s+|về\s+)?(?:the\s+)?(?:content|text|wording|nội\s+dung)"
    r"(?:\s+of)?(?:\s+(?:the|a|bản))?\s*$",
    re.IGNORECASE,
)
# "Rick Switzer led the U.S. delegation", "đoàn Việt Nam do ... dẫn đầu": who leads a delegation.
_DELEGATION = re.compile(r"\b(?:delegation|đoàn)\b", re.IGNORECASE)
_LEADS = re.compile(r"\b(?:led|leads|headed|dẫn đầu|chủ trì|làm trưởng đoàn)\b", re.IGNORECASE)
# "his Vietnamese counterpart", "người đồng cấp", "hai bên": the other side, named elsewhere.
_COUNTERPART = re.compile(
    r"\b(?:counterparts?|người đồng cấp|đồng cấp|hai bên|both sides|the two sides)\b", re.IGNORECASE
)
# A side named by its role, not by name: "Vietnam's trade minister", "the Vietnamese official", "the
# Vice Minister of Vietnam's Ministry of Industry and Trade", "the U.S. Deputy Trade Representative".
_ROLE = (
    r"(?:counterparts?|officials?|ministers?|Minister|side|delegation|leaders?|negotiators?|envoy|chief|"
    r"Vice Minister|Deputy Minister|Trade Representative|Deputy Trade Representative|Secretary)"
)
_ROLE_REFERENCE = {
    "vn": re.compile(
        rf"\b(?:Vietnamese|Vietnam's|Viet Nam's|Việt Nam's|Vietnam’s|Việt Nam’s)\s+(?:[\w-]+\s+){{0,3}}?{_ROLE}\b"
        rf"|\b(?:Vice|Deputy)\s+Minister\s+of\s+(?:Vietnam|Viet Nam)|\bphía\s+Việt\s+Nam\b|\bđoàn\s+Việt\s+Nam\b",
        re.IGNORECASE,
    ),
    "us": re.compile(
        rf"\b(?:US|U\.S\.|American|United\s+States)\s+(?:[\w-]+\s+){{0,3}}?{_ROLE}\b|\bphía\s+(?:Mỹ|Hoa\s+Kỳ)\b"
        rf"|\bđoàn\s+(?:Mỹ|Hoa\s+Kỳ)\b|\b(?:Đại diện|Phó Đại diện) Thương mại (?:Mỹ|Hoa Kỳ)\b",
        re.IGNORECASE,
    ),
}
# "sẽ điện đàm với Mỹ", "held talks with the United States": a party (`parties` in the profile) named
# right after the trigger is that government.
_WITH = re.compile(r"\s+(?:với|with)\s+(?:phía\s+|the\s+)?")
# Only Vietnam has a "Bộ Công Thương": its minister, unnamed, is still Vietnam's side (but not
# whoever the article names nearby, as the role references above are). (Not a profile title of
# side "vn": that would also decide the side of every official so titled, and did worse.)
_VN_TRADE_MINISTER = re.compile(r"\bBộ\s+trưởng\s+(?:Bộ\s+)?Công\s+[Tt]hương\b")
_PRONOUN_SUBJECT = re.compile(
    r"^[\"“‘']?(?:He|She|I|Ông|Bà|Tôi|The (?:minister|official|leader|president|prime minister))\b"
    # "The key focus of his visit is a meeting with Secretary Bessent": the visitor named before.
    r"|\b(?:his|her)\s+(?:visit|trip|mission)\b|\bchuyến\s+(?:thăm|công\s+tác)\s+(?:này\s+)?của\s+(?:ông|bà)\b"
)
_CLAUSE_END = re.compile(r"[,;:]")
# A clause ends here: what follows is another statement.
_CLAUSE_BREAK = re.compile(r"[;:]|,\s+(?:while|but|and then|which|after|before|when|khi|sau khi|trong khi)\b")
_PRESS = re.compile(r"\b(?:họp báo|press (?:conference|briefing)|news conference|gặp gỡ báo chí)\b", re.IGNORECASE)
# Where officials speak to reporters or to their own government: a date beside it is when they spoke
# ("Tại phiên họp thường kỳ Chính phủ ngày 7/8, Bộ trưởng cho biết ...", "Ngày 24/5, Thủ tướng đã chủ
# trì cuộc họp Thường trực Chính phủ ... sau vòng đàm phán thứ hai").
_PRESS_TALK = re.compile(
    r"\b(?:họp báo|buổi họp báo|press (?:conference|briefing|release)|news (?:conference|briefing)|gặp gỡ báo chí|"
    r"thông cáo báo chí|phiên họp (?:thường kỳ |chuyên đề )?(?:của )?Chính phủ|"
    r"(?:regular )?(?:cabinet|Government(?:'s)?) (?:regular )?meeting|kỳ họp (?:thứ \w+ )?(?:của )?Quốc hội)\b|"
    + GOVERNMENT_MEETING.pattern,
    re.IGNORECASE,
)
# A trigger that says it happened: what is planned after it is another matter.
_PAST = re.compile(r"\b(?:spoke|met|held|had|talked|received|hosted|concluded|đã|vừa)\b", re.IGNORECASE)
_WEAK_FUTURE = frozenset({"sẽ", "will", "sắp", "tới đây"})
_TIME_HINT = re.compile(
    r"\b(?:tuần\s+(?:tới|sau)|tháng\s+(?:tới|sau|\d{1,2})|trong\s+(?:những|các)?\s*ngày\s+tới|next\s+(?:week|month)|"
    r"(?:in|into|for)\s+(?:early|mid|late|mid-)?\s*(?:January|February|March|April|May|June|July|August|September|"
    r"October|November|December)|in\s+the\s+coming\s+(?:days|weeks))\b",
    re.IGNORECASE,
)
# "07/04/2025 16:02": a page's timestamp, when it was published, not when anything happened.
_TIMESTAMP = re.compile(r"\s*[-|,]?\s*\d{1,2}:\d{2}(?!\d)")
_DEADLINE_BEFORE = re.compile(r"\b(?:hạn|thời\s+hạn|hạn\s+chót|deadline(?:\s+of)?|by)\s+(?:ngày\s+)?$", re.IGNORECASE)
_DEADLINE_AFTER = re.compile(r"\s+(?:(?:tariff|trade)\s+)?deadline\b", re.IGNORECASE)
_ACCORDING_TO = re.compile(r"\baccording\s+to\s+[^,;.]{0,50}?(?:\s+(?:on|in))?\s+$", re.IGNORECASE)
# "vào lúc 20h GMT - tương ứng với 3h sáng ngày 10/4 theo giờ Việt Nam": the time just given, in
# another time zone; the event's day is the one given first.
_CONVERTED_BEFORE = re.compile(
    r"(?:tương\s+ứng(?:\s+với)?|tức(?:\s+là)?|i\.e\.,?|equivalent\s+to|which\s+is)\s+[^,;.()]{0,20}$", re.IGNORECASE
)
_PURPOSE_BEFORE = re.compile(
    r"\b(?:chuẩn\s+bị\s+(?:kỹ\s+lưỡng\s+|kỹ\s+càng\s+|tích\s+cực\s+)?cho|prepare\s+for|preparing\s+for|preparation\s+for|"
    r"ahead\s+of|in\s+advance\s+of)\s+(?:the\s+|a\s+)?$",
    re.IGNORECASE,
)
_JUST = re.compile(r"(?:\bvừa\b(?!\s+qua)|\b[Jj]ust\b(?!\s+(?:as|like|before|after)))[^.;]{0,60}$")
_UNTIL = re.compile(r"\b(?:until|till|through|to|đến\s+hết|đến|tới)\s+(?:ngày\s+)?$", re.IGNORECASE)


def _later(a: PartialDate, b: PartialDate) -> bool:
    if a.year is not None and b.year is not None and a.year != b.year:
        return a.year > b.year
    return (a.month, a.day) > (b.month, b.day)


# "Ngày 15-11, Bộ Công Thương cho biết": a date that opens a report of what someone said.
_REPORTED_AFTER = re.compile(
    r",\s+(?:[\wÀ-ỹ()]+\s+){1,6}?(?:cho biết|thông tin|thông báo|cho hay|said|announced|reported)\b", re.IGNORECASE
)
# "At the meeting,", "after the meeting", "cuộc điện đàm này", "Tại buổi làm việc,": the event the
# text has already named.
_DEFINITE_BEFORE = re.compile(
    r"(?:\b(?:the|this|that)\s+|\b(?:tại|trong|sau|mở\s+đầu|kết\s+thúc|khai\s+mạc|bế\s+mạc)\s+)$", re.IGNORECASE
)
_DEMONSTRATIVE_AFTER = re.compile(r"^\s+(?:này|đó|nói trên|trên)\b", re.IGNORECASE)


_ATTENDING = re.compile(
    r"\b(?:tham\s+dự|tham\s+gia|attended|attending|joined|joining)\s+(?:cuộc\s+|buổi\s+|the\s+)?$", re.I
)
# "Cuộc gặp được đánh giá là ...", "Buổi làm việc diễn ra ...": a sentence that opens with the bare
# noun speaks of the event just named (Vietnamese has no article to say so).
_OPENS_WITH_NOUN = re.compile(r"^(?:Cuộc|Buổi|Phiên)\s")


# "held working sessions with Secretary Bessent and Secretary Lutnick", "lần lượt làm việc với",
# "các cuộc gặp với": one meeting with each.
_SERIAL_MEETINGS = re.compile(
    r"\b(?:working\s+sessions|meetings|separate\s+meetings|talks)\s+with\b|\blần\s+lượt\b|\bcác\s+(?:buổi|cuộc)\s+"
    r"(?:làm\s+việc|gặp|tiếp\s+xúc)\b|\bseparately\b|\briêng\s+rẽ\b",
    re.IGNORECASE,
)


# "met with A and B together", "a joint meeting", "cùng tiếp", "ba bên": one meeting of them all.
_TOGETHER = re.compile(
    r"\b(?:together|jointly|joint\s+meeting|three-way|trilateral|cùng\s+lúc|ba\s+bên|chung\s+với)\b", re.I
)


_ELECT = re.compile(r"\b(?:president[- ]elect|tổng\s+thống\s+đắc\s+cử|thủ\s+tướng\s+đắc\s+cử)\b", re.IGNORECASE)


def _one_per_counterpart(cand: Candidate) -> list[Candidate]:
    """One meeting for each US official the sentence names: "met with Secretary Bessent and
    Secretary Lutnick", "gặp Bộ trưởng Tài chính ... và Bộ trưởng Thương mại ..." are two meetings
    unless the text puts them together. A plan to meet two ("plans to meet A and possibly B") is
    one plan, unless it says the meetings are several."""
    counterparts = [name for name, strength in cand.people["us"].items() if strength == SENTENCE]
    if cand.kind != "meeting" or len(counterparts) < 2:
        return [cand]
    if re.match(r"\s+(?:both|cả\s+hai)\b", cand.sentence[cand.trigger_end :]) or _TOGETHER.search(cand.sentence):
        return [cand]  # "sessions with both Lutnick and Greer": the three of them, together
    window = cand.sentence[max(0, cand.trigger_start - 20) : cand.trigger_end + 5]
    if cand.status == "planned" and not _SERIAL_MEETINGS.search(window):
        return [cand]
    return [
        replace(cand, people={"vn": dict(cand.people["vn"]), "us": {name: SENTENCE}}, topics=set(cand.topics))
        for name in counterparts
    ]


# "at the invitation of US President Donald Trump", "Đặc phái viên của Tổng Bí thư Tô Lâm", "appointed
# by top leader To Lam to negotiate": the one
# who invites or sends is not at the event the sentence reports — but the envoy is ("Đặc phái viên
# của ông Tô Lâm là Phó Thủ tướng Hồ Đức Phớc").
_SENDER_BEFORE = re.compile(
    r"\b(?:invitation\s+of|invited\s+by|lời\s+mời\s+của|special\s+envoy\s+of|envoy\s+of|đặc\s+phái\s+viên\s+của|"
    r"appointed\s+by|sent\s+by|tasked\s+by|"
    r"on\s+behalf\s+of|thay\s+mặt(?:\s+cho)?)\s+(?:the\s+)?(?:(?!(?:là|is|was|who)\s)[\w.’'-]+\s+){0,9}$",
    re.IGNORECASE,
)


def _attending(sentence: str, start: int) -> bool:
    """ "Tham dự điện đàm có Thủ tướng ...": those who attended the event named before."""
    return bool(_ATTENDING.search(sentence[max(0, start - 20) : start]))


def _refers_back(sentence: str, start: int, end: int) -> bool:
    if _attending(sentence, start):
        return True
    # "Cuộc điện đàm của Bộ trưởng ... với ...": a sentence that says whose event it is opens a new one.
    if start == 0 and _OPENS_WITH_NOUN.match(sentence) and not re.match(r"\s+(?:giữa|với|của)\b", sentence[end:]):
        return True
    before = sentence[max(0, start - 12) : start]
    trigger = sentence[start:end].casefold()
    if trigger.startswith(("the ", "this ")):
        return not re.match(r"\s+(?:between|with|of)\b", sentence[end:])
    if _DEMONSTRATIVE_AFTER.match(sentence[end:]):
        return True
    return bool(_DEFINITE_BEFORE.search(before)) and not re.match(r"\s+(?:between|with|giữa|với)\b", sentence[end:])


@dataclass
class Candidate:
    """One trigger occurrence with the facts found around it (mutable while it is built)."""

    kind: str
    trigger_start: int  # offset in the sentence
    trigger_end: int
    sentence: str
    position: int  # offset of the sentence in the article text
    paragraph_index: int
    from_caption: bool
    from_headline: bool
    number: int | None = None
    start: PartialDate | None = None
    end: PartialDate | None = None
    location: str | None = None
    people: dict[str, dict[str, int]] = field(default_factory=lambda: {"vn": {}, "us": {}})
    mode: str | None = None
    mode_explicit: bool = False
    status: str = "held"
    status_rank: int = 0  # 2: from dates, 1: from a marker, 0: default
    topics: set[str] = field(default_factory=set)
    bare: bool = False  # a mention with no facts of its own ("vòng đàm phán lần này")
    backdrop: bool = False  # "bên lề Vòng đàm phán thứ 6": the setting, not the sentence's subject
    generic: bool = False  # "three days of talks", "the next round": the trigger names no event itself
    anaphoric: bool = False  # "At the meeting, ...", "sau cuộc điện đàm này": an event named before
    attending: bool = False  # "Tham dự điện đàm có ...": who attended the event named before
    led_to_news: bool = False  # "I have just made a deal ... after speaking with To Lam"
    by_role: bool = False  # both sides by role alone ("Bộ trưởng Công Thương với Đại diện Thương mại Mỹ")
    leaders: set[str] = field(default_factory=set)  # "Negotiators from Vietnam, led by Minister Dien": who leads it

    def explicit_sides(self) -> int:
        return sum(1 for side in ("vn", "us") if any(s == SENTENCE for s in self.people[side].values()))

    def specificity(self) -> tuple[int, int, int]:
        score = 0
        score += 8 if self.number is not None else 0
        score += 4 if self.start is not None and self.start.year is not None else 0
        score += 2 if self.start is not None else 0
        score += self.explicit_sides()
        score += 1 if self.location else 0
        score -= 1 if self.generic else 0
        return (score, 0 if self.from_caption or self.from_headline else 1, -self.position)


def _is_topic_use(text: str, match: Match[str]) -> bool:
    """ "nông nghiệp" is a chapter; "Bộ Nông nghiệp" or "Tài nguyên và Môi trường" is a ministry."""
    word = match.text
    if not word[:1].isupper() or word.isupper():
        return True
    before = text[: match.start].rstrip()
    return before == "" or before.endswith((".", ":", "|", "!", "?"))


_ARTICLE_AT_END = re.compile(r"(?:\s+(?:the|a|an|its|their|các|vòng))+\s*$", re.IGNORECASE)


def _preceded_by(text: str, start: int, matcher_name: str, profile: WatchProfile, window: int) -> bool:
    """Whether a marker ends right before `start` ("on the sidelines of the | sixth round")."""
    before = text[max(0, start - window - 8) : start]
    before = _ARTICLE_AT_END.sub("", before)
    return any(m.end >= len(before) - 1 for m in profile.marker_matcher(matcher_name).finditer(before))


_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")


def _in_quote(before: str) -> bool:
    """Whether a quotation opened before this point is still open: "Tôi vừa đạt được ...", Trump
    wrote — his "just" is the day he wrote, not the day of the report."""
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1


def _in_window(text: str, start: int, end: int, matcher_name: str, profile: WatchProfile) -> bool:
    return profile.marker_matcher(matcher_name).search(text[start:end]) is not None


_BACKDROP_PENALTY = 10_000
# "mong muốn sớm tổ chức phiên đàm phán tiếp theo", "would like to hold another round": a round someone
# wants, not one that is held or planned. (A round "proposed" may well be held: "phía Hoa Kỳ chủ động
# đề xuất tổ chức phiên đàm phán cấp Bộ trưởng" that very afternoon.)
_WISHED_ROUND = re.compile(
    r"\b(?:hopes?\s+to|hoping\s+to|would\s+like\s+to|mong\s+muốn|wish(?:es)?\s+to)\s+(?:[\w-]+\s+){0,4}$",
    re.IGNORECASE,
)
# "Signed by US President Donald Trump and ... in Kuala Lumpur on October 26, the deals ...", "The
# agreements were signed on ...": a sentence that dates the statements the one before named.
_SIGNED_FOLLOW_UP = re.compile(
    r"\s*(?:(?:Signed|Issued|Released|Announced|Unveiled)\b[^.;]{0,160}?,\s+the\s+(?:deals|agreements|statements?|documents)\b"
    r"|(?:The|These)\s+(?:deals|agreements|statements?|documents)\s+(?:were|was)\s+(?:signed|issued|released|announced)\b)",
    re.IGNORECASE,
)
# "since the second round", "sau vòng đàm phán thứ hai": a round that is the past of the sentence.
_SINCE_BEFORE = re.compile(
    r"\b(?:since|after|following|sau|kể\s+từ|từ\s+sau)\s+(?:the\s+|khi\s+)?(?:[\w-]+\s+){0,2}$", re.I
)
_BY_VIDEO = re.compile(r"\b(?:virtually|via\s+video|by\s+video|qua\s+hình\s+thức\s+trực\s+tuyến)", re.IGNORECASE)
_BESIDE = 14  # characters around a trigger where a word said of it stands ("online negotiation")


def _assign_nearest(
    cands: list[Candidate],
    spans: list[tuple[int, int]],
    ranges: list[bool] | None = None,
    barred: Collection[tuple[int, int]] = (),
) -> dict[int, int]:
    """Pair candidates with spans (dates, places) one to one, closest pairs first; a backdrop
    event takes what is left, and a round takes a date range before a single day ("today", "on
    Friday"): rounds last days. No pair (candidate, span) of `barred` is made."""
    pairs = []
    for ti, cand in enumerate(cands):
        ts, te = cand.trigger_start, cand.trigger_end
        for si, (ss, se) in enumerate(spans):
            if (ti, si) in barred:
                continue
            distance = max(ss - te if ss >= te else ts - se if se <= ts else 0, 0)
            distance += _BACKDROP_PENALTY if cand.backdrop else 0
            if ranges is not None and ranges[si]:
                # Days "from February 2 to 6" are a round's, backdrop or not; a meeting takes one day.
                distance += -_BACKDROP_PENALTY - 1 if cand.kind == "round" else _BACKDROP_PENALTY // 2
            pairs.append((distance, ti, si))
    assigned: dict[int, int] = {}
    used: set[int] = set()
    for _, ti, si in sorted(pairs):
        if ti not in assigned and si not in used:
            assigned[ti] = si
            used.add(si)
    return assigned


# "Thứ trưởng Nguyễn Sinh Nhật Tân cho biết, ...": who speaks of an event.
_SPEAKS = re.compile(
    r"\s*(?:\([^)]{0,40}\)\s*)?,?\s*(?:cho\s+biết|cho\s+hay|thông\s+tin|nói|khẳng\s+định|said|says|told)\b",
    re.IGNORECASE,
)


def _drop_speakers(cand: Candidate, people: list[_LocalPerson]) -> None:
    """ "Thứ trưởng Tân cho biết, ... Bộ trưởng Bộ Công Thương ... thu xếp điện đàm với người đồng cấp":
    who speaks of a meeting or call whose party of that side the report names by role is its
    source, not its party."""
    for p in people:
        side = p.value.side
        if cand.people[side].get(p.value.name) != SENTENCE or p.end > cand.trigger_start:
            continue
        spoke = _SPEAKS.match(cand.sentence, p.end)
        if spoke is None:
            continue
        between = cand.sentence[spoke.end() : cand.trigger_start]
        role = _ROLE_REFERENCE[side].search(between) or side == "vn" and _VN_TRADE_MINISTER.search(between)
        if role:
            del cand.people[side][p.value.name]


def _prepares(cand: Candidate) -> bool:
    """ "để chuẩn bị cho phiên đàm phán", "ahead of technical discussions": the trigger is what
    something else in the sentence prepares."""
    return _PURPOSE_BEFORE.search(cand.sentence, max(0, cand.trigger_start - 30), cand.trigger_start) is not None


# "tuyên bố chung ... được công bố ngày 26.10", "the joint statement, issued on October 26"
_ANNOUNCED_AT_END = re.compile(
    r"(?:được\s+)?(?:công\s+bố|ban\s+hành|announced|issued|released|unveiled)\s+(?:vào\s+)?(?:ngày\s+|on\s+)?$",
    re.IGNORECASE,
)


def _announced_on(text: str, cand: Candidate, date_start: int) -> bool:
    """Whether the date at `date_start` is the day statement `cand` was made public ("tuyên bố
    chung ... được công bố ngày 26.10"): it follows the statement's name and its verb of issue, or
    is said in the announcement itself ("công bố lần đầu vào ngày 2/7 trên mạng xã hội")."""
    if cand.kind == "statement" and cand.trigger_start <= date_start < cand.trigger_end:
        return True
    if cand.kind != "statement" or not cand.trigger_end <= date_start <= cand.trigger_end + 120:
        return False
    between = text[cand.trigger_end : date_start]
    return not re.search(r"[.;]", between) and _ANNOUNCED_AT_END.search(between) is not None


_RELATIVE = re.compile(r",\s+(?:who|which|whose|người|là)\b", re.IGNORECASE)


def _clause_end(text: str) -> int:
    """Where the clause that opens `text` ends: at a full stop or semicolon, or at a comma before a
    lower-case word ("..., hai bên thống nhất"), skipping a relative clause (", who is ..., and")."""
    i = 0
    while i < len(text):
        m = re.search(r"[;]|(?<![A-Z])\.(?=\s|$)|,\s+(?=[a-zà-ỹđ])", text[i:])
        if m is None:
            return len(text)
        at = i + m.start()
        if text[at] == "," and _RELATIVE.match(text, at):
            close = re.search(r",\s+(?:and|và)\b", text[at + 1 :])
            if close is not None:
                i = at + 1 + close.end()
                continue
        return at
    return len(text)


def _same_clause(text: str, cand: Candidate, at: int) -> bool:
    """No comma or semicolon between the candidate's trigger and `at` (a person after it)."""
    lo, hi = sorted((cand.trigger_end, at))
    return not re.search(r"[,;:]", text[lo:hi])


@dataclass(frozen=True)
class _LocalPerson:
    """A person mention with offsets in one sentence."""

    start: int
    end: int
    value: PersonMention


class _ArticleExtractor:
    def __init__(
        self, article: Article, profile: WatchProfile, date_mentions: list[dates_mod.DateMention] | None = None
    ):
        self.article = article
        self.profile = profile
        self.paragraphs, self.sentences = split_article(article)
        self.sentence_starts = [s.position for s in self.sentences]
        self.text = article.full_text
        self.published = article.published
        month = article.published_month
        self.year_anchor = date(month[0], month[1], 15) if month and not article.published else None
        # Dates, people and places are found once per article; each sentence takes those inside it.
        self.date_mentions = dates_mod.find_dates(self.text) if date_mentions is None else date_mentions
        self.context_year = dates_mod.article_context_year(self.text, self.date_mentions)
        if self.context_year is None and article.published_month:
            self.context_year = article.published_month[0]
        self.people = find_people(self.text, profile, article.language)
        self.places = find_places(self.text, profile)
        first_body = next((p.text for p in self.paragraphs if not p.is_headline), "")
        self.dateline = dateline_place(first_body, profile)
        self.paragraph_people = [self._people_between(p.offset, p.offset + len(p.text)) for p in self.paragraphs]
        self.trips = self._trips()
        self.names_vietnam = self._names_vietnam(self.text) or any(p.side == "vn" for p in self.people)
        parties = profile.parties_in(self.text)
        self.sides_named = {m.value for m in parties}  # the parties the article names
        self.us_mentions = sum(1 for m in parties if m.value == "us") + sum(1 for p in self.people if p.side == "us")
        self.other_mentions = len(profile.other_matcher.find_all(self.text))
        self.of_old_years = _of_old_years(article, self.text, profile)
        # "Tổng thống đắc cử Mỹ Donald Trump", "President-elect Trump": not yet in office here — said
        # where the text reports a contact, not in an old photo's caption ("President-elect Donald
        # Trump smiles during ...").
        elect_ends = [m.end() for m in _ELECT.finditer(self.text) if self._reports_a_contact(m.start())]
        self.elected = {p.name for p in self.people if any(0 <= p.start - end <= 12 for end in elect_ends)}
        if not self.names_vietnam and self.other_mentions == 0:
            # "Hiệp định Thương mại đối ứng" with no country named is this negotiation's name.
            self.names_vietnam = profile.watch_matcher.search(self.text) is not None

    def _trips(self) -> list[tuple[str, frozenset[str]]]:
        """Where the people a sentence names travel ("Phoc's visit to the United States")."""
        trips = []
        for place in trip_places(self.text, self.places, self.profile):
            sent = self._sentence_at(place.start)
            if sent is None or sent.paragraph.is_caption:
                continue  # a caption or a related story's teaser ("| Trong chuyến công tác tại Hoa Kỳ, ...")
            names = frozenset(
                p.value.name
                for p in self._people_between(sent.position, sent.position + len(sent.text))
                if not p.value.is_office
            )
            if names:
                trips.append((place.name, names))
        return trips

    def _sentence_at(self, offset: int) -> Sentence | None:
        """The sentence that holds `offset` of the article's text (None between sentences)."""
        i = bisect_right(self.sentence_starts, offset) - 1
        if i < 0 or offset >= self.sentences[i].position + len(self.sentences[i].text):
            return None
        return self.sentences[i]

    def _reports_a_contact(self, at: int) -> bool:
        sentence = self._sentence_at(at)
        return sentence is not None and any(
            t.kind in ("meeting", "call") for t in find_triggers(sentence.text, self.profile)
        )

    # --- resolvers' results, by span ---------------------------------------------------------

    def _people_between(self, start: int, end: int) -> list[_LocalPerson]:
        return [
            _LocalPerson(p.start - start, p.end - start, p) for p in self.people if start <= p.start and p.end <= end
        ]

    def _places_in(self, sent: Sentence) -> list[PlaceMention]:
        end = sent.position + len(sent.text)
        return [
            replace(p, start=p.start - sent.position, end=p.end - sent.position)
            for p in self.places
            if sent.position <= p.start and p.end <= end
        ]

    def _resolve(self, mention: dates_mod.DateMention) -> tuple[PartialDate | None, PartialDate | None]:
        return dates_mod.resolve(mention, self.published, self.context_year, self.year_anchor)

    # --- candidates -------------------------------------------------------------------------

    def _belongs_elsewhere(self, sentence: str, start: int, end: int) -> bool:
        """A round or session of another negotiation ("vòng đàm phán thứ 19 VN-EFTA", "Thailand and
        the United States have commenced their first round")."""
        attached = re.split(r"[,.;:()]", sentence[end:], maxsplit=1)[0][:80]
        before = sentence[max(0, start - 40) : start]
        if self.profile.watch_matcher.search(attached):
            return False
        if self.profile.other_matcher.search(attached) or self.profile.other_matcher.search(before):
            return not self._names_vietnam(attached + " " + before)
        # The subject of the sentence: "Thailand and the United States have commenced ..."
        head = sentence[:start]
        return bool(self.profile.other_matcher.search(head)) and not self._names_vietnam(sentence)

    def _names_vietnam(self, text: str) -> bool:
        return any(m.value == "vn" for m in self.profile.parties_in(text))

    def _wished(self, text: str, start: int, end: int) -> bool:
        """A hope, an invitation or an aim, not an event: "look forward to a meeting", "sớm ký
        kết Hiệp định", "hướng tới hoàn tất đàm phán và ký kết"."""
        lo = max(0, start - 70)
        before = text[lo:start]
        clause_start = max((m.end() for m in _CLAUSE_BREAK.finditer(before)), default=0)
        return self.profile.marker_matcher("wish").search(before[clause_start:] + text[start:end]) is not None

    def candidates(self) -> list[Candidate]:
        out: list[Candidate] = []
        for index, sent in enumerate(self.sentences):
            found = self._sentence_candidates(sent)
            if index + 1 < len(self.sentences):
                self._dated_by_the_next(found, self.sentences[index + 1])
            out.extend(found)
        return out

    def _dated_by_the_next(self, cands: list[Candidate], following: Sentence) -> None:
        """ "The White House has announced ... joint trade statements with Thailand and Vietnam. Signed
        by ... in Kuala Lumpur on October 26, the deals ...": the next sentence says when, where and by
        whom the statements were made."""
        undated = [c for c in cands if c.kind == "statement" and c.start is None]
        if not undated or not _SIGNED_FOLLOW_UP.match(following.text):
            return
        end = following.position + len(following.text)
        dates = [d for d in self.date_mentions if following.position <= d.start and d.end <= end]
        places = [p for p in self._places_in(following) if p.locative]
        signers = [p.value for p in self._people_between(following.position, end) if not p.value.is_office]
        for cand in undated:
            if dates:
                cand.start, cand.end = self._resolve(dates[0])
                self._set_status(cand)
            if places and cand.location is None:
                cand.location = places[0].name
            for person in signers:  # "Signed by US President Donald Trump and ...": its parties
                cand.people[person.side].setdefault(person.name, NEARBY)

    def _sentence_candidates(self, sent: Sentence) -> list[Candidate]:
        text, profile = sent.text, self.profile
        triggers = find_triggers(text, profile)
        if not triggers:
            return []
        people = [
            p
            for p in self._people_between(sent.position, sent.position + len(text))
            if not _SENDER_BEFORE.search(text, max(0, p.start - 90), p.start)
        ]
        self._people_in_sentence = people
        leaders = {p.value.side for p in people if p.value.rank in LEADERS}
        result: list[Candidate] = []
        for trig in triggers:
            kind = trig.kind
            if kind in ("round", "ministerial_session", "negotiation_session") and (
                self._belongs_elsewhere(text, trig.start, trig.end)
                or _WISHED_ROUND.search(text, max(0, trig.start - 45), trig.start)
            ):
                continue
            if (
                kind in ("meeting", "call", "statement")
                and not trig.held_hint
                and self._wished(text, trig.start, trig.end)
            ):
                continue
            if kind == "meeting" and _PRESS.search(text[max(0, trig.start - 30) : trig.end + 30]):
                continue  # a press conference is no meeting of the two sides
            kind = self._session_kind(trig, kind, text, triggers, leaders)
            result.append(
                Candidate(
                    kind=kind,
                    trigger_start=trig.start,
                    trigger_end=trig.end,
                    sentence=text,
                    position=sent.position,
                    paragraph_index=sent.paragraph_index,
                    from_caption=sent.paragraph.is_caption,
                    from_headline=sent.paragraph.is_headline,
                    number=trig.number if kind != "statement" else None,
                    generic=trig.generic,
                    anaphoric=kind in ("meeting", "call")
                    and (trig.generic or _refers_back(text, trig.start, trig.end)),
                    attending=_attending(text, trig.start),
                    led_to_news=trig.led_to_news,
                )
            )
            if trig.planned_hint:
                result[-1].status, result[-1].status_rank = "planned", 1
            elif trig.held_hint:
                result[-1].status, result[-1].status_rank = "held", 1
            if kind == "round" and NEXT_AFTER.match(text, trig.end):
                result[-1].generic = True  # "vòng đàm phán tiếp theo": the next round, whoever leads it
        if any(c.kind == "round" and not c.generic for c in result):
            # "the seventh round ..., after four days of talks from March 10 to 13": one round.
            result = [c for c in result if not (c.kind == "round" and c.generic)]
        if any(c.kind == "round" for c in result):
            # "Đoàn ... đã sang Mỹ, làm việc với các cơ quan liên quan": working with agencies, no one
            # named, is the round's own work, not a meeting of its own.
            result = [c for c in result if not (c.kind == "meeting" and self._unnamed_work(c, people))]
        for cand in result:
            cand.backdrop = self._backdrop(text, cand.trigger_start)
        self._assign_dates(result, text, sent.position)
        self._assign_places(result, sent)
        self._assign_people(result, people)
        for cand in result:
            if cand.kind == "round" and _PRESS_TALK.search(text, 0, cand.trigger_start):
                # "Thủ tướng đã chủ trì cuộc họp Thường trực Chính phủ ... sau vòng đàm phán thứ hai":
                # who chairs a government meeting or speaks to the press about a round did not negotiate it.
                cand.people = {"vn": {}, "us": {}}
            elif cand.kind in ("meeting", "call"):
                _drop_speakers(cand, people)
        for cand in result:
            others = [(c.trigger_start, c.trigger_end) for c in result if c is not cand]
            self._set_mode(cand, others)
            if self._talks_online(cand):
                cand.kind = "call"
            self._set_status(cand)
            self._set_topics(cand)
        return [one for cand in result for one in _one_per_counterpart(cand)]

    @staticmethod
    def _unnamed_work(cand: Candidate, people: list[_LocalPerson]) -> bool:
        trigger = cand.sentence[cand.trigger_start : cand.trigger_end].casefold()
        if not trigger.startswith(("làm việc với", "working with", "worked with", "work with")):
            return False
        return not any(cand.trigger_end <= p.start <= cand.trigger_end + 40 for p in people)

    def _backdrop(self, text: str, start: int) -> bool:
        """ "on the sidelines of the sixth round of talks", "bên lề Vòng đàm phán thứ 6": the round is
        the setting; the marker may stand a few words before the trigger, in the same phrase."""
        before = text[max(0, start - 45) : start]
        for m in self.profile.marker_matcher("backdrop").finditer(before):
            gap = before[m.end :]
            if len(gap) <= 25 and not re.search(r"[,.;:]", gap):
                return True
        return False

    def _session_kind(self, trig: Trigger, kind: str, text: str, triggers: list[Trigger], leaders: set[str]) -> str:
        """ "A negotiation session" between ministers of both sides is a ministerial session;
        otherwise it names the round. So is a round of talks "between Dien, Lutnick and Greer"."""
        explicit = any(t.kind == "ministerial_session" for t in triggers)
        if kind == "discussion":
            # "the discussions between General Secretary Lam and President Trump on April 4": leaders
            # of two countries who discuss without meeting do it by phone.
            heads = {p.value.side for p in self._people_in_sentence if p.value.rank == "head_of_state"}
            return "call" if heads >= {"vn", "us"} else "meeting"
        if kind == "negotiation_session":
            technical = re.match(r"\s+(?:cấp\s+)?kỹ\s+thuật", text[trig.end :]) or re.search(
                r"\btechnical\s+$", text[max(0, trig.start - 12) : trig.start], re.IGNORECASE
            )
            between = self.profile.marker_matcher("between").search(text[trig.end : trig.end + 40])
            # "after the negotiation session", "tại phiên đàm phán": the session the text is about
            # (the round), unless it says between whom.
            referring = _refers_back(text, trig.start, trig.end) and between is None
            ministerial = leaders >= {"vn", "us"} and not technical and not explicit and not referring
            return "ministerial_session" if ministerial else "round"
        if kind == "round" and trig.number is None and not explicit and leaders >= {"vn", "us"}:
            between = self.profile.marker_matcher("between").search(text[trig.end : trig.end + 40])
            if between is not None:
                return "ministerial_session"
        return kind

    def _assign_dates(self, cands: list[Candidate], text: str, position: int) -> None:
        inside = [
            replace(d, start=d.start - position, end=d.end - position)
            for d in self.date_mentions
            if position <= d.start and d.end <= position + len(text) and not _TIMESTAMP.match(self.text, d.end)
        ]
        # A statement is its announcement: "Trump announced on Wednesday" dates it, and so does "tuyên
        # bố chung ... được công bố ngày 26.10" beside another event's date.
        announcing = all(c.kind == "statement" for c in cands)
        mentions: list[dates_mod.DateMention] = []
        announced: set[int] = set()
        for d in inside:
            if _CONVERTED_BEFORE.search(text, max(0, d.start - 30), d.start):
                continue
            if _DEADLINE_AFTER.match(text, d.end):
                continue  # "before the July 9 deadline": no day anything happened
            if not announcing and self._is_reporting_date(text, d.start, d.end):
                if not any(_announced_on(text, c, d.start) for c in cands):
                    continue
                announced.add(len(mentions))
            mentions.append(d)
        spans = [(d.start, d.end) for d in mentions]
        ranges = [d.last is not None for d in mentions]
        # "bay sang Mỹ tối mai 30.1 để chuẩn bị cho phiên đàm phán lần thứ 6": the date is the trip's,
        # not the round's it prepares; but "ahead of technical discussions scheduled for November
        # 12–14" gives the round its own.
        prepared = [_prepares(c) for c in cands]
        barred = set()
        for ti, c in enumerate(cands):
            for si, d in enumerate(mentions):
                if si in announced and not _announced_on(text, c, d.start) or prepared[ti] and d.start < c.trigger_end:
                    barred.add((ti, si))
        assigned = _assign_nearest(cands, spans, ranges, barred=barred)
        for ti, si in assigned.items():
            if cands[ti].generic and cands[ti].status == "planned" and mentions[si].first is None:
                continue
            first, last = self._resolve(mentions[si])
            cands[ti].start, cands[ti].end = first, last
        if self.published is not None:
            for cand in cands:
                # "Trump vừa thông báo ...", "Just had a very productive call": on the day of the report.
                before = _QUOTED.sub(" ", text[: cand.trigger_start])
                # (A round "just concluded" ended then; it began days before.)
                if (
                    cand.start is None
                    and cand.kind != "round"
                    and not cand.backdrop
                    and _JUST.search(before)
                    and not _in_quote(before)
                ):
                    reported = self.published
                    cand.start = PartialDate(reported.day, reported.month, reported.year)
        used = set(assigned.values())
        for cand in cands:
            if cand.kind != "round" or cand.start is None or cand.end is not None:
                continue
            # "began on Monday and will run until May 22": the day a round runs until is its end.
            for si, d in enumerate(mentions):
                if si not in used and _UNTIL.search(text[max(0, d.start - 12) : d.start]):
                    last, _ = self._resolve(d)
                    if last is not None and _later(last, cand.start):
                        cand.end = last
                        break
        same_day = _SAME_DAY.search(text)
        if same_day is not None:
            # "Cùng ngày, ..." / "the same day": the day the text named last, before this point.
            earlier = [
                d
                for d in self.date_mentions
                if d.end <= position + same_day.start()
                and d.first is not None
                and not self._is_reporting_date(self.text, d.start)
            ]
            if earlier:
                day, _ = self._resolve(earlier[-1])
                for cand in cands:
                    if cand.start is None and not cand.backdrop:
                        cand.start = day

    def _is_reporting_date(self, text: str, start: int, end: int | None = None) -> bool:
        if _DEADLINE_BEFORE.search(text[max(0, start - 20) : start]):
            return True  # "Đến hạn 9/7": a deadline, not when anything happened (and see `_DEADLINE_AFTER`)
        if _ACCORDING_TO.search(text, max(0, start - 70), start):
            return True  # "according to Vietnam's trade ministry on Sunday": when the source spoke
        if end is not None and start <= 14 and _REPORTED_AFTER.match(text, end):
            return True  # "Ngày 15-11, Bộ Công Thương cho biết ...": the sentence opens with when the ministry spoke
        if end is not None and start <= 14:
            after = text[end : end + 90]
            own = _PRESS_TALK.search(after)
            if own is not None and not self.profile.trigger_matcher.search(after[: own.start()]):
                return True  # "Ngày 24/5, Thủ tướng đã chủ trì cuộc họp Thường trực Chính phủ ...": that meeting's day
        before = text[max(0, start - 45) : start]
        press = max(_PRESS_TALK.finditer(before), key=lambda m: m.end(), default=None)
        if press is not None and not self.profile.trigger_matcher.search(before[press.end() :]):
            return True  # "Tại họp báo diễn ra ngày 29/1, ...", "told a news conference on Friday"
        for m in self.profile.marker_matcher("reporting").finditer(before):
            gap = before[m.end :]
            # "said on Sunday", "cho biết ngày 15/11", "the ministry said in a statement released on
            # Tuesday" — but not "said that on October 26, ... met": that date is what was said.
            if len(gap) <= 25 and not re.search(r"[,;.]|\b(?:that|rằng|là)\b", gap):
                return True
        return False

    def _assign_places(self, cands: list[Candidate], sent: Sentence) -> None:
        places = [p for p in self._places_in(sent) if p.locative]
        # A city says more than its country: "tại Washington D.C., Hoa Kỳ".
        cities = [p for p in places if not p.is_country]
        countries = [p for p in places if p.is_country]
        # "held the session in Washington D.C. on November 10, ahead of technical discussions": the
        # place before "ahead of" is the session's; alone, a trip "để chuẩn bị cho" a round goes where it is.
        first_end = min(c.trigger_end for c in cands) if cands else 0
        for pool in (cities, countries):
            free = [c for c in cands if c.location is None and c.kind != "call"]  # a call happens nowhere
            barred = {
                (ti, si)
                for ti, c in enumerate(free)
                if c.trigger_start >= first_end and _prepares(c)
                for si, place in enumerate(pool)
                if place.start < c.trigger_end
            }
            for ti, si in _assign_nearest(free, [(p.start, p.end) for p in pool], barred=barred).items():
                cand, place = free[ti], pool[si]
                if place.is_country and not self._close(cand, place.start, place.end):
                    continue  # "growth in Vietnam" far off is no place of this event
                cand.location = place.name

    @staticmethod
    def _close(cand: Candidate, start: int, end: int, reach: int = 60) -> bool:
        """Within `reach` characters of the candidate's trigger, with no clause break between."""
        lo, hi = (cand.trigger_end, start) if start >= cand.trigger_end else (end, cand.trigger_start)
        return hi - lo <= reach and not re.search(r"[;.]|,\s+(?:while|but|which|khi|nhưng)\b", cand.sentence[lo:hi])

    def _assign_people(self, cands: list[Candidate], people: list[_LocalPerson]) -> None:
        text = cands[0].sentence if cands else ""
        scopes = {id(c): self._between_scope(c) for c in cands}
        # Each person goes to the trigger whose "giữa A và B" names them, else to the nearest
        # trigger of the sentence that is not a bare round mention.
        anchors = [c for c in cands if not (c.kind == "round" and c.number is None)] or cands
        for person in people:
            scoped = [c for c in cands if (sc := scopes[id(c)]) and sc[0] <= person.start < sc[1]]
            pool = scoped or [c for c in anchors if scopes[id(c)] is None]
            if not pool:
                continue
            centre = (person.start + person.end) / 2
            clause = [c for c in pool if _same_clause(text, c, person.start) and c.trigger_end <= person.start]
            nearest = min(clause or pool, key=lambda c: abs(centre - (c.trigger_start + c.trigger_end) / 2))
            strength = NEARBY if person.value.by_title else SENTENCE
            side_people = nearest.people[person.value.side]
            side_people[person.value.name] = max(strength, side_people.get(person.value.name, strength))
        for cand in cands:
            if cand.kind == "round":
                for head in self._delegation_heads(text, people):
                    cand.people[head.side][head.name] = SENTENCE
                    cand.leaders.add(head.name)
        for cand in cands:
            if cand.kind == "round" and cand.backdrop and not cand.people["vn"]:
                # "Minister Hùng held a working session with Senator Hagerty ... on the sidelines of
                # the sixth round": who came for the round is in its delegation; whom he met is not.
                for meeting in (c for c in cands if c.kind == "meeting" and not c.backdrop):
                    for name, strength in meeting.people["vn"].items():
                        if not self._is_office(name):
                            cand.people["vn"].setdefault(name, strength)
        for cand in cands:
            self._fill_from_context(cand, cands)
            if cand.kind == "round":
                self._named_delegation_leads(cand)
            for side in ("vn", "us"):
                names = cand.people[side]
                top = max(names.values(), default=None)
                persons = {n for n, s in names.items() if s == top and not self._is_office(n)}
                if persons:  # an office stands for a side only when no person of it is named
                    cand.people[side] = {n: s for n, s in names.items() if not self._is_office(n)}

    def _named_delegation_leads(self, cand: Candidate) -> None:
        """A round whose side is only an office ("USTR") takes the person a sentence of its own or
        the next paragraph names as leading that side's delegation."""
        for side in ("vn", "us"):
            names = cand.people[side]
            if not names or not all(self._is_office(n) for n in names):
                continue
            paragraphs = self.paragraphs[cand.paragraph_index : cand.paragraph_index + 2]
            for paragraph in paragraphs:
                for offset, sentence in split_sentences(paragraph.text):
                    if not (_DELEGATION.search(sentence) and _LEADS.search(sentence)):
                        continue
                    start = paragraph.offset + offset
                    leads = [
                        p.value.name
                        for p in self._people_between(start, start + len(sentence))
                        if p.value.side == side and not p.value.is_office
                    ]
                    if leads:
                        cand.people[side] = dict.fromkeys(leads, SENTENCE)
                        break
                if not all(self._is_office(n) for n in cand.people[side]):
                    break

    def _between_scope(self, cand: Candidate) -> tuple[int, int] | None:
        """The span of "giữa A và B" right after the trigger, if there is one: it runs to the end
        of the clause, over appositions ("between the Special Envoy ..., Minister of Industry and
        Trade Nguyễn Hồng Diên and ...") and relative clauses (", who is also ..., and")."""
        text = cand.sentence
        after = text[cand.trigger_end : cand.trigger_end + 70]
        head = re.split(r"[,;.]", after, maxsplit=1)[0]
        m = self.profile.marker_matcher("between").search(head)
        if m is None:
            return None
        start = cand.trigger_end + m.start
        return start, start + _clause_end(text[start:])

    def _delegation_heads(self, text: str, people: list[_LocalPerson]) -> list[PersonMention]:
        heads = []
        for marker in self.profile.marker_matcher("delegation_head").finditer(text):
            if text[max(0, marker.start - 4) : marker.start].strip().lower().endswith("phó"):
                continue  # a deputy head leads no delegation
            near = [p for p in people if abs(p.start - marker.end) <= 60 or abs(marker.start - p.end) <= 60]
            if near:
                closest = min(near, key=lambda p: min(abs(p.start - marker.end), abs(marker.start - p.end)))
                heads.append(closest.value)
        return heads

    def _is_office(self, name: str) -> bool:
        return name in self.profile.office_names

    def _fill_from_context(self, cand: Candidate, siblings: list[Candidate]) -> None:
        """Borrow participants for an empty side: the paragraph, then (rounds) nearby paragraphs."""
        # People who met on the sidelines of a round are the meeting's, not the round's.
        taken = (
            {
                name
                for other in siblings
                if other is not cand and other.kind != "round"
                for side in ("vn", "us")
                for name, strength in other.people[side].items()
                if strength == SENTENCE
            }
            if cand.kind == "round"
            else set()
        )
        if cand.generic:
            return  # "the next round", "three days of talks": who takes part is not said
        for side in ("vn", "us"):
            if cand.people[side]:
                continue
            if cand.kind in ("meeting", "call") and self._third_country_counterpart(cand):
                continue  # the counterpart is a third country's, not this negotiation's
            names = [
                p.value.name
                for p in self.paragraph_people[cand.paragraph_index]
                if p.value.side == side and p.value.name not in taken
            ]
            if names:
                cand.people[side] = {n: PARAGRAPH for n in names}
                continue
            if cand.kind in ("meeting", "call"):
                role = _ROLE_REFERENCE[side].search(cand.sentence)
                # "the Vietnamese official", "Vietnam's trade minister" is someone named nearby; "the
                # US Deputy Minister of Foreign Affairs" is an office of its own, not whoever is.
                generic_role = role is not None and not re.search(
                    r"\bof\s+[A-Z]", cand.sentence[role.end() : role.end() + 30]
                )
                # "I have just made a Trade Deal ... after speaking with To Lam": the one who announces.
                if (
                    self._our_counterpart(cand.sentence)
                    or generic_role
                    or _PRONOUN_SUBJECT.search(cand.sentence)
                    or cand.led_to_news
                ):
                    # "his Vietnamese counterpart", "He was speaking during a meeting with ...": the
                    # one the text names just before, or else just after.
                    # "Vietnam's leader" may be the General Secretary; "the US Trade Representative"
                    # or "a minister" is not the President named nearby.
                    leaders_too = role is None or "leader" in role.group(0).casefold()
                    name = self._nearest_named(cand.paragraph_index, side, leaders_too)
                    if name is not None:
                        cand.people[side] = {name: NEARBY}
                continue
            if cand.kind != "round":
                continue
            if cand.from_headline:
                # A headline sums up the article: its round is led by the article's leaders.
                leaders = [
                    p.value.name
                    for ps in self.paragraph_people
                    for p in ps
                    if p.value.side == side and p.value.rank in DELEGATION_LEADERS
                ]
                cand.people[side] = dict.fromkeys(leaders, NEARBY)
                continue
            for following in self.paragraph_people[cand.paragraph_index + 1 : cand.paragraph_index + 4]:
                # A head of state or government does not sit at a round: one named after it speaks of it.
                names = [
                    p.value.name
                    for p in following
                    if p.value.side == side and p.value.name not in taken and p.value.rank != "head_of_state"
                ]
                if names:
                    cand.people[side] = {n: NEARBY for n in names}
                    break

    def _nearest_named(self, index: int, side: str, leaders_too: bool = True) -> str | None:
        """The person of `side` named last in the two paragraphs before `index`, or else first in
        the two after it (a head of state or party only if `leaders_too`)."""

        def named(people: list[_LocalPerson]) -> list[str]:
            return [
                p.value.name
                for p in people
                if p.value.side == side and not p.value.is_office and (leaders_too or p.value.rank != "head_of_state")
            ]

        for people in reversed(self.paragraph_people[max(0, index - 2) : index]):
            if names := named(people):
                return names[-1]
        for people in self.paragraph_people[index + 1 : index + 3]:
            if names := named(people):
                return names[0]
        return None

    def _third_country_counterpart(self, cand: Candidate) -> bool:
        """ "phone talks with his Malaysian counterpart", "điện đàm với Bộ trưởng Brazil": the one met
        is a third country's. A third country that is only the venue ("at a dinner in the Republic of
        Korea") is not."""
        after = cand.sentence[cand.trigger_end : cand.trigger_end + 45]
        return bool(self.profile.other_matcher.search(after)) and not self._names_vietnam(after)

    def _our_counterpart(self, sentence: str) -> bool:
        """ "his Vietnamese counterpart", not "his Malaysian counterpart"."""
        m = _COUNTERPART.search(sentence)
        if m is None:
            return False
        before = sentence[max(0, m.start() - 25) : m.start()]
        return not self.profile.other_matcher.search(before)

    def _set_mode(self, cand: Candidate, others: Sequence[tuple[int, int]] = ()) -> None:
        """The mode its own trigger says, else the mode word nearest to it; a word inside another
        event's trigger is that event's ("the first in-person session ... following the online
        meeting on April 12": the session was in person)."""
        lo, hi = max(0, cand.trigger_start - 30), cand.trigger_end + 60
        trigger = cand.sentence[cand.trigger_start : cand.trigger_end]
        # A call is remote: "trực tiếp nói chuyện với" (spoke personally) does not put it in a room.
        modes = ("online", "phone") if cand.kind == "call" else ("online", "phone", "in_person")
        for mode in modes:
            if _in_window(trigger, 0, len(trigger), mode, self.profile):
                cand.mode, cand.mode_explicit = mode, True
                return
        nearest: tuple[int, int, str] | None = None
        for rank, mode in enumerate(modes):
            for m in self.profile.marker_matcher(mode).finditer(cand.sentence[lo:hi]):
                start, end = lo + m.start, lo + m.end
                if any(s <= start and end <= e for s, e in others):
                    continue
                gap = cand.trigger_start - end if end <= cand.trigger_start else max(start - cand.trigger_end, 0)
                if nearest is None or (gap, rank) < nearest[:2]:
                    nearest = (gap, rank, mode)
        if nearest is not None:
            cand.mode, cand.mode_explicit = nearest[2], True
            return
        cand.mode = "phone" if cand.kind == "call" else "in_person"

    def _talks_online(self, cand: Candidate) -> bool:
        """ "the online negotiation at the ministerial level", "a virtual ministerial dialogue",
        "phiên đàm phán cấp Bộ trưởng trực tuyến", "met ... virtually": who talk online hold a call, as a call
        is "phone or online talks"; the sessions the sources count ("the eighth ministerial-level
        direct negotiation") are the ones in person. A numbered one stays what its number says."""
        if cand.kind not in ("ministerial_session", "meeting") or cand.number is not None or cand.mode != "online":
            return False
        text = cand.sentence
        if cand.kind == "meeting" and _BY_VIDEO.search(_CLAUSE_END.split(text[cand.trigger_end :], maxsplit=1)[0]):
            return True  # "held talks via videoconference", "met Jamieson Greer virtually"
        lo, hi = max(0, cand.trigger_start - _BESIDE), cand.trigger_end + _BESIDE
        return any(
            m.end >= cand.trigger_start - lo - 2 and m.start <= cand.trigger_end - lo + 2
            for m in self.profile.marker_matcher("online").finditer(text[lo:hi])
        )

    def _set_status(self, cand: Candidate) -> None:
        lead_in = max(0, cand.trigger_start - 100)
        if cand.kind == "statement" and _AGREED_TEXT.search(cand.sentence, lead_in, cand.trigger_start):
            cand.status, cand.status_rank = "agreed", 2
            return
        published = self.published
        first = cand.start.resolved() if cand.start else None
        last = (cand.end.resolved() if cand.end else None) or first
        text = cand.sentence
        if published and first and last:
            cand.status_rank = 2
            cand.status = "planned" if first > published else "held" if last < published else "ongoing"
            if cand.status == "ongoing" and (
                cand.end is None  # a one-day meeting reported the same day has happened, unless announced
                and not self._marks(cand, "planned")
                or self._marks(cand, "held")
            ):
                cand.status = "held"  # reported on its last day, as over
            return
        if cand.status_rank == 1:
            return  # the trigger's own grammar said so ("the next scheduled for June")
        if cand.kind != "statement" and _prepares(cand):
            cand.status, cand.status_rank = "planned", 1  # "chuẩn bị kỹ lưỡng cho vòng đàm phán": to come
            return
        if (
            cand.kind == "round"
            and cand.number is not None
            and _SINCE_BEFORE.search(text, max(0, cand.trigger_start - 30), cand.trigger_start)
        ):
            cand.status, cand.status_rank = "held", 1  # "progress since the second round": its past
            return
        if _preceded_by(text, cand.trigger_start, "ongoing", self.profile, window=14) or self._marks_ongoing(cand):
            cand.status, cand.status_rank = "ongoing", 1
        elif self._marks(cand, "planned"):
            cand.status, cand.status_rank = "planned", 1

    def _marks_ongoing(self, cand: Candidate) -> bool:
        """ "gets underway", "đang diễn ra", "ngày đầu tiên của phiên đàm phán" said of this event
        and not of a backdrop."""
        if cand.backdrop:
            return False
        text = cand.sentence
        lo, hi = max(0, cand.trigger_start - 30), cand.trigger_end + 40
        window = text[lo:hi]
        return bool(
            re.search(
                r"\b(?:gets? underway|is underway|under way|đang diễn ra|ngày đầu tiên|first day)\b", window, re.I
            )
        )

    def _marks(self, cand: Candidate, marker: str) -> bool:
        """Whether a status marker speaks of this candidate: in a window around its trigger, but not
        one that introduces another event after it ("... để chuẩn bị cho vòng đàm phán tiếp theo")."""
        text = cand.sentence
        # "held"/"concluded" may come late in the sentence; a future marker far after the trigger
        # speaks of another clause ("cuộc điện đàm ... được nhận định là sẽ giúp ...").
        lo, hi = max(0, cand.trigger_start - 40), cand.trigger_end + 130
        for m in self.profile.marker_matcher(marker).finditer(text[lo:hi]):
            start, end = lo + m.start, lo + m.end
            if marker == "planned" and start > cand.trigger_end + 30 and m.text.casefold() in _WEAK_FUTURE:
                continue  # "sẽ giúp", "will help" far after the trigger: what it will bring, not when
            if (
                marker == "planned"
                and start >= cand.trigger_end
                and _PAST.search(text[max(0, cand.trigger_start - 12) : cand.trigger_end])
            ):
                continue  # "spoke on Wednesday and instructed their teams to meet in the coming days"
            if start >= cand.trigger_end and self.profile.trigger_matcher.search(text[end : end + 25]):
                continue
            return True
        return False

    def _set_topics(self, cand: Candidate) -> None:
        if cand.kind not in ("round", "ministerial_session", "statement"):
            return  # chapters are negotiated at rounds and sessions; meetings range wider
        indices = [cand.paragraph_index]
        if cand.kind == "round":
            indices.append(cand.paragraph_index + 1)
        for i in indices:
            if i < len(self.paragraphs):
                text = self.paragraphs[i].text
                cand.topics.update(m.value for m in self.profile.topic_matcher.finditer(text) if _is_topic_use(text, m))

    # --- validity -------------------------------------------------------------------------

    def keep(self, cand: Candidate) -> bool:
        """Whether a candidate can stand for an event of this negotiation (before folding)."""
        since = self.profile.since
        day = cand.start.resolved() if cand.start else None
        if since is not None and day is not None and day < since:
            return False  # history: before the negotiation opened
        if not self.names_vietnam:
            return False  # an article that never names Vietnam reports another country's talks
        has_vn, has_us = bool(cand.people["vn"]), bool(cand.people["us"])
        if self.of_old_years and cand.people["vn"] and not self.profile.listed_names.intersection(cand.people["vn"]):
            return False  # "Prime Minister Nguyen Xuan Phuc met President Trump" on a page of 2017
        if cand.kind in ("meeting", "call", "statement") and any(
            fold(name).casefold() in self.profile.earlier_folded for side in ("vn", "us") for name in cand.people[side]
        ):
            return False  # an official of an earlier government: history
        if cand.kind in ("meeting", "call") and set(cand.people["us"]) & self.elected:
            return False  # a president-elect does not yet negotiate for a government
        if cand.kind == "call" and self._continuing(cand):
            return False  # "amid stalled online negotiations": the talks going on, no one call
        if cand.kind in ("meeting", "call"):
            vn_person = any(not self._is_office(n) for n in cand.people["vn"])
            party = self._party_met(cand)
            vn_role = bool(
                _ROLE_REFERENCE["vn"].search(cand.sentence) or _VN_TRADE_MINISTER.search(cand.sentence) or party == "vn"
            )
            us_role = _ROLE_REFERENCE["us"].search(cand.sentence) is not None or party == "us"
            # Both sides by role alone ("Cuộc điện đàm của Bộ trưởng Công Thương với Trưởng Đại diện
            # Thương mại Mỹ") is still the two governments.
            us_person = any(not self._is_office(n) for n in cand.people["us"])
            cand.by_role = not (vn_person or us_person)
            return (vn_person or vn_role and (has_us or us_role)) and (has_us or us_role and (vn_person or vn_role))
        if cand.kind == "statement":
            if cand.status == "planned" and cand.start is None:
                return False  # "to sign the agreement": an aim, not a statement
            return self._statement_is_ours(cand) or (has_vn and has_us and cand.explicit_sides() == 2)
        if cand.kind in ("round", "ministerial_session") and not self._about_us_talks(cand):
            return False
        if cand.kind == "ministerial_session" and cand.number is None and cand.start is None:
            # "discussed key issues from the ministerial talks": the session named before, whose
            # facts and people are its own; this mention founds none.
            cand.bare = _refers_back(cand.sentence, cand.trigger_start, cand.trigger_end)
        if cand.kind == "round":
            if self._continuing(cand):
                return False
            # A bare mention keeps the place its sentence gives ("sẽ sang Mỹ để chuẩn bị cho phiên
            # đàm phán lần này"): the trip's destination is where the round it refers to is held.
            cand.bare = cand.number is None and cand.start is None and self._refers_to_a_round(cand)
        return True

    def _party_met(self, cand: Candidate) -> str | None:
        """The side a meeting or call is "với Mỹ" / "with the United States", if it names one so."""
        with_ = _WITH.match(cand.sentence, cand.trigger_end)
        if with_ is None:
            return None
        party = self.profile.party_matcher.search(cand.sentence[with_.end() : with_.end() + 20])
        return party.value if party is not None and party.start == 0 else None

    def _continuing(self, cand: Candidate) -> bool:
        """ "agreed to accelerate technical talks", "tiếp tục vòng đàm phán kỹ thuật", "amid stalled
        online negotiations": the work going on, no one round or call, when nothing (number, date,
        place, "next week" — for a call, in its own clause) singles one out."""
        if cand.number is not None or self._when_or_where(cand, clause_only=cand.kind == "call"):
            return False
        before = _ARTICLE_AT_END.sub("", cand.sentence[max(0, cand.trigger_start - 30) : cand.trigger_start])
        before = _KIND_OF_TALKS_AT_END.sub("", before)
        return any(m.end >= len(before.rstrip()) for m in self.profile.marker_matcher("continuing").finditer(before))

    def _when_or_where(self, cand: Candidate, clause_only: bool = False) -> bool:
        """A planned round the text places in time or space ("the next scheduled for early June",
        "in Washington in April", "trong tuần tới"): news. "The upcoming round" alone is not."""
        if cand.start is not None or cand.location is not None:
            return True
        text = cand.sentence
        if clause_only:
            text = _CLAUSE_END.split(text[cand.trigger_start :], maxsplit=1)[0]
        return bool(_TIME_HINT.search(text))

    def _refers_to_a_round(self, cand: Candidate) -> bool:
        """A mention that names no round of its own: one the text has named ("vòng đàm phán lần
        này", "tại phiên đàm phán", "this round of negotiations") or the negotiation as a whole
        ("trong cuộc đàm phán với Washington", "the negotiations"). It joins a round the article
        names and founds none. "The next round", "three days of talks in Washington" or "a new round
        of negotiations gets underway" do speak of one round."""
        text = cand.sentence
        trigger = text[cand.trigger_start : cand.trigger_end].casefold()
        if cand.generic:
            return cand.status == "planned" and not self._when_or_where(cand)
        if trigger.startswith(("cuộc đàm phán", "phiên đàm phán")) and not cand.location:
            return True
        if _refers_back(text, cand.trigger_start, cand.trigger_end):
            return True
        after = text[cand.trigger_end : cand.trigger_end + 12]
        return (
            bool(re.match(r"\s+(?:lần\s+này|này|đó|nói\s+trên)\b", after, re.IGNORECASE))
            or cand.explicit_sides() == 0
            and (cand.from_caption or cand.from_headline)
        )

    def _about_us_talks(self, cand: Candidate) -> bool:
        """A round of talks with the United States: the sentence names them or the negotiation, or
        the article is about them more than about any third party (a VN–EFTA round report names the
        United States nowhere)."""
        sentence = cand.sentence
        if self.profile.watch_matcher.search(sentence) or cand.people["us"]:
            return True
        if any(m.value == "us" for m in self.profile.parties_in(sentence)):
            return True
        return self.us_mentions > 0 and self.us_mentions >= self.other_mentions

    def _statement_is_ours(self, cand: Candidate) -> bool:
        """A statement, framework or deal of Vietnam and the United States: the sentence names
        Vietnam, or names no third country in an article about the two."""
        sentence = cand.sentence
        third = self.profile.other_matcher.search(sentence) is not None
        names_us = any(m.value == "us" for m in self.profile.parties_in(sentence)) or bool(cand.people["us"])
        if self._names_vietnam(sentence):
            return names_us or not third  # "a Mercosur summit ... (giờ Việt Nam)" is not ours
        if third:
            return False
        return self.sides_named >= {"vn", "us"} or bool(self.profile.watch_matcher.search(sentence))


# "tiếp tục đàm phán [kỹ thuật]", "accelerate [technical] talks": what kind of talks, before the trigger.
_KIND_OF_TALKS_AT_END = re.compile(r"(?:\s+(?:technical|kỹ\s+thuật|trade|thương\s+mại))+\s*$", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(?:19[5-9]\d|20\d\d)(?!\d)")


def _of_old_years(article: Article, text: str, profile: WatchProfile) -> bool:
    """An undated page whose every year, bare ones too, is before the negotiation opened: most likely
    history. Not enough alone (an undated report of the talks may cite only the 2024 surplus): it
    only keeps out meetings of Vietnamese officials the profile does not know, such a page's past."""
    if profile.since is None or article.published is not None or article.published_month is not None:
        return False
    years = [int(y) for y in _YEAR.findall(text)]
    return bool(years) and max(years) < profile.since.year


def _before_watch(article: Article, profile: WatchProfile, date_mentions: list[dates_mod.DateMention]) -> bool:
    """Published before the negotiation opened, or (undated) speaking only of years before it: history,
    whatever it reports ("President Trump hosted Prime Minister Nguyễn Xuân Phúc ... 2017")."""
    if profile.since is None:
        return False
    if article.published is not None:
        return article.published < profile.since
    month = article.published_month
    if month is not None:
        return month < (profile.since.year, profile.since.month)
    # Bare years are no guide ("the surplus in 2024"); the dates the text gives in full are, but not
    # a file photo's ("Workers assemble cars ... on Sept. 29, 2023. Hau Dinh/AP").
    full = [(d.start, d.first.year) for d in date_mentions if d.first and d.first.year]
    if not full or max(year for _, year in full) >= profile.since.year:
        return False
    captions = [(p.offset, p.offset + len(p.text)) for p in split_paragraphs(article) if p.is_caption]
    return any(not any(a <= start < b for a, b in captions) for start, _ in full)


def extract_events(article: Article, profile: WatchProfile) -> Extraction:
    """Extract the events of the watched negotiation that `article` reports or refers to."""
    date_mentions = dates_mod.find_dates(article.full_text)
    if _before_watch(article, profile, date_mentions):
        return Extraction(article=article, relevant=False)
    extractor = _ArticleExtractor(article, profile, date_mentions)
    # A back-reference ("At the meeting, ...") is kept to give its date or place to the event it
    # refers to; it founds none (see `consolidate`).
    candidates = [c for c in extractor.candidates() if extractor.keep(c) or c.anaphoric and extractor.names_vietnam]
    if not is_relevant(article, profile, has_events=any(not c.anaphoric for c in candidates)):
        return Extraction(article=article, relevant=False)
    events = consolidate(candidates, dateline=extractor.dateline, geography=profile.geography, trips=extractor.trips)
    return Extraction(article=article, relevant=True, events=tuple(events))


def with_published(article: Article, published: date | None) -> Article:
    """The article with a publication date filled in where it had none."""
    return article if article.published or published is None else replace(article, published=published)


__all__ = ["Candidate", "Event", "Paragraph", "extract_events", "split_paragraphs", "with_published"]
