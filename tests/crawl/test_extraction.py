"""The extraction pool: a hostile page that crashes or hangs its worker is counted for
that page, and the pages around it are read as usual."""

from __future__ import annotations

import asyncio
import mmap
import os
import time

import pytest

from bench.synthetic import article
from newsarchive.crawl import extraction
from newsarchive.crawl.extraction import Extractor
from newsarchive.crawl.ingest import Reading, read
from newsarchive.ground.page import Page
from tests.support.hostile import memory_bomb, tag_bomb


def _page(name: str, body: bytes | None = None) -> Page:
    a = article(1)
    html = (f'<html lang="vi"><head><meta charset="utf-8"><title>{a.title}</title>'
            f'<meta property="og:type" content="article"></head>'
            f'<body><h1>{a.title}</h1><article>'
            + "".join(f"<p>{p}</p>" for p in a.body_text.split("\n"))
            + "</article></body></html>")
    return Page(url=f"http://127.0.0.1/{name}.html", body=body or html.encode(), status=200,
                headers={}, fetched_at="2026-01-01T00:00:00Z", kind="article")


def hostile(page: Page, site) -> Reading:
    """`read`, except that some pages kill or hang the worker, or raise."""
    if "crash" in page.url:
        os._exit(3)
    if "hang" in page.url:
        time.sleep(60)
    if "bug" in page.url:
        raise RuntimeError("extractor bug")
    return read(page, site)


def _read_all(extractor: Extractor, names: list[str]) -> list[Reading]:
    async def go():
        return await asyncio.gather(*(extractor.read(_page(n), None) for n in names))
    try:
        return asyncio.run(go())
    finally:
        extractor.close()


def test_a_crashing_or_hanging_page_is_counted_and_the_rest_are_read():
    extractor = Extractor(workers=2, timeout=5.0, in_flight=2, reader=hostile)
    names = ["ok-1", "crash", "ok-2", "hang", "ok-3", "bug", "ok-4"]
    started = time.monotonic()
    readings = dict(zip(names, _read_all(extractor, names), strict=True))
    assert time.monotonic() - started < 40
    assert readings["crash"].failure == "extractor-error"
    assert "worker died" in readings["crash"].detail
    assert readings["hang"].failure == "extractor-timeout"
    assert readings["bug"].failure == "extractor-error"
    for name in ("ok-1", "ok-2", "ok-3", "ok-4"):
        assert readings[name].article is not None, readings[name]
        assert readings[name].failure is None


def test_in_process_reading_without_workers():
    extractor = Extractor(workers=0)
    [reading] = _read_all(extractor, ["ok"])
    assert extractor.pool is None
    assert reading.article is not None


def test_no_more_pages_in_the_pool_than_the_limit():
    extractor = Extractor(workers=1, in_flight=1, reader=read)
    seen: list[int] = []
    original = extractor.pool.run

    def run(args):
        seen.append(extractor.pool.in_pool())
        return original(args)

    extractor.pool.run = run
    readings = _read_all(extractor, [f"ok-{i}" for i in range(6)])
    assert all(r.article is not None for r in readings)
    assert len(seen) == 6
    assert max(seen) == 0  # each page waited for the one before to leave the pool


def test_places_are_tagged_in_the_pool_and_stored_as_read(tmp_path, monkeypatch):
    """Tagging is CPU work: `read` does it (in a worker), `keep` stores what it found
    and does not tag again."""
    from newsarchive.archive import Archive
    from newsarchive.crawl import ingest

    html = ('<html lang="vi"><head><meta charset="utf-8"><title>Lúa ở Diễn Châu</title>'
            '<meta property="og:type" content="article"></head><body><h1>Lúa ở Diễn Châu'
            '</h1><article><p>Nông dân huyện Diễn Châu, tỉnh Nghệ An thu hoạch lúa xuân '
            'sớm hơn mọi năm, năng suất ước đạt 65 tạ mỗi héc-ta.</p><p>Xã Diễn Lâm có '
            'diện tích lớn nhất, với nhiều cánh đồng mẫu lớn.</p></article></body></html>')
    extractor = Extractor(workers=1)
    try:
        page = _page("places", html.encode())
        reading = asyncio.run(extractor.read(page, None))
    finally:
        extractor.close()
    assert "Huyện Diễn Châu" in {row["name_then"] for row in reading.places or []}

    def no_second_tagging(*_):
        raise AssertionError("tagged again when storing")

    monkeypatch.setattr(ingest, "tag", no_second_tagging)
    archive = Archive(tmp_path / "a.db")
    outcome = ingest.keep(archive, page, reading)
    assert outcome.status == "new"
    names = {name for (name,) in archive.conn.execute(
        "SELECT name_then FROM article_places")}
    assert "Huyện Diễn Châu" in names


