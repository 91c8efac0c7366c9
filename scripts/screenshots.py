"""Render the seeds' digest as the email's HTML and as a Slack-style preview of its Block Kit
payload, and screenshot both in headless Chromium (for the README: docs/*.png).

    python scripts/screenshots.py [OUTPUT_DIR]

The Slack preview is an approximation drawn from the real payload (render_slack), not Slack itself.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from delivery.render import render_html, render_slack  # noqa: E402
from flows import steps  # noqa: E402
from parsers.digest import Digest  # noqa: E402
from parsers.profile import load_profile  # noqa: E402
from warehouse.db import connect  # noqa: E402

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def seeds_digest(workdir: Path) -> Digest:
    conn = connect(workdir / "w.duckdb")
    now = datetime(2025, 11, 15, 2, 30, tzinfo=UTC)
    steps.ingest_seeds(conn, ROOT / "seeds", "r-shot", now)
    profile = load_profile(ROOT / "seeds" / "watch.toml")
    steps.extract_pending(conn, profile, "r-shot", now)
    steps.merge_events(conn, "r-shot", now, profile.geography)
    digest = steps.build_digest(conn, profile.name, now)
    conn.close()
    assert digest is not None
    return digest


def _mrkdwn(text: str) -> str:
    """Slack mrkdwn (already &<> escaped) to HTML, enough for a preview."""
    text = re.sub(r"<(https?://[^|>]+)\|([^>]+)>", r'<a href="\1">\2</a>', text)
    text = re.sub(r"\*([^*\n]+)\*", r"<b>\1</b>", text)
    text = re.sub(r"(?<![\w])_([^_\n]+)_", r"<i>\1</i>", text)
    text = re.sub(r"`([^`]+)`", r"<code>\1</code>", text)
    lines = [f'<div class="quote">{line[2:]}</div>' if line.startswith("> ") else line for line in text.split("\n")]
    return "<br>".join(lines)


def slack_preview(payload: dict[str, Any]) -> str:
    parts = []
    for block in payload["blocks"]:
        if block["type"] == "header":
            parts.append(f'<div class="header">{html.escape(block["text"]["text"])}</div>')
        elif block["type"] == "section":
            parts.append(f'<div class="section">{_mrkdwn(block["text"]["text"])}</div>')
        elif block["type"] == "context":
            parts.append('<div class="context">' + " ".join(_mrkdwn(e["text"]) for e in block["elements"]) + "</div>")
        elif block["type"] == "divider":
            parts.append("<hr>")
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><style>
body {{ font-family: Lato, 'Segoe UI', Helvetica, Arial, sans-serif; background: #fff; color: #1d1c1d; margin: 0; }}
.msg {{ display: flex; padding: 16px 20px; }} .avatar {{ width: 36px; height: 36px; border-radius: 4px;
background: #0b3d91; color: #fff; font-weight: 700; text-align: center; line-height: 36px; margin-right: 10px; }}
.name {{ font-weight: 900; }} .app {{ font-size: 10px; background: #ddd; border-radius: 2px; padding: 1px 3px; }}
.header {{ font-size: 18px; font-weight: 900; margin: 6px 0; }}
.section {{ margin: 8px 0; font-size: 15px; line-height: 1.45; }}
.context {{ font-size: 12px; color: #616061; margin: 4px 0 10px; }} .quote {{ border-left: 4px solid #ddd;
padding-left: 10px; color: #1d1c1d; }} a {{ color: #1264a3; text-decoration: none; }}
hr {{ border: 0; border-top: 1px solid #eee; }}
code {{ font-size: 12px; background: #f6f6f6; border: 1px solid #e8e8e8; border-radius: 3px; color: #e01e5a; }}
</style></head><body><div class="msg"><div class="avatar">tw</div><div><span class="name">tradewatch</span>
<span class="app">APP</span>{"".join(parts)}</div></div></body></html>"""


def screenshot(page: Path, png: Path, width: int, height: int, profile_dir: Path) -> None:
    binary = chromium()
    if binary is None:
        raise RuntimeError("chromium is not installed (Debian: apt-get install chromium)")
    subprocess.run(
        [
            binary,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile_dir}",
            f"--window-size={width},{height}",
            f"--screenshot={png}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )


def dump_dom(page: Path, profile_dir: Path) -> str:
    binary = chromium()
    assert binary is not None
    result = subprocess.run(
        [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile_dir}", "--dump-dom", page.as_uri()],
        check=True,
        capture_output=True,
        timeout=120,
        text=True,
    )
    return result.stdout


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        digest = seeds_digest(work)
        email = work / "email.html"
        email.write_text(render_html(digest), encoding="utf-8")
        slack = work / "slack.html"
        slack.write_text(slack_preview(render_slack(digest)), encoding="utf-8")
        screenshot(email, out / "digest-email.png", 640, 1500, work / "profile-email")
        screenshot(slack, out / "digest-slack.png", 720, 1100, work / "profile-slack")
    print(f"wrote {out / 'digest-email.png'} and {out / 'digest-slack.png'}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs")
