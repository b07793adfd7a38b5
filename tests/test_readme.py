"""Every command the README shows is one the tools take as written: each `newsarchive ...`
line parses (its command, options and values; only files the reader would have made may
be missing), and each `python -m bench...` names a benchmark with those options."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import click
import pytest

from newsarchive.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _code_lines() -> list[str]:
    """Lines of the README's code: fenced blocks and indented blocks."""
    lines, fenced = [], False
    for line in README.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif fenced or line.startswith("    "):
            lines.append(line.strip())
    return lines


def _commands(program: str, least: int) -> list[list[str]]:
    """Each use of `program` in the README's code, and in its inline `code` where it is
    a whole command (`least` words or more, no placeholder such as SITE), as words, without
    comments, redirections and what a pipe or `&&` hands on to."""
    found = []
    inline = re.findall(r"`([^`\n]+)`", README)
    for text in _code_lines() + inline:
        for part in re.split(r"&&|\|", text.split(" # ")[0]):
            words = shlex.split(re.sub(r"\s[12]?>\s*\S+", " ", part))
            if words[:len(program.split())] != program.split():
                continue
            words = words[len(program.split()):]
            if text in inline and (len(words) < least or any(
                    re.fullmatch(r"[A-Z][A-Z_]+", w) for w in words)):
                continue
            found.append(words)
    return [list(w) for w in dict.fromkeys(tuple(w) for w in found)]


NEWSARCHIVE = [c for c in _commands("newsarchive", 2) if c and not c[0].startswith("<")]
BENCH = [c for c in _commands("python -m", 1) if c and c[0].startswith("bench.")]


def test_the_readme_shows_commands():
    assert len(NEWSARCHIVE) >= 30 and len(BENCH) >= 8


@pytest.mark.parametrize("words", NEWSARCHIVE, ids=" ".join)
def test_each_newsarchive_command_in_the_readme_parses(words):
    command, parent, name, args = main, None, "newsarchive", list(words)
    while True:
        try:
            ctx = command.make_context(name, args, parent=parent)
        except click.BadParameter as exc:
            if "does not exist" in str(exc):
                return  # a file of the reader's own (page.html, archive.jsonl...)
            raise
        if not isinstance(command, click.Group):
            return
        rest = [*getattr(ctx, "_protected_args", []), *ctx.args]
        assert rest, f"{words}: a command of {name} is missing"
        name, command, args = command.resolve_command(ctx, rest)
        parent = ctx


@pytest.mark.parametrize("words", BENCH, ids=" ".join)
def test_each_benchmark_in_the_readme_takes_its_options(words):
    shown = subprocess.run([sys.executable, "-m", words[0], "--help"], cwd=ROOT,
                           capture_output=True, text=True, timeout=120)
    assert shown.returncode == 0, shown.stderr[-2000:]
    for option in (w for w in words[1:] if w.startswith("--")):
        assert option in shown.stdout, f"python -m {' '.join(words)}: no {option}"


def _block_after(heading: str) -> list[str]:
    """The lines of the first Markdown table after `heading`."""
    rest = README[README.index(heading):].splitlines()
    start = next(i for i, line in enumerate(rest) if line.startswith("| "))
    end = next((i for i in range(start, len(rest)) if not rest[i].startswith("|")), len(rest))
    return rest[start:end]


def test_the_papers_table_is_what_sites_markdown_prints():
    """"Which papers": every row of the registry, as `newsarchive sites --markdown` prints
    it (regenerate the table with that command when a paper is added or changed)."""
    from click.testing import CliRunner

    printed = CliRunner().invoke(main, ["sites", "--markdown"],
                                 env={"NEWSARCHIVE_SITES": None})
    assert printed.exit_code == 0, printed.output
    assert _block_after("## Which papers") == printed.output.strip().splitlines()


def test_the_check_verdicts_are_the_words_check_prints():
    """"Checking a paper": the verdict table names exactly the verdicts `check` gives, in
    its words, with the exit status of each."""
    from newsarchive.crawl.check_report import EXIT, CheckVerdict

    table = _block_after("A verdict per site, and the worst gives the exit status")[2:]
    shown = {re.fullmatch(r"`([^`]+)`", row.split("|")[1].strip()).group(1):
             int(row.split("|")[3]) for row in table}
    assert shown == {verdict.value: EXIT[verdict] for verdict in CheckVerdict}


