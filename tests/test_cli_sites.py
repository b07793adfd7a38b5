"""`newsarchive sites`: the coverage table, its filters and the archive's counts."""

from __future__ import annotations

import json

from click.testing import CliRunner

from newsarchive.archive import Archive
from newsarchive.cli import main
from tests.support.records import dien_chau


def sites(*args: str):
    return CliRunner().invoke(main, ["sites", *args])


def sites_registry():
    from tests.support.fixtures import registry

    return registry()


def test_lists_every_paper_with_its_confidence():
    result = sites()
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[:5] == ["id", "name", "province", "platform", "confidence"]
    national = sum(s.national for s in sites_registry())
    assert national >= 12 and len(lines) == 1 + 34 + national
    assert lines[1].startswith("hanoimoi") and "(national)" in lines[-1]


def test_json_rows_and_filters():
    rows = json.loads(sites("--json", "--provincial").output)
    assert len(rows) == 34 and not any(r["national"] for r in rows)
    baonghean = next(r for r in rows if r["id"] == "baonghean")
    assert baonghean["feeds"] == 12 and baonghean["confidence"] == "second-hand"
    assert {r["id"] for r in json.loads(sites("--json", "--platform", "yyyymm").output)} >= {
        "baothainguyen", "baodaklak", "baoquangtri"}
    assert all(r["national"] for r in json.loads(sites("--json", "--national").output))


def test_province_matches_without_diacritics_and_merged_provinces():
    assert [r["id"] for r in json.loads(sites("--json", "--province", "nghe an").output)] \
        == ["baonghean"]
    # Quảng Nam merged into Đà Nẵng in 2025
    assert [r["id"] for r in json.loads(sites("--json", "--province", "Quảng Nam").output)] \
        == ["baodanang"]


def test_unknown_platform_or_province_is_a_usage_error():
    for args in (("--platform", "wordpress"), ("--province", "Atlantis")):
        result = sites(*args)
        assert result.exit_code == 2
        assert "Traceback" not in result.output
        assert [line for line in result.output.splitlines() if line.startswith("Error")]


def test_markdown_table():
    out = sites("--markdown", "--province", "Cần Thơ").output.splitlines()
    assert out[0].startswith("| id | name | province |") and out[1].startswith("|---|")
    assert out[2].startswith("| baocantho | Báo Cần Thơ | Cần Thơ (+ Sóc Trăng, Hậu Giang) |")


def test_archive_counts_from_db(tmp_path):
    db = tmp_path / "archive.db"
    store = Archive(db)
    store.articles.upsert(dien_chau(), "2026-03-07T08:00:00+00:00", [dien_chau().url], None)
    run = store.runs.start("baonghean")
    store.runs.finish(run, {"new": 1}, {}, status="ok")
    store.close()
    rows = {r["id"]: r for r in json.loads(sites("--json", "--db", str(db)).output)}
    assert rows["baonghean"]["articles"] == 1 and rows["baonghean"]["last_result"] == "ok"
    assert rows["baonghean"]["last_crawl"]
    assert rows["hanoimoi"]["articles"] == 0 and rows["hanoimoi"]["last_crawl"] is None
    text = sites("--db", str(db), "--province", "Nghệ An").output.splitlines()
    assert text[0].split()[-3:] == ["articles", "last_crawl", "last_result"]
    # an archive that does not exist is said (#26 item 10), not taken for an empty one
    assert sites("--json", "--db", str(tmp_path / "none.db")).exit_code == 1


def test_json_names_each_papers_evidence():
    """The README sends readers to `sites --json` for each entry's `evidence`."""
    rows = json.loads(sites("--json").output)
    by_id = {r["id"]: r for r in rows}
    assert {r["id"] for r in rows} == set(sites_registry().ids())
    assert all(isinstance(r["evidence"], str) and r["evidence"].strip() for r in rows), \
        [r["id"] for r in rows if not r["evidence"]]
    assert by_id["plo"]["evidence"] == "captured article page in ../shared/fixtures"
    assert "site_config" in by_id["hanoimoi"]["evidence"]
