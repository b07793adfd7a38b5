"""Browsing for readers: the home page (papers, newest articles, articles per day) and a
page per paper (coverage, sections, latest articles, crawls, feed)."""

from __future__ import annotations

from urllib.parse import urlencode

from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup

from .charts import daily_svg
from .reader import archive_db, date_vi, month_chart

PAPERS_SQL = """
SELECT s.id, s.name, s.province, s.home, count(a.id) AS articles,
  min(substr(a.published_at, 1, 10)) AS first_day, max(substr(a.published_at, 1, 10)) AS last_day,
  (SELECT max(started_at) FROM crawl_runs r WHERE r.site = s.id) AS last_crawl
FROM sites s LEFT JOIN articles a ON a.site = s.id
GROUP BY s.id ORDER BY articles = 0, s.province IS NULL, s.province, s.name
"""
NEWEST_SQL = """
SELECT a.id, a.title, a.site, coalesce(s.name, a.site) AS paper, a.section, a.published_at
FROM articles a LEFT JOIN sites s ON s.id = a.site {where}
ORDER BY a.published_utc DESC LIMIT ?
"""


def _newest(datasette, rows) -> list[dict]:
    return [{**dict(r), "date_vi": date_vi(r["published_at"]),
             "href": datasette.urls.path(f"/article/{r['id']}")} for r in rows]


async def home_page(datasette, request):
    db = archive_db(datasette)
    papers = [dict(r) for r in (await db.execute(PAPERS_SQL)).rows]
    for paper in papers:
        paper["href"] = datasette.urls.path(f"/paper/{paper['id']}")
    newest = (await db.execute(NEWEST_SQL.format(where=""), [10])).rows
    context = {
        "provincial": [p for p in papers if p["province"]],
        "national": [p for p in papers if not p["province"]],
        "total": sum(p["articles"] for p in papers),
        "newest": _newest(datasette, newest), "database": db.name,
        "chart": Markup(await daily_svg(db, 30)),
    }
    return Response.html(await datasette.render_template("home.html", context,
                                                         request=request))


async def paper_page(datasette, request):
    db = archive_db(datasette)
    site = request.url_vars["site"]
    row = (await db.execute("SELECT * FROM sites WHERE id = ?", [site])).first()
    if row is None:
        raise NotFound(f"no paper {site!r} in this archive")
    months = [(r[0], r[1]) for r in (await db.execute(
        "SELECT substr(published_at, 1, 7) AS month, count(*) FROM articles "
        "WHERE site = ? AND published_at IS NOT NULL GROUP BY month ORDER BY month",
        [site])).rows]
    sections = (await db.execute(
        "SELECT section, count(*) AS n FROM articles WHERE site = ? AND section IS NOT NULL "
        "GROUP BY section ORDER BY n DESC LIMIT 30", [site])).rows
    runs = (await db.execute(
        "SELECT started_at, finished_at, discovered, new, changed, unchanged, failed, errors "
        "FROM crawl_runs WHERE site = ? ORDER BY id DESC LIMIT 10", [site])).rows
    newest = (await db.execute(NEWEST_SQL.format(where="WHERE a.site = ?"), [site, 20])).rows
    context = {
        "paper": dict(row), "months": months, "chart": Markup(month_chart(months)),
        "sections": [{"name": s["section"], "n": s["n"],
                      "href": datasette.urls.table(db.name, "articles") + "?"
                      + urlencode({"site": site, "section": s["section"]})}
                     for s in sections],
        "runs": [dict(r) for r in runs], "newest": _newest(datasette, newest),
        "total": sum(n for _, n in months), "database": db.name,
        "feed_href": datasette.urls.table(db.name, "articles_feed") + ".atom?"
        + urlencode({"site": site}),
        "search_action": datasette.urls.path("/search"),
    }
    return Response.html(await datasette.render_template("paper.html", context,
                                                         request=request))
