"""Article URLs from listing pages, RSS/Atom feeds and sitemaps (what the spiders follow)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from ..ground.dates import iso, parse_date
from ..ground.urls import absolute, clean_url, url_key
from .decode import decode, parse_html


@dataclass(frozen=True)
class Link:
    """A discovered URL; `modified` (ISO) when the feed or sitemap says when it changed."""

    url: str
    modified: str | None = None


def _xml(data: bytes):
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True,
                             huge_tree=False, remove_comments=True)
    root = etree.fromstring(data.strip() or b"<x/>", parser=parser)
    if root is None:
        raise ValueError("not XML")
    return root


def _when(value: str | None) -> str | None:
    if not value:
        return None
    dt = parse_date(value)[0]
    if dt is None:  # RFC 822, as RSS writes it
        from email.utils import parsedate_to_datetime

        try:
            dt = parsedate_to_datetime(value.strip())
        except (TypeError, ValueError):
            return None
    return iso(dt)


def feed_links(data: bytes, base: str) -> list[Link]:
    """Item links of an RSS 2.0 or Atom feed, in feed order."""
    root = _xml(data)
    out = []
    for item in root.xpath("//*[local-name()='item' or local-name()='entry']"):
        href = item.xpath("string(*[local-name()='link']/@href)") or item.xpath(
            "string(*[local-name()='link'])") or item.xpath("string(*[local-name()='guid'])")
        when = item.xpath("string(*[local-name()='pubDate' or local-name()='updated' or "
                          "local-name()='published'])")
        url = absolute(href.strip(), base)
        if url:
            out.append(Link(clean_url(url), _when(when)))
    return out


def sitemap_links(data: bytes, base: str) -> tuple[list[Link], bool]:
    """(`<loc>` entries with `<lastmod>`, whether this is a sitemap index)."""
    root = _xml(data)
    is_index = etree.QName(root).localname == "sitemapindex"
    out = []
    for node in root.xpath("*[local-name()='url' or local-name()='sitemap']"):
        loc = node.xpath("string(*[local-name()='loc'])").strip()
        mod = node.xpath("string(*[local-name()='lastmod'])") or node.xpath(
            "string(*[local-name()='news']/*[local-name()='publication_date'])")
        url = absolute(loc, base)
        if url:
            out.append(Link(clean_url(url), _when(mod)))
    return out, is_index


def listing_links(data: bytes, base: str) -> list[Link]:
    """Every link of an HTML page, absolute and cleaned, in page order."""
    doc = parse_html(decode(data)[0])
    base_href = doc.xpath("string(//base/@href)")
    base = absolute(base_href, base) or base if base_href else base
    return [Link(clean_url(u)) for u in (absolute(h, base) for h in doc.xpath("//a/@href")) if u]


def article_links(data: bytes, url: str, kind: str,
                  is_article: Callable[[str], bool] | None = None) -> list[Link]:
    """Article URLs a listing, feed or sitemap page links to, once each, in page order.
    `kind` is `listing`, `rss` or `sitemap`; `is_article(url)` filters (the caller
    passes its site's `is_article_url`; None keeps every link)."""
    if kind == "rss":
        links = feed_links(data, url)
    elif kind == "sitemap":
        links = sitemap_links(data, url)[0]
    else:
        links = listing_links(data, url)
    seen: set[str] = set()
    out = []
    for link in links:
        key = url_key(link.url)
        if key not in seen and (is_article is None or is_article(link.url)):
            seen.add(key)
            out.append(link)
    return out
