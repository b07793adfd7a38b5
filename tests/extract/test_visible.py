"""The generic path's reading of what a page shows around its article (extract/visible.py,
the source line and outlet tag in extract/text.py): one synthetic page per rule."""

from __future__ import annotations

import json

import pytest

from newsarchive.extract.core import extract
from newsarchive.extract.text import clean, source_line, strip_outlet_tag
from tests.support.pages import PARAGRAPH

URL = "https://baothu.vn/thoi-su/dien-chau-doi-moi-123456.html"
TITLE = "Diễn Châu đổi mới chính quyền cơ sở"
BODY = "".join(f"<p>{PARAGRAPH}{i}</p>" for i in range(4))


def page(*, before: str = "", h1: str | None = None, body: str = BODY, after: str = "",
         head: str = "", ld: dict | None = None) -> bytes:
    """An article page in no known layout: optional JSON-LD, what comes before the
    headline, the headline, the body and what follows it."""
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": TITLE,
          "datePublished": "2026-03-07T08:47:00+07:00"} if ld is None else ld
    script = f'<script type="application/ld+json">{json.dumps(ld)}</script>' if ld else ""
    heading = f"<h1>{TITLE}</h1>" if h1 is None else h1
    return f"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">
<meta property="og:type" content="article">{head}{script}</head><body>
<header><a href="/">Trang chủ</a></header>{before}{heading}
<div class="content"><div itemprop="articleBody">{body}</div></div>{after}
<footer>Bản quyền thuộc Báo Thử</footer></body></html>""".encode()


def run(data: bytes):
    return extract(data, URL, layouts=False)


# --- section ---------------------------------------------------------------------------

def test_section_from_jsonld_breadcrumb_skips_home_and_the_title():
    crumbs = {"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": [
        {"@type": "ListItem", "position": i + 1, "name": name}
        for i, name in enumerate(["Trang chủ", "Thời sự", "Nghệ An", TITLE])]}
    head = f'<script type="application/ld+json">{json.dumps(crumbs)}</script>'
    art = run(page(head=head))
    assert art.section == "Nghệ An" and art.provenance["section"] == "jsonld"


def test_section_from_breadcrumb_markup():
    nav = ('<nav aria-label="breadcrumb"><ol class="breadcrumb"><li><a href="/">Trang chủ</a>'
           '</li><li><a href="/the-gioi">Thế giới</a></li>'
           f'<li class="active">{TITLE}</li></ol></nav>')
    art = run(page(before=nav))
    assert art.section == "Thế giới" and art.provenance["section"] == "visible"


def test_section_from_a_link_trail_without_a_name():
    trail = ('<div class="titlecate"><h1><a href="/thoi-su/">THỜI SỰ</a> <span> &gt; '
             '<a href="/thoi-su/can-tho/">Cần Thơ</a></span></h1></div>')
    art = run(page(before=trail))
    assert art.section == "Cần Thơ"
    assert art.title == TITLE and "THỜI SỰ" not in art.body_text


def test_a_language_switcher_is_not_a_breadcrumb():
    switch = '<div><a href="/en">English</a> / <a href="/km">ភាសាខ្មែរ</a></div>'
    assert run(page(before=switch)).section is None


# --- title -----------------------------------------------------------------------------

def test_headline_parts_are_joined_by_the_one_text_rule():
    """Block boundaries and <br> are whitespace; inline boundaries keep the source's
    spacing (a browser shows `<span>a</span><span>b</span>` as `ab`)."""
    h1 = "<h1><span>Diễn Châu</span> <span>đổi mới</span><br><em>chính quyền</em> cơ sở</h1>"
    assert run(page(h1=h1, ld={})).title == TITLE
    h1 = "<h1><div>Phường Hai Bà Trưng:</div><div>Mong sớm có</div> nhà mới</h1>"
    assert run(page(h1=h1, ld={})).title == "Phường Hai Bà Trưng: Mong sớm có nhà mới"


def test_headline_inline_parts_do_not_add_spaces_inside_words_or_before_commas():
    h1 = "<h1>Giá <b>COVID-</b><b>19</b> vắc xin<i>, tăng</i> mạnh</h1>"
    assert run(page(h1=h1, ld={})).title == "Giá COVID-19 vắc xin, tăng mạnh"


@pytest.mark.parametrize("suffix", [" - Báo Thử", " | Baothu.vn", " - Bao Thu", " – Báo Thử"])
def test_og_title_loses_the_outlet_suffix(suffix):
    head = f'<meta property="og:title" content="{TITLE}{suffix}">'
    art = run(page(head=head, h1="", ld={}))
    assert art.title == TITLE


def test_og_title_keeps_a_dash_that_is_part_of_the_headline():
    title = "Chiến sự Iran - Israel"
    head = f'<meta property="og:title" content="{title}">'
    assert run(page(head=head, h1="", ld={})).title == title


# --- tags ------------------------------------------------------------------------------

KEYWORDS = '<meta name="keywords" content="từ khóa meta, khác">'


@pytest.mark.parametrize("box", [
    '<div class="box-tag"><a href="/a.html">Nghệ An</a><a href="/b.html">cải cách</a></div>',
    '<div><span>Từ khóa:</span> <a href="/a.html">Nghệ An</a>, <a href="/b.html">cải cách</a>'
    '</div>',
    '<ul><li><a href="/tag/nghe-an">Nghệ An</a></li><li><a href="/tag/cai-cach">cải cách</a>'
    '</li></ul>',
    '<p><a href="/nghe-an-ptag.html">Nghệ An</a> <a href="/cai-cach-ptag.html">cải cách</a></p>',
    '<p><a href="/tu-khoa/nghe-an">Nghệ An</a> <a href="/chu-de/cai-cach">cải cách</a></p>',
])
def test_visible_tag_box_comes_before_meta_keywords(box):
    art = run(page(after=box, head=KEYWORDS))
    assert art.tags == ["Nghệ An", "cải cách"] and art.provenance["tags"] == "visible"


def test_tag_box_found_by_links_that_repeat_the_keywords():
    box = ('<div class="detail-tab"><a href="/nghe-an.html">nghệ an</a>'
           '<a href="/cai-cach.html">Cải cách</a></div>')
    head = '<meta name="keywords" content="nghệ an, cải cách, khác">'
    assert run(page(after=box, head=head)).tags == ["nghệ an", "Cải cách"]


def test_tag_like_links_before_the_body_or_in_long_text_are_not_tags():
    menu = '<nav><a href="/tag/hot">Nóng</a><a href="/tag/moi">Mới</a></nav>'
    related = (f'<div class="tags-related"><p>{PARAGRAPH * 3}</p>'
               '<a href="/tag/x">x</a></div>')
    art = run(page(before=menu, after=related, head=KEYWORDS))
    assert art.tags == ["từ khóa meta", "khác"] and art.provenance["tags"] == "meta"


# --- source of a syndicated article -----------------------------------------------------

@pytest.mark.parametrize("line, source", [
    ("Theo Dân trí", "Dân trí"), ("(Theo Kiến thức Đầu tư)", "Kiến thức Đầu tư"),
    ("Nguồn: VnExpress", "VnExpress"), ("Theo TTXVN", "TTXVN"),
])
def test_closing_source_line_is_the_source_not_body_or_author(line, source):
    art = run(page(body=BODY + f"<p><strong>Mai Giang</strong></p><p>{line}</p>"))
    assert art.source == source
    assert art.authors == ["Mai Giang"]
    assert line not in art.body_text and "Mai Giang" not in art.body_text


def test_source_line_just_after_the_body():
    after = '<div class="c-author"><span>Theo Kiến thức Đầu tư</span></div>'
    art = run(page(after=after))
    assert art.source == "Kiến thức Đầu tư" and art.provenance["source"] == "visible"


def test_theo_a_person_is_a_byline_and_a_sentence_is_not_a_source_line():
    assert source_line("Theo Hồ Hương") == (["Hồ Hương"], None)
    assert source_line("Theo quy định mới") is None
    assert source_line("Theo Bộ Tài chính, thu ngân sách tăng.") is None
    art = run(page(body=BODY + "<p>Theo Hồ Hương</p>"))
    assert art.authors == ["Hồ Hương"] and art.source is None


# --- outlet tag at the start of the lead ----------------------------------------------

@pytest.mark.parametrize("lead, tag", [
    ("(PLO)-Ngày 5-3", "PLO"), ("(Baonghean.vn) - Ngày 5-3", "Baonghean.vn"),
    ("TTO - Ngày 5-3", "TTO"), ("(Dân trí) - Ngày 5-3", "Dân trí"),
    ("VOV.VN - Ngày 5-3", "VOV.VN"), ("(NLĐO) - Ngày 5-3", "NLĐO"),
    ("ANTĐ - Ngày 5-3", "ANTĐ"), ("Baothu.vn – Ngày 5-3", "Baothu.vn"),
    ("(Báo Thử Mới) – Ngày 5-3", "Báo Thử Mới"),
])
def test_outlet_tag_of_any_outlet_is_removed_from_the_lead(lead, tag):
    assert strip_outlet_tag(lead) == ("Ngày 5-3", tag)


@pytest.mark.parametrize("lead", ["COVID-19 - Ngày 5-3", "Hà Nội - Ngày 5-3",
                                  "TP.HCM - Ngày 5-3", "UBND tỉnh - Ngày 5-3",
                                  "Giá vàng (SJC) - tăng"])
def test_a_lead_that_starts_otherwise_is_kept(lead):
    assert strip_outlet_tag(lead) == (lead, None)


def test_outlet_tag_removed_from_the_lead_paragraph_of_a_page():
    body = f"<p>TTO - {PARAGRAPH}</p>" + BODY
    assert run(page(body=body, ld={"@type": "NewsArticle", "headline": TITLE})).sapo == \
        PARAGRAPH.strip()


# --- lead above the body and byline beside the dateline --------------------------------

def test_bold_lead_just_above_the_body_and_byline_beside_the_dateline():
    lead = "Người dân Diễn Châu được phục vụ nhanh hơn nhờ cải cách thủ tục hành chính."
    before_body = ('<div class="row"><span>15-01-2024 13:04</span><span>|</span>'
                   '<span>Quỳnh Vân</span></div>')
    data = page(ld={}).decode().replace(
        '<div class="content">',
        f'{before_body}<div class="content"><p class="x"><b>{lead}</b></p>')
    art = run(data.encode())
    assert art.sapo == lead and art.authors == ["Quỳnh Vân"]
    assert lead not in art.body_text


# --- invisible characters ---------------------------------------------------------------

def test_invisible_characters_are_removed_everywhere():
    dirty = "\ufeffDiễn\u200b Châu đổi\u00ad mới\u2060 chính\u200c quyền\u200d cơ sở"
    body = f"<p>{dirty}. {PARAGRAPH}</p>" + BODY
    art = run(page(h1=f"<h1>{dirty}</h1>", body=body, ld={}))
    invisible = "\ufeff\u200b\u200c\u200d\u2060\u00ad"
    for text in (art.title, art.body_text, art.body_html):
        assert not any(c in text for c in invisible), text
    assert art.title == TITLE
    assert clean("a\u200bb") == "ab"


def test_crumb_and_separator_xpaths_find_what_the_plain_ones_found():
    """The breadcrumb's XPaths, written to read each attribute or text node once, find
    the same nodes in the same order as the plain predicates on every element."""
    import lxml.html
    from lxml import etree

    from newsarchive.extract import visible as vis

    plain_crumbs = etree.XPath(
        "//*[contains(@class, 'rumb') or contains(@id, 'rumb') or contains(@aria-label, 'rumb')"
        " or contains(@itemtype, 'rumb')]")
    plain_separators = etree.XPath(
        "//body//text()[normalize-space(.)='>' or normalize-space(.)='»' "
        "or normalize-space(.)='›']")
    page = lxml.html.fromstring(
        "<html><head><title>›</title></head><body><div class='breadcrumb' id='crumbs'>"
        "<a href='/'>Trang chủ</a> > <a href='/xa-hoi'>Xã hội</a>\n » \n<a>Giáo dục</a>"
        "<span> ›</span><b>>></b><i>> ></i><u> &gt; x</u><s>»›</s></div>"
        "<nav aria-label='Breadcrumb'><ol itemtype='https://schema.org/BreadcrumbList'>"
        "<li data-x='crumb'>a</li><li class='x' id='y'>›<!-- › --></li></ol></nav>"
        "<p title='rumb'>\t>\r\n</p><div class='crumb'><div id='crumb'>»</div></div>"
        "</body></html>")
    crumbs = vis._CRUMB_XPATH(page)
    assert crumbs == plain_crumbs(page) and len(crumbs) == 5
    separators = vis._SEPARATOR_XPATH(page)
    assert separators == plain_separators(page) and len(separators) == 6


def test_taggish_holds_for_every_match_of_the_tag_regexes():
    """`_taggish`, the cheap test before TAG_HREF and _TAGGISH, is true of every text
    either matches: their words in any case, with the letters IGNORECASE also matches
    (ı, İ, K, ſ), in addresses and class names."""
    import itertools

    from newsarchive.extract import visible as vis

    words = ["tag", "tags", "TAG", "Tags", "tu-khoa", "TuKhoa", "chu-de", "CHUDE", "topic",
             "Topıcs", "TOPİC", "keyword", "\u212aeywords", "ta\u017f", "ptag1", "tag=",
             "x", "tin-moi", "khoa-hoc", "top"]
    seps = ["/", "-", "_", ".", "?", "&", "=", " ", ""]
    texts = ["".join(p) for p in itertools.product(seps, words, seps, words[:6], seps)]
    hits = 0
    for text in texts:
        if vis.TAG_HREF.search(text) or vis._TAGGISH.search(text):
            assert vis._taggish(text), text
            hits += 1
    assert hits > 1000 and not vis._taggish("/thoi-su/bai-123.html")
