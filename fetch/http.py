"""One HTTP seam. Every request to a news source goes through `Fetcher.get`.

A response is data: a `FetchResult` with the status, the body (capped), the validators to send
next time, and — instead of an exception — an `error` saying what went wrong.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import httpx

LOGGER = logging.getLogger(__name__)

USER_AGENT = "tradewatch/0.1 (news monitor for trade-negotiation analysts; polite: one request per host at a time)"
RETRYABLE_STATUSES = {429, 500, 502, 503, 504}


@dataclass(frozen=True)
class FetchPolicy:
    connect_timeout_s: float = 10.0
    read_timeout_s: float = 30.0
    max_bytes: int = 5 * 1024 * 1024  # the largest real feed seen is ~1.1 MB (VietNamNet, 1000 items)
    max_redirects: int = 5
    retries: int = 2
    backoff_s: float = 1.0
    max_retry_after_s: float = 60.0
    per_host_delay_s: float = 1.0


@dataclass(frozen=True)
class FetchResult:
    url: str
    final_url: str
    status: int | None  # None: no HTTP answer at all
    content: bytes = b""
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    error: str | None = None  # what went wrong, for the source's health record
    error_code: str | None = None  # timeout | dns | connect | too_large | redirects | http_4xx | http_5xx | bad_url
    attempts: int = 1
    elapsed_s: float = 0.0
    redirected_permanently: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None and self.status == 200

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class _HostPacer:
    """One request per host at a time, and a pause between two requests to the same host."""

    def __init__(self, delay_s: float, clock: Callable[[], float] = time.monotonic):
        self.delay_s = delay_s
        self.clock = clock
        self._locks: dict[str, threading.Lock] = {}
        self._last: dict[str, float] = {}
        self._guard = threading.Lock()

    def lock(self, host: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(host, threading.Lock())

    def wait(self, host: str, sleep: Callable[[float], None]) -> None:
        last = self._last.get(host)
        if last is not None:
            remaining = self.delay_s - (self.clock() - last)
            if remaining > 0:
                sleep(remaining)

    def done(self, host: str) -> None:
        self._last[host] = self.clock()


class _TooLarge(Exception):
    pass


def _retry_after(value: str | None, cap: float) -> float | None:
    if not value:
        return None
    try:
        return min(cap, max(0.0, float(value)))
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        return min(cap, max(0.0, when.timestamp() - time.time()))


class Fetcher:
    """Conditional GETs with bounded retries. Thread-safe; share one per run."""

    def __init__(
        self,
        policy: FetchPolicy | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.policy = policy or FetchPolicy()
        self.sleep = sleep
        self.pacer = _HostPacer(self.policy.per_host_delay_s)
        self.client = httpx.Client(
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(self.policy.read_timeout_s, connect=self.policy.connect_timeout_s),
            follow_redirects=True,
            max_redirects=self.policy.max_redirects,
            transport=transport,
        )

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        """GET with the stored validators (sent only if the server gave them)."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            host = urlsplit(url).hostname or ""
        except ValueError as exc:  # `http://[::1`: nothing to ask
            return FetchResult(url, url, None, error=f"not a URL: {exc}", error_code="bad_url", attempts=0)
        started = time.monotonic()
        attempts = 0
        with self.pacer.lock(host):
            while True:
                attempts += 1
                self.pacer.wait(host, self.sleep)
                result = self._once(url, headers)
                self.pacer.done(host)
                wait = self._should_retry(result, attempts)
                if wait is None:
                    break
                LOGGER.info("%s: %s; retry %d in %.1f s", url, result.error, attempts, wait)
                self.sleep(wait)
        return _with(result, attempts=attempts, elapsed_s=time.monotonic() - started)

    def _should_retry(self, result: FetchResult, attempts: int) -> float | None:
        if attempts > self.policy.retries:
            return None
        if result.status in RETRYABLE_STATUSES:
            asked = _retry_after(result.headers.get("retry-after"), self.policy.max_retry_after_s)
            if asked is not None:
                return asked
        elif result.error_code not in ("timeout", "connect"):
            return None  # 404, a DNS failure, a body too large: trying again now changes nothing
        backoff = self.policy.backoff_s * 2 ** (attempts - 1)
        return min(self.policy.max_retry_after_s, backoff * (1 + 0.5 * random.random()))

    def _once(self, url: str, headers: dict[str, str]) -> FetchResult:
        try:
            with self.client.stream("GET", url, headers=headers) as response:
                content = self._read_capped(response)
                final_url = str(response.url)
                permanent = any(r.status_code in (301, 308) for r in response.history)
                result = FetchResult(
                    url=url,
                    final_url=final_url,
                    status=response.status_code,
                    content=content,
                    content_type=response.headers.get("content-type"),
                    etag=response.headers.get("etag"),
                    last_modified=response.headers.get("last-modified"),
                    headers={k.lower(): v for k, v in response.headers.items()},
                    redirected_permanently=permanent,
                )
        except _TooLarge:
            return FetchResult(
                url, url, 200, error=f"response larger than {self.policy.max_bytes} bytes", error_code="too_large"
            )
        except httpx.TooManyRedirects:
            return FetchResult(
                url,
                url,
                None,
                error=f"more than {self.policy.max_redirects} redirects (a loop?)",
                error_code="redirects",
            )
        except httpx.TimeoutException as exc:
            return FetchResult(url, url, None, error=f"timed out ({type(exc).__name__})", error_code="timeout")
        except httpx.ConnectError as exc:
            dns = "name" in str(exc).lower() or "resolution" in str(exc).lower()
            code = "dns" if dns else "connect"
            return FetchResult(url, url, None, error=f"could not connect: {exc}", error_code=code)
        except httpx.HTTPError as exc:
            return FetchResult(url, url, None, error=f"{type(exc).__name__}: {exc}", error_code="http_error")
        except (httpx.InvalidURL, ValueError) as exc:
            # `http://host:abc/`, a NUL in the path, a host label over 63 characters (an IDNA
            # UnicodeError), also in a redirect's Location: httpx refuses before anything is sent.
            return FetchResult(url, url, None, error=f"not a URL: {exc}", error_code="bad_url")
        if result.status in (200, 304):
            return result
        code = "http_4xx" if result.status and result.status < 500 else "http_5xx"
        return _with(result, error=f"HTTP {result.status}", error_code=code)

    def _read_capped(self, response: httpx.Response) -> bytes:
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > self.policy.max_bytes:
            raise _TooLarge
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self.policy.max_bytes:
                raise _TooLarge
            chunks.append(chunk)
        return b"".join(chunks)


def _with(result: FetchResult, **changes: object) -> FetchResult:
    return replace(result, **changes)  # type: ignore[arg-type]
