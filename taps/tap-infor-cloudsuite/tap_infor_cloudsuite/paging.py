"""Key-range paging: M3 has no offsets or cursors, so each page starts after the last key seen."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests
from singer_sdk.pagination import BaseAPIPaginator
from typing_extensions import override


@dataclass
class PageTracker:
    """Filled by `parse_response` while a page is read; read by the paginator once it is consumed."""

    full: bool = False
    last_key: tuple[Any, ...] | None = None


class KeysetPaginator(BaseAPIPaginator[tuple[Any, ...] | None]):
    """Next token = the last key of a full page; a short page ends the partition."""

    def __init__(self, tracker: PageTracker) -> None:
        super().__init__(None)
        self.tracker = tracker

    @override
    def has_more(self, response: requests.Response) -> bool:
        return self.tracker.full and self.tracker.last_key is not None

    @override
    def continue_if_empty(self, response: requests.Response) -> bool:
        """A full page can yield nothing after client-side filtering; keep paging then."""
        return self.has_more(response)

    @override
    def get_next(self, response: requests.Response) -> tuple[Any, ...] | None:
        return self.tracker.last_key
