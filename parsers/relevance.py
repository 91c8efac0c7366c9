"""Does an article concern the watched negotiation?"""

from __future__ import annotations

import re

from parsers.models import Article
from parsers.profile import WatchProfile
from parsers.text import fold

_NEGOTIATION = re.compile(r"đàm phán|thương lượng|negotiat|trade talks|trade deal", re.IGNORECASE)
# "Thủ tướng ... đã chủ trì cuộc họp với các bộ, ngành", "Tại cuộc họp Thường trực Chính phủ ngày 22/4":
# a government's own meeting. A report that opens on one is about its preparations, not the
# negotiation; its day is not a day of the negotiation (`parsers.events`).
GOVERNMENT_MEETING = re.compile(
    r"\b(?:(?:chủ\s+trì|điều\s+hành)\s+(?:cuộc|phiên)\s+họp|(?:cuộc|phiên)\s+họp\s+(?:Thường\s+trực\s+)?Chính\s+phủ"
    r"|chaired\s+a\s+meeting)\b",
    re.IGNORECASE,
)
LEAD_CHARS = 400  # the lead: where a report says what it is about


def is_relevant(article: Article, profile: WatchProfile, *, has_events: bool = False) -> bool:
    """Relevant when the article reports an event of the negotiation (the extractor has found one:
    a meeting of officials of the two sides is relevant even if the agreement goes unnamed), or
    names the negotiation, or reports Vietnam–US trade negotiations.

    The negotiation's name alone is not enough: "Agreement on Reciprocal Trade" is what the United
    States calls its deals with Malaysia and Cambodia too, so Vietnam must be named. An article
    that names other countries or forums more often than the United States is about them (a VN–EFTA
    round, the US–India talks, tariff letters to fourteen countries), not this watch; so is one
    that does not name the agreement and names them more than twice as often as Vietnam. One that
    opens on a government's own meeting, with no event of the two sides, is about that meeting.
    """
    if has_events:
        return True
    if GOVERNMENT_MEETING.search(article.body[:LEAD_CHARS]):
        return False
    text = article.full_text
    parties = profile.parties_in(text)
    sides = {m.value for m in parties} | {m.value.side for m in profile.people_matcher.finditer(text)}
    if "vn" not in sides:
        return False
    us_mentions = sum(1 for m in parties if m.value == "us")
    vn_mentions = sum(1 for m in parties if m.value == "vn")
    other_mentions = len(profile.other_matcher.find_all(text))
    if profile.watch_matcher.search(text):
        return us_mentions >= other_mentions or us_mentions > 0 and other_mentions <= 2 * us_mentions
    if "us" not in sides or not _NEGOTIATION.search(text):
        return False
    if other_mentions > 2 * max(vn_mentions, 1):
        return False  # Vietnam in a teaser or an aside of an article about another country's talks with the US
    return us_mentions > other_mentions


_TRADE = re.compile(
    r"thương mại|thuế|đàm phán|thoả thuận|thỏa thuận|hiệp định|xuất khẩu|trade|tariff|negotiat|deal|agreement",
    re.IGNORECASE,
)


def may_concern(title: str, summary: str, profile: WatchProfile) -> bool:
    """Whether a feed item is worth fetching in full, from its title and summary alone.

    Generous on purpose: a false positive costs one page fetch, a false negative a missed round.
    Names match with or without diacritics; an item naming the United States and trade will do.
    """
    text = f"{title}\n{summary}"
    if profile.watch_matcher.search(text) or profile.people_matcher.search(text):
        return True
    folded = fold(text).casefold()
    if any(fold(name).casefold() in folded for name in profile.names):
        return True
    us = any(m.value == "us" for m in profile.parties_in(text))
    return us and bool(_TRADE.search(text) or _TRADE.search(folded))
