"""Checks on a normalised Article: the fields readers judge first must be there."""

from __future__ import annotations

import logging

from ..items import Fetched

log = logging.getLogger(__name__)


class ValidatePipeline:
    def process_item(self, item: Fetched) -> Fetched:
        art = item.article
        if art is None:
            return item
        missing = [name for name, value in (("title", art.title), ("body", art.body_text),
                                            ("date", art.published_at)) if not value]
        if missing:
            item.problems.append("missing " + "+".join(missing))
            log.warning("%s: missing %s", item.url, ", ".join(missing))
        if art.site != item.site:  # a redirect to another paper: keep the registry's id
            art.site = item.site
        return item
