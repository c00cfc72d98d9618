"""What every paged list of the services shares: how many pages its total makes."""

from __future__ import annotations

import math


class PageCount:
    """For a dataclass with `total` and `page_size`: `pages`, at least 1 (an empty list is one empty page)."""

    total: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))
