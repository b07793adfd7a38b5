"""What a crawl must remember, kept in SQLite rather than in memory: the URL keys the
spider has scheduled, and the request fingerprints Scrapy's duplicate filter has seen.
A backfill schedules hundreds of thousands of URLs; as Python sets they would grow with
the crawl, here they cost a fixed page cache. In the crawl's JOBDIR they survive a stop,
so a resumed backfill schedules nothing twice; without one they live in a temporary
file, removed at the end."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path

from scrapy.dupefilters import BaseDupeFilter

CACHE_KIB = 2048  # SQLite page cache of each store: fixed, whatever the crawl's size


class SeenKeys:
    """A set of strings in a SQLite file: `add(key)` says whether it was new."""

    def __init__(self, folder: str | Path | None = None, name: str = "seen.db"):
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            self.path, self.temporary = Path(folder) / name, False
        else:
            fd, path = tempfile.mkstemp(prefix="newsarchive-", suffix=f"-{name}")
            os.close(fd)
            self.path, self.temporary = Path(path), True
        self.conn = sqlite3.connect(self.path, isolation_level=None)
        # A lost tail after a crash only means a URL is looked at again (the archive
        # says it is stored): no fsync per key.
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = OFF")
        self.conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        self.conn.execute("CREATE TABLE IF NOT EXISTS seen (key TEXT PRIMARY KEY) "
                          "WITHOUT ROWID")
        self.count = self.conn.execute("SELECT count(*) FROM seen").fetchone()[0]

    def __contains__(self, key: object) -> bool:
        return self.conn.execute("SELECT 1 FROM seen WHERE key = ?", (key,)).fetchone() \
            is not None

    def __len__(self) -> int:
        return self.count

    def add(self, key: str) -> bool:
        """Remember `key`; True when it was not known yet."""
        added = self.conn.execute("INSERT OR IGNORE INTO seen VALUES (?)", (key,)).rowcount
        self.count += added
        return bool(added)

    def close(self) -> None:
        self.conn.close()
        if self.temporary:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)


class SqliteDupeFilter(BaseDupeFilter):
    """Scrapy's duplicate-request filter with its fingerprints in SQLite (in JOBDIR when
    there is one), instead of a set in memory."""

    def __init__(self, folder: str | None, fingerprinter) -> None:
        self.fingerprinter = fingerprinter
        self.seen = SeenKeys(folder, "requests-seen.db")

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.get("JOBDIR"), crawler.request_fingerprinter)

    def request_seen(self, request) -> bool:
        return not self.seen.add(self.fingerprinter.fingerprint(request).hex())

    def close(self, reason: str) -> None:
        self.seen.close()
