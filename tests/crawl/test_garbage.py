"""The crawl's garbage collection: the start-up frozen, young objects collected less
often, and the forked workers with Python's own threshold."""

from __future__ import annotations

import subprocess
import sys

FORKED = """
import gc, os
from newsarchive.crawl.garbage import GC_YOUNG, collect_less
python_s = gc.get_threshold()
collect_less()
collect_less()  # once is enough: a second call changes nothing
assert gc.get_threshold() == (GC_YOUNG, *python_s[1:]), gc.get_threshold()
pid = os.fork()
if pid == 0:  # an extraction worker: Python's own threshold
    os._exit(0 if gc.get_threshold() == python_s else 3)
assert os.waitpid(pid, 0)[1] == 0, "the forked process kept the crawl's threshold"
print("ok")
"""


def test_the_crawl_collects_less_often_and_its_forked_workers_as_python_does():
    out = subprocess.run([sys.executable, "-c", FORKED], capture_output=True, text=True)
    assert out.stdout.strip() == "ok", out.stderr


SETTLED = """
import gc
from newsarchive.crawl.garbage import GC_YOUNG, settle
assert gc.get_freeze_count() == 0
kept = [object() for _ in range(100)]  # what the start-up made
settle()
assert gc.get_freeze_count() >= 100, gc.get_freeze_count()
assert gc.get_threshold()[0] == GC_YOUNG
print("ok")
"""


def test_a_spider_start_freezes_the_start_up_and_collects_less():
    out = subprocess.run([sys.executable, "-c", SETTLED], capture_output=True, text=True)
    assert out.stdout.strip() == "ok", out.stderr