def with_pid(page: Page, site) -> Reading:
    """`read`, noting which worker read the page."""
    reading = read(page, site)
    return Reading(reading.article, reading.failure, reading.detail or str(os.getpid()))


def which_site(page: Page, site) -> Reading:
    """No reading: which paper the worker was given, and which copy of it."""
    return Reading(failure="not-article", detail=f"{site.id} {site.name} {id(site)}")


def test_each_paper_goes_to_a_worker_once_and_is_the_same_there():
    from newsarchive.sites import Site

    papers = [Site(id=f"p{i}", name=f"Báo-{i}", home=f"https://p{i}.vn/", platform=None,
                   article_pattern=r"/\d+\.html$") for i in range(2)]
    extractor = Extractor(workers=1, reader=which_site)

    async def go():
        return [await extractor.read(_page(f"ok-{n}"), papers[n % 2]) for n in range(6)]
    try:
        details = [r.detail.split() for r in asyncio.run(go())]
    finally:
        extractor.close()
    assert [(d[0], d[1]) for d in details] == [("p0", "Báo-0"), ("p1", "Báo-1")] * 3
    assert len({d[2] for d in details[0::2]}) == 1  # p0 unpickled once in the worker
    assert len({d[2] for d in details}) == 2


@pytest.mark.parametrize("in_flight", [1, 8], ids=["one by one", "sent together"])
def test_a_page_past_the_memory_ceiling_is_counted_and_the_next_pages_read(in_flight):
    """#24 finding 10: a page that would take hundreds of MB is stopped at the worker's
    ceiling, counted `extractor-memory`; its worker is replaced and the pages after it
    are read as usual, also those sent to the worker in one batch with it."""
    extractor = Extractor(workers=1, timeout=20.0, in_flight=in_flight, memory_mb=96,
                          reader=with_pid)
    pages = [_page("ok-1"), _page("bomb", memory_bomb()), _page("ok-2"), _page("ok-3")]

    async def all_read():
        return await asyncio.gather(*(extractor.read(page, None) for page in pages))

    try:
        first, bomb, second, third = asyncio.run(all_read())
    finally:
        extractor.close()
    assert (bomb.failure, bomb.detail) == ("extractor-memory", "over 96 MB")
    for reading in (first, second, third):
        assert reading.failure is None and reading.article is not None
    assert first.detail != second.detail == third.detail  # a fresh worker after the bomb


def test_a_tag_bomb_is_refused_before_it_is_parsed():
    """A million tiny tags (7 MB) would keep a worker for minutes: refused at once."""
    started = time.monotonic()
    reading = read(_page("tags", tag_bomb()), None)
    assert time.monotonic() - started < 2
    assert reading.failure == "unreadable"
    assert reading.detail.startswith("page too large: 10000") and "tags" in reading.detail


