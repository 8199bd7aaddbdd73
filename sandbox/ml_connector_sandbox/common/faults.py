"""Fault injection shared by every emulator: 429 storms, 5xx, slow responses, tokens revoked mid-run."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from ml_connector_sandbox.common.settings import apply_partial, settings_dict


@dataclass
class FaultSettings:
    """What to inject; every field can be changed at run time through `PUT /_sandbox/faults`."""

    rate_429: float = 0.0
    retry_after_seconds: float = 1.0
    rate_5xx: float = 0.0
    slow_rate: float = 0.0
    slow_ms: int = 0
    revoke_tokens_after: int | None = None
    seed: int = 1

    def update(self, changes: dict[str, Any]) -> None:
        """Apply a partial update, rejecting unknown fields so a typo in a test fails loudly."""
        apply_partial(self, changes, kind="fault setting")

    def as_dict(self) -> dict[str, Any]:
        return settings_dict(self)


@dataclass
class FaultDecision:
    """What to do with one API request."""

    status: int | None = None  # 429 or 5xx to answer instead of serving
    delay_seconds: float = 0.0
    revoke_tokens: bool = False


class FaultInjector:
    """Decides per request, deterministically for a given seed and request sequence."""

    def __init__(self, settings: FaultSettings | None = None) -> None:
        self.settings = settings or FaultSettings()
        self._random = random.Random(self.settings.seed)
        self._api_requests = 0
        self._revoked_once = False

    def reconfigure(self, changes: dict[str, Any]) -> None:
        self.settings.update(changes)
        self._random = random.Random(self.settings.seed)
        self._api_requests = 0
        self._revoked_once = False

    def decide(self) -> FaultDecision:
        s = self.settings
        self._api_requests += 1
        decision = FaultDecision()
        if (
            s.revoke_tokens_after is not None
            and not self._revoked_once
            and self._api_requests > s.revoke_tokens_after
        ):
            self._revoked_once = True
            decision.revoke_tokens = True
        roll = self._random.random()
        if roll < s.rate_429:
            decision.status = 429
        elif roll < s.rate_429 + s.rate_5xx:
            decision.status = self._random.choice((500, 502, 503))
        if s.slow_rate and self._random.random() < s.slow_rate:
            decision.delay_seconds = s.slow_ms / 1000
        return decision
