"""What a worker knows of the archive without opening it: the writer keeps, per site, a
Redis hash of the articles it stored (url_key -> published, last seen, validators), and
the spider asks it as it would ask the archive (`ArchiveView`: `known`, `recent`,
`validators`). A 304 answer (`touch`) and an article gone from its site (`mark_gone`) go
to the writer as items."""

from __future__ import annotations

import logging
from typing import Any

from ...ground import clock
from ...ground.urls import url_key
from ...sites import Registry
from ..archive_view import ArchiveView
from . import ITEMS, REFUSED, key
from .messages import Flaw, Rejected
from .signing import Signer

log = logging.getLogger(__name__)


def record(pipe, signer: Signer, site: str, keys: list[str], url: str,
           published_at: str | None, last_seen: str, etag: str | None = None,
           last_modified: str | None = None) -> None:
    """Writer side: remember an archived article under every key it is known by
    (signed: a worker trusts no entry it cannot check)."""
    value = signer.seal({"url": url, "published_at": published_at, "last_seen": last_seen,
                         "etag": etag, "last_modified": last_modified})
    pipe.hset(key("known", site), mapping=dict.fromkeys(keys, value))


class KnownArticles(ArchiveView):
    """The archive as a worker's spider sees it: the articles the writer stored."""

    def __init__(self, client, registry: Registry, signer: Signer, worker: str = ""):
        self.client, self.registry, self.signer, self.worker = client, registry, signer, worker

    def _get(self, url: str) -> dict[str, Any] | None:
        site = self.registry.for_url(url)
        if site is None:
            return None
        return self._open(self.client.hget(key("known", site.id), url_key(url)))

    def _open(self, raw: bytes | None) -> dict[str, Any] | None:
        """An entry the writer signed; any other is ignored (the URL is fetched as if
        never archived), said and counted."""
        if raw is None:
            return None
        try:
            got = self.signer.open(raw)
            if not isinstance(got.get("url"), str):
                raise Rejected(Flaw.MALFORMED, detail="no url")
            return got
        except Rejected as exc:
            log.error("%s: ignored an entry of %s (%s)", self.worker, key("known", "*"), exc)
            self.client.hincrby(REFUSED, str(exc.reason), 1)
            return None

    def known(self, url: str) -> dict[str, Any] | None:
        """Only articles: pages found to be no article are not shared with workers (a
        worker fetches such a URL again, and the writer keeps its page once per
        distinct body)."""
        return self._get(url)

    def validators(self, url: str) -> tuple[str | None, str | None]:
        got = self._get(url) or {}
        return got.get("etag"), got.get("last_modified")

    def recent(self, site: str, since: str) -> list[tuple[str, str | None, str]]:
        rows = {}
        for raw in self.client.hvals(key("known", site)):
            got = self._open(raw)
            if got is None:
                continue
            moment = clock.parse_stamp(got["published_at"] or got["last_seen"])
            if moment >= clock.parse_stamp(since):
                rows[got["url"]] = (got["url"], got["published_at"], got["last_seen"])
        return sorted(rows.values(), key=lambda r: r[1] or r[2], reverse=True)

    def _send(self, message: dict[str, Any]) -> None:
        site = self.registry.for_url(message["url"])
        if site is not None:  # else no archived article: `_get` found nothing to revisit
            self.client.rpush(ITEMS, self.signer.seal(
                {**message, "site": site.id, "worker": self.worker}))

    def touch(self, url: str, seen_at: str | None = None) -> None:
        self._send({"kind": "touch", "url": url, "seen_at": seen_at or clock.stamp()})

    def mark_gone(self, url: str, status: int, at: str) -> None:
        """For the writer: the article under `url` answered `status` (404, 410)."""
        self._send({"kind": "gone", "url": url, "status": status, "seen_at": at})

    def close(self) -> None:
        pass
