"""The kit every page of the site is made with: Datasette's template rendered without
Jinja's async mode, the archive database, work under the SQL time limit, rows read by
SQLite's own decoding, and the small pieces the pages share (escaping, dates as the
papers print them, snippets, numbers read from a query string, links to places)."""

from __future__ import annotations

import csv
import functools
import html
import io
import re
import sqlite3
import time
import weakref
from contextlib import contextmanager
from datetime import datetime

from datasette.utils import await_me_maybe, sqlite_timelimit
from datasette.utils.asgi import BadRequest, NotFound
from jinja2 import Template
from markupsafe import Markup

from ..ground.dates import parse_date, vietnamese

MAX_PAGE = 500
# parameters are ASCII digits: `\d` and `str.isdigit()` take `٣`, `²` and `①`, which
# `int()` and `date.fromisoformat()` refuse or read as another number
_NUMBER = re.compile("[0-9]{1,18}")  # a longer one is past every bound
_PLAIN: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


async def limited(datasette, db, work):
    """`work(conn)` on the database thread under Datasette's SQL time limit, which
    `execute_fn` does not apply: past it, a 400 that says so (as Datasette's own)."""
    ms = datasette.setting("sql_time_limit_ms")

    started = []

    def run(conn):
        started.append(time.perf_counter())
        with sqlite_timelimit(conn, ms):
            return work(conn)

    try:
        return await db.execute_fn(run)
    except sqlite3.OperationalError as exc:
        # An interrupt inside an FTS5 table's constructor reads "vtable constructor
        # failed", not "interrupted": past the deadline, any error is the time limit.
        late = started and time.perf_counter() - started[0] >= ms / 1000
        if "interrupted" not in str(exc) and not late:
            raise
        raise BadRequest(f"the search took longer than {ms / 1000:g} s: choose a paper, "
                         "a year or fewer words") from None


class PlainTemplate(Template):
    """A template of the synchronous twin of Datasette's Jinja environment, which
    Datasette's `render_template` accepts as it is: Datasette builds the page's context
    (its plugin hooks included) and this renders it without Jinja's async mode, where
    every piece of output passes through nested async generators (what that cost: README,
    "Publishing", bench/publish.py). The two async functions base.html calls, the menu's
    links and the breadcrumbs, are awaited first."""

    async def render_async(self, *args, **kwargs) -> str:
        context = dict(*args, **kwargs)
        if callable(context.get("menu_links")):
            links = await await_me_maybe(context["menu_links"]())
            context["menu_links"] = lambda: links
        if callable(context.get("crumb_items")):
            crumbs = await context["crumb_items"](request=context.get("request"))
            context["crumb_items"] = functools.partial(_top_crumbs, crumbs)
        return self.render(context)


def _top_crumbs(crumbs: list, request=None, database=None, table=None) -> list:
    """base.html's breadcrumbs (no database, no table), fetched before rendering."""
    if database or table:
        raise TypeError("a page with a database's or table's breadcrumbs needs Datasette's "
                        "own render_template")
    return crumbs


async def render_page(datasette, request, name: str, context: dict) -> str:
    """Datasette's `render_template` of `name` with `context`, rendered synchronously."""
    env = _PLAIN.get(datasette)
    if env is None:
        env = _PLAIN[datasette] = datasette.jinja_env.overlay(enable_async=False,
                                                              auto_reload=False)
        env.template_class = PlainTemplate
    return await datasette.render_template(env.get_template(name), context,
                                           request=request)


def csv_text(fields: list[str], rows) -> str:
    """Rows (dicts) as a CSV document with a header of `fields`: every download's shape."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fields)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


@contextmanager
def plain_rows(conn):
    """Rows as tuples and text decoded by SQLite's own C code while a search runs.
    Datasette's connections make a `sqlite3.Row` of every row and call a Python function
    for every text value, which over a search's thousands of matches (facets, months)
    made `find` slower on the page than directly (bench/publish.py)."""
    factories = conn.row_factory, conn.text_factory
    conn.row_factory, conn.text_factory = None, str
    try:
        yield
    finally:
        conn.row_factory, conn.text_factory = factories


def archive_db(datasette):
    """The archive: the first file database, whatever the file is called."""
    for db in datasette.databases.values():
        if not db.is_memory:
            return db
    raise NotFound("no archive database")


_SPECIAL = re.compile(r"[&<>\"']")


def escape(text: str) -> str:
    """`html.escape`, skipped for the many short values that need none."""
    return html.escape(text) if _SPECIAL.search(text) else text


def date_vi(value: str | None) -> str:
    """A stored date as the papers print it; the archive's ISO dates with their offset
    are read directly (a tenth of `parse_date`'s time, twenty times a page)."""
    if not value:
        return ""
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        dt = None
    if dt is None or dt.tzinfo is None:
        dt = parse_date(value)[0]
    return vietnamese(dt) if dt else ""


def snippet_html(marked: str) -> Markup:
    """A snippet whose hits are marked \\x02..\\x03: escaped, then <mark>."""
    return Markup(html.escape(marked).replace("\x02", "<mark>").replace("\x03", "</mark>"))


def whole(args, name: str, default: int = 1, most: int = MAX_PAGE) -> int:
    """The parameter `name`, a whole number from 1 to `most` in ASCII digits (`default`
    when absent or empty); anything else is a 400 that says so. Every number a page reads
    from its query string is read here."""
    value = args.get(name) or str(default)
    if not _NUMBER.fullmatch(value) or not 1 <= int(value) <= most:
        shown = value if len(value) <= 40 else value[:40] + "…"
        raise BadRequest(f"{name}: a number from 1 to {most} in digits 0-9, not {shown!r}")
    return int(value)


def unreadable_number(args) -> str | None:
    """The first parameter whose value looks like a number (`str.isdigit()`) that is not
    written in ASCII digits (`²`, `①`, `٣`), which Datasette's own `int()` fails on."""
    return next((name for name in args for value in args.getlist(name)
                 if value.isdigit() and not _NUMBER.fullmatch(value)), None)


def place_links(datasette, named: list[dict], most: int = 5) -> list[dict]:
    """Links to the pages of today's units an article names, each titled with the name it
    used when that differs (`Xã Hùng Châu`, titled `xã Diễn Lâm`)."""
    return place_links_at(str(datasette.urls.path("/")), named, most)


def place_links_at(root: str, named: list[dict], most: int = 5) -> list[dict]:
    """`place_links` under the site's root path `root` (the search builds its links
    from one prefix)."""
    links, seen = [], set()
    for p in named:
        if p["now_code"] in seen:
            continue
        seen.add(p["now_code"])
        links.append({"href": f"{root}place/{p['now_code']}",
                      "name": p["name_now"],
                      "title": p["as_written"] if p["as_written"] != p["name_now"] else ""})
    return links[:most]
