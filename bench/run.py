"""`make bench`: measure tradewatch on its real code paths, on a synthetic corpus of news pages.

    python -m bench.run [--sizes 1000,10000,100000] [--naive-size 500] [--out bench/results.json]

For each size, a corpus of whole article pages (80–150 KB of site chrome around each article,
`bench/corpus.py` and `bench/pages.py`) is backfilled by the backfill flow's own body, in a process
of its own so that its peak memory is its own. The naive implementation (`bench/naive.py`) backfills
the first `--naive-size` pages of the smallest corpus (all of it by default), side by side with the
fast path; both warehouses must hold the same events and copies. Then: replay and analyst queries on the largest
warehouse, extraction alone, and the all-304 scheduled run (`bench/scheduled.py`). Prints a table,
writes the figures as JSON with the machine and versions, and exits 1 if the two paths disagree.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
WATCH = ROOT / "seeds" / "watch.toml"
QUERIES = {
    "timeline": "SELECT kind, number, start_date, end_date, location, source_count FROM events ORDER BY start_date",
    "events by month": "SELECT date_trunc('month', start_date) AS m, kind, count(*) FROM events "
    "WHERE start_date IS NOT NULL GROUP BY ALL ORDER BY m",
    "text search": "SELECT url, title FROM articles WHERE body ILIKE '%vòng đàm phán thứ 5%' LIMIT 50",
    "articles per source and month": "SELECT source_id, date_trunc('month', published) AS m, count(*) FROM articles "
    "WHERE duplicate_of IS NULL GROUP BY ALL ORDER BY ALL",
    "outlets per event": "SELECT e.event_id, count(DISTINCT g.source_id) FROM events e JOIN event_mentions m "
    "USING (event_id) JOIN sightings g ON g.article_id = m.article_id GROUP BY e.event_id",
}
TARGETS = {
    "backfill.articles_per_s": ">= 250",
    "backfill.ratio_vs_naive": ">= 5",
    "backfill.peak_rss_mib": "< 1024, flat from 10k to 100k",
    "replay.articles_per_s": ">= 2000",
    "scheduled_304.pipeline_s": "<= 3",
    "queries.max_s": "< 1",
}


class MemorySampler:
    """The peak of the resident memory of this process and its children together, sampled every
    0.2 s from /proc (getrusage's figure for children counts the parent's image they fork from)."""

    def __init__(self) -> None:
        self.peak_total = 0.0
        self.peak_worker = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        me = os.getpid()
        while not self._stop.wait(0.2):
            total = _rss_mib(me)
            for child in _children(me):
                rss = _rss_mib(child)
                total += rss
                self.peak_worker = max(self.peak_worker, rss)
            self.peak_total = max(self.peak_total, total)


def _rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return found


def _peak_writer_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def backfill_once(corpus: Path, db: Path, naive: bool, workers: int = 2) -> dict[str, Any]:
    """One backfill of `corpus` into `db`: the flow's own body (`.fn`), without Prefect's start-up."""
    started = time.perf_counter()
    with MemorySampler() as memory:
        if naive:
            from bench.naive import naive_backfill

            counts = naive_backfill(corpus, db, WATCH)
            inputs, copies = counts["inputs"], counts["copies"]
        else:
            from flows.backfill import backfill_flow

            report = backfill_flow.fn(path=corpus, db=db, watch=WATCH, parse_with="processes", workers=workers)
            inputs, copies = report.inputs, report.copies
    elapsed = time.perf_counter() - started
    import duckdb

    conn = duckdb.connect(str(db), read_only=True)
    events = (conn.execute("SELECT count(*) FROM event").fetchone() or (0,))[0]
    conn.close()
    return {
        "seconds": elapsed,
        "inputs": inputs,
        "articles_per_s": inputs / elapsed,
        "events": events,
        "copies": copies,
        "peak_rss_mib": max(memory.peak_total, _peak_writer_mib()),  # the writer and its parsers together
        "peak_rss_writer_mib": _peak_writer_mib(),
        "peak_rss_worker_mib": memory.peak_worker,
        "db_mib": db.stat().st_size / 2**20,
    }


def replay_once(db: Path, workers: int = 2) -> dict[str, Any]:
    from flows.steps import replay
    from parsers.profile import load_profile
    from warehouse.db import connect

    conn = connect(db)
    row = conn.execute("SELECT count(*) FROM article WHERE duplicate_of IS NULL").fetchone()
    articles = row[0] if row else 0
    started = time.perf_counter()
    report = replay(conn, load_profile(WATCH), "r-bench-replay", datetime.now(UTC), workers=workers)
    elapsed = time.perf_counter() - started
    conn.close()
    return {
        "seconds": elapsed,
        "articles": articles,
        "articles_per_s": articles / elapsed,
        "events_kept": report.events_kept,
        "events_new": report.events_new,
        "peak_rss_mib": _peak_writer_mib(),
    }


def queries_once(db: Path) -> dict[str, float]:
    from warehouse.queries import run_query

    out = {}
    for name, sql in QUERIES.items():
        started = time.perf_counter()
        run_query(db, sql, max_rows=100_000, timeout_s=60)
        out[name] = time.perf_counter() - started
    return out


def extract_speed() -> float:
    """Seconds to extract 100 articles (the seeds, long real articles) in one process."""
    from parsers.events import extract_events
    from parsers.profile import load_profile
    from parsers.seedfile import parse_seed_file

    profile = load_profile(WATCH)
    articles = [parse_seed_file(p.name, p.read_text(encoding="utf-8")) for p in sorted((ROOT / "seeds").glob("*.txt"))]
    articles = (articles * 20)[:100]
    extract_events(articles[0], profile)
    started = time.perf_counter()
    for article in articles:
        extract_events(article, profile)
    return time.perf_counter() - started


def _child(*args: str) -> dict[str, Any]:
    """Run one measurement in a fresh process (its memory its own) and read its JSON answer."""
    done = subprocess.run([sys.executable, "-m", "bench.run", *args], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"bench child {args} failed:\n{done.stderr[-4000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _head(corpus: Path, count: int, out: Path) -> Path:
    with corpus.open("rb") as source, out.open("wb") as target:
        for number, line in enumerate(source):
            if number >= count:
                break
            target.write(line)
    return out


def run(sizes: list[int], naive_size: int, work: Path) -> dict[str, Any]:
    from bench.corpus import write_jsonl
    from bench.naive import agreement
    from bench.scheduled import measure

    figures: dict[str, Any] = {"backfill": {"sizes": {}}}
    largest_db = None
    for size in sorted(sizes):
        corpus = work / f"pages-{size}.jsonl"
        started = time.perf_counter()
        write_jsonl(str(corpus), size, seed=size, pages=True)
        generated = time.perf_counter() - started
        db = work / f"fast-{size}.duckdb"
        fast = _child("--child", "backfill", str(corpus), str(db))
        fast["corpus_mib"] = corpus.stat().st_size / 2**20
        fast["corpus_generation_s"] = generated
        figures["backfill"]["sizes"][str(size)] = fast
        print(
            f"backfill {size:>7,} pages ({fast['corpus_mib']:,.0f} MiB): {fast['articles_per_s']:7.1f} articles/s, "
            f"peak {fast['peak_rss_mib']:.0f} MiB (writer {fast['peak_rss_writer_mib']:.0f} + 2 parsers), "
            f"{fast['events']} events, {fast['copies']} copies",
            flush=True,
        )
        if size == min(sizes):
            if naive_size >= size:  # the whole corpus: the fast run above is the other side
                head, side, fast_db = corpus, fast, db
            else:
                head = _head(corpus, naive_size, work / "pages-naive.jsonl")
                fast_db = work / "fast-side.duckdb"
                side = _child("--child", "backfill", str(head), str(fast_db))
            naive = _child("--child", "naive", str(head), str(work / "naive-side.duckdb"))
            verdict = agreement(fast_db, work / "naive-side.duckdb")
            figures["backfill"]["naive"] = {"articles": naive_size, "fast": side, "naive": naive, "agreement": verdict}
            print(
                f"naive    {naive_size:>7,} pages: {naive['articles_per_s']:7.1f} articles/s against "
                f"{side['articles_per_s']:.1f}; same events and copies: {verdict['same']}",
                flush=True,
            )
        if largest_db is not None:
            largest_db.unlink()
        largest_db = db
        corpus.unlink()  # 100k pages are 12 GB
    assert largest_db is not None
    per_size = figures["backfill"]["sizes"]
    largest, smallest_above_10k = str(max(sizes)), [s for s in sizes if s >= 10_000]
    side = figures["backfill"]["naive"]
    figures["backfill"].update(
        {
            "articles_per_s": per_size[largest]["articles_per_s"],
            "naive_articles_per_s": side["naive"]["articles_per_s"],
            "ratio_vs_naive": side["fast"]["articles_per_s"] / side["naive"]["articles_per_s"],
            "peak_rss_mib": max(v["peak_rss_mib"] for v in per_size.values()),
            "peak_rss_worker_mib": max(v["peak_rss_worker_mib"] for v in per_size.values()),
            "agreement": side["agreement"]["same"],
        }
    )
    if len(smallest_above_10k) > 1:
        low, high = per_size[str(min(smallest_above_10k))], per_size[largest]
        # seconds per article at the largest size over seconds per article at 10k: 1.0 is linear
        figures["backfill"]["cost_per_article_growth"] = low["articles_per_s"] / high["articles_per_s"]
        figures["backfill"]["memory_growth_mib"] = high["peak_rss_mib"] - low["peak_rss_mib"]
    figures["queries"] = _child("--child", "queries", str(largest_db), "-")
    figures["queries"]["max_s"] = max(figures["queries"].values())
    figures["queries"]["articles"] = int(largest)
    print(f"queries  on {int(largest):,}: slowest {figures['queries']['max_s']:.3f} s", flush=True)
    figures["replay"] = _child("--child", "replay", str(largest_db), "-")
    print(
        f"replay   {figures['replay']['articles']:>7,} articles: {figures['replay']['articles_per_s']:.0f}/s",
        flush=True,
    )
    figures["extract"] = {"seconds_per_100_seed_articles": extract_speed()}
    figures["scheduled_304"] = measure(ROOT, work)
    s304 = figures["scheduled_304"]
    print(
        f"run, 40 sources all 304: {s304['wall_s']:.1f} s = Prefect start-up {s304['prefect_startup_s']:.1f} s "
        f"+ pipeline {s304['pipeline_s']:.2f} s",
        flush=True,
    )
    return figures


def _value(figures: dict[str, Any], dotted: str) -> Any:
    value: Any = figures
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def table(figures: dict[str, Any]) -> str:
    lines = [f"{'figure':<28} {'measured':>12}  target", "-" * 60]
    for key, target in TARGETS.items():
        value = _value(figures, key)
        shown = f"{value:,.2f}" if isinstance(value, float) else str(value)
        lines.append(f"{key:<28} {shown:>12}  {target}")
    lines.append(f"{'backfill.agreement':<28} {figures['backfill'].get('agreement')!s:>12}  True")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="backfill sizes, comma-separated")
    parser.add_argument(
        "--naive-size", type=int, default=1000, help="pages backfilled both ways (at most the smallest size)"
    )
    parser.add_argument("--out", default=str(ROOT / "bench" / "results.json"))
    parser.add_argument("--child", nargs=3, metavar=("WHAT", "PATH", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        what, path, db = args.child
        if what in ("backfill", "naive"):
            print(json.dumps(backfill_once(Path(path), Path(db), naive=what == "naive")))
        elif what == "replay":
            print(json.dumps(replay_once(Path(path))))
        else:
            print(json.dumps(queries_once(Path(path))))
        return 0

    sizes = sorted(int(s) for s in args.sizes.split(","))
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="tradewatch-bench-") as tmp:
        figures = run(sizes, min(args.naive_size, sizes[0]), Path(tmp))
    figures["bench_seconds"] = time.perf_counter() - started
    figures["machine"] = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "versions": {p: metadata.version(p) for p in ("duckdb", "prefect", "numpy", "lxml", "beautifulsoup4")},
    }
    Path(args.out).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print()
    print(table(figures))
    print(f"\n{figures['bench_seconds'] / 60:.1f} min; figures in {args.out}")
    return 0 if figures["backfill"]["agreement"] else 1


if __name__ == "__main__":
    sys.exit(main())
