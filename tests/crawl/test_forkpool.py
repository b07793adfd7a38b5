"""The forked pool under the extraction: one job's time limit kills that worker alone,
a dead worker is replaced, what cannot be pickled fails its job only, and closing (or
the pool's process dying) leaves no worker behind."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsarchive.crawl.forkpool import ForkPool, JobRaised, JobTimeout, WorkerDied
from tests.support.fixtures import ROOT


def nap(seconds: float, tag: str = "") -> tuple[int, str]:
    """Sleeps, then says which worker it ran in."""
    time.sleep(seconds)
    if tag == "die":
        os._exit(7)
    if tag == "raise":
        raise ValueError("bad page")
    if tag == "unpicklable":
        return os.getpid(), lambda: None
    return os.getpid(), tag


def gone(pid: int) -> bool:
    """No such process, or only a zombie waiting for someone else's `wait`."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state == "Z"


def _run(pool: ForkPool, jobs: list[tuple]) -> list:
    async def go():
        return await asyncio.gather(*(pool.run(job) for job in jobs), return_exceptions=True)
    return asyncio.run(go())


def test_a_job_past_its_time_kills_only_its_worker():
    pool = ForkPool(2, nap, timeout=1.0)
    try:
        before = set(pool.pids())
        slow, quick = _run(pool, [(30, "slow"), (0.2, "quick")])
        after = set(pool.pids())
        assert isinstance(slow, JobTimeout)
        assert quick[0] in before and quick[0] in after  # the other worker went on
        assert len(after) == 2 and len(before - after) == 1
        [killed] = before - after
        assert gone(killed)
        assert _run(pool, [(0, "next")])[0][1] == "next"
    finally:
        pool.close()


def test_a_dead_worker_is_counted_for_its_job_and_replaced():
    pool = ForkPool(1, nap, timeout=10.0)
    try:
        died, raised, unpicklable, fine = _run(
            pool, [(0, "die"), (0, "raise"), (0, "unpicklable"), (0, "fine")])
        assert isinstance(died, WorkerDied) and died.exitcode == 7
        assert isinstance(raised, JobRaised) and str(raised) == "ValueError: bad page"
        assert "nap" in raised.remote  # the worker's traceback
        assert isinstance(unpicklable, JobRaised)  # its result could not come back
        assert fine[1] == "fine"
    finally:
        pool.close()


def test_a_worker_killed_while_idle_is_replaced_before_the_next_job():
    pool = ForkPool(1, nap, timeout=10.0)
    try:
        [first] = pool.pids()

        async def go():
            await pool.run((0, "warm"))
            os.kill(first, signal.SIGKILL)
            await asyncio.sleep(0.3)  # the loop sees the worker's end
            return await pool.run((0, "after"))
        pid, tag = asyncio.run(go())
        assert tag == "after" and pid != first and pool.pids() == [pid]
        assert gone(first)
        os.kill(pid, signal.SIGKILL)  # with no event loop listening
        time.sleep(0.3)
        third, tag = _run(pool, [(0, "next loop")])[0]
        assert tag == "next loop" and third not in (first, pid)
        assert gone(pid)
    finally:
        pool.close()


def test_jobs_wait_for_a_worker_and_their_time_starts_in_it():
    pool = ForkPool(1, nap, timeout=1.0)
    try:
        results = _run(pool, [(0.4, str(i)) for i in range(4)])  # 1.6 s in all
        assert [tag for _, tag in results] == ["0", "1", "2", "3"]
    finally:
        pool.close()


def test_what_cannot_be_pickled_fails_there_and_then():
    pool = ForkPool(1, nap, timeout=10.0)

    async def go():
        with pytest.raises(Exception, match="pickle|lambda"):
            pool.run((lambda: 0,))
        return await pool.run((0, "ok"))
    try:
        assert asyncio.run(go())[1] == "ok"
    finally:
        pool.close()


def test_closing_kills_and_reaps_every_worker_busy_or_not():
    pool = ForkPool(2, nap, timeout=30.0)
    pids = pool.pids()

    async def go():
        busy = pool.run((30, "busy"))
        await asyncio.sleep(0.2)
        pool.close()
        with pytest.raises(asyncio.CancelledError):
            await busy
    asyncio.run(go())
    for pid in pids:
        with pytest.raises(ChildProcessError):  # reaped: no zombie left
            os.waitpid(pid, os.WNOHANG)
        assert gone(pid)


ORPHAN = """
import asyncio, sys, time
from newsarchive.crawl.forkpool import ForkPool

pool = ForkPool(2, time.sleep, timeout=60.0)
print(*pool.pids(), flush=True)
async def go():
    await pool.run((60,))
asyncio.run(go())
"""


