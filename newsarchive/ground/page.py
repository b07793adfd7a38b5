"""A raw HTTP response: what the crawler fetched, the archive keeps and a replay serves."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Page:
    """One response. `kind` is `article`, or `discovery` for a feed, sitemap or listing;
    `flags` says what was wrong with it (`truncated`, `not-article`...); `id` is its row
    in the archive once kept."""

    url: str
    body: bytes
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    fetched_at: str | None = None
    kind: str = "article"
    flags: str | None = None
    id: int | None = None
