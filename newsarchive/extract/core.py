"""HTML -> Article, in layers: JSON-LD, meta tags, a site/platform layout, then trafilatura.

Which layer wins is decided per field in `ORDER`, the one place for that rule: a
hand-written layout knows its site best for what the reader sees (headline, lead,
byline, body); machine-readable JSON-LD and meta win for dates.
"""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from ..ground import dates
from ..ground.article import Article, Image
from ..ground.controls import without_controls
from ..ground.cpuparts import part
from ..ground.safehtml import sanitise
from ..ground.urls import absolute, clean_url, host_of
from ..sites import Site
from . import authors as bylines
from . import dateline, layout, pagetype, structured, titles, visible
from .body import Body, extract_body
from .decode import ExtractError, decode_page, parse_html
from .fallback import fuller_reading, locate_body, plainly_whole
from .platforms import GENERIC, PLATFORMS, SNIFFED
from .text import clean, element_text, parse_byline, strip_outlet_tag

log = logging.getLogger(__name__)

ORDER: dict[str, tuple[str, ...]] = {
    "title": ("layout", "jsonld", "meta", "generic", "fallback"),
    "sapo": ("layout", "body", "jsonld", "meta", "generic", "visible"),
    "authors": ("layout", "jsonld", "meta", "body", "generic", "dateline"),
    "source": ("layout", "body", "visible"),
    "published": ("jsonld", "meta", "layout", "generic", "dateline"),
    "modified": ("jsonld", "meta", "layout"),
    "section": ("layout", "meta", "jsonld", "visible"),
    "tags": ("layout", "visible", "meta", "jsonld", "generic"),
    "language": ("html", "jsonld", "meta"),
}
MIN_BODY_CHARS = 150
# compiled once: an expression given to `.xpath()` is compiled at every call
_SITE_NAME = etree.XPath('string(//meta[@property="og:site_name"]/@content)')
_BASE = etree.XPath("string(//base/@href)")
_CANONICAL = etree.XPath('//link[@rel="canonical"]/@href')


