"""The data that flows between the pure core and the edges."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

EVENT_KINDS = ("round", "ministerial_session", "meeting", "call", "statement")
MODES = ("in_person", "online", "phone")
# "agreed": a text the negotiators settled that is not yet issued (a statement agreed by the
# negotiating teams, published months later), an event of its own.
STATUSES = ("held", "ongoing", "planned", "agreed")


@dataclass(frozen=True)
class Problem:
    """Something wrong with an input that did not stop the run (errors are data)."""

    code: str
    message: str


@dataclass(frozen=True)
class Paragraph:
    text: str
    offset: int  # character offset of the paragraph in Article.body
    is_caption: bool = False
    is_headline: bool = False


@dataclass(frozen=True)
class Article:
    """One article as parsed from a seed file, a feed item or a page (NFC text)."""

    url: str
    title: str | None
    body: str
    language: str
    published: date | None
    source_id: str | None = None
    # (year, month) when only the month of publication is known (a ` date 2025-06 ` marker): it
    # gives dates without a year their year, but no day to resolve "on Friday" or a status against.
    published_month: tuple[int, int] | None = None

    @property
    def full_text(self) -> str:
        return f"{self.title}\n{self.body}" if self.title else self.body


@dataclass(frozen=True)
class PartialDate:
    """A date as the text gives it: the year may be unknown ("14/11")."""

    day: int
    month: int
    year: int | None = None

    def resolved(self) -> date | None:
        if self.year is None:
            return None
        try:
            return date(self.year, self.month, self.day)
        except ValueError:
            return None

    @classmethod
    def parse(cls, text: str | None) -> PartialDate | None:
        """The inverse of `iso_partial`: `2025-11-12` or `--11-12`."""
        if not text:
            return None
        if text.startswith("--"):
            month, day = text[2:].split("-")
            return cls(int(day), int(month), None)
        year, month, day = text.split("-")
        return cls(int(day), int(month), int(year))

    def iso_partial(self) -> str:
        """ISO 8601 form, with `--MM-DD` when the year is unknown."""
        if self.year is None:
            return f"--{self.month:02d}-{self.day:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


@dataclass(frozen=True)
class Event:
    """One event of the watched negotiation, as one article reports it."""

    kind: str
    number: int | None
    mode: str | None
    status: str
    start: PartialDate | None
    end: PartialDate | None
    location: str | None
    vn_side: tuple[str, ...]
    us_side: tuple[str, ...]
    topics: tuple[str, ...]
    evidence: str
    position: int  # character offset of the evidence sentence in the article text
    from_caption: bool = False

    @property
    def start_date(self) -> date | None:
        return self.start.resolved() if self.start else None

    @property
    def end_date(self) -> date | None:
        return self.end.resolved() if self.end else None

    def to_json(self) -> dict[str, object]:
        """The event fields of DESIGN.md, plus the partial dates and the evidence position."""
        start, end = self.start_date, self.end_date
        return {
            "kind": self.kind,
            "number": self.number,
            "mode": self.mode,
            "status": self.status,
            "start": start.isoformat() if start else None,
            "end": end.isoformat() if end else None,
            "location": self.location,
            "vn_side": list(self.vn_side),
            "us_side": list(self.us_side),
            "topics": list(self.topics),
            "evidence": self.evidence,
            "position": self.position,
            "start_text": self.start.iso_partial() if self.start else None,
            "end_text": self.end.iso_partial() if self.end else None,
        }


@dataclass(frozen=True)
class Extraction:
    """What the extractor found in one article."""

    article: Article
    relevant: bool
    events: tuple[Event, ...] = field(default_factory=tuple)
    problems: tuple[Problem, ...] = field(default_factory=tuple)
