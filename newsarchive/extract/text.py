"""Text normalisers for Vietnamese news: Unicode, whitespace, outlet tags, bylines."""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

from lxml import etree

# Invisible characters pasted into CMS text: byte-order mark, zero-width space, joiners,
# word joiner, soft hyphen. Removed, never turned into a space.
INVISIBLE = re.compile(r"[\ufeff\u200b-\u200d\u2060\u00ad]")
# INVISIBLE's characters and the controls `strip_controls` removes (C0 but newline and
# tab, DEL, C1): what `clean` removes, in one class
_UNSEEN_CHARS = r"\ufeff\u200b-\u200d\u2060\u00ad\x00-\x08\x0b-\x1f\x7f-\x9f"
_UNSEEN = re.compile(f"[{_UNSEEN_CHARS}]")
_NOT_SPACE = re.compile(r"[^\S ]")  # whitespace other than the space
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-f]+|[a-z]+\d*);", re.IGNORECASE)

# The outlet's tag at the start of a lead, whatever the outlet: a short name in brackets
# before a dash (`(Baonghean.vn) - `, `(Dân trí) – `, `(NLĐO)- `), or one capitalised
# token before a spaced dash, either all capitals (`TTO - `, `ANTĐ - `) or a domain
# (`VOV.VN - `, `Baonghean.vn - `). `COVID-19` or `Hà Nội - ` are not tags.
_OUTLET_TAG = re.compile(
    r"^\s*(?:\(\s*([^()]{2,32}?)\s*\)\s*[-–—:]+"
    r"|([A-ZĐ][A-ZĐ0-9]{1,9}(?:\.(?:VN|COM|NET|ORG))?|[A-ZĐ]?[\w-]{2,30}\.(?:vn|com|net|org)(?:\.vn)?)"
    r"(?:\s+[-–—]+|[-–—]+(?=\s)))\s*")

_BYLINE_PREFIX = re.compile(
    r"^(?:theo|bài(?:\s*(?:và|,|/)\s*ảnh)?|tin(?:\s*(?:và|,|/)\s*ảnh)?|ảnh|"
    r"nhóm phóng viên|nhóm pv|tác giả|thực hiện|ghi chép|nguồn|pv|ctv|btv)\s*[:.-]?\s*",
    re.IGNORECASE,
)
_OUTLET_NAME = re.compile(
    r"^(?:báo|đài|tạp chí|tạp chi|ttxvn|thông tấn|vtv|vov|vtc|cổng|trang|tttxvn|tuổi trẻ|"
    r"thanh niên|dân trí|vnexpress|vietnamnet|znews|tiền phong|nhân dân|quân đội|"
    r"người lao động|kinh tế|đầu tư|kiến thức|reuters|afp|ap|bloomberg|cnn|bbc|xinhua|"
    r"tân hoa xã|sputnik|ria|nikkei|the )",
    re.IGNORECASE,
)
_EDITING_NOTE = re.compile(r"\([^()]*?(tổng hợp|lược dịch|biên dịch|theo)[^()]*?\)", re.I)
_NOT_A_NAME = re.compile(r"(tổng hợp|lược dịch|biên dịch|theo dõi|tin mới|xem thêm)", re.I)

BOILERPLATE = frozenset(
    s.casefold()
    for s in (
        "Tin mới", "Tin mới nhất", "Bình luận", "Bình luận (0)", "Xem thêm", "Đọc thêm",
        "Tin liên quan", "Bài liên quan", "Tin cùng chuyên mục", "Có thể bạn quan tâm",
        "Chia sẻ", "In bài viết", "Gửi bình luận", "Ý kiến bạn đọc", "Video đang được quan tâm",
        "Tin khác", "Xem tiếp", "Theo dõi", "Từ khóa", "Từ khoá", "Tags", "Chủ đề",
    )
)

KEPT_CHARS = 2000  # strings up to this long are kept by `clean`: 1,024 are 8 MB at most


def clean(value: object) -> str:
    """NFC, entities decoded (twice-escaped ones too), whitespace and `&nbsp;` collapsed,
    control characters (C0 but newline and tab, C1) removed."""
    if value is None:
        return ""
    text = str(value)  # a plain str: lxml's strings would keep their tree alive if kept
    return _clean_kept(text) if len(text) <= KEPT_CHARS else _clean(text)


