"""The scheduled run when nothing changed: 40 sources on loopback (each on its own address, as
40 hosts would be) that answer 304 Not Modified to the run's conditional GETs. `tradewatch run`
runs twice in a process of its own, as the scheduler runs it; the second run is measured, split
into Prefect's start-up and the pipeline's own work (the run's span in `runs_log`)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import duckdb

from bench.corpus import records
from bench.pages import render_feed, render_page

SOURCES = 40
ITEMS = 50
LAST_MODIFIED = "Sat, 21 Nov 2026 08:00:00 GMT"


def _handler(feed: bytes, pages: list[bytes]) -> type[BaseHTTPRequestHandler]:
    etag = '"' + hashlib.sha256(feed).hexdigest()[:16] + '"'

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            if self.path == "/feed.xml":
                if self.headers.get("If-None-Match") == etag or self.headers.get("If-Modified-Since") == LAST_MODIFIED:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                self._send(feed, "application/rss+xml; charset=utf-8", {"ETag": etag, "Last-Modified": LAST_MODIFIED})
            elif self.path.startswith("/a/") and self.path[3:-5].isdigit() and int(self.path[3:-5]) < len(pages):
                self._send(pages[int(self.path[3:-5])], "text/html; charset=utf-8", {})
            else:
                self.send_error(404)

        def _send(self, body: bytes, content_type: str, headers: dict[str, str]) -> None:
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


@contextmanager
def loopback_sources(count: int = SOURCES) -> Iterator[list[str]]:
    """`count` news sites on 127.0.0.10, .11, ...: each serves a feed of ITEMS items and their pages."""
    with ExitStack() as stack:
        urls = []
        for number in range(count):
            items = _items(1000 + number)
            base_host = f"127.0.0.{10 + number}"
            server = ThreadingHTTPServer((base_host, 0), BaseHTTPRequestHandler)
            base = f"http://{base_host}:{server.server_port}"
            for i, item in enumerate(items):
                item["url"] = f"{base}/a/{i}.html"
            pages = [render_page(item).encode() for item in items]
            server.RequestHandlerClass = _handler(render_feed(f"site{number}", items, base).encode(), pages)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            stack.callback(server.server_close)
            stack.callback(server.shutdown)
            urls.append(f"{base}/feed.xml")
        yield urls


def _items(seed: int, relevant: int = 1) -> list[dict[str, object]]:
    """A feed's items: mostly other news, and one about the negotiation (whose page the
    first run fetches)."""
    about: list[dict[str, object]] = []
    other: list[dict[str, object]] = []
    for record in records(4 * ITEMS, seed=seed):
        (about if record.get("event") else other).append(record)
    return about[:relevant] + other[: ITEMS - relevant]


def registry(urls: list[str]) -> str:
    """Every source due at every run (interval 0), as a scheduler polling each tick would find them."""
    return "\n".join(
        f'[[source]]\nid = "bench-{n:02d}"\nname = "Bench site {n}"\nkind = "rss"\nurl = "{url}"\n'
        'language = "vi"\ninterval = 0\n'
        for n, url in enumerate(urls)
    )


def measure(root: Path, work: Path) -> dict[str, Any]:
    """Two runs against the 40 sources; figures of the second, all-304 one."""
    with loopback_sources() as urls:
        (work / "sources.toml").write_text(registry(urls), encoding="utf-8")
        env = {
            **os.environ,
            "TRADEWATCH_DB": str(work / "scheduled.duckdb"),
            "TRADEWATCH_SOURCES": str(work / "sources.toml"),
            "TRADEWATCH_DATA_DIR": str(work / "data"),
            "TRADEWATCH_SEEDS": str(root / "seeds"),
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_LOGGING_LEVEL": "ERROR",
        }
        env.pop("PREFECT_API_URL", None)  # the scheduler's own: a temporary server per process
        command = [sys.executable, "-m", "tradewatch", "run"]
        subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, check=True)
        started = time.perf_counter()
        subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, check=True)
        wall = time.perf_counter() - started
    conn = duckdb.connect(str(work / "scheduled.duckdb"), read_only=True)
    run_id, span = conn.execute(
        "SELECT run_id, epoch(finished_at - started_at) FROM runs ORDER BY started_at DESC LIMIT 1"
    ).fetchone() or (None, None)
    statuses = dict(
        conn.execute("SELECT status, count(*) FROM fetches WHERE run_id = ? GROUP BY ALL", [run_id]).fetchall()
    )
    pending = (conn.execute("SELECT count(*) FROM feed_items WHERE page_status = 'pending'").fetchone() or (0,))[0]
    conn.close()
    return {
        "sources": len(urls),
        "wall_s": wall,
        "pipeline_s": span,
        "prefect_startup_s": wall - span if span is not None else None,
        "responses": {str(k): v for k, v in statuses.items()},
        "pages_pending": pending,
    }
