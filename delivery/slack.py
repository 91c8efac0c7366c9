"""Slack digests: Block Kit payloads posted to an incoming webhook.

The standard library's HTTP client is used on purpose: the webhook URL's path is the secret, and
httpx logs every request URL at INFO."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from delivery.channels import DeliveryError

MAX_RETRY_AFTER_S = 120.0
USER_AGENT = "tradewatch (digest delivery)"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a webhook that redirects is misconfigured; never re-post elsewhere


_OPENER = urllib.request.build_opener(_NoRedirects)


def webhook_label(url: str) -> str:
    """Where the webhook points, without its secret path ("slack webhook at hooks.slack.com")."""
    return f"slack webhook at {urlsplit(url).hostname or '?'}"


def post_webhook(url: str, payload: dict[str, Any], *, timeout_s: float = 15.0) -> None:
    """POST the payload. 429 and 5xx are worth retrying (Retry-After honoured); other 4xx are not."""
    request = urllib.request.Request(
        url,
        data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT},
        method="POST",
    )
    try:
        with _OPENER.open(request, timeout=timeout_s) as response:
            response.read(1024)
            return
    except urllib.error.HTTPError as exc:
        status, body = exc.code, exc.read(200).decode("utf-8", "replace").replace("\n", " ")
        retry_after = _retry_after(exc.headers.get("Retry-After"))
    except (TimeoutError, urllib.error.URLError, OSError) as exc:
        # Say only what failed: messages can carry the URL, whose path is the secret.
        raise DeliveryError(f"{webhook_label(url)} unreachable: {type(exc).__name__}") from None
    message = f"Slack answered {status} {body}".strip()
    if status == 429 or status >= 500:
        raise DeliveryError(message, retry_after_s=retry_after)
    raise DeliveryError(message, permanent=True)


def _retry_after(value: str | None) -> float | None:
    try:
        return min(MAX_RETRY_AFTER_S, max(0.0, float(value))) if value else None
    except ValueError:
        return None
