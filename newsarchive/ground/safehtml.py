"""Scraped HTML made safe to show: the one allow-list, used by extraction and publishing."""

from __future__ import annotations

import nh3

from .memory import require_room

ALLOWED_TAGS = {"p", "br", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote",
                "pre", "code", "table", "thead", "tbody", "tfoot", "tr", "td", "th",
                "caption", "figure", "figcaption", "img", "a", "strong", "b", "em", "i",
                "u", "sub", "sup", "hr", "dl", "dt", "dd"}
ALLOWED_ATTRS = {"a": {"href", "title"}, "img": {"src", "alt"},
                 "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}

_LARGE = 1 << 20  # characters
_ROOM_PER_CHAR = 16  # bytes nh3 may map per character: its tree and its output


def sanitise(fragment: str) -> str:
    """Scraped HTML made safe to show: an allow-list of tags, http(s) links only. A
    fragment of a megabyte or more is first checked to fit under the process's memory
    ceiling (nh3 needs several times its size), so that a page too large is a
    MemoryError, not an aborted process."""
    if len(fragment) >= _LARGE:
        require_room(_ROOM_PER_CHAR * len(fragment))
    return nh3.clean(fragment, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRS,
                     url_schemes={"http", "https"}, link_rel="nofollow noopener noreferrer",
                     strip_comments=True).strip()
