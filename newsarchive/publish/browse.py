"""Browsing for readers: the home page (papers, newest articles, articles per day), a
page per paper (coverage, sections, latest articles, crawls, feed) and a page per place
(its articles over time, under today's name and the names of the time)."""

from __future__ import annotations

from urllib.parse import urlencode

from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup

from ..archive import places
from .charts import daily_svg, periods
from .reader import archive_db, date_vi, limited, month_chart, render_page, whole

PLACE_PAGE = 50
LEVELS = {"province": "Tỉnh, thành phố / province",
          "district": "Huyện, quận, thị xã, thành phố (trước 2025) / district (before 2025)",
          "commune": "Xã, phường, thị trấn, đặc khu / commune"}
PER = {"month": "Bài theo tháng / articles per month", "year": "Bài theo năm / articles per year"}

PAPERS_SQL = """
SELECT s.id, s.name, s.province, s.home, count(a.id) AS articles,
  min(substr(a.published_at, 1, 10)) AS first_day, max(substr(a.published_at, 1, 10)) AS last_day,
  (SELECT max(started_at) FROM crawl_runs r WHERE r.site = s.id AND r.status <> 'failed')
    AS last_crawl, EXISTS (SELECT 1 FROM crawl_runs r WHERE r.site = s.id) AS crawled
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
    return Response.html(await render_page(datasette, request, "home.html", context))


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
        "SELECT started_at, finished_at, status, discovered, new, changed, unchanged, failed, "
        "errors "
        "FROM crawl_runs WHERE site = ? ORDER BY id DESC LIMIT 10", [site])).rows
    newest = (await db.execute(NEWEST_SQL.format(where="WHERE a.site = ?"), [site, 20])).rows
    gone = (await db.execute("SELECT count(*) FROM gone g JOIN articles a ON a.id = "
                             "g.article_id WHERE a.site = ?", [site])).first()[0]
    context = {
        "gone": gone, "gone_href": datasette.urls.table(db.name, "gone"),
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
    return Response.html(await render_page(datasette, request, "paper.html", context))


async def place_page(datasette, request):
    db = archive_db(datasette)
    code = request.url_vars["code"]
    if not places.CODE.fullmatch(code):
        raise NotFound(f"no place {code!r}: a unit's code looks like p34-40 or c34-17395")
    page = whole(request.args, "page")

    def read(conn):
        found = places.unit(conn, code)
        if found is None:
            return None
        total, months = places.timeline(conn, code)
        _, articles = places.articles_about(conn, code, PLACE_PAGE, (page - 1) * PLACE_PAGE,
                                            total)
        return (found, total, articles, months, places.formerly(conn, code),
                places.inside(conn, code))

    got = await limited(datasette, db, read)
    if got is None:
        raise NotFound(f"no article in this archive names the place {code}")
    unit, total, articles, months, former, within = got
    pages = max(1, -(-total // PLACE_PAGE))
    if page > pages:
        raise NotFound(f"page {page}: {unit['name']} has {pages} page(s) of articles")
    per, bars = periods(months)
    here = datasette.urls.path(f"/place/{code}")

    def link(item: dict) -> dict:
        return {**item, "href": datasette.urls.path(f"/place/{item['code']}")}

    context = {
        "unit": unit, "level": LEVELS.get(unit["level"], unit["level"]), "total": total,
        "months": months, "database": db.name,
        "chart": Markup(month_chart(bars, label=PER[per])), "per": PER[per],
        "now_href": datasette.urls.path(f"/place/{unit['now_code']}")
        if unit["former"] and unit["now_code"] else "",
        "articles": [{**a, "date_vi": date_vi(a["published_at"]),
                      "href": datasette.urls.path(f"/article/{a['id']}")} for a in articles],
        "former": [link(f) for f in former], "within": [link(w) for w in within],
        "page": page, "pages": pages,
        "prev_href": f"{here}?page={page - 1}" if page > 1 else "",
        "next_href": f"{here}?page={page + 1}" if page < pages else "",
        "search_href": datasette.urls.path("/search") + "?" + urlencode({"place": code}),
        "data_href": datasette.urls.query(db.name, "place") + "?" + urlencode({"code": code}),
    }
    return Response.html(await render_page(datasette, request, "place.html", context))
