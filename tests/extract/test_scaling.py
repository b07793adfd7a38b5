"""Extraction time grows with the page, not faster (issue #27 item 6)."""

from __future__ import annotations

import time

import lxml.html
import pytest

from bench.scaling import MB, grow
from newsarchive.extract import authors, dateline, fallback, pagetype, visible
from newsarchive.extract.core import extract
from tests.support.fixtures import fixtures_dir, manifest, registry

SECONDS_PER_MB = 1.5  # generous: bench/scaling.py measures about 0.3 on this machine


def _page(chars: int) -> lxml.html.HtmlElement:
    words = ("lời " * (chars // 4)).strip()
    return lxml.html.document_fromstring(
        f"<html><body><script>{'x' * 300_000}</script><p>{words}</p></body></html>")


def test_comparison_allowed_on_pages_of_article_size():
    assert fallback.comparable(_page(40_000))  # a script's text is not counted


def test_comparison_skipped_on_pages_with_more_text_than_the_bound():
    assert not fallback.comparable(_page(fallback.COMPARE_MAX_CHARS + 1000))


def test_large_page_runs_only_the_fast_passes(monkeypatch):
    calls = []
    monkeypatch.setattr(fallback, "_run", lambda doc, url, metadata, fast, precise,
                        recall=False: calls.append((fast, recall)))
    doc = _page(fallback.COMPARE_MAX_CHARS + 1000)
    fallback.locate_body(doc, "https://example.com/a")
    assert fallback.fuller_reading(doc, "https://example.com/a", 10, 10**6) is None
    assert calls == [(True, False), (True, False)]  # the comparison pass skipped


def test_small_page_still_gets_the_comparison(monkeypatch):
    calls = []
    monkeypatch.setattr(fallback, "_run", lambda doc, url, metadata, fast, precise,
                        recall=False: calls.append((fast, recall)))
    doc = _page(2000)
    fallback.locate_body(doc, "https://example.com/a")
    fallback.fuller_reading(doc, "https://example.com/a", 10, 2000)
    assert calls == [(True, False), (True, False), (False, False), (False, True)]


@pytest.mark.parametrize("layouts", [True, False])
def test_five_megabyte_page_extracts_in_time_proportional_to_its_size(layouts):
    fx = next(f for f in manifest() if f.kind == "article")
    page = grow((fixtures_dir() / fx.file).read_bytes(), 5 * MB)
    site = registry().for_url(fx.url)
    extract(page[:200_000] + b"</body></html>", fx.url, site=site)  # imports, caches
    start = time.perf_counter()
    art = extract(page, fx.url, site=site, layouts=layouts)
    elapsed = time.perf_counter() - start
    assert art.title and len(art.body_text) > 10_000
    assert elapsed < SECONDS_PER_MB * len(page) / MB, f"{elapsed:.1f} s for {len(page)} bytes"


def _linked_page(links: int, href: str = "/a{i}.html") -> lxml.html.HtmlElement:
    items = "".join(f'<li><a href="{href.format(i=i)}">Headline number {i} about a thing '
                    "long enough</a></li>" for i in range(links))
    return lxml.html.document_fromstring(f"<html><body><ul>{items}</ul></body></html>")


def test_teaser_count_is_not_paragraphs_times_links():
    doc = _linked_page(5000)
    paragraphs = [f"Paragraph {i} of the running text, long enough to count." for i in range(5000)]
    paragraphs += ["Headline number 7 about a thing long enough, and its blurb."]
    start = time.perf_counter()
    heads, _ = pagetype._teasers(doc, "https://example.com/b1.html", paragraphs)
    assert heads == 1  # a paragraph that begins with a headline link's text
    assert time.perf_counter() - start < 2.0  # 25 million prefix tests took 10 s


def test_tag_box_among_many_tag_links_found_in_linear_time():
    doc = _linked_page(3000, href="/tag/t{i}.html")
    body = doc.find("body")
    body.insert(0, lxml.html.fromstring("<div><h1>Tiêu đề</h1><p>Thân bài</p></div>"))
    body.append(lxml.html.fromstring(
        '<div class="tags"><a href="/tag/a.html">Cần Thơ</a>'
        '<a href="/tag/b.html">Kinh tế</a></div>'))
    start = time.perf_counter()
    assert visible.tag_box(doc, body[0], []) == ["Cần Thơ", "Kinh tế"]
    assert time.perf_counter() - start < 2.0


def test_byline_among_thousands_of_author_lines_found_in_linear_time():
    lines = "".join(f'<p>Đoạn văn số {i} của bài.</p><p class="author">Theo Người {i}</p>'
                    for i in range(3000))
    doc = lxml.html.document_fromstring(f'<html><body><div class="content">{lines}'
                                        "</div></body></html>")
    start = time.perf_counter()
    assert authors.byline(doc, (".author",)) == ["Người 0"]  # the others are apart
    assert time.perf_counter() - start < 2.0  # the meeting element's text read per line: 300 s


def test_breadcrumb_among_thousands_of_crumb_boxes_found_in_linear_time():
    crumbs = "".join(f'<div class="breadcrumb"><a href="/">Trang chủ</a> &gt; '
                     f'<a href="/s{i}">Mục {i}</a></div>' for i in range(4000))
    doc = lxml.html.document_fromstring(f"<html><body>{crumbs}</body></html>")
    start = time.perf_counter()
    assert visible.breadcrumb(doc, None) == "Mục 0"
    assert time.perf_counter() - start < 2.0  # each box against a list of all: 16 M tests


def test_dateline_reads_the_headline_window_without_gathering_the_page():
    rest = "".join(f"<p>Đoạn {i} của một trang rất dài.</p>" for i in range(100_000))
    doc = lxml.html.document_fromstring(
        "<html><body><p>Trang chủ</p><h1>Tiêu đề của bài báo thử nghiệm</h1>"
        f"<div>08/01/2026 18:21</div><script>var a = 1;</script>{rest}</body></html>")
    start = time.perf_counter()
    assert dateline.find(doc, "https://example.vn/bai-1.html") == "2026-01-08T18:21:00+07:00"
    assert time.perf_counter() - start < 0.2  # the whole text's XPath took 0.4 s


def test_no_recall_pass_when_no_reading_could_be_fuller(monkeypatch):
    """trafilatura's text of a page is not twice what the page shows: a body over half of
    it could never be FULLER times shorter than a reading, so none is run."""
    calls = []
    monkeypatch.setattr(fallback, "_run", lambda doc, url, metadata, fast, precise,
                        recall=False: calls.append((fast, recall)))
    doc = _page(2000)
    shown = 2000
    barely = int(fallback.READS_AT_MOST * shown / fallback.FULLER)
    assert fallback.fuller_reading(doc, "https://example.com/a", barely + 1, shown) is None
    assert calls == []
    fallback.fuller_reading(doc, "https://example.com/a", barely, shown)
    assert calls == [(False, True)]
