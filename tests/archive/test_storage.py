"""Raw pages stored by difference (archive/compression.py, pages.py, dictionaries.py,
compact.py): every body reads back byte for byte, whatever it is and whichever scheme
wrote it; the conversion of an old archive stopped anywhere and resumed ends the same."""

from __future__ import annotations

import io
import os
import random
import shutil
import sqlite3
import subprocess
import zlib
from datetime import UTC, datetime

import pytest

from bench.revisits import schedule
from bench.synthetic import sentence
from newsarchive.archive import Archive, Page, connect
from newsarchive.archive import compact as compact_module
from newsarchive.archive.compact import compact
from newsarchive.archive.compression import Codec, CorruptBody, sha1
from newsarchive.archive.dictionaries import ENOUGH, RECENT
from newsarchive.archive.exchange import export_warc
from newsarchive.archive.migrations import migrate
from newsarchive.crawl import replay
from newsarchive.ground.urls import url_key
from tests.support.fixtures import manifest

PUBLISHED = datetime(2026, 3, 1, 6, 0, tzinfo=UTC)


def article_fetches(folder, visits: int = 5) -> list[Page]:
    """The captured article pages, each fetched `visits` times with realistic changes."""
    out = []
    for n, capture in enumerate(c for c in manifest(folder) if c.kind == "article"):
        first = (folder / capture.file).read_bytes()
        out += [Page(capture.url, body, fetched_at=at)
                for at, body in schedule(first, PUBLISHED, seed=n)[:visits]]
    return out


def paper_pages(n: int, host: str = "baonghean.vn", seed: int = 0) -> list[Page]:
    """`n` distinct articles of one paper: its markup around different stories."""
    rng = random.Random(0)  # one paper: the same markup around every story
    head = ("<html><head><title>Báo Nghệ An</title><link rel=stylesheet href=/s.css>"
            "</head><body><nav>" + "".join(f"<a href='/muc-{i}'>Mục {i}: {sentence(rng, 4)}"
                                            "</a>" for i in range(40)) + "</nav>")
    rng = random.Random(seed)
    return [Page(f"https://{host}/bai-{seed}-{1000 + i}.html",
                 (head + "<article>" + "".join(f"<p>{sentence(rng, 30)}</p>" for _ in range(12))
                  + "</article><footer>Bản quyền thuộc Báo Nghệ An</footer></body></html>"
                  ).encode()) for i in range(n)]


HOSTILE = [
    b"",
    b"x",
    b"\x00" * 100_000,
    os.urandom(300_000),                                 # nothing to compress
    zlib.compress(b"<html>a zlib stream as a body</html>"),
    b"\x28\xb5\x2f\xfd" + os.urandom(64),                 # starts like a zstd frame
    bytes(range(256)) * 40,
    "<p>Nghệ An \u0000 \ufffd \U0001F600</p>".encode(),
    os.urandom(3_000_000),                                # larger than zstd's default window
]


@pytest.fixture
def archive(tmp_path):
    store = Archive(tmp_path / "archive.db")
    yield store
    store.close()


