"""The source registry (seeds/sources.toml): which feeds and listing pages to poll."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass

KINDS = ("rss", "atom", "html")
LANGUAGES = ("vi", "en")


class RegistryError(ValueError):
    """The registry file is malformed (a configuration error: the run cannot start)."""


@dataclass(frozen=True)
class SourceConfig:
    source_id: str
    name: str
    kind: str  # rss | atom | html (a listing page without a feed)
    url: str
    language: str
    section: str | None = None
    interval_minutes: int = 30
    enabled: bool = True
    item_pattern: str | None = None  # html listings: the regex an article link matches
    notes: str | None = None

    @property
    def expects_feed(self) -> bool:
        return self.kind in ("rss", "atom")


def parse_registry(text: str) -> list[SourceConfig]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError(f"the source registry is not valid TOML: {exc}") from exc
    sources: list[SourceConfig] = []
    seen: set[str] = set()
    for i, entry in enumerate(data.get("source", [])):
        where = f"source #{i + 1} ({entry.get('id', 'no id')})"
        missing = [k for k in ("id", "name", "kind", "url", "language") if not entry.get(k)]
        if missing:
            raise RegistryError(f"{where}: missing {', '.join(missing)}")
        if entry["kind"] not in KINDS:
            raise RegistryError(f"{where}: kind must be one of {', '.join(KINDS)}, not {entry['kind']!r}")
        if entry["language"] not in LANGUAGES:
            raise RegistryError(f"{where}: language must be one of {', '.join(LANGUAGES)}")
        if entry["id"] in seen:
            raise RegistryError(f"{where}: the id {entry['id']!r} is used twice")
        if entry["kind"] == "html" and not entry.get("item_pattern"):
            raise RegistryError(f"{where}: an html listing needs an item_pattern (the regex of its article links)")
        if entry.get("item_pattern"):
            try:
                re.compile(entry["item_pattern"])
            except re.error as exc:
                raise RegistryError(f"{where}: item_pattern is not a regular expression: {exc}") from exc
        seen.add(entry["id"])
        sources.append(
            SourceConfig(
                source_id=entry["id"],
                name=entry["name"],
                kind=entry["kind"],
                url=entry["url"].strip(),
                language=entry["language"],
                section=entry.get("section"),
                interval_minutes=int(entry.get("interval", entry.get("interval_minutes", 30))),
                enabled=bool(entry.get("enabled", True)),
                item_pattern=entry.get("item_pattern"),
                notes=entry.get("notes"),
            )
        )
    return sources
