"""Not an article -> NotAnArticle, every time: listings, home, tag, error and video pages are
told from articles by the page itself, with layouts on or off; every article still extracts."""

from __future__ import annotations

import subprocess
import sys

import pytest

from newsarchive.extract.core import NotAnArticle, extract
from tests.support.fixtures import fixtures_dir, manifest, real_pages, registry
from tests.support.pages import PARAGRAPH, article_page

ROWS = manifest() if real_pages() else []
LISTINGS = [r for r in ROWS if r.kind == "listing"]
ARTICLES = [r for r in ROWS if r.kind == "article"]
REGISTRY = registry() if ROWS else None
URL = "https://baothu.vn/dien-chau-doi-moi-123456.html"


def _read(fx) -> bytes:
    return (fixtures_dir() / fx.file).read_bytes()


@pytest.mark.parametrize("layouts", [True, False], ids=["layouts", "generic"])
@pytest.mark.parametrize("fx", LISTINGS, ids=lambda r: r.file)
def test_captured_listing_and_home_pages_are_refused(fixtures_path, fx, layouts):
    with pytest.raises(NotAnArticle, match="not an article"):
        extract(_read(fx), fx.url, site=REGISTRY.for_url(fx.url), layouts=layouts)


@pytest.mark.parametrize("layouts", [True, False], ids=["layouts", "generic"])
@pytest.mark.parametrize("fx", ARTICLES, ids=lambda r: r.file)
def test_captured_articles_are_kept(fixtures_path, fx, layouts):
    art = extract(_read(fx), fx.url, site=REGISTRY.for_url(fx.url), layouts=layouts)
    assert art.title and len(art.body_text) > 1000


def test_every_captured_listing_is_counted():
    if ROWS:
        assert len(LISTINGS) == 14 and len(ARTICLES) == 13


def test_listing_refused_by_the_cli(fixtures_path):
    fx = next(r for r in LISTINGS if r.file.startswith("vnexpress.net/"))
    proc = subprocess.run([sys.executable, "-m", "newsarchive.cli", "extract",
                           str(fixtures_dir() / fx.file), "--url", fx.url],
                          capture_output=True, timeout=120)
    assert proc.returncode == 3, proc.stderr


def _teaser(i: int, href: str) -> str:
    return (f'<div class="story"><a href="{href}"><img src="/anh-{i}.jpg"></a>'
            f'<h3><a href="{href}">Tin số {i}: người dân Diễn Châu đón nhận chính sách mới</a>'
            f'</h3><p>Tóm tắt ngắn của tin số {i} về đời sống ở Nghệ An.</p></div>')


def _page(body: str, title: str = "Báo Thử", head: str = "") -> str:
    return (f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{title}</title>'
            f'{head}</head><body><header><a href="/">Trang chủ</a></header>{body}'
            '<footer>Bản quyền thuộc Báo Thử</footer></body></html>')


def test_tag_page_is_refused():
    teasers = "".join(_teaser(i, f"/bai-viet-{i}-12345{i}.html") for i in range(12))
    page = _page(f"<h1>Diễn Châu</h1><div class='list'>{teasers}</div>",
                 head='<meta property="og:type" content="website">')
    with pytest.raises(NotAnArticle, match="listing|section URL"):
        extract(page.encode(), "https://baothu.vn/tag/dien-chau")


def test_tag_page_with_article_og_type_is_refused_by_its_shape():
    teasers = "".join(_teaser(i, f"/bai-viet-{i}-12345{i}.html") for i in range(12))
    page = _page(f"<h1>Diễn Châu</h1><div class='list'>{teasers}</div>",
                 head='<meta property="og:type" content="article">')
    with pytest.raises(NotAnArticle, match="listing"):
        extract(page.encode(), "https://baothu.vn/tag/dien-chau-1234567.html")


