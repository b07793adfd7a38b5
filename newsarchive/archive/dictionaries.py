"""The `dictionaries` table: one zstd dictionary per paper (by host), trained on its first
captures once it has enough, trained again when pages no longer compress as well with
it. Old dictionaries are kept: the rows compressed with them name them."""

from __future__ import annotations

import logging
import sqlite3
from collections import deque

import zstandard

from ..ground.clock import stamp
from . import compression

log = logging.getLogger(__name__)

ENOUGH = 32        # first captures of a paper before it gets a dictionary
SAMPLE = 64        # the newest first captures a dictionary is trained on
HOLD_OUT = 8       # one page in HOLD_OUT is kept out of training, to measure the ratio
RECENT = 64        # pages judged when deciding whether a dictionary has degraded
DEGRADED = 1.25    # recent ratio over the ratio measured at training that retrains


def host_range(site: str) -> tuple[str, str]:
    """The url_key range of a host's pages (`/` + 1 is `0`)."""
    return f"https://{site}/", f"https://{site}0"


class Dictionaries:
    def __init__(self, conn: sqlite3.Connection, read_body):
        self.conn = conn
        self.read_body = read_body            # page id -> raw body
        self.loaded: dict[int, zstandard.ZstdCompressionDict] = {}
        # (stored, raw) sizes of the newest RECENT pages compressed with each dictionary,
        # read once and then kept up to date by `wrote`: this process is the writer
        self.recent: dict[int, tuple[deque[int], deque[int]]] = {}
        self.ratios: dict[int, float] = {}  # as trained: a row never changes
        self.undone = getattr(conn, "undone", 0)

    def get(self, dictionary_id: int) -> zstandard.ZstdCompressionDict | None:
        if dictionary_id not in self.loaded:
            row = self.conn.execute("SELECT data FROM dictionaries WHERE id = ?",
                                    (dictionary_id,)).fetchone()
            if row is None:
                return None
            self.loaded[dictionary_id] = compression.trained_dictionary(row[0])
        return self.loaded[dictionary_id]

    def current(self, site: str) -> int | None:
        row = self.conn.execute("SELECT id FROM dictionaries WHERE site = ? ORDER BY id DESC "
                                "LIMIT 1", (site,)).fetchone()
        return row[0] if row else None

    def wanted(self, site: str, current: int | None) -> bool:
        """Whether `site` should get a (new) dictionary: it has none and ENOUGH first
        captures, or the last RECENT pages compressed with `current` came out DEGRADED
        times larger than when it was trained."""
        if current is None:
            low, high = host_range(site)
            found = self.conn.execute(
                "SELECT count(*) FROM (SELECT 1 FROM pages WHERE url_key >= ? AND url_key < ?"
                " AND kind = 'article' AND ref IS NULL LIMIT ?)", (low, high, ENOUGH)
            ).fetchone()[0]
            return found >= ENOUGH
        stored, raw = self._recent(current)
        if len(raw) < RECENT or not sum(raw):
            return False
        if current not in self.ratios:
            self.ratios[current] = self.conn.execute(
                "SELECT ratio FROM dictionaries WHERE id = ?", (current,)).fetchone()[0]
        return sum(stored) / sum(raw) > self.ratios[current] * DEGRADED

    def _recent(self, dictionary_id: int) -> tuple[deque[int], deque[int]]:
        """The newest RECENT pages' sizes (stored, raw), oldest first: as last read,
        with what `wrote` added since, unless a rollback (`GroupedConnection.undone`)
        may have taken some back."""
        undone = getattr(self.conn, "undone", 0)
        if undone != self.undone:
            self.recent.clear()
            self.undone = undone
        found = self.recent.get(dictionary_id)
        if found is None:
            rows = self.conn.execute(
                "SELECT length(body), size FROM pages WHERE dictionary = ? ORDER BY id DESC "
                "LIMIT ?", (dictionary_id, RECENT)).fetchall()
            found = self.recent[dictionary_id] = (
                deque((s for s, _ in reversed(rows)), maxlen=RECENT),
                deque((r for _, r in reversed(rows)), maxlen=RECENT))
        return found

    def wrote(self, dictionary_id: int, stored: int, raw: int) -> None:
        """A page compressed with `dictionary_id` was inserted (`stored`, `raw` bytes)."""
        found = self.recent.get(dictionary_id)
        if found is not None:
            found[0].append(stored)
            found[1].append(raw)

    def forget(self) -> None:
        """Pages were rewritten (compact): read the sizes again when next needed."""
        self.recent.clear()

    def train(self, site: str) -> int | None:
        """Train a dictionary on the newest SAMPLE first captures (status 200) of `site`
        and keep it; its id, or None (logged) when they cannot be trained on. Reads and
        trains outside any transaction; only the insert takes the write lock."""
        low, high = host_range(site)
        ids = [i for (i,) in self.conn.execute(
            "SELECT min(id) FROM pages WHERE url_key >= ? AND url_key < ? AND kind = 'article'"
            " AND status = 200 GROUP BY url_key ORDER BY 1 DESC LIMIT ?", (low, high, SAMPLE))]
        if len(ids) < ENOUGH:
            return None
        bodies = [self.read_body(i) for i in ids]
        held_out = bodies[::HOLD_OUT]
        samples = [b for n, b in enumerate(bodies) if n % HOLD_OUT]
        try:
            data, ratio = compression.train(samples, held_out)
        except zstandard.ZstdError as exc:
            log.warning("no dictionary for %s: training on %d pages failed: %s",
                        site, len(samples), exc)
            return None
        with self.conn:
            cur = self.conn.execute(
                "INSERT INTO dictionaries (site, created, sample_count, ratio, data) "
                "VALUES (?, ?, ?, ?, ?)", (site, stamp(), len(samples), ratio, data))
        log.info("dictionary %d for %s: %d pages, ratio %.3f on %d held out",
                 cur.lastrowid, site, len(samples), ratio, len(held_out))
        return cur.lastrowid
