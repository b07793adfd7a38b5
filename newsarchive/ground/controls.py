"""Text and URLs that are safe to keep and show: no control characters, web links only.

Control characters (C0 but newline and tab, DEL, C1) are not text: in a title they break
every Atom feed that carries it and, printed raw, they drive the reader's terminal. A URL
that is not http(s) (`javascript:`, `data:`) is no link to a newspaper page."""

from __future__ import annotations

import dataclasses
import re

from .article import Article, Image

_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_C1 = re.compile(r"[\x7f-\x9f]")
_ALL_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def strip_controls(text: str, *, keep_lines: bool = True) -> str:
    """`text` without control characters; newline and tab are kept unless
    `keep_lines=False` (one line for a terminal column)."""
    return (_CONTROLS if keep_lines else _ALL_CONTROLS).sub("", text)


def escape_c1(json_text: str) -> str:
    """JSON text with DEL and C1 characters written as `\\u00XX` escapes (JSON escapes
    C0 itself, not these): the same value, safe on a terminal."""
    return _C1.sub(lambda m: f"\\u{ord(m.group()):04x}", json_text)


def web_url(url: str | None) -> bool:
    """Whether `url` is an absolute http(s) URL with a host."""
    if not isinstance(url, str) or _ALL_CONTROLS.search(url):
        return False
    scheme, sep, rest = url.strip().partition("://")
    return bool(sep) and scheme.lower() in ("http", "https") and bool(rest.split("/")[0])


def _clean(value):
    if isinstance(value, str):
        return strip_controls(value)
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, Image):
        return Image(_clean(value.url), _clean(value.caption))
    return value


def without_controls(art: Article) -> Article:
    """A copy of `art` whose every text field is free of control characters (or `art`
    itself when it has none)."""
    changes = {f.name: _clean(getattr(art, f.name)) for f in dataclasses.fields(art)}
    if all(changes[name] == getattr(art, name) for name in changes):
        return art
    return dataclasses.replace(art, **changes)
