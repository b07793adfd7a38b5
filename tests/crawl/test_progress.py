"""The progress line tells how far back a backfill has reached and the time left."""

from __future__ import annotations

import time
from types import SimpleNamespace

from newsarchive.crawl.extensions.progress import Progress


class Stats:
    def __init__(self, values: dict) -> None:
        self.values = values

    def get_stats(self) -> dict:
        return self.values


def test_backfill_progress_shows_the_oldest_day_and_time_left():
    values = {"newsarchive/bna/discovered": 1000, "newsarchive/bna/new": 100,
              "newsarchive/bna/skipped": 100, "newsarchive/bna/oldest": "2012-03-04"}
    spider = SimpleNamespace(sites=[SimpleNamespace(id="bna")])
    progress = Progress(SimpleNamespace(stats=Stats(values), spider=spider), 2.0)
    progress.started = time.monotonic() - 60  # 200 pages done in a minute
    line = progress.line()
    assert "bna 100/1000" in line
    assert "back to 2012-03-04" in line
    assert "~4 min left" in line
