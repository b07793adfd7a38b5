"""Is this page an article at all? Decided from the page itself, never from the site.

Listings, section fronts, tag pages, home pages and error pages served with status 200 are
told apart from articles by what any news page shows: what the page declares (`og:type`,
the JSON-LD types), the shape of the text chosen as body (a teaser list alternates headline
links and short blurbs; an article has one run of running text), and the URL (a section's
URL carries no id-like token). `refusal` gives the reason a page is not an article, or None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from lxml import etree
from lxml import html as lxml_html

from .structured import types_on_page
from .text import clean, text_of

# JSON-LD types that declare a page of many items.
LISTING_TYPES = {"collectionpage", "itemlist", "searchresultspage", "profilepage"}
# Error pages served with status 200: words in the title or the main heading.
ERROR_WORDS = re.compile(
    r"(^|\W)((page )?not found|không tìm thấy (trang|nội dung|bài viết|đường dẫn|dữ liệu)|"
    r"(trang|bài viết|đường dẫn|nội dung)( bạn (tìm|yêu cầu|truy cập))? không tồn tại|"
    r"(lỗi|error) 404)($|\W)",
    re.IGNORECASE,
)
# `404` alone is an error only as the whole heading or before a separator (`404 - Báo X`),
# not in a headline such as `404 hộ dân nhận sổ đỏ`.
ERROR_CODE = re.compile(r"^\W*(lỗi |error )?(404|500|503)(\s*[-|:–—].*|\s+not found.*)?$",
                        re.IGNORECASE)
# A token that identifies one item: a run of digits, a hex id, a date in the path.
ITEM_ID = re.compile(r"\d{5,}|[0-9a-f]{16,}|/\d{4}/\d{1,2}/\d{1,2}/|\d{4}-\d{2}-\d{2}")
HEADLINE_MIN = 20       # characters of an anchor text that reads as a headline
TEASERS_MIN = 5         # headline links in the body that make a teaser list
TEASER_SHARE = 0.25     # ... when they are at least this share of the body's paragraphs
MAIN_BLOCK_MIN = 700    # characters of running text, no headline link between, of an article
LINK_DENSITY_MAX = 0.5  # link text over all text of the body element
RUNNING_TEXT = 1500     # characters of running text that outweigh hints alone


@dataclass
class Signals:
    """What the page says about its kind; `weak` are hints that need another to count."""

    strong: list[str] = field(default_factory=list)
    weak: list[str] = field(default_factory=list)
    running_text: int = 0   # the longest run of body text between headline links

    def reason(self) -> str | None:
        if self.strong:
            return self.strong[0]
        if len(self.weak) >= 2 and self.running_text < RUNNING_TEXT:
            return " and ".join(self.weak)
        return None


# compiled once: an expression given to `.xpath()` is compiled at every call
_OG_TYPE = etree.XPath('string((//meta[@property="og:type"])[1]/@content)')
_HEADINGS = etree.XPath("//title | //h1")
_READ_TEXT = etree.XPath(".//text()[not(ancestor::script or ancestor::style)]")


def refusal(doc: lxml_html.HtmlElement, url: str, *, ld_article: bool, body_el,
            paragraphs: list[str], layout_matched: bool = False,
            ld_types: set[str] | None = None) -> str | None:
    """Why the page is not an article (`listing: ...`, `error page: ...`), or None.

    `ld_article`: the JSON-LD declares an article with a headline; `body_el` and
    `paragraphs` are what the body layers chose (the element is None when only text was
    found); `layout_matched`: a layout recognised the page as one of its articles;
    `ld_types`: the page's JSON-LD types, if they were read already (`types_on_page`)."""
    og_type = _OG_TYPE(doc)
    if ld_types is None:
        ld_types = types_on_page(doc)
    return signals(doc, url, ld_types=ld_types, ld_article=ld_article,
                   og_type=og_type, body_el=body_el, paragraphs=paragraphs,
                   layout_matched=layout_matched).reason()


