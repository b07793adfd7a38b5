"""When to fetch an archived article again: often while it is young and likely to be
edited, then less and less, then never (its last version stays in the archive)."""

from __future__ import annotations

from datetime import datetime, timedelta

from ..ground import clock
from .archive_view import ArchiveView

# (age of the article below which, revisit every)
SCHEDULE: tuple[tuple[timedelta, timedelta], ...] = (
    (timedelta(days=1), timedelta(hours=1)),
    (timedelta(days=7), timedelta(days=1)),
    (timedelta(days=30), timedelta(days=7)),
)


def interval(published: datetime, now: datetime) -> timedelta | None:
    """How often an article of this age is revisited; None once it is old enough."""
    age = now - published
    for limit, every in SCHEDULE:
        if age < limit:
            return every
    return None


def is_due(published_at: str | None, last_seen: str, now: datetime | None = None) -> bool:
    """Is an archived article due for a revisit? Articles without a date are treated as
    published when first seen (so they are revisited for a month too)."""
    now = now or clock.now()
    published = clock.parse_stamp(published_at or last_seen)
    every = interval(published, now)
    return every is not None and now - clock.parse_stamp(last_seen) >= every


def due_urls(archive: ArchiveView, site: str, now: datetime | None = None) -> list[str]:
    """URLs of the site's articles due for a revisit now, youngest first."""
    now = now or clock.now()
    rows = archive.recent(site, clock.stamp(now - SCHEDULE[-1][0]))
    return [url for url, published, last_seen in rows if is_due(published, last_seen, now)]