def _claim(pattern: str) -> int:
    """The number a README sentence states (its words may wrap across lines)."""
    found = re.search(pattern.replace(" ", r"\s+"), README)
    assert found, f"the README no longer says {pattern!r}"
    return int(found.group(1).replace(",", ""))


@pytest.mark.slow
def test_the_offline_crawl_prints_as_many_lines_as_the_readme_says(tmp_path):
    """"Offline, `crawl --all` prints N lines": a crawl of papers whose hosts cannot
    resolve (`.invalid`, RFC 6761, as every host is offline) prints a row per paper and a
    fixed number of other lines; with the registry's papers that is the README's N."""
    import json

    from newsarchive.sites import load
    from tests.support.crawling import crawl

    papers = ("mot", "hai", "ba")
    sites = tmp_path / "sites.json"
    sites.write_text(json.dumps([{
        "id": p, "name": f"Báo {p}", "home": f"https://{p}.invalid/", "platform": None,
        "article_pattern": r"-\d+\.html$", "feeds": [f"https://{p}.invalid/rss"],
        "listings": [f"https://{p}.invalid/thoi-su"]} for p in papers]), encoding="utf-8")
    done = crawl(*papers, "--db", str(tmp_path / "a.db"), quiet=False,
                 env={"NEWSARCHIVE_SITES": str(sites)})
    lines = (done.stdout + done.stderr).splitlines()
    assert done.returncode == 1, lines
    assert any(line.endswith("are you offline?") for line in lines[-2:]), lines
    rows = [line for line in lines if line.split()[:1] in ([p] for p in papers)]
    assert len(rows) == len(papers) and "Traceback" not in done.stderr
    said = _claim(r"Offline, `crawl --all` prints (\d+) lines")
    assert said == len(load(None)) + len(lines) - len(papers)


def test_the_replay_stores_as_many_articles_as_the_readme_says(fixtures_path):
    """The README's count of captured articles a replay stores is the capture's
    (tests/crawl/test_crawl.py checks that each is stored)."""
    from tests.support.fixtures import manifest

    said = _claim(r"stores all (\d+) captured articles")
    assert said == sum(fx.kind == "article" for fx in manifest(fixtures_path))


def test_the_summary_columns_are_the_ones_the_readme_explains():
    """"Logs": the README's table of the crawl summary's columns names each column the
    summary (and `newsarchive status`) prints, beyond site and finished."""
    from newsarchive.ops.report import table

    explained = [name for row in _block_after("| column | meaning |")[2:]
                 for name in re.findall(r"`([^`]+)`", row.split("|")[1])]
    site, *columns = table([])[0].split()
    assert site == "site" and explained == [c for c in columns if c != "finished"]


def test_status_json_has_the_fields_the_readme_names(tmp_path):
    """"`status --json` gives the same counts, with `failed_discovery` and
    `failed_articles`"."""
    import json

    from click.testing import CliRunner

    from newsarchive.archive import Archive

    assert re.search(r"`status --json` gives the same counts, with\s+`failed_discovery`"
                     r"\s+and\s+`failed_articles`", README)
    db = tmp_path / "a.db"
    store = Archive(db)
    run = store.runs.start("baonghean")
    store.runs.finish(run, {"discovered": 9, "new": 2, "failed": 3},
                      {"discovery-dns": 1, "article-timeout": 2}, status="ok")
    store.close()
    shown = CliRunner().invoke(main, ["status", "--json", "--db", str(db)])
    assert shown.exit_code == 0, shown.output
    (row,) = json.loads(shown.output)
    assert (row["discovered"], row["new"], row["failed_discovery"],
            row["failed_articles"]) == (9, 2, 1, 2)


def test_the_trends_download_has_the_fields_the_readme_lists():
    """"`/trends.csv?…` and `/trends.json?...` give `query, group, …`"."""
    from newsarchive.publish.trends import as_csv

    listed = re.search(r"`/trends\.json\?\.\.\.`\s+give\s+`([^`]+)`", README)
    assert listed, "the README no longer lists the trends fields"
    assert [f.strip() for f in listed.group(1).split(",")] == \
        as_csv(None).splitlines()[0].split(",")