def test_collection_page_json_ld_is_refused():
    teasers = "".join(_teaser(i, f"/bai-viet-{i}-12345{i}.html") for i in range(3))
    ld = ('<script type="application/ld+json">{"@context":"https://schema.org",'
          '"@type":"CollectionPage","name":"Thời sự"}</script>')
    page = _page(f"<h1>Thời sự</h1>{teasers}<p>{PARAGRAPH * 3}</p>", head=ld)
    with pytest.raises(NotAnArticle, match="CollectionPage|collectionpage"):
        extract(page.encode(), "https://baothu.vn/thoi-su-123456.html")


@pytest.mark.parametrize("title, heading", [
    ("Không tìm thấy trang", "Không tìm thấy trang"),
    ("404 - Báo Thử", "404"),
    ("Báo Thử", "Trang bạn tìm không tồn tại"),
])
def test_error_page_served_with_status_200_is_refused(title, heading):
    latest = "".join(_teaser(i, f"/bai-viet-{i}-12345{i}.html") for i in range(4))
    page = _page(f"<h1>{heading}</h1><p>Đường dẫn có thể đã bị thay đổi. {PARAGRAPH}</p>"
                 f"<p>{PARAGRAPH}</p><p>{PARAGRAPH}</p><div>{latest}</div>", title=title)
    with pytest.raises(NotAnArticle, match="error page"):
        extract(page.encode(), URL)


def test_video_page_without_text_is_refused():
    video = ('<video src="/video/dien-chau.mp4" controls></video>'
             '<p>Video: Diễn Châu</p>')
    page = article_page(body=video, title="Video: Diễn Châu đổi mới")
    with pytest.raises(NotAnArticle):
        extract(page.encode(), "https://baothu.vn/video/dien-chau-123456.html")


def test_short_article_still_extracts():
    body = f"<p>{PARAGRAPH}</p><p>{PARAGRAPH[:60]}</p>"
    art = extract(article_page(body=body).encode(), URL)
    assert art.title == "Diễn Châu đổi mới chính quyền"
    assert "Nghệ An" in art.body_text


def test_article_with_related_stories_inside_still_extracts():
    related = "".join(_teaser(i, f"/bai-viet-{i}-12345{i}.html") for i in range(3))
    body = "".join(f"<p>{PARAGRAPH}{i}</p>" for i in range(6)) + f"<div>{related}</div>"
    for layouts in (True, False):
        art = extract(article_page(body=body).encode(), URL, layouts=layouts)
        assert art.body_text.count("Nghệ An") >= 6


def test_article_whose_title_mentions_a_number_like_404_still_extracts():
    page = article_page(title="404 hộ dân Diễn Châu nhận sổ đỏ")
    assert extract(page.encode(), URL).title == "404 hộ dân Diễn Châu nhận sổ đỏ"


def test_article_with_only_hints_against_it_is_kept_for_its_running_text():
    """og:type website, no JSON-LD and a URL without an id: hints, which a long running
    text outweighs (small papers' CMSs write such pages)."""
    body = "".join(f"<p>{PARAGRAPH}{i}</p>" for i in range(12))
    page = _page(f'<h1>Diễn Châu đổi mới chính quyền cơ sở</h1>'
                 f'<time datetime="2026-03-07T08:47:00+07:00">07/03/2026 08:47</time>'
                 f'<article>{body}</article>',
                 head='<meta property="og:type" content="website">')
    art = extract(page.encode(), "https://baothu.vn/tin-tuc/dien-chau-doi-moi-chinh-quyen")
    assert art.body_text.count("Nghệ An") == 12
    short = page.replace("".join(f"<p>{PARAGRAPH}{i}</p>" for i in range(12)),
                         "".join(f"<p>{PARAGRAPH}{i}</p>" for i in range(4)))
    with pytest.raises(NotAnArticle, match="og:type website"):
        extract(short.encode(), "https://baothu.vn/tin-tuc/dien-chau-doi-moi-chinh-quyen")
