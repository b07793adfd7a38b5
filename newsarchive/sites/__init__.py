"""The newspapers: one small declarative entry each.

Adding a paper on a known platform is one `Site(...)` entry: provincial Party papers in
`provinces.py`, national sites in `papers.py`. Each gives its id, hosts, platform,
feeds/sitemaps/listings, the pattern of its article URLs, real example article URLs and
how well it is known to work (`confidence`, backed by `evidence`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from ..ground.urls import host_of

CONFIDENCE = ("fixture", "second-hand", "generic")
"""`fixture`: a real captured page passes in tests; `second-hand`: selectors and URL rules
from public crawler configurations, no page seen; `generic`: only structured data and
the generic layer."""
TUPLE_FIELDS = ("hosts", "feeds", "sitemaps", "listings", "merged", "examples")


@dataclass(frozen=True)
class Site:
    """One newspaper."""

    id: str
    name: str
    home: str
    platform: str | None
    article_pattern: str
    province: str | None = None
    hosts: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    listings: tuple[str, ...] = ()
    settings: dict[str, Any] = field(default_factory=dict)
    merged: tuple[str, ...] = ()
    """Provinces merged into `province` on 2025-07-01, whose papers merged into this one."""
    confidence: str = "generic"
    """What backs the entry: one of CONFIDENCE."""
    national: bool = False
    examples: tuple[str, ...] = ()
    """Real article URLs: `article_pattern` must match each (checked in tests)."""
    evidence: str = ""
    """Where the URL rules, feeds and selectors come from."""

    @cached_property
    def article_re(self) -> re.Pattern[str]:
        return re.compile(self.article_pattern)

    def is_article_url(self, url: str) -> bool:
        """Is `url` one of this site's article pages (not a section, tag or video page)?"""
        return host_of(url) in self.all_hosts and bool(self.article_re.search(url))

    @cached_property
    def all_hosts(self) -> tuple[str, ...]:
        return (host_of(self.home), *self.hosts)

    def row(self) -> dict[str, Any]:
        """The fields the archive's `sites` table keeps."""
        return {"id": self.id, "name": self.name, "province": self.province,
                "home": self.home, "platform": self.platform}


class Registry:
    """The papers, by id and by host. Built once at the edge (`load`) and passed in."""

    def __init__(self, sites: Iterable[Site]):
        self._by_id = {s.id: s for s in sites}
        self._by_host = {host: s for s in self._by_id.values() for host in s.all_hosts}

    def __iter__(self) -> Iterator[Site]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, site_id: object) -> bool:
        return site_id in self._by_id

    def ids(self) -> list[str]:
        return list(self._by_id)

    def get(self, site_id: str) -> Site:
        try:
            return self._by_id[site_id]
        except KeyError:
            raise KeyError(f"unknown site {site_id!r}; known: {', '.join(self._by_id)}") \
                from None

    def for_url(self, url: str) -> Site | None:
        """The paper `url` belongs to, by host; None for a site not in the registry."""
        return self._by_host.get(host_of(url))


class SitesFileError(ValueError):
    """`$NEWSARCHIVE_SITES` cannot be used: unreadable, malformed, or a paper in it
    would share a host with another paper."""


def load(extra: str | Path | None = None) -> Registry:
    """The built-in papers, plus those in the JSON file `extra` (a list of objects with
    Site's fields; the CLI passes `$NEWSARCHIVE_SITES`), which win on the same id. A
    paper of `extra` may not take another paper's host, or a host under it (its pages
    would be stored as that paper's): SitesFileError, as for a file that cannot be read."""
    from .papers import SITES

    chosen = {s.id: s for s in SITES}
    if extra:
        for site in _read(Path(extra)):
            for other in chosen.values():
                if other.id != site.id and (shared := _shared_host(site, other)):
                    raise SitesFileError(f"{extra}: paper {site.id!r} shares the host "
                                         f"{shared} with paper {other.id!r}")
            chosen[site.id] = site
    return Registry(chosen.values())


def _read(path: Path) -> list[Site]:
    """The papers of a `$NEWSARCHIVE_SITES` file."""
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SitesFileError(f"cannot read {path}: {exc.strerror or exc}") from None
    except ValueError as exc:  # bad JSON or bad UTF-8
        raise SitesFileError(f"{path}: not a JSON list of papers: {exc}") from None
    if not isinstance(entries, list):
        raise SitesFileError(f"{path}: not a JSON list of papers")
    sites = []
    for n, entry in enumerate(entries, 1):
        try:
            for key in TUPLE_FIELDS:
                entry[key] = tuple(entry.get(key, ()))
            sites.append(Site(**entry))
        except (TypeError, AttributeError) as exc:
            raise SitesFileError(f"{path}: paper {n}: {exc}") from None
    return sites


def _shared_host(site: Site, other: Site) -> str | None:
    """A host of `site` that is one of `other`'s, or under one (or over one)."""
    for mine in site.all_hosts:
        for theirs in other.all_hosts:
            if mine == theirs or mine.endswith("." + theirs) or theirs.endswith("." + mine):
                return mine
    return None
