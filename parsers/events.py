"""Event extraction: rounds, ministerial sessions, meetings, calls and statements of the watched
negotiation, with number, dates, place, participants, mode, status, topics and evidence.

The extractor works sentence by sentence. Each trigger phrase of the watch profile's vocabulary
becomes a *candidate*; the sentence, then its paragraph, then (for rounds) the nearby paragraphs
give it its facts. `parsers.consolidate` then folds the candidates of one article into events.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from parsers import dates as dates_mod
from parsers.consolidate import consolidate
from parsers.matching import Match
from parsers.models import Article, Event, Extraction, Paragraph, PartialDate
from parsers.ordinals import EN_ROUND_N, VI_ROUND_N, ordinal_after, ordinal_before, round_number_token
from parsers.profile import Participant, WatchProfile
from parsers.relevance import is_relevant
from parsers.text import split_sentences

# Strength of a candidate's participants: named in its own sentence, in its paragraph, or further.
SENTENCE, PARAGRAPH, NEARBY = 2, 1, 0
# Ranks that make "a negotiation session between A and B" a ministerial session, and the ranks
# that lead a delegation at a round.
LEADERS = ("minister", "head_of_state")
DELEGATION_LEADERS = ("minister",)
_CAPTION = re.compile(r"\((?:Ảnh|Photo|Nguồn ảnh|Ảnh minh họa)\s*:[^)]*\)\s*\|?\s*$|^\|.*\|$", re.IGNORECASE)
_ROUND_CONTEXT = re.compile(r"đàm phán|negotiat|talks", re.IGNORECASE)
_SAME_DAY = re.compile(r"\b(?:cùng ngày|trong cùng ngày|(?:on |later )?the same day|later that day)\b", re.IGNORECASE)
# "Rick Switzer led the U.S. delegation", "đoàn Việt Nam do ... dẫn đầu": who leads a delegation.
_DELEGATION = re.compile(r"\b(?:delegation|đoàn)\b", re.IGNORECASE)
_LEADS = re.compile(r"\b(?:led|leads|headed|dẫn đầu|chủ trì)\b", re.IGNORECASE)


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

    def explicit_sides(self) -> int:
        return sum(1 for side in ("vn", "us") if any(s == SENTENCE for s in self.people[side].values()))

    def specificity(self) -> tuple[int, int, int]:
        score = 0
        score += 8 if self.number is not None else 0
        score += 4 if self.start is not None and self.start.year is not None else 0
        score += 2 if self.start is not None else 0
        score += self.explicit_sides()
        score += 1 if self.location else 0
        return (score, 0 if self.from_caption or self.from_headline else 1, -self.position)


@dataclass(frozen=True)
class _Sentence:
    text: str
    position: int
    paragraph_index: int
    paragraph: Paragraph


def _is_topic_use(text: str, match: Match[str]) -> bool:
    """ "nông nghiệp" is a chapter; "Bộ Nông nghiệp" or "Tài nguyên và Môi trường" is a ministry."""
    word = match.text
    if not word[:1].isupper() or word.isupper():
        return True
    before = text[: match.start].rstrip()
    return before == "" or before.endswith((".", ":", "|", "!", "?"))


def split_paragraphs(article: Article) -> list[Paragraph]:
    """Headline first, then one paragraph per line of the body; captions are marked."""
    paragraphs: list[Paragraph] = []
    offset = 0
    if article.title:
        paragraphs.append(Paragraph(article.title, 0, is_headline=True))
        offset = len(article.title) + 1
    for line in article.body.split("\n"):
        if line.strip():
            paragraphs.append(Paragraph(line, offset, is_caption=bool(_CAPTION.search(line.strip()))))
        offset += len(line) + 1
    return paragraphs


def _people_in(text: str, profile: WatchProfile) -> list[Match[Participant]]:
    return profile.people_matcher.find_all(text)


def _side_names(matches: list[Match[Participant]], side: str) -> list[str]:
    return [m.value.name for m in matches if m.value.side == side]


def _preceded_by(text: str, start: int, matcher_name: str, profile: WatchProfile, window: int) -> bool:
    before = text[max(0, start - window) : start]
    return any(m.end >= len(before) - 1 for m in profile.marker_matcher(matcher_name).finditer(before))


def _in_window(text: str, start: int, end: int, matcher_name: str, profile: WatchProfile) -> bool:
    return profile.marker_matcher(matcher_name).search(text[start:end]) is not None


_BACKDROP_PENALTY = 10_000


def _assign_nearest(
    cands: list[Candidate], spans: list[tuple[int, int]], ranges: list[bool] | None = None
) -> dict[int, int]:
    """Pair candidates with spans (dates, places) one to one, closest pairs first; a backdrop
    event takes what is left, and a round takes a date range before a single day ("today", "on
    Friday"): rounds last days."""
    pairs = []
    for ti, cand in enumerate(cands):
        ts, te = cand.trigger_start, cand.trigger_end
        for si, (ss, se) in enumerate(spans):
            distance = max(ss - te if ss >= te else ts - se if se <= ts else 0, 0)
            distance += _BACKDROP_PENALTY if cand.backdrop else 0
            if ranges is not None and cand.kind == "round" and ranges[si]:
                distance -= _BACKDROP_PENALTY // 2
            pairs.append((distance, ti, si))
    assigned: dict[int, int] = {}
    used: set[int] = set()
    for _, ti, si in sorted(pairs):
        if ti not in assigned and si not in used:
            assigned[ti] = si
            used.add(si)
    return assigned


class _ArticleExtractor:
    def __init__(self, article: Article, profile: WatchProfile):
        self.article = article
        self.profile = profile
        self.paragraphs = split_paragraphs(article)
        self.text = article.full_text
        # Dates are found once per article; each sentence takes those inside it.
        self.date_mentions = dates_mod.find_dates(self.text)
        self.context_year = dates_mod.article_context_year(self.text, self.date_mentions)
        self.sentences: list[_Sentence] = []
        for index, paragraph in enumerate(self.paragraphs):
            for offset, sentence in split_sentences(paragraph.text):
                self.sentences.append(_Sentence(sentence, paragraph.offset + offset, index, paragraph))
        self.paragraph_people = [_people_in(p.text, profile) for p in self.paragraphs]

    # --- candidates -------------------------------------------------------------------------

    def _triggers(self, sentence: str) -> list[tuple[int, int, str, int | None]]:
        """(start, end, kind, number) for every trigger phrase, and "vòng 6" / "6th round" forms."""
        found: list[tuple[int, int, str, int | None]] = []
        plural = self.profile.marker_matcher("plural")
        for m in self.profile.trigger_matcher.finditer(sentence):
            before = sentence[max(0, m.start - 12) : m.start]
            if any(p.end >= len(before) - 1 for p in plural.finditer(before)):
                continue  # "các vòng đàm phán": rounds in general, not one round
            if m.value in ("round", "ministerial_session", "negotiation_session"):
                number = ordinal_after(sentence[m.end :]) or ordinal_before(sentence[: m.start])
            else:
                number = None
            found.append((m.start, m.end, m.value, number))
        if _ROUND_CONTEXT.search(sentence):
            for pattern in (VI_ROUND_N, EN_ROUND_N):
                for rm in pattern.finditer(sentence):
                    if any(s <= rm.start() < e or rm.start() <= s < rm.end() for s, e, _, _ in found):
                        continue
                    number = round_number_token(rm)
                    if number is not None:
                        found.append((rm.start(), rm.end(), "round", number))
        return sorted(found)

    def _belongs_elsewhere(self, sentence: str, start: int, end: int) -> bool:
        """A round or session of another negotiation ("vòng đàm phán thứ 19 VN-EFTA")."""
        attached = re.split(r"[,.;:()]", sentence[end:], maxsplit=1)[0][:80]
        before = sentence[max(0, start - 40) : start]
        if self.profile.watch_matcher.search(attached):
            return False
        return bool(self.profile.other_matcher.search(attached) or self.profile.other_matcher.search(before))

    def candidates(self) -> list[Candidate]:
        out: list[Candidate] = []
        for sent in self.sentences:
            out.extend(self._sentence_candidates(sent))
        return out

    def _sentence_candidates(self, sent: _Sentence) -> list[Candidate]:
        text, profile = sent.text, self.profile
        triggers = self._triggers(text)
        if not triggers:
            return []
        people = _people_in(text, profile)
        leaders = {m.value.side for m in people if m.value.rank in LEADERS}
        result: list[Candidate] = []
        for start, end, kind, number in triggers:
            if kind in ("round", "ministerial_session", "negotiation_session") and self._belongs_elsewhere(
                text, start, end
            ):
                continue
            if kind == "negotiation_session":
                # Ministers of both sides make it a ministerial session; else it is the round.
                # If the sentence names a ministerial session outright, the generic phrase is another one.
                technical = re.match(r"\s+(?:cấp\s+)?kỹ\s+thuật", text[end:])
                explicit = any(k == "ministerial_session" for _, _, k, _ in triggers)
                kind = "ministerial_session" if leaders >= {"vn", "us"} and not technical and not explicit else "round"
            result.append(
                Candidate(
                    kind=kind,
                    trigger_start=start,
                    trigger_end=end,
                    sentence=text,
                    position=sent.position,
                    paragraph_index=sent.paragraph_index,
                    from_caption=sent.paragraph.is_caption,
                    from_headline=sent.paragraph.is_headline,
                    number=number,
                )
            )
        for cand in result:
            cand.backdrop = _preceded_by(text, cand.trigger_start, "backdrop", profile, window=14)
        self._assign_dates(result, text, sent.position)
        self._assign_places(result, text)
        self._assign_people(result, people)
        for cand in result:
            self._set_mode(cand)
            self._set_status(cand)
            self._set_topics(cand)
        return result

    def _assign_dates(self, cands: list[Candidate], text: str, position: int) -> None:
        inside = [
            replace(d, start=d.start - position, end=d.end - position)
            for d in self.date_mentions
            if position <= d.start and d.end <= position + len(text)
        ]
        mentions = [d for d in inside if not self._is_reporting_date(text, d.start)]
        spans = [(d.start, d.end) for d in mentions]
        ranges = [d.last is not None for d in mentions]
        for ti, si in _assign_nearest(cands, spans, ranges).items():
            first, last = dates_mod.resolve(mentions[si], self.article.published, self.context_year)
            cands[ti].start, cands[ti].end = first, last
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
                day, _ = dates_mod.resolve(earlier[-1], self.article.published, self.context_year)
                for cand in cands:
                    if cand.start is None and not cand.backdrop:
                        cand.start = day

    def _is_reporting_date(self, text: str, start: int) -> bool:
        before = text[max(0, start - 45) : start]
        for m in self.profile.marker_matcher("reporting").finditer(before):
            gap = before[m.end :]
            if len(gap) <= 25 and not re.search(r"[,;.]", gap):
                return True
        return False

    def _assign_places(self, cands: list[Candidate], text: str) -> None:
        places = []
        for m in self.profile.place_matcher.finditer(text):
            if _preceded_by(text, m.start, "locative", self.profile, window=45):
                places.append(m)
        for ti, si in _assign_nearest(cands, [(p.start, p.end) for p in places]).items():
            cands[ti].location = places[si].value

    def _assign_people(self, cands: list[Candidate], people: list[Match[Participant]]) -> None:
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
            nearest = min(pool, key=lambda c: abs(centre - (c.trigger_start + c.trigger_end) / 2))
            nearest.people[person.value.side][person.value.name] = SENTENCE
        for cand in cands:
            if cand.kind == "round":
                for head in self._delegation_heads(text, people):
                    cand.people[head.side][head.name] = SENTENCE
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
                for _, sentence in split_sentences(paragraph.text):
                    if not (_DELEGATION.search(sentence) and _LEADS.search(sentence)):
                        continue
                    leads = [
                        m.value.name
                        for m in _people_in(sentence, self.profile)
                        if m.value.side == side and not m.value.is_office
                    ]
                    if leads:
                        cand.people[side] = dict.fromkeys(leads, SENTENCE)
                        break
                if not all(self._is_office(n) for n in cand.people[side]):
                    break

    def _between_scope(self, cand: Candidate) -> tuple[int, int] | None:
        """The span of "giữa A và B" right after the trigger, if there is one."""
        text = cand.sentence
        after = text[cand.trigger_end : cand.trigger_end + 70]
        head = re.split(r"[,;.]", after, maxsplit=1)[0]
        m = self.profile.marker_matcher("between").search(head)
        if m is None:
            return None
        start = cand.trigger_end + m.start
        stop = re.search(r"[;.]|,\s+(?!Trưởng|Bộ trưởng|Thứ trưởng|Phó)", text[start:])
        return start, start + (stop.start() if stop else len(text) - start)

    def _delegation_heads(self, text: str, people: list[Match[Participant]]) -> list[Participant]:
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
        return any(p.name == name and p.is_office for p, _ in self.profile.people)

    def _fill_from_context(self, cand: Candidate, siblings: list[Candidate]) -> None:
        """Borrow participants for an empty side: the paragraph, then (rounds) nearby paragraphs."""
        sentence_others = {m.value for m in self.profile.other_matcher.finditer(cand.sentence)}
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
        for side in ("vn", "us"):
            if cand.people[side]:
                continue
            if sentence_others and cand.kind in ("meeting", "call"):
                continue  # the counterpart is a third country's, not this negotiation's
            names = [n for n in _side_names(self.paragraph_people[cand.paragraph_index], side) if n not in taken]
            if names:
                cand.people[side] = {n: PARAGRAPH for n in names}
                continue
            if cand.kind != "round":
                continue
            if cand.from_headline:
                # A headline sums up the article: its round is led by the article's leaders.
                leaders = [
                    m.value.name
                    for ms in self.paragraph_people
                    for m in ms
                    if m.value.side == side and m.value.rank in DELEGATION_LEADERS
                ]
                cand.people[side] = dict.fromkeys(leaders, NEARBY)
                continue
            for following in self.paragraph_people[cand.paragraph_index + 1 : cand.paragraph_index + 4]:
                names = [n for n in _side_names(following, side) if n not in taken]
                if names:
                    cand.people[side] = {n: NEARBY for n in names}
                    break

    def _set_mode(self, cand: Candidate) -> None:
        lo, hi = max(0, cand.trigger_start - 30), cand.trigger_end + 60
        for mode in ("online", "phone", "in_person"):
            if _in_window(cand.sentence, lo, hi, mode, self.profile):
                cand.mode, cand.mode_explicit = mode, True
                return
        cand.mode = "phone" if cand.kind == "call" else "in_person"

    def _set_status(self, cand: Candidate) -> None:
        published = self.article.published
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
        if _preceded_by(text, cand.trigger_start, "ongoing", self.profile, window=14):
            cand.status, cand.status_rank = "ongoing", 1
        elif self._marks(cand, "planned"):
            cand.status, cand.status_rank = "planned", 1

    def _marks(self, cand: Candidate, marker: str) -> bool:
        """Whether a status marker speaks of this candidate: in a window around its trigger, but not
        one that introduces another event after it ("... để chuẩn bị cho vòng đàm phán tiếp theo")."""
        text = cand.sentence
        lo, hi = max(0, cand.trigger_start - 40), cand.trigger_end + 130
        for m in self.profile.marker_matcher(marker).finditer(text[lo:hi]):
            start, end = lo + m.start, lo + m.end
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
        has_vn, has_us = bool(cand.people["vn"]), bool(cand.people["us"])
        if cand.kind in ("meeting", "call"):
            vn_person = any(not self._is_office(n) for n in cand.people["vn"])
            return vn_person and has_us
        if cand.kind == "statement":
            return bool(self.profile.watch_matcher.search(cand.sentence)) or (has_vn and has_us)
        if cand.kind == "round":
            cand.bare = cand.number is None and cand.start is None and cand.explicit_sides() == 0
            if cand.bare:
                cand.location = None  # a bare mention's facts come from the round it refers to
        return True


def extract_events(article: Article, profile: WatchProfile) -> Extraction:
    """Extract the events of the watched negotiation that `article` reports or refers to."""
    relevant = is_relevant(article, profile)
    if not relevant:
        return Extraction(article=article, relevant=False)
    extractor = _ArticleExtractor(article, profile)
    candidates = [c for c in extractor.candidates() if extractor.keep(c)]
    events = consolidate(candidates)
    return Extraction(article=article, relevant=True, events=tuple(events))


def with_published(article: Article, published: date | None) -> Article:
    """The article with a publication date filled in where it had none."""
    return article if article.published or published is None else replace(article, published=published)


__all__ = ["Candidate", "Event", "extract_events", "split_paragraphs", "with_published"]
