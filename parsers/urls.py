"""Canonical URLs: the key that makes ten sightings of one article one article."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|dclid|mc_cid|mc_eid|zarsrc|zarsrc\w*|_ga|ref|rss|source|gidzl)$", re.I)
_HOST_PREFIXES = ("www.", "amp.", "m.", "mobile.")
# Old VnExpress section hosts (kinhdoanh.vnexpress.net) serve the same article ids as vnexpress.net.
_VNEXPRESS_SECTIONS = re.compile(r"^[a-z\-]+\.vnexpress\.net$")
_AMP_SUFFIX = re.compile(r"\.amp(\.html?)$")


def _strip_host_prefixes(host: str) -> str:
    # Repeated ("www.m.example.com"), and never down to a bare top-level domain ("m.vn").
    changed = True
    while changed:
        changed = False
        for prefix in _HOST_PREFIXES:
            rest = host[len(prefix) :]
            if host.startswith(prefix) and "." in rest.strip("."):
                host, changed = rest, True
    return host


def _strip_amp(path: str) -> str:
    # Until nothing changes, so that canonical_url(canonical_url(u)) == canonical_url(u).
    while True:
        before = path
        if path.endswith("/amp") or path.endswith("/amp/"):
            path = path[: path.rfind("/amp")] or "/"
        path = _AMP_SUFFIX.sub(r"\1", path)
        if path == before:
            return path


def canonical_url(url: str, base: str | None = None) -> str:
    """Lower-case host without www./amp./m., no tracking parameters, no fragment, no AMP suffix.

    Raises ValueError for an http(s) URL that cannot be parsed (`http://[::1`, `http://host:abc/`)
    or has no host: such a link names no page, and the caller decides what to do with it."""
    url = url.strip()
    if base:
        url = urljoin(base, url)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return url  # seed://, file names: nothing to canonicalise
    scheme = "https"
    host = (parts.hostname or "").lower()
    if not host:
        raise ValueError(f"no host in {url!r}")
    host = _strip_host_prefixes(host)
    if _VNEXPRESS_SECTIONS.match(host) and host not in ("e.vnexpress.net",):
        host = "vnexpress.net"
    if ":" in host:
        host = f"[{host}]"  # an IPv6 address keeps its brackets, or the next parse reads a port
    path = _strip_amp(parts.path or "/")
    if host == "ustr.gov" and path.startswith("/about/"):
        path = "/about-us/" + path[len("/about/") :]
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)])
    port = f":{parts.port}" if parts.port and parts.port not in (80, 443) else ""
    return urlunsplit((scheme, host + port, path, query, ""))
