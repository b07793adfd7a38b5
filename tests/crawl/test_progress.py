"""Progress while crawling: one line per site, refreshed in a terminal, logged (for the
sites that moved) once a minute otherwise."""

from __future__ import annotations

import io
import logging
from types import SimpleNamespace

from newsarchive.crawl.extensions.progress import Progress
from newsarchive.crawl.stats import stat


class Stats:
    def __init__(self):
        self.values: dict = {}

    def get_stats(self):
        return self.values


def crawler(*site_ids: str):
    sites = [SimpleNamespace(id=s) for s in site_ids]
    return SimpleNamespace(stats=Stats(), spider=SimpleNamespace(sites=sites))


def test_a_line_per_site_that_has_started():
    c = crawler("baonghean", "dantri", "idle")
    c.stats.values.update({stat("baonghean", "discovered"): 78, stat("baonghean", "new"): 10,
                           stat("baonghean", "changed"): 1, stat("baonghean", "unchanged"): 1,
                           stat("baonghean", "failed"): 2, stat("dantri", "failed"): 1})
    lines = Progress(c, 2.0, tty=False).lines()
    assert list(lines) == ["baonghean", "dantri"]
    assert lines["baonghean"] == "baonghean  12/78 fetched  +10 new  ~1 changed  !2 failed"


def test_in_a_terminal_the_block_is_redrawn_in_place(monkeypatch):
    c = crawler("baonghean", "dantri")
    c.stats.values.update({stat("baonghean", "discovered"): 3, stat("dantri", "new"): 1})
    err = io.StringIO()
    monkeypatch.setattr("sys.stderr", err)
    progress = Progress(c, 2.0, tty=True)
    progress.tick()
    progress.tick()
    out = err.getvalue()
    assert out.count("baonghean  0/3 fetched") == 2 and out.count("dantri     1/0") == 2
    assert "\x1b[2F" in out  # the second tick goes back up over the two lines
    progress.closed(None)
    assert err.getvalue().endswith("\x1b[2F\x1b[J")  # the summary replaces the block


def test_otherwise_one_line_a_minute_names_each_site(caplog):
    c = crawler("baonghean", "dantri", "idle")
    c.stats.values.update({stat("baonghean", "discovered"): 3, stat("dantri", "new"): 1})
    progress = Progress(c, 2.0, tty=False)
    assert progress.interval == 60.0
    with caplog.at_level(logging.INFO):
        progress.tick()
        progress.tick()  # nothing moved: nothing logged
        c.stats.values[stat("dantri", "new")] = 2
        progress.tick()
    said = [r.getMessage() for r in caplog.records]
    legend = "progress (fetched/found +new ~changed !failed): "
    assert said == [legend + "baonghean 0/3 +0 ~0 !0, dantri 1/0 +1 ~0 !0",
                    legend + "baonghean 0/3 +0 ~0 !0, dantri 2/0 +2 ~0 !0"]


def test_backfill_progress_shows_the_oldest_day_and_time_left():
    import time

    c = crawler("bna")
    c.stats.values.update({stat("bna", "discovered"): 1000, stat("bna", "new"): 100,
                           stat("bna", "skipped"): 100, stat("bna", "oldest"): "2012-03-04"})
    progress = Progress(c, 2.0, tty=False)
    progress.started = time.monotonic() - 60  # 200 pages done in a minute
    line = progress.minute_line()
    assert "bna 100/1000" in line
    assert "back to 2012-03-04" in line
    assert "~4 min left" in line
