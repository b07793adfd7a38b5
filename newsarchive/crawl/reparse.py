"""Re-extraction: run the current extractor over the stored raw pages (after a layout
fix); a version is recorded only where the content really changed."""

from __future__ import annotations

import logging
from collections import Counter

from ..archive import Archive
from ..archive.compression import CorruptBody
from ..sites import Registry
from .ingest import reingest

log = logging.getLogger(__name__)


def reparse(archive: Archive, registry: Registry, site: str | None = None) -> Counter:
    """Extract the newest stored page of every article URL again; counts of outcomes."""
    counts: Counter = Counter()
    for page in archive.pages.newest_articles():
        found = registry.for_url(page.url)
        if site and (found.id if found else None) != site:
            continue
        try:
            page.body = archive.pages.body(page.id)
        except CorruptBody as exc:  # counted, logged, and the stored article left as it is
            log.error("not reparsed: %s", exc)
            counts["unreadable"] += 1
            continue
        counts[reingest(archive, page, found).status] += 1
    return counts
