"""Read-ahead: same records in the same order, errors where the records stop, bounded, stoppable."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from ml_connector.singer.prefetch import Prefetcher


def test_records_come_out_complete_and_in_order() -> None:
    assert list(Prefetcher(lambda: iter(range(2500)), chunk=1000)) == list(range(2500))
    assert list(Prefetcher(lambda: iter([]), chunk=10)) == []


def test_the_next_page_is_fetched_while_the_current_one_is_emitted() -> None:
    """Two pages, each 0.2 s to fetch and 0.2 s to emit: about 0.6 s read ahead, 0.8 s in turn."""
    def pages() -> Iterator[int]:
        for page in range(2):
            time.sleep(0.2)  # the request
            yield from range(page * 10, page * 10 + 10)

    started = time.perf_counter()
    out = []
    for n, record in enumerate(Prefetcher(pages, chunk=10)):
        out.append(record)
        if n % 10 == 9:
            time.sleep(0.2)  # emitting the page
    assert out == list(range(20))
    assert time.perf_counter() - started < 0.75


def test_an_error_is_raised_after_the_records_before_it() -> None:
    def failing() -> Iterator[int]:
        yield from range(5)
        raise RuntimeError("HTTP 500 after retries")

    seen = []
    with pytest.raises(RuntimeError, match="HTTP 500"):
        for record in Prefetcher(failing, chunk=2):
            seen.append(record)
    assert seen == [0, 1, 2, 3, 4]


def test_the_helper_reads_at_most_depth_chunks_ahead() -> None:
    produced = []

    def source() -> Iterator[int]:
        for n in range(100):
            produced.append(n)
            yield n

    records = iter(Prefetcher(source, chunk=10, depth=1))
    assert next(records) == 0
    time.sleep(0.3)
    assert len(produced) <= 31  # the chunk being read, one waiting, one being filled
    assert list(records) == list(range(1, 100))


def test_stopping_early_stops_and_closes_the_source() -> None:
    closed = threading.Event()

    def endless() -> Iterator[int]:
        try:
            n = 0
            while True:
                yield n
                n += 1
        finally:
            closed.set()

    records = iter(Prefetcher(endless, chunk=5))
    assert [next(records) for _ in range(7)] == list(range(7))
    records.close()  # type: ignore[attr-defined]
    assert closed.wait(2)
