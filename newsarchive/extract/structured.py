"""The structured layers: schema.org JSON-LD and OpenGraph / `article:*` meta tags.

Each returns raw candidate values keyed by Article field (`title`, `sapo`, `authors`,
`published`, `modified`, `section`, `tags`, `image`, `url`, `language`); the merge in
`extract.core` normalises them. Nothing here raises on bad markup: problems go to `notes`.
"""

from __future__ import annotations

import json
import re
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from .text import clean
from .visible import crumbs_section

ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle",
                 "blogposting", "opinionnewsarticle", "backgroundnewsarticle", "report",
                 "liveblogposting", "webpage"}
_PREFERRED = ("newsarticle", "reportagenewsarticle", "analysisnewsarticle", "article",
              "opinionnewsarticle", "backgroundnewsarticle", "blogposting", "liveblogposting",
              "report")

# compiled once: an expression given to `.xpath()` is compiled at every call
_LD_SCRIPTS = etree.XPath('//script[@type="application/ld+json"]')
_METAS = etree.XPath("//meta[@content]")


def _types(node: dict) -> set[str]:
    t = node.get("@type") or []
    return {str(x).lower() for x in (t if isinstance(t, list) else [t])}


def _walk(data: Any):
    """Every dict in a JSON-LD document, @graph, nested lists and a page's `mainEntity`
    (`{"@type": "WebPage", "mainEntity": {"@type": "NewsArticle", …}}`) included."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            yield item
            stack.extend(item[k] for k in ("mainEntity", "@graph") if k in item)


def _loads(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        # Common CMS slips: raw newlines/tabs in strings, trailing commas.
        repaired = re.sub(r"[\x00-\x1f]+", " ", text)
        repaired = re.sub(r",\s*([}\]])", r"\1", repaired)
        return json.loads(repaired)


def _names(value: Any) -> list[str]:
    """Person names from a JSON-LD author value (string, object or list)."""
    out = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, dict):
            if "organization" in " ".join(_types(item)):
                continue
            item = item.get("name")
        if isinstance(item, str) and clean(item) and not item.startswith("http"):
            out.append(clean(item))
    return out


def _image_url(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("url") or value.get("@id")
    return value if isinstance(value, str) else None


def _keywords(value: Any) -> list[str]:
    items = value if isinstance(value, list) else str(value or "").split(",")
    return [clean(k) for k in items if clean(str(k))]


def types_on_page(doc: lxml_html.HtmlElement) -> set[str]:
    """The lower-cased `@type`s of every JSON-LD node on the page (unreadable blocks skipped)."""
    found: set[str] = set()
    for script in _LD_SCRIPTS(doc):
        try:
            data = _loads((script.text or "").strip() or "null")
        except (json.JSONDecodeError, RecursionError):
            continue
        for node in _walk(data):
            found |= _types(node)
    return found


def jsonld(doc: lxml_html.HtmlElement, notes: list[str],
           types: set[str] | None = None) -> tuple[dict[str, Any], bool]:
    """(candidate fields from the page's article JSON-LD, whether one was found).
    `types`, when given, gets what `types_on_page` gives, from the blocks read here."""
    articles, crumbs = [], []
    for script in _LD_SCRIPTS(doc):
        text = (script.text or "").strip()
        if not text:
            continue
        try:
            data = _loads(text)
        except (json.JSONDecodeError, RecursionError) as exc:
            notes.append(f"jsonld: unreadable block skipped ({str(exc)[:80]})")
            continue
        for node in _walk(data):
            found = _types(node)
            if types is not None:
                types |= found
            if found & ARTICLE_TYPES and (node.get("headline") or node.get("name")):
                articles.append(node)
            if "breadcrumblist" in found:
                crumbs.append(node)
    out: dict[str, Any] = {}
    if crumbs:  # the last crumb that is not the home page or the article itself
        items = []
        for it in _walk(crumbs[0].get("itemListElement") or []):
            item = it.get("item")
            name = it.get("name") or (item.get("name") if isinstance(item, dict) else None)
            if name and (it.get("@type") == "ListItem" or "position" in it):
                items.append(clean(name))
        headline = next((n.get("headline") or n.get("name") for n in articles), None)
        if section := crumbs_section(items, headline):
            out["section"] = section
    if not articles:
        return out, False
    articles.sort(key=lambda n: min((_PREFERRED.index(t) for t in _types(n) if t in _PREFERRED),
                                    default=len(_PREFERRED)))
    node = articles[0]
    page = node.get("mainEntityOfPage")
    out |= {
        "title": node.get("headline") or node.get("name"),
        "sapo": node.get("description"),
        "authors": _names(node.get("author")),
        "published": node.get("datePublished") or node.get("dateCreated"),
        "modified": node.get("dateModified"),
        "tags": _keywords(node.get("keywords")),
        "image": _image_url(node.get("image") or node.get("thumbnailUrl")),
        "url": node.get("url") or (page.get("@id") if isinstance(page, dict) else page),
        "language": node.get("inLanguage"),
        "body": node.get("articleBody"),
    }
    section = node.get("articleSection")
    if isinstance(section, list):
        section = section[-1] if section else None
    if section and "section" not in out:
        out["section"] = section
    is_article = bool(_types(node) - {"webpage"})
    return {k: v for k, v in out.items() if v not in (None, "", [])}, is_article


def _meta(doc: lxml_html.HtmlElement) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for m in _METAS(doc):
        key = (m.get("property") or m.get("name") or m.get("itemprop") or "").strip().lower()
        if key:
            found.setdefault(key, []).append(m.get("content") or "")
    return found


def meta(doc: lxml_html.HtmlElement) -> tuple[dict[str, Any], bool]:
    """(candidate fields from OpenGraph, `article:*` and common news meta tags, og:type=article)."""
    m = _meta(doc)

    def first(*keys: str) -> str | None:
        for key in keys:
            for value in m.get(key, []):
                if clean(value):
                    return value
        return None

    tags: list[str] = []
    for value in m.get("article:tag", []):
        tags += _keywords(value)
    if not tags:
        tags = _keywords(first("news_keywords", "keywords"))
    authors = [a for a in m.get("article:author", []) if clean(a) and "://" not in a]
    if not authors and (dable := first("dable:author")):
        authors = [dable]
    if not authors:  # the HTML author meta, unless it is an address
        authors = [a for a in m.get("author", []) if clean(a) and not re.search(r"://|@", a)]
    out = {
        "title": first("og:title", "twitter:title"),
        "sapo": first("og:description", "description", "twitter:description"),
        "authors": authors,
        "published": first("article:published_time", "datepublished", "pubdate",
                           "og:published_time", "dc.date.issued", "publishdate"),
        "modified": first("article:modified_time", "datemodified", "lastmod", "og:updated_time"),
        "section": first("article:section"),
        "tags": tags,
        "image": first("og:image", "og:image:secure_url", "twitter:image", "thumbnail"),
        "url": first("og:url"),
        "language": first("og:locale"),
    }
    is_article = (first("og:type") or "").strip().lower() == "article"
    return {k: v for k, v in out.items() if v not in (None, "", [])}, is_article
