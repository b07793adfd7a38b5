"""One story across papers: the copies and light rewrites of an article, grouped.

A body is read as its folded syllables (`ground.fold.syllables`, as the search folds
them), cut into shingles of SHINGLE syllables, and summarised by a MinHash signature of
PERMUTATIONS minima (datasketch's MinHash, computed here without importing datasketch,
which imports scipy). Two bodies whose signatures agree on at least THRESHOLD of their
minima (their estimated Jaccard similarity) are one story. Candidates
are found by locality-sensitive hashing: the signature cut into BANDS bands of ROWS
minima, each band hashed to one key in the indexed table `story_bands`; articles sharing
a key are compared. Nothing is held in memory beyond one article's candidates, so an
archive of millions groups as fast as a small one.

An article joins the story of the most similar earlier copy; otherwise it starts its
own, whose id is its article id. Stories are never merged afterwards (a chain of light
rewrites does not drift into one story of everything).
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import zlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache, partial
from operator import add, methodcaller

import numpy as np

from ..ground.fold import syllables

log = logging.getLogger(__name__)

SHINGLE = 3           # syllables per shingle: Vietnamese words are one to three syllables
PERMUTATIONS = 128
THRESHOLD = 0.5       # estimated Jaccard of two copies of one story, at least
# 32 bands of 4 minima: a pair at Jaccard 0.5 is a candidate with probability 0.87, at
# 0.6 with 0.99, at 0.2 with 0.05. (datasketch's MinHashLSH picks 25 x 5 for 0.5, which
# finds a pair at 0.6 only 87% of the time: copies with cut paragraphs sit there.)
BANDS, ROWS = 32, 4
MIN_SYLLABLES = 40    # a shorter body (a caption, a video's line) is a story of its own
MOST_CANDIDATES = 500  # compared per article, most recent first: a bound on any body
_SEED = 1
_PRIME = np.uint64((1 << 61) - 1)  # a minimum is ((a * crc32 + b) mod _PRIME) & _LOW32
_LOW32 = np.uint64((1 << 32) - 1)
_SHIFT = np.uint64(61)


def _permutations(count: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The (a, b) of each of `count` hash permutations, drawn as datasketch's MinHash
    draws them for `seed`: signatures stay comparable with those stored before."""
    gen = np.random.RandomState(seed)
    pairs = [(gen.randint(1, _PRIME, dtype=np.uint64), gen.randint(0, _PRIME, dtype=np.uint64))
             for _ in range(count)]
    a, b = np.array(pairs, dtype=np.uint64).T
    return a, b


_A, _B = _permutations(PERMUTATIONS, _SEED)
_A_ROWS, _B_ROWS = _A[:, None].copy(), _B[:, None].copy()  # one row per permutation


class Grouped(StrEnum):
    """What signing one article did."""

    JOINED = "joined"        # a copy of an earlier story
    ALONE = "alone"          # the first of its story
    SHORT = "too-short"      # no signature: fewer than MIN_SYLLABLES syllables


def signature(text: str | None) -> np.ndarray | None:
    """The MinHash minima of a body's syllable shingles (uint32), or None when it has
    fewer than MIN_SYLLABLES syllables."""
    words = syllables(text)
    if len(words) < MIN_SYLLABLES:
        return None
    # each shingle its SHINGLE syllables joined by spaces, as ASCII, repeats kept (a
    # minimum is the same with them): joined, encoded and hashed by builtins mapped over
    # the syllables, with no Python-level step per shingle
    runs = zip(*(words[k:] for k in range(SHINGLE)), strict=False)
    shingles = map(str.encode, map(" ".join, runs))
    hashes = np.fromiter(map(zlib.crc32, shingles), dtype=np.uint64,
                         count=len(words) - SHINGLE + 1)
    return minima(hashes)


def minima(hashes: np.ndarray) -> np.ndarray:
    """Each permutation's least ((a * h + b) mod _PRIME) & _LOW32 over `hashes` (uint64,
    the products wrapping at 2**64 as datasketch's do), as uint32. The modulo of a
    Mersenne prime is two shifts and an add (2**61 = 1 mod _PRIME; the sum is under
    _PRIME + 8), in place, one row per permutation; the last subtraction, needed only
    when a sum reaches _PRIME (about once in 2**58), is done only then."""
    x = _A_ROWS * hashes
    x += _B_ROWS
    high = x >> _SHIFT
    x &= _PRIME
    x += high
    if x.max() >= _PRIME:
        np.subtract(x, _PRIME, out=x, where=x >= _PRIME)
    x &= _LOW32
    return x.min(axis=1).astype("<u4")


