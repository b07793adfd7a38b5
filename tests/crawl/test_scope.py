"""#17 item 3: the crawl goes only where the site's scope allows. A hostile local site
redirects, meta-refreshes and lists a sitemap on another host holding an admin page:
nothing there is fetched, each refusal is counted `out-of-scope`."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest

from newsarchive.crawl.middlewares.scope import ScopeMiddleware, is_private
from newsarchive.sites import Site
from tests.support.crawling import FAST, crawl, rows
from tests.support.hostile import HostileSite


def test_private_addresses():
    for host in ("127.0.0.1", "10.1.2.3", "192.168.0.1", "169.254.169.254", "::1",
                 "[fe80::1]", "localhost", "admin.localhost", "0.0.0.0"):
        assert is_private(host), host
    assert not is_private("8.8.8.8") and not is_private("no-such-host.invalid")


class _Stats(dict):
    def inc_value(self, key, n=1):
        self[key] = self.get(key, 0) + n


def _middleware(allow_private: bool):
    site = Site(id="s", name="S", home="http://127.0.0.1:8000/", platform=None,
                article_pattern=r"\.html$", hosts=("baonghean.vn",))
    spider = SimpleNamespace(registry=SimpleNamespace(get=lambda _: site), sites=[site])
    settings = SimpleNamespace(getbool=lambda name: allow_private)
    crawler = SimpleNamespace(settings=settings, stats=_Stats(), spider=spider)
    return ScopeMiddleware(crawler), crawler.stats


def test_the_middleware_refuses_and_counts():
    mw, stats = _middleware(allow_private=True)
    assert mw.process_request(Request("http://127.0.0.1:8000/a.html", meta={"site": "s"})) \
        is None
    assert mw.process_request(Request("https://m.baonghean.vn/x", meta={"site": "s"})) is None
    with pytest.raises(IgnoreRequest):
        mw.process_request(Request("http://127.0.0.1:9000/admin", meta={"site": "s"}))
    with pytest.raises(IgnoreRequest):
        mw.process_request(Request("http://evil-baonghean.vn/", meta={"site": "s"}))
    assert stats == {"newsarchive/s/errors/out-of-scope": 2}
    strict, stats = _middleware(allow_private=False)
    with pytest.raises(IgnoreRequest):
        strict.process_request(Request("http://127.0.0.1:8000/a.html", meta={"site": "s"}))
    assert stats == {"newsarchive/s/errors/private-address": 1}


@pytest.mark.slow
def test_a_hostile_site_leads_the_crawl_nowhere(tmp_path):
    db = tmp_path / "archive.db"
    with HostileSite() as site:
        env = {"NEWSARCHIVE_SITES": str(site.registry_file(tmp_path))}
        proc = crawl("hostile", "--db", str(db), *FAST, env=env, timeout=120)
        assert proc.returncode == 0, proc.stderr
        assert not [p for p in site.hits if p.startswith("other:")], site.hits
        assert site.hits["/sitemap.xml"] == 1  # listed in itself: fetched once
        bodies = rows(db, "SELECT url FROM pages")
        assert not [u for (u,) in bodies if site.base(False) in u]
        errors = json.loads(rows(db, "SELECT errors FROM crawl_runs")[0][0])
        assert errors.get("out-of-scope", 0) >= 3  # redirect, meta refresh, sitemap entry
        stored = {u for (u,) in rows(db, "SELECT url FROM articles")}
        assert stored == {f"{site.base()}/bai-3.html"}


@pytest.mark.slow
def test_a_local_site_is_not_fetched_without_the_setting(tmp_path):
    db = tmp_path / "archive.db"
    with HostileSite() as site:
        env = {"NEWSARCHIVE_SITES": str(site.registry_file(tmp_path))}
        assert FAST[1] == "NEWSARCHIVE_ALLOW_PRIVATE=True"
        fast = FAST[2:]
        proc = crawl("hostile", "--db", str(db), *fast, env=env, timeout=120)
        assert not site.hits, site.hits
        errors = json.loads(rows(db, "SELECT errors FROM crawl_runs")[0][0])
        assert errors.get("private-address", 0) >= 2, proc.stderr
