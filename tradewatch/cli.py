"""The tradewatch command line. The only place that configures logging.

Prefect is imported only by the commands that run flows, so `extract` and `sql` start fast.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import sys
import traceback
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from flows.settings import Settings


class _App(typer.Typer):
    """The command line, ending any unexpected failure with its traceback, then one line that
    says what failed, and nothing after it (exit status 1)."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().__call__(*args, **kwargs)
        except Exception as exc:
            traceback.print_exc()
            message = f"{type(exc).__name__}: {exc}"
            _drop_tracebacks(exc)
        typer.secho(f"tradewatch: {message}", err=True, fg=typer.colors.RED)
        sys.exit(1)


app = _App(
    name="tradewatch",
    help="Follow the Vietnam–US Reciprocal Trade Agreement negotiations in the news.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

DbOption = Annotated[Path | None, typer.Option("--db", help="DuckDB warehouse file [env TRADEWATCH_DB].")]


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


def _settings(**overrides: Any) -> Settings:
    return Settings(**{k: v for k, v in overrides.items() if v is not None})


def _fail(message: str, code: int = 2) -> None:
    typer.secho(f"tradewatch: {message}", err=True, fg=typer.colors.RED)
    raise typer.Exit(code)


def _drop_tracebacks(exc: BaseException | None) -> None:
    """Let go of the frames an exception and those chained to it hold: Prefect keeps the exception
    in the failed run's state, and its frames hold DuckDB objects that, alive at exit, make
    nanobind print dozens of "leaked" lines after everything else."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        exc.__traceback__ = None
        _drop_tracebacks(exc.__cause__)
        exc = exc.__context__


@app.callback()
def main(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress to stderr.")] = False) -> None:
    # Offline machines are the norm here: Prefect's telemetry would only log DNS failures.
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO" if verbose else "WARNING")
    # Without PREFECT_API_URL each run starts a temporary Prefect server and gives it 20 s; on a
    # busy two-core machine that start can take longer, and a scheduled run must not fail for it.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


@app.command()
def run(
    db: DbOption = None,
    seeds: Annotated[Path | None, typer.Option(help="Folder of seed articles [env TRADEWATCH_SEEDS].")] = None,
    sources: Annotated[Path | None, typer.Option(help="Source registry to poll [env TRADEWATCH_SOURCES].")] = None,
    no_feeds: Annotated[bool, typer.Option("--no-feeds", help="Poll no source: the seeds only.")] = False,
    watch: Annotated[Path | None, typer.Option(help="Watch profile [env TRADEWATCH_WATCH].")] = None,
    no_deliver: Annotated[bool, typer.Option("--no-deliver", help="Build nothing to send; events stay new.")] = False,
) -> None:
    """Ingest the seeds and the sources, extract and merge events, and deliver a digest of what is new."""
    from flows.pipeline import run_once
    from parsers.registry import RegistryError, parse_registry
    from warehouse.db import WarehouseBusy

    if sources is not None and no_feeds:
        _fail("--sources and --no-feeds contradict each other")
    settings = _settings(db=db, seeds=seeds, watch=watch, sources=sources)
    if not settings.seeds.is_dir():
        _fail(f"no seeds folder at {settings.seeds}")
    feeds = not no_feeds
    if feeds:
        if not settings.sources.is_file():
            _fail(f"no source registry at {settings.sources} (or say --no-feeds)")
        try:
            parse_registry(settings.sources.read_text(encoding="utf-8"))
        except RegistryError as exc:
            _fail(f"{settings.sources}: {exc}")
    failure: str | None = None
    try:
        summary = run_once(settings, deliver=not no_deliver, feeds=feeds)
    except WarehouseBusy as exc:
        _fail(str(exc))
    except Exception as exc:
        # Prefect has logged the traceback; the last line is ours. Leaving the except block first
        # drops the traceback, whose frames hold DuckDB objects: kept until the interpreter exits,
        # they make nanobind print dozens of "leaked" lines after everything else.
        failure = f"the run failed: {type(exc).__name__}: {exc}"
        _drop_tracebacks(exc)
    if failure is not None:
        _fail(failure, code=1)
    typer.echo(
        f"run {summary.run_id}: {summary.articles_seen} articles seen ({summary.articles_new} new, "
        f"{summary.articles_updated} updated, {summary.articles_duplicate} copies); "
        f"{summary.articles_extracted} extracted ({summary.articles_relevant} relevant), "
        f"{summary.mentions_new} event mentions; {len(summary.events_new)} new events, "
        f"{len(summary.events_updated)} updated"
    )
    if summary.poll is not None and summary.pages is not None:
        poll, pages = summary.poll, summary.pages
        typer.echo(
            f"sources: {len(poll.polled)} polled ({len(poll.not_modified)} not modified, {len(poll.failed)} failed, "
            f"{len(poll.not_due)} not due); {poll.new_items} new items, {poll.candidates} worth reading; "
            f"{pages.fetched} pages fetched, {pages.failed} failed"
        )
    for problem in summary.problems:
        typer.secho(f"  problem: {problem}", fg=typer.colors.YELLOW)
    if summary.digest_markdown:
        typer.echo("")
        typer.echo(summary.digest_markdown)
        typer.echo(f"digest {summary.digest_id} written to {summary.digest_path}")
    elif no_deliver:
        typer.echo("--no-deliver: no digest built.")
    else:
        typer.echo("No new events: no digest written.")
    _print_deliveries(summary.deliveries, settings)


@app.command()
def replay(
    db: DbOption = None,
    watch: Annotated[Path | None, typer.Option(help="Watch profile [env TRADEWATCH_WATCH].")] = None,
    workers: Annotated[int, typer.Option(help="Local processes that extract; 1: this one.")] = 2,
) -> None:
    """Re-run extraction and merging over every stored article with the current code: no fetching,
    and no digest for the events users already had."""

    from flows.steps import replay as replay_all
    from parsers.profile import load_profile
    from warehouse import store
    from warehouse.db import WarehouseBusy, WarehouseMissing, connect, transaction

    settings = _settings(db=db, watch=watch)
    if not settings.db.exists():
        _fail(str(WarehouseMissing(f"no warehouse at {settings.db}: run `tradewatch run` first")))
    try:
        conn = connect(settings.db)
    except WarehouseBusy as exc:
        _fail(str(exc))
    now = datetime.now(UTC)
    run_id = store.new_run_id(now)
    try:
        with transaction(conn):
            store.start_run(conn, run_id, "replay", now)
        report = replay_all(conn, load_profile(settings.watch), run_id, now, workers=workers)
        with transaction(conn):
            store.finish_run(
                conn,
                run_id,
                datetime.now(UTC),
                status="succeeded",
                counts={"mentions_new": report.mentions, "events_new": report.events_new},
            )
    finally:
        conn.close()
    typer.echo(
        f"replay {run_id}: {report.articles} articles extracted again, {report.mentions} mentions; "
        f"{report.events_kept} events kept their identity, {report.events_new} new (announced by the next run)"
    )


@app.command()
def serve() -> None:
    """Run the pipeline on its schedule (TRADEWATCH_SCHEDULE_CRON) until stopped. Without
    PREFECT_API_URL, a local Prefect server is started too: the UI is at http://127.0.0.1:4200."""
    settings = _settings()
    if not settings.sources.is_file():
        _fail(f"no source registry at {settings.sources}")
    from flows.serve import local_api_url, local_prefect_server, serve_forever

    typer.echo(
        f"tradewatch serve: the pipeline runs on '{settings.schedule_cron}' ({settings.schedule_timezone}); "
        "Ctrl-C stops it"
    )
    if os.environ.get("PREFECT_API_URL"):
        serve_forever(settings)
        return
    with local_prefect_server(local_api_url()) as api_url:
        typer.echo(f"Prefect UI: {api_url.removesuffix('/api')}")
        serve_forever(settings, api_url)


@app.command()
def backfill(
    path: Annotated[
        Path, typer.Argument(help="A folder of .txt/.html articles, or a JSONL file of records.", exists=True)
    ],
    db: DbOption = None,
    watch: Annotated[Path | None, typer.Option(help="Watch profile [env TRADEWATCH_WATCH].")] = None,
    dask: Annotated[
        str | None, typer.Option(help="Parse on this Dask scheduler (tcp://host:8786), or 'local' for a local cluster.")
    ] = None,
    batch_size: Annotated[int, typer.Option(help="Articles per parsing task.")] = 500,
    workers: Annotated[int, typer.Option(help="Local processes that parse (not with --dask); 1: this one.")] = 2,
    announce: Annotated[
        bool, typer.Option(help="Let the next run announce the events found (default: history is not news).")
    ] = False,
) -> None:
    """Load historical articles through the same parse, extract and merge path, in batches."""
    from flows.backfill import backfill_flow, iter_inputs, on_progress
    from warehouse.db import WarehouseBusy

    settings = _settings(db=db, watch=watch)
    total = sum(1 for _ in iter_inputs(path)) if path.is_dir() else sum(1 for line in path.open("rb") if line.strip())
    runner = backfill_flow
    parse_with = "processes" if workers > 1 else "inline"
    if dask:
        parse_with = "task_runner"
        from prefect_dask import DaskTaskRunner

        cluster = {"n_workers": 2, "threads_per_worker": 1, "dashboard_address": ":0"}
        task_runner: Any = DaskTaskRunner(cluster_kwargs=cluster) if dask == "local" else DaskTaskRunner(address=dask)
        runner = backfill_flow.with_options(task_runner=task_runner)
    try:
        with typer.progressbar(length=total, label="backfill", file=sys.stderr) as bar:
            on_progress(bar.update)
            try:
                report = runner(
                    path=path,
                    db=settings.db,
                    watch=settings.watch,
                    batch_size=batch_size,
                    announce=announce,
                    lock_wait_s=settings.lock_wait_s,
                    parse_with=parse_with,
                    workers=workers,
                )
            finally:
                on_progress(None)
    except WarehouseBusy as exc:
        _fail(str(exc))
    typer.echo(
        f"backfill {report.run_id}: {report.inputs} inputs, {report.articles_new} articles stored "
        f"({report.copies} of them copies of others), "
        f"{report.mentions} event mentions, {report.events_new} new events"
        + ("" if announce else " (recorded as known: no digest)")
    )
    for problem in report.problems[:20]:
        typer.secho(f"  problem: {problem}", fg=typer.colors.YELLOW)
    if len(report.problems) > 20:
        typer.secho(f"  ... and {len(report.problems) - 20} more problems", fg=typer.colors.YELLOW)


@app.command("sources")
def sources_command(
    db: DbOption = None,
    fmt: Annotated[
        OutputFormat, typer.Option("--format", help="table, csv or json (one object per line).")
    ] = OutputFormat.table,
) -> None:
    """Each source's health: last status, last success, failures in a row, newest item, flag."""
    _print_query(
        _settings(db=db),
        "SELECT source_id, kind, enabled, last_status AS status, last_success_at, consecutive_failures AS failures, "
        "items_seen, articles, newest_item_at, flag, last_error FROM sources WHERE kind <> 'seeds' "
        "ORDER BY flag NULLS LAST, source_id",
        fmt,
    )


def _print_deliveries(reports: list[Any], settings: Settings) -> None:
    for report in reports:
        if report.ok:
            typer.echo(f"{report.channel}: sent {report.digest_id} ({report.attempts} attempt(s))")
        else:
            typer.secho(
                f"{report.channel}: {report.digest_id} not sent after {report.attempts} attempt(s): {report.error}; "
                "the next run tries again",
                fg=typer.colors.YELLOW,
            )
    for channel, reason in settings.channels().not_configured.items():
        typer.echo(f"{channel}: skipped ({reason})")


@app.command()
def extract(
    paths: Annotated[list[Path], typer.Argument(help="Seed-format .txt files or .html pages.", exists=True)],
    published: Annotated[
        str | None, typer.Option(help="Publication date YYYY-MM-DD for files that do not give one.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per file, one per line.")] = False,
    watch: Annotated[Path | None, typer.Option(help="Watch profile [env TRADEWATCH_WATCH].")] = None,
) -> None:
    """Extract events from files: pure, no database, no Prefect."""
    from parsers.events import extract_events, with_published
    from parsers.inputs import parse_input_file
    from parsers.profile import ProfileError, load_profile

    settings = _settings(watch=watch)
    try:
        pub = date.fromisoformat(published) if published else None
    except ValueError:
        _fail(f"--published wants YYYY-MM-DD, not {published!r}")
    try:
        profile = load_profile(settings.watch)
    except (OSError, ProfileError) as exc:
        _fail(f"cannot read the watch profile {settings.watch}: {exc}")
    for path in paths:
        article, problems = parse_input_file(path, path.read_bytes())
        if article is None:
            record: dict[str, Any] = {
                "path": str(path),
                "relevant": False,
                "language": None,
                "published": None,
                "title": None,
                "events": [],
                "problems": [p.message for p in problems],
            }
        else:
            extraction = extract_events(with_published(article, pub), profile)
            a = extraction.article
            record = {
                "path": str(path),
                "relevant": extraction.relevant,
                "language": a.language,
                "published": a.published.isoformat() if a.published else None,
                "title": a.title,
                "events": [e.to_json() for e in extraction.events],
            }
            if problems:
                record["problems"] = [p.message for p in problems]
        if as_json:
            typer.echo(json.dumps(record, ensure_ascii=False))
        else:
            _print_extraction(record)


def _print_extraction(record: dict[str, Any]) -> None:
    typer.secho(f"{record['path']}  relevant={record['relevant']}  published={record['published']}", bold=True)
    for e in record["events"]:
        when = e["start"] or e["start_text"] or "?"
        if e["end"] or e["end_text"]:
            when += f"..{e['end'] or e['end_text']}"
        typer.echo(
            f"  {e['kind']:<20} no={e['number'] or '-':<3} {when:<23} {e['status']:<8} {e['mode'] or '-':<9} "
            f"{e['location'] or '-':<16} vn={', '.join(e['vn_side']) or '-'}  us={', '.join(e['us_side']) or '-'}"
        )


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(_cell(v) for v in value)
    return str(value)


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, bytes):
        return value.hex()
    return value


