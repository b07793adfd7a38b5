"""Extraction time grows with the page, not faster (issue #27 item 6)."""

from __future__ import annotations

import time

import lxml.html
import pytest

from bench.scaling import MB, grow
from newsarchive.extract import fallback
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
    assert calls == [(True, False), (True, False)]


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
