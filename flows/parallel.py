"""Pure work on local processes, fed and drained in order with a bounded number in flight, so
that one writer can store each result as it comes back without holding the whole input."""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from functools import partial
from multiprocessing import get_context
from typing import Any, TypeVar

T = TypeVar("T")
ORPHAN_CHECK_S = 1.0
R = TypeVar("R")


def map_in_order(
    function: Callable[[T], R],
    items: Iterable[T],
    *,
    workers: int,
    in_flight: int | None = None,
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
) -> Iterator[R]:
    """`map(function, items)` on `workers` processes (here, for one), results in input order.

    At most `in_flight` items (default twice the workers) are submitted ahead of the one the
    caller is waiting for; `items` is read lazily, so it may be a database cursor that the caller
    writes between reads. Processes are spawned, not forked: the caller runs threads (Prefect's,
    DuckDB's) that a fork would copy mid-flight."""
    if workers <= 1:
        if initializer is not None:
            initializer(*initargs)
        yield from map(function, items)
        return
    limit = in_flight or 2 * workers
    start = partial(_start_worker, os.getpid(), initializer, initargs)
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn"), initializer=start) as pool:
        pending: deque[Future[R]] = deque()
        for item in items:
            pending.append(pool.submit(function, item))
            if len(pending) >= limit:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _start_worker(parent: int, initializer: Callable[..., None] | None, initargs: tuple[Any, ...]) -> None:
    """A worker ends when its parent does: a writer killed mid-run leaves no parsers behind."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(ORPHAN_CHECK_S)
        os._exit(1)

    threading.Thread(target=watch, name="orphan-watch", daemon=True).start()
    if initializer is not None:
        initializer(*initargs)
