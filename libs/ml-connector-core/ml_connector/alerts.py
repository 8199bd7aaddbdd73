"""Run alerts: a JSON summary POSTed to a webhook when a run quarantines or dead-letters records.

The body carries a ``text`` field so Slack-style incoming webhooks show it as is; every other field
is for machines. Delivery is best effort: an alert that cannot be sent is logged, never raised, because
a monitoring outage must not fail the data run it reports on.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import requests

from ml_connector.secrets.redact import redact

DEFAULT_TIMEOUT_SECONDS = 10.0


def run_alert(
    *,
    job: str,
    run_id: str,
    counts: Mapping[str, Mapping[str, int]],
    reporter: str,
    samples: list[dict[str, Any]] | None = None,
) -> dict[str, Any] | None:
    """The alert body for a run's counts, or None when nothing was quarantined or dead-lettered."""
    per_stream = {
        stream: {"quarantined": int(c.get("quarantined", 0)), "failed": int(c.get("failed", 0))}
        for stream, c in counts.items()
        if c.get("quarantined", 0) or c.get("failed", 0)
    }
    if not per_stream:
        return None
    quarantined = sum(c["quarantined"] for c in per_stream.values())
    failed = sum(c["failed"] for c in per_stream.values())
    detail = ", ".join(
        f"{stream}: {c['quarantined']} quarantined, {c['failed']} dead-lettered" for stream, c in per_stream.items()
    )
    text = (
        f"ml-connector job {job} run {run_id}: {quarantined} record(s) quarantined, "
        f"{failed} dead-lettered ({detail}). See `ml-connector quarantine list --job {job}`."
    )
    return {
        "text": text,
        "job": job,
        "run_id": run_id,
        "reporter": reporter,
        "quarantined": quarantined,
        "dead_lettered": failed,
        "streams": per_stream,
        "samples": samples or [],
    }


def send_alert(
    url: str | None,
    body: Mapping[str, Any] | None,
    logger: logging.Logger,
    *,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
) -> bool:
    """Log the alert and POST it when a URL is configured; True only when the webhook accepted it."""
    if body is None:
        return False
    logger.warning("run alert: %s", body["text"])
    if not url:
        return False
    try:
        response = requests.post(url, json=dict(body), timeout=timeout)
    except requests.RequestException as exc:
        logger.error("alert webhook unreachable (%s): %s", type(exc).__name__, redact(str(exc)))
        return False
    if response.status_code >= 400:
        logger.error("alert webhook answered HTTP %s; the alert was not delivered", response.status_code)
        return False
    return True
