"""Authors as a structure: the page's own byline, cleaned by shape, never page chrome."""

from __future__ import annotations

from lxml import html

from newsarchive.extract.authors import byline, clean_names, key, not_names
from newsarchive.extract.text import element_text

SELECTORS = ("[rel=author]", ".author")


def test_related_box_names_are_not_the_articles_authors():
    page = html.fromstring(
        "<html><body><article><h1>Headline of the story</h1>"
        '<div class="byline"><a rel="author" href="/a/1">Paul Sawers</a></div><p>Text.</p>'
        '<section><h3><a href="/x">Another story</a></h3><a rel="author" href="/a/2">Kyle '
        'Wiggers</a></section></article><aside><a rel="author" href="/a/3">Sarah Perez</a>'
        "</aside></body></html>")
    assert byline(page, SELECTORS) == ["Paul Sawers"]


def test_two_names_of_one_byline_are_kept_and_a_word_set_apart_goes():
    page = html.fromstring(
        '<html><body><h1>A headline</h1><p class="byline"><a rel="author"><span>By</span> '
        '<span>Madeleine Howell</span></a> and <a rel="author">John Percy</a></p></body></html>')
    assert byline(page, SELECTORS) == ["Madeleine Howell", "John Percy"]
    page = html.fromstring('<html><body><p class="author">von <a>David Straub</a></p>'
                           "</body></html>")
    assert byline(page, SELECTORS) == ["David Straub"]


def test_names_are_cleaned_of_initials_descriptions_and_the_sites_own_name():
    chrome = {key("lrt.lt"), key("lrt"), key("Inland")}
    assert clean_names(["Elena Oberholzer (obe)", "Corina Gall (cog.)"], chrome) == \
        ["Elena Oberholzer", "Corina Gall"]
    assert clean_names(["Povilas Aleksandravičius, Mykolo Romerio universiteto profesorius, "
                        "Lrt.lt"], chrome) == ["Povilas Aleksandravičius"]
    assert clean_names(["Monika Bolliger und Anna Trechsel"], chrome) == \
        ["Monika Bolliger", "Anna Trechsel"]
    assert clean_names(["israel news", "Inland", "LRT Radijas", "105092"], chrome) == []
    assert clean_names(["Ursula von der Leyen", "Theo Hồ Hương"], chrome) == \
        ["Ursula von der Leyen", "Hồ Hương"]


def test_the_site_describing_itself_is_no_author():
    doc = html.fromstring('<html><head><meta property="og:site_name" content="Example News">'
                          "</head><body></body></html>")
    chrome = not_names(doc, "www.example.de", ["Politik"])
    assert clean_names(["example.de, Frankfurt, Germany", "Example News", "Politik"], chrome) == []


def test_blocks_are_whitespace_and_inline_boundaries_keep_the_source_spacing():
    el = html.fromstring("<div><p>Nicole Opitz</p><p>Redakteurin</p>x<br>y <b>z</b>w</div>")
    assert element_text(el) == "Nicole Opitz Redakteurin x y zw"
