"""The search page for readers, on top of Datasette (the home page and a page per paper
are in browse.py). The search itself is `archive.search.find`; this module reads the
parameters, refuses bad ones with a 400 (never a 500) and renders."""

from __future__ import annotations

import csv
import functools
import html
import io
import json
import re
import sqlite3
import time
import weakref
from contextlib import contextmanager
from datetime import date, datetime
from functools import lru_cache
from urllib.parse import quote_plus

import sqlite_utils
from datasette.utils import await_me_maybe, sqlite_timelimit
from datasette.utils.asgi import BadRequest, NotFound, Response
from jinja2 import Template
from markupsafe import Markup

from ..archive.search import FACETS, SORTS, BadFilter, Filters, find
from ..ground.dates import parse_date, vietnamese
from ..ground.fold import MAX_QUERY

PER_PAGE = 20
MAX_PAGE = 500
TIER_WORDS = {"phrase": "the exact phrase (cụm từ chính xác)",
              "pairs": "all the words, nearest together first (đủ các từ)",
              "all": "all the words, anywhere (đủ các từ, ở bất kỳ đâu)",
              "any": "any of the alternatives joined by OR (một trong các lựa chọn)",
              "filters": "the filters, newest first (mới nhất theo bộ lọc)"}
FACET_NAMES = {"site": "Báo / Paper", "province": "Tỉnh / Province",
               "place": "Địa danh / Place", "section": "Chuyên mục / Section",
               "year": "Năm / Year",
               "month": "Tháng / Month"}
