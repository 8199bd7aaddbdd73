"""The ordered background writer: hand-over order, bounded memory, no STATE before the writes, first error wins."""

from __future__ import annotations

import io
import threading
import time
from contextlib import redirect_stdout

import pytest

from target_servicenow_s2p.pipeline import OrderedWriter
from target_servicenow_s2p.target import TargetServiceNowS2P


def test_jobs_run_in_hand_over_order() -> None:
    writer, done = OrderedWriter(depth=2), []
    for n in range(20):
        writer.submit(lambda n=n: (time.sleep(0.001 * (n % 3)), done.append(n)))
    writer.wait()
    writer.close()
    assert done == list(range(20))


def test_submit_blocks_while_depth_jobs_wait() -> None:
    """At most one batch written and `depth` waiting: a slow instance cannot make the target buffer the input."""
    writer, release, started = OrderedWriter(depth=1), threading.Event(), threading.Event()
    writer.submit(lambda: (started.set(), release.wait(5)))
    started.wait(5)
    writer.submit(lambda: None)  # waits in the queue
    third = threading.Thread(target=writer.submit, args=(lambda: None,))
    third.start()
    third.join(0.2)
    assert third.is_alive(), "a third batch was accepted while one was written and one waited"
    release.set()
    third.join(5)
    writer.wait()
    writer.close()


def test_first_error_stops_later_jobs_and_reaches_the_caller() -> None:
    writer, done = OrderedWriter(), []

    def fail() -> None:
        raise RuntimeError("instance gone")

    writer.submit(lambda: done.append(1))
    writer.submit(fail)
    writer.submit(lambda: done.append(3))  # may be queued before the failure is seen: never run
    with pytest.raises(RuntimeError, match="instance gone"):
        writer.wait()
    with pytest.raises(RuntimeError, match="instance gone"):
        writer.submit(lambda: done.append(4))
    writer.close()
    assert done == [1]


def test_state_is_emitted_only_after_every_handed_over_write() -> None:
    target = TargetServiceNowS2P(config={"instance_url": "http://unused.invalid", "client_id": "c",
                                         "client_secret": "s"}, validate_config=False)
    written = []
    target.writes.submit(lambda: (time.sleep(0.3), written.append("batch")))
    out = io.StringIO()
    with redirect_stdout(out):
        target._write_state_message({"bookmarks": {"s": {"n": 1}}})  # noqa: SLF001
    assert written == ["batch"] and '"n": 1' in out.getvalue()
    target.writes.close()


def test_no_state_after_a_failed_write() -> None:
    target = TargetServiceNowS2P(config={"instance_url": "http://unused.invalid", "client_id": "c",
                                         "client_secret": "s"}, validate_config=False)

    def fail() -> None:
        raise ConnectionError("instance unreachable")

    target.writes.submit(fail)
    out = io.StringIO()
    with redirect_stdout(out), pytest.raises(ConnectionError):
        target._write_state_message({"bookmarks": {"s": {"n": 2}}})  # noqa: SLF001
    assert out.getvalue() == ""
    target.writes.close()
