"""A pool of forked worker processes served by the running asyncio loop, no threads.

Each worker has one duplex socket: the loop writes jobs (each a length and the pickled
arguments), the worker calls `function(*args)` for each in turn and writes back each
pickled outcome as it has it; the loop reads them with `add_reader`. A worker that is
free takes the jobs waiting for one (up to `batch`, its share when there are several
workers) in one write, so that it is woken once for them, not once each. A job's time
limit runs from when the worker can start it (the job before it answered); past it,
a timer kills that worker alone (SIGKILL) and forks a fresh one, as does a worker found
dead (its exit code from `os.waitpid`): the job it was on fails, the jobs behind it go
to the fresh worker. What a job returns, or the exception it raises, travels back; the
pool raises `JobTimeout`, `WorkerDied` or `JobRaised` on the awaiting side.

Why not pebble: per job it wakes three manager threads in the caller's process and
exchanges an acknowledgement; here a job is one write, one read and one unpickling
(bench/pool.py measures both).
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import os
import pickle
import signal
import socket
import struct
import traceback
from collections import deque
from collections.abc import Callable
from typing import Any

from ..ground import cpuparts

_HEADER = struct.Struct("!Q")
_INBOX = 1 << 16  # a worker's receiving buffer to start with (a Reading is ~6 KB)
_PR_SET_PDEATHSIG = 1
_EARLY = 0.001  # a timer may run this much before its time (the loop's clock resolution)


class JobTimeout(Exception):
    """The job ran past the pool's time limit; its worker was killed."""


class WorkerDied(Exception):
    """The worker ended during the job; `exitcode` as `multiprocessing` gives it
    (negative: killed by that signal)."""

    def __init__(self, exitcode: int):
        super().__init__(f"worker died (exit code {exitcode})")
        self.exitcode = exitcode


class JobRaised(Exception):
    """The job raised in the worker: `str()` is its type and message, `remote` the
    worker's traceback."""

    def __init__(self, message: str, remote: str):
        super().__init__(message)
        self.remote = remote


class _Job:
    __slots__ = ("data", "future")

    def __init__(self, data: bytes, future: asyncio.Future):
        self.data = data
        self.future = future


class _Worker:
    __slots__ = ("pid", "sock", "fd", "jobs", "deadline", "timer", "inbox", "got",
                 "outbox")

    def __init__(self, pid: int, sock: socket.socket):
        self.pid = pid
        self.sock = sock
        self.fd = sock.fileno()
        self.jobs: deque[_Job] = deque()  # sent to it, not answered yet, in order
        self.deadline = 0.0  # the loop's time by which the first of `jobs` must be done
        # one timer at a time, not one a job: when it fires early (its job answered
        # since) it is set again for the deadline of the job the worker is on, if any
        self.timer: asyncio.TimerHandle | None = None
        self.inbox = bytearray(_INBOX)  # what the worker wrote back, `got` bytes of it
        self.got = 0
        self.outbox: memoryview | None = None


