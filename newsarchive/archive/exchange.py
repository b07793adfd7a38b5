"""Export: JSON Lines (articles with their whole history, lossless), CSV (one row per
article, for spreadsheets) and WARC (the raw pages, for pywb and other web archiving
tools). Import, of JSON Lines and of what `extract` prints, is in `imports.py`."""

from __future__ import annotations

import csv
import io
import json
import logging
from collections.abc import Iterator
from typing import IO, Any

from ..ground.article import Article
from ..ground.clock import parse_stamp
from .archive import Archive
from .compression import CorruptBody
from .imports import BadRecord, import_jsonl  # noqa: F401 - import lives there now
from .rows import from_row

log = logging.getLogger(__name__)

CSV_COLUMNS = ("id", "url", "site", "title", "sapo", "authors", "tags", "source",
               "published_at", "modified_at", "section", "language", "body_text",
               "first_seen", "last_seen", "last_changed", "version_count")


def _article(archive: Archive, row: dict[str, Any]) -> Article:
    images = archive.conn.execute(
        "SELECT url, caption FROM images WHERE article_id = ? ORDER BY position",
        (row["id"],)).fetchall()
    return from_row(row, images)


def iter_records(archive: Archive, site: str | None = None) -> Iterator[dict[str, Any]]:
    """One dict per article: the record, its timestamps, every version, its URLs and
    the places it names (rows of `article_places`)."""
    sql = "SELECT * FROM articles" + (" WHERE site = ?" if site else "") + " ORDER BY id"
    cur = archive.conn.execute(sql, (site,) if site else ())
    names = [d[0] for d in cur.description]
    for values in cur:
        row = dict(zip(names, values, strict=True))
        versions = [
            {"version": v, "seen_at": s, "title": t, "sapo": sp, "body_text": b}
            for v, s, t, sp, b in archive.conn.execute(
                "SELECT version, seen_at, title, sapo, body_text FROM article_versions "
                "WHERE article_id = ? ORDER BY version", (row["id"],))]
        urls = [k for (k,) in archive.conn.execute(
            "SELECT url_key FROM article_urls WHERE article_id = ? ORDER BY url_key",
            (row["id"],))]
        yield {"article": _article(archive, row).to_dict(), "first_seen": row["first_seen"],
               "last_seen": row["last_seen"], "last_changed": row["last_changed"],
               "versions": versions, "url_keys": urls,
               "places": archive.places.of(row["id"])}


def export_jsonl(archive: Archive, out: IO[str], site: str | None = None) -> int:
    n = 0
    for record in iter_records(archive, site):
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        n += 1
    return n


def export_csv(archive: Archive, out: IO[str], site: str | None = None) -> int:
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    sql = f"SELECT {', '.join(CSV_COLUMNS)} FROM articles" + (" WHERE site = ?" if site else "")
    n = 0
    for row in archive.conn.execute(sql + " ORDER BY id", (site,) if site else ()):
        writer.writerow(row)
        n += 1
    return n


def export_warc(archive: Archive, out: IO[bytes], site: str | None = None) -> int:
    """Every stored raw page as a WARC response record (gzip per record)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    writer = WARCWriter(out, gzip=True)
    sql = ("SELECT p.id, p.url, p.fetched_at, p.status, p.headers FROM pages p"
           + (" JOIN articles a ON a.id = p.article_id WHERE a.site = ?" if site else "")
           + " ORDER BY p.id")
    n = 0
    for page_id, url, fetched_at, status, headers in archive.conn.execute(
            sql, (site,) if site else ()):
        try:
            payload = archive.pages.body(page_id)
        except CorruptBody as exc:
            log.error("not exported: %s", exc)
            continue
        header_list = [(k, v) for k, v in json.loads(headers or "{}").items()
                       if k.lower() not in ("content-encoding", "transfer-encoding",
                                            "content-length")]
        http = StatusAndHeaders(f"{status or 200} OK", header_list, protocol="HTTP/1.1")
        date = parse_stamp(fetched_at).strftime(
            "%Y-%m-%dT%H:%M:%SZ")
        record = writer.create_warc_record(url, "response", payload=io.BytesIO(payload),
                                           http_headers=http,
                                           warc_headers_dict={"WARC-Date": date})
        writer.write_record(record)
        n += 1
    return n
