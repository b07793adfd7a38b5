"""Re-extraction: run the current extractor over the stored raw pages (after a layout
fix); a version is recorded only where the content really changed."""

from __future__ import annotations

import json
import logging
from collections import Counter

from ..extract.core import NotAnArticle, extract
from ..extract.decode import ExtractError
from .store import Archive

log = logging.getLogger(__name__)


def reparse(archive: Archive, site: str | None = None) -> Counter:
    """Extract the newest stored page of every article URL again; counts of outcomes."""
    sql = ("SELECT p.id, p.url, p.headers, p.fetched_at FROM pages p "
           "JOIN (SELECT url_key, MAX(id) AS id FROM pages WHERE status = 200 "
           "AND kind = 'article' GROUP BY url_key) newest ON newest.id = p.id")
    counts: Counter = Counter()
    for page_id, url, headers, fetched_at in archive.conn.execute(sql).fetchall():
        from .. import sites

        found = sites.site_for_url(url)
        if site and (found.id if found else None) != site:
            continue
        content_type = json.loads(headers or "{}").get("content-type")
        try:
            article = extract(archive.page_body(page_id), url, content_type=content_type)
        except NotAnArticle:
            counts["not-article"] += 1
            continue
        except ExtractError as exc:
            log.warning("page %s (%s) unreadable: %s", page_id, url, exc)
            archive.flag_page(page_id, f"unreadable: {exc}")
            counts["unreadable"] += 1
            continue
        outcome, _ = archive.store(article, seen_at=fetched_at, fetched_url=url,
                                   page_id=page_id)
        counts[outcome] += 1
    return counts
