"""Where a sentence speaks of an event, and of which kind: the profile's vocabulary ("vòng đàm
phán", "phone call", "tuyên bố chung") and the grammar around it that a phrase list cannot hold
("the sixth round", "phiên thứ 6", "three days of talks", "Trump said he made a trade deal with
Vietnam", "tiếp Đại sứ ..."). Pure: a sentence in, triggers out; whether a trigger is an event of
this negotiation is decided later, with the people, places and dates around it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from parsers.dates import MONTHS_EN
from parsers.ordinals import (
    EN_NUMBER_WORDS,
    EN_ORDINAL_WORDS,
    EN_ROUND_N,
    VI_NUMBER_WORDS,
    VI_ROUND_N,
    ordinal_after,
    ordinal_before,
    round_number_token,
    value_of,
)
from parsers.profile import WatchProfile

NUMBERED_KINDS = ("round", "ministerial_session", "negotiation_session")


@dataclass(frozen=True)
class Trigger:
    kind: str  # round | ministerial_session | negotiation_session | meeting | call | statement
    start: int  # offsets in the sentence
    end: int
    number: int | None = None
    generic: bool = False  # "the next round", "three days of talks": no name of its own
    planned_hint: bool = False  # the grammar itself says it is yet to come ("the next scheduled for June")
    held_hint: bool = False  # the grammar itself says it happened ("the two sides agreed to finalise a deal")
    led_to_news: bool = False  # "after speaking with To Lam": the call that led to what the sentence announces


_EN_ORD = "|".join(sorted(EN_ORDINAL_WORDS, key=len, reverse=True))
_VI_NUM = "|".join(sorted(VI_NUMBER_WORDS, key=len, reverse=True))
_EN_NUM = "|".join(EN_NUMBER_WORDS)
_MONTHS = "|".join(sorted((m for m in MONTHS_EN if len(m) > 3), key=len, reverse=True))

# "the second round", "a third round", "the 5th round", "the sixth technical round"
_EN_ORDINAL_ROUND = re.compile(
    rf"\b(?P<n>{_EN_ORD}|\d{{1,2}}(?:st|nd|rd|th))\s+(?:(?:new|technical|formal|official|direct|in-person|"
    rf"bilateral|negotiating|negotiation|trade|tariff)[\s-]+){{0,3}}round\b",
    re.IGNORECASE,
)
# "a new round", "the next round", "the last round", "the upcoming round"
_EN_GENERIC_ROUND = re.compile(
    r"\b(?:new|another|next|latest|last|previous|upcoming|current|ongoing|final|subsequent|recent)\s+"
    r"(?:(?:technical|formal|official|direct)\s+)?round\b(?!s)",
    re.IGNORECASE,
)
# "phiên thứ 6", "phiên đàm phán thứ 6", "đàm phán phiên thứ 6"
_VI_SESSION_N = re.compile(
    rf"\bphiên\s+(?:đàm\s+phán\s+)?(?:cấp\s+kỹ\s+thuật\s+)?(?:lần\s+thứ|thứ|lần)\s+(?P<n>\d{{1,2}}|{_VI_NUM})\b(?!\s*/)",
    re.IGNORECASE,
)
# "đàm phán thuế đối ứng Việt - Mỹ lần 6" (a headline's way of naming the round)
_VI_TALKS_N = re.compile(
    rf"\bđàm\s+phán\b(?:\s+[\wÀ-ỹ]+|\s*[-–]\s*[\wÀ-ỹ]+){{0,8}}?\s+lần\s+(?:thứ\s+)?(?P<n>\d{{1,2}}|{_VI_NUM})\b",
    re.IGNORECASE,
)
# "three days of talks", "Trong 3 ngày đàm phán", "sau 3 ngày làm việc"
_DAYS_OF_TALKS = re.compile(
    rf"\b(?:\d|{_EN_NUM}|hai|ba|bốn|năm)\s+(?:days?\s+of\s+(?:talks|negotiations?|discussions)|ngày\s+(?:đàm\s+phán|làm\s+việc))\b",
    re.IGNORECASE,
)
# "Vietnam's technical-level delegation arrived in the US", "Đoàn trao đổi cấp kỹ thuật của Việt Nam đã sang Mỹ"
_TECHNICAL_DELEGATION = re.compile(
    r"\b(?:technical(?:-level)?\s+delegation|đoàn\s+(?:đàm\s+phán\s+|trao\s+đổi\s+|công\s+tác\s+)?"
    r"(?:cấp\s+)?kỹ\s+thuật)\b",
    re.IGNORECASE,
)
# "đoàn đàm phán của Việt Nam tiếp tục có chuyến công tác sang Hoa Kỳ", "the negotiating team
# travelled to Washington": the negotiators' trip is a round.
_DELEGATION_TRIP = re.compile(
    r"\b(?:đoàn\s+đàm\s+phán\b[^.;]{0,60}?\b(?:sang|tới|đến)\s+"
    r"|(?:negotiating|negotiation)\s+(?:team|delegation)\b[^.;]{0,40}?\b(?:arrived\s+in|arrives\s+in|"
    r"travel(?:s|led|ed)?\s+to|went\s+to|will\s+go\s+to|heads?\s+to|headed\s+to|flew\s+to|visit(?:s|ed)?)\s+"
    r"|(?:Vietnamese|Vietnam's)\s+(?:negotiating\s+)?delegation\s+(?:(?:is\s+set|plans|is|is\s+due)\s+to\s+|will\s+)?"
    r"(?:visit(?:s|ed)?|arrived\s+in|arrives\s+in|travel(?:s|led|ed)?\s+to|go\s+to)\s+)"
    r"(?:the\s+)?(?:Mỹ|Hoa\s+Kỳ|Washington|US|U\.S\.|United\s+States)\b",
    re.IGNORECASE,
)
# "The talks will continue into June", "More discussions are slated for early June"
_TALKS_PLANNED = re.compile(
    rf"\b(?:talks|discussions|negotiations)\s+(?:will|are|is)\s+(?:\w+\s+){{0,2}}?(?:continue|slated|scheduled|set|"
    rf"expected|due)\b[^.;]{{0,25}}?\b(?:in|into|for)\s+(?:early|mid|late|mid-)?\s*(?:{_MONTHS})\b",
    re.IGNORECASE,
)
# "ahead of technical discussions scheduled for November 12–14": a round in the calendar (talk of
# "engaging in technical discussions" is an aim).
_TECHNICAL_SCHEDULED = re.compile(
    r"\btechnical(?:-level)?\s+discussions\s+(?=(?:scheduled|slated|set|due)\s+(?:for|on|from)\b)", re.IGNORECASE
)
# "..., with the next scheduled for early June"
_NEXT_SCHEDULED = re.compile(r"\bthe\s+next\s+(?:one\s+)?(?:scheduled|slated|set|due|expected)\b", re.IGNORECASE)
# "Trump said he made a trade deal with Vietnam", "the US has locked in a trade agreement with Vietnam",
# "The United States and Vietnam have reached a trade agreement", "a deal reached with Vietnamese Party
# General Secretary To Lam"
_EN_DEAL = re.compile(
    r"\b(?:(?P<done>made|reached|struck|secured|clinched|sealed|signed|inked|locked\s+in|announced|unveiled|"
    r"finali[sz]ed|concluded)|make|reach|strike|strikes|announces|announce|concludes)\s+(?:\w+\s+){0,3}?"
    r"(?:trade\s+|tariff\s+)?(?:deal|agreement|pact|accord)\s+with\s+(?:the\s+)?(?:[\w ]{0,35}?\s)?"
    r"(?:Vietnam|Viet\s+Nam|Việt\s+Nam)\b"
    r"|\b(?:US|U\.S\.|United\s+States|Vietnam|Viet\s+Nam),?\s+(?:and\s+)?(?:the\s+)?"
    r"(?:Vietnam|Viet\s+Nam|US|U\.S\.|United\s+States)\s+(?:(?:have|has|had)\s+)?"
    r"(?:(?P<done2>struck|reached|signed|sealed|concluded|finali[sz]ed|agreed(?:\s+(?:to|on|upon))?)|strike|reach|sign|seal)\s+"
    r"(?:an?\s+|the\s+)?(?:(?:initial|new|bilateral|preliminary|reciprocal|landmark)\s+){0,2}(?:trade\s+(?:deal|agreement|pact)|deal)\b"
    r"|\b(?:deal|trade\s+agreement)\s+(?:\w+\s+){0,2}?(?P<done3>reached|struck|made|sealed|announced)\s+with\s+"
    r"(?:[\w ]{0,40}?\s)?(?:Vietnam(?:ese)?|Viet\s+Nam|Việt\s+Nam)\b"
    # "A trade deal with Vietnam was announced by Trump", "The trade deal with Vietnam, announced on July 2"
    r"|\b(?:trade\s+|tariff\s+)?(?:deal|agreement|pact)\s+with\s+(?:Vietnam|Viet\s+Nam|Việt\s+Nam)\s*,?\s+"
    r"(?:(?:was|had\s+been|has\s+been)\s+)?(?P<done4>announced|reached|struck|concluded|finali[sz]ed|sealed|signed)\b",
    re.IGNORECASE,
)
# "The reciprocal trade agreement was signed in Hanoi on Tuesday by Le Manh Hung and Jamieson Greer",
# "Thỏa thuận thương mại Việt - Mỹ được Tổng thống Trump công bố hôm 2/7" (the sentence names Vietnam)
_DEAL_PASSIVE = re.compile(
    r"\b(?:trade\s+(?:deal|agreement|pact)|(?:thỏa|thoả)\s+thuận)\b[^.;]{0,40}?"
    r"\b(?:(?:was|has\s+been|had\s+been)\s+(?:signed|concluded|reached|finali[sz]ed|announced)|được\s+(?:[^.;]{0,40}?\s)?"
    r"(?:công\s+bố|ký\s+kết|ký|chốt))\b",
    re.IGNORECASE,
)
# "took a call from Donald Trump", "Donald Trump phoned To Lam", "Trump called General Secretary To Lam"
_CALLED = re.compile(
    r"\b(?:took|received|returned)\s+a\s+(?:phone\s+|telephone\s+)?call\s+from\b|\b(?:phoned|telephoned)\s+(?=[A-ZÀ-ỸĐ])"
    r"|\bcalled\s+(?=(?:General\s+Secretary|President|Prime\s+Minister|Party\s+chief|Vietnam(?:'s|’s|ese)\s+(?:leader|President|"
    r"Prime)|(?:To|Tô)\s+(?:Lam|Lâm)|Donald\s+Trump|Trump)\b)",
)
# "Tổng thống Trump tuyên bố Mỹ và Việt Nam đã đạt được một thỏa thuận", "vừa chốt một Thỏa thuận
# Thương mại với Việt Nam", "đạt thỏa hiệp về thuế quan"
_VI_DEAL = re.compile(
    r"\b(?:đạt\s+được|đạt|chốt\s+được|chốt|thực\s+hiện\s+được|ký\s+kết|ký)\s+(?:(?:một|được)\s+)?"
    r"(?:thỏa|thoả)\s+(?:thuận|hiệp)\b(?!\s+khung)",
    re.IGNORECASE,
)
# "đạt được đồng thuận về khuôn khổ Hiệp định", "khuôn khổ cho thỏa thuận thương mại với Thái Lan và
# Việt Nam": the framework agreed; "hoàn tất khuôn khổ Hiệp định" (to complete it) is an aim.
_VI_FRAMEWORK = re.compile(
    r"\b(?:(?:đồng\s+thuận|nhất\s+trí|thống\s+nhất|công\s+bố|ký|đạt\s+được|ra|ban\s+hành)\s+(?:về\s+)?(?:một\s+)?"
    r"(?:bản\s+)?khuôn\s+khổ\s+(?:cho\s+)?(?:Hiệp\s+định|hiệp\s+định|thỏa\s+thuận|thoả\s+thuận)"
    r"|khuôn\s+khổ\s+cho\s+(?:thỏa|thoả)\s+thuận\s+thương\s+mại\s+với\s+[^.;]{0,30}Việt\s+Nam)",
    re.IGNORECASE,
)
# "Trump wrote on Truth Social", "công bố ... trên mạng xã hội Truth Social", "posted on social media
# that Vietnam had granted ...": a leader's post announcing the deal, where the sentence names Vietnam
# and a deal or its tariff, and is not about the call the post reports.
_SOCIAL_POST = re.compile(
    r"\b(?:wrote|posted|announced|said|công\s+bố|viết|(?<!bài\s)đăng(?:\s+tải)?|thông\s+báo|tuyên\s+bố)\b[^.;]{0,40}?"
    r"\b(?:on|trên|via|qua|thông\s+qua)\s+(?:(?:his|the|nền\s+tảng)\s+)?(?:(?:mạng\s+)?xã\s+hội\s+(?:của\s+mình\s+)?)?"
    r"(?:Truth\s+Social|social\s+media|mạng\s+xã\s+hội)\b",
    re.IGNORECASE,
)
# "he announced a preliminary agreement that would lower ... tariffs on imports from Vietnam", "The
# deal announced Wednesday is ..." (the sentence names Vietnam, or says when)
_ANNOUNCED_DEAL = re.compile(
    r"\b(?:announced|unveiled)\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,2}?(?:trade\s+|tariff\s+)?(?:deal|agreement|pact)\b"
    r"(?!\s+with\b)",  # (one "with Vietnam" is _EN_DEAL's; "a new deal with Indonesia" is another's)
    re.IGNORECASE,
)
_DEAL_ANNOUNCED_ON = re.compile(
    r"\b(?:the|this)\s+(?:trade\s+|tariff\s+)?(?:deal|agreement|pact)\s+(?:was\s+)?(?:announced|unveiled)\s+(?:on\s+)?"
    rf"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|last\s+week|(?:{_MONTHS})\s+\d{{1,2}})\b",
    re.IGNORECASE,
)
# "last night's announcement of a preliminary trade agreement" (the sentence names Vietnam)
_DEAL_ANNOUNCEMENT = re.compile(
    r"\bannouncement\s+of\s+(?:an?|the)\s+(?:[\w-]+\s+){0,2}?(?:trade\s+)?(?:deal|agreement|framework)\b",
    re.IGNORECASE,
)
_DEAL_WORDS = re.compile(
    r"\b(?:deal|agreement|pact|access|tariffs?|thỏa\s+thuận|thoả\s+thuận|hiệp\s+định|thuế)\b", re.IGNORECASE
)
_DEAL_NOUN = re.compile(r"\b(?:deal|agreement|thỏa\s+thuận|thoả\s+thuận)\b", re.IGNORECASE)
_NAMES_VIETNAM = re.compile(
    r"\b(?:Vietnam(?:ese)?|Viet\s+Nam|Việt\s+Nam|Việt\s*[-–]\s*(?:Mỹ|Hoa\s+Kỳ))\b", re.IGNORECASE
)
_CALL_WORDS = re.compile(r"\b(?:call|phone|điện\s+đàm|điện\s+thoại|cuộc\s+gọi|gọi\s+điện)\b", re.IGNORECASE)
# "được Tổng thống Trump công bố ... trên mạng xã hội Truth Social, ngay sau cuộc điện đàm với ...": a
# post that came after a call is about the deal, not the call.
_AFTER_A_CALL = re.compile(
    r"\b(?:(?:ngay\s+)?sau\s+(?:khi\s+)?(?:cuộc\s+)?(?:điện\s+đàm|gọi\s+điện|cuộc\s+gọi)|(?:right\s+|shortly\s+|soon\s+)?"
    r"(?:after|following)\s+(?:a|the|his|their)\s+(?:(?:tele)?phone\s+)?call)\b",
    re.IGNORECASE,
)
_VI_ANNOUNCE = re.compile(r"\b(?:tuyên\s+bố|thông\s+báo|công\s+bố|loan\s+báo|viết|cho\s+biết)\b", re.IGNORECASE)
# "tiếp Đại sứ Mỹ ...", "đã tiếp Trưởng Đại diện Thương mại": "tiếp" receives someone only before a
# title (elsewhere it is "tiếp tục", "tiếp cận", "trực tiếp", ...).
_NOT_RECEIVING = re.compile(r"(?:trực|liên|kế|gián|tiếp|kết|chuyển|đón|tiếp\s+nhận)\s+$", re.IGNORECASE)
_TEAM_BEFORE = re.compile(r"\b(?:nhóm|tổ|đoàn)\s+$", re.IGNORECASE)
# "Joint Vietnam–US Statement", "Joint Việt Nam–United States Statement"
_JOINT_X_STATEMENT = re.compile(
    r"\bJoint\s+(?:Vietnam|Việt\s+Nam|Viet\s+Nam|US|U\.S\.|United\s+States)[\s–\-]+"
    r"(?:Vietnam|Việt\s+Nam|Viet\s+Nam|US|U\.S\.|United\s+States)\s+Statement\b",
)
# "Greer and Dien spoke on Wednesday": two officials who spoke, at a time, talked by phone or online.
# "a call in April", "their phone call last week": a call placed in time, though no verb says so.
_CALL_IN_TIME = re.compile(
    rf"\b(?:a|the|their|his|her)\s+(?:phone\s+|telephone\s+)?call\s+(?:in|on|last|earlier\s+this)\s+"
    rf"(?:{_MONTHS}|week|month|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b",
    re.IGNORECASE,
)
_SPOKE = re.compile(
    r"\b(?:spoke|talked)\s+(?=(?:on|last|this|late|earlier|yesterday|by|over|(?:Monday|Tuesday|Wednesday|Thursday|"
    r"Friday|Saturday|Sunday))\b)",
    re.IGNORECASE,
)
# "spoke to US Trade Representative Jamieson Greer by phone on Wednesday", "spoke with Trump via
# telephone", "one of the first leaders to speak with Trump last week"
_SPOKE_WITH = re.compile(
    r"\b(?:spoke|speak|talked)\s+(?:to|with)\s+(?=[^.;]{0,70}?\b(?:(?:by|via|over\s+the)\s+(?:tele)?phone|"
    r"last\s+week|yesterday|on\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))\b)",
    re.IGNORECASE,
)
# "after speaking with To Lam", "sau khi trao đổi với ông Tô Lâm", "sau cuộc thảo luận với": a
# conversation that led to an announcement — the leaders were far apart.
_AFTER_SPEAKING = re.compile(
    r"\b(?:after|following)\s+(?:speaking|talking|(?:a|his|her|their)\s+conversation)\s+with\b|\bsau\s+(?:khi\s+)?(?:trực\s+tiếp\s+)?(?:trao\s+đổi|nói\s+chuyện|"
    r"cuộc\s+thảo\s+luận|cuộc\s+trao\s+đổi|thảo\s+luận|cuộc\s+trò\s+chuyện|trò\s+chuyện)\s+với\b",
    re.IGNORECASE,
)
# "the event took place in Washington D.C. on February 18", "a bilateral economic and trade meeting
# held in Washington on April 10": said of an event named elsewhere.
_EVENT_HELD = re.compile(
    r"\b(?:the\s+event|the\s+(?:[\w-]+\s+){0,4}meeting|a\s+(?:[\w-]+\s+){1,4}meeting|sự\s+kiện)\s+(?:took\s+place|was\s+held|held|diễn\s+ra)\b",
    re.IGNORECASE,
)
_WORK_ON_TALKS = re.compile(r"đàm\s+phán|hiệp\s+định|kỹ\s+thuật|thương\s+lượng", re.IGNORECASE)
# "In October, the two countries agreed to finalise a trade deal within weeks": the agreement they
# reached, reported as what it set out to do.
_AGREED_TO_FINALISE = re.compile(
    r"(?:\b(?:two\s+countries|two\s+sides|both\s+(?:nations|countries|sides)|hai\s+nước|hai\s+bên)\s+(?:have\s+|had\s+|đã\s+)?"
    r"(?:agreed|nhất\s+trí|thống\s+nhất)\s+(?:to|on|sẽ)?|\bunderstanding\s+reached\s+(?:in\s+\w+\s+)?to)\s*"
    r"(?:finali[sz]e|conclude|wrap\s+up|hoàn\s+tất)\s+(?:a|the|một)?\s*"
    r"(?:trade\s+)?(?:deal|agreement|thỏa\s+thuận|hiệp\s+định)\b",
    re.IGNORECASE,
)
# "The negotiations, held from November 12–14, were led by ...": the round the article reports.
_TALKS_HELD = re.compile(
    r"\b(?:The|These|Those|Các|Cuộc)\s+(?:(?:high-level|technical|trade)\s+)?(?:negotiations|talks|discussions|đàm\s+phán)"
    r"\s*,?\s+(?:were\s+|was\s+)?(?:(?:held|which\s+took\s+place|taking\s+place|diễn\s+ra)\s+"
    r"(?:from|on|in|between|từ|tại|vào)|"
    # "took place ... from June 9-12"; "The talks took place on Jeju Island" is the session named before
    r"took\s+place\s+(?:in\s+[^;]{1,30}?\s+)?(?:from|between))\b",
)
_PAST_TENSE = re.compile(r"\b(?:took\s+place|were\s+held|was\s+held)\b", re.IGNORECASE)
# "a virtual high-level meeting", "an upcoming online ministerial-level discussion", "virtual talk";
# not "virtual meetings have taken place": many, a summary of them
_REMOTE_TALKS = re.compile(
    r"\b(?:virtual|online)\s+(?:[\w-]+\s+){0,2}?(?:meeting|talks?|session|dialogue|discussion|negotiations?|conference)\b",
    re.IGNORECASE,
)
# "discussions between Party General Secretary Lam and President Donald Trump": see `events`.
_DISCUSSION_BETWEEN = re.compile(
    r"(?<!regular\s)(?<!annual\s)(?<!periodic\s)"  # "regular dialogue between ...": a mechanism, no one event
    r"\b(?:discussions?|conversation|dialogue|cuộc\s+trao\s+đổi|trao\s+đổi|cuộc\s+đối\s+thoại)\s+(?=between\b|giữa\b)",
    re.IGNORECASE,
)
# "had a brief but highly significant meeting and discussion with", "had a “brief” meeting with": a
# meeting its adjectives do not hide (a remote one is `_REMOTE_TALKS`'s).
_HAD_A_MEETING = re.compile(
    r"\b(?:had|held)\s+an?\s+(?:[\"“]?(?!virtual\b|online\b|phone\b|telephone\b|video\b)[\w-]+[\"”,]?\s+){1,4}?"
    r"(?:meeting|discussion)(?:\s+and\s+(?:a\s+)?(?:discussion|talks|exchange))?\s+with\b",
    re.IGNORECASE,
)
# "a series of meetings with the US Deputy Secretary of State"
_MEETINGS_WITH_US = re.compile(
    r"\bmeetings?\s+with\s+(?:the\s+)?(?=US\b|U\.S\.|American\b|United\s+States\b)", re.IGNORECASE
)
_NEGOTIATION_CONTEXT = re.compile(r"đàm\s+phán|negotiat|talks|thương\s+lượng|discussions", re.IGNORECASE)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


_ACTIVITIES_BEFORE = re.compile(r"\b(?:các|những)\s+hoạt\s+động\b[^.;]{0,30}$", re.IGNORECASE)


def _counted(sentence: str, start: int, profile: WatchProfile) -> bool:
    """ "các vòng đàm phán", "5 phiên đàm phán", "sau 5 vòng", "các hoạt động trao đổi thư, điện
    đàm": many, not one."""
    if _ACTIVITIES_BEFORE.search(sentence, max(0, start - 45), start):
        return True
    before = sentence[max(0, start - 14) : start]
    if re.search(r"\d+\s*$", before):
        return True
    plural = profile.marker_matcher("plural")
    return any(p.end >= len(before) - 1 for p in plural.finditer(before))