@dataclass(frozen=True)
class Signed:
    """A body's signature computed where it was read (an extraction worker, so that the
    crawl's one storing process does not), with a digest of the body it belongs to."""

    digest: bytes
    minima: np.ndarray | None

    @classmethod
    def of(cls, body: str | None) -> Signed:
        return cls(_digest(body), signature(body))

    def fits(self, body: str | None) -> bool:
        return self.digest == _digest(body)


def _digest(body: str | None) -> bytes:
    return hashlib.blake2b((body or "").encode(), digest_size=16).digest()


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """The estimated Jaccard similarity of two signatures' shingle sets."""
    return float(np.count_nonzero(a == b)) / len(a)


def band_keys(sig: np.ndarray) -> list[int]:
    """One signed 64-bit key per band: its number and its minima, hashed."""
    return list(_band_keys(sig.astype("<u4").tobytes()))


# Each band's key: blake2b (8 bytes) of its number and its minima, read as a signed
# little-endian int. Hashed by builtins mapped over the bands (no Python step per band).
_NUMBERS = tuple(bytes([band]) for band in range(BANDS))
_BANDS = tuple(slice(band * ROWS * 4, (band + 1) * ROWS * 4) for band in range(BANDS))
_HASH = partial(hashlib.blake2b, digest_size=8)
_DIGEST = methodcaller("digest")


@lru_cache(maxsize=16)  # an article's keys: looked up for its candidates, then inserted
def _band_keys(raw: bytes) -> tuple[int, ...]:
    bands = map(add, _NUMBERS, map(raw.__getitem__, _BANDS))
    return tuple(np.frombuffer(b"".join(map(_DIGEST, map(_HASH, bands))), "<i8").tolist())


