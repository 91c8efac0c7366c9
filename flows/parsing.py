"""The pure half of backfill and replay: reading inputs, cutting them into batches, parsing,
extracting and fingerprinting. Imports neither Prefect nor DuckDB, so the processes that run it
start light."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePath
from typing import Any

from parsers.events import extract_events
from parsers.fingerprint import sha256_hex
from parsers.inputs import parse_input_file
from parsers.models import Article, Extraction, Problem
from parsers.neardup import Fingerprint, fingerprint
from parsers.page import parse_article_page
from parsers.profile import WatchProfile, load_profile
from parsers.rawdoc import RawDocument, deflated
from parsers.seedfile import guess_language
from parsers.text import clean, without_surrogates


@dataclass(frozen=True)
class RawInput:
    name: str  # file name or "<file>#<line>"
    raw: bytes
    kind: str  # "file" | "record"


def iter_inputs(path: Path) -> Iterator[RawInput]:
    """Every input under `path`, in a stable order, without reading it all at once."""
    if path.is_dir():
        for child in sorted(p for p in path.rglob("*") if p.suffix.lower() in (".txt", ".html", ".htm")):
            yield RawInput(str(child.relative_to(path)), child.read_bytes(), "file")
        return
    with path.open("rb") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                yield RawInput(f"{path.name}#{number}", line, "record")


MAX_BATCH_BYTES = 16 * 2**20  # pages are 100 KB or more: a batch is bounded by its bytes too


def batches(items: Iterator[RawInput], size: int, max_bytes: int = MAX_BATCH_BYTES) -> Iterator[list[RawInput]]:
    batch: list[RawInput] = []
    held = 0
    for item in items:
        batch.append(item)
        held += len(item.raw)
        if len(batch) >= size or held >= max_bytes:
            yield batch
            batch, held = [], 0
    if batch:
        yield batch


def parse_record(line: bytes) -> tuple[Article | None, list[Problem]]:
    """One JSONL record: {"url", "title", "body" or "html", "published", "source_id", "language"}."""
    try:
        data: dict[str, Any] = json.loads(line)
    except ValueError as exc:
        return None, [Problem("malformed_record", f"not JSON: {exc}")]
    if not isinstance(data, dict):
        return None, [Problem("malformed_record", "a record is a JSON object")]
    # JSON may escape half a character ("\ud800"): no text can hold it, so it becomes U+FFFD.
    data = {k: without_surrogates(v) if isinstance(v, str) else v for k, v in data.items()}
    url = str(data.get("url") or "").strip()
    if not url:
        return None, [Problem("malformed_record", "a record needs a url")]
    published = None
    if data.get("published"):
        try:
            published = date.fromisoformat(str(data["published"])[:10])
        except ValueError:
            return None, [Problem("malformed_record", f"published is not a date: {data['published']!r}")]
    if data.get("html"):
        article = parse_article_page(url, str(data["html"]))
        article = Article(
            url,
            data.get("title") or article.title,
            article.body,
            article.language,
            published or article.published,
            data.get("source_id"),
        )
    else:
        body = clean(str(data.get("body") or "")).strip()
        title = clean(str(data["title"])).strip() if data.get("title") else None
        article = Article(
            url, title, body, str(data.get("language") or guess_language(body)), published, data.get("source_id")
        )
    if not article.body:
        return None, [Problem("empty", "no article text")]
    return article, []


@dataclass
class Parsed:
    name: str
    raw: RawDocument  # deflated: the writer and the pipe between processes carry a fifth
    article: Article | None
    extraction: Extraction | None
    problems: list[Problem] = field(default_factory=list)
    print: Fingerprint | None = None  # for copy-finding, computed where the parsing is done


def parse_batch(batch: list[RawInput], watch: Path) -> list[Parsed]:
    """Parse and extract a batch (pure: no database, runs on any worker)."""
    profile = load_profile(watch)
    out = []
    for item in batch:
        raw = deflated(sha256_hex(item.raw), _media_type(item.name), item.raw)
        if item.kind == "record":
            article, problems = parse_record(item.raw)
        else:
            article, problems = parse_input_file(PurePath(item.name), item.raw)
            if article is not None:
                article = Article(
                    f"backfill://{item.name}",
                    article.title,
                    article.body,
                    article.language,
                    article.published,
                    "backfill",
                )
        if article is None:
            out.append(Parsed(item.name, raw, None, None, problems))
            continue
        extraction = extract_events(article, profile)
        out.append(Parsed(item.name, raw, article, extraction, problems, fingerprint(article.body)))
    return out


def _media_type(name: str) -> str:
    if "#" in name:
        return "application/json"  # a JSONL record
    return "text/html" if name.endswith((".html", ".htm")) else "text/plain"


_profile: WatchProfile | None = None  # a replay worker's copy, given once by `use_profile`


def use_profile(profile: WatchProfile) -> None:
    global _profile
    _profile = profile


def extract_chunk(chunk: list[tuple[str, Article]]) -> list[tuple[str, Extraction]]:
    """Replay's work: extract the events of (article id, article) pairs, with `use_profile`'s profile."""
    assert _profile is not None
    return [(article_id, extract_events(article, _profile)) for article_id, article in chunk]