def _clean(text: str) -> str:
    """`clean` of a plain string."""
    for _ in range(3):
        if "&" not in text or not _ENTITY.search(text):
            break
        text = html.unescape(text)
    # a printable text (`str.isprintable`, one C loop) holds none of _UNSEEN and no
    # whitespace but the space (every code point checked in tests/extract/test_text.py):
    # the two regex scans are for the others (a line break, a no-break space...)
    printable = text.isprintable()
    if not printable:
        text = _UNSEEN.sub("", text)  # INVISIBLE and `strip_controls`'s, in one pass
    # runs of whitespace (Unicode's: no-break and typographic spaces too) as one space,
    # none at the ends; split-join is several times faster than a regex, and finding
    # that there is nothing to do (no whitespace but single spaces inside) faster still
    if text[:1] == " " or text[-1:] == " " or "  " in text or (
            not printable and _NOT_SPACE.search(text)):
        text = " ".join(text.split())
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text).strip()
    return text


# the layers of one page clean the same paragraphs, names and headline several times
_clean_kept = lru_cache(maxsize=1024)(_clean)

# a character `clean` keeps: no whitespace, nor one of _UNSEEN
_KEPT_CHAR = re.compile(rf"[^\s{_UNSEEN_CHARS}]")


def has_text(value: object) -> bool:
    """`bool(clean(value))`, without making the cleaned string: true when a character
    survives cleaning. Text with `&` (an entity may decode to an invisible character)
    is cleaned to know."""
    if value is None:
        return False
    text = str(value)
    if "&" in text:
        return bool(clean(text))
    return _KEPT_CHAR.search(text) is not None


def strip_outlet_tag(text: str) -> tuple[str, str | None]:
    """(`lead without its outlet tag`, `tag`): `(CTO) - Ngày 8-1...` -> (`Ngày 8-1...`, `CTO`)."""
    m = _OUTLET_TAG.match(text)
    if not m:
        return text, None
    return text[m.end():].strip(), (m.group(1) or m.group(2)).strip()


def is_boilerplate(text: str) -> bool:
    """Headings of boxes that are not the article: `Tin mới`, `Bình luận`..."""
    t = text.strip().casefold()
    if t.startswith((">>", "»", "xem thêm:", "đọc thêm:", "tin liên quan:", "bài liên quan:",
                     "từ khóa:", "từ khoá:", "tags:", "chủ đề:")):
        return True
    return t.strip(" :.»>") in BOILERPLATE


_DATELINE = re.compile(r"\d{1,2}[/-]\d{1,2}[/-]\d{4}\D{0,6}\d{1,2}[:h]\d{2}")


def is_dateline(text: str) -> bool:
    """A short page-chrome line such as `Minh Phong • 05/09/2026 - 22:17`."""
    return len(text) <= 60 and bool(_DATELINE.search(text))


def titlecase_caps(name: str) -> str:
    """`NHẬT XUÂN` -> `Nhật Xuân`; mixed-case names are kept as written."""
    # every letter upper case (the test stops at the first that is not), and one at least
    if " " in name.strip() and all(c.isupper() for c in name if c.isalpha()) and \
            any(c.isalpha() for c in name):
        return name.title()
    return name


def is_outlet(name: str) -> bool:
    """Does this byline name an outlet (Báo, Đài, TTXVN, a domain...) rather than a person?"""
    n = name.strip()
    return bool(_OUTLET_NAME.match(n) or re.search(r"\.(vn|com|net|org)\b", n, re.I))


def split_names(text: str) -> list[str]:
    """`Minh Phong - Hà An`, `A, B và C`, `A;B` -> separate names, prefixes removed."""
    text = _BYLINE_PREFIX.sub("", clean(text))
    text = _EDITING_NOTE.sub("", text)
    parts = re.split(r"\s*(?:;|,|\s-\s|\s–\s|/|\bvà\b|&|\n)\s*", text)
    names = []
    for part in parts:
        part = _BYLINE_PREFIX.sub("", part.strip(" .:-–()")).strip(" .:-–()")
        if part and not _NOT_A_NAME.search(part) and part not in names:
            names.append(titlecase_caps(part))
    return names


def looks_like_byline(text: str) -> bool:
    """A short closing line that names people: `Mai Giang`, `Tin, ảnh: P.Y`, `Theo TTXVN`."""
    t = clean(text)
    if not t or len(t) > 60 or t.endswith((".", "?", "!", ":", ";", "…")) and not re.search(
        r"\b[A-ZĐ]\.[A-ZĐ]?\.?$", t
    ):
        return False
    if _BYLINE_PREFIX.match(t):
        return True
    words = [w for w in re.sub(r"\(.*?\)", "", t).split() if w not in ("và", "-", "–")]
    if not 1 <= len(words) <= 8:
        return False
    return all(w[:1].isupper() or w[:1] in "(-–" for w in words)