class ForkPool:
    """`await pool.run(args)`: `function(*args)` in one of `workers` forked processes,
    each started with `initializer()`; at most `timeout` seconds a job."""

    def __init__(self, workers: int, function: Callable[..., Any], timeout: float,
                 initializer: Callable[[], None] | None = None, memory_exit: int = 1,
                 batch: int = 8):
        self.function = function
        self.timeout = timeout
        self.batch = max(1, batch)  # at most this many jobs sent to a worker at once
        self.workers = workers
        self.initializer = initializer
        self.memory_exit = memory_exit  # a worker's exit status after a MemoryError
        self.idle: list[_Worker] = []
        self.busy: set[_Worker] = set()
        self.waiting: deque[_Job] = deque()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.closed = False
        for _ in range(workers):
            self.idle.append(self._fork())

    def run(self, args: tuple) -> asyncio.Future:
        """A future for `function(*args)` in a worker; raises here what cannot be
        pickled. The job waits its turn if every worker is busy."""
        loop = asyncio.get_running_loop()
        if loop is not self.loop:
            self._attach(loop)
        data = pickle.dumps(args, pickle.HIGHEST_PROTOCOL)
        job = _Job(_HEADER.pack(len(data)) + data, loop.create_future())
        self.waiting.append(job)
        if self.idle:
            self._next(self.idle.pop())
        return job.future

    def in_pool(self) -> int:
        """Jobs running, sent to a worker or waiting for one."""
        return sum(len(w.jobs) for w in self.busy) + len(self.waiting)

    def pids(self) -> list[int]:
        return [w.pid for w in (*self.idle, *self.busy)]

    def close(self) -> None:
        """Kill and reap every worker; jobs still in the pool are cancelled."""
        if self.closed:
            return
        self.closed = True
        for worker in (*self.idle, *self.busy):
            jobs = self._drop(worker)
            with contextlib.suppress(ProcessLookupError):
                os.kill(worker.pid, signal.SIGKILL)
            _reap(worker.pid)
            for job in jobs:
                self._cancel(job)
        self.idle.clear()
        self.busy.clear()
        while self.waiting:
            self._cancel(self.waiting.popleft())

    # the parent's side

    def _attach(self, loop: asyncio.AbstractEventLoop) -> None:
        """Serve the workers from `loop` (the first, or a new one after the last closed)."""
        if self.busy or self.waiting:
            raise RuntimeError("the pool's jobs belong to another event loop")
        self.loop = loop
        for worker in list(self.idle):
            if worker.timer is not None:  # the last loop's
                worker.timer.cancel()
                worker.timer = None
            if os.waitpid(worker.pid, os.WNOHANG)[0]:  # it died while no loop listened
                self._drop(worker)
                self._replace(worker)
            else:
                loop.add_reader(worker.fd, self._readable, worker)

    def _fork(self) -> _Worker:
        mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the worker never returns from here
            status = 1
            try:
                mine.close()
                for other in (*self.idle, *self.busy):
                    other.sock.close()
                _die_with(parent)
                _serve(theirs, self.function, self.initializer)
                status = 0
            except MemoryError:
                status = self.memory_exit
            finally:
                os._exit(status)
        theirs.close()
        mine.setblocking(False)
        worker = _Worker(pid, mine)
        if self.loop is not None and not self.loop.is_closed():
            self.loop.add_reader(worker.fd, self._readable, worker)
        return worker

    def _next(self, worker: _Worker) -> None:
        """Send `worker` the jobs waiting (its share, at most `batch`), else let it idle."""
        waiting = self.waiting
        if not waiting:
            self.idle.append(worker)
            return
        share = min(self.batch, -(-len(waiting) // max(1, self.workers)))
        jobs = [waiting.popleft() for _ in range(share)]
        worker.jobs.extend(jobs)
        self.busy.add(worker)
        self._arm(worker)
        data = jobs[0].data if len(jobs) == 1 else b"".join(job.data for job in jobs)
        self._send(worker, memoryview(data))

    def _arm(self, worker: _Worker) -> None:
        """The first of `worker`'s jobs has its time from now."""
        worker.deadline = self.loop.time() + self.timeout
        if worker.timer is None:
            worker.timer = self.loop.call_at(worker.deadline, self._expire, worker)

    def _send(self, worker: _Worker, data: memoryview) -> None:
        try:
            sent = worker.sock.send(data)
        except BlockingIOError:
            sent = 0
        except OSError:  # it died idle: the reader sees its end
            sent = len(data)
        if sent < len(data):
            if worker.outbox is None:
                self.loop.add_writer(worker.fd, self._writable, worker)
            worker.outbox = data[sent:]
        elif worker.outbox is not None:
            worker.outbox = None
            self.loop.remove_writer(worker.fd)

    def _writable(self, worker: _Worker) -> None:
        with cpuparts.part("pool"):
            if worker.outbox is not None:
                self._send(worker, worker.outbox)

    def _readable(self, worker: _Worker) -> None:
        with cpuparts.part("pool"):
            inbox = worker.inbox
            if worker.got == len(inbox):
                inbox.extend(bytes(len(inbox)))
            try:
                with memoryview(inbox) as view:
                    got = worker.sock.recv_into(view[worker.got:])
            except BlockingIOError:
                return
            except OSError:
                got = 0
            if not got:
                self._died(worker)
                return
            got = worker.got = worker.got + got
            done, start = [], 0  # the outcomes read whole, from `start` on
            while got - start >= _HEADER.size:
                end = start + _HEADER.size + _HEADER.unpack_from(inbox, start)[0]
                if got < end:
                    if end - start > len(inbox):
                        inbox.extend(bytes(end - start - len(inbox)))
                    break
                with memoryview(inbox) as view, view[start + _HEADER.size:end] as reply:
                    done.append((worker.jobs.popleft(), pickle.loads(reply)))
                start = end
            if not done:
                return
            if start < got:  # the beginning of the next outcome, moved to the front
                inbox[:got - start] = inbox[start:got]
            worker.got = got - start
            if len(inbox) > _INBOX and not worker.got:  # a large reading's room, given back
                worker.inbox = bytearray(_INBOX)
            if worker.jobs:
                self._arm(worker)
            else:
                self.busy.discard(worker)
                self._next(worker)
            for job, outcome in done:
                if not job.future.done():
                    if outcome[0]:
                        job.future.set_result(outcome[1])
                    else:
                        job.future.set_exception(JobRaised(outcome[1], outcome[2]))

    def _expire(self, worker: _Worker) -> None:
        with cpuparts.part("pool"):
            worker.timer = None
            if not worker.jobs:  # idle since: its next jobs set a timer again
                return
            if worker.deadline > self.loop.time() + _EARLY:  # its job was answered since
                worker.timer = self.loop.call_at(worker.deadline, self._expire, worker)
                return
            jobs = self._drop(worker)
            with contextlib.suppress(ProcessLookupError):
                os.kill(worker.pid, signal.SIGKILL)
            _reap(worker.pid)
            self._fail(jobs, JobTimeout(f"over {self.timeout:g}s"))
            self._replace(worker)

    def _died(self, worker: _Worker) -> None:
        """Its socket ended: it exits (a worker closes its end only by exiting)."""
        jobs = self._drop(worker)
        exitcode = _reap(worker.pid)
        self._fail(jobs, WorkerDied(exitcode))
        self._replace(worker)

    def _fail(self, jobs: list[_Job], error: Exception) -> None:
        """The job a worker was on fails with `error`; those sent after it wait for the
        next worker, first in line."""
        if not jobs:
            return
        self.waiting.extendleft(reversed(jobs[1:]))
        if not jobs[0].future.done():
            jobs[0].future.set_exception(error)

    def _drop(self, worker: _Worker) -> list[_Job]:
        """Let go of `worker` (its socket, timer, reader): the jobs it had, in order."""
        if self.loop is not None and not self.loop.is_closed():
            self.loop.remove_reader(worker.fd)
            if worker.outbox is not None:
                self.loop.remove_writer(worker.fd)
        if worker.timer is not None:
            worker.timer.cancel()
        worker.sock.close()
        jobs = list(worker.jobs)
        worker.jobs.clear()
        worker.timer = worker.outbox = None
        return jobs

    def _replace(self, worker: _Worker) -> None:
        self.busy.discard(worker)
        with contextlib.suppress(ValueError):
            self.idle.remove(worker)
        if not self.closed:
            self._next(self._fork())

    @staticmethod
    def _cancel(job: _Job) -> None:
        if not job.future.done() and not job.future.get_loop().is_closed():
            job.future.cancel()


def _reap(pid: int) -> int:
    """Wait for `pid` to end: its exit code, negative for a signal."""
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:
        return 0
    return os.waitstatus_to_exitcode(status)


# the worker's side


def _serve(sock: socket.socket, function: Callable[..., Any],
           initializer: Callable[[], None] | None) -> None:
    """Read jobs until the pool closes its end (or dies): `function(*args)` each, its
    result or exception written back. A MemoryError anywhere is left to the caller."""
    with contextlib.suppress(ValueError):
        signal.set_wakeup_fd(-1)  # the parent's event loop's, not ours
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the crawl's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if initializer is not None:
        initializer()
    jobs = _Jobs(sock)
    while (args := jobs.next()) is not None:
        try:
            outcome = (True, function(*args))
            del args
            reply = pickle.dumps(outcome, pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            raise
        except BaseException as exc:  # the job's, reported to the pool
            reply = pickle.dumps((False, f"{type(exc).__name__}: {exc}",
                                  traceback.format_exc()), pickle.HIGHEST_PROTOCOL)
        sock.sendall(_HEADER.pack(len(reply)) + reply)


class _Jobs:
    """The jobs a worker reads from its socket, into one buffer kept from job to job
    (several jobs, each with its length, most often come in one `recv_into`)."""

    def __init__(self, sock: socket.socket):
        self.sock = sock
        self.buffer = bytearray(_INBOX)
        self.start = 0  # where the next job begins in `buffer`
        self.got = 0  # where what was read ends

    def next(self) -> tuple | None:
        """The next job's arguments; None when the pool has closed its end."""
        while True:
            buffer, start = self.buffer, self.start
            if self.got - start >= _HEADER.size:
                end = start + _HEADER.size + _HEADER.unpack_from(buffer, start)[0]
                if self.got >= end:
                    break
                if end > len(buffer):  # room for the whole job from the buffer's start
                    self._compact(end - start)
                    continue
            elif start and start + _HEADER.size > len(buffer):
                self._compact(_INBOX)
                continue
            with memoryview(buffer) as view, view[self.got:] as free:
                n = self.sock.recv_into(free)
            if not n:
                return None
            self.got += n
        with memoryview(buffer) as view, view[start + _HEADER.size:end] as job:
            args = pickle.loads(job)
        if end == self.got:  # all read: the next job starts at the beginning
            self.start = self.got = 0
            if len(buffer) > _INBOX:  # a large page's room, given back
                self.buffer = bytearray(_INBOX)
        else:
            self.start = end
        return args

    def _compact(self, room: int) -> None:
        """What is left of the buffer moved to its front, with `room` bytes at least."""
        left = self.buffer[self.start:self.got]
        self.buffer = bytearray(max(room, _INBOX, len(left)))
        self.buffer[:len(left)] = left
        self.start, self.got = 0, len(left)


def _die_with(parent: int) -> None:
    """Linux: the kernel kills this worker when the pool's process dies (an idle worker
    would see its socket close; a busy one would finish its page first)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it died before the line above
        os._exit(1)
