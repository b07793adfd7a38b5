"""A pool of forked worker processes served by the running asyncio loop, no threads.

Each worker has one duplex socket: the loop writes a job (a length and the pickled
arguments), the worker calls `function(*args)` and writes back the pickled outcome; the
loop reads it with `add_reader`. One job per worker at a time; a job's time limit is a
`call_later` that kills that worker alone (SIGKILL) and forks a fresh one, as does a
worker found dead (its exit code from `os.waitpid`). What a job returns, or the
exception it raises, travels back; the pool raises `JobTimeout`, `WorkerDied` or
`JobRaised` on the awaiting side.

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
    __slots__ = ("pid", "sock", "fd", "job", "timer", "inbox", "got", "outbox")

    def __init__(self, pid: int, sock: socket.socket):
        self.pid = pid
        self.sock = sock
        self.fd = sock.fileno()
        self.job: _Job | None = None
        self.timer: asyncio.TimerHandle | None = None
        self.inbox = bytearray(_INBOX)  # what the worker wrote back, `got` bytes of it
        self.got = 0
        self.outbox: memoryview | None = None


class ForkPool:
    """`await pool.run(args)`: `function(*args)` in one of `workers` forked processes,
    each started with `initializer()`; at most `timeout` seconds a job."""

    def __init__(self, workers: int, function: Callable[..., Any], timeout: float,
                 initializer: Callable[[], None] | None = None, memory_exit: int = 1):
        self.function = function
        self.timeout = timeout
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
        if self.idle:
            self._start(self.idle.pop(), job)
        else:
            self.waiting.append(job)
        return job.future

    def in_pool(self) -> int:
        """Jobs running or waiting for a worker."""
        return len(self.busy) + len(self.waiting)

    def pids(self) -> list[int]:
        return [w.pid for w in (*self.idle, *self.busy)]

    def close(self) -> None:
        """Kill and reap every worker; jobs still in the pool are cancelled."""
        if self.closed:
            return
        self.closed = True
        for worker in (*self.idle, *self.busy):
            job = self._drop(worker)
            with contextlib.suppress(ProcessLookupError):
                os.kill(worker.pid, signal.SIGKILL)
            _reap(worker.pid)
            if job is not None:
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

    def _start(self, worker: _Worker, job: _Job) -> None:
        worker.job = job
        self.busy.add(worker)
        worker.timer = self.loop.call_later(self.timeout, self._expire, worker)
        self._send(worker, memoryview(job.data))

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
            if got < _HEADER.size:
                return
            end = _HEADER.size + _HEADER.unpack_from(inbox)[0]
            if got < end:
                if end > len(inbox):
                    inbox.extend(bytes(end - len(inbox)))
                return
            with memoryview(inbox) as view, view[_HEADER.size:end] as reply:
                outcome = pickle.loads(reply)
            worker.got = 0
            if end > _INBOX:  # a large reading's room, given back
                worker.inbox = bytearray(_INBOX)
            job = worker.job
            worker.timer.cancel()
            worker.job = worker.timer = None
            self.busy.discard(worker)
            self._next(worker)
            if job is not None and not job.future.done():
                if outcome[0]:
                    job.future.set_result(outcome[1])
                else:
                    job.future.set_exception(JobRaised(outcome[1], outcome[2]))

    def _next(self, worker: _Worker) -> None:
        if self.waiting:
            self._start(worker, self.waiting.popleft())
        else:
            self.idle.append(worker)

    def _expire(self, worker: _Worker) -> None:
        with cpuparts.part("pool"):
            job = self._drop(worker)
            with contextlib.suppress(ProcessLookupError):
                os.kill(worker.pid, signal.SIGKILL)
            _reap(worker.pid)
            self._replace(worker)
            if job is not None and not job.future.done():
                job.future.set_exception(JobTimeout(f"over {self.timeout:g}s"))

    def _died(self, worker: _Worker) -> None:
        """Its socket ended: it exits (a worker closes its end only by exiting)."""
        job = self._drop(worker)
        exitcode = _reap(worker.pid)
        self._replace(worker)
        if job is not None and not job.future.done():
            job.future.set_exception(WorkerDied(exitcode))

    def _drop(self, worker: _Worker) -> _Job | None:
        """Let go of `worker` (its socket, timer, reader): what job it had."""
        if self.loop is not None and not self.loop.is_closed():
            self.loop.remove_reader(worker.fd)
            if worker.outbox is not None:
                self.loop.remove_writer(worker.fd)
        if worker.timer is not None:
            worker.timer.cancel()
        worker.sock.close()
        job, worker.job, worker.timer, worker.outbox = worker.job, None, None, None
        return job

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
    (a job and its length most often come in one `recv_into`)."""

    def __init__(self, sock: socket.socket):
        self.sock = sock
        self.buffer = bytearray(_INBOX)
        self.got = 0

    def next(self) -> tuple | None:
        """The next job's arguments; None when the pool has closed its end."""
        buffer = self.buffer
        while True:
            if self.got >= _HEADER.size:
                end = _HEADER.size + _HEADER.unpack_from(buffer)[0]
                if self.got >= end:
                    break
                if end > len(buffer):
                    buffer.extend(bytes(end - len(buffer)))
            with memoryview(buffer) as view, view[self.got:] as free:
                n = self.sock.recv_into(free)
            if not n:
                return None
            self.got += n
        with memoryview(buffer) as view, view[_HEADER.size:end] as job:
            args = pickle.loads(job)
        buffer[:self.got - end] = buffer[end:self.got]
        self.got -= end
        if len(buffer) > _INBOX and not self.got:  # a large page's room, given back
            self.buffer = bytearray(_INBOX)
        return args


def _die_with(parent: int) -> None:
    """Linux: the kernel kills this worker when the pool's process dies (an idle worker
    would see its socket close; a busy one would finish its page first)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it died before the line above
        os._exit(1)