def _decoded(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<u4")


class Stories:
    """Signatures, band keys and story ids of the archive's articles (one connection;
    the caller holds the transaction)."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    @staticmethod
    def kept(conn: sqlite3.Connection) -> bool:
        """Does this archive's schema keep stories (migration 12 on)? One written by an
        older newsarchive is signed after `upgrade`, by `newsarchive stories`."""
        return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
                            "name = 'story_bands'").fetchone() is not None

    def add(self, article_id: int, body: str | None, signed: Signed | None = None, *,
            new: bool = False) -> Grouped:
        """Sign one article (new, or its body changed) and give it its story (`signed`:
        its signature computed already, used if it is this body's). `new`: the article
        was just inserted, so it has no story yet (no row can name an id just given:
        article_stories' rows go with their article)."""
        sig = signed.minima if signed is not None and signed.fits(body) else signature(body)
        old = None if new else self.conn.execute(
            "SELECT story_id, signature FROM article_stories WHERE article_id = ?",
            (article_id,)).fetchone()
        if old is not None and old[1] is not None:
            self._drop_bands(article_id, _decoded(old[1]))
        if sig is None:
            story = old[0] if old is not None and self._founds(article_id) else article_id
            self._keep(article_id, story, None)
            return Grouped.SHORT
        story, outcome = self._story(article_id, sig, old[0] if old else None)
        self._keep(article_id, story, sig)
        self.conn.executemany("INSERT OR IGNORE INTO story_bands (key, article_id) "
                              "VALUES (?, ?)", [(k, article_id) for k in band_keys(sig)])
        return outcome

    def _keep(self, article_id: int, story: int, sig: np.ndarray | None) -> None:
        self.conn.execute(
            "INSERT INTO article_stories (article_id, story_id, signature) VALUES (?, ?, ?) "
            "ON CONFLICT (article_id) DO UPDATE SET story_id = excluded.story_id, "
            "signature = excluded.signature",
            (article_id, story, None if sig is None else sig.tobytes()))

    def _drop_bands(self, article_id: int, sig: np.ndarray) -> None:
        self.conn.executemany("DELETE FROM story_bands WHERE key = ? AND article_id = ?",
                              [(k, article_id) for k in band_keys(sig)])

    def _founds(self, article_id: int) -> bool:
        """Do other articles belong to the story this one started?"""
        return self.conn.execute(
            "SELECT 1 FROM article_stories WHERE story_id = ? AND article_id != ? LIMIT 1",
            (article_id, article_id)).fetchone() is not None

    def _story(self, article_id: int, sig: np.ndarray, current: int | None
               ) -> tuple[int, Grouped]:
        """The story of the most similar other copy at THRESHOLD or above; a re-signed
        article keeps its story while it still matches one of its copies (or others
        joined the story it started)."""
        matches = [(similarity(sig, _decoded(blob)), story)
                   for story, blob in self.candidates(article_id, sig)]
        matches = [m for m in matches if m[0] >= THRESHOLD]
        if current is not None and (any(story == current for _, story in matches)
                                    or (current == article_id and self._founds(article_id))):
            return current, Grouped.JOINED if current != article_id else Grouped.ALONE
        if not matches:
            return article_id, Grouped.ALONE
        return max(matches, key=lambda m: (m[0], -m[1]))[1], Grouped.JOINED

    def candidates(self, article_id: int, sig: np.ndarray) -> list[tuple[int, bytes]]:
        """(story id, signature) of the other articles sharing a band key with `sig`."""
        keys = band_keys(sig)
        marks = ", ".join("?" * len(keys))
        return self.conn.execute(
            "SELECT s.story_id, s.signature FROM article_stories s WHERE s.article_id IN "
            f"(SELECT DISTINCT article_id FROM story_bands WHERE key IN ({marks}) "
            "AND article_id != ? ORDER BY article_id DESC LIMIT ?) "
            "AND s.signature IS NOT NULL",
            [*keys, article_id, MOST_CANDIDATES]).fetchall()

    def add_many(self, pairs: Iterable[tuple[int, str | None]]) -> Counter:
        """Sign (article id, body) pairs in order; counts of Grouped outcomes."""
        return Counter(self.add(article_id, body) for article_id, body in pairs)

    def backfill(self, batch: int = 1000,
                 progress: Callable[[Counter], None] | None = None) -> Counter:
        """Sign every article that has no signature yet, oldest id first, committing each
        `batch`: interrupted, it resumes where it stopped. Counts of Grouped outcomes."""
        counts: Counter = Counter()
        after = 0
        while True:
            rows = self.conn.execute(
                "SELECT a.id, a.body_text FROM articles a WHERE a.id > ? AND NOT EXISTS "
                "(SELECT 1 FROM article_stories s WHERE s.article_id = a.id) "
                "ORDER BY a.id LIMIT ?", (after, batch)).fetchall()
            if not rows:
                return counts
            with self.conn:
                counts += self.add_many(rows)
            after = rows[-1][0]
            if progress:
                progress(counts)

    def story_of(self, article_id: int) -> int | None:
        row = self.conn.execute("SELECT story_id FROM article_stories WHERE article_id = ?",
                                (article_id,)).fetchone()
        return row[0] if row else None


def first_of_each(conn: sqlite3.Connection, rows: list[dict]) -> list[dict]:
    """Of search results (dicts with `id` and `published_utc`), the first published copy
    of each story, in the order given; an article not yet signed is a story of its own.
    Each kept row gets `copies`: how many of `rows` its story has."""
    story = dict(conn.execute(
        "SELECT article_id, story_id FROM article_stories "
        "WHERE article_id IN (SELECT value FROM json_each(?))",
        [json.dumps([r["id"] for r in rows])]).fetchall())
    first: dict[int, dict] = {}
    copies: Counter = Counter()
    for row in rows:
        key = story.get(row["id"], row["id"])
        copies[key] += 1
        best = first.get(key)
        if best is None or _earlier(row, best):
            first[key] = row
    kept = {id(r) for r in first.values()}
    out = [r for r in rows if id(r) in kept]
    for row in out:
        row["copies"] = copies[story.get(row["id"], row["id"])]
    return out


def _earlier(a: dict, b: dict) -> bool:
    """Published before (an undated copy comes after every dated one; then by id)."""
    return ((a.get("published_utc") is None, a.get("published_utc") or "", a["id"])
            < (b.get("published_utc") is None, b.get("published_utc") or "", b["id"]))