def _vocabulary(sentence: str, profile: WatchProfile) -> list[Trigger]:
    found = []
    reach = -1
    for m in profile.trigger_matcher.find_overlapping(sentence):
        if m.end <= reach:
            continue  # "họp trực tuyến" inside "nhiều cuộc họp trực tuyến": the longer phrase spoke
        reach = m.end
        if _counted(sentence, m.start, profile):
            continue
        if m.value == "round" and _TEAM_BEFORE.search(sentence[max(0, m.start - 8) : m.start]):
            continue  # "các nhóm đàm phán cấp kỹ thuật": the negotiating groups, not a round
        number = None
        if m.value in NUMBERED_KINDS:
            number = ordinal_after(sentence[m.end :]) or ordinal_before(sentence[: m.start])
        found.append(Trigger(m.value, m.start, m.end, number))
    return found


# A word every match of a pattern holds: a substring test rules most sentences out at a fraction
# of the pattern's cost (the grammar below runs on every sentence of every article).
_NEEDS: dict[re.Pattern[str], tuple[tuple[str, ...], ...]] = {
    # pattern: groups of words, one word of each group in every match
    _EN_ORDINAL_ROUND: (("round",),),
    _EN_GENERIC_ROUND: (("round",),),
    _VI_SESSION_N: (("phiên",), ("thứ", "lần")),
    _VI_TALKS_N: (("phán",), ("lần",)),
    _DAYS_OF_TALKS: (("day", "ngày"), ("talks", "negotiation", "discussions", "đàm", "làm")),
    _TECHNICAL_DELEGATION: (("technical", "kỹ"), ("delegation", "đoàn")),
    _DELEGATION_TRIP: (
        ("đoàn", "negotiat", "delegation"),
        ("sang", "tới", "đến", "arriv", "travel", "went", "go", "head", "flew", "visit"),
    ),
    _TALKS_PLANNED: (("talks", "discussions", "negotiation"),),
    _NEXT_SCHEDULED: (("next",),),
    _EN_DEAL: (("deal", "agreement", "pact", "accord"),),
    _SOCIAL_POST: (("social", "mạng"),),
    _DEAL_ANNOUNCEMENT: (("announcement",),),
    _CALLED: (("call", "phoned"),),
    _ANNOUNCED_DEAL: (("announced", "unveiled"), ("deal", "agreement", "pact")),
    _DEAL_ANNOUNCED_ON: (("announced", "unveiled"), ("deal", "agreement", "pact")),
    _DEAL_PASSIVE: (("signed", "concluded", "reached", "finali", "announced", "được"), ("trade", "thỏa", "thoả")),
    _VI_DEAL: (("thỏa", "thoả"), ("đạt", "chốt", "thực", "ký")),
    _AGREED_TO_FINALISE: (("agreed", "nhất", "thống", "understanding"), ("finali", "conclude", "hoàn", "wrap")),
    _TALKS_HELD: (("negotiations", "talks", "discussions", "đàm"), ("held", "took", "taking", "diễn")),
    _REMOTE_TALKS: (("virtual", "online"),),
    _DISCUSSION_BETWEEN: (("between", "giữa"), ("discussion", "conversation", "dialogue", "trao", "đối")),
    _HAD_A_MEETING: (("had", "held"), ("meeting", "discussion")),
    _TECHNICAL_SCHEDULED: (("technical",), ("discussions",)),
    _SPOKE_WITH: (("spoke", "speak", "talked"),),
    _MEETINGS_WITH_US: (("meeting",),),
    _SPOKE: (("spoke", "talked"),),
    _CALL_IN_TIME: (("call",),),
    _AFTER_SPEAKING: (
        ("after", "following", "sau"),
        ("speaking", "talking", "conversation", "trao", "nói", "thảo", "trò"),
    ),
    _EVENT_HELD: (("took", "held", "diễn"), ("event", "meeting", "sự")),
    _VI_FRAMEWORK: (("khuôn",),),
    _JOINT_X_STATEMENT: (("joint",),),
    VI_ROUND_N: (("vòng",),),
    EN_ROUND_N: (("round",),),
}


