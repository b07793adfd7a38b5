"""The generic path on the peer pages (other countries' articles): each class of issue #27
on the page that showed it, and the totals against trafilatura."""

from __future__ import annotations

import functools
import logging

import pytest

from bench.peerpages import FIELDS, peer_pages, score
from newsarchive.extract.core import extract


@pytest.fixture(scope="module")
def pages(peer_pages_path):
    return {page.name: page for page in peer_pages(peer_pages_path)}


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


def test_the_headline_without_its_kicker_and_with_its_separators(pages):
    for prefix in ("de/SportSchau", "de/Tagesschau", "ch/SRF_2024", "at/ORF_2024",
                   "lu/Tageblatt_2025", "ind/Bhaskar", "de/DerFreitag", "de/BSZ_2025_09"):
        page = _one(pages, prefix)
        assert score(_article(page).to_dict(), page.expected)["title"], prefix


def test_the_time_the_page_shows_beside_a_date_only_value(pages):
    for prefix in ("de/RBB24", "de/FrankfurterRundschau"):
        page = _one(pages, prefix)
        assert score(_article(page).to_dict(), page.expected)["time"], prefix


def test_a_latest_posts_link_is_no_author(pages):
    assert _article(_one(pages, "us/OccupyDemocrats")).authors == ["Stephanie Bazzle"]
    assert _article(_one(pages, "de/RBB24")).authors == ["Eva Kirchner-Rätsch"]


def test_nine_checks_in_ten_and_no_real_article_refused(pages):
    """The target of issue #27 on all the peer pages (`python -m bench.peers` prints it
    field by field beside trafilatura's)."""
    rows = [score(_article(page).to_dict(), page.expected) for page in pages.values()]
    right = sum(bool(row[f]) for row in rows for f in FIELDS)
    assert right / (len(FIELDS) * len(rows)) >= 0.90
