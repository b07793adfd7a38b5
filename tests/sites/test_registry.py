"""Every registry entry is valid: URL rules that match real article URLs and nothing else,
well-formed discovery URLs on the paper's own hosts, one paper per host and per 2025
province, an honest confidence, and a real page behind each `fixture` claim."""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from urllib.parse import urlsplit

import pytest

from newsarchive.extract import extract
from newsarchive.extract.platforms import PLATFORMS, SNIFFED
from newsarchive.ground.urls import host_of
from newsarchive.sites import CONFIDENCE, Site
from newsarchive.sites.papers import NATIONAL
from newsarchive.sites.provinces import SITES as PROVINCES
from tests.support.fixtures import manifest, registry

# The 34 provincial-level units since 2025-07-01 (Nghị quyết 202/2025/QH15).
UNITS_2025 = (
    "Hà Nội", "Huế", "Cao Bằng", "Điện Biên", "Hà Tĩnh", "Lai Châu", "Lạng Sơn", "Nghệ An",
    "Quảng Ninh", "Thanh Hóa", "Sơn La", "Tuyên Quang", "Lào Cai", "Thái Nguyên", "Phú Thọ",
    "Bắc Ninh", "Hưng Yên", "Hải Phòng", "Ninh Bình", "Quảng Trị", "Đà Nẵng", "Quảng Ngãi",
    "Gia Lai", "Khánh Hòa", "Lâm Đồng", "Đắk Lắk", "TP. Hồ Chí Minh", "Đồng Nai", "Tây Ninh",
    "Cần Thơ", "Vĩnh Long", "Đồng Tháp", "Cà Mau", "An Giang",
)
ALL = registry()
SITES = list(ALL)


def _ids(site: Site) -> str:
    return site.id


@pytest.mark.parametrize("site", SITES, ids=_ids)
def test_pattern_matches_its_examples_and_nothing_else(site: Site):
    re.compile(site.article_pattern)
    for url in site.examples:
        assert site.is_article_url(url), url
    for url in (site.home, *site.listings, *site.feeds, *site.sitemaps):
        assert not site.is_article_url(url), url


@pytest.mark.parametrize("site", SITES, ids=_ids)
def test_discovery_urls_are_well_formed_on_the_sites_hosts(site: Site):
    for url in (site.home, *site.listings, *site.feeds, *site.sitemaps, *site.examples):
        parts = urlsplit(url)
        assert parts.scheme in ("http", "https") and parts.netloc, url
        assert " " not in url and not parts.fragment, url
        assert host_of(url) in site.all_hosts, url
    for group in (site.listings, site.feeds, site.sitemaps):
        assert len(group) == len(set(group)), f"{site.id}: a URL is listed twice"


@pytest.mark.parametrize("site", SITES, ids=_ids)
def test_fields_are_honest(site: Site):
    assert site.confidence in CONFIDENCE
    assert site.platform is None or site.platform in PLATFORMS, site.platform
    assert site.evidence or site.national, f"{site.id}: say what backs the entry"
    if site.confidence == "fixture":
        # a claim of a real page is only as good as the layout tested on one
        assert site.platform in SNIFFED, site.platform
    if site.national:
        assert site.province is None and not site.merged


def test_no_two_papers_claim_a_host():
    hosts = Counter(host for site in SITES for host in site.all_hosts)
    assert [h for h, n in hosts.items() if n > 1] == []


def test_one_paper_per_2025_unit():
    assert len(PROVINCES) == 34
    assert [site.province for site in PROVINCES] == list(UNITS_2025)
    assert not any(site.national for site in PROVINCES)
    merged = [p for site in PROVINCES for p in site.merged]
    assert len(merged) == len(set(merged)) and not set(merged) & set(UNITS_2025)


def test_the_registry_is_provinces_then_nationals():
    assert [s.id for s in SITES[:34]] == [s.id for s in PROVINCES]
    assert all(s.national for s in NATIONAL) and len(ALL) == 34 + len(NATIONAL)


