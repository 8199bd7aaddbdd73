"""Batch writes on one background thread, in the order they were handed over.

Why: an insertMultiple waits on the instance's transform. Done inline, the target stops reading stdin for
that time, the pipe fills and the tap stops extracting. With one writer thread the next batch is read and
mapped while the previous one is on the wire; with exactly one thread and a FIFO queue, writes still land in
hand-over order (reference data before transactions, headers before lines).

Guarantees kept:
- At most ``depth`` batches wait besides the one being written (``submit`` blocks): memory stays bounded.
- ``wait`` returns only when every handed-over batch is written; the target calls it before it emits a STATE,
  so a bookmark is never confirmed past a record that is not in the instance yet.
- The first failing batch stops the writer: later batches are not attempted (their STATE is never emitted, so
  the next run extracts them again) and the error is raised in the caller's thread by the next ``submit`` or
  ``wait``.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable

Job = Callable[[], None]


class OrderedWriter:
    def __init__(self, depth: int = 1, name: str = "servicenow-writer") -> None:
        self._queue: queue.Queue[Job | None] = queue.Queue(maxsize=max(1, depth))
        self._name = name
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def submit(self, job: Job) -> None:
        """Queue ``job``; blocks while ``depth`` jobs are already waiting."""
        self._raise_if_failed()
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
            self._thread.start()
        self._queue.put(job)

    def wait(self) -> None:
        """Until every submitted job has run; raises the first job error."""
        if self._thread is not None:
            self._queue.join()
        self._raise_if_failed()

    def close(self) -> None:
        """Finish what was submitted and stop the thread (idempotent)."""
        if self._thread is None:
            return
        self._queue.put(None)
        self._thread.join()
        self._thread = None

    def _raise_if_failed(self) -> None:
        if self._error is not None:
            raise self._error

    def _run(self) -> None:
        while True:
            job = self._queue.get()
            try:
                if job is None:
                    return
                if self._error is None:
                    job()
            except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
                self._error = exc
            finally:
                self._queue.task_done()
