"""Two fixes around Datasette's output: empty Atom feeds, and `lang="vi"` on every page."""

from __future__ import annotations

import functools
from datetime import UTC, datetime

from datasette.utils.asgi import Response
from feedgen.feed import FeedGenerator


def never_empty(render):
    """Wrap datasette-atom's renderer: with no rows, answer an Atom feed with no entries."""
    @functools.wraps(render)
    def wrapped(datasette, request, sql, columns, rows, database, table, query_name,
                view_name, data):
        if rows:
            return render(datasette, request, sql, columns, rows, database, table,
                          query_name, view_name, data)
        title = table or query_name or database
        if query_name:
            queries = (datasette.metadata(database=database) or {}).get("queries") or {}
            title = (queries.get(query_name) or {}).get("title") or title
        feed = FeedGenerator()
        feed.id(request.url)
        feed.link(href=request.url, rel="self")
        feed.title(title)
        feed.updated(datetime.now(UTC))
        return Response(feed.atom_str(pretty=True), status=200,
                        content_type="application/xml; charset=utf-8")
    return wrapped


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
