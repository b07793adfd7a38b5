"""Browsing for readers: the home page (papers, newest articles, articles per day), a
page per paper (coverage, sections, latest articles, crawls, feed) and a page per place
(its articles over time, under today's name and the names of the time)."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup

from ..archive import places
from ..ground.collation import collation_key
from ..ground.outcomes import Reason, RunStatus
from .charts import daily_svg, month_chart, periods
from .feeds import ARCHIVE
from .pages import archive_db, date_vi, limited, render_page, whole

PLACE_PAGE = 50
LEVELS = {"province": "Tỉnh, thành phố / province",
          "district": "Huyện, quận, thị xã, thành phố (trước 2025) / district (before 2025)",
          "commune": "Xã, phường, thị trấn, đặc khu / commune"}
PER = {"month": "Bài theo tháng / articles per month", "year": "Bài theo năm / articles per year"}

PAPERS_SQL = """
SELECT s.id, s.name, s.province, s.home, count(a.id) AS articles,
  min(substr(a.published_at, 1, 10)) AS first_day, max(substr(a.published_at, 1, 10)) AS last_day,
  (SELECT max(started_at) FROM crawl_runs r WHERE r.site = s.id AND r.status != :failed)
    AS last_crawl
FROM sites s LEFT JOIN articles a ON a.site = s.id
GROUP BY s.id
"""
NEWEST_SQL = """
SELECT a.id, a.title, a.site, coalesce(s.name, a.site) AS paper, a.section, a.published_at
FROM articles a LEFT JOIN sites s ON s.id = a.site {where}
ORDER BY a.published_utc DESC LIMIT ?
"""


# A crawl's error reasons as a reader reads them (the keys of `crawl_runs.errors`).
REASON_WORDS = {
    Reason.DNS: "host name not found", Reason.REFUSED: "connection refused",
    Reason.TIMEOUT: "timed out", Reason.TLS: "no secure connection",
    Reason.CONNECT: "could not connect", Reason.HTTP: "HTTP error",
    Reason.TOO_LARGE: "too large", Reason.ROBOTS: "forbidden by robots.txt",
    Reason.BUDGET: "past the budget", Reason.OUT_OF_SCOPE: "off the paper's site",
    Reason.PRIVATE_ADDRESS: "private address", Reason.REPEATED: "already fetched",
    Reason.SITEMAP_LOOP: "sitemap loop", Reason.SITEMAP_TOO_DEEP: "sitemap too deep",
    Reason.NOT_CAPTURED: "not in the capture", Reason.ERROR: "other error",
}


def plural(n: int, word: str, words: str | None = None) -> str:
    """`1 dated article`, `2 dated articles`."""
    return f"{n:,} {word if n == 1 else words or word + 's'}"


def errors_in_words(errors: str | None) -> str:
    """`{"not-captured": 19, "article-http-404": 2}` -> `19 pages not in the capture,
    2 articles: HTTP error 404`; text that is no such JSON is shown as it is."""
    try:
        counts = json.loads(errors or "{}")
        items = sorted(counts.items(), key=lambda kv: (-int(kv[1]), kv[0]))
    except (ValueError, TypeError, AttributeError):
        return errors or ""
    out = []
    for key, n in items:
        kind, _, rest = key.partition("-") if key.startswith(("discovery-", "article-")) \
            else ("", "", key)
        reason = next((r for r in sorted(Reason, key=lambda r: -len(r.value))
                       if rest == r.value or rest.startswith(r.value + "-")), None)
        detail = rest[len(reason.value) + 1:] if reason else ""
        words = (REASON_WORDS[reason] if reason else rest) + (f" {detail}" if detail else "")
        out.append(f"{plural(int(n), 'article' if kind == 'article' else 'page')}: {words}")
    return ", ".join(out)


def _papers_order(paper: dict) -> tuple:
    """Papers with articles first, provincial before national, then provinces and names
    in Vietnamese alphabetical order."""
    return (paper["articles"] == 0, paper["province"] is None,
            collation_key(paper["province"]), collation_key(paper["name"]))


def _newest(datasette, rows) -> list[dict]:
    return [{**dict(r), "date_vi": date_vi(r["published_at"]),
             "href": datasette.urls.path(f"/article/{r['id']}")} for r in rows]


async def home_page(datasette, request):
    db = archive_db(datasette)
    papers = sorted((dict(r) for r in (await db.execute(
        PAPERS_SQL, {"failed": RunStatus.FAILED.value})).rows), key=_papers_order)
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
        "runs": [{**dict(r), "errors": errors_in_words(r["errors"])} for r in runs],
        "newest": _newest(datasette, newest),
        "dated": plural(sum(n for _, n in months), "dated article"), "database": db.name,
        "feed_href": datasette.urls.table(db.name, "articles_feed") + ".atom?"
        + urlencode({"site": site, "_feed_title": f"{row['name']} — {ARCHIVE}"}),
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
