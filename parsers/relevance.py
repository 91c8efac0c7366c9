"""Does an article concern the watched negotiation?"""

from __future__ import annotations

import re

from parsers.models import Article
from parsers.profile import WatchProfile
from parsers.text import fold

_NEGOTIATION = re.compile(r"đàm phán|thương lượng|negotiat|trade talks|trade deal", re.IGNORECASE)


def is_relevant(article: Article, profile: WatchProfile) -> bool:
    """Relevant when the article names the negotiation, or reports VN–US trade negotiations.

    An article that names another negotiation or forum more often than the United States is
    about that one (a VN–EFTA round, a CPTPP commission), not this watch.
    """
    text = article.full_text
    if profile.watch_matcher.search(text):
        return True
    sides = {m.value for m in profile.party_matcher.finditer(text)}
    sides |= {m.value.side for m in profile.people_matcher.finditer(text)}
    if sides < {"vn", "us"} or not _NEGOTIATION.search(text):
        return False
    us_mentions = sum(1 for m in profile.party_matcher.finditer(text) if m.value == "us")
    other_mentions = len(profile.other_matcher.find_all(text))
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
    us = any(m.value == "us" for m in profile.party_matcher.finditer(text))
    return us and bool(_TRADE.search(text) or _TRADE.search(folded))
