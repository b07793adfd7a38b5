"""`newsarchive check`: offline over the captured pages, against a local site, an
unreachable one, and a user's mistakes."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsarchive.cli import main
from tests.support.crawling import FAST
from tests.support.fixtures import ROOT, manifest
from tests.support.sitesrv import SyntheticSite


def check(*args: str, cwd: Path, env: dict | None = None):
    return subprocess.run([sys.executable, "-m", "newsarchive.cli", "check", *args],
                          cwd=cwd, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})


def test_unknown_site_is_one_line_and_exit_2():
    result = CliRunner().invoke(main, ["check", "baonghean", "nosuchpaper"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "newsarchive check: unknown site 'nosuchpaper' (`newsarchive sites` lists them)"]
    assert CliRunner().invoke(main, ["check"]).exit_code == 2


@pytest.mark.slow
def test_replay_over_the_fixtures_is_ok_for_every_captured_site(fixtures_path, tmp_path):
    result = check("--replay", str(fixtures_path), "--all", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    reports = {r["site"]: r for r in json.loads(result.stdout)}
    from tests.support.fixtures import registry

    papers = registry()
    captured = {papers.for_url(c.url).id for c in manifest(fixtures_path)}
    assert captured and {s for s, r in reports.items() if r["verdict"] == "ok"} == captured
    assert {r["verdict"] for s, r in reports.items() if s not in captured} == {"no pages"}
    articles = {c.url for c in manifest(fixtures_path) if c.kind == "article"}
    checked = {a["url"] for r in reports.values() for a in r["articles"]}
    assert checked == articles  # every captured article page was extracted
    assert reports["baolaocai"]["fields"]["date"]["filled"] == 1
    assert list(tmp_path.iterdir()) == []  # it never writes an archive


@pytest.mark.slow
def test_unreachable_site_is_broken_in_one_line(tmp_path):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    sites = tmp_path / "sites.json"
    sites.write_text(json.dumps([{
        "id": "closed", "name": "Báo Đóng", "home": base + "/", "platform": None,
        "article_pattern": r"-\d+\.html$", "feeds": [base + "/rss.xml"],
        "listings": [base + "/thoi-su", base + "/xa-hoi"]}]), encoding="utf-8")
    result = check("closed", *FAST, cwd=tmp_path, env={"NEWSARCHIVE_SITES": str(sites)})
    assert result.returncode == 2
    assert "Traceback" not in result.stdout + result.stderr
    first = result.stdout.splitlines()[0]
    assert first.startswith("closed (") and "broken: unreachable: connection refused" in first
    assert "2 not tried" in first


@pytest.mark.slow
def test_live_check_of_a_local_site(tmp_path):
    with SyntheticSite() as site:
        registry = site.registry_file(tmp_path)
        result = check("testsite", "--articles", "3", "--json", *FAST, cwd=tmp_path,
                       env={"NEWSARCHIVE_SITES": str(registry)})
    assert result.returncode in (0, 1), result.stdout + result.stderr
    (report,) = json.loads(result.stdout)
    kinds = {s["kind"]: s for s in report["sources"]}
    assert kinds["rss"]["matching"] >= 5 and kinds["index"]["found"] == 2
    assert len(report["articles"]) == 3
    assert report["fields"]["title"]["layers"] == {"jsonld": report["fields"]["title"]["of"]}
    assert site.hits.get("/robots.txt")  # politeness: robots.txt was read
    assert list(tmp_path.iterdir()) == [registry]


@pytest.mark.slow
def test_replay_from_a_warc(tmp_path):
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    base = "https://bao.example.vn"
    with SyntheticSite() as site:
        article = site.article_html(1).encode("utf-8")
    feed = (f"<?xml version='1.0'?><rss><channel><item><link>{base}/bai-1.html</link>"
            f"</item><item><link>{base}/bai-2.html</link></item></channel></rss>").encode()
    warc = tmp_path / "pages.warc.gz"
    with open(warc, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, body, ctype in ((f"{base}/rss.xml", feed, "application/rss+xml"),
                                 (f"{base}/bai-1.html", article, "text/html; charset=utf-8")):
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                url, "response", payload=BytesIO(body), http_headers=headers))
    sites = tmp_path / "sites.json"
    sites.write_text(json.dumps([{
        "id": "example", "name": "Báo Ví Dụ", "home": base + "/", "platform": None,
        "article_pattern": r"/bai-\d+\.html$", "feeds": [base + "/rss.xml"]}]),
        encoding="utf-8")
    result = check("example", "--replay", str(warc), "--json", cwd=tmp_path,
                   env={"NEWSARCHIVE_SITES": str(sites)})
    assert result.returncode == 0, result.stdout + result.stderr
    (report,) = json.loads(result.stdout)
    assert report["verdict"] == "ok"
    assert report["sources"][0]["matching"] == 2 and report["uncaptured"] == 1
    assert [a["url"] for a in report["articles"]] == [base + "/bai-1.html"]


@pytest.mark.slow
def test_offline_check_says_network_not_robots(tmp_path):
    """Hosts that cannot resolve (`.invalid`, RFC 6761), as every paper is offline: one
    line per site naming DNS, one headline, never robots.txt."""
    sites = tmp_path / "sites.json"
    sites.write_text(json.dumps([{
        "id": site, "name": f"Báo {site}", "home": f"https://{site}.invalid/",
        "platform": None, "article_pattern": r"-\d+\.html$",
        "feeds": [f"https://{site}.invalid/rss/{n}" for n in range(3)],
        "listings": [f"https://{site}.invalid/thoi-su"]} for site in ("mot", "hai")]),
        encoding="utf-8")
    result = check("mot", "hai", cwd=tmp_path, env={"NEWSARCHIVE_SITES": str(sites)})
    assert result.returncode == 2
    lines = result.stdout.splitlines()
    assert "robots" not in result.stdout and "Traceback" not in result.stderr
    assert [line.split()[0] for line in lines[:2]] == ["mot", "hai"]
    assert all("broken: unreachable: host name not found" in line for line in lines[:2])
    assert lines[2:] == ["2 broken (2 sites)", "newsarchive: no site could be reached "
                         "(DNS lookup failed): are you offline?"]
