"""The one writer: takes items off Redis with a reliable queue and stores them.

Items move from `items` to `processing` (LMOVE, up to TAKE in one round trip, or
BLMOVE when none waits); each is removed from `processing` only after its SQLite
transaction committed (in the round trip that announces the article to workers); a
writer that died leaves what it took there, and the next one puts it back first.
Storing is idempotent: an article is upserted by URL (the same content only touches
`last_seen`), a discovery page is kept once per distinct body, and an article page
already kept (same URL, fetch time and body) is not kept again, so a replayed item
never duplicates anything.

It trusts no item: each is opened with the cluster's key and checked (`messages.py`)
as a lone crawl checks what it fetches; the article's text is cleaned and its HTML
sanitised again, and its places are tagged here. A refused item is logged with the
worker it names, counted by reason and noted (not kept) in `failed`."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import signal
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

import redis

from ...archive import Archive
from ...ground import clock
from ...ground.article import Article
from ...ground.controls import without_controls
from ...ground.outcomes import STORED
from ...ground.safehtml import sanitise
from ...ground.urls import url_key
from ...sites import Registry
from ..ingest import BLOCKING, Outcome, Reading, keep
from ..outcomes import Tally, verdict
from ..revisit import SCHEDULE
from . import (
    FAILED,
    FAILED_MAX,
    ITEMS,
    PROCESSING,
    REFUSED,
    WRITER,
    connect,
    known,
    shown,
    worker_id,
)
from .messages import PageItem, Rejected, RunReport, Seen, check_size, parse
from .signing import Signer

log = logging.getLogger(__name__)


def requeue(client, said: bool = True) -> int:
    """Put back, in order, what a dead writer took and never committed (`said`: log it;
    a writer stopping puts back what it took and will not store); returns how many."""
    n = 0
    while client.lmove(PROCESSING, ITEMS, "RIGHT", "LEFT") is not None:
        n += 1
    if n and said:
        log.warning("requeued %d items a previous writer had not committed", n)
    return n


def seed_known(client, archive: Archive, signer: Signer) -> int:
    """Tell workers which articles are archived and young enough to be revisited
    (older ones are never revisited; found again by a backfill, they are fetched and
    come out unchanged)."""
    since = clock.stamp(clock.now() - SCHEDULE[-1][0] - timedelta(days=1))
    rows = archive.conn.execute(
        "SELECT a.site, a.url, a.published_at, a.last_seen, group_concat(u.url_key, ' ') "
        "FROM articles a JOIN article_urls u ON u.article_id = a.id "
        "WHERE coalesce(a.published_utc, a.first_seen) >= ? GROUP BY a.id", (since,))
    pipe, n = client.pipeline(transaction=False), 0
    for site, url, published_at, last_seen, keys in rows:
        known.record(pipe, signer, site, keys.split(), url, published_at, last_seen)
        n += 1
        if n % 1000 == 0:
            pipe.execute()
    pipe.execute()
    return n


def already_kept(archive: Archive, page) -> bool:
    return archive.conn.execute(
        "SELECT 1 FROM pages WHERE url_key = ? AND fetched_at = ? AND sha1 = ? LIMIT 1",
        (url_key(page.url), page.fetched_at, hashlib.sha1(page.body).hexdigest())
    ).fetchone() is not None


EXAMPLES = 5  # URLs kept per site to show with a drift alarm, as a lone crawl keeps


@dataclass
class Round:
    """What the writer stored of one site until its worker reports the round, counted as
    the lone crawl's archive pipeline counts, so that `verdict` judges the same numbers:
    articles stored by outcome, incomplete and fallback ones, pages not stored (`failed`,
    by reason: `missing title+body`, `extractor-memory`...), a few example URLs."""

    counts: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)

    def add(self, url: str, outcome: Outcome) -> None:
        self.counts["missing"] += outcome.incomplete
        if (outcome.flags or outcome.reading.fallback) and len(self.examples) < EXAMPLES:
            self.examples.append(url)
        if not outcome.stored:
            self.counts["failed"] += 1
            self.errors[outcome.counter] += 1
            return
        self.counts[outcome.status] += 1
        self.counts["fallback"] += outcome.reading.fallback


def store(archive: Archive, client, signer: Signer, item: PageItem | Seen | RunReport,
          rounds: dict[str, Round] | None = None, pipe=None) -> str:
    """Store one checked item; returns what happened (new, changed, unchanged, replayed,
    discovery, touched, gone, run, or the reason no article was stored). `rounds` counts
    each site's outcomes until a worker's report of the round closes them into a run.
    A stored article is announced to workers through `pipe` (the caller sends it), or
    at once without one."""
    if isinstance(item, RunReport):
        record_run(archive, item, (rounds or {}).pop(item.site.id, Round()))
        return "run"
    if isinstance(item, Seen):
        if item.kind == "touch":
            archive.articles.touch(item.url, item.seen_at)
            return "touched"
        archive.gone.mark(item.url, item.status, item.seen_at)
        return "gone"
    page, site = item.page, item.site
    if page.kind != "article":
        archive.pages.add_discovery(page)
        return "discovery"
    if already_kept(archive, page):
        return "replayed"
    reading = cleaned(item.reading)
    outcome = keep(archive, page, reading, site=site, aliases=item.aliases,
                   truncated=item.truncated)
    if rounds is not None:
        rounds.setdefault(site.id, Round()).add(page.url, outcome)
    if outcome.stored:
        art = reading.article
        keys = sorted({url_key(art.url), url_key(page.url),
                       *(url_key(u) for u in item.aliases)})
        headers = page.headers or {}
        own = pipe is None
        pipe = client.pipeline(transaction=False) if own else pipe
        known.record(pipe, signer, site.id, keys, art.url, art.published_at,
                     page.fetched_at or clock.stamp(), headers.get("etag"),
                     headers.get("last-modified"))
        if own:
            pipe.execute()
    return outcome.status


def cleaned(reading: Reading) -> Reading:
    """A worker's reading made as extraction makes it: text without controls, HTML
    sanitised with the one allow-list, fields found missing here, no places (`keep`
    tags them from the text)."""
    if reading.article is None:
        return Reading(failure=reading.failure, detail=reading.detail,
                       missing=reading.missing)
    art: Article = without_controls(dataclasses.replace(
        reading.article, body_html=sanitise(reading.article.body_html)))
    missing = [name for name, value in (("title", art.title), ("body", art.body_text),
                                        ("date", art.published_at)) if not value]
    if set(missing) & set(BLOCKING):
        log.warning("%s: missing %s", art.url, ", ".join(missing))
    return Reading(article=art, failure=reading.failure, detail=reading.detail,
                   missing=missing)


def refuse(client, raw: bytes, exc: Rejected) -> str:
    """Say, count and note a refused item; returns its reason (the writer's count)."""
    log.error("writer refused an item from worker %s: %s", exc.worker, exc)
    note = json.dumps({"reason": str(exc.reason), "detail": exc.detail[:300],
                       "worker": exc.worker, "at": clock.stamp(), "bytes": len(raw),
                       "head": raw[:120].decode("utf-8", "replace")}, ensure_ascii=False)
    pipe = client.pipeline(transaction=False)
    pipe.hincrby(REFUSED, str(exc.reason), 1)
    pipe.rpush(FAILED, note)
    pipe.ltrim(FAILED, -FAILED_MAX, -1)
    pipe.execute()
    return str(exc.reason)


def record_run(archive: Archive, report: RunReport, stored: Round) -> None:
    """A worker's round of a site as a crawl_runs row: its counts (discovered, fetches
    failed and why, bytes, extracted) with what this writer stored for the site meanwhile
    (a writer restarted mid-round counts only what it stored since), judged by the same
    `verdict` as a lone crawl's run: failed, budget, degraded with its drift alarm, or
    `interrupted` for a round its worker was stopped in."""
    site = report.site.id
    counts = {**report.counts, **{k: stored.counts[k] for k in (*STORED, "missing",
                                                                 "fallback")}}
    counts["failed"] = report.counts.get("failed", 0) + stored.counts["failed"]
    errors = dict(Counter(report.errors) + stored.errors)
    said = verdict(Tally(counts, errors), archive.runs.recent(site, archive.runs.last_id() + 1),
                   interrupted=report.interrupted)
    if said.alarm:
        log.error("LAYOUT DRIFT on %s: %s. Examples: %s", site, said.alarm,
                  ", ".join(stored.examples))
    archive.runs.record(site, report.started_at, counts, errors, said.status,
                        stored.examples, said.alarm)
    log.info("run of %s by %s recorded (%s): %s", site, report.worker, said.status,
             {k: v for k, v in counts.items() if v})


class Stop:
    """SIGTERM/SIGINT: finish the item in hand, then stop."""

    def __init__(self) -> None:
        self.asked = False
        signal.signal(signal.SIGTERM, self.ask)
        signal.signal(signal.SIGINT, self.ask)

    def ask(self, *_) -> None:
        self.asked = True


REDIS_WAIT = 300.0  # s the writer waits for a lost Redis before it gives up (exit 1)


def run(url: str, db: str, registry: Registry, signer: Signer,
        idle_exit: float | None = None, limit: int | None = None,
        redis_wait: float = REDIS_WAIT) -> Counter:
    """Take items until stopped (or idle for `idle_exit` seconds, or `limit` items);
    returns counts by outcome (a refused item by its reason). Redis unreachable (at the
    start, or lost on the way) is retried with backoff for `redis_wait` seconds, then
    `redis.ConnectionError`: what was committed stays in the archive, an item in hand
    stays in `processing` for the next writer."""
    client = connect(url, wait=redis_wait)
    archive = Archive(db)
    try:
        return _take(client, url, archive, registry, signer, idle_exit, limit, redis_wait)
    finally:
        archive.close()


TAKE = 50  # items moved to `processing` in one round trip while the queue is full


def _take(client, url: str, archive: Archive, registry: Registry, signer: Signer,
          idle_exit: float | None, limit: int | None, redis_wait: float) -> Counter:
    me, counts, stop = worker_id(), Counter(), Stop()
    rounds: dict[str, Round] = {}
    requeue(client)
    archive.runs.sync_sites(site.row() for site in registry)  # runs join the papers
    log.info("writer %s: %d archived articles announced to workers", me,
             seed_known(client, archive, signer))
    _heartbeat(client, me, counts)
    idle_since = time.monotonic()
    while not stop.asked and (limit is None or counts.total() < limit):
        try:
            room = TAKE if limit is None else min(TAKE, limit - counts.total())
            taken = _take_some(client, room)
            for raw in taken:
                if stop.asked:  # the rest goes back to the queue, in order
                    requeue(client, said=False)
                    break
                outcome = _store_one(client, archive, registry, signer, rounds, me, raw)
                counts[outcome] += 1
                if counts.total() % 100 == 0:
                    _heartbeat(client, me, counts)
                    log.info("writer %s: %s", me, dict(counts))
        except (redis.ConnectionError, redis.TimeoutError) as exc:
            log.error("writer %s: lost redis at %s (%s); what it stored is committed; "
                      "retrying for up to %.0f s", me, shown(url), exc, redis_wait)
            client = connect(url, wait=redis_wait)  # still away: ConnectionError, exit 1
            requeue(client)  # taken, not stored (or stored, not let go: replayed)
            idle_since = time.monotonic()
            continue
        if taken:
            idle_since = time.monotonic()
            continue
        if idle_exit is not None and time.monotonic() - idle_since >= idle_exit:
            break
        _heartbeat(client, me, counts)
    _heartbeat(client, me, counts, stopping=True)
    return counts


def _take_some(client, n: int) -> list[bytes]:
    """Up to `n` items moved from the queue to `processing` (LMOVE each, in one round
    trip); none waiting: one, waiting up to a second for it."""
    pipe = client.pipeline(transaction=False)
    for _ in range(n):
        pipe.lmove(ITEMS, PROCESSING, "LEFT", "RIGHT")
    taken = [raw for raw in pipe.execute() if raw is not None]
    if taken:
        return taken
    raw = client.blmove(ITEMS, PROCESSING, 1, "LEFT", "RIGHT")
    return [raw] if raw is not None else []


def _store_one(client, archive: Archive, registry: Registry, signer: Signer,
               rounds: dict[str, Round], me: str, raw: bytes) -> str:
    """Store one item and let go of it (with the article's announcement to workers,
    in one round trip); its outcome."""
    pipe = client.pipeline(transaction=False)
    try:
        check_size(raw)
        outcome = store(archive, client, signer, parse(signer.open(raw), registry), rounds,
                        pipe=pipe)
    except Rejected as exc:
        outcome = refuse(client, raw, exc)
    except (ValueError, KeyError, TypeError):  # a checked item: a bug of ours
        log.exception("writer %s: could not store an item; kept in %s", me, FAILED)
        pipe.rpush(FAILED, raw)
        pipe.ltrim(FAILED, -FAILED_MAX, -1)
        outcome = "writer-error"
    pipe.lrem(PROCESSING, 1, raw)   # only now: the item is committed
    pipe.execute()
    return outcome


def _heartbeat(client, me: str, counts: Counter, stopping: bool = False) -> None:
    try:
        if stopping:
            client.delete(WRITER)
        else:
            client.set(WRITER, json.dumps({"writer": me, "seen": time.time(),
                                           "pid": os.getpid(), "counts": dict(counts)}),
                       ex=60)
    except redis.RedisError:
        pass