def parse_byline(text: str) -> tuple[list[str], str | None]:
    """(`authors`, `source`) from a byline: `Theo Hồ Hương` -> (["Hồ Hương"], None);
    `Theo TTXVN` -> ([], "TTXVN");
    `Mai Giang - Đài Diễn Châu` -> (["Mai Giang"], "Đài Diễn Châu")."""
    authors: list[str] = []
    source = None
    for name in split_names(text):
        if is_outlet(name):
            source = source or name
        else:
            authors.append(name)
    return authors, source


# A closing line that names where a syndicated article comes from: `Theo Dân trí`,
# `(Theo Kiến thức Đầu tư)`, `Nguồn: VnExpress`. The name starts with a capital or is a
# domain, so that `theo quy định` is never one.
_SOURCE_LINE = re.compile(
    r"^\(?\s*(theo|nguồn)\s*:?\s+([A-ZĐ\u00c0-\u1ef9][^()]{1,58}?|[\w.-]+\.(?:vn|com|net|org))"
    r"\s*\)?\s*\.?$", re.IGNORECASE)


def looks_like_person(name: str) -> bool:
    """A Vietnamese name as bylines write it: two to five words, each capitalised
    (`Hồ Hương`, `Nguyễn Văn A`), no digits, not an outlet."""
    words = name.split()
    return (2 <= len(words) <= 5 and all(w[:1].isupper() for w in words)
            and not any(c.isdigit() for c in name) and not is_outlet(name))


def source_line(text: str) -> tuple[list[str], str | None] | None:
    """(`authors`, `source`) from a closing `Theo <outlet>` / `(Theo <outlet>)` /
    `Nguồn: <outlet>` line, None when `text` is not such a line. `Theo` before a
    person's name is a byline (`Theo Hồ Hương` -> (["Hồ Hương"], None))."""
    m = _SOURCE_LINE.match(clean(text))
    if not m or (m.group(2)[:1].islower() and "." not in m.group(2)):
        return None
    name = m.group(2).strip(" .:-–")
    if len(name.split()) > 6 or re.search(r"[,;]\s*[a-zđà-ỹ]", name):
        return None  # a sentence that starts with `Theo`, not a closing line
    if m.group(1).lower() == "theo" and looks_like_person(name):
        return [name], None
    return [], name


# Elements whose edges are line breaks when a page is read: their text never runs into
# the text beside them.
BLOCKS = frozenset((
    "address", "article", "aside", "blockquote", "br", "dd", "details", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "ul"))
UNREAD = frozenset(("script", "style", "noscript", "template", "svg"))


def text_of(el) -> str:
    """`el.text_content()`: every text below `el`, joined as it is (a plain str). lxml's
    text serialisation gives the same string without evaluating an XPath (tested on
    every element of the captured and peer pages), in 60 % of the time; a comment or
    processing instruction, which has no text content, raises as `text_content` does."""
    if not isinstance(el.tag, str):
        return el.text_content()
    return etree.tostring(el, method="text", encoding="unicode", with_tail=False)


def element_text(el) -> str:
    """The text a reader sees in `el`, by one rule for every field: block boundaries and
    `<br>` become whitespace, inline boundaries keep the source's spacing
    (`<p>Nicole Opitz</p><p>Redakteurin</p>` -> `Nicole Opitz Redakteurin`,
    `<b>Hà</b>Nội` -> `HàNội` as written)."""
    parts: list[str] = []
    skipped = None  # an unread element being passed over, with all it holds
    for event, node in etree.iterwalk(el, events=("start", "end")):
        if not isinstance(node.tag, str):  # a comment: only its tail is text
            if event == "end" and skipped is None and node is not el:
                parts.append(node.tail or "")
            continue
        if skipped is not None:
            if event == "end" and node is skipped:
                skipped = None
                if node is not el:
                    parts.append(node.tail or "")
            continue
        if event == "start":
            if node.tag in UNREAD:
                skipped = node
                continue
            parts.append(" " if node.tag in BLOCKS else "")
            parts.append(node.text or "")
        else:
            parts.append(" " if node.tag in BLOCKS else "")
            if node is not el:
                parts.append(node.tail or "")
    return clean("".join(parts))
