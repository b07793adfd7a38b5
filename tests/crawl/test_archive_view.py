"""#25 item 4: what a spider may ask of the archive is one named interface
(`ArchiveView`), implemented by `Archive` and by a cluster worker's `KnownArticles`; the
spider asks nothing else."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

from newsarchive.archive import Archive
from newsarchive.crawl.archive_view import ArchiveView
from newsarchive.crawl.cluster.known import KnownArticles
from newsarchive.crawl.revisit import due_urls
from newsarchive.ground import clock
from newsarchive.ground.page import Page
from tests.support.records import dien_chau

MEMBERS = [name for name, _ in inspect.getmembers(ArchiveView, inspect.isfunction)
           if not name.startswith("_")]
SPIDERS = Path(__file__).resolve().parents[2] / "newsarchive" / "crawl" / "spiders"


def test_both_implementations_take_what_the_interface_names():
    assert set(MEMBERS) == {"known", "validators", "recent", "touch", "mark_gone", "close"}
    for implementation in (Archive, KnownArticles):
        for name in MEMBERS:
            wanted = list(inspect.signature(getattr(ArchiveView, name)).parameters)
            assert list(inspect.signature(getattr(implementation, name)).parameters) == \
                wanted, f"{implementation.__name__}.{name}"
    assert not {"articles", "pages", "gone"} & set(vars(KnownArticles(None, None, None)))


def test_the_archive_answers_as_the_spider_asks(tmp_path):
    archive = Archive(tmp_path / "a.db")
    assert isinstance(archive, ArchiveView)
    article = dien_chau()
    assert archive.known(article.url) is None
    archive.store_page(Page(article.url, b"<html>bai</html>", fetched_at=clock.stamp(),
                            headers={"etag": '"v1"'}), article)
    known = archive.known(article.url)
    assert known["published_at"] == archive.articles.find(article.url)["published_at"]
    assert archive.validators(article.url)[0] == '"v1"'
    assert archive.mark_gone(article.url, 404, clock.stamp()) is not None
    assert archive.mark_gone("https://baonghean.vn/khong-co.html", 404, clock.stamp()) is None
    listing = "https://baonghean.vn/danh-muc.html"
    archive.store_page(Page(listing, b"<html>danh muc</html>", fetched_at=clock.stamp(),
                            flags="not-article"), None)
    assert archive.known(listing) == archive.pages.not_article(listing) is not None
    archive.close()


def test_revisits_are_chosen_through_the_interface():
    class Asked:
        def recent(self, site, since):
            now = clock.stamp()
            return [("https://t.test/a.html", now, clock.stamp(clock.now().replace(year=2000)))]

    assert due_urls(Asked(), "t") == ["https://t.test/a.html"]


def test_the_spiders_ask_the_archive_only_through_the_interface():
    """No spider reaches into `archive.articles`, `.pages`, `.gone` (or any part)."""
    reached = []
    for path in SPIDERS.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute) \
                    and node.value.attr == "archive" and node.attr not in MEMBERS:
                reached.append(f"{path.name}:{node.lineno} archive.{node.attr}")
    assert not reached, reached
