"""Mutations of real documents, each from a seeded `random.Random`: bytes, encodings, Unicode
normalisation, truncation, huge repeats, stray markup, hostile URLs and dates."""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Callable
from typing import Literal

MAX_BYTES = 1_000_000  # a repeat stops here: the fetcher caps answers at 5 MB, and cases must stay quick

STRAY = [
    b"<",
    b">",
    b"&",
    b"</p>",
    b"<p>",
    b"</div></div></div>",
    b"<![CDATA[",
    b"]]>",
    b"<!--",
    b"-->",
    b"&#0;",
    b"&#xD800;",
    b"&#1114112;",
    b"&amp;amp;quot;",
    b"&nbsp;",
    b"<script>",
    b"</script>",
    b"<style>",
    b"<br/>",
    b"</br>",
    b"<item>",
    b"</item>",
    b"<entry>",
    b"<link>",
    b"</link>",
    b"<title>",
    b"</title>",
    b"<a href=",
    b'"',
    b"'",
    b"\x00",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\r",
    b"\r\n",
    b"\t",
    b"\xc2\xa0",
    b"\xe2\x80\x8b",
    b"|",
    b"| caption |",
    b'<?xml version="1.0" encoding="utf\x80-8"?>',
    b'<?xml version="1.0" encoding="utf-16"?>',
    b'<meta charset="cp1258">',
    b'<link rel="canonical" href="http://[::1">',
    b'<meta property="og:url" content="http://host:abc/">',
    b'<meta property="article:published_time" content="2025-02-30T25:61:00+99:00">',
    b'<script type="application/ld+json">{"@graph": [1, "x", {"datePublished": []}]}</script>',
    b" date 2025-13-45 ",
    b"\n",
    b"\n\n",
]
HOSTILE_URLS = [
    b"http://[::1",
    b"http://host:abc/",
    b"http://host:99999999/",
    b"http://[::1]:8000/a/amp/amp",
    b"https://www.m.www.example.vn/a.amp.amp.html?utm_source=x#f",
    b"http:///nohost",
    b"//example.vn/x",
    b"javascript:alert(1)",
    b"http://a\x00b/",
    b"http://" + b"a" * 300 + b".vn/",
    b"http://\xe1\xba\xa1.vn/%zz%",
    b"HTTP://EXAMPLE.VN:80/A?B=1&&c",
    b"https://user:pw@m.vn/x/amp/",
    b"http://example.vn/?a=%ff%fe&a=&utm_medium",
    b"https://ustr.gov/about/x/amp",
]
ENCODINGS = ["cp1258", "cp1252", "latin-1", "utf-16", "utf-16-le", "utf-32", "utf-8-sig", "ascii", "big5", "koi8-r"]
DATE_PIECES = [b"0", b"00", b"29", b"30", b"31", b"32", b"99", b"2/29", b"29/2", b"31/4", b"0/0", b"12-14/11", b"9999"]


def _span(rng: random.Random, size: int) -> tuple[int, int]:
    if size == 0:
        return 0, 0
    start = rng.randrange(size)
    return start, min(size, start + rng.choice([1, 2, 8, 64, 512, 4096]))


def as_text(data: bytes) -> str:
    """Bytes as a parser given text would see them (what is not UTF-8 replaced)."""
    return data.decode("utf-8", errors="replace")


def flip_bytes(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if out:
            out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def insert_bytes(data: bytes, rng: random.Random) -> bytes:
    at = rng.randint(0, len(data))
    noise = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
    return data[:at] + noise + data[at:]


def delete_span(data: bytes, rng: random.Random) -> bytes:
    start, end = _span(rng, len(data))
    return data[:start] + data[end:]


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randint(0, len(data))]


def repeat(data: bytes, rng: random.Random) -> bytes:
    start, end = _span(rng, len(data))
    piece = data[start:end] or b"x"
    times = min(rng.choice([2, 10, 100, 1000, 100_000]), MAX_BYTES // len(piece))
    return data[:end] + piece * times + data[end:]


def stray_markup(data: bytes, rng: random.Random) -> bytes:
    for _ in range(rng.randint(1, 6)):
        at = rng.randint(0, len(data))
        data = data[:at] + rng.choice(STRAY) + data[at:]
    return data


def reencode(data: bytes, rng: random.Random) -> bytes:
    return as_text(data).encode(rng.choice(ENCODINGS), errors="replace")


def nfd(data: bytes, rng: random.Random) -> bytes:
    text = as_text(data)
    form: Literal["NFD", "NFKD", "NFKC"] = rng.choice(["NFD", "NFKD", "NFKC"])
    if rng.random() < 0.5:
        return unicodedata.normalize(form, text).encode()
    start, end = _span(rng, len(text))  # mixed: part decomposed, part not
    return (text[:start] + unicodedata.normalize(form, text[start:end]) + text[end:]).encode()


def hostile_url(data: bytes, rng: random.Random) -> bytes:
    urls = list(re.finditer(rb"https?://[^\s\"'<>]+", data))
    url = rng.choice(HOSTILE_URLS)
    if not urls:
        return url if len(data) < 400 else data + b'<a href="' + url + b'">x</a>'
    m = rng.choice(urls)
    return data[: m.start()] + url + data[m.end() :]


def mangle_digits(data: bytes, rng: random.Random) -> bytes:
    numbers = list(re.finditer(rb"\d+(?:[/.\-]\d+)*", data))
    if not numbers:
        return data + b" " + rng.choice(DATE_PIECES)
    for m in rng.sample(numbers, min(len(numbers), rng.randint(1, 3))):
        if m.end() <= len(data):
            data = data[: m.start()] + rng.choice(DATE_PIECES) + data[m.end() :]
    return data


def swap_case(data: bytes, rng: random.Random) -> bytes:
    text = as_text(data)
    return (text.upper() if rng.random() < 0.5 else text.swapcase()).encode()


Mutation = Callable[[bytes, random.Random], bytes]
MUTATIONS: list[Mutation] = [
    flip_bytes,
    insert_bytes,
    delete_span,
    truncate,
    repeat,
    stray_markup,
    reencode,
    nfd,
    hostile_url,
    mangle_digits,
    swap_case,
]


def splice(data: bytes, other: bytes, rng: random.Random) -> bytes:
    return data[: rng.randint(0, len(data))] + other[rng.randint(0, len(other)) :]


def mutate(data: bytes, rng: random.Random, corpus: list[bytes]) -> tuple[bytes, list[str]]:
    """`data` after one to four mutations; and their names, for the report."""
    applied = []
    for _ in range(rng.choice([1, 1, 2, 3, 4])):
        if rng.random() < 0.08 and corpus:
            data, name = splice(data, rng.choice(corpus), rng), "splice"
        else:
            mutation = rng.choice(MUTATIONS)
            data, name = mutation(data, rng), mutation.__name__
        applied.append(name)
        if len(data) > MAX_BYTES:
            data = data[:MAX_BYTES]
    return data, applied
