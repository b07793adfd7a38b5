"""The Datasette plugin: search functions, readable article pages, a chart, safe cells.

Installed with the package (entry point `datasette`), so `newsarchive serve` and a plain
`datasette archive.db` both get it.
"""

from __future__ import annotations

import html
import json
import logging
import sqlite3

import nh3
from datasette import hookimpl
from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup

from ..archive import places
from ..archive.gone import MOVED, Gone
from ..ground.controls import web_url
from ..ground.dates import parse_date, vietnamese
from ..ground.fold import MAX_QUERY, fts_query, highlight, mentions_all, pairs
from ..ground.safehtml import sanitise
from . import (
    browse,
    budget,
    calendar,
    databases,
    datapackage,
    feeds,
    pages,
    search_page,
    stories,
    trends,
    words,
)
from .charts import daily_svg

log = logging.getLogger(__name__)

# The functions below run inside SQLite, where Datasette's time limit is checked between
# steps, not during a call: each call's cost is bounded by refusing queries longer than
# MAX_QUERY (they match nothing) and reading at most MAX_TEXT characters of a text (a
# snippet: MAX_SNIPPET_TEXT, its cost grows with the words times the text). Arbitrary
# SQL, where a text could be built to any length, is off unless `serve --allow-sql`.
MAX_TEXT = 1_000_000       # far above any article; na_has_all and na_pairs: < 0.1 s
MAX_SNIPPET_TEXT = 100_000  # a snippet shows the first hit: < 0.3 s at MAX_QUERY


def _bounded(query: str | None) -> str:
    return query if query and len(query) <= MAX_QUERY else ""


def na_fts(query: str | None, mode: str = "all") -> str:
    """MATCH expression for a typed query, folded: `phrase` or `pairs` (over
    articles_pairs) or `all` (over articles_fts); see `archive.search`. A query or mode
    that does not apply matches nothing, without an error."""
    return fts_query(_bounded(query), mode) or '""'


def na_has_all(text: str | None, query: str | None) -> bool:
    """Does the text (its first MAX_TEXT characters) have every word of the query?"""
    query = _bounded(query)
    return bool(query) and mentions_all((text or "")[:MAX_TEXT], query)


def na_snippet(text: str | None, query: str | None) -> str:
    """HTML snippet with the hits in <mark>, everything else escaped; hits are looked for
    in the first MAX_SNIPPET_TEXT characters."""
    text = (text or "")[:MAX_SNIPPET_TEXT]
    return str(pages.snippet_html(highlight(text, _bounded(query), "\x02", "\x03",
                                             width=220)))


def na_pairs(text: str | None) -> str:
    """The archive's `na_pairs` (for its search triggers), bounded for readers: Datasette
    never writes, so a text past MAX_TEXT is only someone's attempt to keep it busy."""
    return pairs(text) if text is None or len(text) <= MAX_TEXT else ""


PRIVATE_TABLES = ("pages",)  # whole responses with their headers (cookies included)


def _private_reads(action, table, column, db_name, trigger):
    """SQLite authorizer: the private tables' columns read as NULL, whatever the SQL
    (Datasette's table `allow` does not reach `?sql=`)."""
    if action == sqlite3.SQLITE_READ and table in PRIVATE_TABLES:
        return sqlite3.SQLITE_IGNORE
    return sqlite3.SQLITE_OK


@hookimpl
def prepare_connection(conn, datasette):
    conn.create_function("na_fts", 2, na_fts, deterministic=True)
    conn.create_function("na_snippet", 2, na_snippet, deterministic=True)
    conn.create_function("na_has_all", 2, na_has_all, deterministic=True)
    conn.create_function("na_pairs", 1, na_pairs, deterministic=True)
    if not (datasette.plugin_config("newsarchive") or {}).get("public_pages"):
        conn.set_authorizer(_private_reads)


# Datasette's own parameter errors that it raises with the default status, 500.
BAD_PARAMETER = ("Cannot sort table by ", "Cannot use _sort and _sort_desc")


