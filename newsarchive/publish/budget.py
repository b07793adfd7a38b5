"""One time budget per request for Datasette's own views, on threads of their own.

A table view runs several queries: its rows, the count of its filter, every facet (and
the suggested ones). Datasette limits each query (`sql_time_limit_ms`,
`facet_time_limit_ms`), not their sum, so one request could hold the database for many
seconds; six at once filled Datasette's SQL threads, and the reader's pages waited in
line behind them.

Here a request under a database's address (`/archive`, `/archive/articles.json`, a row,
a canned query) gets a deadline when it arrives, and waits for its turn: no more of
them run at once than there are table threads (half the cores by default), so the
reader's pages keep the other half, and a request that gets no turn by its deadline is
a 503. Its queries run on the table threads, never on the threads that serve the
reader's pages; at the deadline the queries still running are interrupted
(`sqlite3.Connection.interrupt`) and those not started are given up. Datasette then
leaves out what did not finish (a count or a facet) or, when the rows themselves did
not, `handle_exception` answers 400 with `refusal()`. Once the response has started (a
CSV stream), the rest runs without the deadline, each query under Datasette's limit.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import logging
import os
import re
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import parse_qs
from weakref import WeakKeyDictionary

from datasette.utils import tilde_decode
from datasette.utils.asgi import Response

log = logging.getLogger(__name__)

HTML_ROWS = 200  # rows of an HTML table page; .json and .csv give max_returned_rows
SHARE = 0.6      # of the time limit for a request's SQL; the rest renders the page

_BUDGET: contextvars.ContextVar[Budget | None] = contextvars.ContextVar(
    "newsarchive_budget", default=None)
_QUERY = contextvars.ContextVar("newsarchive_query", default=False)  # in Database.execute


class Budget:
    """One request's deadline, and the connections running its SQL right now."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds
        self.expired = False
        self.closed = False  # the response has started: no deadline any more
        self._running: set[sqlite3.Connection] = set()
        self._lock = threading.Lock()
        self._timer = asyncio.get_running_loop().call_later(seconds, self.expire)

    def expire(self) -> None:
        """The deadline: interrupt the queries running now, refuse the ones to come."""
        with self._lock:
            if self.closed:
                return
            self.expired = True
            for conn in self._running:
                conn.interrupt()

    def close(self) -> None:
        with self._lock:
            self.closed = True
        self._timer.cancel()

    def left(self) -> float:
        return self.deadline - time.monotonic()

    def run(self, conn: sqlite3.Connection, fn):
        """`fn(conn)` on a table thread, interrupted at the deadline, refused past it."""
        with self._lock:
            if self.expired and not self.closed:
                raise sqlite3.OperationalError("interrupted")
            self._running.add(conn)
        try:
            return fn(conn)
        finally:
            with self._lock:
                self._running.discard(conn)


def current() -> Budget | None:
    """The budget of the request being answered, if it has one."""
    return _BUDGET.get()


def refusal(budget: Budget) -> str:
    return (f"This request took too long: one request's SQL (a table's rows, count and "
            f"facets together) gets {budget.seconds:g} s. Add a filter, or leave out the "
            f"count and facets with ?_nocount=1&_nofacet=1.")


def interrupted(exception: BaseException) -> bool:
    """Is this what Datasette makes of a query interrupted at the deadline (raised as
    it is, or wrapped in a DatasetteError)?"""
    from datasette.database import QueryInterrupted
    from datasette.views.base import DatasetteError

    if isinstance(exception, DatasetteError):
        return exception.title == "SQL Interrupted" or exception.message == "interrupted"
    return isinstance(exception, QueryInterrupted) or (
        isinstance(exception, sqlite3.OperationalError) and "interrupted" in str(exception))


def busy(budget: Budget) -> str:
    return (f"Busy: other heavy requests held the database for {budget.seconds:g} s. "
            f"Try again in a moment, or add a filter.\n")


def seconds(datasette) -> float:
    """A request's SQL budget: `table_time_limit_ms` of the plugin's configuration, else
    SHARE of Datasette's `sql_time_limit_ms`."""
    config = datasette.plugin_config("newsarchive") or {}
    ms = config.get("table_time_limit_ms") or SHARE * datasette.setting("sql_time_limit_ms")
    return ms / 1000


def _under_database(datasette, path: str) -> bool:
    """Is `path` one of Datasette's database views (a database, table, row or query)?
    Its first segment, with or without a format (`.json`), tilde-decoded, names one."""
    first = path.lstrip("/").split("/", 1)[0]
    routes = {db.route for db in datasette.databases.values()}
    return any(tilde_decode(name) in routes for name in (first, first.rsplit(".", 1)[0]))


