"""Bad input gives a clear error or a best-effort record, never a traceback."""

from __future__ import annotations

import subprocess
import sys
import time
import unicodedata

import pytest

from newsarchive.extract.core import NotAnArticle, extract
from newsarchive.extract.decode import MAX_BYTES, ExtractError, decode
from newsarchive.extract.limits import extract_bounded
from tests.support.hostile import flat_tag_bomb, memory_bomb
from tests.support.pages import PARAGRAPH, article_page, to_windows_1258

URL = "https://baothu.vn/dien-chau-doi-moi-123456.html"


def test_empty_and_whitespace():
    for data in (b"", b"   \n\t "):
        with pytest.raises(ExtractError, match="empty"):
            extract(data, URL)


def test_binary_garbage():
    data = bytes(range(256)) * 40
    with pytest.raises(ExtractError, match="binary"):
        extract(data, URL)


def test_utf8_page_declaring_windows_1252():
    data = article_page(charset="windows-1252").encode("utf-8")
    art = extract(data, URL)
    assert art.title == "Diễn Châu đổi mới chính quyền"
    assert "Nghệ An" in art.body_text


def test_windows_1258_page_without_utf8():
    # windows-1258 writes tone marks as combining characters; the text must come out NFC.
    data = to_windows_1258(article_page(charset="windows-1258"))
    assert b"\xcc" in data or b"\xde" in data or b"\xd2" in data  # combining marks present
    art = extract(data, URL)
    assert art.title == "Diễn Châu đổi mới chính quyền"
    assert unicodedata.is_normalized("NFC", art.body_text + art.title)
    assert "Nghệ An" in art.body_text


def test_missing_charset_legacy_bytes_fall_back_to_windows_1258():
    text, enc = decode(to_windows_1258(article_page(charset="")))
    assert enc == "windows-1258" and "Diễn Châu đổi mới" in text


def test_header_charset_is_used_when_bytes_are_not_utf8():
    data = "<html><body>Hội nghị</body></html>".encode("utf-16-le")
    text, enc = decode(b"\xff\xfe" + data)
    assert "Hội nghị" in text and enc == "utf-16"


def test_broken_json_ld_is_noted_and_the_rest_extracts():
    head = '<script type="application/ld+json">{"@type": "NewsArticle", "headline": </script>'
    art = extract(article_page(head=head).encode(), URL)
    assert any("jsonld" in note for note in art.notes)
    assert art.title == "Diễn Châu đổi mới chính quyền"
    assert art.published_at == "2026-03-07T08:47:00+07:00"


def test_json_ld_with_raw_newlines_and_trailing_comma_is_repaired():
    page = article_page().replace('"datePublished"', '"keywords":"a,\nb",\n"datePublished"')
    page = page.replace('"description":', '"articleSection":"Thời sự",\n"description":')
    page = page.replace("cơ sở.\"}", "cơ sở.\",}")
    art = extract(page.encode(), URL)
    assert art.tags == ["a", "b"] and art.section == "Thời sự"


def test_five_megabyte_page():
    body = f"<p>{PARAGRAPH}</p>" * 24000
    data = article_page(body=body).encode()
    assert len(data) > 5_000_000
    art = extract(data, URL)
    assert art.body_text.count("\n") == 24000 - 1


def test_too_large_page_is_refused():
    with pytest.raises(ExtractError, match="too large"):
        decode(b"<p>x</p>" * 3_000_000)


@pytest.mark.parametrize("depth", [300, 20000])
def test_pathologically_nested_html(depth):
    body = "<div>" * depth + f"<p>{PARAGRAPH}</p>" * 3 + "</div>" * depth
    try:
        art = extract(article_page(body=body).encode(), URL)
    except NotAnArticle as exc:
        assert "not an article" in str(exc)
    else:
        assert "Nghệ An" in art.body_text


def test_truncated_page_gives_best_effort_record():
    data = article_page().encode()
    art = extract(data[: data.index(b"</p>") + 400], URL)
    assert art.title and art.published_at


def test_implausible_future_date_is_noted():
    page = article_page().replace("2026-03-07T08:47:00+07:00", "2099-01-01T00:00:00+07:00")
    art = extract(page.encode(), URL)
    assert art.published_at is None
    assert any("implausible" in note for note in art.notes)


def test_listing_and_error_pages_are_not_articles():
    listing = "<html><head><title>Thời sự</title></head><body>" + "".join(
        f'<a href="/bai-{i}-12345{i}.html">Bài {i}</a>' for i in range(50)) + "</body></html>"
    with pytest.raises(NotAnArticle):
        extract(listing.encode(), "https://baothu.vn/thoi-su")
    with pytest.raises(NotAnArticle):
        extract(b"<html><body><h1>404 Not Found</h1></body></html>", URL)


def _cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "newsarchive.cli", "extract", *args,
                           "--url", URL], input=stdin, capture_output=True, timeout=120)


def test_extraction_in_a_child_gives_what_extract_gives():
    assert extract_bounded(article_page().encode(), URL).to_dict() == \
        extract(article_page().encode(), URL).to_dict()
    with pytest.raises(NotAnArticle):
        extract_bounded(b"<html><body><h1>404 Not Found</h1></body></html>", URL)


def test_a_page_past_the_memory_ceiling_is_one_line_and_exit_1(tmp_path):
    """#24 finding 10: a 19 MB page of long paragraphs, a few times its size in memory."""
    page = tmp_path / "bomb.html"
    page.write_bytes(memory_bomb())
    proc = _cli(str(page), "--memory", "64")
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.decode().splitlines() == [
        f"error: {page}: page too large to extract within 30 s / 64 MB"]
    assert not proc.stdout


def test_a_slow_page_stops_at_the_time_limit(tmp_path):
    """#26 item 5: under the size cap, a page of 30,000 empty tags takes 14 s."""
    page = tmp_path / "slow.html"
    page.write_bytes(flat_tag_bomb(30_000))
    started = time.monotonic()
    proc = _cli(str(page), "--timeout", "1")
    assert time.monotonic() - started < 10
    assert proc.returncode == 1
    assert proc.stderr.decode().strip() == \
        f"error: {page}: page too large to extract within 1 s / 512 MB"


def test_over_the_size_cap_says_the_file_s_real_size(tmp_path):
    """#26 item 5: not `20971521 bytes`, what was read before stopping."""
    page = tmp_path / "huge.html"
    with open(page, "wb") as fh:
        fh.truncate(25_000_000)
    proc = _cli(str(page))
    assert proc.returncode == 1
    assert proc.stderr.decode().strip() == \
        f"error: {page}: page too large: 25000000 bytes (limit {MAX_BYTES})"
    piped = _cli("-", stdin=b"<p>x</p>" * 3_000_000)
    assert piped.returncode == 1
    assert piped.stderr.decode().strip() == \
        f"error: -: page too large: over {MAX_BYTES} bytes (limit {MAX_BYTES})"