def test_memory_error_in_process_is_counted_not_raised(monkeypatch):
    """Without workers there is no ceiling, but a MemoryError is still the page's."""
    from newsarchive.crawl import ingest

    def greedy(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(ingest, "extract", greedy)
    reading = read(_page("greedy"), None)
    assert reading.failure == "extractor-memory"


def test_the_workers_cpu_travels_with_their_readings(monkeypatch, tmp_path):
    """bench.crawl's split: each worker's parts and its whole CPU reach the crawl
    process with the pages it read; the crawl's own `pool` part is the transfer's."""
    import json
    import resource

    from newsarchive.ground import cpuparts

    def children() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    counted = tmp_path / "cpu.json"
    monkeypatch.setattr(cpuparts, "ON", True)
    monkeypatch.setenv(cpuparts.ENV, str(counted))
    for name in ("_totals", "_from_workers"):
        monkeypatch.setattr(cpuparts, name, {})
    monkeypatch.setattr(cpuparts, "_stack", [])
    before = children()
    readings = _read_all(Extractor(workers=2, reader=read), [f"ok-{i}" for i in range(8)])
    assert all(r.article is not None for r in readings)
    cpuparts.write()
    written = json.loads(counted.read_text())
    workers = written["workers"]
    assert workers["parse"] > 0 and workers["extract"] > 0
    assert workers[cpuparts.WORKERS] >= workers["parse"] + workers["extract"]
    assert written["parts"]["pool"] > 0
    # the workers were reaped at close: their CPU is the crawl's children's
    assert written["children"] - before >= workers[cpuparts.WORKERS] * 0.9


@pytest.mark.parametrize(("cores", "workers"), [(None, 1), (1, 1), (2, 1), (4, 3), (8, 7)])
def test_one_worker_per_core_but_the_crawls_own(monkeypatch, cores, workers):
    monkeypatch.setattr(extraction.os, "cpu_count", lambda: cores)
    assert extraction.default_workers() == workers


class NativePanic(BaseException):
    """What a native library raises where an allocation failed (pyo3's PanicException
    derives from BaseException, so `read` does not catch it)."""


def grows_then_panics(page: Page, site) -> Reading:
    """`with_pid`, except that the `panic` page maps most of the worker's allowance and
    raises as a native library does when an allocation is refused. The hoard is a fresh
    mapping: a bytearray may be carved from heap the parent freed before the fork, which
    adds nothing to the address space (CI's worker did so once)."""
    if "panic" in page.url:
        with mmap.mmap(-1, 70 * 1024 * 1024) as hoard:  # of 96 MB allowed
            raise NativePanic(f"PyObject pointer is null ({len(hoard)})")
    if "bug" in page.url:
        raise NativePanic("a panic with memory to spare")
    return with_pid(page, site)


def test_a_native_panic_at_the_memory_ceiling_is_counted_as_memory():
    freed = [bytes(1000) for _ in range(100_000)]  # heap freed before the fork, as in CI:
    kept = freed[-1:]  # the last block held, so that free() cannot give the rest back
    del freed
    extractor = Extractor(workers=1, timeout=20.0, in_flight=1, memory_mb=96,
                          reader=grows_then_panics)
    pages = [_page("ok-1"), _page("panic"), _page("ok-2"), _page("bug"), _page("ok-3")]

    async def one_by_one():
        return [await extractor.read(page, None) for page in pages]

    try:
        first, panic, second, bug, third = asyncio.run(one_by_one())
    finally:
        extractor.close()
    assert (panic.failure, panic.detail) == ("extractor-memory", "over 96 MB")
    assert bug.failure == "extractor-error" and "memory to spare" in bug.detail
    assert first.detail != second.detail == third.detail  # a fresh worker after the panic
    assert kept


def test_pages_sent_together_each_get_their_own_outcome():
    """One worker, the pages waiting for it sent in one write: a crash, a hang past the
    time limit or a bug fails that page alone, the pages behind it are read by the
    fresh worker."""
    extractor = Extractor(workers=1, timeout=2.0, in_flight=8, reader=hostile)
    names = ["ok-1", "crash", "ok-2", "hang", "ok-3", "bug", "ok-4"]
    readings = dict(zip(names, _read_all(extractor, names), strict=True))
    assert readings["crash"].failure == "extractor-error"
    assert "worker died" in readings["crash"].detail
    assert readings["hang"].failure == "extractor-timeout"
    assert readings["bug"].failure == "extractor-error"
    assert "extractor bug" in readings["bug"].detail
    for name in ("ok-1", "ok-2", "ok-3", "ok-4"):
        assert readings[name].article is not None and readings[name].failure is None


def test_a_reading_comes_back_from_the_pool_as_it_was_made():
    """The worker sends its reading as plain values (`_flat`): the crawl's process gets
    the same article, images, places, signature (a writable uint32 array) and failure."""
    a = article(2)
    figure = ('<figure><img src="/anh/1.jpg"><figcaption>Ảnh: Lúa chín</figcaption>'
              '</figure>')
    html = (f'<html lang="vi"><head><meta charset="utf-8"><title>{a.title}</title>'
            f'<meta property="og:type" content="article"></head><body><h1>{a.title}</h1>'
            f'<article>{figure}'
            + "".join(f"<p>{p} Nghệ An.</p>" for p in a.body_text.split("\n"))
            + "</article></body></html>")
    pages = [_page("full", html.encode()), _page("ok-1"), _page("nothing", b"<html></html>")]
    got = asyncio.run(_read_pages(Extractor(workers=1, reader=read), pages))
    for page, reading in zip(pages, got, strict=True):
        here = read(page, None)
        assert (reading.article, reading.failure, reading.detail, reading.missing,
                reading.places) == (here.article, here.failure, here.detail, here.missing,
                                    here.places)
        assert type(reading.failure) is type(here.failure)
        if here.signed is None:
            assert reading.signed is None
            continue
        assert reading.signed.digest == here.signed.digest
        assert reading.signed.minima.dtype == here.signed.minima.dtype
        assert reading.signed.minima.tolist() == here.signed.minima.tolist()
        assert reading.signed.minima.flags.writeable
    full = got[0]
    assert full.article.images and full.article.images[0].caption == "Ảnh: Lúa chín"
    assert full.signed is not None and full.places
    assert got[2].failure == "not-article"


async def _read_pages(extractor: Extractor, pages: list[Page]) -> list[Reading]:
    try:
        return await asyncio.gather(*(extractor.read(page, None) for page in pages))
    finally:
        extractor.close()
