"""The newspapers: one small declarative entry each.

Adding a paper on a known platform is one `Site(...)` entry in `papers.py`: its id,
hosts, platform, feeds/sitemaps/listings and the pattern of its article URLs.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from ..urls import host_of
from .platforms import PLATFORMS


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

    @cached_property
    def article_re(self) -> re.Pattern[str]:
        return re.compile(self.article_pattern)

    def is_article_url(self, url: str) -> bool:
        """Is `url` one of this site's article pages (not a section, tag or video page)?"""
        return host_of(url) in self.all_hosts and bool(self.article_re.search(url))

    @cached_property
    def all_hosts(self) -> tuple[str, ...]:
        return (host_of(self.home), *self.hosts)

    @property
    def layouts(self):
        return PLATFORMS.get(self.platform or "", ())


def _registry() -> dict[str, Site]:
    """The built-in papers, plus any listed in the JSON file named by
    `$NEWSARCHIVE_SITES` (a list of objects with Site's fields)."""
    from .papers import SITES

    registry = {s.id: s for s in SITES}
    extra = os.environ.get("NEWSARCHIVE_SITES")
    if extra:
        for entry in json.loads(Path(extra).read_text(encoding="utf-8")):
            for key in ("hosts", "feeds", "sitemaps", "listings"):
                entry[key] = tuple(entry.get(key, ()))
            registry[entry["id"]] = Site(**entry)
    return registry


_BY_ID: dict[str, Site] | None = None


def all_sites() -> dict[str, Site]:
    global _BY_ID
    if _BY_ID is None:
        _BY_ID = _registry()
    return _BY_ID


def get(site_id: str) -> Site:
    try:
        return all_sites()[site_id]
    except KeyError:
        raise KeyError(f"unknown site {site_id!r}; known: {', '.join(all_sites())}") from None


@lru_cache(maxsize=1)
def _by_host(registry_id: int) -> dict[str, Site]:
    return {host: site for site in all_sites().values() for host in site.all_hosts}


def site_for_url(url: str) -> Site | None:
    return _by_host(id(all_sites())).get(host_of(url))
