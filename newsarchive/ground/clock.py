"""The time, in one place, and the one way the archive writes it (`2026-11-29T02:35:25Z`).
`$NEWSARCHIVE_NOW` (ISO 8601) fixes it, so that a soak test can run months of scheduled
crawls in minutes of simulated time."""

from __future__ import annotations

import os
from datetime import UTC, datetime


def parse_stamp(text: str) -> datetime:
    """An ISO 8601 time, `Z` or an offset, as an aware datetime."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def now() -> datetime:
    fixed = os.environ.get("NEWSARCHIVE_NOW")
    return parse_stamp(fixed).astimezone(UTC) if fixed else datetime.now(UTC)


def stamp(moment: datetime | None = None) -> str:
    """`2026-11-29T02:35:25Z`: how the archive writes times (now, by default)."""
    moment = (moment or now()).astimezone(UTC)
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")
