"""Bytes to text and a parsed tree, whatever the page claims its charset is."""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass, field

import lxml.html
from lxml import etree

MAX_BYTES = 20 * 1024 * 1024
MAX_TAGS = 100_000
"""More `<` than this and the page is refused before parsing: the captured real pages
have at most 7,000, and a page of 100,000 elements takes the extractor over 30 s (a
million tiny tags in 7 MB is a tag bomb, not news)."""

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
    """(`text`, `encoding used`): `decode_page` without its notes."""
    decoded = decode_page(data, content_type)
    return decoded.text, decoded.encoding


@dataclass
class Decoded:
    """A page as text: the `encoding` used and `notes` on what was repaired."""

    text: str
    encoding: str
    notes: list[str] = field(default_factory=list)


def decode_page(data: bytes, content_type: str | None = None) -> Decoded:
    """Valid UTF-8 wins over a wrong declaration (pages often say windows-1252 and send
    UTF-8), and so does UTF-8 with a few bad bytes (a stray byte, a body cut inside a
    character): those are replaced by U+FFFD and noted. Otherwise the declared charset,
    except that a Western code page, none, or a name that is no text encoding (`rot13`,
    `base64`...) means windows-1258, the legacy Vietnamese one."""
    if not data or not data.strip():
        raise ExtractError("empty input")
    if len(data) > MAX_BYTES:
        raise ExtractError(f"page too large: {len(data)} bytes (limit {MAX_BYTES})")
    if (tags := data.count(b"<")) > MAX_TAGS:
        raise ExtractError(f"page too large: {tags} tags (limit {MAX_TAGS})")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return Decoded(data.decode(enc, errors="replace"), enc)
    sample = data[:65536]
    if sample.count(b"\x00") > len(sample) // 100 or _binary(sample):
        raise ExtractError("binary data, not an HTML page")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    text, bad = _lenient_utf8(data)
    if text is not None:
        return Decoded(text, "utf-8", [f"decode: {bad} invalid UTF-8 byte sequence"
                                       f"{'s' if bad > 1 else ''} replaced"])
    enc = declared_charset(data, content_type)
    if text_encoding(enc) in (None, "utf-8", *_WESTERN_CODECS):
        enc = "windows-1258"
    # windows-1258 writes tone marks as combining characters: compose them.
    return Decoded(unicodedata.normalize("NFC", data.decode(enc, errors="replace")), enc)


def text_encoding(name: str | None) -> str | None:
    """The codec name of `name` if it is a text encoding; None for unknown names and for
    codecs that are not text encodings (`rot13`, `zlib`, `base64`, `hex`, `uu`...)."""
    if not name:
        return None
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError, TypeError):
        return None
    if not getattr(info, "_is_text_encoding", True):
        return None
    return info.name


_WESTERN_CODECS = {codecs.lookup(name).name for name in _WESTERN}
# At most one bad sequence per this many good multi-byte characters still reads as UTF-8.
_GOOD_PER_BAD = 20


def _lenient_utf8(data: bytes) -> tuple[str | None, int]:
    """(text, bad sequences) when `data` is UTF-8 but for a few bad sequences: many
    well-formed multi-byte characters per bad one, or the only bad one is a character
    cut at the very end. (None, n) when it looks like another charset."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    good = sum(1 for ch in text if ord(ch) > 0x7F) - text.count("\ufffd")
    cut_at_end = bad == 1 and text.endswith("\ufffd")
    if bad > 0 and (cut_at_end or good >= _GOOD_PER_BAD * bad):
        return text, bad
    return None, bad


_CONTROL = bytes(b for b in range(32) if b < 9 or b > 13)
_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL)


def _binary(sample: bytes) -> bool:
    """More than 5% control bytes: not text in any charset."""
    return len(sample.translate(None, _NOT_CONTROL)) > len(sample) // 20


# Every element an HtmlElement, chosen in C: lxml.html's own lookup is Python code run
# each time Python first touches an element (tens of times a page, thousands on a real
# one), to give forms, inputs, selects, text areas and labels classes of their own,
# whose form methods extraction never calls.
_CLASSES = etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment,
    pi=lxml.html.HtmlProcessingInstruction, entity=lxml.html.HtmlEntity)


def parse_html(text: str) -> lxml.html.HtmlElement:
    """A forgiving parse; deep or broken markup gives a best-effort tree, never a crash."""
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    parser = lxml.html.HTMLParser(remove_comments=True, huge_tree=True, encoding=None)
    parser.set_element_class_lookup(_CLASSES)
    try:
        doc = lxml.html.document_fromstring(text, parser=parser)
    except etree.XMLSyntaxError as exc:
        if exc.code == etree.ErrorTypes.ERR_NO_MEMORY:  # under the memory ceiling
            raise MemoryError("libxml2 ran out of memory parsing the page") from exc
        raise ExtractError(f"not parseable as HTML: {exc}") from exc
    except (etree.ParserError, ValueError) as exc:
        raise ExtractError(f"not parseable as HTML: {exc}") from exc
    if doc is None:
        raise ExtractError("not parseable as HTML")
    return doc
