"""The time, in one place. `$NEWSARCHIVE_NOW` (ISO 8601) fixes it, so that a soak test
can run months of scheduled crawls in minutes of simulated time."""

from __future__ import annotations

import os
from datetime import UTC, datetime


def now() -> datetime:
    fixed = os.environ.get("NEWSARCHIVE_NOW")
    if fixed:
        return datetime.fromisoformat(fixed.replace("Z", "+00:00")).astimezone(UTC)
    return datetime.now(UTC)


def stamp() -> str:
    """`2026-11-29T02:35:25Z`: how the archive writes times."""
    return now().isoformat(timespec="seconds").replace("+00:00", "Z")
