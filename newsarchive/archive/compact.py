"""`newsarchive compact`: the raw pages an older newsarchive wrote (`zlib`, each alone)
converted in place to the stored-by-difference scheme, in short batches. Each batch is
one transaction: killed at any point, the archive holds whole batches converted and the
rest as it was, and running it again finishes the same way."""

from __future__ import annotations

import logging
import sqlite3
import time
import zlib
from dataclasses import dataclass, field

from .compression import Codec, CorruptBody, sha1
from .dictionaries import ENOUGH
from .pages import Pages

log = logging.getLogger(__name__)

BATCH = 100       # rows per transaction: about half a second of work on 200 KiB pages
PAUSE = 0.05      # seconds between batches, so that a crawl waiting for the lock gets it


@dataclass
class Compacted:
    converted: int = 0
    unreadable: int = 0                 # rows left as they were (logged)
    left: int = 0                       # zlib rows still to convert
    trained: list[str] = field(default_factory=list)
    before: int = 0                     # bytes of the converted rows' blobs
    after: int = 0


def _host_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Distinct complete article URLs per host (url_key is `https://host/...`)."""
    rows = conn.execute(
        "SELECT substr(k, 9, instr(substr(k, 9), '/') - 1) AS host, count(*) FROM "
        "(SELECT DISTINCT url_key AS k FROM pages WHERE kind = 'article' AND status = 200) "
        "GROUP BY host")
    return dict(rows.fetchall())


def train_missing(pages: Pages) -> list[str]:
    """A dictionary for every paper with enough pages and none yet; the hosts trained."""
    trained = []
    for host, count in sorted(_host_counts(pages.conn).items()):
        if count >= ENOUGH and pages.dictionaries.current(host) is None \
                and pages.dictionaries.train(host) is not None:
            trained.append(host)
    return trained


def _convert(pages: Pages, row: tuple, done: Compacted) -> None:
    page_id, key, kind, blob, digest = row
    try:
        raw = zlib.decompress(blob) if blob else b""
    except zlib.error as exc:
        log.error("page %d left as zlib: its body does not decompress (%s)", page_id, exc)
        done.unreadable += 1
        return
    if digest and sha1(raw) != digest:
        log.error("page %d left as zlib: its body does not match its sha1", page_id)
        done.unreadable += 1
        return
    referenced = pages.conn.execute("SELECT 1 FROM pages WHERE ref = ? LIMIT 1",
                                    (page_id,)).fetchone() is not None
    new, codec, dictionary, ref = pages.encode(raw, key, kind, before=page_id,
                                               first=referenced)
    pages.conn.execute("UPDATE pages SET body = ?, codec = ?, dictionary = ?, ref = ?, "
                       "sha1 = ? WHERE id = ?",
                       (new, codec, dictionary, ref, digest or sha1(raw), page_id))
    pages.dictionaries.forget()  # the newest pages of a dictionary are read again
    if pages.body(page_id) != raw:  # never reached: but a byte lost is a page lost
        raise CorruptBody(f"page {page_id} did not read back after conversion")
    done.converted += 1
    done.before += len(blob or b"")
    done.after += len(new)


def compact(pages: Pages, *, batch: int = BATCH, batches: int | None = None,
            pause: float = PAUSE) -> Compacted:
    """Convert every `zlib` page (at most `batches` batches of `batch` rows), after
    training the dictionaries that are due, oldest rows first."""
    conn = pages.conn
    done = Compacted(trained=train_missing(pages))
    after_id, runs = 0, 0
    while batches is None or runs < batches:
        if runs:
            time.sleep(pause)
        conn.execute("BEGIN IMMEDIATE")
        try:
            rows = conn.execute(
                "SELECT id, url_key, kind, body, sha1 FROM pages WHERE codec = ? AND id > ? "
                "ORDER BY id LIMIT ?", (Codec.ZLIB.value, after_id, batch)).fetchall()
            for row in rows:
                _convert(pages, row, done)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            pages.dictionaries.forget()
            raise
        runs += 1
        if len(rows) < batch:
            break
        after_id = rows[-1][0]
    done.left = conn.execute("SELECT count(*) FROM pages WHERE codec = ?",
                             (Codec.ZLIB.value,)).fetchone()[0]
    return done
