"""Failpoints: named places where a test can make the process die at once (SIGKILL), to prove that
the next run finishes the job. Set TRADEWATCH_FAILPOINT to a name below; unset, they cost a
dictionary look-up.

- `poll:after-fetch`     a source has answered; nothing of it is stored yet
- `extract:mid-batch`    the first batch of extractions is committed, the rest is not
- `deliver:after-send`   the email or Slack post has gone out; the outbox does not know yet
"""

from __future__ import annotations

import os
import signal

NAMES = ("poll:after-fetch", "extract:mid-batch", "deliver:after-send")


def failpoint(name: str) -> None:
    if os.environ.get("TRADEWATCH_FAILPOINT") == name:
        os.kill(os.getpid(), signal.SIGKILL)
