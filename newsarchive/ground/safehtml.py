"""Scraped HTML made safe to show: the one allow-list, used by extraction and publishing."""

from __future__ import annotations

import nh3

ALLOWED_TAGS = {"p", "br", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote",
                "pre", "code", "table", "thead", "tbody", "tfoot", "tr", "td", "th",
                "caption", "figure", "figcaption", "img", "a", "strong", "b", "em", "i",
                "u", "sub", "sup", "hr", "dl", "dt", "dd"}
ALLOWED_ATTRS = {"a": {"href", "title"}, "img": {"src", "alt"},
                 "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}


def sanitise(fragment: str) -> str:
    """Scraped HTML made safe to show: an allow-list of tags, http(s) links only."""
    return nh3.clean(fragment, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRS,
                     url_schemes={"http", "https"}, link_rel="nofollow noopener noreferrer",
                     strip_comments=True).strip()
