"""The real inputs the fuzzer starts from, read at run time and never copied into the project:
the captures in ../shared/fixtures, the labelled corpus ../shared/eval/real/pages, and the
project's own fixtures and seeds. Without ../shared, the project's own are enough to run."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
BASE = "http://127.0.0.1:8000"  # the project's web fixtures name their server {base}
_URL = re.compile(rb"""(?:href|src|url)\s*=\s*["']([^"'<>\s]{4,300})["']|<link>\s*([^<\s]{4,300})\s*</link>""")
_DATE_ATTR = re.compile(rb"""(?:content|datetime)\s*=\s*["'](\d{4}-\d{2}-\d{2}[^"']{0,30})["']""")
_FEED_DATE = re.compile(rb"<(?:pubDate|updated|published|dc:date)>\s*(?:<!\[CDATA\[)?([^<\]]{4,60})")
_SQL_BLOCK = re.compile(r"```sql\n(.*?)```", re.DOTALL)


@dataclass
class Corpus:
    """Documents by kind: feeds, pages, listings, texts (seed format), urls, dates, queries."""

    feeds: list[bytes] = field(default_factory=list)
    pages: list[bytes] = field(default_factory=list)
    listings: list[bytes] = field(default_factory=list)
    texts: list[bytes] = field(default_factory=list)
    urls: list[bytes] = field(default_factory=list)
    dates: list[bytes] = field(default_factory=list)
    queries: list[bytes] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # where they came from, for the report

    def of(self, kind: str) -> list[bytes]:
        found: list[bytes] = getattr(self, kind)
        return found


def _read(path: Path) -> bytes:
    raw = path.read_bytes()
    return raw.replace(b"{base}", BASE.encode()) if path.parent.name == "web" else raw


def _files(folder: Path, *patterns: str) -> list[Path]:
    return sorted({p for pattern in patterns for p in folder.glob(pattern) if p.is_file()}) if folder.is_dir() else []


def load_corpus(root: Path = ROOT, shared: Path = SHARED) -> Corpus:
    corpus = Corpus()
    web = root / "tests" / "fixtures" / "web"
    groups = {
        "feeds": _files(web, "*.rss") + _files(shared / "fixtures" / "feeds", "**/*.xml"),
        "pages": _files(web, "*.html") + _files(root / "seeds", "*.html") + _files(shared / "fixtures", "**/*.html"),
        "texts": _files(root / "seeds", "*.txt") + _files(shared / "eval" / "real" / "pages", "*.txt"),
    }
    for kind, paths in groups.items():
        for path in paths:
            corpus.of(kind).append(_read(path))
        corpus.sources.append(f"{kind}: {len(paths)} files")
    corpus.listings = [p for p in corpus.pages if p.count(b"<a ") >= 3]
    for document in corpus.feeds + corpus.pages:
        corpus.urls += [m[0] or m[1] for m in _URL.finditer(document)]
        corpus.dates += [m[1].strip() for m in _DATE_ATTR.finditer(document)]
        corpus.dates += [m[1].strip() for m in _FEED_DATE.finditer(document)]
    corpus.urls = sorted(set(corpus.urls))
    # Dates as articles write them: the lines of the texts that hold a number.
    lines = {line.strip() for text in corpus.texts for line in text.splitlines() if re.search(rb"\d", line)}
    corpus.dates = sorted(set(corpus.dates)) + sorted(line[:400] for line in lines if line)
    readme = root / "README.md"
    if readme.is_file():
        corpus.queries = [q.strip().encode() for q in _SQL_BLOCK.findall(readme.read_text(encoding="utf-8"))]
    corpus.sources.append(f"urls: {len(corpus.urls)}, dates: {len(corpus.dates)}, queries: {len(corpus.queries)}")
    return corpus
