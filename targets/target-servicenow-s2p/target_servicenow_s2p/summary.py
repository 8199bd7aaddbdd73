"""Per-stream counts of one run: what the ledger's run row stores and what the log table shows."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Mapping

COLUMNS = ("extracted", "inserted", "updated", "unchanged", "quarantined", "failed")


class RunSummary:
    def __init__(self) -> None:
        self._counts: dict[str, Counter[str]] = {}
        self._ignored: Counter[str] = Counter()
        self._lock = threading.Lock()

    def add(self, stream: str, counts: Mapping[str, int]) -> None:
        with self._lock:
            self._counts.setdefault(stream, Counter()).update(counts)

    def extracted(self, stream: str, count: int = 1) -> None:
        self.add(stream, {"extracted": count})

    def ignored(self, stream: str, count: int = 1) -> None:
        with self._lock:
            self._ignored[stream] += count

    def ledger_counts(self) -> dict[str, dict[str, int]]:
        """Only the ledger's count keys; ignored streams are reported with their extracted count."""
        result = {s: {c: int(counts.get(c, 0)) for c in COLUMNS} for s, counts in self._counts.items()}
        for stream, count in self._ignored.items():
            result.setdefault(stream, dict.fromkeys(COLUMNS, 0))["extracted"] = count
        return result

    @property
    def failed(self) -> int:
        return sum(c.get("failed", 0) for c in self._counts.values())

    def status(self) -> str:
        return "completed_with_errors" if self.failed else "succeeded"

    def table(self) -> str:
        header = ("stream", *COLUMNS, "ignored")
        rows = [
            (s, *(str(c.get(k, 0)) for k in COLUMNS), "0") for s, c in sorted(self._counts.items())
        ] + [(s, str(n), *("0",) * (len(COLUMNS) - 1), str(n)) for s, n in sorted(self._ignored.items())]
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
        lines = ["  ".join(v.ljust(w) if i == 0 else v.rjust(w) for i, (v, w) in enumerate(zip(r, widths)))
                 for r in [header, *rows]]
        return "\n".join(lines)
