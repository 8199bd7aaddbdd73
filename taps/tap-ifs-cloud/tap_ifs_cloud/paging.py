"""Paging over an entity set: client-driven `$top`/`$skip`, and server-driven `@odata.nextLink` when present."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import requests
from singer_sdk.pagination import BaseAPIPaginator
from typing_extensions import override


class PageToken(NamedTuple):
    """`skip` of the current client window, and the server's next link inside it (if any)."""

    skip: int
    next_link: str | None = None


@dataclass
class PageTracker:
    """Filled by `parse_response` while a page is read; read by the paginator once the page is consumed."""

    rows: int = 0
    next_link: str | None = None


class ODataPaginator(BaseAPIPaginator[PageToken]):
    """Follows nextLinks; in client mode also moves `$skip` on once a full `$top` window was delivered.

    A server may cap a `$top` window with its own page size and a nextLink; the window's rows are then
    counted across those links, so no row is skipped when the window ends.
    """

    def __init__(self, tracker: PageTracker, page_size: int, *, client_paging: bool) -> None:
        super().__init__(PageToken(0))
        self.tracker, self.page_size, self.client_paging = tracker, page_size, client_paging
        self._window_rows = 0

    @override
    def get_next(self, response: requests.Response) -> PageToken | None:
        self._window_rows += self.tracker.rows
        skip = self.current_value.skip
        if self.tracker.next_link:
            return PageToken(skip, self.tracker.next_link)
        if self.client_paging and self._window_rows >= self.page_size:
            rows, self._window_rows = self._window_rows, 0
            return PageToken(skip + rows)
        return None

    @override
    def continue_if_empty(self, response: requests.Response) -> bool:
        """An empty page that still carries a nextLink is not the end."""
        return bool(self.tracker.next_link)
