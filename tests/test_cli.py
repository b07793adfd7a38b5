"""`newsarchive extract` as a user runs it: the installed console script."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys

import pytest

from tests.support.pages import article_page

URL = "https://baothu.vn/dien-chau-doi-moi-123456.html"


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    exe = shutil.which("newsarchive") or sys.executable
    cmd = [exe, *args] if exe.endswith("newsarchive") else [exe, "-m", "newsarchive.cli", *args]
    return subprocess.run(cmd, input=stdin, capture_output=True, timeout=120)


def test_extract_file_prints_utf8_json(tmp_path):
    page = tmp_path / "a.html"
    page.write_text(article_page(), encoding="utf-8")
    proc = run("extract", str(page), "--url", URL)
    assert proc.returncode == 0, proc.stderr
    record = json.loads(proc.stdout.decode("utf-8"))
    assert record["title"] == "Diễn Châu đổi mới chính quyền"
    assert "Diễn Châu" in proc.stdout.decode("utf-8")  # not \\u-escaped
    assert record["published_at"] == "2026-03-07T08:47:00+07:00"


def test_extract_stdin():
    proc = run("extract", "-", "--url", URL, stdin=article_page().encode())
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["authors"] == ["Mai Giang"]


@pytest.mark.parametrize("data", [b"", b"\x00\x01\x02" * 1000])
def test_unreadable_input_is_one_line_and_nonzero(data):
    proc = run("extract", "-", "--url", URL, stdin=data)
    assert proc.returncode == 1
    assert proc.stderr.decode().count("\n") == 1 and "Traceback" not in proc.stderr.decode()


def test_missing_file(tmp_path):
    proc = run("extract", str(tmp_path / "nope.html"), "--url", URL)
    assert proc.returncode == 2 and b"does not exist" in proc.stderr


def test_not_an_article_exits_3():
    listing = b"<html><head><title>Th\xe1\xbb\x9di s\xe1\xbb\xb1</title></head><body>" + \
        b"".join(b'<a href="/b-%d-123456.html">B</a>' % i for i in range(40)) + b"</body></html>"
    proc = run("extract", "-", "--url", "https://baothu.vn/thoi-su", stdin=listing)
    assert proc.returncode == 3 and b"not an article" in proc.stderr


def test_fixtures_update_writes_reviewable_files(tmp_path, fixtures_path):
    proc = run("fixtures", "update", "--out", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    written = sorted(p.name for p in (tmp_path / "articles").iterdir())
    assert "baolaocai.vn__article-404649.json" in written
    assert (tmp_path / "links" / "nguoiquansat.vn__rss-chung-khoan.excerpt.json").exists()


def test_export_import_search_and_status_commands(tmp_path):
    from newsarchive.archive import Archive, Page
    from tests.support.records import dien_chau

    db, copy = tmp_path / "archive.db", tmp_path / "copy.db"
    archive = Archive(db)
    archive.articles.store(dien_chau())
    archive.pages.add(Page(dien_chau().url, article_page().encode()))
    for fmt in ("jsonl", "csv", "warc"):
        out = tmp_path / f"export.{fmt}"
        proc = run("export", "--format", fmt, "--db", str(db), "-o", str(out))
        assert proc.returncode == 0, proc.stderr
        assert out.stat().st_size > 0
    to_stdout = run("export", "--format", "jsonl", "--db", str(db))
    assert json.loads(to_stdout.stdout)["article"]["title"].startswith("Diễn Châu")
    assert run("import", str(tmp_path / "export.jsonl"), "--db", str(copy)).returncode == 0
    hits = run("search", "dai dien chau", "--db", str(copy), "--json")
    assert json.loads(hits.stdout.splitlines()[0])["title"].startswith("Diễn Châu")
    assert "[Diễn Châu]" in run("search", "dien chau", "--db", str(copy)).stdout.decode()
    assert run("status", "--db", str(copy)).stdout == b"no crawls yet\n"
    assert run("search", "x", "--db", str(tmp_path / "none.db")).returncode == 1


# -- a user's mistake gets one line and a documented exit status, never a traceback --

BAD = [
    (["crawl", "baonghean", "--since", "01/01/2026"], 2, "YYYY-MM-DD"),
    (["crawl", "baonghean", "--since", "2026-13-45"], 2, "YYYY-MM-DD"),
    (["crawl", "baonghean", "-s", "DOWNLOAD_DELAY"], 2, "'DOWNLOAD_DELAY' is not NAME=VALUE"),
    (["check", "baonghean", "-s", "=5"], 2, "'=5' is not NAME=VALUE"),
    (["crawl", "nosuchpaper"], 2, "unknown site 'nosuchpaper'; known: hanoimoi"),
    (["crawl", "baonghean", "--replay", "{tmp}"], 2, "has no manifest.csv"),
    (["search", "x", "--since", "07/03/2026"], 2, "YYYY-MM-DD"),
    (["search", "x", "--until", "garbage"], 2, "YYYY-MM-DD"),
    (["search", "x", "--site", "bogus"], 2, "unknown site 'bogus'"),
    (["status", "--site", "bogus"], 2, "unknown site 'bogus'"),
    (["export", "--site", "bogus"], 2, "unknown site 'bogus'"),
    (["reparse", "--site", "bogus"], 2, "unknown site 'bogus'"),
    (["export", "--format", "xml"], 2, "'xml' is not one of"),
    (["import", "{tmp}/nope.jsonl"], 2, "does not exist"),
    (["extract", "{tmp}/nope.html", "--url", URL], 2, "does not exist"),
    (["schedule", "install", "--every", "15", "--no-enable"], 2, "bare number"),
    (["run", "--every", "abc"], 2, "e.g. 15m"),
    (["status"], 1, "no archive at"),
    (["extract", "-", "--url", ""], 2, "not a page's URL"),
    (["extract", "-", "--url", "baonghean.vn/a-1.html"], 2, "not a page's URL"),
]


@pytest.mark.parametrize("args, status, message", BAD, ids=lambda v: " ".join(v)
                         if isinstance(v, list) else None)
def test_a_mistake_is_one_line_with_its_exit_status(tmp_path, args, status, message):
    from click.testing import CliRunner

    from newsarchive.cli import main

    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    result = CliRunner().invoke(main, [*args, "--db", str(tmp_path / "none.db")]
                                if args[0] not in ("extract", "run", "check") else args)
    assert result.exit_code == status, result.output
    assert message in result.output
    assert isinstance(result.exception, SystemExit)  # not an uncaught error
    assert "Traceback" not in result.output
    said = [line for line in result.output.splitlines() if line.startswith(("Error", "error"))]
    assert len(said) == 1
    assert not (tmp_path / "none.db").exists()


@pytest.mark.parametrize("content", [b"a,b\n1,2\n", b'{"x": 1}\n', b"\xff\xfe\x00junk"])
def test_import_of_a_wrong_file_says_file_line_reason_and_creates_nothing(tmp_path, content):
    bad, db = tmp_path / "bad.csv", tmp_path / "new.db"
    bad.write_bytes(content)
    proc = run("import", str(bad), "--db", str(db))
    err, out = proc.stderr.decode(), proc.stdout.decode()
    assert proc.returncode == 1 and "Traceback" not in err + out
    assert err.startswith(f"{bad}:1: ")
    assert "skipped" in out and "new.db not created" in out
    assert not list(tmp_path.glob("new.db*"))
    strict = run("import", str(bad), "--db", str(db), "--strict")
    said = strict.stderr.decode()
    assert strict.returncode == 1 and said.count("\n") == 1
    assert said.startswith(f"error: {bad}:1: ") and "nothing imported (--strict)" in said
    assert not list(tmp_path.glob("new.db*"))


def _extracted(tmp_path, name: str) -> str:
    """What `newsarchive extract` prints for a synthetic article (pretty JSON)."""
    page = tmp_path / f"{name}.html"
    page.write_text(article_page(title=f"Tin {name}"), encoding="utf-8")
    proc = run("extract", str(page), "--url", f"https://baothu.vn/tin-{name}-1.html")
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.decode()


def test_import_takes_what_extract_prints_and_skips_bad_lines(tmp_path):
    one, two = _extracted(tmp_path, "mot"), _extracted(tmp_path, "hai")
    pretty = tmp_path / "pretty.json"
    pretty.write_text(one + two, encoding="utf-8")  # `extract a; extract b > file`
    proc = run("import", str(pretty), "--db", str(tmp_path / "a.db"))
    assert proc.returncode == 0 and proc.stdout.decode().startswith("imported 2 articles")
    lines = tmp_path / "lines.jsonl"
    compact = [json.dumps(json.loads(text), ensure_ascii=False) for text in (one, two)]
    lines.write_text(f"{compact[0]}\nnot json\n{compact[1]}\n{{\"site\": \"x\"}}\n",
                     encoding="utf-8")
    proc = run("import", str(lines), "--db", str(tmp_path / "b.db"))
    err = proc.stderr.decode()
    assert proc.returncode == 1 and "Traceback" not in err  # bad lines: 1, after the good
    assert err.splitlines()[:2] == [f"{lines}:2: not JSON", f"{lines}:4: no 'article' or "
                                    "'url' key"]
    assert proc.stdout.decode().strip() == \
        f"imported 2 articles into {tmp_path / 'b.db'}; skipped 2 bad lines"
    strict = run("import", str(lines), "--db", str(tmp_path / "b.db"), "--strict")
    assert strict.returncode == 1 and f"{lines}:2: not JSON" in strict.stderr.decode()
    found = run("search", "Tin mot", "--db", str(tmp_path / "b.db"))
    assert "tin-mot-1.html" in found.stdout.decode(), found


def test_an_internal_error_is_one_line_and_its_traceback_goes_to_the_log(tmp_path,
                                                                       monkeypatch):
    from click.testing import CliRunner

    from newsarchive import cli
    from newsarchive.ops.exits import Exit

    def broken():
        raise RuntimeError("the registry is broken\nsecond line")

    log = tmp_path / "errors.log"
    monkeypatch.setattr(cli, "registry", broken)
    monkeypatch.setenv("NEWSARCHIVE_ERROR_LOG", str(log))
    result = CliRunner().invoke(cli.main, ["crawl", "--all", "--db", str(tmp_path / "a.db")])
    assert result.exit_code == Exit.INTERNAL
    assert result.output.strip() == ("newsarchive: internal error: RuntimeError: the registry "
                                      f"is broken (traceback in {log})")
    assert "Traceback" in log.read_text() and "def broken" not in result.output


def test_status_json_gives_errors_as_json_not_as_a_string(tmp_path):
    from click.testing import CliRunner

    from newsarchive.archive import Archive
    from newsarchive.cli import main

    db = tmp_path / "a.db"
    kept = Archive(str(db))
    run_id = kept.runs.start("baonghean")
    kept.runs.finish(run_id, {"failed": 2}, {"discovery-dns": 2}, "failed", ["https://x/1"])
    kept.close()
    result = CliRunner().invoke(main, ["status", "--json", "--db", str(db)])
    row = json.loads(result.output)[0]
    assert row["errors"] == {"discovery-dns": 2} and row["examples"] == ["https://x/1"]
    table = CliRunner().invoke(main, ["status", "--db", str(db)]).output
    assert "reason" in table.splitlines()[0] and table.splitlines()[1].endswith("dns ×2")
    assert (row["failed_discovery"], row["failed_articles"]) == (2, 0)


@pytest.mark.parametrize("content", [b"hello\n", bytes(range(256)) * 4])
def test_crawl_refuses_a_replay_file_that_is_not_warc_before_starting(tmp_path, content):
    from click.testing import CliRunner

    from newsarchive.cli import main

    bad = tmp_path / "capture.warc.gz"
    bad.write_bytes(content)
    result = CliRunner().invoke(main, ["crawl", "baonghean", "--replay", str(bad),
                                       "--db", str(tmp_path / "a.db")])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    assert f"{bad} is not a WARC file" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "a.db").exists()


def _export_line(tmp_path, n: int, **changes) -> str:
    """One line of `newsarchive export --format jsonl` for a synthetic article."""
    from newsarchive.archive import Archive
    from newsarchive.archive.exchange import export_jsonl
    from tests.support.records import dien_chau

    source = Archive(tmp_path / f"source-{n}.db")
    source.articles.store(dien_chau(url=f"https://baonghean.vn/tin-{n}.html", **changes),
                          seen_at="2026-03-07T02:00:00Z")
    out = io.StringIO()
    export_jsonl(source, out)
    return out.getvalue().strip()


def test_import_keeps_the_good_records_around_a_lone_surrogate_and_bad_lines(tmp_path):
    """A `\\ud800` in a title aborted the whole file (exit 70 in content_hash)."""
    good, other = _export_line(tmp_path, 1), _export_line(tmp_path, 2)
    surrogate = _export_line(tmp_path, 3).replace('"title": "Diễn', '"title": "\\ud800Diễn', 1)
    no_site = good.replace('"site": "baonghean", ', "", 1).replace("tin-1", "tin-4")
    wrong_type = good.replace('"authors": ["Mai Giang"]', '"authors": "Mai Giang"', 1) \
        .replace("tin-1", "tin-5")
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join([good, "{not json", surrogate, no_site, wrong_type, other]) + "\n",
                    encoding="utf-8")
    db = tmp_path / "a.db"
    proc = run("import", str(path), "--db", str(db))
    err, out = proc.stderr.decode(), proc.stdout.decode()
    assert proc.returncode == 1 and "Traceback" not in err + out, err
    assert err.splitlines()[:3] == [f"{path}:2: not JSON",
                                    f"{path}:4: article: missing field 'site'",
                                    f"{path}:5: article: 'authors' is text, not a list of texts"]
    assert out.strip() == (f"imported 3 articles into {db}; skipped 3 bad lines; cleaned the "
                           "text of 1 (characters XML cannot carry removed)")
    import sqlite3

    titles = sorted(t for (t,) in sqlite3.connect(db).execute("SELECT title FROM articles"))
    assert titles == ["Diễn Châu: Hướng đến chính quyền 'vì dân phục vụ'"] * 3
    strict = run("import", str(path), "--db", str(tmp_path / "b.db"), "--strict")
    assert strict.returncode == 1 and not list(tmp_path.glob("b.db*"))
    assert strict.stderr.decode().startswith(f"error: {path}:2: not JSON: nothing imported")
    strict = run("import", str(path), "--db", str(db), "--strict")  # an archive there
    assert strict.returncode == 1
    count = sqlite3.connect(db).execute("SELECT count(*) FROM articles").fetchone()[0]
    assert count == 3  # nothing of the refused file stored


def _places(db) -> list[tuple]:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT a.url, p.place_code, p.as_written, p.mentions, p.note "
                            "FROM article_places p JOIN articles a ON a.id = p.article_id "
                            "ORDER BY 1, 2, 3").fetchall()


def test_import_round_trip_keeps_places_and_an_import_done_twice_changes_nothing(tmp_path):
    """#26 item 7: export -> import gives back every article's places; the same file
    again says nothing changed; one article is `1 article`; reparse says why an imported
    archive has nothing to re-extract."""
    from newsarchive.archive import Archive
    from newsarchive.ground.page import Page
    from newsarchive.places import tag
    from tests.support.fixtures import registry
    from tests.support.records import dien_chau

    original = tmp_path / "original.db"
    kept = Archive(original)
    for n, article in enumerate((dien_chau(), dien_chau(
            url="https://baonghean.vn/quynh-luu-post2.html", title="Quỳnh Lưu đón Tết",
            body_text="Huyện Quỳnh Lưu, tỉnh Nghệ An, đón Tết."))):
        rows = [t.row() for t in tag(article, registry().get(article.site))]
        kept.store_page(Page(url=article.url, body=b"<html></html>",
                             fetched_at=f"2026-03-0{n + 1}T02:00:00Z"), article, places=rows)
    kept.conn.close()
    assert len(_places(original)) >= 3
    out = tmp_path / "out.jsonl"
    assert run("export", "--db", str(original), "-o", str(out)).returncode == 0
    copy = tmp_path / "copy.db"
    first = run("import", str(out), "--db", str(copy))
    assert first.stdout.decode().strip() == f"imported 2 articles into {copy}"
    assert _places(copy) == _places(original)
    again = run("import", str(out), "--db", str(copy))
    assert again.returncode == 0
    assert again.stdout.decode().strip() == \
        f"nothing changed in {copy}: 2 articles already there as they are"
    assert _places(copy) == _places(original)
    # an export of an older version carries no places: they are tagged on import
    older = tmp_path / "older.jsonl"
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    older.write_text("".join(json.dumps({k: v for k, v in r.items() if k != "places"},
                                        ensure_ascii=False) + "\n" for r in records),
                     encoding="utf-8")
    tagged = tmp_path / "tagged.db"
    assert run("import", str(older), "--db", str(tagged)).returncode == 0
    assert _places(tagged) == _places(original)
    one = tmp_path / "one.jsonl"
    one.write_text(out.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    single = run("import", str(one), "--db", str(tmp_path / "one.db"))
    assert single.stdout.decode().startswith("imported 1 article into")
    reparse = run("reparse", "--db", str(copy))
    assert reparse.returncode == 0 and reparse.stdout.decode().strip() == (
        f"no raw pages to re-extract in {copy}: its 2 articles came without them (an "
        "import: `export --format jsonl` holds articles, not pages)")


def test_import_tags_the_places_of_what_extract_prints_and_says_a_bad_record_in_words(
        tmp_path):
    printed = tmp_path / "printed.json"
    printed.write_text(_extracted(tmp_path, "mot"), encoding="utf-8")
    db = tmp_path / "a.db"
    assert run("import", str(printed), "--db", str(db)).returncode == 0
    assert any(code == "d63-425" for _, code, *_ in _places(db))  # huyện Diễn Châu
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"article": {"url": "https://baonghean.vn/a.html"}}\n'
                   '{"article": {"url": "https://baonghean.vn/b.html", "site": "baonghean"},'
                   ' "first_seen": "2026-03-07T02:00:00Z", "last_seen": "2026-03-07T02:00:00Z",'
                   ' "last_changed": "2026-03-07T02:00:00Z",'
                   ' "places": [{"as_written": "Nghệ An", "color": "red"}]}\n',
                   encoding="utf-8")
    proc = run("import", str(bad), "--db", str(tmp_path / "b.db"))
    err = proc.stderr.decode()
    assert proc.returncode == 1 and "Traceback" not in err and "__init__" not in err
    assert err.splitlines()[:2] == [f"{bad}:1: article: missing field 'site'",
                                    f"{bad}:2: places: unknown field 'color'"]


@pytest.mark.slow
@pytest.mark.parametrize("args", [
    ["crawl", "--bogus"],
    ["bogus"],
    ["extract", "nosuchpage.html", "--url", "https://baonghean.vn/a-1.html"],
    ["import", "nosuch.jsonl"],
    ["search"],
])
def test_a_usage_error_is_one_line_and_exit_2(tmp_path, args):
    """#26 item 11: Click's four lines (usage, hint, blank, error) are one, naming the
    command's --help; a missing file is exit 2 for every command."""
    done = subprocess.run([sys.executable, "-m", "newsarchive.cli", *args], cwd=tmp_path,
                          capture_output=True, text=True)
    assert done.returncode == 2 and done.stdout == ""
    command = "newsarchive" if args == ["bogus"] else f"newsarchive {args[0]}"
    line, = done.stderr.splitlines()
    assert line.startswith("Error: ") and line.endswith(f"(see '{command} --help')"), line
