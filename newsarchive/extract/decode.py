"""Bytes to text and a parsed tree, whatever the page claims its charset is."""

from __future__ import annotations

import codecs
import re
import unicodedata

import lxml.html
from lxml import etree

MAX_BYTES = 20 * 1024 * 1024

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)""")
# A Vietnamese page that is not UTF-8 but claims a Western code page is windows-1258.
_WESTERN = ("iso-8859-1", "latin1", "latin-1", "windows-1252", "cp1252", "us-ascii", "ascii")
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


class ExtractError(Exception):
    """The input cannot be read as a web page at all."""


def declared_charset(data: bytes, header: str | None = None) -> str | None:
    """Charset from the HTTP header value, else a `<meta charset>` or XML declaration."""
    if header and (m := re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", header, re.I)):
        return m.group(1).lower()
    head = data[:4096]
    m = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return m.group(1).decode("ascii").lower() if m else None


def decode(data: bytes, content_type: str | None = None) -> tuple[str, str]:
    """(`text`, `encoding used`). Valid UTF-8 wins over a wrong declaration (pages often
    say windows-1252 and send UTF-8); otherwise the declared charset, except that a
    Western code page or none means windows-1258, the legacy Vietnamese one."""
    if not data or not data.strip():
        raise ExtractError("empty input")
    if len(data) > MAX_BYTES:
        raise ExtractError(f"page too large: {len(data)} bytes (limit {MAX_BYTES})")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data.decode(enc, errors="replace"), enc
    sample = data[:65536]
    if sample.count(b"\x00") > len(sample) // 100 or _binary(sample):
        raise ExtractError("binary data, not an HTML page")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    enc = declared_charset(data, content_type)
    if enc in (None, "utf-8", "utf8", *_WESTERN):
        enc = "windows-1258"
    try:
        codecs.lookup(enc)
    except LookupError:
        enc = "windows-1258"
    # windows-1258 writes tone marks as combining characters: compose them.
    return unicodedata.normalize("NFC", data.decode(enc, errors="replace")), enc


_CONTROL = bytes(b for b in range(32) if b < 9 or b > 13)
_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL)


def _binary(sample: bytes) -> bool:
    """More than 5% control bytes: not text in any charset."""
    return len(sample.translate(None, _NOT_CONTROL)) > len(sample) // 20


def parse_html(text: str) -> lxml.html.HtmlElement:
    """A forgiving parse; deep or broken markup gives a best-effort tree, never a crash."""
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    parser = lxml.html.HTMLParser(remove_comments=True, huge_tree=True, encoding=None)
    try:
        doc = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise ExtractError(f"not parseable as HTML: {exc}") from exc
    if doc is None:
        raise ExtractError("not parseable as HTML")
    return doc
