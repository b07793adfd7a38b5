"""Regression on real captured pages: every field of every article, every link set.

Expected files are hand-checked; `newsarchive fixtures update` rewrites them so that a
change in output is a reviewable `git diff`.
"""

from __future__ import annotations

import functools
import json
import os

import pytest

from newsarchive.extract.golden import expected_output
from tests.support.fixtures import EXPECTED, expected, fixtures_dir, manifest, real_pages, registry

REGISTRY = registry()


ROWS = manifest() if real_pages() else []
if not ROWS and os.environ.get("CI") == "true":
    raise RuntimeError(f"fixtures missing at {fixtures_dir()}: CI must run the fixture tests")

ARTICLE_FIELDS = ("url", "site", "title", "sapo", "body_text", "body_html", "authors", "source",
                  "published_at", "modified_at", "section", "tags", "images", "language",
                  "provenance", "notes", "extractor_version")


@functools.cache
def _extracted(fx) -> dict:
    return expected_output(fx, fixtures_dir(), REGISTRY)


_expected = expected


def test_every_fixture_has_expected_output(fixtures_path):
    for fx in manifest(fixtures_path):
        sub = "articles" if fx.kind == "article" else "links"
        assert (EXPECTED / sub / f"{fx.slug}.json").exists(), fx.file


@pytest.mark.parametrize("fx", [r for r in ROWS if r.kind == "article"], ids=lambda r: r.file)
@pytest.mark.parametrize("field", ARTICLE_FIELDS)
def test_article_field(fixtures_path, fx, field):
    got = _extracted(fx)
    assert got[field] == _expected(fx)[field]


@pytest.mark.parametrize("fx", [r for r in ROWS if r.kind != "article"], ids=lambda r: r.file)
def test_discovered_article_urls(fixtures_path, fx):
    got = expected_output(fx, fixtures_path, REGISTRY)
    assert got == _expected(fx)
    assert len(got) == len(set(got)), "a URL is listed twice"


# Facts checked by hand against the pages, independent of the expected files.
HAND_CHECKED = {
    "nguoiquansat.vn/article-314409.excerpt.html": {
        "published_at": "2026-09-05T22:17:01+07:00",  # meta `9/5/2026 10:17:01 PM`, US order
        "authors": ["Minh Phong"], "source": "Kiến thức Đầu tư", "section": "Doanh nghiệp A-Z"},
    "nguoiquansat.vn/article-110172-old-template.fragment.html": {
        "published_at": "2024-01-15T13:04:00+07:00", "authors": ["Quỳnh Vân"],
        "title": "Đây là những tấm hộ chiếu quyền lực nhất thế giới năm 2024"},
    "baolaocai.vn/article-404649.html": {
        "published_at": "2025-06-17T13:43:02+07:00", "authors": ["Anh Dũng"]},
    "baocantho.com.vn/article-a196670.html": {
        "published_at": "2026-01-08T18:21:00+07:00", "authors": ["P.Y"],
        "sapo": "Ngày 8-1, Phó Thủ tướng Thường trực Nguyễn Hòa Bình chủ trì hội nghị tổng kết "
                "công tác năm 2025 và triển khai nhiệm vụ công tác năm 2026 của ngành Thanh tra."},
    "plo.vn/article-874982.html": {
        "site": "plo", "section": "Thời sự",  # breadcrumb; meta says `Thời sự,Chính trị`
        "title": "Đoàn đại biểu TP.HCM dâng hoa, tưởng niệm các anh hùng liệt sĩ tại Bình "
                 "Dương, Bà Rịa - Vũng Tàu (cũ)",
        "published_at": "2025-10-11T10:02:08+07:00", "modified_at": "2025-10-11T14:44:16+07:00",
        "authors": ["Thuận Văn", "Lê Ánh"]},  # byline `THUẬN VĂN - LÊ ÁNH`
    "vnexpress.net/article-5047363.html": {"authors": ["Hà Thu"]},
    "tuoitre.vn/article-20260307075519174.html": {"authors": ["Nhật Xuân", "Nghi Vũ"]},
    "dantri.com.vn/article-20260307080054340.html": {"authors": ["Tri Túc"]},
}


