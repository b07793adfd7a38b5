"""Bounds on extracting one page: a memory ceiling on the process that does it
(`limit_memory`, also the crawl's extraction pool initializer) and `extract_bounded`,
which runs `extract` in a child process under that ceiling and a time limit (what
`newsarchive extract` does, so that no page can take the machine's memory or an hour).

The ceiling is on the address space (RLIMIT_AS) a page may add to the process as it
starts, so that it does not depend on how much the parent had mapped when it forked
(what real pages add: README, "Extracting one page")."""

from __future__ import annotations

import multiprocessing
import resource
from collections.abc import Iterator
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from datetime import datetime

from pebble import ProcessExpired, ProcessPool

from ..ground.article import Article
from ..ground.memory import address_space, status_size
from ..sites import Site
from .core import extract
from .decode import ExtractError

MEMORY_MB = 512
"""What one page may add to its process's address space, MiB."""
TIMEOUT = 30.0
"""Seconds one page may take (as the crawl's extraction timeout)."""
OUT_OF_MEMORY = 86
"""Exit status of an extraction worker that ran out of memory on a page (it is replaced,
so the next page starts with its memory whole)."""
_MIB = 1024 * 1024


class TooCostly(ExtractError):
    """The page could not be extracted within the time or the memory allowed."""

    def __init__(self, timeout: float, memory_mb: int | None):
        memory = f" / {memory_mb} MB" if memory_mb else ""
        super().__init__(f"page too large to extract within {timeout:g} s{memory}")


_START = [0]  # the address space when `limit_memory` set the ceiling


def limit_memory(memory_mb: int | None) -> None:
    """Let this process map at most `memory_mb` MiB more than it has now: past that an
    allocation fails (MemoryError, or libxml2's out-of-memory error) instead of the
    page taking the machine. None or 0: no ceiling."""
    if not memory_mb:
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    _START[0] = address_space()
    limit = _START[0] + memory_mb * _MIB
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def reached_ceiling() -> bool:
    """Has this process, since `limit_memory`, mapped at its peak more than half of what
    the ceiling allowed? Then an error a page raised was most likely an allocation
    refused, whatever a native library made of it (nh3's Rust code panics where
    Python's allocator returned nothing)."""
    ceiling, _ = resource.getrlimit(resource.RLIMIT_AS)
    if ceiling == resource.RLIM_INFINITY or not _START[0]:
        return False
    return status_size("VmPeak:") - _START[0] > (ceiling - _START[0]) / 2


@contextmanager
def errors_at_ceiling_as_memory() -> Iterator[None]:
    """An error raised past `reached_ceiling` (a native library's, whatever it made of a
    refused allocation) is re-raised as the MemoryError it was; others pass unchanged."""
    try:
        yield
    except MemoryError:
        raise
    except BaseException as exc:
        if reached_ceiling():
            raise MemoryError(f"at the memory ceiling: {type(exc).__name__}") from None
        raise


def _extract_within(data: bytes, url: str, **kwargs) -> Article:
    """`extract` in the bounded child, its errors at the memory ceiling MemoryErrors."""
    with errors_at_ceiling_as_memory():
        return extract(data, url, **kwargs)


def extract_bounded(data: bytes, url: str, *, site: Site | None = None,
                    content_type: str | None = None, timeout: float = TIMEOUT,
                    memory_mb: int | None = MEMORY_MB, now: datetime | None = None) -> Article:
    """`extract` in a child process with at most `memory_mb` more memory and `timeout`
    seconds; raises TooCostly past either, else what `extract` returns or raises."""
    pool = ProcessPool(max_workers=1, initializer=limit_memory, initargs=(memory_mb,),
                       context=multiprocessing.get_context("fork"))
    try:
        future = pool.schedule(_extract_within, args=(data, url),
                               kwargs={"site": site, "content_type": content_type, "now": now},
                               timeout=timeout)
        try:
            return future.result()
        except (FutureTimeout, MemoryError, ProcessExpired):
            raise TooCostly(timeout, memory_mb) from None
    finally:
        pool.stop()
        pool.join(timeout=10)