class NotAnArticle(Exception):
    """The page is readable but is not an article (a listing, an error page...);
    `reason` says why, as the refusing rule put it."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"not an article: {reason}")
        self.reason = reason


def extract(data: bytes | str, url: str, *, site: Site | None = None,
            content_type: str | None = None, now: datetime | None = None,
            layouts: bool = True) -> Article:
    """Extract one Article from a saved page of `site` (None: a paper not in the
    registry). Raises ExtractError for unreadable input and NotAnArticle for pages that
    are not articles. `layouts=False` uses only the generic layers (structured data,
    meta, fallback), as for an unknown site."""
    with part("parse"):
        decoded = decode_page(data, content_type) if isinstance(data, bytes) else None
        text = decoded.text if decoded else data
        if not text.strip():
            raise ExtractError("empty input")
        doc = parse_html(text)
    with part("extract"):
        art = extract_tree(doc, url, site=site, now=now, layouts=layouts)
    if decoded and decoded.notes:
        art.notes = decoded.notes + art.notes
    return art


def choose_layout(doc, site: Site | None, published: datetime | None,
                  present: layout.Present | None = None):
    """The site's platform layout whose `detect` matches (the one whose dates contain
    `published` when several do); for unknown sites, any tested platform's (`SNIFFED`);
    else None. `present` (the page's attribute values, `layout.Present`) is asked only
    when sniffing: a site's own layouts mostly match, and it would cost a walk more."""
    own = PLATFORMS.get(site.platform or "") if site else None
    pools = [own] if own else [PLATFORMS[name] for name in SNIFFED]
    present = None if own else present
    candidates = [lay for pool in pools for lay in pool if layout.matches(lay, doc, present)]
    if published and len(candidates) > 1:
        day = published.date().isoformat()
        dated = [c for c in candidates
                 if (c.since or "0000") <= day <= (c.until or "9999")]
        candidates = dated or candidates
    return candidates[0] if candidates else None


@dataclass
class LayerFindings:
    """What each layer found on a page, before the per-field choice."""

    layers: dict[str, dict[str, Any]]
    layout: layout.Layout | None
    body: Body
    body_layer: str
    base: str
    is_article: bool
    body_element: Any = None
    ld_article: bool = False
    ld_types: set[str] | None = None  # every JSON-LD node's @type, as `types_on_page`


def read_layers(doc: lxml_html.HtmlElement, url: str, site: Site | None,
                layouts: bool, notes: list[str]) -> LayerFindings:
    """Run every layer over the page: structured data, a layout, the generic selectors
    and, when nothing else found the body, trafilatura."""
    layers: dict[str, dict[str, Any]] = {}
    ld_types: set[str] = set()  # read with the JSON-LD, not parsed again for the page type
    layers["jsonld"], ld_article = structured.jsonld(doc, notes, ld_types)
    layers["meta"], og_article = structured.meta(doc)
    layers["html"] = {"language": doc.get("lang")}

    ld_date = dates.parse_date(layers["jsonld"].get("published"))[0]
    present = layout.Present(doc)  # selectors that cannot match are not evaluated
    lay = choose_layout(doc, site, ld_date, present) if layouts else None
    layers["layout"] = layout.apply(lay, doc) if lay else {}
    body_el = layers["layout"].pop("body_element", None)
    body_layer = f"layout:{lay.name}" if lay else "layout"
    if lay:
        layers["generic"] = {}
    else:  # what the structured layers left open; headline and date to check theirs
        known = layers["jsonld"].keys() | layers["meta"].keys()
        wanted = ("title", "body", "published",
                  *(f for f in ("sapo", "authors", "tags") if f not in known))
        layers["generic"] = layout.apply(GENERIC[0], doc,
                                         tuple(f for f in wanted if f != "authors"), present)
        if not layers["jsonld"].get("authors"):  # a meta author may be the site's name
            layers["generic"]["authors"] = bylines.byline(doc, GENERIC[0].authors, present)
        hint = layers["jsonld"].get("title") or layers["meta"].get("title")
        layers["generic"]["title"] = visible.headline(doc, hint)
        layers["dateline"] = {}
        if not any(dates.parse_date(layers[name].get("published"))[1]
                   for name in ("jsonld", "meta")):  # a date without a time, or none
            layers["dateline"]["published"] = dateline.find(doc, url, notes, hint)
    if body_el is None:
        body_el = layers["generic"].pop("body_element", None)
        body_layer = "generic"
    fallback: dict[str, Any] = {}
    if body_el is None:
        found = [name for name in ("jsonld", "meta", "generic", "dateline", "layout")
                 if dates.parse_date(layers.get(name, {}).get("published"))[0]]
        titled = any(layers.get(name, {}).get("title") for name in ("jsonld", "meta", "generic"))
        body_el, fallback = locate_body(doc, url, metadata=not (found and titled))
        body_layer = "fallback"
    layers["fallback"] = fallback

    base = _base_url(doc, url)
    drop = layout.css(lay.drop) if lay and lay.drop else None
    body = extract_body(body_el, base, drop) if body_el is not None else Body()
    if body_el is None and fallback.get("text"):
        body.paragraphs = [p for p in fallback["text"].split("\n") if p.strip()]
        body.html = sanitise("".join(f"<p>{html.escape(p)}</p>" for p in body.paragraphs))
    layers["body"] = {"sapo": body.lead, "authors": body.authors, "source": body.source}
    if not lay:
        if not any(layers[name].get("authors") for name in ("jsonld", "body", "generic")):
            # a meta author is often the site's name: the dateline's byline stands behind it
            layers["dateline"]["authors"] = visible.dateline_byline(doc)
        layers["visible"] = _visible(doc, body_el, layers)
    return LayerFindings(layers, lay, body, body_layer, base,
                         ld_article or og_article or lay is not None, body_el, ld_article,
                         ld_types)


def _fuller_body(doc, url: str, body: Body, body_layer: str) -> str:
    """The generic body, or trafilatura's fuller reading when the body is a fragment
    (`fallback.fuller_reading`); returns the layer that gave it, `fallback:recall` then."""
    page = doc.find("body")
    if page is not None and plainly_whole(len(body.text), page):
        return body_layer
    visible_chars = len(element_text(page)) if page is not None else 0
    fuller = fuller_reading(doc, url, len(body.text), visible_chars)
    if not fuller:
        return body_layer
    body.paragraphs = fuller
    body.html = sanitise("".join(f"<p>{html.escape(p)}</p>" for p in fuller))
    return "fallback:recall"


def _visible(doc, body_el, layers) -> dict[str, Any]:
    """The generic path's reading of what the page shows around the body: the
    breadcrumb's section, the tag box, a source line after the body and a lead above it;
    each looked for only when an earlier layer in ORDER has not given the field. It
    reads `layers` and writes nothing into them."""
    def lacks(field: str) -> bool:
        return not any(layers.get(name, {}).get(field) for name in ORDER[field]
                       if name != "visible")

    title = layers["generic"].get("title") or layers["jsonld"].get("title")
    keywords = [*layers["meta"].get("tags", []), *layers["jsonld"].get("tags", [])]
    start = body_el if body_el is not None else next(iter(doc.iter("h1")), None)
    return {"section": visible.breadcrumb(doc, title) if lacks("section") else None,
            "tags": visible.tag_box(doc, start, keywords),
            "source": visible.source_after(body_el) if lacks("source") else None,
            "sapo": visible.lead_before(body_el) if lacks("sapo") else None}


def extract_tree(doc: lxml_html.HtmlElement, url: str, *, site: Site | None = None,
                 now: datetime | None = None, layouts: bool = True) -> Article:
    """The Article of a parsed page: each field from the first layer in ORDER that has it."""
    notes: list[str] = []
    reading = read_layers(doc, url, site, layouts, notes)
    refused = pagetype.refusal(doc, url, ld_article=reading.ld_article,
                               body_el=reading.body_element, paragraphs=reading.body.paragraphs,
                               layout_matched=reading.layout is not None,
                               ld_types=reading.ld_types)
    if refused:
        raise NotAnArticle(refused)
    layers, lay, body, body_layer, base = (reading.layers, reading.layout, reading.body,
                                           reading.body_layer, reading.base)
    if lay is None and reading.is_article:  # a fragment of a declared article
        body_layer = _fuller_body(doc, url, body, body_layer)
    fallback = layers["fallback"]
    layout_name = f"layout:{lay.name}" if lay else "layout"

    art = Article(url=_canonical(doc, url), site=site.id if site else host_of(url))
    names = {"layout": layout_name}

    def pick(field: str) -> tuple[Any, str | None]:
        for layer in ORDER[field]:
            value = layers.get(layer, {}).get(field)
            if value not in (None, "", []):
                return value, names.get(layer, layer)
        return None, None

    def put(field: str, value: Any, layer: str | None) -> None:
        setattr(art, field, value)
        if value not in (None, "", []) and layer:
            art.provenance[field] = layer

    title, where = pick("title")
    title = clean(title)
    site_name = (_SITE_NAME(doc)
                 or (site.name if site else None))
    if where in ("jsonld", "meta", "fallback"):
        title = visible.without_outlet(title, site_name, host_of(url))
    if where in ("jsonld", "meta"):  # the headline readers see, against the SEO variants
        headline = clean(layers["generic"].get("title"))
        structured = [(visible.without_outlet(clean(layers[name]["title"]), site_name,
                                              host_of(url)), name)
                      for name in ("jsonld", "meta") if layers[name].get("title")]
        h1 = next((h for h in doc.iter("h1") if element_text(h) == headline), None)
        title, where = titles.reconcile(headline, h1, structured) or (title, where)
    put("title", title or None, where)

    sapo, where = pick("sapo")
    sapo = strip_outlet_tag(clean(sapo))[0] if sapo else None
    sapo, body = _reconcile_sapo(sapo if where != "body" else None, clean(title), body, sapo)
    put("sapo", sapo or None, where)

    put("body_text", body.text, body_layer if body.paragraphs else None)
    put("body_html", body.html, body_layer if body.html else None)
    put("images", body.images or _lead_image(layers, base), body_layer if body.images else "meta")

    put("section", *_section(layers, names))
    chrome = bylines.not_names(doc, host_of(url), [art.section, layers["meta"].get("section")])
    for layer in ORDER["authors"]:  # the first layer that names a person
        author_list = [a for a in bylines.clean_names(layers.get(layer, {}).get("authors") or [],
                                                      chrome) if not sites_name(a, site)]
        if author_list:
            put("authors", author_list, names.get(layer, layer))
            break

    source, where = pick("source")
    if source and where != "body":
        source = parse_byline(f"Theo {source}")[1] or clean(source)
    put("source", source, where)

    order = lay.meta_date_order if lay else "dmy"
    for field, attr in (("published", "published_at"), ("modified", "modified_at")):
        value, where = _date_field(layers, field, lay, order, notes, now)
        put(attr, value, where)
    if not art.published_at and fallback.get("date"):
        put("published_at", fallback["date"], "fallback")
        notes.append("published_at: date only, from the generic fallback")

    tags, where = pick("tags")
    put("tags", _unique(clean(t) for t in tags or []), where)
    lang, where = pick("language")
    put("language", (clean(lang)[:2].lower() or None) if lang else "vi", where or "default")
    art.notes = notes

    looks_like_article = reading.is_article
    if not art.title or len(art.body_text) < MIN_BODY_CHARS or not (
            looks_like_article or (art.published_at and len(art.body_text) > 500)):
        raise NotAnArticle(
            f"title={bool(art.title)}, body={len(art.body_text)} chars, "
            f"article markup={looks_like_article}")
    return without_controls(art)  # the text every way into the archive is held to


def sites_name(name: str, site: Site | None) -> bool:
    """Is this 'author' really the newspaper itself (`Báo Lào Cai điện tử`, `VnExpress`)?"""
    n = name.casefold()
    if site and n in (site.name.casefold(), site.id):
        return True
    return n.startswith(("báo ", "tạp chí ")) or bool(re.search(r"\.(vn|com|net)$", n))


def _date_field(layers, field, lay, meta_order, notes, now):
    """The first plausible date in ORDER; a date without a time of day gives way to a
    later layer's date on the same day that has one (JSON-LD `2026-01-08` vs the page's
    `08/01/2026 - 18:21`)."""
    raws = [(layer, layers.get(layer, {}).get(field)) for layer in ORDER[field]]
    raws = [(layer, raw) for layer, raw in raws if raw]
    best = None
    for layer, raw in raws:
        order = {"meta": meta_order, "layout": lay.date_order if lay else "dmy"}.get(layer, "dmy")
        dt, has_time = _parse_checked(raw, order, [r for other, r in raws if other != layer])
        if dt is None:
            notes.append(f"{field}: unreadable {layer} date {str(raw)[:40]!r}")
            continue
        if not dates.plausible(dt, now):
            notes.append(f"{field}: implausible {layer} date {dates.iso(dt)} ignored")
            continue
        name = "layout:" + lay.name if layer == "layout" and lay else layer
        if has_time and (best is None or best[0].date() == dt.date()):
            return dates.iso(dt), name
        best = best or (dt, name)
    if best:
        notes.append(f"{field}: date has no time of day")
        return dates.iso(best[0]), best[1]
    return None, None


def _section(layers, names) -> tuple[str | None, str | None]:
    """The first section in ORDER; a comma-joined one (ZCE's meta `Thời sự,Chính trị`)
    gives way to a later layer's section that is one of its parts, as a breadcrumb shows
    it, else its last, most specific part."""
    found = [(layer, clean(layers.get(layer, {}).get("section")).strip(" >»/"))
             for layer in ORDER["section"]]
    found = [(names.get(layer, layer), value) for layer, value in found if value]
    if not found:
        return None, None
    layer, value = found[0]
    parts = [p for p in (part.strip(" >»/") for part in value.split(",")) if p]
    if len(parts) < 2:
        return value, layer
    for other, shown in found[1:]:
        if shown in parts:
            return shown, other
    return parts[-1], layer


def _parse_checked(raw: str, order: str, others: list[str]):
    """Parse `raw` in `order`; when day and month could be swapped (`9/5/2026`) and no
    layout says how this site writes dates, let the page's other dates decide."""
    dt, has_time = dates.parse_date(raw, order)
    swapped_order = "mdy" if order == "dmy" else "dmy"
    swapped, _ = dates.parse_date(raw, swapped_order)
    if dt is None or swapped is None or swapped.date() == dt.date():
        return dt, has_time
    for other in others:
        seen = dates.parse_date(other)[0]
        if seen and seen.date() == swapped.date():
            return swapped, has_time
    return dt, has_time


def _reconcile_sapo(described: str | None, title: str, body: Body,
                    sapo: str | None) -> tuple[str | None, Body]:
    """Meta descriptions are often cut short, and a body found by the fallback often
    repeats the headline and the lead: keep each once, the lead in its full form.
    `described` is the sapo when it came from a description rather than the page."""
    stem = (described or "").rstrip(" .…").removesuffix("...").strip()
    for i, paragraph in enumerate(body.paragraphs[:3]):
        text = strip_outlet_tag(paragraph)[0]
        if text == title:
            body.paragraphs = body.paragraphs[:i] + body.paragraphs[i + 1:]
            return _reconcile_sapo(described, title, body, sapo)
        if len(stem) > 30 and text.startswith(stem[:-1]):
            body.paragraphs = body.paragraphs[:i] + body.paragraphs[i + 1:]
            return (text if len(text) >= len(stem) else sapo), body
    return sapo, body


def _lead_image(layers, base) -> list[Image]:
    for layer in ("jsonld", "meta"):
        url = absolute(layers[layer].get("image"), base)
        if url:
            return [Image(url=url)]
    return []


def _base_url(doc, url: str) -> str:
    base = _BASE(doc)
    return absolute(base, url) or url if base else url


def _canonical(doc, url: str) -> str:
    for href in _CANONICAL(doc):
        canon = absolute(href, url)
        if canon and host_of(canon) == host_of(url):
            return clean_url(canon)
    return clean_url(url)


def _unique(items) -> list[str]:
    out: list[str] = []
    for item in items:
        if item and item.casefold() not in {o.casefold() for o in out}:
            out.append(item)
    return out