# parameters are ASCII digits: `\d` and `str.isdigit()` take `٣`, `²` and `①`, which
# `int()` and `date.fromisoformat()` refuse or read as another number
_DAY = re.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MONTH = re.compile("[0-9]{4}-(0[1-9]|1[0-2])")
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
    every piece of output passes through nested async generators (about half of the
    search page's own time, bench/publish.py). The two async functions base.html calls,
    the menu's links and the breadcrumbs, are awaited first."""

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


@contextmanager
def plain_rows(conn):
    """Rows as tuples and text decoded by SQLite's own C code while a search runs.
    Datasette's connections make a `sqlite3.Row` of every row and call a Python function
    for every text value: over a search's thousands of matches (facets, months) that
    made `find` 15% slower on the page than directly (bench/publish.py)."""
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


def _day(args, name: str) -> str:
    value = (args.get(name) or "").strip()
    if value:
        try:
            if not _DAY.fullmatch(value):
                raise ValueError
            date.fromisoformat(value)
        except ValueError:
            raise BadRequest(f"{name}: a date is written YYYY-MM-DD, not {value!r}") from None
    return value


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


def _site_rows(conn) -> dict[str, dict]:
    rows = conn.execute("SELECT id, name, province, home FROM sites ORDER BY name").fetchall()
    return {r[0]: {"id": r[0], "name": r[1], "province": r[2], "home": r[3]} for r in rows}


def _params(request, sites: dict) -> tuple[str, Filters, str, int]:
    args = request.args  # parsed anew at every use of `request.args`
    query = (args.get("q") or "").strip()
    if len(query) > MAX_QUERY:
        raise BadRequest(f"q: a search of at most {MAX_QUERY} characters")
    try:
        filters = Filters(**{f: (args.get(f) or "").strip() for f in
                             ("site", "province", "section", "year", "month", "place")},
                          since=_day(args, "since"), until=_day(args, "until"))
    except BadFilter as exc:  # a place that is no code, `since` after `until`
        raise BadRequest(str(exc)) from None
    if filters.site and filters.site not in sites:
        raise BadRequest(f"site: no paper {filters.site!r} in this archive")
    if filters.year and not re.fullmatch("[0-9]{4}", filters.year):
        raise BadRequest(f"year: four digits 0-9, not {filters.year!r}")
    if filters.month and not _MONTH.fullmatch(filters.month):
        raise BadRequest(f"month: YYYY-MM, not {filters.month!r}")
    sort = args.get("sort") or "relevance"
    if sort not in SORTS:
        raise BadRequest(f"sort: one of {', '.join(SORTS)}, not {sort!r}")
    return query, filters, sort, whole(args, "page")


_quoted = lru_cache(maxsize=512)(quote_plus)  # the same values recur in every link of a page


def _link(base: str, args: dict, **changes) -> str:
    """`base` with the non-empty `args` (changed by `changes`) as its query string; the
    keys are our own parameter names, which need no quoting."""
    merged = {**args, **changes}
    return base + "?" + "&".join(f"{k}={_quoted(v)}" for k, v in merged.items() if v)


def month_chart(months: list[tuple[str, int]], width: int = 640, height: int = 90,
                label: str = "Kết quả theo tháng / matches per month") -> str:
    """Matches per month (or any period) as bars, drawn here (no JavaScript); nothing for
    one period."""
    if len(months) < 2:
        return ""
    top = max(n for _, n in months)
    step = min(24.0, width / len(months))
    bars = []
    for i, (month, n) in enumerate(months):
        h = max(1.0, (height - 20) * n / top) if n else 0.0
        bars.append(f'<rect x="{i * step:.1f}" y="{height - 16 - h:.1f}" '
                    f'width="{max(1.0, step - 2):.1f}" height="{h:.1f}" fill="#2a6f97">'
                    f'<title>{escape(month)}: {n}</title></rect>')
    drawn = max(160.0, step * len(months))
    return (f'<svg viewBox="0 0 {drawn:.0f} {height}" width="{drawn:.0f}" role="img" '
            f'aria-label="{html.escape(label)}" class="na-months">'
            + "".join(bars)
            + f'<text x="0" y="{height - 2}" font-size="11">{html.escape(months[0][0])}</text>'
            + f'<text x="{drawn:.0f}" y="{height - 2}" font-size="11" '
            + 'text-anchor="end">'
            + f'{html.escape(months[-1][0])}</text></svg>')


async def search_page(datasette, request):
    db = archive_db(datasette)
    fmt = request.url_vars.get("format") or ""
    by_story = request.args.get("stories") == "1"  # one result per story (its first copy)

    def search(conn):  # one trip to the database thread: the papers, then the search
        sites = _site_rows(conn)
        query, filters, sort, page = _params(request, sites)
        results = None
        if query or filters.narrowing:  # no words: the filters' newest articles
            try:
                results = find(sqlite_utils.Database(conn), query, filters, sort=sort,
                               limit=PER_PAGE, offset=(page - 1) * PER_PAGE,
                               stories=by_story)
            except ValueError:  # nothing searchable in the query (only `-word`s)
                results = None
        return sites, query, filters, sort, page, results

    def run(conn):
        try:
            with plain_rows(conn):
                return search(conn)
        except sqlite3.OperationalError as exc:
            if "decode" not in str(exc):
                raise
            return search(conn)  # text that is no UTF-8: Datasette's lenient decoding

    sites, query, filters, sort, page, results = await limited(datasette, db, run)
    pages = max(1, -(-results.total // PER_PAGE)) if results else 1
    if page > pages:  # as /place/CODE?page=N does
        raise NotFound(f"page {page}: this search has {pages} page(s) of results")
    args = {"q": query, **{k: getattr(filters, k) for k in
                            ("site", "province", "place", "section", "year", "month", "since",
                             "until")},
            "sort": "" if sort == "relevance" else sort, "stories": "1" if by_story else ""}
    if fmt:
        return _as_data(fmt, query, page, results)
    context = _context(datasette, db.name, sites, query, filters, sort, page, results, args)
    return Response.html(await render_page(datasette, request, "search.html", context))


def _context(datasette, database: str, sites: dict, query: str, filters: Filters, sort: str,
             page: int, results, args: dict) -> dict:
    """What the page shows. Links are plain strings made from one prefix (Datasette's
    `urls.path` gives a str subclass whose every attribute lookup lists `dir(str)`)."""
    root = str(datasette.urls.path("/"))
    base = root + "search"
    hits = Markup("".join(hit_html(hit, root) for hit in (results.hits if results else [])))
    facets = []
    if results:
        for name in FACETS:
            if name == "month" and not filters.year:
                continue  # months are offered within a year, as Trove does
            labels = ({k: s["name"] for k, s in sites.items()} if name == "site" else
                      results.place_names if name == "place" else {})
            counts = (sorted(results.facets[name]) if name == "month"
                      else results.facets[name][:15])
            if counts:
                facets.append(facet_html(FACET_NAMES[name], counts, labels,
                                         getattr(filters, name),
                                         lambda v, name=name: _link(base, args, page="",
                                                                    **{name: v})))
    pages = -(-results.total // PER_PAGE) if results else 0
    return {
        "query": query, "filters": filters, "sort": sort, "sorts": SORTS, "page": page,
        "pages": pages, "results": results, "hits": hits, "facets": Markup("".join(facets)),
        "tier": TIER_WORDS.get(results.tier, "") if results else "",
        "sites": sites, "chart": Markup(month_chart(results.months)) if results else "",
        "prev_href": _link(base, args, page=str(page - 1)) if page > 1 else "",
        "next_href": _link(base, args, page=str(page + 1)) if page < pages else "",
        "json_href": _link(base + ".json", args, page=str(page)),
        "csv_href": _link(base + ".csv", args, page=str(page)),
        "feed_href": _link(str(datasette.urls.query(database, "search_feed")) + ".atom",
                           {"q": query, "site": filters.site}) if query else "",
        "clear_href": _link(base, {"q": query}),
        "by_story": bool(args["stories"]),
        "stories_href": _link(base, args, page="", stories="" if args["stories"] else "1"),
        "first": (page - 1) * PER_PAGE + 1, "database": database, "urls": datasette.urls,
    }


def place_links(datasette, named: list[dict], most: int = 5) -> list[dict]:
    """Links to the pages of today's units an article names, each titled with the name it
    used when that differs (`Xã Hùng Châu`, titled `xã Diễn Lâm`)."""
    return _place_links(str(datasette.urls.path("/")), named, most)


def _place_links(root: str, named: list[dict], most: int = 5) -> list[dict]:
    links, seen = [], set()
    for p in named:
        if p["now_code"] in seen:
            continue
        seen.add(p["now_code"])
        links.append({"href": f"{root}place/{p['now_code']}",
                      "name": p["name_now"],
                      "title": p["as_written"] if p["as_written"] != p["name_now"] else ""})
    return links[:most]


def hit_html(hit: dict, root: str) -> str:
    """One result of the list, escaped: headline, paper, province, date, section, snippet
    with its hits marked, places. One string here: as template pieces, the escaping and
    joining of twenty results took a third of the page's rendering (bench/publish.py)."""
    e = escape
    meta = [f'<a href="{root}paper/{e(hit["site"])}">{e(hit["paper"] or "")}</a>']
    meta += [e(v) for v in (hit["province"], date_vi(hit["published_at"]), hit["section"])
             if v]
    places = " · ".join(
        f'<a href="{e(p["href"])}"' + (f' title="{e(p["title"])}"' if p["title"] else "")
        + f'>{e(p["name"])}</a>' for p in _place_links(root, hit["places"]))
    return (f'  <li class="na-hit">\n    <h2><a href="{root}article/{hit["id"]}">'
            f'{e(hit["title"] or "(no headline)")}</a></h2>\n'
            f'    <div class="na-meta">{" · ".join(meta)}</div>\n'
            f'    <p class="na-snippet">{snippet_html(hit["snippet"])}</p>\n'
            + (f'    <div class="na-meta">Địa danh / places: {places}</div>\n' if places else "")
            + "  </li>\n")


def facet_html(name: str, counts: list[tuple[str, int]], labels: dict, chosen: str,
               link) -> str:
    """One facet: its values with their counts, each a link that adds the value to the
    search (`link(value)`), the chosen one a link that takes it away."""
    items = []
    for value, n in counts:
        label = escape(labels.get(value, value))
        if value == chosen:
            items.append(f'<li class="chosen"><a href="{escape(link(""))}" aria-current="true" '
                         f'title="remove this filter">✕ {label}</a> ({n})</li>')
        else:
            items.append(f'<li><a href="{escape(link(value))}">{label}</a> ({n})</li>')
    return f'  <h2>{escape(name)}</h2>\n  <ul>{"".join(items)}</ul>\n'


def _as_data(fmt: str, query: str, page: int, results) -> Response:
    fields = ("id", "title", "site", "paper", "province", "section", "published_at", "url",
              "rank")
    hits = [{**{f: h.get(f) for f in fields},
             "places": "; ".join(dict.fromkeys(p["name_now"] for p in h["places"])),
             "snippet": h["snippet"].replace("\x02", "").replace("\x03", "")}
            for h in (results.hits if results else [])]
    if fmt == ".csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, [*fields, "places", "snippet"])
        writer.writeheader()
        writer.writerows(hits)
        return Response(out.getvalue(), content_type="text/csv; charset=utf-8")
    data = {"q": query, "page": page, "per_page": PER_PAGE,
            "tier": results.tier if results else None,
            "total": results.total if results else 0,
            "capped": results.capped if results else False, "hits": hits,
            "facets": {k: dict(v) for k, v in results.facets.items()} if results else {},
            "months": dict(results.months) if results else {}}
    return Response(json.dumps(data, ensure_ascii=False), content_type="application/json")
