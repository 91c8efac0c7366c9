"""Files of the seeds folder (seed-format text or article pages) to articles: pure, bytes in."""

from __future__ import annotations

from dataclasses import replace
from pathlib import PurePath

from parsers.models import Article, Problem
from parsers.page import parse_article_page
from parsers.seedfile import parse_seed_file

HTML_SUFFIXES = (".html", ".htm")


def decode_text(raw: bytes) -> tuple[str, Problem | None]:
    """UTF-8 (with or without BOM); anything else is decoded with replacement and reported."""
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        text = raw.decode("utf-8", errors="replace")
        return text, Problem("encoding", f"not valid UTF-8 at byte {exc.start}; undecodable bytes replaced")


def parse_input_file(path: PurePath, raw: bytes) -> tuple[Article | None, list[Problem]]:
    """Parse one seed file or page; a file with no article text gives None and a problem."""
    text, problem = decode_text(raw)
    problems = [problem] if problem else []
    if path.suffix.lower() in HTML_SUFFIXES:
        # A saved page keeps its seed:// name, whatever canonical URL the page declares.
        article = replace(parse_article_page(f"seed://{path.name}", text), url=f"seed://{path.name}", source_id="seeds")
    else:
        article = parse_seed_file(path.name, text)
    if not article.body.strip():
        problems.append(Problem("empty", "no article text found"))
        return None, problems
    return article, problems
