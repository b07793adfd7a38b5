"""Two fixes around Datasette's output: Atom feeds that always answer, and `lang="vi"` on
every page."""

from __future__ import annotations

import functools
import logging
from datetime import UTC, datetime
from urllib.parse import urlencode

from datasette.utils.asgi import Request, Response
from feedgen.feed import FeedGenerator

from ..ground.controls import clean_text, web_url

log = logging.getLogger(__name__)

# Feeds of articles: their `id` column is the article's, so an entry whose paper URL is
# no web link links to the archived copy instead.
ARTICLE_FEEDS = frozenset({"articles_feed", "search_feed"})
ARCHIVE = "Kho lưu trữ báo địa phương"  # the archive's name, in every feed's title
# what feedgen and lxml raise on one value they cannot write (a date that is none, a
# character XML refuses, a missing value)
UNWRITABLE = (ValueError, TypeError, KeyError, AttributeError)


def safe_feed(render):
    """Wrap datasette-atom's renderer so that a feed always answers 200 with what it can
    write: its text through `clean_text` (an old archive may hold U+FFFF or a control
    character, a query string anything), links http(s) only, an entry that still cannot
    be written left out and logged, and no entries an empty feed (datasette-atom fails
    on none). Its title is `feed_title`'s, never the SQL behind it."""
    @functools.wraps(render)
    def wrapped(datasette, request, sql, columns, rows, database, table, query_name,
                view_name, data):
        title = feed_title(datasette, request, database, table, query_name, data)
        request = _clean_request(request, title)
        # with no table nor query name, datasette-atom titles the feed `_feed_title` alone
        data = {k: v for k, v in data.items() if k != "human_description_en"}
        entries = [e for row in rows if (e := _entry(datasette, request, dict(row),
                                                     table or query_name)) is not None]
        table = query_name = None

        def write(some: list[dict]):
            return render(datasette, request, clean_text(sql or ""), columns, some, database,
                          table, query_name, view_name, data)

        def writable(some: list[dict]) -> list[dict]:
            """The entries of `some` that can be written: halves are tried until each
            one that fails is alone (a few writes for a few bad entries among 1,000)."""
            if not some:
                return []
            try:
                write(some)
                return some
            except UNWRITABLE as exc:
                if len(some) == 1:
                    log.warning("%s: entry %s left out of the feed: %s", request.path,
                                some[0].get("atom_id"), exc)
                    return []
            half = len(some) // 2
            return writable(some[:half]) + writable(some[half:])

        if not entries:
            return _empty(request, title)
        try:
            return write(entries)
        except UNWRITABLE:
            half = len(entries) // 2
            kept = writable(entries[:half]) + writable(entries[half:])
        return write(kept) if kept else _empty(request, title)
    return wrapped


def feed_title(datasette, request: Request, database: str, table: str | None,
               query_name: str | None, data: dict) -> str:
    """What a reader sees a feed called: `_feed_title` when the link gives one (the
    paper page's gives the paper's name), a search's query, else the archive's name with
    the table's or query's title and its filters in words."""
    given = (request.args.get("_feed_title") or "").strip()
    if given:
        return given
    if query_name == "search_feed":
        site = (request.args.get("site") or "").strip()
        return (f"Tìm / Search: {(request.args.get('q') or '').strip()}"
                + (f" ({site})" if site else "") + f" — {ARCHIVE}")
    name = table or ""
    if query_name:
        queries = (datasette.metadata(database=database) or {}).get("queries") or {}
        name = (queries.get(query_name) or {}).get("title") or query_name
    described = data.get("human_description_en") or ""
    return " — ".join(part for part in (ARCHIVE, name if name != "articles_feed" else "",
                                        described) if part)


def _clean_request(request: Request, title: str) -> Request:
    """`request` with `_feed_title` set to `title` and a query string whose values XML
    can carry (datasette-atom writes `_feed_title` and the URL into the feed)."""
    pairs = [(k, v) for k in request.args for v in request.args.getlist(k)
             if k != "_feed_title"] + [("_feed_title", title)]
    cleaned = [(clean_text(k), clean_text(v)) for k, v in pairs]
    return Request({**request.scope, "query_string": urlencode(cleaned).encode("ascii")},
                   request.receive)


def _entry(datasette, request, row: dict, name: str | None) -> dict | None:
    """One row with its text cleaned and its link a web link (or the archived copy, or
    nothing: then None, the entry is left out)."""
    row = {k: clean_text(v) if isinstance(v, str) else v for k, v in row.items()}
    if "atom_link" not in row or web_url(row["atom_link"]):
        return row
    if name in ARTICLE_FEEDS and isinstance(row.get("id"), int):
        path = datasette.urls.path(f"/article/{row['id']}")
        return {**row, "atom_link": datasette.absolute_url(request, path)}
    log.warning("%s: entry %s left out of the feed: its link %r is no http(s) URL",
                request.path, row.get("atom_id"), row["atom_link"])
    return None


def _empty(request: Request, title: str) -> Response:
    """An Atom feed with no entries."""
    feed = FeedGenerator()
    feed.id(request.url)
    feed.link(href=request.url, rel="self")
    feed.title(clean_text(title))
    feed.updated(datetime.now(UTC))
    return Response(feed.atom_str(pretty=True), status=200,
                    content_type="application/xml; charset=utf-8")


def vietnamese_pages(app):
    """Every HTML page says it is Vietnamese (`<html lang="vi">`): Datasette's base
    template writes a bare `<html>`. The length header is corrected to match."""
    async def wrapped(scope, receive, send):
        if scope["type"] != "http":
            return await app(scope, receive, send)
        start = None

        async def patched(message):
            nonlocal start
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers") or [])
                if headers.get(b"content-type", b"").startswith(b"text/html"):
                    start = message  # held until the first body chunk is seen
                    return
                return await send(message)
            if message["type"] == "http.response.body" and start is not None:
                body = message.get("body", b"")
                if b"<html>" in body[:400]:
                    body = body.replace(b"<html>", b'<html lang="vi">', 1)
                    headers = [(k, str(int(v) + 11).encode()) if k == b"content-length"
                               else (k, v) for k, v in start.get("headers") or []]
                    start = {**start, "headers": headers}
                    message = {**message, "body": body}
                await send(start)
                start = None
            return await send(message)
        return await app(scope, receive, patched)
    return wrapped
