"""The Datasette plugin: search functions, readable article pages, a chart, safe cells.

Installed with the package (entry point `datasette`), so `newsarchive serve` and a plain
`datasette archive.db` both get it.
"""

from __future__ import annotations

import html
import json

import nh3
from datasette import hookimpl
from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup

from ..archive.db import register_functions
from ..ground.controls import web_url
from ..ground.dates import parse_date, vietnamese
from ..ground.fold import fts_query, highlight, mentions_all
from ..ground.safehtml import sanitise

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf")


def na_fts(query: str | None, mode: str = "all") -> str:
    """MATCH expression for a typed query, folded: `phrase` or `pairs` (over
    articles_pairs) or `all` (over articles_fts); see `archive.search`. A query or mode
    that does not apply matches nothing, without an error."""
    return fts_query(query or "", mode) or '""'


def na_has_all(text: str | None, query: str | None) -> bool:
    """Does the text have every word of the query (folded)?"""
    return bool(query) and mentions_all(text or "", query)


def na_snippet(text: str | None, query: str | None) -> str:
    """HTML snippet with the hits in <mark>, everything else escaped."""
    marked = highlight(text or "", query or "", "\x02", "\x03", width=220)
    return html.escape(marked).replace("\x02", "<mark>").replace("\x03", "</mark>")


@hookimpl
def prepare_connection(conn):
    conn.create_function("na_fts", 2, na_fts, deterministic=True)
    conn.create_function("na_snippet", 2, na_snippet, deterministic=True)
    conn.create_function("na_has_all", 2, na_has_all, deterministic=True)
    register_functions(conn)


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
    """The archive: `?db=NAME`, else the first file database."""
    name = request.args.get("db")
    if name:
        return datasette.get_database(name)
    for db in datasette.databases.values():
        if not db.is_memory:
            return db
    raise NotFound("no archive database")


async def article_page(datasette, request):
    db = _database(datasette, request)
    article_id = int(request.url_vars["id"])
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
    body = sanitise(article.get("body_html") or "")  # stored HTML is cleaned again
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
    }
    return Response.html(await datasette.render_template("article.html", context,
                                                         request=request))


def _svg(rows: list[tuple[str, str, int]], width: int = 900, height: int = 320) -> str:
    """A line per site over days: no JavaScript, no CDN; readable offline."""
    if not rows:
        return "<p>No dated articles yet.</p>"
    days = sorted({d for d, _, _ in rows})
    sites = sorted({s for _, s, _ in rows})
    counts = {(d, s): n for d, s, n in rows}
    top = max(n for _, _, n in rows)
    left, bottom, plot_w, plot_h = 40, 30, width - 200, height - 50

    def x(i: int) -> float:
        return left + (plot_w * i / max(1, len(days) - 1))

    def y(n: int) -> float:
        return 10 + plot_h - plot_h * n / top

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'role="img" aria-label="Articles per day per site">',
             f'<line x1="{left}" y1="{10 + plot_h}" x2="{left + plot_w}" y2="{10 + plot_h}" '
             'stroke="#999"/>',
             f'<text x="4" y="16" font-size="11">{top}</text>',
             f'<text x="4" y="{10 + plot_h}" font-size="11">0</text>',
             f'<text x="{left}" y="{height - bottom + 24}" font-size="11">'
             f'{html.escape(days[0])}</text>',
             f'<text x="{left + plot_w - 60}" y="{height - bottom + 24}" font-size="11">'
             f'{html.escape(days[-1])}</text>']
    for k, site in enumerate(sites):
        color = PALETTE[k % len(PALETTE)]
        points = " ".join(f"{x(i):.1f},{y(counts.get((d, site), 0)):.1f}"
                          for i, d in enumerate(days))
        parts.append(f'<polyline fill="none" stroke="{color}" stroke-width="2" '
                     f'points="{points}"><title>{html.escape(site)}</title></polyline>')
        parts.append(f'<rect x="{left + plot_w + 20}" y="{14 + 16 * k}" width="10" height="10" '
                     f'fill="{color}"/><text x="{left + plot_w + 36}" y="{23 + 16 * k}" '
                     f'font-size="12">{html.escape(site)}</text>')
    parts.append("</svg>")
    return "".join(parts)


async def chart_page(datasette, request):
    db = _database(datasette, request)
    days = min(int(request.args.get("days") or 60), 3650)
    rows = (await db.execute(
        "SELECT substr(published_at, 1, 10) AS day, site, count(*) FROM articles "
        "WHERE published_at IS NOT NULL AND substr(published_at, 1, 10) IN ("
        "  SELECT DISTINCT substr(published_at, 1, 10) FROM articles "
        "  WHERE published_at IS NOT NULL ORDER BY 1 DESC LIMIT ?) "
        "GROUP BY day, site", [days])).rows
    svg = _svg([(r[0], r[1], r[2]) for r in rows])
    if request.args.get("format") == "svg":
        return Response(svg, content_type="image/svg+xml")
    context = {"svg": Markup(svg), "days": days, "database": db.name,
               "metadata": datasette.metadata()}
    return Response.html(await datasette.render_template("chart.html", context,
                                                         request=request))


@hookimpl
def extra_template_vars():
    """Our own pages (article, chart) get the version Datasette's footer names."""
    from datasette.version import __version__

    return {"datasette_version": __version__}


@hookimpl
def register_routes():
    return [
        (r"^/article/(?P<id>\d+)$", article_page),
        (r"^/-/newsarchive/chart$", chart_page),
    ]
