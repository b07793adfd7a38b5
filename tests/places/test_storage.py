"""Places are stored with the article, in its transaction, and replaced by reparse."""

from __future__ import annotations

from newsarchive.archive import Archive
from newsarchive.crawl.ingest import ingest, reingest
from newsarchive.ground.page import Page
from newsarchive.sites import load
from tests.support.pages import article_page


def test_ingest_stores_places_and_reingest_replaces_them(tmp_path):
    archive = Archive(tmp_path / "a.db")
    site = load().get("baonghean")
    body = "<p>Công an xã Diễn Châu tuần tra trên địa bàn xã Diễn Châu, tỉnh Nghệ An.</p>" * 3
    page = Page(url="https://baonghean.vn/tuan-tra-10300001.html",
                body=article_page(body).encode(), fetched_at="2026-03-07T02:00:00Z")
    outcome = ingest(archive, page, site)
    assert outcome.stored
    rows = archive.conn.execute(
        "SELECT place_code, name_now, mentions FROM article_places ORDER BY place_code"
    ).fetchall()
    assert rows == [("c34-17464", "Xã Diễn Châu", 6), ("p34-40", "Tỉnh Nghệ An", 3)]
    assert archive.conn.execute("SELECT name FROM places WHERE code = 'c34-17464'"
                                ).fetchone() == ("Xã Diễn Châu",)
    page.id = outcome.page_id
    reingest(archive, page, site)
    assert archive.conn.execute("SELECT COUNT(*) FROM article_places").fetchone() == (2,)


def test_the_place_query_finds_former_units_and_units_inside(tmp_path):
    import yaml

    from newsarchive.publish import HERE

    sql = yaml.safe_load((HERE / "metadata.yml").read_text(encoding="utf-8"))[
        "databases"]["archive"]["queries"]["place"]["sql"]
    archive = Archive(tmp_path / "a.db")
    site = load().get("baonghean")
    for n, (text, day) in enumerate([("Mưa lớn ở huyện Diễn Châu.", "2018-05-01"),
                                     ("Xã Diễn Châu họp dân.", "2026-01-10"),
                                     ("Phường Hưng Lộc, TP Vinh khánh thành.", "2019-01-01")]):
        body = f"<p>{text} Người dân đến dự đông đủ, buổi lễ diễn ra trang trọng.</p>" * 3
        html = article_page(body).replace("2026-03-07", day)
        ingest(archive, Page(url=f"https://baonghean.vn/a-1030000{n}.html", body=html.encode(),
                             fetched_at="2026-03-07T02:00:00Z"), site)
    written = {code: [(r[1][:4], r[4]) for r in archive.conn.execute(sql, {"code": code})]
               for code in ("p34-40", "c34-17464", "d63-425")}
    assert sorted(written["p34-40"]) == [  # oldest first; 2019's two places in any order
        ("2018", "huyện Diễn Châu"), ("2019", "Phường Hưng Lộc"), ("2019", "TP Vinh"),
        ("2026", "Xã Diễn Châu")]
    assert [w[0] for w in written["p34-40"]] == ["2018", "2019", "2019", "2026"]
    assert written["c34-17464"] == [("2026", "Xã Diễn Châu")]
    assert written["d63-425"] == [("2018", "huyện Diễn Châu")]
