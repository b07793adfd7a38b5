"""The generic path on the peer pages (other countries' articles): each class of issue #27
on the page that showed it, and the totals against trafilatura."""

from __future__ import annotations

import functools
import logging
import os

import pytest

from newsarchive.extract.core import extract
from tests.support.peers import peer_pages, peer_pages_dir, real_peer_pages, score


@pytest.fixture(scope="module")
def pages():
    folder = real_peer_pages()
    if folder is None:
        message = f"peer pages not found at {peer_pages_dir()} (set NEWSARCHIVE_PEER_PAGES)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return {page.name: page for page in peer_pages(folder)}


@functools.cache
def _extracted(path, url):
    logging.disable(logging.WARNING)
    try:
        return extract(_page_bytes(path), url, layouts=False)
    finally:
        logging.disable(logging.NOTSET)


def _page_bytes(path):
    import gzip

    return gzip.decompress(path.read_bytes())


def _article(page):
    return _extracted(page.path, page.url)


def _one(pages, prefix):
    return next(page for name, page in pages.items() if name.startswith(prefix))


def test_a_fragment_body_gives_way_to_the_fuller_reading(pages):
    page = _one(pages, "es/MallorcaMagazin")
    art = _article(page)
    assert art.provenance["body_text"] == "fallback:recall"
    assert score(art.to_dict(), page.expected)["f1"] > 0.9


def test_authors_come_from_the_byline_not_from_related_boxes(pages):
    for prefix, want in (("us/TechCrunch_2024_05_17", ["Paul Sawers"]),
                         ("us/TheNation_2023", ["Sarah Lazare"]),
                         ("uk/TheTelegraph_2023", ["Madeleine Howell"]),
                         ("de/Taz_2023", ["Nicole Opitz"]),
                         ("de/MDR_2023", ["David Straub"]),
                         ("lt/LRT", ["Povilas Aleksandravičius"])):
        assert _article(_one(pages, prefix)).authors == want, prefix


def test_a_real_article_with_in_text_links_is_not_refused(pages):
    page = _one(pages, "us/TheNation_2024")
    assert score(_article(page).to_dict(), page.expected)["title"]


def test_a_junk_date_class_does_not_hide_the_date(pages):
    page = _one(pages, "de/LTO")
    assert score(_article(page).to_dict(), page.expected)["day"]
