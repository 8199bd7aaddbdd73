"""Retry policy shared by every client: honour Retry-After exactly, back off with jitter otherwise."""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Iterator, Mapping

RETRIABLE_STATUSES = frozenset({429, 500, 502, 503, 504})


def retry_after_seconds(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """Parse `Retry-After` (delta seconds or an HTTP date); None when absent or unreadable."""
    value = headers.get("Retry-After") or headers.get("retry-after")
    if not value:
        return None
    value = value.strip()
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    current = time.time() if now is None else now
    return max(parsed.timestamp() - current, 0.0)


def backoff_delays(
    *, base: float = 1.0, factor: float = 2.0, cap: float = 60.0, rng: random.Random | None = None
) -> Iterator[float]:
    """Exponential delays with full jitter: uniform(0, min(cap, base * factor**n))."""
    rand = rng or random.Random()
    attempt = 0
    while True:
        ceiling = min(cap, base * factor**attempt)
        yield rand.uniform(ceiling / 2, ceiling)
        attempt += 1
