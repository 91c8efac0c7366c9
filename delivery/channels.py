"""What every channel has in common: a failure that says whether to retry, and retries with
backoff and jitter."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

LOGGER = logging.getLogger(__name__)


class DeliveryError(Exception):
    """A failed send. The message never contains a secret (passwords, webhook paths)."""

    def __init__(self, message: str, *, retry_after_s: float | None = None, permanent: bool = False):
        super().__init__(message)
        self.retry_after_s = retry_after_s
        self.permanent = permanent


@dataclass(frozen=True)
class Outcome:
    ok: bool
    attempts: int
    error: str | None = None


def send_with_retries(
    send: Callable[[], None],
    *,
    retries: int,
    backoff_s: float,
    max_wait_s: float = 60.0,
    sleep: Callable[[float], None] = time.sleep,
    jitter: Callable[[], float] = random.random,
) -> Outcome:
    """Try `send` up to 1 + `retries` times, waiting backoff_s * 2^n (plus up to 50% jitter), or what
    the server asked for with Retry-After, between tries. Permanent failures are not retried."""
    attempts = 0
    while True:
        attempts += 1
        try:
            send()
            return Outcome(True, attempts)
        except DeliveryError as exc:
            if exc.permanent or attempts > retries:
                return Outcome(False, attempts, str(exc))
            wait = exc.retry_after_s if exc.retry_after_s is not None else backoff_s * 2 ** (attempts - 1)
            wait = min(max_wait_s, wait * (1 + 0.5 * jitter()))
            LOGGER.info("delivery failed (%s); retrying in %.1f s", exc, wait)
            sleep(wait)


@dataclass(frozen=True)
class EmailChannel:
    host: str
    port: int
    security: str
    sender: str
    recipients: tuple[str, ...]
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout_s: float = 30.0
    ca_file: Path | None = None

    @property
    def target(self) -> str:
        return f"{', '.join(self.recipients)} via {self.host}:{self.port}"


@dataclass(frozen=True)
class Channels:
    """Where digests go. A channel that is None is not configured (and the reason says why)."""

    email: EmailChannel | None = None
    slack_webhook: str | None = field(default=None, repr=False)
    not_configured: dict[str, str] = field(default_factory=dict)
    retries: int = 3
    backoff_s: float = 2.0

    @property
    def active(self) -> list[str]:
        return [name for name, on in (("email", self.email), ("slack", self.slack_webhook)) if on]