def test_every_platform_layout_is_used_or_sniffed():
    used = {site.platform for site in SITES} | set(SNIFFED)
    assert set(PLATFORMS) - used <= {"content-fck"}  # content-fck: baocantho's family name


FIXTURE_SITES = [s for s in SITES if s.confidence == "fixture"]


@pytest.mark.parametrize("site", FIXTURE_SITES, ids=_ids)
def test_fixture_confidence_has_a_real_page_that_extracts(fixtures_path, site: Site):
    pages = [c for c in manifest(fixtures_path)
             if c.kind == "article" and ALL.for_url(c.url) is site]
    assert pages, f"{site.id} claims `fixture` but no captured article page is in the manifest"
    for capture in pages:
        article = extract((fixtures_path / capture.file).read_bytes(), capture.url, site=site)
        assert article.title and article.sapo and article.body_text, capture.file
        assert re.search(r"T\d\d:\d\d", article.published_at or ""), article.published_at


def test_extra_entries_from_json_get_tuples(tmp_path):
    from newsarchive.sites import load

    extra = tmp_path / "sites.json"
    extra.write_text('[{"id": "baothu", "name": "Báo Thử", "home": "https://baothu.vn/",'
                     ' "platform": null, "article_pattern": "-\\\\d+\\\\.html$",'
                     ' "merged": ["Tỉnh Cũ"], "examples": ["https://baothu.vn/a-12.html"]}]',
                     encoding="utf-8")
    site = load(extra).get("baothu")
    assert site.merged == ("Tỉnh Cũ",) and site.examples == ("https://baothu.vn/a-12.html",)
    assert site.is_article_url(site.examples[0])


@pytest.mark.parametrize("home, hosts", [
    ("https://baonghean.vn/", []),                 # a registry paper's own host
    ("https://www.baonghean.vn/", []),             # the same host, as url keys see it
    ("https://baothu.vn/", ["baonghean.vn"]),      # among its other hosts
    ("https://tin.baonghean.vn/", []),             # under it: in baonghean's scope
])
def test_an_extra_paper_may_not_share_a_registry_paper_s_host(tmp_path, home, hosts):
    """#24 (lower): its pages would be stored as the other paper's, or overwrite them."""
    from newsarchive.sites import SitesFileError, load

    extra = tmp_path / "sites.json"
    extra.write_text(json.dumps([{"id": "baothu", "name": "Báo Thử", "home": home,
                                  "hosts": hosts, "platform": None,
                                  "article_pattern": r"-\d+\.html$"}]), encoding="utf-8")
    with pytest.raises(SitesFileError, match="shares the host .* with paper 'baonghean'"):
        load(extra)


def test_an_extra_paper_may_replace_a_registry_paper_by_id(tmp_path):
    from newsarchive.sites import load

    extra = tmp_path / "sites.json"
    extra.write_text(json.dumps([{"id": "baonghean", "name": "Nghệ An (thử)",
                                  "home": "https://baonghean.vn/", "platform": None,
                                  "article_pattern": r"-\d+\.html$"}]), encoding="utf-8")
    assert load(extra).get("baonghean").name == "Nghệ An (thử)"


@pytest.mark.parametrize("text, message", [
    ("{", "not a JSON list of papers"),
    ('{"id": "x"}', "not a JSON list of papers"),
    ('[{"id": "x"}]', "paper 1: .*missing"),
    ('[{"id": "x", "name": "X", "home": "https://x.vn/", "platform": null,'
     ' "article_pattern": "x", "colour": "red"}]', "paper 1: .*colour"),
])
def test_a_bad_sites_file_is_one_line_on_the_command_line(tmp_path, text, message):
    import subprocess
    import sys

    extra = tmp_path / "sites.json"
    extra.write_text(text, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "newsarchive.cli", "sites"],
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, "NEWSARCHIVE_SITES": str(extra)})
    assert proc.returncode == 1
    [line] = proc.stderr.splitlines()
    assert re.search(f"^Error: \\$NEWSARCHIVE_SITES: {re.escape(str(extra))}: {message}", line)
