"""Raw page -> normalised Article, by the extractor (no rules of its own here)."""

from __future__ import annotations

import logging

from ..extract.core import NotAnArticle, extract
from ..extract.decode import ExtractError
from ..items import Fetched

log = logging.getLogger(__name__)


class NormalisePipeline:
    def process_item(self, item: Fetched) -> Fetched:
        if item.kind != "article":
            return item
        try:
            item.article = extract(item.body, item.url,
                                   content_type=item.headers.get("content-type"))
        except NotAnArticle as exc:
            item.problems.append("not-article")
            log.info("%s: %s", item.url, exc)
        except ExtractError as exc:
            item.problems.append(f"unreadable: {exc}")
            log.warning("%s unreadable: %s", item.url, exc)
        except Exception as exc:  # an extractor bug must not stop the crawl
            item.problems.append(f"extractor-error: {type(exc).__name__}: {exc}")
            log.exception("extractor failed on %s", item.url)
        return item