def test_workers_die_with_the_pools_process():
    """`kill -9` of the crawl: no worker goes on with its page."""
    proc = subprocess.Popen([sys.executable, "-c", ORPHAN], cwd=ROOT, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)},
                            stdout=subprocess.PIPE)
    pids = [int(pid) for pid in proc.stdout.readline().split()]
    assert len(pids) == 2 and not any(gone(pid) for pid in pids)
    time.sleep(0.3)  # one worker is busy with its minute
    proc.kill()
    proc.wait()
    end = time.monotonic() + 10
    while time.monotonic() < end and not all(gone(pid) for pid in pids):
        time.sleep(0.05)
    assert all(gone(pid) for pid in pids)


def test_jobs_and_results_larger_than_a_socket_buffer():
    pool = ForkPool(2, nap, timeout=30.0)
    big = ["é" * 3_000_000 + str(i) for i in range(3)]  # ~6 MB each way, 3 at once
    try:
        results = _run(pool, [(0, tag) for tag in big])
        assert [tag for _, tag in results] == big
        assert _run(pool, [(0, "small")])[0][1] == "small"  # after, as before
    finally:
        pool.close()


def _sent_together(pool: ForkPool, first: tuple, batch: list[tuple]) -> list:
    """`first` alone, and `batch` waiting meanwhile: sent to the worker in one write when
    `first` is answered."""
    async def go():
        head = pool.run(first)
        rest = [pool.run(job) for job in batch]
        assert pool.in_pool() == 1 + len(batch)
        outcomes = [await head]
        [worker] = pool.busy
        assert len(worker.jobs) == len(batch)  # all of them in its socket at once
        return outcomes + await asyncio.gather(*rest, return_exceptions=True)
    return asyncio.run(go())


def test_a_timeout_in_a_batch_fails_that_job_and_a_fresh_worker_takes_the_rest():
    pool = ForkPool(1, nap, timeout=1.0, batch=8)
    try:
        [before] = pool.pids()
        first, quick, slow, after, last = _sent_together(
            pool, (0, "first"), [(0, "quick"), (30, "slow"), (0, "after"), (0.6, "last")])
        assert first == (before, "first") and quick == (before, "quick")
        assert isinstance(slow, JobTimeout)
        [fresh] = pool.pids()
        assert fresh != before and gone(before)
        assert after == (fresh, "after") and last == (fresh, "last")  # read again there
    finally:
        pool.close()


def test_a_crash_in_a_batch_is_counted_on_its_job_and_the_rest_are_read():
    pool = ForkPool(1, nap, timeout=10.0, batch=8)
    try:
        [before] = pool.pids()
        first, raised, died, after = _sent_together(
            pool, (0, "first"), [(0, "raise"), (0, "die"), (0, "after")])
        assert first == (before, "first")
        assert isinstance(raised, JobRaised)  # the worker went on after it
        assert isinstance(died, WorkerDied) and died.exitcode == 7
        [fresh] = pool.pids()
        assert fresh != before and after == (fresh, "after")
    finally:
        pool.close()


def test_each_job_of_a_batch_is_answered_when_done_and_has_its_own_time():
    """The first job's answer does not wait for the batch; the time limit (1 s) is each
    job's, not the batch's (2 s in all)."""
    pool = ForkPool(1, nap, timeout=1.0, batch=8)

    async def go():
        await pool.run((0, "warm"))
        jobs = [pool.run((0.5, str(i))) for i in range(4)]
        await asyncio.sleep(0.1)  # all sent in one write to the idle worker
        started = time.monotonic()
        await jobs[0]
        first = time.monotonic() - started
        rest = await asyncio.gather(*jobs[1:])
        return first, [tag for _, tag in rest]
    try:
        first, tags = asyncio.run(go())
        assert first < 0.9 and tags == ["1", "2", "3"]
    finally:
        pool.close()


def test_waiting_jobs_are_shared_between_free_workers():
    pool = ForkPool(2, nap, timeout=10.0, batch=8)

    async def go():
        await asyncio.gather(pool.run((0.3, "a")), pool.run((0.3, "b")))
        held = [pool.run((0.3, "held")) for _ in range(2)]  # both workers busy
        waiting = [pool.run((0.2, str(i))) for i in range(6)]
        await asyncio.gather(*held)
        sizes = sorted(len(w.jobs) for w in pool.busy)
        return sizes, await asyncio.gather(*waiting)
    try:
        sizes, results = asyncio.run(go())
        assert sum(sizes) <= 6 and max(sizes) <= 3  # its share, not all of them
        assert len({pid for pid, _ in results}) == 2
        assert [tag for _, tag in results] == [str(i) for i in range(6)]
    finally:
        pool.close()


def test_a_batch_larger_than_a_socket_buffer_small_and_large_jobs_mixed():
    pool = ForkPool(1, nap, timeout=30.0, batch=8)
    tags = ["small", "é" * 2_000_000 + "1", "x", "é" * 1_500_000 + "2", "last"]
    try:
        [pid] = pool.pids()
        first, *rest = _sent_together(pool, (0, "first"), [(0, tag) for tag in tags])
        assert first == (pid, "first")
        assert rest == [(pid, tag) for tag in tags]  # in one worker, in order
    finally:
        pool.close()
