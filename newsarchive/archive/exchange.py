"""Export and import: JSON Lines (articles with their whole history, lossless), CSV (one
row per article, for spreadsheets) and WARC (the raw pages, for pywb and other web
archiving tools)."""

from __future__ import annotations

import csv
import io
import json
import zlib
from collections import Counter
from collections.abc import Iterator
from typing import IO, Any

from ..ground.article import Article
from ..ground.clock import parse_stamp
from ..ground.controls import web_url
from .archive import Archive
from .articles import content_hash
from .rows import from_row

CSV_COLUMNS = ("id", "url", "site", "title", "sapo", "authors", "tags", "source",
               "published_at", "modified_at", "section", "language", "body_text",
               "first_seen", "last_seen", "last_changed", "version_count")


def _article(archive: Archive, row: dict[str, Any]) -> Article:
    images = archive.conn.execute(
        "SELECT url, caption FROM images WHERE article_id = ? ORDER BY position",
        (row["id"],)).fetchall()
    return from_row(row, images)


def iter_records(archive: Archive, site: str | None = None) -> Iterator[dict[str, Any]]:
    """One dict per article: the record, its timestamps and every version."""
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
               "versions": versions, "url_keys": urls}


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
    sql = ("SELECT p.url, p.fetched_at, p.status, p.headers, p.body FROM pages p"
           + (" JOIN articles a ON a.id = p.article_id WHERE a.site = ?" if site else "")
           + " ORDER BY p.id")
    n = 0
    for url, fetched_at, status, headers, body in archive.conn.execute(
            sql, (site,) if site else ()):
        payload = zlib.decompress(body) if body else b""
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


class BadRecord(ValueError):
    """A line of an import that is not a record of `newsarchive export --format jsonl`."""


def import_jsonl(archive: Archive, lines: IO[str]) -> Counter:
    """Replay exported histories: each version stored at the time it was seen, so an
    import into an empty archive gives back what was exported. A line that is not an
    exported record raises BadRecord (`line N: reason`), and nothing is imported. A record
    whose URL is not http(s) (`javascript:`...) is refused and counted (`refused-url`);
    control characters in its text are removed as for crawled text."""
    counts: Counter = Counter()
    with archive.conn:
        number = 0
        try:
            for number, line in enumerate(lines, 1):  # noqa: B007 - read in except
                if line.strip():
                    stored = _import_record(archive, json.loads(line))
                    counts["articles" if stored else "refused-url"] += 1
        except UnicodeDecodeError as exc:
            raise BadRecord(f"line {number + 1}: not UTF-8 text ({exc.reason}); expected "
                            "the output of `newsarchive export --format jsonl`") from exc
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            what = ("not JSON" if isinstance(exc, json.JSONDecodeError)
                    else f"missing {exc}" if isinstance(exc, KeyError)
                    else str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
            raise BadRecord(f"line {number}: {what}; expected one JSON record per line as "
                            "`newsarchive export --format jsonl` writes") from exc
    return counts


def _import_record(archive: Archive, record: dict) -> bool:
    """Store one exported record: its versions, then the article as last seen; False
    when its URL is not http(s)."""
    final = Article.from_dict(record["article"])
    if not web_url(final.url):
        return False
    known = archive.articles.find(final.url)
    stored = dict(archive.conn.execute(
        "SELECT version, content_hash FROM article_versions WHERE article_id = ?",
        (known["id"],))) if known else {}
    for version in record.get("versions") or []:
        art = Article.from_dict(record["article"] | {
            k: version[k] for k in ("title", "sapo", "body_text")})
        # every version, A -> B -> A -> B included; one already stored as that version
        # (an import done twice) is not added again
        if stored.get(version.get("version")) != content_hash(art):
            archive.articles.upsert(art, version["seen_at"], None, None)
    outcome, article_id = archive.articles.upsert(final, record["last_seen"], None, None)
    if article_id is None:
        return True
    archive.conn.executemany(  # URL aliases; one that is another article's stays so
        "INSERT OR IGNORE INTO article_urls (url_key, article_id) VALUES (?, ?)",
        [(key, article_id) for key in record.get("url_keys") or [] if web_url(key)])
    archive.conn.execute(
        "UPDATE articles SET first_seen = MIN(first_seen, ?), last_seen = ?, "
        "last_changed = ? WHERE id = ?",
        (record["first_seen"], record["last_seen"], record["last_changed"], article_id))
    return True