@pytest.mark.parametrize("name", sorted(HAND_CHECKED))
def test_hand_checked_facts(fixtures_path, name):
    fx = next(r for r in manifest(fixtures_path) if r.file == name)
    got = expected_output(fx, fixtures_path, REGISTRY)
    for field, value in HAND_CHECKED[name].items():
        assert got[field] == value, field


@pytest.mark.parametrize("fx", [r for r in ROWS if r.kind == "article"], ids=lambda r: r.file)
def test_body_is_clean(fixtures_path, fx):
    art = expected_output(fx, fixtures_path, REGISTRY)
    body = art["body_text"]
    assert art["sapo"] and art["sapo"] not in body
    for image in art["images"]:
        if image["caption"]:
            assert image["caption"] not in body.split("\n")
    for author in art["authors"]:
        assert author not in body.split("\n")
    for junk in ("Tin mới", "Bình luận", "Tin liên quan", "(Baonghean.vn) -", "(CTO) -"):
        assert junk not in body.split("\n")
    assert "<script" not in art["body_html"] and "javascript:" not in art["body_html"]


def test_zce_gallery_captions_go_with_their_pictures(fixtures_path):
    """plo.vn's mobile page: galleries (`div.layout-image-N`) of several <figure>s followed
    by one stand-alone <figcaption>. The captions are the pictures', not body paragraphs."""
    fx = next(r for r in manifest(fixtures_path) if r.file == "plo.vn/article-874982.html")
    art = expected_output(fx, fixtures_path, REGISTRY)
    paragraphs = art["body_text"].split("\n")
    assert len(paragraphs) == 9
    assert paragraphs[0].startswith("Sáng 11-10, các đoàn đại biểu tham dự Đại hội")
    assert paragraphs[-1].startswith("Cũng trong sáng cùng ngày, các đoàn đại biểu")
    assert "Ảnh:" not in art["body_text"] and "THUẬN VĂN" not in art["body_text"]
    assert not art["sapo"].startswith("(PLO)")
    images = art["images"]
    assert len(images) == 28 and all(i["url"].startswith("https://image.plo.vn/") for i in images)
    assert all(i["caption"] and "Ảnh: " in i["caption"] for i in images)
    gallery = [i for i in images if i["caption"].startswith("Đoàn đại biểu dâng hoa tưởng niệm")]
    assert [i["url"].rsplit("/", 1)[1][:27] for i in gallery] == [
        "thuan-van-ba-ria-vung-tau-3", "thuan-van-ba-ria-vung-tau-2",
        "thuan-van-ba-ria-vung-tau-1"]
    assert art["body_html"].count("<figcaption>") == 16  # as many as the page has


def test_expected_outputs_changed_only_with_a_new_extractor_version():
    """Every change in what extraction stores is a new EXTRACTOR_VERSION: the expected
    records must be those recorded for the current version (`fixtures update` refuses
    to record a change under an old version)."""
    from newsarchive.extract.golden import expected_fingerprint
    from newsarchive.ground.article import EXTRACTOR_VERSION

    versions = json.loads((EXPECTED / "versions.json").read_text())
    assert versions.get(EXTRACTOR_VERSION) == expected_fingerprint(EXPECTED), (
        "tests/expected changed without a new EXTRACTOR_VERSION (newsarchive/ground/article.py)")


def test_fixtures_update_refuses_a_change_under_the_same_version(tmp_path, fixtures_path):
    from newsarchive.extract.golden import VersionNotBumped, write_expected
    from newsarchive.ground.article import EXTRACTOR_VERSION

    (tmp_path / "versions.json").write_text(json.dumps({EXTRACTOR_VERSION: "0" * 64}))
    with pytest.raises(VersionNotBumped):
        write_expected(tmp_path, fixtures_path, REGISTRY)
    (tmp_path / "versions.json").unlink()
    write_expected(tmp_path, fixtures_path, REGISTRY)
    assert json.loads((tmp_path / "versions.json").read_text())[EXTRACTOR_VERSION]
