"""The HTML email, rendered by a real browser engine (headless Chromium) at phone width."""

from __future__ import annotations

import pytest

from delivery.render import render_html
from scripts.screenshots import chromium, dump_dom, screenshot, seeds_digest

pytestmark = pytest.mark.skipif(chromium() is None, reason="chromium not installed (CI installs Debian's package)")

HEADER_BLUE = (11, 61, 145)  # the digest's header band, #0b3d91


def close(a: tuple[int, ...], b: tuple[int, ...], tolerance: int = 12) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=False))


def test_the_email_renders_readably_on_a_phone(tmp_path):
    from PIL import Image

    digest = seeds_digest(tmp_path)
    page = tmp_path / "email.html"
    page.write_text(render_html(digest), encoding="utf-8")
    png = tmp_path / "email.png"
    screenshot(page, png, 400, 1400, tmp_path / "profile")
    image = Image.open(png).convert("RGB")
    assert image.size == (400, 1400)
    # The header band fills the width of a phone screen: the layout fits, nothing is cut off.
    assert close(image.getpixel((30, 40)), HEADER_BLUE) and close(image.getpixel((370, 40)), HEADER_BLUE)
    # Below it the events are drawn: dark text on white in a good share of the rows.
    inked_rows = sum(
        1 for y in range(140, 1400, 4) if any(sum(image.getpixel((x, y))) < 300 for x in range(20, 380, 3))
    )
    assert inked_rows > 100
    dom = dump_dom(page, tmp_path / "profile2")
    for text in (
        "11 new events",
        "Round 5",
        "12–14 Nov 2025, Washington D.C., held",
        "Nguyễn Sinh Nhật Tân",
        "The negotiation so far",
    ):
        assert text in dom
