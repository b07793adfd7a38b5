"""Text and URLs that are safe to keep and show: no control characters, web links only.

Control characters (C0 but newline and tab, DEL, C1) are not text: in a title they break
every Atom feed that carries it and, printed raw, they drive the reader's terminal. Nor
are Unicode's 66 noncharacters (U+FDD0-U+FDEF, and the last two code points of every
plane, U+FFFE and U+FFFF among them) or lone surrogates (half of a UTF-16 pair, which no
UTF-8 file can hold): XML refuses them all. A URL that is not http(s) (`javascript:`,
`data:`) is no link to a newspaper page."""

from __future__ import annotations

import dataclasses
import re
import unicodedata

from .article import Article, Image

_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_C1 = re.compile(r"[\x7f-\x9f]")
_ALL_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
NONCHARACTERS = frozenset([*range(0xFDD0, 0xFDF0),
                           *(plane << 16 | last for plane in range(17)
                             for last in (0xFFFE, 0xFFFF))])
_SURROGATES = re.compile("[\ud800-\udfff]")
# everything but tab, newline and the text of the Basic Multilingual Plane, as fast as a
# class of the controls alone: `_fit` keeps the characters past U+FFFF that are no
# noncharacter (emoji, Chữ Nôm of plane 2)
_UNFIT = re.compile("[^\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufdcf\ufdf0-\ufffd]")


def strip_controls(text: str, *, keep_lines: bool = True) -> str:
    """`text` without control characters; newline and tab are kept unless
    `keep_lines=False` (one line for a terminal column)."""
    return (_CONTROLS if keep_lines else _ALL_CONTROLS).sub("", text)


def clean_text(text: str) -> str:
    """`text` as it may be stored: a surrogate pair joined into its character, lone
    surrogates, noncharacters and control characters (but newline and tab) removed,
    then NFC."""
    if _UNFIT.search(text):
        if _SURROGATES.search(text):
            text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "ignore")
        text = _UNFIT.sub(_fit, text)
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def _fit(match: re.Match) -> str:
    char = match.group()
    return "" if ord(char) < 0x10000 or ord(char) in NONCHARACTERS else char


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
        return clean_text(value)
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items()}
    if isinstance(value, Image):
        return Image(_clean(value.url), _clean(value.caption))
    return value


def _texts(value, out: list[str]) -> None:
    """The strings `_clean` would clean in `value`, in `out`."""
    if isinstance(value, str):
        out.append(value)
    elif isinstance(value, list):
        for v in value:
            _texts(v, out)
    elif isinstance(value, dict):
        for k, v in value.items():
            _texts(k, out)
            _texts(v, out)
    elif isinstance(value, Image):
        _texts(value.url, out)
        _texts(value.caption, out)


def _all_clean(texts: list[str]) -> bool:
    """Whether `clean_text` leaves every one of `texts` as it is, told by two passes over
    them joined: printable (but tab and newline) means no control character, surrogate
    or noncharacter (categories Cc, Cs, Cn); the characters past U+FFFF it lets through
    are those `clean_text` keeps. Joined by newlines, which compose with nothing: the
    whole is NFC when each is. False sends them through `clean_text` one by one."""
    joined = "\n".join(texts)
    return (joined.replace("\n", " ").replace("\t", " ").isprintable()
            and unicodedata.is_normalized("NFC", joined))


def without_controls(art: Article) -> Article:
    """A copy of `art` whose every text field (list items, dict keys and values, image
    URLs and captions included) went through `clean_text` (or `art` itself when none
    changed). Every way into the archive (extraction, import, the cluster writer) ends
    here: an article cleaned already (by extraction) is only checked."""
    values = {f.name: getattr(art, f.name) for f in dataclasses.fields(art)}
    texts: list[str] = []
    for value in values.values():
        _texts(value, texts)
    if _all_clean(texts):
        return art
    changes = {name: _clean(value) for name, value in values.items()}
    if all(changes[name] == values[name] for name in changes):
        return art
    return dataclasses.replace(art, **changes)