def signals(doc, url, *, ld_types, ld_article, og_type, body_el, paragraphs,
            layout_matched=False) -> Signals:
    out = Signals()
    if not ld_article:  # the title and headings, read only when they can tell
        headings = [clean(text_of(el))[:200] for el in _HEADINGS(doc)]
        for heading in headings:
            m = ERROR_WORDS.search(heading) or ERROR_CODE.match(heading)
            if m:
                out.strong.append(f"error page: {m.group(2)!r} in the title")
                break

    listing = sorted(ld_types & LISTING_TYPES)
    if listing and not ld_article:
        out.strong.append(f"listing: JSON-LD {listing[0]} and no article")

    path = urlsplit(url).path
    if path.strip("/") in ("", "index.html", "index.htm", "index.php", "home"):
        out.strong.append("home page: the URL has no path")
    elif not ITEM_ID.search(path):
        out.weak.append("section URL (no id in the path)")

    kind = (og_type or "").strip().lower()
    if kind == "website" and not ld_article and not layout_matched:
        out.weak.append("og:type website")
    if "website" in ld_types and not ld_article and not layout_matched:
        out.weak.append("JSON-LD WebSite and no article")

    heads, main_block = _teasers(doc, url, paragraphs)
    out.running_text = main_block
    declared = [name for name, seen in (("JSON-LD article", ld_article),
                                        ("og:type article", kind == "article"),
                                        ("a long text block", main_block >= RUNNING_TEXT))
                if seen]
    if heads >= TEASERS_MIN and heads >= TEASER_SHARE * max(len(paragraphs), 1):
        reason = f"listing: {heads} of {len(paragraphs)} body paragraphs are headline links"
        # an article that declares itself and has one long text block keeps its
        # in-text links (read-also lines between paragraphs): a hint, not a verdict
        (out.weak if len(declared) >= 2 else out.strong).append(reason)
    elif heads >= 3 and main_block < MAIN_BLOCK_MIN:
        out.weak.append(f"no main text ({main_block} chars between headline links)")
    if body_el is not None:
        links = _headline_links(body_el, url)
        if links >= TEASERS_MIN and _main_block(body_el, url) < MAIN_BLOCK_MIN:
            out.strong.append(f"listing: {links} headline links in the body and no main text")
        density = _link_density(body_el)
        if density > LINK_DENSITY_MAX:
            out.strong.append(f"listing: link density {density:.2f} in the body")
    return out


def _anchor_texts(doc, url: str) -> set[str]:
    """Texts of the links on the page that read as headlines, other than to the page."""
    here = urlsplit(url).path.rstrip("/")
    texts = set()
    for a in doc.iter("a"):
        href = a.get("href") or ""
        if not href or href.startswith(("#", "javascript:")):
            continue
        text = clean(text_of(a))
        if _path(href, len(text) >= HEADLINE_MIN) not in (None, here):
            texts.add(text.casefold())
    return texts


def _path(href: str, wanted: bool) -> str | None:
    """The path of `href` without its closing `/`, when `wanted` (a headline-long link):
    most links are not, and splitting their address is most of the work of reading a
    page's links. An address `urlsplit` refuses (a bracket, a host that is not ASCII) is
    split all the same, so that a page fails as it would."""
    if wanted or not href.isascii() or "[" in href or "]" in href:
        path = urlsplit(href).path.rstrip("/")
        return path if wanted else None
    return None


def _teasers(doc, url: str, paragraphs: list[str]) -> tuple[int, int]:
    """(body paragraphs that are, or begin with, the text of a headline link: a teaser's
    headline alone or run into its blurb; the longest run of text between two of them in
    characters)."""
    anchors = _anchor_texts(doc, url)
    lengths = sorted({len(a) for a in anchors})  # a prefix test per length, not per link
    heads = run = longest = 0
    for paragraph in paragraphs:
        text = clean(paragraph).casefold()
        if any(text[:n] in anchors for n in lengths if n <= len(text)):
            heads += 1
            run = 0
        else:
            run += len(paragraph)
            longest = max(longest, run)
    return heads, longest


def _headline_links(el, url: str) -> int:
    """Distinct pages linked from `el` by a headline-long anchor text."""
    here = urlsplit(url).path.rstrip("/")
    targets = set()
    for a in el.iter("a"):
        path = _path(a.get("href") or "", len(clean(text_of(a))) >= HEADLINE_MIN)
        if path and path != here:
            targets.add(path)
    return len(targets)


def _main_block(el, url: str) -> int:
    """The longest run of text in `el`, in characters, with no headline link inside it:
    an article's running text, or one teaser's blurb on a listing."""
    here = urlsplit(url).path.rstrip("/")
    run = longest = 0
    for node in _READ_TEXT(el):
        holder = node.getparent()
        if node.is_tail and holder is not None:
            holder = holder.getparent()
        anchor = None if holder is None else next(
            (a for a in (holder, *holder.iterancestors()) if a.tag == "a"), None)
        if anchor is not None and len(clean(text_of(anchor))) >= HEADLINE_MIN and \
                urlsplit(anchor.get("href") or "").path.rstrip("/") not in ("", here):
            run = 0
            continue
        run += len(clean(node))
        longest = max(longest, run)
    return longest


def _link_density(el) -> float:
    links = [a for a in el.iter("a") if not any(p.tag == "a" for p in a.iterancestors())]
    if not links:  # nothing linked: 0, whatever the text (read only to divide by)
        return 0.0
    total = len(clean(text_of(el)))
    if not total:
        return 0.0
    return sum(len(clean(text_of(a))) for a in links) / total
