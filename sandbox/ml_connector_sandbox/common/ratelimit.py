"""Sliding-window quotas, the way ION Quota policies and ServiceNow rate-limit rules reject excess calls."""

from __future__ import annotations

import math
import time
from collections import defaultdict, deque
from typing import Callable


class SlidingWindowLimiter:
    """Allows `limit` requests per `window_seconds` per key; tells the caller how long to wait otherwise."""

    def __init__(
        self, limit: int, window_seconds: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window_seconds = window_seconds
        self._clock = clock
        self._hits: dict[str, deque[float]] = defaultdict(deque)

    def check(self, key: str) -> float | None:
        """Record a hit for `key`; return None if allowed, else seconds until a slot frees up."""
        now = self._clock()
        hits = self._hits[key]
        while hits and hits[0] <= now - self.window_seconds:
            hits.popleft()
        if self.limit > 0 and len(hits) >= self.limit:
            return max(hits[0] + self.window_seconds - now, 0.001)
        hits.append(now)
        return None

    def remaining(self, key: str) -> int:
        return max(self.limit - len(self._hits[key]), 0)

    @staticmethod
    def retry_after_header(wait_seconds: float) -> str:
        """Retry-After carries whole seconds; round up so a client that obeys it is not refused again."""
        return str(max(1, math.ceil(wait_seconds)))
