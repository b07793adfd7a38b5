"""The crawl's garbage collection: a page makes thousands of short-lived container
objects in the crawl's process (requests, responses, Deferreds, asyncio handles, items);
with Python's first threshold of 700 the youngest generation is collected hundreds of
times a crawl and what is alive then is promoted and walked again by the older passes
(README "Crawling", measured by gc.callbacks)."""

from __future__ import annotations

import gc
import os

GC_YOUNG = 10_000  # the collector's first threshold in a crawl (Python's is 700)


def collect_less() -> None:
    """The garbage collector's first threshold at GC_YOUNG in this process; a process
    forked from it (an extraction worker) gets Python's own back."""
    before = gc.get_threshold()
    if before[0] == GC_YOUNG:
        return
    gc.set_threshold(GC_YOUNG, *before[1:])
    os.register_at_fork(after_in_child=lambda: gc.set_threshold(*before))


def settle() -> None:
    """The crawl's start-up is done (a spider's `start`): what it made (modules, the
    gazetteer, the settings, the archive's objects) lives as long as the crawl, so it is
    frozen out of the collector's full passes, and young objects are collected less often."""
    gc.freeze()
    collect_less()