def _names_vietnam_or_its_leader(sentence: str, profile: WatchProfile) -> bool:
    """ "... với Việt Nam", or "... ngay sau cuộc điện đàm với Tổng Bí thư Tô Lâm": Vietnam is named
    by name or by one of its officials the profile lists."""
    return _NAMES_VIETNAM.search(sentence) is not None or any(
        m.value.side == "vn" for m in profile.people_matcher.finditer(sentence)
    )


def _may_match(pattern: re.Pattern[str], low: str) -> bool:
    # (Plain loops: called for every pattern of every sentence, generators cost more than the test.)
    for words in _NEEDS.get(pattern, ()):
        for word in words:
            if word in low:
                break
        else:
            return False
    return True


def _scan(pattern: re.Pattern[str], sentence: str, low: str) -> Iterator[re.Match[str]] | tuple[()]:
    return pattern.finditer(sentence) if _may_match(pattern, low) else ()


def _grammar(sentence: str, profile: WatchProfile) -> list[Trigger]:
    found: list[Trigger] = []
    low = sentence.lower()
    negotiation = _NEGOTIATION_CONTEXT.search(sentence) is not None
    for m in _scan(_EN_ORDINAL_ROUND, sentence, low):
        found.append(Trigger("round", m.start(), m.end(), value_of(m["n"])))
    for m in _scan(_EN_GENERIC_ROUND, sentence, low):
        found.append(Trigger("round", m.start(), m.end(), None, generic=True))
    if negotiation:
        for pattern in (VI_ROUND_N, EN_ROUND_N):
            for m in _scan(pattern, sentence, low):
                if not _counted(sentence, m.start(), profile):
                    found.append(Trigger("round", m.start(), m.end(), round_number_token(m)))
        for pattern in (_VI_SESSION_N, _VI_TALKS_N):
            for m in _scan(pattern, sentence, low):
                if "cấp bộ trưởng" not in m.group(0).casefold() and not _counted(sentence, m.start(), profile):
                    found.append(Trigger("round", m.start(), m.end(), value_of(m["n"])))
    for m in _scan(_DAYS_OF_TALKS, sentence, low):
        if "làm việc" in m.group(0).casefold() and not _WORK_ON_TALKS.search(sentence):
            continue  # "hai ngày làm việc" of a visit: days of talks only where talks are the subject
        found.append(Trigger("round", m.start(), m.end(), None, generic=True))
    for m in _scan(_TECHNICAL_DELEGATION, sentence, low):
        found.append(Trigger("round", m.start(), m.end(), None, generic=True))
    for m in _scan(_DELEGATION_TRIP, sentence, low):
        found.append(Trigger("round", m.start(), m.end(), None, generic=True))
    for m in _scan(_TALKS_PLANNED, sentence, low):
        found.append(Trigger("round", m.start(), m.end(), None, generic=True, planned_hint=True))
    for m in _scan(_TECHNICAL_SCHEDULED, sentence, low):
        found.append(Trigger("round", m.start(), m.end() - 1, None, planned_hint=True))
    for m in _scan(_NEXT_SCHEDULED, sentence, low):
        found.append(Trigger("round", m.start(), m.end(), None, generic=True, planned_hint=True))
    for m in _scan(_EN_DEAL, sentence, low):
        # "announced a new trade agreement with Vietnam that he says will ...": done, whatever the
        # deal will do; "to strike a deal with Vietnam" is not.
        done = any(m[group] is not None for group in ("done", "done2", "done3"))
        found.append(Trigger("statement", m.start(), m.end(), held_hint=done))
    if (
        _may_match(_SOCIAL_POST, low)
        and _DEAL_WORDS.search(sentence)
        # "Trump công bố thỏa thuận sơ bộ trên Truth Social ngày 2 tháng 7" in an article about the
        # two: a deal named is enough (whose, the article says); a tariff alone needs Vietnam named.
        and (_DEAL_NOUN.search(sentence) or _names_vietnam_or_its_leader(sentence, profile))
        and not _CALL_WORDS.search(_AFTER_A_CALL.sub(" ", sentence))
    ):
        for m in _SOCIAL_POST.finditer(sentence):
            found.append(Trigger("statement", m.start(), m.end()))
    if _may_match(_ANNOUNCED_DEAL, low) and _NAMES_VIETNAM.search(sentence):
        for m in _ANNOUNCED_DEAL.finditer(sentence):
            found.append(Trigger("statement", m.start(), m.end(), held_hint=True))
    for m in _scan(_DEAL_ANNOUNCED_ON, sentence, low):
        found.append(Trigger("statement", m.start(), m.end(), held_hint=True))
    if _may_match(_DEAL_PASSIVE, low) and _names_vietnam_or_its_leader(sentence, profile):
        for m in _DEAL_PASSIVE.finditer(sentence):
            found.append(Trigger("statement", m.start(), m.end(), held_hint=True))
    for m in _scan(_CALLED, sentence, low):
        found.append(Trigger("call", m.start(), m.end()))
    if _may_match(_DEAL_ANNOUNCEMENT, low) and _NAMES_VIETNAM.search(sentence):
        for m in _DEAL_ANNOUNCEMENT.finditer(sentence):
            found.append(Trigger("statement", m.start(), m.end(), held_hint=True))
    if _may_match(_VI_DEAL, low) and (_VI_ANNOUNCE.search(sentence) or _NAMES_VIETNAM.search(sentence)):
        for m in _VI_DEAL.finditer(sentence):
            found.append(Trigger("statement", m.start(), m.end()))
    for m in _scan(_AGREED_TO_FINALISE, sentence, low):
        found.append(Trigger("statement", m.start(), m.end(), held_hint=True))
    for m in _scan(_TALKS_HELD, sentence, low):
        past = _PAST_TENSE.search(m.group(0)) is not None  # "took place", "were held": over
        found.append(Trigger("round", m.start(), m.end(), None, generic=True, held_hint=past))
    for m in _scan(_REMOTE_TALKS, sentence, low):
        ministerial = "ministerial" in m.group(0).casefold()
        found.append(Trigger("ministerial_session" if ministerial else "call", m.start(), m.end()))
    for m in _scan(_DISCUSSION_BETWEEN, sentence, low):
        found.append(Trigger("discussion", m.start(), m.end() - 1))
    for m in _scan(_HAD_A_MEETING, sentence, low):
        found.append(Trigger("meeting", m.start(), m.end()))
    for m in _scan(_MEETINGS_WITH_US, sentence, low):
        found.append(Trigger("meeting", m.start(), m.end()))
    for m in _scan(_CALL_IN_TIME, sentence, low):
        found.append(Trigger("call", m.start(), m.end()))
    for m in _scan(_SPOKE, sentence, low):
        found.append(Trigger("call", m.start(), m.end() - 1))
    for m in _scan(_SPOKE_WITH, sentence, low):
        found.append(Trigger("call", m.start(), m.end() - 1))
    for m in _scan(_AFTER_SPEAKING, sentence, low):
        found.append(Trigger("call", m.start(), m.end(), led_to_news=True))
    for m in _scan(_EVENT_HELD, sentence, low):
        found.append(Trigger("meeting", m.start(), m.end(), generic=True))
    for m in _scan(_VI_FRAMEWORK, sentence, low):
        found.append(Trigger("statement", m.start(), m.end()))
    for m in _scan(_JOINT_X_STATEMENT, sentence, low):
        found.append(Trigger("statement", m.start(), m.end()))
    for m in re.finditer(r"\btiếp\s+", sentence) if "tiếp" in low else ():
        if _NOT_RECEIVING.search(sentence[max(0, m.start() - 12) : m.start()]):
            continue
        title = profile.title_matcher.search(sentence[m.end() : m.end() + 60])
        if title is not None and title.start == 0:
            found.append(Trigger("meeting", m.start(), m.end() - 1))
    return found


