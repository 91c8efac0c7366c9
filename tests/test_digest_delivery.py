"""Digests reach people: one email and one Slack post per digest, exactly once, through outages."""

from __future__ import annotations

import logging
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from flows.pipeline import pipeline_run
from tests.conftest import SEEDS
from tests.servers import free_port, self_signed, smtp_server, webhook_server
from tradewatch.cli import app

pytestmark = pytest.mark.usefixtures("prefect_harness")

NEW_MEETING = (
    " date 2026-03-06 Chiều 5/3, tại Hà Nội, Bộ trưởng Lê Mạnh Hùng đã có buổi làm việc với Trưởng Đại diện "
    "Thương mại Hoa Kỳ Jamieson Greer nhằm thúc đẩy đàm phán Hiệp định Thương mại đối ứng.\n"
)
SESSION_HELD = (
    " date 2025-11-21 Ngày 20/11, phiên đàm phán trực tuyến cấp Bộ trưởng về Hiệp định Thương mại đối ứng giữa "
    "Bộ trưởng Nguyễn Hồng Diên và Trưởng Đại diện Thương mại Hoa Kỳ Jamieson Greer đã diễn ra.\n"
)


@pytest.fixture
def channels(monkeypatch):
    """A real SMTP server and a Slack webhook receiver on loopback, configured by environment."""
    with smtp_server() as (smtp, port), webhook_server() as hook:
        for name, value in {
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(port),
            "SMTP_SECURITY": "none",
            "SMTP_TIMEOUT_S": "5",
            "EMAIL_FROM": "tradewatch@example.org",
            "EMAIL_TO": "analyst@example.org, desk@example.org",
            "SLACK_WEBHOOK_URL": hook.url,
            "DELIVERY_RETRIES": "2",
            "DELIVERY_BACKOFF_S": "0.01",
        }.items():
            monkeypatch.setenv(f"TRADEWATCH_{name}", value)
        yield smtp, hook, port


def run(tmp_path: Path, seeds: Path):
    return pipeline_run(
        db=tmp_path / "w.duckdb", seeds=seeds, watch=SEEDS / "watch.toml", data_dir=tmp_path / "data", trigger="test"
    )


def deliveries(tmp_path: Path) -> list[tuple]:
    conn = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    try:
        return conn.execute("SELECT channel, status, attempts FROM deliveries ORDER BY digest_id, channel").fetchall()
    finally:
        conn.close()


def test_two_runs_send_one_email_and_one_slack_post(tmp_path, seeds_copy, channels):
    smtp, hook, _ = channels
    run(tmp_path, seeds_copy)
    run(tmp_path, seeds_copy)
    (email,) = smtp.messages
    assert email.rcpt_tos == ["analyst@example.org", "desk@example.org"]
    assert email.message["Subject"].startswith("tradewatch: 11 new events — Ministerial session 8 (10 Nov 2025)")
    assert email.message.get_content_type() == "multipart/alternative"
    assert "Round 5 — 12–14 Nov 2025, Washington D.C., held" in email.message.get_body(("plain",)).get_content()
    assert "Jacob Helberg" in email.message.get_body(("html",)).get_content()
    (post,) = hook.posts
    assert post["blocks"][0]["text"]["text"] == "tradewatch: 11 new events"
    assert deliveries(tmp_path) == [("email", "sent", 1), ("file", "sent", 1), ("slack", "sent", 1)]


def test_a_new_meeting_sends_one_more_of_each_listing_only_it(tmp_path, seeds_copy, channels):
    smtp, hook, _ = channels
    run(tmp_path, seeds_copy)
    (seeds_copy / "100_new_meeting.txt").write_text(NEW_MEETING, encoding="utf-8")
    run(tmp_path, seeds_copy)
    assert len(smtp.messages) == 2 and len(hook.posts) == 2
    text = smtp.messages[1].message.get_body(("plain",)).get_content()
    listed = text.split("The negotiation so far")[0]
    assert "Meeting: Lê Mạnh Hùng – Jamieson Greer — 5 Mar 2026, Hà Nội, held" in listed
    assert "Round 5" not in listed
    assert smtp.messages[1].message["Subject"].startswith("tradewatch: 1 new event — Meeting: Lê Mạnh Hùng")
    assert hook.posts[1]["blocks"][0]["text"]["text"] == "tradewatch: 1 new event"


def test_an_outage_is_recorded_and_the_next_run_delivers_exactly_once(tmp_path, seeds_copy, monkeypatch):
    dead_port = free_port()
    with webhook_server() as hook:
        for name, value in {
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(dead_port),
            "SMTP_SECURITY": "none",
            "SMTP_TIMEOUT_S": "2",
            "EMAIL_FROM": "tw@example.org",
            "EMAIL_TO": "analyst@example.org",
            "SLACK_WEBHOOK_URL": hook.url,
            "DELIVERY_RETRIES": "1",
            "DELIVERY_BACKOFF_S": "0.01",
        }.items():
            monkeypatch.setenv(f"TRADEWATCH_{name}", value)
        hook.script += [(500, {}), (500, {})]  # Slack has a bad minute: both tries fail
        first = run(tmp_path, seeds_copy)
        assert first.digest_id is not None
        assert {(d.channel, d.ok) for d in first.deliveries} == {("email", False), ("slack", False)}
        assert deliveries(tmp_path) == [("email", "failed", 2), ("file", "sent", 1), ("slack", "failed", 2)]
        assert hook.posts == []

        with smtp_server() as (smtp, port):
            monkeypatch.setenv("TRADEWATCH_SMTP_PORT", str(port))
            second = run(tmp_path, seeds_copy)  # nothing new, but the outbox still holds the digest
            third = run(tmp_path, seeds_copy)
    assert second.digest_id is None and {(d.channel, d.ok) for d in second.deliveries} == {
        ("email", True),
        ("slack", True),
    }
    assert third.deliveries == []
    assert len(smtp.messages) == 1 and len(hook.posts) == 1
    assert smtp.messages[0].message["Message-ID"] == f"<{first.digest_id}@tradewatch>"
    assert deliveries(tmp_path) == [("email", "sent", 3), ("file", "sent", 1), ("slack", "sent", 3)]


