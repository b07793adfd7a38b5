"""Captured responses to answer requests from instead of the network: a folder with a
`manifest.csv` (as in shared/fixtures) or a WARC file written by
`newsarchive export --format warc`. No Scrapy here: the middleware wraps this.

A folder is read only inside itself: a manifest row whose file leads out of the folder
(absolute, `..`, a link out) refuses the whole folder before anything is crawled
(`ground.captures.UnsafeManifest`), and each file is checked again when it is read."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..ground.captures import inside, read_manifest
from ..ground.page import Page
from ..ground.urls import url_key

CONTENT_TYPES = {"rss": "application/rss+xml; charset=utf-8",
                 "sitemap": "application/xml; charset=utf-8"}

Replay = dict[str, Callable[[], Page]]  # url_key -> the captured response, read lazily


def _from_manifest(folder: Path) -> Replay:
    index: Replay = {}
    for capture in read_manifest(folder):
        headers = {"content-type": CONTENT_TYPES.get(capture.kind, "text/html")}
        index[url_key(capture.url)] = (
            lambda f=capture.file, u=capture.url, h=headers:
            Page(u, inside(folder, f).read_bytes(), 200, h))
    return index


def _from_warc(path: Path) -> Replay:
    from warcio.archiveiterator import ArchiveIterator

    index: Replay = {}
    with open(path, "rb") as fh:
        for record in ArchiveIterator(fh):
            if record.rec_type != "response":
                continue
            page = Page(url=record.rec_headers.get_header("WARC-Target-URI"),
                        body=record.content_stream().read(),
                        status=int(record.http_headers.get_statuscode() or 200),
                        headers={k.lower(): v for k, v in record.http_headers.headers})
            index[url_key(page.url)] = lambda p=page: p
    return index


def load(path: str | Path) -> Replay:
    """url_key -> captured response, from a manifest folder or a WARC file."""
    path = Path(path)
    return _from_manifest(path) if path.is_dir() else _from_warc(path)


def captured_urls(path: str | Path) -> list[str]:
    """The URLs a replay set holds, read without their bodies (a manifest folder's
    without their files)."""
    from warcio.archiveiterator import ArchiveIterator

    path = Path(path)
    if path.is_dir():
        return [capture.url for capture in read_manifest(path)]
    with open(path, "rb") as fh:
        return [record.rec_headers.get_header("WARC-Target-URI")
                for record in ArchiveIterator(fh) if record.rec_type == "response"]


class BadReplay(ValueError):
    """`--replay` names something that is neither a capture folder nor a WARC file."""


def check(path: str | Path) -> None:
    """Refuse before crawling what `load` could not read: a folder without manifest.csv,
    or a file whose first record is not WARC (reads one record, not the whole file).
    A manifest naming files outside its folder raises UnsafeManifest."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    path = Path(path)
    if path.is_dir():
        if not (path / "manifest.csv").exists():
            raise BadReplay(f"{path} has no manifest.csv")
        read_manifest(path)
        return
    try:  # warcio reads any text as an old-style ARC record: only WARC is ours
        with open(path, "rb") as fh:
            first = next(iter(ArchiveIterator(fh)), None)
    except (ArchiveLoadFailed, OSError, EOFError, ValueError):
        first = None
    if first is None or first.format != "warc":
        raise BadReplay(f"{path} is not a WARC file")