def find_triggers(sentence: str, profile: WatchProfile) -> list[Trigger]:
    """Every event trigger of `sentence`, in order, without overlaps: where two overlap, the one
    that gives an ordinal wins, then the longer."""
    candidates = _vocabulary(sentence, profile) + _grammar(sentence, profile)
    ranked = sorted(candidates, key=lambda t: (t.number is None, t.generic, -(t.end - t.start), t.start))
    kept: list[Trigger] = []
    for t in ranked:
        clash = next((k for k in kept if _overlaps((t.start, t.end), (k.start, k.end))), None)
        if clash is None:
            kept.append(t)
        elif clash.number is None and t.number is not None:
            kept[kept.index(clash)] = t
    return _talks_by_their_means(_without_titles(sorted(kept, key=lambda t: t.start), sentence), sentence)


# "held talks via videoconference", "had talks by phone": the talks are the call their means names.
_BY_MEANS = re.compile(r"[^.;,]{0,40}?\b(?:via|by|over|qua)\s+(?:a\s+|the\s+)?$", re.IGNORECASE)


def _talks_by_their_means(triggers: list[Trigger], sentence: str) -> list[Trigger]:
    calls = [t for t in triggers if t.kind == "call"]
    return [
        t
        for t in triggers
        if not (
            t.kind == "meeting"
            and any(c.start >= t.end and _BY_MEANS.fullmatch(sentence, t.end, c.start) for c in calls)
        )
    ]


# "the Joint Vietnam–US Statement regarding a Fair, Reciprocal, and Balanced Trade Agreement
# Framework", "Tuyên bố chung về Khuôn khổ Hiệp định": what follows a statement is its title.
_TITLE_OF = re.compile(r"\s+(?:on|regarding|về|for)\s+(?:(?:the|a|an)\s+)?[^.;:]{0,70}$", re.IGNORECASE)


def _without_titles(triggers: list[Trigger], sentence: str) -> list[Trigger]:
    kept: list[Trigger] = []
    for t in triggers:
        before = kept[-1] if kept else None
        if (
            t.kind == "statement"
            and before is not None
            and before.kind == "statement"
            and _TITLE_OF.match(sentence[before.end : t.start])
        ):
            continue
        kept.append(t)
    return kept
