"""The verdict rules of `newsarchive check` (crawl/check_report.py), on hand-built reports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from newsarchive.crawl.check_report import (
    BROKEN,
    DEGRADED,
    FAILED,
    NO_PAGES,
    NOT_ARTICLE,
    NOT_CAPTURED,
    OK,
    SKIPPED,
    Checked,
    SiteReport,
    Source,
    exit_status,
    layers_of,
    render,
)
from newsarchive.ground.article import Article
from tests.support.backfillsite import BackfillSite
from tests.support.crawling import FAST
from tests.support.fixtures import ROOT

FULL = {"title": "layout:zce-2024", "sapo": "layout:zce-2024", "body": "layout:zce-2024",
        "authors": "jsonld", "date": "jsonld", "section": "meta", "tags": "meta",
        "images": "meta"}


def report(articles=(), sources=None, platform="zce", replay=False, discovered=None):
    arts = [a if isinstance(a, Checked) else Checked(f"https://x.vn/{i}", layers=a)
            for i, a in enumerate(articles)]
    return SiteReport("x", "Báo X", "fixture", platform, 5, replay,
                      sources if sources is not None else [Source("rss", "https://x.vn/rss",
                                                                   found=9, matching=9)],
                      arts, discovered=len(arts) if discovered is None else discovered)


def test_every_field_filled_is_ok_and_shares_name_the_layers():
    r = report([FULL] * 5)
    assert r.verdict() == (OK, [])
    shares = r.shares()
    assert shares["title"] == {"filled": 5, "of": 5, "layers": {"layout:zce-2024": 5}}
    assert exit_status([r]) == 0


def test_secondary_fields_missing_do_not_degrade():
    assert report([{**FULL, "tags": None, "sapo": None, "images": None}] * 3).verdict()[0] == OK


def test_a_core_field_missing_in_some_articles_degrades_in_half_breaks():
    some = report([FULL] * 4 + [{**FULL, "date": None}])
    assert some.verdict() == (DEGRADED, ["date with time missing in 1 of 5 articles"])
    half = report([FULL] * 2 + [{**FULL, "body": None}] * 2)
    assert half.verdict()[0] == BROKEN and exit_status([some, half]) == 2
    assert exit_status([some]) == 1


def test_unreachable_site_is_broken_with_one_reason():
    r = report(sources=[Source("rss", "https://x.vn/rss", FAILED, reason="host name not found"),
                        Source("listing", "https://x.vn/a", SKIPPED)])
    verdict, reasons = r.verdict()
    assert verdict == BROKEN
    assert reasons == ["unreachable: host name not found (1 request failed, 1 not tried)"]
    assert render([r]).splitlines()[0].endswith("BROKEN: " + reasons[0])


def test_no_matching_urls_is_broken_and_a_source_without_any_degrades():
    lost = report(sources=[Source("listing", "https://x.vn/a", found=80)])
    assert lost.verdict() == (BROKEN, ["no article URLs found: 80 links in 1 sources, none "
                                       "matching the article pattern"])
    one = report([FULL], sources=[Source("rss", "https://x.vn/rss", found=5, matching=5),
                                  Source("listing", "https://x.vn/a", found=80)])
    assert one.verdict()[0] == DEGRADED
    index = report([FULL], sources=[Source("index", "https://x.vn/sitemap.xml", found=3)])
    assert index.verdict()[0] == OK


def test_failed_articles_degrade_and_all_failed_breaks():
    bad = Checked("https://x.vn/9", NOT_ARTICLE, reason="not an article: title=False")
    assert report([FULL, FULL, bad]).verdict()[0] == DEGRADED
    assert report([bad, bad]).verdict()[0] == BROKEN


def test_body_from_the_fallback_on_a_platform_site_is_drift():
    fallback = {**FULL, "body": "fallback"}
    assert report([fallback] * 3).verdict()[0] == DEGRADED
    assert report([fallback] * 3, platform=None).verdict()[0] == OK


def test_replay_judges_only_what_was_captured():
    nothing = report(sources=[Source("rss", "https://x.vn/rss", NOT_CAPTURED)], replay=True)
    assert nothing.verdict()[0] == NO_PAGES and exit_status([nothing]) == 0
    assert "no pages" in render([nothing])
    listing_only = report(sources=[Source("listing", "https://x.vn/a", found=50, matching=20)],
                          replay=True, discovered=20)
    assert listing_only.verdict()[0] == OK
    article_only = report([FULL], sources=[Source("rss", "https://x.vn/rss", NOT_CAPTURED)],
                          replay=True)
    assert article_only.verdict()[0] == OK


def test_layers_of_an_article_and_a_date_without_time():
    art = Article(url="https://x.vn/1", site="x", title="T", body_text="b" * 200,
                  published_at="2026-01-08T00:00:00+07:00", tags=["a"],
                  provenance={"title": "layout:zce-2024", "body_text": "generic",
                              "published_at": "jsonld", "tags": "meta"},
                  notes=["published: date has no time of day"])
    layers = layers_of(art)
    assert layers["title"] == "layout:zce-2024" and layers["body"] == "generic"
    assert layers["date"] is None and layers["sapo"] is None and layers["tags"] == "meta"


def test_to_dict_carries_verdict_and_fields():
    d = report([FULL]).to_dict()
    assert d["verdict"] == OK and d["fields"]["date"]["filled"] == 1
    assert d["sources"][0]["kind"] == "rss"


def test_captured_discovery_pages_are_told_apart_by_their_start():
    from newsarchive.crawl.spiders.check import sniff

    assert sniff(b"<?xml version='1.0'?>\n<rss version='2.0'>") == "rss"
    assert sniff(b"<?xml version='1.0'?><sitemapindex xmlns='x'>") == "sitemap"
    assert sniff(b"<!doctype html><html><a href='/a-1.html'>") == "listing"


def test_discovery_stopped_by_its_budget_says_so_first_and_never_passes_for_ok():
    stopped = "stopped after 50 requests: discovery did not end"
    fine = report([FULL])
    fine.stopped = stopped
    assert fine.verdict() == (DEGRADED, [stopped]) and fine.to_dict()["stopped"] == stopped
    assert render([fine]).splitlines()[0].endswith("DEGRADED: " + stopped)
    lost = report(sources=[Source("index", "https://x.vn/sitemap.xml", found=3)],
                  discovered=0)
    lost.stopped = stopped
    verdict, reasons = lost.verdict()
    assert verdict == BROKEN and reasons[0] == stopped and len(reasons) == 2


def test_a_sitemap_index_listing_itself_degrades():
    loop = Source("index", "https://x.vn/sitemap.xml", found=3,
                  reason="lists itself or an index above it: not followed there")
    r = report([FULL], sources=[Source("rss", "https://x.vn/rss", found=9, matching=9), loop])
    assert r.verdict() == (DEGRADED, [f"index https://x.vn/sitemap.xml: {loop.reason}"])


def _check_looping_site(tmp_path, *settings: str):
    with BackfillSite(days=2, per_day=5, looping=2) as site:
        registry = site.registry_file(tmp_path)
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-m", "newsarchive.cli", "check", "testsite", "--json", *FAST,
             *settings], cwd=ROOT, capture_output=True, text=True, timeout=120,
            env={**os.environ, "NEWSARCHIVE_SITES": str(registry)})
        return result, time.monotonic() - started, site.sitemaps


@pytest.mark.slow
def test_check_of_a_self_listing_index_stops_at_its_depth(tmp_path):
    result, took, sitemaps = _check_looping_site(tmp_path)
    (checked,) = json.loads(result.stdout)
    assert sitemaps == 1 + 2 + 4 and took < 60  # 3 deep, two sitemaps of each index
    said = " ".join(s["reason"] for s in checked["sources"])
    assert "lists itself or an index above it" in said and "indexes 3 deep" in said
    assert "robots" not in result.stdout and not checked["stopped"]


@pytest.mark.slow
def test_check_stops_at_its_budget_and_blames_discovery_not_robots(tmp_path):
    result, took, sitemaps = _check_looping_site(
        tmp_path, "-s", "NEWSARCHIVE_SITEMAP_MAX_DEPTH=0")  # no depth limit: the budget's
    (checked,) = json.loads(result.stdout)
    stopped = "stopped after 50 requests: discovery did not end"
    assert checked["stopped"] == stopped and checked["reasons"][0] == stopped
    assert sitemaps == 50 and took < 60
    assert result.returncode == 2 and "robots" not in result.stdout