def _mistake(scope) -> str | None:
    """What is wrong with the query string, if anything: a `_timelimit` that is no
    number (Datasette's int() would fail: 500), more rows on an HTML page than
    HTML_ROWS (rendering them holds the event loop that serves every page)."""
    args = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    if not all(re.fullmatch("[0-9]{1,9}", value) for value in args.get("_timelimit", [])):
        return "_timelimit must be a number of milliseconds"
    html = "." not in scope["path"].rsplit("/", 1)[-1]
    if html and any(value == "max" or (value.isascii() and value.isdigit()
                                       and int(value) > HTML_ROWS)
                    for value in args.get("_size", [])):
        return (f"_size must be <= {HTML_ROWS} on an HTML page: add .json or .csv to the "
                f"table's address for more")
    return None


def limit_database_views(datasette, app):
    """ASGI wrapper: every request under a database's address runs within its budget,
    and no more of them at once than there are table threads (the others wait for
    their turn until their deadline, then answer 503)."""
    gates: WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = \
        WeakKeyDictionary()  # one per event loop (a test runs several)

    async def wrapped(scope, receive, send):
        if scope["type"] != "http" or not _under_database(datasette, scope["path"]):
            return await app(scope, receive, send)
        mistake = _mistake(scope)
        if mistake:
            return await Response.text(mistake + "\n", status=400).asgi_send(send)
        budget = Budget(seconds(datasette))
        gate = gates.setdefault(asyncio.get_running_loop(),
                                asyncio.Semaphore(table_threads(datasette)))
        try:
            await asyncio.wait_for(gate.acquire(), budget.left())
        except TimeoutError:
            budget.close()
            log.warning("%s given no turn within its time budget (%g s)", scope["path"],
                        budget.seconds)
            return await Response.text(busy(budget), status=503,
                                       headers={"Retry-After": "10"}).asgi_send(send)
        held = True

        def release():
            nonlocal held
            budget.close()
            if held:
                held = False
                gate.release()

        async def started(message):
            if message["type"] == "http.response.start":
                release()  # a stream goes on, without the deadline or the turn
            await send(message)

        token = _BUDGET.set(budget)
        try:
            return await app(scope, receive, started)
        finally:
            release()
            _BUDGET.reset(token)
    return wrapped


def table_threads(datasette) -> int:
    """`table_threads` of the plugin's configuration, else half the machine's cores (the
    other half is the reader's)."""
    config = datasette.plugin_config("newsarchive") or {}
    return config.get("table_threads") or max(1, (os.cpu_count() or 2) // 2)


def run_on_table_threads(datasette) -> None:
    """Route the queries of budgeted requests, on every file database, to a pool of
    `table_threads()` threads of their own, each with its own connection per database,
    prepared as Datasette prepares its own. Datasette's schema lookups stay on its
    threads: they are cheap."""
    if not datasette.setting("num_sql_threads"):
        return  # Datasette runs SQL on the event loop: nothing to separate
    pool = ThreadPoolExecutor(max_workers=table_threads(datasette),
                              thread_name_prefix="newsarchive-table")
    local = threading.local()
    for db in datasette.databases.values():
        if db.path:
            db.execute_fn = _routed(datasette, db, db.execute_fn, pool, local)
            db.execute = _interruptible(db.execute)


def _interruptible(execute):
    """Datasette's `Database.execute`, marked as a query (to be routed), where a query
    refused at the deadline (outside Datasette's own handling) is interrupted like one
    cut short: the table view then leaves out that count or facet."""
    from datasette.database import QueryInterrupted

    @functools.wraps(execute)
    async def wrapped(sql, params=None, *args, **kwargs):
        token = _QUERY.set(True)
        try:
            return await execute(sql, params, *args, **kwargs)
        except sqlite3.OperationalError as exc:
            if exc.args != ("interrupted",):
                raise
            raise QueryInterrupted(exc, sql, params) from None
        finally:
            _QUERY.reset(token)
    return wrapped


def _routed(datasette, db, execute_fn, pool, local):
    """`execute_fn` on the table threads for a budgeted request's queries. A query still
    waiting for a thread at the deadline is given up (it would wait for other requests'
    queries to end at their own deadlines)."""
    async def routed(fn):
        budget = current()
        if budget is None or not _QUERY.get():
            return await execute_fn(fn)

        def in_thread():
            conn = getattr(local, db.name, None)
            if conn is None:
                conn = db.connect()
                datasette._prepare_connection(conn, db.name)
                setattr(local, db.name, conn)
            return budget.run(conn, fn)

        future = asyncio.get_running_loop().run_in_executor(pool, in_thread)
        if budget.closed:
            return await future
        try:
            return await asyncio.wait_for(future, max(budget.left(), 0))
        except TimeoutError:
            raise sqlite3.OperationalError("interrupted") from None
    return routed
