"""Read ahead: the next page is requested while the records of the current one are emitted.

Why: a tap's sync is one loop (request, parse, emit, request again), so the time spent emitting a page is
time the quota goes unused, and under a request limit every page then costs its wait *plus* its emitting.
Running the SDK's own paging loop on a helper thread overlaps the two; the stream's records still come out
on the caller's thread, in order, so bookmarks and state are handled exactly as before.

Bounded: the helper hands over chunks of `chunk` records and at most `depth` chunks wait, so a tap holds about
one page more than it did. An error on the helper thread is raised on the caller's thread at the point the
records ran out; when the caller stops early, the helper stops too and closes the paging loop.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

from singer_sdk import typing as th

T = TypeVar("T")

_POLL_SECONDS = 0.1


class _Failure:
    def __init__(self, error: BaseException) -> None:
        self.error = error


_DONE = object()


class Prefetcher(Generic[T]):
    """Iterates ``open_source()`` on a helper thread; iterate this object on the caller's thread."""

    def __init__(self, open_source: Callable[[], Iterator[T]], *, chunk: int, depth: int = 1,
                 name: str = "prefetch") -> None:
        self._open_source = open_source
        self._chunk = max(1, chunk)
        self._queue: queue.Queue[object] = queue.Queue(maxsize=max(1, depth))
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._produce, name=name, daemon=True)

    def __iter__(self) -> Iterator[T]:
        self._thread.start()
        try:
            while True:
                item = self._queue.get()
                if item is _DONE:
                    return
                if isinstance(item, _Failure):
                    raise item.error
                yield from item  # type: ignore[misc]
        finally:
            self._stop.set()
            self._thread.join()

    def _put(self, item: object) -> bool:
        """False once the caller has stopped listening."""
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=_POLL_SECONDS)
                return True
            except queue.Full:
                continue
        return False

    def _produce(self) -> None:
        source = None
        batch: list[T] = []
        try:
            source = self._open_source()
            for record in source:
                batch.append(record)
                if len(batch) >= self._chunk:
                    if not self._put(batch):
                        return
                    batch = []
            if batch and not self._put(batch):
                return
            self._put(_DONE)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            if not batch or self._put(batch):  # the records read before the error still go out first
                self._put(_Failure(exc))
        finally:
            close = getattr(source, "close", None)
            if close is not None:
                close()  # the paging loop's own cleanup (metrics, sessions) runs on the thread that ran it


def read_ahead_property() -> th.Property:
    """The `read_ahead` tap setting, declared alike by every tap built on `ResilientRESTStream`."""
    return th.Property(
        "read_ahead", th.BooleanType, default=True,
        description="Request the next page while the current one is emitted (holds about one page more); "
                    "false = one request at a time.",
    )
