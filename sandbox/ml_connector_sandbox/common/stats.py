"""Request counters every emulator exposes at `/_sandbox/stats`."""

from __future__ import annotations

import time
from collections import Counter, deque


class RequestStats:
    """Counts requests by status and route, and the busiest sliding minute of API traffic."""

    def __init__(self, clock: callable = time.monotonic) -> None:  # type: ignore[valid-type]
        self._clock = clock
        self.reset()

    def reset(self) -> None:
        self.total = 0
        self.by_status: Counter[str] = Counter()
        self.by_route: Counter[str] = Counter()
        self.tokens_issued = 0
        self.max_per_minute = 0
        self._window: deque[float] = deque()

    def record(self, route: str, status: int, *, api: bool) -> None:
        """Count one answered request; only API requests enter the per-minute window."""
        self.total += 1
        self.by_status[str(status)] += 1
        self.by_route[route] += 1
        if api:
            now = self._clock()
            self._window.append(now)
            while self._window and self._window[0] <= now - 60:
                self._window.popleft()
            self.max_per_minute = max(self.max_per_minute, len(self._window))

    def as_dict(self) -> dict[str, object]:
        return {
            "total": self.total,
            "by_status": dict(self.by_status),
            "by_route": dict(self.by_route),
            "max_per_minute": self.max_per_minute,
            "tokens_issued": self.tokens_issued,
        }
