"""Errors on the paths a user named (`--db`, `-o`, a file to read) as one line and an
exit status, in one place: a missing folder or file and a file that is not an archive are
the user's mistake (2); a read-only file, a full disk or a closed pipe mean the work
failed (1). Anything else is left alone: it is a bug, and the command line says so."""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from ..archive.db import NotAnArchive, UnusableArchive
from .exits import Exit

MISSING = (errno.ENOENT, errno.ENOTDIR)
NOT_ALLOWED = (errno.EACCES, errno.EPERM, errno.EROFS)


@dataclass(frozen=True)
class Mistake:
    """What to tell the user (nothing when `line` is empty) and the status to exit with."""

    line: str
    status: Exit


def explain(exc: BaseException, *, db: str | None = None, output: str | None = None,
            named: Collection[str] = ()) -> Mistake | None:
    """`exc` as one line, or None when it is not about a path the user named: `named`,
    the paths the command was given (and the files SQLite or the lock keep beside them),
    `db` the archive among them (SQLite's errors do not name their file), `output` the
    file it writes (a write's OSError names none; `-` is standard output)."""
    if isinstance(exc, BrokenPipeError):  # `| head` had enough: not an error to report
        return Mistake("", Exit.FAILED)
    if isinstance(exc, UnusableArchive):
        return Mistake(str(exc), Exit.USAGE if isinstance(exc, NotAnArchive) else Exit.FAILED)
    if isinstance(exc, sqlite3.OperationalError) and db:
        return _sqlite(str(exc), db)
    if isinstance(exc, OSError):
        if exc.filename is not None:
            return _os(exc, exc.filename) if _among(exc.filename, named) else None
        return _os(exc, "standard output" if output == "-" else output)
    return None


def _among(filename: str | bytes, named: Collection[str]) -> bool:
    """Whether `filename` is a named path, in a named folder or beside a named file
    (`x.db-wal`, `x.db.lock`): an OSError on any other file is a bug, not a mistake."""
    real = os.path.realpath(os.fsdecode(filename))
    return any(real.startswith(os.path.realpath(path)) for path in named)


def _missing(path: str) -> Mistake:
    folder = Path(path).parent
    if not folder.is_dir():
        return Mistake(f"{path}: no folder {folder}/: create it first, or give another path",
                       Exit.USAGE)
    return Mistake(f"{path}: no such file", Exit.USAGE)


def _sqlite(message: str, db: str) -> Mistake | None:
    if "unable to open database file" in message:
        if not Path(db).parent.is_dir():
            return _missing(db)
        return Mistake(f"{db}: cannot open the archive (is it or its folder read-only?)",
                       Exit.FAILED)
    if "readonly database" in message:
        return Mistake(f"{db}: the archive is read-only: nothing was written", Exit.FAILED)
    if "disk is full" in message:
        return Mistake(f"{db}: the disk is full: the last change was not written",
                       Exit.FAILED)
    if "disk I/O error" in message:
        return Mistake(f"{db}: disk I/O error: the last change was not written", Exit.FAILED)
    return None


def _os(exc: OSError, path: str | None) -> Mistake | None:
    if path is None:
        return None
    path = str(path)
    if exc.errno in MISSING:
        return _missing(path)
    if exc.errno == errno.EISDIR:
        return Mistake(f"{path} is a folder; give a file", Exit.USAGE)
    if exc.errno in NOT_ALLOWED:
        return Mistake(f"{path}: {exc.strerror.lower()}", Exit.FAILED)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return Mistake(f"{path}: no space left on the device: not all was written",
                       Exit.FAILED)
    return Mistake(f"{path}: {exc.strerror or exc}", Exit.FAILED)


def port_taken(host: str, port: int) -> Mistake | None:
    """Whether `serve` could listen on host:port, asked before Datasette starts (whose
    server would print six lines and exit 3): one line if not."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        return Mistake(f"--host {host}: {exc.strerror}", Exit.USAGE)
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
        try:
            probe.bind(address)
        except OSError as exc:
            why = ("in use: stop what listens there, or give another --port"
                   if exc.errno == errno.EADDRINUSE else exc.strerror)
            return Mistake(f"cannot listen on {host}:{port}: {why}", Exit.FAILED)
    return None
