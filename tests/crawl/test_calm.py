"""A crawl that cannot reach anything says so in a few lines: a row per site with the
reason, a headline, no traceback; the details go to `-v` and the log file."""

from __future__ import annotations

import json
import socket

import pytest

from newsarchive.ops import report
from tests.support.crawling import FAST, crawl


def unreachable_registry(tmp_path):
    """One site on a local port nothing listens on: every request is refused."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    path = tmp_path / "sites.json"
    path.write_text(json.dumps([{
        "id": "nowhere", "name": "Báo Không", "province": "Nghệ An", "home": base + "/",
        "platform": None, "article_pattern": r"/bai-\d+\.html$",
        "feeds": [base + "/rss.xml"], "sitemaps": [base + "/sitemap.xml"],
        "listings": [base + "/thoi-su"]}]), encoding="utf-8")
    return {"NEWSARCHIVE_SITES": str(path)}


@pytest.mark.slow
@pytest.mark.parametrize("quiet", [False, True])
def test_an_unreachable_site_is_a_few_calm_lines(tmp_path, quiet):
    log = tmp_path / "crawl.log"
    proc = crawl("nowhere", "--db", str(tmp_path / "a.db"), "--log-file", str(log), *FAST,
                 env=unreachable_registry(tmp_path), quiet=quiet)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1
    assert "Traceback" not in out and "Overridden settings" not in out
    assert len(out.splitlines()) < 15, out
    row = next(line for line in proc.stdout.splitlines() if line.startswith("nowhere"))
    assert "failed" in row and "refused" in row
    assert "no site accepted a connection" in proc.stderr
    assert "Traceback" in log.read_text() or "Dumping Scrapy stats" in log.read_text()
    assert "remote_control" not in log.read_text()  # no port opened, no job files


@pytest.mark.slow
def test_verbose_shows_scrapy_log(tmp_path):
    proc = crawl("nowhere", "--db", str(tmp_path / "a.db"), "-v", *FAST,
                 env=unreachable_registry(tmp_path), quiet=False)
    assert "Dumping Scrapy stats" in proc.stderr and proc.returncode == 1


def test_reasons_and_headline():
    assert report.reason_text({"discovery-dns": 19, "article-http-404": 77}) == \
        "article http-404 ×77, dns ×19"
    assert report.reason_text('{"discovery-timeout": 1}') == "timeout"
    failed = [{"status": "failed", "errors": '{"discovery-dns": 2}'},
              {"status": "failed", "errors": '{"discovery-dns": 1, "article-dns": 3}'}]
    assert "are you offline?" in report.headline(failed)
    assert report.headline([*failed, {"status": "ok", "errors": "{}", "new": 1}]) is None
    idle = {"status": "ok", "errors": "{}", "discovered": 0, "failed": 0}  # nothing to fetch
    assert "are you offline?" in report.headline([*failed, idle])
    assert report.headline([*failed, {"status": "failed",
                                      "errors": '{"discovery-http-404": 4}'}]) is None


def test_the_summary_shows_only_this_crawls_rows(tmp_path):
    from newsarchive.archive import Archive

    db = tmp_path / "a.db"
    earlier = Archive(str(db))
    earlier.runs.finish(earlier.runs.start("baonghean"), {"new": 5}, {})
    earlier.close()
    proc = crawl("nowhere", "--db", str(db), *FAST, env=unreachable_registry(tmp_path))
    assert proc.returncode == 1 and "Traceback" not in proc.stdout + proc.stderr
    assert [line.split()[0] for line in proc.stdout.splitlines()[1:]] == ["nowhere"]


def test_the_table_separates_discovery_from_article_failures():
    row = {"site": "baonghean", "status": "ok", "finished_at": "2026-07-03T09:00:00Z",
           "discovered": 78, "new": 1, "changed": 0, "unchanged": 0, "failed": 96,
           "fallback": 0, "errors": '{"discovery-dns": 19, "article-http-404": 77}'}
    header, line = report.table([row])
    assert header.split()[7:9] == ["disc-fail", "art-fail"]
    assert line.split()[7:9] == ["19", "77"]
    assert line.endswith("article http-404 ×77, dns ×19")
    assert report.split_failures({"failed": 3, "errors": '{"not-article": 3}'}) == (0, 3)
