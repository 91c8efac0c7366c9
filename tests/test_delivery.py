"""Channels against real servers on loopback, and rendering within each channel's rules."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from delivery.channels import DeliveryError, send_with_retries
from delivery.email import build_message, send_email
from delivery.render import (
    SLACK_MAX_BLOCKS,
    SLACK_MAX_HEADER,
    SLACK_MAX_SECTION,
    render_html,
    render_markdown,
    render_slack,
    render_text,
)
from delivery.slack import post_webhook
from parsers.digest import Digest, DigestEvent, Source, digest_from_json, digest_to_json, material_changes
from tests.servers import free_port, self_signed, smtp_server, webhook_server

ROUND5 = DigestEvent(
    event_id="e-1",
    kind="round",
    number=5,
    mode="in_person",
    status="held",
    start_date=date(2025, 11, 12),
    end_date=date(2025, 11, 14),
    start_text="2025-11-12",
    end_text="2025-11-14",
    location="Washington D.C.",
    vn_side=("Nguyễn Hồng Diên",),
    us_side=("USTR",),
    topics=("digital_trade", "services"),
    conflicts=(),
    sources=(
        Source(
            "Kết thúc vòng đàm phán thứ 5",
            "https://example.vn/a-post1.html",
            "vnp",
            date(2025, 11, 15),
            "Từ ngày 12–14/11/2025, tại Washington D.C, vòng đàm phán trực tiếp lần thứ 5 đã diễn ra.",
        ),
    ),
)
DIGEST = Digest(
    "d-test", datetime(2025, 11, 15, 3, 0, tzinfo=UTC), "Vietnam–US Reciprocal Trade Agreement", (ROUND5,), (ROUND5,)
)


def test_the_email_is_multipart_text_and_html():
    message = build_message(DIGEST, sender="tw@example.org", recipients=["a@example.org", "b@example.org"])
    assert message["Subject"] == "tradewatch: 1 new event — Round 5 (12–14 Nov 2025)"
    assert message["To"] == "a@example.org, b@example.org"
    assert message["Message-ID"] == "<d-test@tradewatch>"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Round 5 — 12–14 Nov 2025, Washington D.C., held" in text
    assert "Nguyễn Hồng Diên" in html and "https://example.vn/a-post1.html" in html


def test_every_value_in_the_html_is_escaped():
    evil = replace(
        ROUND5,
        location="<script>alert(1)</script>",
        sources=(Source('"><img src=x onerror=alert(1)>', "https://example.vn/x", None, None, "a < b & c"),),
    )
    html = render_html(replace(DIGEST, events=(evil,), timeline=()))
    assert "<script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html and "a &lt; b &amp; c" in html


def test_times_are_shown_in_vietnam_time():
    assert "2025-11-15 10:00 (Vietnam time)" in render_markdown(DIGEST)
    assert "2025-11-15 10:00 (Vietnam time)" in render_text(DIGEST)


def test_the_digest_round_trips_through_json():
    assert digest_from_json(digest_to_json(DIGEST)) == DIGEST


def test_material_changes_are_news_and_quiet_changes_are_not():
    planned = {
        "number": None,
        "status": "planned",
        "start_text": None,
        "end_text": None,
        "location": None,
        "conflicts": [],
    }
    held = {**planned, "status": "held", "start_text": "2025-11-20"}
    assert material_changes(planned, held) == ["status: planned → held", "start: unknown → 2025-11-20"]
    assert material_changes({**held, "status": "ongoing"}, held) == []  # the expected course of things
    assert material_changes(held, {**held, "conflicts": ["start"]}) == ["sources now disagree on start"]
    assert material_changes(None, held) == []


def _many_events(n: int) -> Digest:
    events = tuple(replace(ROUND5, event_id=f"e-{i}", number=i + 1) for i in range(n))
    return replace(DIGEST, events=events, timeline=events)


def test_slack_payload_stays_within_slacks_limits():
    payload = render_slack(_many_events(60))
    blocks = payload["blocks"]
    assert len(blocks) <= SLACK_MAX_BLOCKS
    assert len(blocks[0]["text"]["text"]) <= SLACK_MAX_HEADER
    for block in blocks:
        texts = [block["text"]["text"]] if "text" in block else [e["text"] for e in block.get("elements", [])]
        assert all(len(t) <= SLACK_MAX_SECTION for t in texts)
    assert any("more in the email" in b.get("text", {}).get("text", "") for b in blocks)


def test_slack_text_cannot_ping_or_fake_links():
    sneaky = replace(ROUND5, location="<!channel> & <https://evil.example|click>")
    payload = render_slack(replace(DIGEST, events=(sneaky,), timeline=()))
    text = str(payload)
    assert "<!channel>" not in text and "<https://evil.example|click>" not in text
    assert "&lt;!channel&gt; &amp;" in text


@pytest.mark.parametrize("security", ["none", "starttls", "ssl"])
def test_email_reaches_a_real_smtp_server(tmp_path, security):
    cert = self_signed(tmp_path) if security != "none" else None
    user, password = ("tw", "pa55-w0rd") if security != "none" else (None, None)
    with smtp_server(tls=security, cert=cert, user=user, password=password) as (recorder, port):
        message = build_message(DIGEST, sender="tw@example.org", recipients=["a@example.org"])
        send_email(
            message,
            host="localhost",
            port=port,
            security=security,
            username=user,
            password=password,
            timeout_s=10,
            ca_file=cert[0] if cert else None,
        )
    (received,) = recorder.messages
    assert received.rcpt_tos == ["a@example.org"]
    assert received.message["Subject"] == message["Subject"]
    assert received.message.get_body(("html",)) is not None


def test_a_wrong_password_is_a_permanent_failure(tmp_path):
    cert = self_signed(tmp_path)
    with smtp_server(tls="starttls", cert=cert, user="tw", password="right") as (recorder, port):
        message = build_message(DIGEST, sender="tw@example.org", recipients=["a@example.org"])
        with pytest.raises(DeliveryError) as info:
            send_email(
                message,
                host="localhost",
                port=port,
                security="starttls",
                username="tw",
                password="wrong",
                timeout_s=10,
                ca_file=cert[0],
            )
    assert info.value.permanent and "wrong" not in str(info.value)
    assert recorder.messages == []


def test_an_smtp_server_that_is_down_is_worth_retrying():
    message = build_message(DIGEST, sender="tw@example.org", recipients=["a@example.org"])
    with pytest.raises(DeliveryError) as info:
        send_email(message, host="127.0.0.1", port=free_port(), security="none", timeout_s=5)
    assert not info.value.permanent


def test_slack_webhook_receives_the_blocks():
    with webhook_server() as hook:
        post_webhook(hook.url, render_slack(DIGEST))
    (post,) = hook.posts
    assert post["blocks"][0]["text"]["text"] == "tradewatch: 1 new event"


@pytest.mark.parametrize(
    ("status", "permanent", "retry_after"), [(500, False, None), (429, False, 7.0), (400, True, None)]
)
def test_slack_failures_say_whether_to_retry_and_never_show_the_secret(status, permanent, retry_after):
    with webhook_server() as hook:
        hook.script.append((status, {"Retry-After": "7"} if status == 429 else {}))
        with pytest.raises(DeliveryError) as info:
            post_webhook(hook.url, render_slack(DIGEST))
    assert info.value.permanent is permanent
    assert info.value.retry_after_s == retry_after
    assert "s3cr3tT0ken" not in str(info.value)


def test_an_unreachable_webhook_does_not_show_the_secret():
    with pytest.raises(DeliveryError) as info:
        post_webhook(f"http://127.0.0.1:{free_port()}/services/T/B/s3cr3tT0ken", {"text": "x"}, timeout_s=2)
    assert "s3cr3tT0ken" not in str(info.value)


def test_retries_back_off_and_honour_retry_after():
    waits: list[float] = []
    failures = [DeliveryError("busy", retry_after_s=7.0), DeliveryError("down"), DeliveryError("down")]

    def send() -> None:
        if failures:
            raise failures.pop(0)

    outcome = send_with_retries(send, retries=3, backoff_s=1.0, sleep=waits.append, jitter=lambda: 0.0)
    assert outcome.ok and outcome.attempts == 4
    assert waits == [7.0, 2.0, 4.0]


def test_permanent_failures_are_not_retried():
    waits: list[float] = []

    def send() -> None:
        raise DeliveryError("bad request", permanent=True)

    outcome = send_with_retries(send, retries=5, backoff_s=1.0, sleep=waits.append)
    assert not outcome.ok and outcome.attempts == 1 and waits == []