def test_every_captured_page_and_its_revisits_read_back_identical(archive, fixtures_path):
    pages = article_fetches(fixtures_path)
    ids = [archive.pages.add(p) for p in pages]
    fresh = Archive(archive.db)  # no cache: every body read from its row
    for page_id, page in zip(ids, pages, strict=True):
        assert fresh.pages.body(page_id) == page.body
    codecs = dict(archive.conn.execute("SELECT codec, count(*) FROM pages GROUP BY codec"))
    assert codecs == {Codec.ZSTD: len(pages) // 5, Codec.REF: len(pages) // 5 * 4}
    refs = archive.conn.execute(
        "SELECT count(*) FROM pages p JOIN pages b ON b.id = p.ref WHERE b.ref IS NOT NULL "
        "OR b.url_key != p.url_key").fetchone()[0]
    assert refs == 0  # one step, to the same URL's first capture


def test_a_revisit_costs_what_changed(archive, fixtures_path):
    pages = article_fetches(fixtures_path, visits=2)
    for page in pages:
        archive.pages.add(page)
    sizes = archive.conn.execute(
        "SELECT codec, sum(length(body)), sum(size) FROM pages GROUP BY codec").fetchall()
    by = {codec: (stored, raw) for codec, stored, raw in sizes}
    assert by[Codec.REF][0] < by[Codec.ZSTD][0] / 20
    assert by[Codec.ZSTD][0] < sum(len(zlib.compress(p.body, 6)) for p in pages[::2]) * 1.1


@pytest.mark.parametrize("n", range(len(HOSTILE)))
def test_hostile_bodies_read_back_first_and_as_revisits(archive, n):
    body = HOSTILE[n]
    url = f"https://baonghean.vn/hostile-{n}.html"
    first = archive.pages.add(Page(url, body))
    after = [archive.pages.add(Page(url, other)) for other in (body + b"!", HOSTILE[0], b"y")]
    fresh = Archive(archive.db)
    assert fresh.pages.body(first) == body
    assert [fresh.pages.body(i) for i in after] == [body + b"!", HOSTILE[0], b"y"]


def trained(archive, n: int = ENOUGH, host: str = "baonghean.vn", seed: int = 0) -> list:
    pages = paper_pages(n, host, seed)
    return [archive.pages.add(p) for p in pages], pages


def test_a_paper_gets_a_dictionary_once_it_has_enough_pages(archive):
    ids, pages = trained(archive, ENOUGH - 1)
    assert archive.conn.execute("SELECT count(*) FROM dictionaries").fetchone()[0] == 0
    more, extra = trained(archive, 3, seed=1)
    row = archive.conn.execute("SELECT id, site, sample_count, ratio FROM dictionaries"
                               ).fetchone()
    assert row[1] == "baonghean.vn" and row[2] >= ENOUGH * 7 // 8 and 0 < row[3] < 0.5
    after = Page("https://baonghean.vn/moi-1.html", paper_pages(1, seed=9)[0].body)
    page_id = archive.pages.add(after)
    assert archive.conn.execute("SELECT codec, dictionary FROM pages WHERE id = ?",
                                (page_id,)).fetchone() == (Codec.DICT, row[0])
    plain = archive.conn.execute("SELECT length(body) FROM pages WHERE id = ?",
                                 (ids[0],)).fetchone()[0]
    assert archive.conn.execute("SELECT length(body) FROM pages WHERE id = ?",
                                (page_id,)).fetchone()[0] < plain / 2
    fresh = Archive(archive.db)
    for i, p in zip(ids + more + [page_id], pages + extra + [after], strict=True):
        assert fresh.pages.body(i) == p.body


def test_a_body_equal_to_its_dictionary_reads_back(archive):
    trained(archive, ENOUGH + 1)
    data = archive.conn.execute("SELECT data FROM dictionaries").fetchone()[0]
    page_id = archive.pages.add(Page("https://baonghean.vn/tu-dien.html", data))
    assert archive.conn.execute("SELECT codec FROM pages WHERE id = ?",
                                (page_id,)).fetchone()[0] == Codec.DICT
    assert Archive(archive.db).pages.body(page_id) == data


def test_a_degraded_dictionary_is_retrained_and_the_old_one_kept(archive):
    trained(archive, ENOUGH + 1)
    archive.conn.execute("UPDATE dictionaries SET ratio = 0.001")  # pages now look worse
    archive.conn.commit()
    ids, pages = trained(archive, RECENT + 2, seed=2)  # the 65th finds it degraded
    dictionaries = [i for (i,) in archive.conn.execute("SELECT id FROM dictionaries")]
    assert len(dictionaries) == 2
    used = {d for (d,) in archive.conn.execute("SELECT DISTINCT dictionary FROM pages "
                                               "WHERE dictionary IS NOT NULL")}
    assert used == set(dictionaries)
    fresh = Archive(archive.db)
    assert [fresh.pages.body(i) for i in ids] == [p.body for p in pages]


def test_a_dictionarys_newest_sizes_are_remembered_as_sqlite_holds_them(archive):
    """`wanted` judges a dictionary on its newest RECENT pages, remembered rather than
    read for every page: after inserts, an undone block and more inserts than RECENT,
    what it remembers is what SQLite holds."""
    trained(archive, ENOUGH + 1)
    dictionaries = archive.pages.dictionaries
    current = dictionaries.current("baonghean.vn")

    def held() -> list[tuple[int, int]]:
        return list(reversed(archive.conn.execute(
            "SELECT length(body), size FROM pages WHERE dictionary = ? ORDER BY id DESC "
            "LIMIT ?", (current, RECENT)).fetchall()))

    def remembered() -> list[tuple[int, int]]:
        return list(zip(*dictionaries._recent(current), strict=True))

    trained(archive, 5, seed=3)
    assert remembered() == held() and len(held()) == 5
    with pytest.raises(RuntimeError), archive.conn:
        archive.pages.insert(paper_pages(1, seed=4)[0])
        assert len(remembered()) == 6
        raise RuntimeError("undone")
    assert remembered() == held() and len(held()) == 5
    trained(archive, RECENT + 3, seed=5)
    assert remembered() == held() and len(held()) == RECENT


def test_what_a_row_needs_cannot_be_deleted(archive):
    url = "https://baonghean.vn/a-1.html"
    first = archive.pages.add(Page(url, b"<p>one</p>" * 100))
    later = archive.pages.add(Page(url, b"<p>two</p>" * 100))
    with pytest.raises(sqlite3.IntegrityError, match="reference"), archive.conn:
        archive.conn.execute("DELETE FROM pages WHERE id = ?", (first,))
    trained(archive, ENOUGH + 1)
    with pytest.raises(sqlite3.IntegrityError, match="dictionary"), archive.conn:
        archive.conn.execute("DELETE FROM dictionaries")
    with archive.conn:  # the later capture first, then its reference may go
        archive.conn.execute("DELETE FROM pages WHERE id = ?", (later,))
        archive.conn.execute("DELETE FROM pages WHERE id = ?", (first,))


def test_a_damaged_row_is_refused_not_misread(archive):
    url = "https://baonghean.vn/a-1.html"
    first = archive.pages.add(Page(url, b"<p>one</p>" * 100))
    later = archive.pages.add(Page(url, b"<p>two</p>" * 100))
    with archive.conn:
        archive.conn.execute("UPDATE pages SET sha1 = 'x' WHERE id = ?", (first,))
    fresh = Archive(archive.db)
    with pytest.raises(CorruptBody, match=f"page {first}"):
        fresh.pages.body(later)  # its reference no longer proves itself
    with archive.conn:
        archive.conn.execute("UPDATE pages SET body = x'00' WHERE id = ?", (later,))
    with pytest.raises(CorruptBody, match=f"page {later}"):
        Archive(archive.db).pages.body(later)


# An archive written before this scheme: every body zlib-compressed alone.

def old_archive(path, pages: list[Page]) -> list[int]:
    db = connect(path, upgrade=False)
    migrate(db, target=10)
    ids = []
    with db.conn:
        for p in pages:
            ids.append(db.conn.execute(
                "INSERT INTO pages (url, url_key, fetched_at, status, headers, body, size, kind,"
                " sha1) VALUES (?, ?, ?, 200, '{}', ?, ?, 'article', ?)",
                (p.url, url_key(p.url), p.fetched_at or "2026-03-01",
                 zlib.compress(p.body, 6), len(p.body), sha1(p.body))).lastrowid)
    db.conn.close()
    return ids


def mixed_pages(folder) -> list[Page]:
    return article_fetches(folder, visits=4) + paper_pages(ENOUGH + 2)


def rows(path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT id, codec, dictionary, ref, sha1, body FROM pages "
                            "ORDER BY id").fetchall()
    finally:
        conn.close()


def test_compact_converts_an_old_archive_in_place(tmp_path, fixtures_path):
    pages = mixed_pages(fixtures_path)
    ids = old_archive(tmp_path / "old.db", pages)
    store = Archive(tmp_path / "old.db")  # migration 11: the rows stay zlib, all readable
    assert {c for (c,) in store.conn.execute("SELECT codec FROM pages")} == {Codec.ZLIB}
    done = compact(store.pages, batch=7, pause=0)
    assert (done.converted, done.left, done.unreadable) == (len(pages), 0, 0)
    assert done.trained == ["baonghean.vn"] and done.after < done.before / 3
    fresh = Archive(tmp_path / "old.db")
    assert [fresh.pages.body(i) for i in ids] == [p.body for p in pages]
    assert compact(fresh.pages, pause=0).converted == 0  # nothing left: a second run is a no-op


def test_compact_stopped_after_one_batch_and_resumed_ends_the_same(tmp_path, fixtures_path):
    pages = mixed_pages(fixtures_path)
    old_archive(tmp_path / "whole.db", pages)
    shutil.copy(tmp_path / "whole.db", tmp_path / "stopped.db")
    compact(Archive(tmp_path / "whole.db").pages, batch=10, pause=0)
    first = compact(Archive(tmp_path / "stopped.db").pages, batch=10, batches=1, pause=0)
    assert first.converted == 10 and first.left == len(pages) - 10
    compact(Archive(tmp_path / "stopped.db").pages, batch=10, pause=0)
    assert rows(tmp_path / "stopped.db") == rows(tmp_path / "whole.db")


def test_compact_killed_inside_a_batch_keeps_whole_batches(tmp_path, fixtures_path,
                                                           monkeypatch):
    pages = mixed_pages(fixtures_path)
    ids = old_archive(tmp_path / "whole.db", pages)
    shutil.copy(tmp_path / "whole.db", tmp_path / "killed.db")
    compact(Archive(tmp_path / "whole.db").pages, batch=10, pause=0)
    convert, calls = compact_module._convert, []

    def dies_on_the_25th(pages_, row, done):
        calls.append(row[0])
        if len(calls) == 25:
            raise KeyboardInterrupt
        convert(pages_, row, done)

    monkeypatch.setattr(compact_module, "_convert", dies_on_the_25th)
    with pytest.raises(KeyboardInterrupt):
        compact(Archive(tmp_path / "killed.db").pages, batch=10, pause=0)
    monkeypatch.undo()
    store = Archive(tmp_path / "killed.db")
    codecs = [c for (c,) in store.conn.execute("SELECT codec FROM pages ORDER BY id")]
    assert codecs[20:] == [Codec.ZLIB] * (len(pages) - 20)  # batch 3 rolled back whole
    assert [store.pages.body(i) for i in ids] == [p.body for p in pages]
    compact(store.pages, batch=10, pause=0)
    assert rows(tmp_path / "killed.db") == rows(tmp_path / "whole.db")


def test_rows_of_both_schemes_side_by_side(tmp_path, fixtures_path):
    """An upgraded archive takes new captures before (and while) it is compacted: a
    revisit of a zlib first capture is stored against it, and both read back."""
    pages = article_fetches(fixtures_path, visits=2)
    olds, news = pages[0::2], pages[1::2]
    old_ids = old_archive(tmp_path / "a.db", olds)
    store = Archive(tmp_path / "a.db")
    new_ids = [store.pages.add(p) for p in news]
    assert {r for (r,) in store.conn.execute("SELECT ref FROM pages WHERE codec = 'zstd-ref'")
            } == set(old_ids)
    for stage in ("before compact", "after compact"):
        fresh = Archive(tmp_path / "a.db")
        assert [fresh.pages.body(i) for i in old_ids + new_ids] == \
            [p.body for p in olds + news], stage
        compact(fresh.pages, pause=0)
    assert {c for (c,) in store.conn.execute("SELECT codec FROM pages")} == {Codec.ZSTD,
                                                                            Codec.REF}


def test_warc_export_and_replay_give_every_body_back(tmp_path, fixtures_path):
    pages = article_fetches(fixtures_path, visits=3)
    old_archive(tmp_path / "a.db", pages[:12])
    store = Archive(tmp_path / "a.db")
    for p in pages[12:]:
        store.pages.add(p)
    out = io.BytesIO()
    assert export_warc(store, out) == len(pages)
    (tmp_path / "a.warc.gz").write_bytes(out.getvalue())
    from warcio.archiveiterator import ArchiveIterator

    with open(tmp_path / "a.warc.gz", "rb") as fh:
        bodies = [r.content_stream().read() for r in ArchiveIterator(fh)
                  if r.rec_type == "response"]
    assert bodies == [p.body for p in pages]
    newest = {p.url: p.body for p in pages}
    loaded = replay.load(tmp_path / "a.warc.gz")
    assert {load().url: load().body for load in loaded.values()} == newest


def test_compact_command(tmp_path, fixtures_path):
    from click.testing import CliRunner

    from newsarchive.cli import main

    old_archive(tmp_path / "a.db", article_fetches(fixtures_path, visits=2))
    run = CliRunner().invoke(main, ["compact", "--db", str(tmp_path / "a.db"), "--batch", "5",
                                    "--batches", "2"])
    assert run.exit_code == 0, run.output
    assert "10 pages converted" in run.output and "16 left as zlib" in run.output
    with sqlite3.connect(tmp_path / "a.db") as conn:
        conn.execute("UPDATE pages SET body = x'0102' WHERE id = 20")
    run = CliRunner().invoke(main, ["compact", "--db", str(tmp_path / "a.db")])
    assert run.exit_code == 1 and "1 pages could not be read" in run.output
    assert "15 pages converted" in run.output and "1 left as zlib" in run.output
    run = CliRunner().invoke(main, ["compact", "--db", str(tmp_path / "none.db")])
    assert run.exit_code == 1 and "no archive" in run.output


@pytest.mark.skipif(not (shutil.which("zstd") and shutil.which("sqlite3")),
                    reason="needs the zstd and sqlite3 commands")
def test_a_row_decodes_with_the_zstd_command_alone(tmp_path, fixtures_path):
    """What the README says, done with sqlite3 and zstd only."""
    store = Archive(tmp_path / "a.db")
    pages = article_fetches(fixtures_path, visits=2)[:2] + paper_pages(ENOUGH + 2)
    ids = [store.pages.add(p) for p in pages]
    db = str(tmp_path / "a.db")

    def sql(query: str, out) -> None:
        subprocess.run(["sqlite3", db, query], stdout=out, check=True)

    for page_id, page in zip(ids, pages, strict=True):
        codec, dictionary, ref = store.conn.execute(
            "SELECT codec, dictionary, ref FROM pages WHERE id = ?", (page_id,)).fetchone()
        blob, key = tmp_path / f"{page_id}.zst", tmp_path / f"{page_id}.dict"
        sql(f"SELECT writefile('{blob}', body) FROM pages WHERE id = {page_id}",
            subprocess.DEVNULL)
        flags = []
        if codec == Codec.DICT:
            sql(f"SELECT writefile('{key}', data) FROM dictionaries WHERE id = {dictionary}",
                subprocess.DEVNULL)
            flags = ["-D", str(key)]
        elif codec == Codec.REF:  # its reference (a lower id) was decoded just before
            flags = ["-D", str(tmp_path / f"{ref}.raw")]
        raw = subprocess.run(["zstd", "-d", "-c", *flags, str(blob)], capture_output=True,
                             check=True).stdout
        (tmp_path / f"{page_id}.raw").write_bytes(raw)
        assert raw == page.body


def test_the_site_read_off_a_url_key_is_host_of_the_key():
    """`pages.site_of` reads a plain host off the key; whatever the URL, it must give
    what `host_of` gives (the paper whose dictionary compresses the page)."""
    from newsarchive.archive.pages import site_of
    from newsarchive.ground.urls import host_of

    hosts = ["baonghean.vn", "www.baonghean.vn", "m.baonghean.vn", "www.m.baonghean.vn",
             "amp.x.vn", "mobile.x.vn", "www2.x.vn", "wwwx.vn", "BaoNgheAn.VN", "127.0.0.1",
             "báo.vn", "xn--bo-wia.vn", "user:pw@x.vn", "[::1]", "x.vn.", "a_b.vn", "m.vn"]
    ports = ["", ":80", ":443", ":8080", ":0", ":1", ":65535", ":08080"]
    tails = ["/", "/bai-1.html", "/a/?utm_source=x&p=2", "/amp/bai", "?q=1", "/x#f"]
    for scheme in ("http", "https"):
        for host in hosts:
            for port in ports:
                for tail in tails:
                    try:
                        key = url_key(f"{scheme}://{host}{port}{tail}")
                    except ValueError:
                        continue  # no URL at all
                    try:
                        expected = host_of(key)
                    except ValueError:  # a key `url_key` made of an IPv6 literal
                        with pytest.raises(ValueError):
                            site_of(key)
                        continue
                    assert site_of(key) == expected, key
