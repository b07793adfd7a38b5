"""#29 item 4: the copies and light rewrites of one story, grouped at ingest across
papers and within one; signatures and LSH bands in the archive; a resumable backfill;
search counting stories."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import zlib
from dataclasses import replace

import numpy as np
import pytest

from bench.synthetic import article
from newsarchive.archive import Archive
from newsarchive.archive.search import find
from newsarchive.archive.stories import (
    BANDS,
    MIN_SYLLABLES,
    PERMUTATIONS,
    ROWS,
    SHINGLE,
    THRESHOLD,
    Grouped,
    Stories,
    band_keys,
    signature,
    similarity,
)
from newsarchive.ground.fold import syllables
from newsarchive.ground.page import Page

FETCHED = "2026-03-07T02:00:00Z"


def copy_of(art, site: str, n: int, **changes):
    """`art` as another paper (or the same one, at another URL) republished it."""
    return replace(art, url=f"https://{site}.vn/ban-sao-{n}.html", site=site, **changes)


def store(archive: Archive, *articles) -> list[int]:
    ids = []
    for art in articles:
        archive.store_page(Page(art.url, b"<html></html>", fetched_at=FETCHED), art)
        ids.append(archive.articles.find(art.url)["id"])
    return ids


def story(archive: Archive, article_id: int) -> int | None:
    return Stories(archive.conn).story_of(article_id)


def paragraphs(art) -> list[str]:
    return art.body_text.split("\n")


@pytest.fixture
def archive(tmp_path):
    kept = Archive(tmp_path / "archive.db")
    yield kept
    kept.close()


def test_copies_across_papers_and_light_rewrites_are_one_story(archive):
    original = article(1)
    body = paragraphs(original)
    assert len(body) >= 4
    copies = [
        copy_of(original, "baohatinh", 1, title="Tin mới: " + original.title),
        copy_of(original, "baolaocai", 2, body_text="(TTXVN) - " + original.body_text,
                authors=["PV"], sapo="Một đoạn mở đầu khác hẳn."),
        copy_of(original, "baocantho", 3, body_text="\n".join(body[:-1])),  # last cut
        copy_of(original, "baothanhhoa", 4, body_text="\n".join([body[1], body[0], *body[2:]])),
        copy_of(original, "baonghean", 5, source="TTXVN"),  # re-published by the same paper
    ]
    ids = store(archive, original, *copies)
    assert {story(archive, i) for i in ids} == {ids[0]}


def test_different_articles_of_the_same_day_and_section_are_not(archive):
    arts = [replace(article(i), section="Thời sự") for i in range(40)]
    ids = store(archive, *arts)
    assert [story(archive, i) for i in ids] == ids
    rows = archive.conn.execute("SELECT count(*) FROM article_stories").fetchone()[0]
    assert rows == 40


def test_a_rewrite_below_the_threshold_is_another_story(archive):
    original = article(1)
    other = article(2)
    half = paragraphs(original)[:1] + paragraphs(other)  # one paragraph kept of many
    ids = store(archive, original, copy_of(original, "baohatinh", 1,
                                           body_text="\n".join(half)))
    sims = similarity(signature(original.body_text), signature("\n".join(half)))
    assert sims < THRESHOLD
    assert story(archive, ids[1]) == ids[1]


def test_a_copy_joins_the_most_similar_story(archive):
    a, b = article(1), article(2)
    ids = store(archive, a, b)
    mixed = "\n".join(paragraphs(b) + paragraphs(a)[:1])  # mostly b
    [copy_id] = store(archive, copy_of(a, "baohatinh", 1, body_text=mixed))
    assert story(archive, copy_id) == ids[1]


def test_bands_are_stored_indexed_and_looked_up_in_sqlite(archive):
    [first] = store(archive, article(1))
    assert archive.conn.execute("SELECT count(*) FROM story_bands WHERE article_id = ?",
                                (first,)).fetchone()[0] == BANDS
    plan = " ".join(r[-1] for r in archive.conn.execute(
        "EXPLAIN QUERY PLAN SELECT article_id FROM story_bands WHERE key IN (1, 2)"))
    assert "USING PRIMARY KEY" in plan or "USING COVERING INDEX" in plan


def test_a_short_body_is_a_story_of_its_own_without_signature(archive):
    short = replace(article(1), body_text="Video: lũ về trên sông Lam.")
    ids = store(archive, short, copy_of(short, "baohatinh", 1))
    assert [story(archive, i) for i in ids] == ids
    assert archive.conn.execute("SELECT count(*) FROM article_stories WHERE signature "
                                "IS NULL").fetchone()[0] == 2
    assert len(["Video", "lũ", "về", "trên", "sông", "Lam"]) < MIN_SYLLABLES


def test_a_body_rewritten_wholly_leaves_its_story_and_its_bands(archive):
    original = article(1)
    ids = store(archive, original, copy_of(original, "baohatinh", 1))
    assert story(archive, ids[1]) == ids[0]
    store(archive, copy_of(original, "baohatinh", 1, body_text=article(9).body_text))
    assert story(archive, ids[1]) == ids[1]
    keys = archive.conn.execute("SELECT count(*) FROM story_bands WHERE article_id = ?",
                                (ids[1],)).fetchone()[0]
    assert keys == BANDS  # the old body's keys gone, the new one's there


def test_a_founder_edited_keeps_the_story_others_joined(archive):
    original = article(1)
    ids = store(archive, original, copy_of(original, "baohatinh", 1))
    store(archive, replace(original, body_text=article(9).body_text))
    assert story(archive, ids[0]) == ids[0] == story(archive, ids[1])


def test_an_edit_of_one_paragraph_keeps_the_story(archive):
    original = article(1)
    ids = store(archive, original, copy_of(original, "baohatinh", 1))
    edited = paragraphs(original)
    edited[0] = "Bản đã sửa: " + edited[0]
    store(archive, copy_of(original, "baohatinh", 1, body_text="\n".join(edited)))
    assert story(archive, ids[1]) == ids[0]


def test_bulk_store_groups_too(archive):
    a = article(1)
    counts = archive.articles.store_many([a, copy_of(a, "baohatinh", 1), article(2)])
    assert counts["new"] == 3
    stories = [r[0] for r in archive.conn.execute(
        "SELECT story_id FROM article_stories ORDER BY article_id")]
    assert stories[0] == stories[1] != stories[2]


def test_signatures_are_the_same_in_another_process():
    """Stored signatures are compared with ones computed years later: nothing in them
    may depend on the process (Python's salted hash, a random seed)."""
    text = article(3).body_text
    code = ("import sys; from newsarchive.archive.stories import signature; "
            "sys.stdout.write(signature(sys.stdin.read()).tobytes().hex())")
    other = subprocess.run([sys.executable, "-c", code], input=text, capture_output=True,
                           text=True, check=True).stdout
    assert other == signature(text).tobytes().hex()


def test_signatures_are_datasketchs_minhash_minima():
    """Signed without datasketch (it imports scipy: a second of start-up), the minima
    are still what its MinHash gives, so signatures stored before stay comparable."""
    from datasketch import MinHash

    for i in (1, 3, 7):
        text = article(i).body_text
        words = syllables(text)
        shingles = [" ".join(words[k:k + SHINGLE]).encode()
                    for k in range(len(words) - SHINGLE + 1)]
        sketch = MinHash(num_perm=PERMUTATIONS, seed=1, hashfunc=zlib.crc32)
        sketch.update_batch(shingles)
        assert signature(text).tolist() == sketch.hashvalues.tolist()


def test_minima_where_a_sum_reaches_the_prime():
    """The modulo's last subtraction, which the minima skip unless a sum reaches the
    Mersenne prime, is done when one does: hashes chosen so that a * h + b wraps to
    just past the prime give the minima of the exact arithmetic."""
    from newsarchive.archive.stories import _A, _B, minima

    prime, wrap, low = (1 << 61) - 1, 1 << 64, (1 << 32) - 1
    row = next(i for i, a in enumerate(_A.tolist()) if a % 2)  # invertible mod 2**64
    a, b = int(_A[row]), int(_B[row])
    hashes = [((prime + k - b) * pow(a, -1, wrap)) % wrap for k in range(8)]
    got = minima(np.array(hashes, dtype=np.uint64)).tolist()
    exact = [min((((int(pa) * h + int(pb)) % wrap) % prime) & low for h in hashes)
             for pa, pb in zip(_A.tolist(), _B.tolist(), strict=True)]
    assert got == exact
    assert got[row] == 0  # a * h + b = prime exactly: 0 after the modulo, not 2**32 - 1


def test_the_crawl_does_not_import_scipy():
    code = ("import sys, newsarchive.cli, newsarchive.crawl.pipelines.archive, "
            "newsarchive.crawl.spiders.news; print('scipy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "False"


def test_backfill_signs_an_older_archive_in_batches_and_resumes(tmp_path):
    db = tmp_path / "old.db"
    old = Archive(db, stories=False)
    a = article(1)
    arts = [a, *(article(i) for i in range(2, 6)), copy_of(a, "baohatinh", 1)]
    ids = store(old, *arts)
    assert old.conn.execute("SELECT count(*) FROM article_stories").fetchone()[0] == 0

    def stop(counts):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        Stories(old.conn).backfill(batch=2, progress=stop)
    assert old.conn.execute("SELECT count(*) FROM article_stories").fetchone()[0] == 2
    counts = Stories(old.conn).backfill(batch=2)
    assert sum(counts.values()) == 4  # the rest only
    assert counts[Grouped.JOINED] == 1
    assert story(old, ids[-1]) == ids[0]
    assert Stories(old.conn).backfill() == {}  # nothing left
    old.close()


def test_search_counts_stories_keeping_the_first_copy(archive):
    original = replace(article(1), published_at="2026-01-05T08:00:00+07:00")
    earlier = copy_of(original, "baohatinh", 1, published_at="2026-01-04T08:00:00+07:00")
    later = copy_of(original, "baolaocai", 2, published_at="2026-01-06T08:00:00+07:00")
    ids = store(archive, original, earlier, later, article(2))
    word = original.title.split(":")[0]  # the place in the headline
    copies = find(archive.db, f'"{word}"')
    assert {ids[0], ids[1], ids[2]} <= {h["id"] for h in copies.hits}
    one = find(archive.db, f'"{word}"', stories=True)
    kept = [h for h in one.hits if h["id"] in ids[:3]]
    assert [h["id"] for h in kept] == [ids[1]]  # the first published copy
    assert kept[0]["copies"] == 3
    assert one.total == copies.total - 2
    assert sum(n for _, n in one.facets["site"]) == one.total


def test_a_signature_computed_where_the_page_was_read_is_used_only_for_its_body(
        archive, monkeypatch):
    """The crawl signs a body in its extraction pool (`Reading.signed`), so its one storing
    process does not; a signature made for another body is not taken."""
    from newsarchive.archive import stories

    original, other = article(1), article(2)
    signed = stories.Signed.of(original.body_text)
    stale = stories.Signed.of(other.body_text)
    calls = []
    real = stories.signature
    monkeypatch.setattr(stories, "signature", lambda text: calls.append(text) or real(text))
    archive.store_page(Page(original.url, b"<html></html>", fetched_at=FETCHED), original,
                       signed=signed)
    assert calls == []
    copy = copy_of(original, "baohatinh", 1)
    archive.store_page(Page(copy.url, b"<html></html>", fetched_at=FETCHED), copy,
                       signed=stale)
    assert calls == [copy.body_text]
    first, second = (archive.articles.find(a.url)["id"] for a in (original, copy))
    assert story(archive, second) == story(archive, first) == first


def test_band_keys_are_the_stored_ones_blake2b_of_each_bands_number_and_minima():
    """The keys already stored in archives: each band's number (one byte) and its ROWS
    minima (little-endian uint32), hashed by blake2b to 8 bytes, read signed little-endian."""
    rng = np.random.default_rng(5)
    for _ in range(200):
        sig = rng.integers(0, 2 ** 32, PERMUTATIONS, dtype=np.uint64).astype("<u4")
        raw = sig.tobytes()
        assert band_keys(sig) == [
            int.from_bytes(hashlib.blake2b(bytes([b]) + raw[b * ROWS * 4:(b + 1) * ROWS * 4],
                                           digest_size=8).digest(), "little", signed=True)
            for b in range(BANDS)]
