"""When to fetch an archived article again: often while it is young and likely to be
edited, then less and less, then never (its last version stays in the archive)."""

from __future__ import annotations

from datetime import datetime, timedelta

from .. import clock

# (age of the article below which, revisit every)
SCHEDULE: tuple[tuple[timedelta, timedelta], ...] = (
    (timedelta(days=1), timedelta(hours=1)),
    (timedelta(days=7), timedelta(days=1)),
    (timedelta(days=30), timedelta(days=7)),
)


def _dt(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


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
    published = _dt(published_at) if published_at else _dt(last_seen)
    every = interval(published, now)
    return every is not None and now - _dt(last_seen) >= every


def due_urls(conn, site: str, now: datetime | None = None) -> list[str]:
    """URLs of the site's articles due for a revisit now, youngest first."""
    now = now or clock.now()
    horizon = (now - SCHEDULE[-1][0]).isoformat(timespec="seconds").replace("+00:00", "Z")
    rows = conn.execute(
        "SELECT url, published_utc, last_seen FROM articles WHERE site = ? AND "
        "coalesce(published_utc, first_seen) >= ? ORDER BY published_utc DESC",
        (site, horizon)).fetchall()
    return [url for url, published, last_seen in rows if is_due(published, last_seen, now)]
