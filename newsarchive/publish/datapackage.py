"""Data for analysis: the articles of a scope (a query and the search's filters) as CSV
(`/export.csv?...`) or JSON Lines (`/export.jsonl?...`), streamed a thousand articles at
a time, and `/export/datapackage.json?...`, a Frictionless data package describing both:
each field, the query and filters, the archive's version and the date. A year of a
province goes to R or pandas in one download:
`pandas.read_csv(".../export.csv?province=Nghệ+An&since=2025-01-01&until=2025-12-31")`."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from urllib.parse import urlencode

import sqlite_utils
from datasette.utils.asgi import AsgiStream, BadRequest, Response

from .. import __version__
from ..archive.migrations import version as schema_version
from ..archive.search import Filters
from ..archive.trends import in_scope
from .pages import archive_db, limited
from .scope import search_scope, site_rows

CHUNK = 1000
SCOPE = ("site", "province", "place", "section", "year", "month", "since", "until")
# (name, Table Schema type, description): one row per article, in this order.
FIELDS = (
    ("id", "integer", "The article's number in this archive (its page: /article/{id})."),
    ("url", "string", "The article's canonical address on the paper's site."),
    ("site", "string", "The paper's identifier in this archive (its page: /paper/{site})."),
    ("paper", "string", "The paper's name."),
    ("province", "string", "The province the paper belongs to; empty for a national paper."),
    ("section", "string", "The paper's section (chuyên mục) the article was filed in."),
    ("published_at", "datetime", "When the paper says it published the article, ISO 8601 "
     "with its offset (Vietnam time, +07:00); empty when the page gave no date."),
    ("title", "string", "The headline."),
    ("sapo", "string", "The lead paragraph (sapo), without the outlet tag."),
    ("body_text", "string", "The article's text, one paragraph per line, without captions, "
     "bylines or related links."),
    ("authors", "array", "The authors, a JSON array of names."),
    ("tags", "array", "The paper's own tags, a JSON array."),
    ("source", "string", "The original outlet of a republished article (`Theo TTXVN`)."),
    ("first_seen", "datetime", "When the archive first fetched the article (UTC)."),
    ("last_changed", "datetime", "When the archive last saw its text change (UTC)."),
    ("version_count", "integer", "How many versions of the text the archive holds: above "
     "1, the paper edited it after publication."),
)
NAMES = tuple(name for name, _, _ in FIELDS)
SELECT = ("SELECT a.id, a.url, a.site, coalesce(s.name, a.site), s.province, a.section, "
          "a.published_at, a.title, a.sapo, a.body_text, a.authors, a.tags, a.source, "
          "a.first_seen, a.last_changed, a.version_count FROM articles a "
          "LEFT JOIN sites s ON s.id = a.site WHERE a.id IN (SELECT value FROM json_each(?)) "
          "ORDER BY a.id")
FORMATS = {"csv": "text/csv; charset=utf-8", "jsonl": "application/jsonl; charset=utf-8"}


def _scope_args(query: str, scope: Filters) -> list[tuple[str, str]]:
    return ([("q", query)] if query else []) + [(k, getattr(scope, k)) for k in SCOPE
                                                  if getattr(scope, k)]


def _read(request, conn) -> tuple[str, Filters]:
    query, scope, _, _ = search_scope(request, site_rows(conn))  # the search's own checks
    return query, scope


def lines(rows: list[tuple], fmt: str, header: bool) -> str:
    """The rows as CSV (with the header row first when `header`) or as JSON Lines."""
    if fmt == "jsonl":
        out = []
        for row in rows:
            record = dict(zip(NAMES, row, strict=True))
            for name in ("authors", "tags"):
                record[name] = json.loads(record[name] or "[]")
            out.append(json.dumps(record, ensure_ascii=False) + "\n")
        return "".join(out)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if header:
        writer.writerow(NAMES)
    writer.writerows(rows)
    return buffer.getvalue()


async def export_page(datasette, request):
    """`/export.csv` and `/export.jsonl`: every article of the scope, oldest id first."""
    db = archive_db(datasette)
    fmt = request.url_vars["format"]

    def select(conn) -> list[int]:
        query, scope = _read(request, conn)
        try:
            sql, params = in_scope(sqlite_utils.Database(conn), query, scope)
        except ValueError as exc:  # only `-words`
            raise BadRequest(str(exc)) from None
        return [r[0] for r in conn.execute(sql + " ORDER BY a.id", params)]

    ids = await limited(datasette, db, select)  # numbers only: the texts are streamed

    async def stream(response):
        if fmt == "csv":
            await response.write(lines([], fmt, header=True))
        for start in range(0, len(ids), CHUNK):
            chunk = json.dumps(ids[start:start + CHUNK])
            rows = await limited(datasette, db,
                                 lambda conn, c=chunk: conn.execute(SELECT, [c]).fetchall())
            await response.write(lines([tuple(r) for r in rows], fmt, header=False))

    return AsgiStream(stream, content_type=FORMATS[fmt], headers={
        "content-disposition": f'attachment; filename="newsarchive-export.{fmt}"'})


async def datapackage_page(datasette, request):
    """`/export/datapackage.json`: the Frictionless descriptor of the scope's export."""
    db = archive_db(datasette)

    def describe(conn):
        query, scope = _read(request, conn)
        return query, scope, schema_version(sqlite_utils.Database(conn))

    query, scope, schema = await limited(datasette, db, describe)
    args = urlencode(_scope_args(query, scope))
    base = datasette.absolute_url(request, str(datasette.urls.path("/export")))
    fields = [{"name": n, "type": t, "description": d, **({"format": "any"}
                                                          if t == "datetime" else {})}
              for n, t, d in FIELDS]
    schema_ = {"fields": fields, "primaryKey": "id"}
    package = {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": "newsarchive-export",
        "title": "Articles of Vietnam's provincial press"
        + (f" matching {query!r}" if query else ""),
        "description": "One row per archived article of the scope below, matched as the "
        "archive's search matches (diacritics folded; OR, -word). Counts of a scope's "
        "articles reflect what was crawled, not everything a paper printed.",
        "created": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "version": __version__,
        "newsarchive": {"query": query, "filters": dict(_scope_args("", scope)),
                        "package_version": __version__, "schema_version": schema},
        "resources": [
            {"name": "articles-csv", "path": f"{base}.csv" + (f"?{args}" if args else ""),
             "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
             "schema": schema_},
            {"name": "articles-jsonl", "path": f"{base}.jsonl" + (f"?{args}" if args else ""),
             "format": "jsonl", "mediatype": "application/jsonl", "encoding": "utf-8",
             "schema": schema_},
        ],
    }
    return Response(json.dumps(package, ensure_ascii=False, indent=2),
                    content_type="application/json")