def format_rows(columns: list[str], rows: list[tuple[Any, ...]], fmt: OutputFormat) -> str:
    if fmt is OutputFormat.json:
        return "\n".join(
            json.dumps({c: _json_value(v) for c, v in zip(columns, row, strict=True)}, ensure_ascii=False)
            for row in rows
        )
    if fmt is OutputFormat.csv:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[_cell(v) for v in row] for row in rows])
        return out.getvalue().rstrip("\n")
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [min(60, max([len(c)] + [len(r[i]) for r in cells])) for i, c in enumerate(columns)]
    lines = [" | ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines.append("-+-".join("-" * w for w in widths))
    for row in cells:
        lines.append(
            " | ".join(
                (v if len(v) <= w else v[: w - 1] + "…").ljust(w) for v, w in zip(row, widths, strict=True)
            ).rstrip()
        )
    return "\n".join(lines)


@app.command()
def sql(
    query: Annotated[str, typer.Argument(help="One SELECT (or WITH ... SELECT) over the views.")],
    db: DbOption = None,
    fmt: Annotated[
        OutputFormat, typer.Option("--format", help="table, csv or json (one object per line).")
    ] = OutputFormat.table,
) -> None:
    """Run a read-only query on the warehouse."""
    _print_query(_settings(db=db), query, fmt)


def _print_query(settings: Settings, query: str, fmt: OutputFormat) -> None:
    """Run a query the way `tradewatch sql` does (read-only, capped) and print it, or say why not."""
    import duckdb

    from warehouse.db import WarehouseBusy, WarehouseMissing
    from warehouse.queries import QueryRejected, QueryTimeout, run_query

    try:
        result = run_query(settings.db, query, max_rows=settings.sql_max_rows, timeout_s=settings.sql_timeout_s)
    except (QueryRejected, QueryTimeout, WarehouseBusy, WarehouseMissing) as exc:
        _fail(str(exc))
    except duckdb.Error as exc:
        _fail(f"query failed: {exc}")
    typer.echo(format_rows(result.columns, result.rows, fmt))
    if result.truncated:
        typer.secho(
            f"(stopped at {settings.sql_max_rows} rows: TRADEWATCH_SQL_MAX_ROWS)", err=True, fg=typer.colors.YELLOW
        )


@app.command()
def digest(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Render the next digest; send and record nothing.")
    ] = False,
    resend: Annotated[
        str | None,
        typer.Option("--resend", metavar="ID", help="Send digest ID again, on purpose, to every configured channel."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Preview the next digest (--dry-run) or send an old one again (--resend ID)."""
    from delivery.render import render_markdown
    from flows.steps import build_digest, deliver_outbox
    from parsers.profile import load_profile
    from warehouse import outbox
    from warehouse.db import WarehouseBusy, WarehouseMissing, connect, transaction

    if dry_run == bool(resend):
        _fail("say --dry-run or --resend ID")
    settings = _settings(db=db)
    try:
        conn = connect(settings.db, read_only=dry_run)
    except (WarehouseBusy, WarehouseMissing) as exc:
        _fail(str(exc))
    try:
        if dry_run:
            pending = build_digest(conn, load_profile(settings.watch).name, datetime.now(UTC))
            typer.echo(render_markdown(pending) if pending else "Nothing new: the next run would send no digest.")
            return
        assert resend is not None
        if outbox.digest_payload(conn, resend) is None:
            _fail(f"no digest {resend} (list them: tradewatch sql 'select digest_id, created_at from digests')")
        channels = settings.channels()
        if not channels.active:
            _fail(
                "no channel is configured: set TRADEWATCH_SMTP_HOST, _EMAIL_FROM and _EMAIL_TO, or _SLACK_WEBHOOK_URL"
            )
        with transaction(conn):
            outbox.requeue(conn, resend, channels.active, datetime.now(UTC))
        reports = deliver_outbox(conn, channels, lambda: datetime.now(UTC), digest_id=resend)
    finally:
        conn.close()
    _print_deliveries(reports, settings)
    if not all(r.ok for r in reports):
        raise typer.Exit(1)


if __name__ == "__main__":
    app()
