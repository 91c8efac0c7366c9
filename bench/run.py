"""`make bench`: measure tradewatch on its real code paths, on a synthetic corpus.

    python -m bench.run [--sizes 1000,10000] [--out bench/results.json]

Prints a table and writes the figures as JSON with the machine and versions. Each backfill size
runs in a process of its own, so that its peak memory is its own.
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
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
QUERIES = {
    "timeline": "SELECT kind, number, start_date, location FROM events ORDER BY start_date",
    "events by month": "SELECT date_trunc('month', start_date) AS m, kind, count(*) FROM events "
    "WHERE start_date IS NOT NULL GROUP BY ALL ORDER BY m",
    "text search": "SELECT url, title FROM articles WHERE body ILIKE '%vòng đàm phán thứ 5%' LIMIT 50",
    "outlets per event": "SELECT e.event_id, count(DISTINCT g.source_id) FROM events e JOIN event_mentions m "
    "USING (event_id) JOIN sightings g ON g.article_id = m.article_id GROUP BY e.event_id",
}


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def backfill_once(jsonl: Path, db: Path, naive: bool, workers: int = 2) -> dict[str, Any]:
    """One backfill of `jsonl` into `db`: the flow's own body (`.fn`), without Prefect's start-up."""
    from flows.backfill import BackfillReport, backfill_flow, batches, iter_inputs, parse_batch

    watch = ROOT / "seeds" / "watch.toml"
    started = time.perf_counter()
    if naive:
        from warehouse.db import connect

        conn = connect(db)
        report = BackfillReport("r-bench")
        for batch in batches(iter_inputs(jsonl), 500):
            _naive_store(conn, parse_batch(batch, watch))
        conn.close()
        events = None
    else:
        report = backfill_flow.fn(path=jsonl, db=db, watch=watch, parse_with="processes", workers=workers)
        events = report.events_new
    elapsed = time.perf_counter() - started
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "seconds": elapsed,
        "inputs": report.inputs or sum(1 for _ in jsonl.open()),
        "events": events,
        "copies": report.copies,
        "peak_rss_mib": _rss_mib(),
        "peak_rss_worker_mib": children,
    }


def _naive_store(conn: Any, parsed: list[Any]) -> None:
    """The same work done the obvious way: html.parser text, MinHash updated per shingle, one
    INSERT per row."""
    import hashlib

    from bs4 import BeautifulSoup

    for item in parsed:
        if item.article is None:
            continue
        text = BeautifulSoup(item.article.body, "html.parser").get_text()
        words = text.lower().split()
        minhash = [2**64 - 1] * 64
        for i in range(max(0, len(words) - 3)):
            shingle = " ".join(words[i : i + 4]).encode()
            for k in range(64):
                h = int.from_bytes(
                    hashlib.blake2b(shingle, digest_size=8, salt=k.to_bytes(16, "little")).digest(), "little"
                )
                if h < minhash[k]:
                    minhash[k] = h
        conn.execute("CREATE TABLE IF NOT EXISTS naive_article (url VARCHAR, body VARCHAR, sig UBIGINT[])")
        conn.execute("INSERT INTO naive_article VALUES (?, ?, ?)", [item.article.url, text, minhash])
        for event in item.extraction.events if item.extraction else ():
            conn.execute("CREATE TABLE IF NOT EXISTS naive_mention (url VARCHAR, kind VARCHAR, evidence VARCHAR)")
            conn.execute("INSERT INTO naive_mention VALUES (?, ?, ?)", [item.article.url, event.kind, event.evidence])


def _child(args: list[str]) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "bench.run", *args], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def replay_once(db: Path) -> dict[str, Any]:
    from flows.steps import replay
    from parsers.profile import load_profile
    from warehouse.db import connect

    conn = connect(db)
    row = conn.execute("SELECT count(*) FROM article WHERE duplicate_of IS NULL").fetchone()
    articles = row[0] if row else 0
    started = time.perf_counter()
    replay(conn, load_profile(ROOT / "seeds" / "watch.toml"), "r-bench-replay", datetime.now(UTC))
    elapsed = time.perf_counter() - started
    conn.close()
    return {"seconds": elapsed, "articles": articles}


def queries_once(db: Path) -> dict[str, float]:
    from warehouse.queries import run_query

    out = {}
    for name, sql in QUERIES.items():
        started = time.perf_counter()
        run_query(db, sql, max_rows=100_000, timeout_s=60)
        out[name] = time.perf_counter() - started
    return out


def extract_speed() -> float:
    from parsers.events import extract_events
    from parsers.profile import load_profile
    from parsers.seedfile import parse_seed_file

    profile = load_profile(ROOT / "seeds" / "watch.toml")
    articles = [parse_seed_file(p.name, p.read_text(encoding="utf-8")) for p in sorted((ROOT / "seeds").glob("*.txt"))]
    articles = (articles * 20)[:100]
    extract_events(articles[0], profile)
    started = time.perf_counter()
    for article in articles:
        extract_events(article, profile)
    return time.perf_counter() - started


def prefect_startup() -> float:
    code = (
        "import time; t = time.perf_counter(); from prefect import flow\n"
        "@flow\ndef f(): return 1\nf(); print(time.perf_counter() - t)"
    )
    env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_LOGGING_LEVEL": "ERROR"}
    env.pop("PREFECT_API_URL", None)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    return float(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="backfill sizes, comma-separated (100000: ~40 min today)")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results.json"))
    parser.add_argument("--child-backfill", nargs=3, metavar=("JSONL", "DB", "MODE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_backfill:
        jsonl, db, mode = args.child_backfill
        print(json.dumps(backfill_once(Path(jsonl), Path(db), naive=mode == "naive")))
        return 0

    from bench.corpus import write_jsonl

    sizes = [int(s) for s in args.sizes.split(",")]
    figures: dict[str, Any] = {
        "backfill": {"sizes": {}},
        "replay": {},
        "queries": {},
        "extract": {},
        "scheduled_304": {},
    }
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for size in sizes:
            corpus = work / f"corpus-{size}.jsonl"
            write_jsonl(str(corpus), size, seed=size)
            fast = _child(["--child-backfill", str(corpus), str(work / f"fast-{size}.duckdb"), "fast"])
            entry: dict[str, Any] = {
                "articles_per_s": size / fast["seconds"],
                "seconds": fast["seconds"],
                "peak_rss_mib": fast["peak_rss_mib"],
                "events": fast["events"],
            }
            if size <= 1000:
                naive = _child(["--child-backfill", str(corpus), str(work / f"naive-{size}.duckdb"), "naive"])
                entry["naive_articles_per_s"] = size / naive["seconds"]
            figures["backfill"]["sizes"][str(size)] = entry
            print(
                f"backfill {size:>7}: {entry['articles_per_s']:8.1f} articles/s, peak {entry['peak_rss_mib']:.0f} "
                f"MiB, {entry['events']} events",
                flush=True,
            )
        largest = str(max(sizes))
        smallest = figures["backfill"]["sizes"][str(min(sizes))]
        figures["backfill"]["articles_per_s"] = figures["backfill"]["sizes"][largest]["articles_per_s"]
        figures["backfill"]["naive_articles_per_s"] = smallest.get("naive_articles_per_s")
        if smallest.get("naive_articles_per_s"):
            figures["backfill"]["ratio_vs_naive"] = smallest["articles_per_s"] / smallest["naive_articles_per_s"]
        figures["backfill"]["peak_rss_mib"] = max(v["peak_rss_mib"] for v in figures["backfill"]["sizes"].values())
        db = work / f"fast-{largest}.duckdb"
        figures["queries"] = queries_once(db)
        figures["queries"]["max_s"] = max(figures["queries"].values())
        replayed = replay_once(db)
        figures["replay"] = {"articles_per_s": replayed["articles"] / replayed["seconds"], **replayed}
    figures["extract"]["seconds_per_100"] = extract_speed()
    figures["scheduled_304"]["prefect_startup_s"] = prefect_startup()
    figures["scheduled_304"]["pipeline_s"] = None  # not measured yet: see the README's "Performance"
    figures["machine"] = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "measured_at": datetime.now(UTC).isoformat(),
        "versions": {p: metadata.version(p) for p in ("duckdb", "prefect", "numpy", "feedparser")},
    }
    Path(args.out).write_text(json.dumps(figures, indent=2, default=float) + "\n", encoding="utf-8")
    print(
        json.dumps(
            {k: figures[k] for k in ("backfill", "replay", "queries", "extract", "scheduled_304")},
            indent=2,
            default=float,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