@hookimpl
def handle_exception(datasette, request, exception):
    """A bad `?_sort=`, or a number in other digits than 0-9 (`?_facet_size=²`, which
    Datasette's table view reads with `int()`), is the visitor's mistake: 400 with a
    message, not 500. A request stopped at its time budget (budget.py) is a 400 that
    says so."""
    # imported here: at import time these modules would re-enter Datasette's plugin
    # loading, and `datasette serve` would start without our hooks
    from datasette.handle_exception import handle_exception as datasette_handles
    from datasette.views.base import DatasetteError

    spent = budget.current()
    if spent is not None and spent.expired and budget.interrupted(exception):
        log.warning("%s stopped at its time budget (%g s)", request.full_path, spent.seconds)
        return datasette_handles(datasette, request,
                                 DatasetteError(budget.refusal(spent), status=400))
    if (isinstance(exception, DatasetteError) and exception.status == 500
            and str(exception.message).startswith(BAD_PARAMETER)):
        return datasette_handles(datasette, request,
                                 DatasetteError(exception.message, status=400))
    if isinstance(exception, ValueError) and (name := pages.unreadable_number(request.args)):
        return datasette_handles(datasette, request, DatasetteError(
            f"{name}: a number is written in digits 0-9", status=400))
    return None


@hookimpl
def render_cell(value, column, datasette):
    """Snippets are our own escaped HTML; only <mark> survives a second cleaning."""
    if column == "snippet_html" and isinstance(value, str):
        return Markup(nh3.clean(value, tags={"mark"}, attributes={}))
    if column == "article" and isinstance(value, int):
        href = html.escape(datasette.urls.path(f"/article/{value}"))
        return Markup(f'<a href="{href}">Đọc bài {value}</a>')
    return None


def _database(datasette, request):
    """The archive: `?db=NAME`, else the first file database (`pages.archive_db`)."""
    name = request.args.get("db")
    if name:
        if name not in datasette.databases:
            raise NotFound(f"no database {name!r}: leave out ?db= to read the archive")
        return datasette.get_database(name)
    return pages.archive_db(datasette)


MAX_ROWID = 2**63 - 1  # SQLite's largest integer: a longer number is no article
MAX_DAYS = 3650


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def cite(article: dict, site_name: str, published, permalink: str) -> dict:
    """APA-style reference to the archived copy: authors, date, headline, paper, then the
    permalink with the version and the time this version was captured."""
    authors = ", ".join(json.loads(article.get("authors") or "[]"))
    when = (f"{published.year}, {MONTHS[published.month - 1]} {published.day}"
            if published else "n.d.")
    version = article.get("version_count") or 1
    captured = article.get("last_changed") or article.get("first_seen")
    text = (f"{authors + '. ' if authors else ''}({when}). {article.get('title') or ''}. "
            f"{site_name}. Archived copy, version {version}, captured {captured}: "
            f"{permalink} (original: {article['url']})")
    return {"text": text, "permalink": permalink, "version": version, "captured": captured}


def gone_mark(row: dict) -> dict:
    """The "no longer on the paper's site" mark: since when, and why."""
    since = parse_date(row["since"])[0]
    why = ("redirected to a page that is no article" if row["status"] == MOVED
           else f"the page answers HTTP {row['status']}")
    return {**row, "since_vi": vietnamese(since) if since else row["since"], "why": why}