def test_slack_rate_limit_is_waited_out_in_the_same_run(tmp_path, seeds_copy, channels):
    _, hook, _ = channels
    hook.script.append((429, {"Retry-After": "0"}))
    summary = run(tmp_path, seeds_copy)
    slack = next(d for d in summary.deliveries if d.channel == "slack")
    assert slack.ok and slack.attempts == 2
    assert len(hook.posts) == 1


def test_a_planned_session_that_happens_is_announced_as_an_update(tmp_path, seeds_copy, channels):
    smtp, hook, _ = channels
    run(tmp_path, seeds_copy)
    (seeds_copy / "101_session_held.txt").write_text(SESSION_HELD, encoding="utf-8")
    summary = run(tmp_path, seeds_copy)
    assert summary.events_new == []
    text = smtp.messages[1].message.get_body(("plain",)).get_content()
    assert text.splitlines()[1].startswith("1 update ·")
    assert "What changed: status: planned → held; start: unknown → 2025-11-20" in text
    assert hook.posts[1]["blocks"][0]["text"]["text"] == "tradewatch: 1 update"
    run(tmp_path, seeds_copy)
    assert len(smtp.messages) == 2  # announced once


def test_unconfigured_channels_are_skipped_and_said_so(tmp_path, seeds_copy, monkeypatch):
    for name in ("SMTP_HOST", "EMAIL_FROM", "EMAIL_TO", "SLACK_WEBHOOK_URL"):
        monkeypatch.delenv(f"TRADEWATCH_{name}", raising=False)
    result = CliRunner().invoke(
        app,
        ["run", "--db", str(tmp_path / "w.duckdb"), "--seeds", str(seeds_copy)],
        env={"TRADEWATCH_DATA_DIR": str(tmp_path / "data")},
    )
    assert result.exit_code == 0, result.output
    assert (
        "email: skipped (not configured: TRADEWATCH_SMTP_HOST, TRADEWATCH_EMAIL_FROM, TRADEWATCH_EMAIL_TO unset)"
        in result.output
    )
    assert "slack: skipped (not configured: TRADEWATCH_SLACK_WEBHOOK_URL unset)" in result.output
    assert deliveries(tmp_path) == [("email", "skipped", 0), ("file", "sent", 1), ("slack", "skipped", 0)]


def test_resend_sends_an_old_digest_again_on_purpose(tmp_path, seeds_copy, channels):
    smtp, hook, _ = channels
    first = run(tmp_path, seeds_copy)
    result = CliRunner().invoke(app, ["digest", "--resend", first.digest_id, "--db", str(tmp_path / "w.duckdb")])
    assert result.exit_code == 0, result.output
    assert len(smtp.messages) == 2 and len(hook.posts) == 2
    assert smtp.messages[1].message["Subject"] == smtp.messages[0].message["Subject"]
    missing = CliRunner().invoke(app, ["digest", "--resend", "d-000000000000", "--db", str(tmp_path / "w.duckdb")])
    assert missing.exit_code == 2 and "no digest d-000000000000" in missing.output


def test_secrets_never_reach_logs_digests_or_the_database(tmp_path, seeds_copy, monkeypatch, caplog):
    cert = self_signed(tmp_path)
    password = "Sup3r-s3cret-pw"
    with smtp_server(tls="starttls", cert=cert, user="tw", password=password) as (smtp, port), webhook_server() as hook:
        for name, value in {
            "SMTP_HOST": "localhost",
            "SMTP_PORT": str(port),
            "SMTP_SECURITY": "starttls",
            "SMTP_USERNAME": "tw",
            "SMTP_PASSWORD": password,
            "SMTP_CA_FILE": str(cert[0]),
            "EMAIL_FROM": "tw@example.org",
            "EMAIL_TO": "analyst@example.org",
            "SLACK_WEBHOOK_URL": hook.url,
            "DELIVERY_BACKOFF_S": "0.01",
        }.items():
            monkeypatch.setenv(f"TRADEWATCH_{name}", value)
        hook.script.append((500, {}))  # a failure, so that an error message is recorded too
        with caplog.at_level(logging.DEBUG):
            run(tmp_path, seeds_copy)
    assert len(smtp.messages) == 1 and len(hook.posts) == 1
    token = hook.url.rsplit("/", 1)[-1]
    conn = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    tables = [r[0] for r in conn.execute("SELECT table_name FROM duckdb_tables()").fetchall()]
    dump = "\n".join(str(conn.execute(f"SELECT * FROM {t}").fetchall()) for t in tables)
    conn.close()
    files = "\n".join(p.read_text(encoding="utf-8") for p in (tmp_path / "data").rglob("*.md"))
    for secret in (password, token):
        assert secret not in dump
        assert secret not in files
        assert secret not in caplog.text
