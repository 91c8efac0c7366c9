"""Canonical URLs: the key that makes ten sightings of one article one article."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|dclid|mc_cid|mc_eid|zarsrc|zarsrc\w*|_ga|ref|rss|source|gidzl)$", re.I)
_HOST_PREFIXES = ("www.", "amp.", "m.", "mobile.")
# Old VnExpress section hosts (kinhdoanh.vnexpress.net) serve the same article ids as vnexpress.net.
_VNEXPRESS_SECTIONS = re.compile(r"^[a-z\-]+\.vnexpress\.net$")
_AMP_PATH = re.compile(r"(/amp)?/?$|\.amp(?=\.html?$)")


def canonical_url(url: str, base: str | None = None) -> str:
    """Lower-case host without www./amp./m., no tracking parameters, no fragment, no AMP suffix."""
    url = url.strip()
    if base:
        url = urljoin(base, url)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return url  # seed://, file names: nothing to canonicalise
    scheme = "https"
    host = (parts.hostname or "").lower()
    for prefix in _HOST_PREFIXES:
        if host.startswith(prefix):
            host = host[len(prefix) :]
    if _VNEXPRESS_SECTIONS.match(host) and host not in ("e.vnexpress.net",):
        host = "vnexpress.net"
    path = parts.path or "/"
    if path.endswith("/amp") or path.endswith("/amp/"):
        path = path[: path.rfind("/amp")] or "/"
    path = re.sub(r"\.amp(\.html?)$", r"\1", path)
    if host == "ustr.gov" and path.startswith("/about/"):
        path = "/about-us/" + path[len("/about/") :]
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)])
    port = f":{parts.port}" if parts.port and parts.port not in (80, 443) else ""
    return urlunsplit((scheme, host + port, path, query, ""))
