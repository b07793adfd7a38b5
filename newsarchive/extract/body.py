"""An article body element -> paragraphs, sanitised HTML, pictures with captions, and the
lead and byline lines that newspapers put inside the body."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from itertools import islice

from lxml import etree
from lxml import html as lxml_html
from lxml.cssselect import CSSSelector

from ..ground.article import Image
from ..ground.safehtml import sanitise
from ..ground.urls import absolute
from .text import (
    INVISIBLE,
    clean,
    has_text,
    is_boilerplate,
    is_dateline,
    looks_like_byline,
    parse_byline,
    source_line,
    strip_outlet_tag,
    text_of,
)
from .visible import is_trail

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
LEAVES = HEADINGS | {"p", "pre", "tr", "dt", "dd", "figcaption"}
BLOCKS = LEAVES | {"div", "section", "article", "li", "ul", "ol", "blockquote", "table",
                   "tbody", "thead", "tfoot", "figure", "header", "footer", "aside", "main",
                   "center", "dl", "form", "nav", "td", "th"}
TEXT_DIVS = {"div", "section", "article", "center", "header", "main"}
JUNK_TAGS = ("script", "style", "noscript", "iframe", "form", "button", "input", "select",
             "textarea", "svg", "ins", "link", "meta", "template", "object", "embed",
             "video", "audio", "canvas", "nav", "aside", "footer")
# Class or id tokens of boxes that are never the article.
JUNK_NAME = re.compile(
    r"(^|[-_ ])(ads?|adv|advert\w*|banner\w*|rennab|oneads|sda\w*|related\w*|relate|"
    r"share\w*|social\w*|comments?|breadcrumbs?|subscribe|newsletter|recommend\w*|"
    r"readmore|read-more|tin-?lien-?quan|box-?tin-?\w+|zalo\w*|fb-\w+|print\w*|"
    r"hidden|d-none|hide)($|[-_ ])",
    re.IGNORECASE,
)
CAPTION = CSSSelector(
    "figcaption, [class*=caption], [class*=Caption], p.Image, .desc_image, .image-desc, "
    ".expNoEdit, .fig-caption, .PhotoCMS_Caption"
)
_ITALIC_TEXT = etree.XPath(".//em//text()|.//i//text()")  # compiled once, not at each call
FIGURE_NAME = re.compile(r"(figure|image|photo|picture|img|VCSortable|pic|tplCaption)", re.I)
PIXEL = re.compile(r"(1x1|pixel|tracking|spacer|blank\.(gif|png)|/ads?/|logo)", re.I)
LAZY_ATTRS = ("data-src", "data-original", "data-lazy-src", "data-lazy", "data-srcset",
              "data-original-src", "srcset", "src")



@dataclass
class Body:
    """What the body element holds, once boilerplate is gone."""

    paragraphs: list[str] = field(default_factory=list)
    html: str = ""
    images: list[Image] = field(default_factory=list)
    lead: str | None = None
    authors: list[str] = field(default_factory=list)
    source: str | None = None

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


def _is_junk(el: lxml_html.HtmlElement) -> bool:
    names = f"{el.get('class') or ''} {el.get('id') or ''}"
    style = (el.get("style") or "").replace(" ", "").lower()
    return bool(JUNK_NAME.search(names)) or "display:none" in style


def _link_dense(el: lxml_html.HtmlElement) -> bool:
    """A box that is (nearly) all links: related articles, not the article."""
    text = clean(text_of(el))
    if len(text) < 20:
        return False
    linked = sum(len(clean(text_of(a))) for a in el.iter("a"))
    return linked > 0.8 * len(text)


def _images(el: lxml_html.HtmlElement, most: int = 2) -> int:
    """How many `img` are below `el` (as `.//img`, without an XPath), counted up to
    `most`: whether there is one, or exactly one."""
    return sum(1 for _ in islice(el.iterdescendants("img"), most))


def _drop(el: lxml_html.HtmlElement) -> None:
    if el.getparent() is not None:
        el.drop_tree()


def _image_src(img: lxml_html.HtmlElement, base: str) -> str | None:
    for attr in LAZY_ATTRS:
        value = (img.get(attr) or "").strip()
        if attr.endswith("srcset") and value:
            value = value.split(",")[0].split()[0]
        url = absolute(value, base)
        if url:
            return url
    return None


def _figure_container(img: lxml_html.HtmlElement, root) -> lxml_html.HtmlElement:
    el, best = img, img
    for _ in range(4):
        el = el.getparent()
        if el is None or el is root:
            break
        if el.tag == "figure" or el.tag == "table" or FIGURE_NAME.search(el.get("class") or ""):
            best = el
            if el.tag == "figure":
                break
        elif el.tag == "p" and _images(el) == 1 and not has_text(text_of(el)):
            best = el
    return best


def _caption_of(container, img) -> tuple[str | None, list]:
    """Caption text and the elements that hold it (to be removed from the body)."""
    if container is img:
        return None, []
    found = [c for c in CAPTION(container) if has_text(text_of(c))]
    found = [c for c in found if not any(a in found for a in c.iterancestors())]
    if found:
        return clean(" ".join(text_of(c) for c in found)), found
    if container.tag == "table":
        cells = [td for td in container.iter("td") if not _images(td)
                 and has_text(text_of(td))]
        if cells:
            return clean(" ".join(text_of(c) for c in cells)), cells
    # A centred or italic paragraph right after a picture paragraph (old CMSs).
    nxt = container.getnext()
    if nxt is not None and nxt.tag == "p" and not _images(nxt):
        text = clean(text_of(nxt))
        style = (nxt.get("style") or "").replace(" ", "").lower()
        italic = text and clean(" ".join(_ITALIC_TEXT(nxt))) == text
        if text and len(text) < 400 and ("text-align:center" in style or italic):
            return text, [nxt]
    return None, []


def _pictures(root, base: str) -> list[Image]:
    images: list[Image] = []
    seen: set[str] = set()
    made: dict = {}  # each figure built here -> its Image (None for a repeated picture)
    for img in list(root.iter("img")):
        if img.getparent() is None:
            continue
        src = _image_src(img, base)
        small = any((img.get(a) or "").strip() in ("0", "1", "2") for a in ("width", "height"))
        container = _figure_container(img, root)
        if not src or small or PIXEL.search(src):
            if container is img:
                _drop(img)
            continue
        caption, holders = _caption_of(container, img)
        figure = lxml_html.Element("figure")
        new_img = lxml_html.Element("img", src=src)
        if alt := clean(img.get("alt")):
            new_img.set("alt", alt)
        figure.append(new_img)
        if caption:
            cap = lxml_html.Element("figcaption")
            cap.text = caption
            figure.append(cap)
        for holder in holders:
            if holder is not container:
                _drop(holder)
        figure.tail = container.tail
        if container.getparent() is not None:
            container.getparent().replace(container, figure)
        made[figure] = None
        if src not in seen:
            seen.add(src)
            made[figure] = Image(url=src, caption=caption)
            images.append(made[figure])
    _shared_captions(root, made)
    return images


def _shared_captions(root, made: dict) -> None:
    """A caption standing on its own right after a run of pictures belongs to them: ZCE's
    galleries (`div.layout-image-N`) are several `<figure>`s, each with only its image,
    then one `<figcaption>` for them all. Every picture of the run gets the caption, and
    the run becomes one figure with the caption, so that it is never a body paragraph."""
    if not made:  # no picture: no run for a caption to follow
        return
    for cap in CAPTION(root):
        text = clean(text_of(cap))
        if not text or _images(cap) or root not in cap.iterancestors():
            continue
        run: list = []
        prev = cap.getprevious()
        while prev in made and not has_text(prev.tail) and prev.find("figcaption") is None:
            run.insert(0, prev)
            prev = prev.getprevious()
        if not run:
            continue
        group = run[0]
        for other in run[1:]:
            group.extend(list(other))
            _drop(other)
        figcaption = lxml_html.Element("figcaption")
        figcaption.text = text
        group.append(figcaption)
        for figure in run:
            if made[figure] is not None and not made[figure].caption:
                made[figure].caption = text
        _drop(cap)


def _contains_blocks(root) -> set:
    """Elements with a block element somewhere below them (each ancestor marked once)."""
    marked: set = set()
    for el in root.iter():
        if el.tag in BLOCKS and el is not root:
            parent = el.getparent()
            while parent is not None and parent not in marked:
                marked.add(parent)
                if parent is root:
                    break
                parent = parent.getparent()
    return marked


def _text_blocks(root) -> list[tuple[lxml_html.HtmlElement, str]]:
    has_blocks = _contains_blocks(root)
    out = []
    stack = list(reversed(root))
    while stack:
        el = stack.pop()
        if not isinstance(el.tag, str) or el.tag == "figure":
            continue
        if el.tag in LEAVES or el not in has_blocks:
            if el.tag in BLOCKS or el.tag in LEAVES or has_text(el.tail):
                text = _block_text(el)
                if text:
                    if el.tag in TEXT_DIVS:
                        el.tag = "p"  # a text-only div is a paragraph
                    out.append((el, text))
            continue
        if clean(el.text):
            out.append((el, clean(el.text)))
        stack.extend(reversed(el))
    return out


def _block_text(el) -> str:
    if el.tag == "tr":
        return " | ".join(t for t in (clean(text_of(c)) for c in el) if t)
    for br in el.iter("br"):
        br.tail = "\n" + (br.tail or "")
    return clean(text_of(el))


def _absolute_links(root, base: str) -> None:
    for a in root.iter("a"):
        href = absolute(a.get("href"), base)
        if href:
            a.set("href", href)
        elif "href" in a.attrib:
            del a.attrib["href"]


def _one_link(el, text: str) -> bool:
    """Is the block one link and nothing else (`Latest Posts`, `More from …`): a way to
    other pages, not a byline."""
    links = list(el.iter("a"))
    return len(links) == 1 and clean(text_of(links[0])) == text


def extract_body(element: lxml_html.HtmlElement, base: str,
                 drop: CSSSelector | None = None) -> Body:
    """Clean a copy of `element` and read the article body out of it."""
    root = copy.deepcopy(element)
    for el in list(root.iter(*JUNK_TAGS)):
        _drop(el)
    if drop is not None:
        for el in drop(root):
            _drop(el)
    for el in [e for e in root.iter() if isinstance(e.tag, str) and e is not root
               and e.tag not in ("img", "a", "figure") and _is_junk(e)]:
        _drop(el)
    for el in [e for e in root.iter("div", "table", "ul", "ol", "section") if e is not root]:
        if el.getparent() is not None and _link_dense(el):
            _drop(el)
    body = Body(images=_pictures(root, base))
    blocks = []
    for el, text in _text_blocks(root):
        if is_boilerplate(text) or is_dateline(text) or is_trail(el):
            _drop(el)
        else:
            blocks.append((el, text))
    if blocks:
        lead, tag = strip_outlet_tag(blocks[0][1])
        if tag:
            body.lead = lead
            _drop(blocks.pop(0)[0])
    for _ in range(3):  # closing lines: byline, `Theo <outlet>`, `Nguồn: <outlet>`
        if len(blocks) < 2:
            break
        closing = source_line(blocks[-1][1])
        if closing is None and (not looks_like_byline(blocks[-1][1])
                                or _one_link(*blocks[-1])):
            break
        authors, source = closing or parse_byline(blocks[-1][1])
        body.authors = authors + body.authors
        body.source = body.source or source
        _drop(blocks.pop()[0])
    body.paragraphs = [text for _, text in blocks]
    _absolute_links(root, base)
    for el in list(root.iter("p", "div", "span", "figcaption", "figure", "h2", "h3", "li")):
        if not has_text(text_of(el)) and not _images(el):
            _drop(el)
    body.html = INVISIBLE.sub("", sanitise(_inner_html(root)))
    return body


def _inner_html(root) -> str:
    """`root`'s text as it is, then each child serialised with its tail: `root` (a copy,
    used no more) serialised once, without its attributes, and its own tags cut off; a
    child at a time for an element whose tags would not be `<tag>` … `</tag>` (a void
    one). The same string as the children's one by one (tested on every element of the
    captured and peer pages), with one call into lxml instead of one per child."""
    text, root.text, root.tail = root.text or "", None, None
    root.attrib.clear()
    whole = lxml_html.tostring(root, encoding="unicode", with_tail=False)
    start, end = f"<{root.tag}>", f"</{root.tag}>"
    if whole.startswith(start) and whole.endswith(end) and len(whole) >= len(start + end):
        return text + whole[len(start):len(whole) - len(end)]
    return text + "".join(lxml_html.tostring(child, encoding="unicode") for child in root)