async def article_page(datasette, request):
    db = _database(datasette, request)
    digits = request.url_vars["id"]  # ASCII digits (the route's `[0-9]+`)
    if len(digits) > len(str(MAX_ROWID)) or int(digits) > MAX_ROWID:
        raise NotFound(f"no article {digits[:20]}")
    article_id = int(digits)
    result = await db.execute("SELECT * FROM articles WHERE id = ?", [article_id])
    row = result.first()
    if row is None:
        raise NotFound(f"no article {article_id}")
    article = dict(row)
    if not web_url(article.get("url")):  # a link to the paper, never `javascript:`
        article["url"] = None
    versions = [dict(r) for r in (await db.execute(
        "SELECT version, seen_at, diff FROM article_versions WHERE article_id = ? "
        "ORDER BY version", [article_id])).rows]
    images = [dict(r) for r in (await db.execute(
        "SELECT url, caption FROM images WHERE article_id = ? ORDER BY position",
        [article_id])).rows if web_url(r["url"])]
    site = (await db.execute("SELECT name FROM sites WHERE id = ?", [article["site"]])).first()
    root = str(datasette.urls.path("/"))
    named, gone, story = await pages.limited(  # execute_fn alone has no time limit
        datasette, db, lambda conn: (places.of_articles(conn, [article_id]).get(article_id, []),
                                     Gone(conn).of(article_id),
                                     stories.story(conn, article_id, root)))
    body = sanitise(article.get("body_html") or "")  # stored HTML is cleaned again
    if not body.strip():  # e.g. imported with its text only: the paragraphs, escaped
        body = "".join(f"<p>{html.escape(line)}</p>"
                       for line in (article.get("body_text") or "").split("\n") if line.strip())
    published = parse_date(article.get("published_at"))[0]
    context = {
        "article": article,
        "database": db.name,
        "site_name": site[0] if site else article["site"],
        "authors": json.loads(article.get("authors") or "[]"),
        "tags": json.loads(article.get("tags") or "[]"),
        "date_vi": vietnamese(published) if published else "",
        "body_html": Markup(body),
        "extra_images": [] if "<img" in body else images,
        "versions": versions,
        "place_links": pages.place_links(datasette, named, most=20),
        "gone": gone_mark(gone) if gone else None,
        "story": story,
        "cite": cite(article, site[0] if site else article["site"], published,
                     datasette.absolute_url(request, datasette.urls.path(
                         f"/article/{article_id}"))),
    }
    return Response.html(await pages.render_page(datasette, request, "article.html", context))


async def chart_page(datasette, request):
    db = _database(datasette, request)
    days = pages.whole(request.args, "days", default=60, most=MAX_DAYS)
    svg = await daily_svg(db, days)
    if request.args.get("format") == "svg":
        return Response(svg, content_type="image/svg+xml")
    context = {"svg": Markup(svg), "days": days, "database": db.name,
               "metadata": datasette.metadata()}
    return Response.html(await pages.render_page(datasette, request, "chart.html", context))


@hookimpl
def extra_template_vars():
    """Our own pages (article, chart) get the version Datasette's footer names."""
    from datasette.version import __version__

    return {"datasette_version": __version__}


@hookimpl
def register_routes(datasette):
    return [
        (databases.ROUTE, databases.databases_view(datasette)),  # no absolute path shown
        (r"^/$", browse.home_page),
        (r"^/search(?P<format>\.json|\.csv)?$", search_page.search_page),
        (r"^/paper/(?P<site>[^/]+)$", browse.paper_page),
        (r"^/paper/(?P<site>[^/]+)/(?P<when>[^/]+)$", calendar.calendar_page),
        (r"^/trends(?P<format>\.json|\.csv)?$", trends.trends_page),
        (r"^/words(?P<format>\.json|\.csv)?$", words.words_page),
        (r"^/export\.(?P<format>csv|jsonl)$", datapackage.export_page),
        (r"^/export/datapackage\.json$", datapackage.datapackage_page),
        (r"^/place/(?P<code>[^/]+)$", browse.place_page),
        (r"^/article/(?P<id>[0-9]+)$", article_page),
        (r"^/-/newsarchive/chart$", chart_page),
    ]


@hookimpl
def startup(datasette):
    """Atom feeds answer whatever the rows hold (`feeds.safe_feed`); Datasette's own
    views get threads of their own (budget.py)."""
    if "atom" in datasette.renderers:
        render, can_render = datasette.renderers["atom"]
        datasette.renderers["atom"] = (feeds.safe_feed(render), can_render)
    budget.run_on_table_threads(datasette)  # tables and queries never starve our pages


@hookimpl
def asgi_wrapper(datasette):
    return lambda app: budget.limit_database_views(datasette, feeds.vietnamese_pages(app))
