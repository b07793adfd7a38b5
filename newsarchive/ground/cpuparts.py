"""CPU time by part of a crawl's work (parsing, extraction, tagging, storing...), for
`bench/crawl.py`. Off unless the environment variable NEWSARCHIVE_CPU_PARTS names a file
(the crawl writes its totals there when it closes); off, a part costs one test.

Parts nest: a part is charged only its own time, the part around it pauses meanwhile.
Each process counts its own main thread's CPU (`time.thread_time`); an extraction worker
hands its counts to the crawl process with each page it reads (`take`, `add`).
"""

from __future__ import annotations

import json
import os
import resource
import time
from pathlib import Path

ENV = "NEWSARCHIVE_CPU_PARTS"
ON = bool(os.environ.get(ENV))
WORKERS = "extraction workers, in all"  # the key under which workers' own CPU adds up

_totals: dict[str, float] = {}
_from_workers: dict[str, float] = {}
_stack: list[list] = []  # [part, started] of the parts open, innermost last
_last_take = [0.0]
_opened = [0.0]  # the process's CPU when its work began (`opened`)


class _Part:
    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def __enter__(self) -> None:
        if ON:
            now = time.thread_time()
            if _stack:  # the enclosing part pauses
                outer = _stack[-1]
                _totals[outer[0]] = _totals.get(outer[0], 0.0) + now - outer[1]
            _stack.append([self.name, now])

    def __exit__(self, *exc) -> None:
        if ON and _stack:
            now = time.thread_time()
            name, started = _stack.pop()
            _totals[name] = _totals.get(name, 0.0) + now - started
            if _stack:
                _stack[-1][1] = now


_parts: dict[str, _Part] = {}


def part(name: str) -> _Part:
    """`with part("parse"): ...` charges that block's CPU to `parse`."""
    found = _parts.get(name)
    if found is None:
        found = _parts[name] = _Part(name)
    return found


def opened() -> None:
    """The crawl process is ready to work: what it spent until now is its start-up
    (imports, settings, opening the archive and the spider)."""
    _opened[0] = time.process_time()


def started() -> None:
    """A worker process starts counting its own CPU (after the fork: pebble forks its
    first workers inside the crawl's `pool` part, whose times are the parent's)."""
    _totals.clear()
    _stack.clear()
    _last_take[0] = time.process_time()


def take() -> dict[str, float]:
    """A worker's counts since the last `take`, its whole CPU time among them (under
    WORKERS), and start again from zero."""
    now = time.process_time()
    counts = dict(_totals)
    counts[WORKERS] = now - _last_take[0]
    _last_take[0] = now
    _totals.clear()
    return counts


def add(counts: dict[str, float]) -> None:
    """Counts a worker took, added to this process's."""
    for name, seconds in counts.items():
        _from_workers[name] = _from_workers.get(name, 0.0) + seconds


def write() -> None:
    """This process's counts and CPU times, written to the file NEWSARCHIVE_CPU_PARTS
    names (the crawl process, at its close, after its workers have been joined)."""
    if not ON:
        return
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    Path(os.environ[ENV]).write_text(json.dumps({
        "parts": _totals, "workers": _from_workers,
        "main_thread": time.thread_time(), "process": time.process_time(),
        "start_up": _opened[0],
        "children": children.ru_utime + children.ru_stime}, indent=1))
