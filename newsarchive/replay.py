"""Captured responses to answer requests from instead of the network: a folder with a
`manifest.csv` (`file,url,kind,captured`, as in shared/fixtures) or a WARC file written
by `newsarchive export --format warc`. No Scrapy here: the middleware wraps this."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from .urls import url_key

CONTENT_TYPES = {"rss": "application/rss+xml; charset=utf-8",
                 "sitemap": "application/xml; charset=utf-8"}


@dataclass(frozen=True)
class Captured:
    url: str
    status: int
    headers: dict[str, str]
    load: object  # () -> bytes, so that a large replay set is read lazily

    def body(self) -> bytes:
        return self.load()


def _from_manifest(folder: Path) -> dict[str, Captured]:
    index = {}
    with open(folder / "manifest.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            path = folder / row["file"]
            headers = {"content-type": CONTENT_TYPES.get(row["kind"], "text/html")}
            index[url_key(row["url"])] = Captured(row["url"], 200, headers,
                                                  lambda p=path: p.read_bytes())
    return index


def _from_warc(path: Path) -> dict[str, Captured]:
    from warcio.archiveiterator import ArchiveIterator

    index = {}
    with open(path, "rb") as fh:
        for record in ArchiveIterator(fh):
            if record.rec_type != "response":
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            status = int(record.http_headers.get_statuscode() or 200)
            headers = {k.lower(): v for k, v in record.http_headers.headers}
            body = record.content_stream().read()
            index[url_key(url)] = Captured(url, status, headers, lambda b=body: b)
    return index


def load(path: str | Path) -> dict[str, Captured]:
    """url_key -> captured response, from a manifest folder or a WARC file."""
    path = Path(path)
    if path.is_dir():
        if not (path / "manifest.csv").exists():
            raise FileNotFoundError(f"{path} has no manifest.csv")
        return _from_manifest(path)
    return _from_warc(path)
