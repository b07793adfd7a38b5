"""The `newsarchive` command: extract, crawl, search, reparse, export, serve..."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import click

from . import __version__
from .archive.db import DEFAULT_DB

EXIT_UNREADABLE = 1
EXIT_NOT_ARTICLE = 3

DB_OPTION = click.option("--db", "db_path", default=DEFAULT_DB, show_default=True,
                         type=click.Path(dir_okay=False), help="The SQLite archive.")
SITE_OPTION = click.option("--site", help="Only this site (its id, e.g. baonghean).")
CLUSTER_OPTION = click.option(
    "--cluster", metavar="redis://HOST:PORT/DB", envvar="NEWSARCHIVE_CLUSTER",
    help="Work as part of a crawl cluster sharing this Redis ($NEWSARCHIVE_CLUSTER).")


def registry():
    """The papers: the built-in registry plus `$NEWSARCHIVE_SITES`, read once, here."""
    import os

    from . import sites

    return sites.load(os.environ.get("NEWSARCHIVE_SITES"))


def archive(db_path: str, *, readonly: bool = False):
    """The archive at `db_path`; read-only commands need it to exist and be current."""
    from .archive import Archive
    from .archive.db import OutOfDate

    if readonly and not Path(db_path).exists():
        raise click.ClickException(f"no archive at {db_path} (crawl or import first)")
    try:
        return Archive(db_path, readonly=readonly)
    except OutOfDate as exc:
        raise click.ClickException(str(exc)) from exc


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsarchive")
def main() -> None:
    """Scrape, archive and publish Vietnam's provincial press."""


@main.command("extract")
@click.argument("path", type=click.Path(allow_dash=True, dir_okay=False))
@click.option("--url", required=True, help="The page's URL (to resolve links, pick the site).")
@click.option("--content-type", default=None, help="HTTP Content-Type header, if known.")
def extract_cmd(path: str, url: str, content_type: str | None) -> None:
    """Print the Article extracted from a saved page as JSON (PATH `-` reads stdin).

    Exit status 1: unreadable input; 3: the page is not an article."""
    from .extract import ExtractError, NotAnArticle, extract

    try:
        data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as exc:
        click.echo(f"error: cannot read {path}: {exc.strerror or exc}", err=True)
        sys.exit(EXIT_UNREADABLE)
    try:
        article = extract(data, url, site=registry().for_url(url), content_type=content_type)
    except ExtractError as exc:
        click.echo(f"error: {path}: {exc}", err=True)
        sys.exit(EXIT_UNREADABLE)
    except NotAnArticle as exc:
        click.echo(f"{path}: {exc}", err=True)
        sys.exit(EXIT_NOT_ARTICLE)
    sys.stdout.buffer.write(
        json.dumps(article.to_dict(), ensure_ascii=False, indent=2).encode("utf-8") + b"\n")


@main.group("fixtures")
def fixtures_group() -> None:
    """The captured real pages and their expected output."""


@fixtures_group.command("update")
@click.option("--out", default="tests/expected", show_default=True,
              type=click.Path(file_okay=False), help="Where the expected JSON files live.")
@click.option("--from", "folder", envvar="NEWSARCHIVE_FIXTURES", default="../shared/fixtures",
              show_default=True, type=click.Path(exists=True, file_okay=False),
              help="The captured pages, with their manifest.csv ($NEWSARCHIVE_FIXTURES).")
def fixtures_update(out: str, folder: str) -> None:
    """Rewrite the expected JSON of every fixture; review the change with `git diff`."""
    from .extract.golden import VersionNotBumped, write_expected

    try:
        written = write_expected(Path(out), Path(folder), registry())
    except (FileNotFoundError, VersionNotBumped) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"wrote {len(written)} expected files from {folder} to {out}")


@main.command("crawl")
@click.argument("site_ids", nargs=-1)
@click.option("--all", "all_sites", is_flag=True, help="Every site in the registry.")
@DB_OPTION
@click.option("--since", help="Backfill: walk sitemaps and listings back to this date "
              "(YYYY-MM-DD).")
@click.option("--replay", type=click.Path(exists=True),
              help="Answer requests from captured responses: a folder with manifest.csv, "
              "or a WARC file from `newsarchive export --format warc`.")
@click.option("--max-pages", default=3, show_default=True,
              help="Listing pages to follow per section (without --since).")
@click.option("-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE",
              help="Override a Scrapy setting, e.g. -s DOWNLOAD_DELAY=5.")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only warnings and errors.")
@click.option("--log-file", type=click.Path(dir_okay=False),
              help="Also log to this file (rotated at 10 MB, 5 kept).")
@click.option("--log-json", is_flag=True, help="Log one JSON object per line.")
@click.option("--on-alarm", metavar="COMMAND",
              help="Shell command run when a site's layout seems to have changed; it gets "
              "the message on stdin and NEWSARCHIVE_ALARM_* variables.")
@CLUSTER_OPTION
def crawl_cmd(site_ids, all_sites, db_path, since, replay, max_pages, overrides, verbose,
              quiet, log_file, log_json, on_alarm, cluster) -> None:
    """Crawl newspapers into the archive: `newsarchive crawl baonghean` or `--all`.

    Exit status: 0 ok; 1 a site failed entirely or the archive could not be written;
    75 another crawl is running on the same archive."""
    from .crawl.run import EX_TEMPFAIL, Locked, run

    papers = registry()
    if not site_ids and not all_sites:
        raise click.UsageError("name one or more sites, or --all. Known: "
                               + ", ".join(papers.ids()))
    for site_id in site_ids:
        if site_id not in papers:
            raise click.UsageError(f"unknown site {site_id!r}")
    from .ops import logs

    level = "WARNING" if quiet else "DEBUG" if verbose > 1 else "INFO"
    logs.setup(level, log_file, log_json)
    extra = {"LOG_LEVEL": level, **dict(o.split("=", 1) for o in overrides)}
    if cluster:
        _crawl_worker(papers, list(site_ids), cluster, since, replay, extra, max_pages, quiet)
        return
    try:
        stats = run(papers, list(site_ids), db_path, since=since, replay=replay, overrides=extra,
                    max_pages=max_pages)
    except Locked as exc:
        click.echo(f"newsarchive: {exc}; not starting a second crawl", err=True)
        sys.exit(EX_TEMPFAIL)
    rows = archive(db_path).runs.latest()
    if not quiet:
        _print_runs(rows)
    for row in rows:
        if row["status"] == "degraded" and on_alarm:
            _run_alarm(on_alarm, row)
    if stats.get("newsarchive/archive_error"):
        click.echo(f"newsarchive: archive write failed: {stats['newsarchive/archive_error']}",
                   err=True)
        sys.exit(1)
    if any(
            r["status"] == "failed" for r in rows):
        sys.exit(1)


def _crawl_worker(papers, site_ids, url, since, replay, extra, max_pages, quiet) -> None:
    """`crawl --cluster`: a worker; it never opens the archive."""
    from .crawl.cluster import worker

    stats = worker.run(papers, site_ids, url, since=since, replay=replay, overrides=extra,
                       max_pages=max_pages)
    if not quiet:
        pushed = sum(v for k, v in stats.items() if k.endswith("/pushed"))
        click.echo(f"worker done ({stats.get('finish_reason')}): {pushed} items pushed "
                   f"to {url}")


def _print_runs(rows: list[dict]) -> None:
    click.echo(f"{'site':20} {'status':9} {'finished':20} {'found':>6} {'new':>5} "
               f"{'changed':>7} {'same':>5} {'failed':>6} {'fallback':>8}")
    for r in rows:
        click.echo(f"{r['site']:20} {r['status']:9} {(r['finished_at'] or '-'):20} "
                   f"{r['discovered']:6} {r['new']:5} {r['changed']:7} {r['unchanged']:5} "
                   f"{r['failed']:6} {r['fallback']:8}")
        if r["alarm"]:
            click.echo(f"    ALARM: {r['alarm']}; e.g. {', '.join(json.loads(r['examples']))}")


def _run_alarm(command: str, row: dict) -> None:
    import os
    import subprocess

    examples = json.loads(row["examples"] or "[]")
    message = f"newsarchive: layout drift on {row['site']}: {row['alarm']}\n" + "\n".join(
        examples)
    env = {**os.environ, "NEWSARCHIVE_ALARM_SITE": row["site"],
           "NEWSARCHIVE_ALARM_MESSAGE": row["alarm"],
           "NEWSARCHIVE_ALARM_EXAMPLES": " ".join(examples)}
    subprocess.run(command, shell=True, input=message, text=True, env=env, check=False)


@main.command("status")
@DB_OPTION
@SITE_OPTION
@click.option("--json", "as_json", is_flag=True)
def status_cmd(db_path: str, site: str | None, as_json: bool) -> None:
    """The latest crawl of each site: what it found, stored and failed."""
    rows = archive(db_path, readonly=True).runs.latest(site)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
    elif not rows:
        click.echo("no crawls yet")
    else:
        _print_runs(rows)


@main.command("sites")
@click.option("--db", "db_path", type=click.Path(dir_okay=False),
              help="An archive: add articles stored, last crawl and its result.")
@click.option("--province", help="A 2025 province or one merged into it (diacritics optional).")
@click.option("--platform", help="A CMS platform name (`none`: no layout).")
@click.option("--national/--provincial", "national", default=None,
              help="Only national sites, or only provincial papers.")
@click.option("--json", "as_json", is_flag=True, help="JSON rows.")
@click.option("--markdown", "as_markdown", is_flag=True, help="A Markdown table.")
def sites_cmd(db_path: str | None, province: str | None, platform: str | None,
              national: bool | None, as_json: bool, as_markdown: bool) -> None:
    """The papers in the registry: platform, confidence, discovery URLs, archive counts."""
    from .sites import table

    try:
        chosen = table.select(registry(), province=province, platform=platform,
                              national=national)
    except LookupError as exc:
        raise click.UsageError(exc.args[0]) from None
    counts = None
    if db_path and Path(db_path).exists():
        store = archive(db_path, readonly=True)
        counts = store.runs.per_site()
        store.close()
    rows = table.rows(chosen, counts)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
    else:
        click.echo(table.markdown(rows) if as_markdown else table.text(rows))


@main.group("schedule")
def schedule_group() -> None:
    """Crawl every N minutes with systemd (or cron), runs never overlapping."""


EVERY = click.option("--every", default="15m", show_default=True, help="e.g. 15m, 1h.")
USER = click.option("--user", is_flag=True, help="A user timer (~/.config/systemd/user).")


@schedule_group.command("install")
@EVERY
@USER
@DB_OPTION
@click.option("--log-file", default="newsarchive.log", show_default=True)
@click.option("--unit-dir", type=click.Path(file_okay=False), help="Write the units here.")
@click.option("--no-enable", is_flag=True, help="Write the units without enabling them.")
def schedule_install(every, user, db_path, log_file, unit_dir, no_enable) -> None:
    """Write and enable systemd timer and service units."""
    from .ops import schedule

    try:
        written = schedule.install(schedule.parse_every(every), db_path, user,
                                   Path(unit_dir) if unit_dir else None, not no_enable,
                                   log_file)
    except (ValueError, RuntimeError) as exc:
        raise click.ClickException(str(exc)) from exc
    for path in written:
        click.echo(f"wrote {path}")


@schedule_group.command("cron")
@EVERY
@DB_OPTION
@click.option("--log-file", default="newsarchive.log", show_default=True)
def schedule_cron(every, db_path, log_file) -> None:
    """Print the crontab line (for hosts without systemd): add it with `crontab -e`."""
    from .ops import schedule

    click.echo(schedule.cron_line(schedule.parse_every(every), db_path, log_file))


@schedule_group.command("status")
@USER
@DB_OPTION
def schedule_status(user, db_path) -> None:
    """The timer's state, then the latest run of each site."""
    from .ops import schedule

    try:
        result = schedule.systemctl(user, "list-timers", f"{schedule.UNIT}.timer", "--all")
        click.echo(result.stdout or result.stderr)
    except RuntimeError as exc:
        click.echo(str(exc))
    if Path(db_path).exists():
        _print_runs(archive(db_path, readonly=True).runs.latest())


@schedule_group.command("remove")
@USER
@click.option("--unit-dir", type=click.Path(file_okay=False))
def schedule_remove(user, unit_dir) -> None:
    """Disable the timer and delete the units."""
    from .ops import schedule

    for path in schedule.remove(user, Path(unit_dir) if unit_dir else None,
                                disable=not unit_dir):
        click.echo(f"removed {path}")


@main.command("run")
@EVERY
@DB_OPTION
@click.option("--log-file", default=None, help="Log file for the crawls.")
@click.option("--runs", type=int, default=None, help="Stop after this many crawls.")
def run_cmd(every, db_path, log_file, runs) -> None:
    """Crawl every site now and then every --every, in the foreground (for containers)."""
    from .ops import schedule

    schedule.loop(schedule.parse_every(every), schedule.crawl_command(db_path, log_file), runs)


@main.command("serve")
@DB_OPTION
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to listen on (0.0.0.0 to expose it).")
@click.option("--port", default=8001, show_default=True)
@click.option("--time-limit", default=3000, show_default=True, help="SQL time limit in ms.")
@click.option("--immutable", is_flag=True,
              help="For a copy that never changes (e.g. a read-only volume): no locking.")
def serve_cmd(db_path: str, host: str, port: int, time_limit: int, immutable: bool) -> None:
    """Publish the archive with Datasette: search, facets, article pages, feeds, chart.

    The database is opened read-only; crawls can write to it meanwhile (WAL)."""
    from .publish import datasette_args

    _require_db(db_path)
    _upgrade_for_serving(db_path, immutable)
    from datasette.cli import cli as datasette_cli

    datasette_cli.main(args=["serve", *datasette_args(db_path, time_limit, immutable),
                             "--host", host, "--port", str(port)], prog_name="datasette")


@main.command("search")
@click.argument("query")
@DB_OPTION
@SITE_OPTION
@click.option("--since", help="Published on or after this date (YYYY-MM-DD).")
@click.option("--until", help="Published before this date (YYYY-MM-DD).")
@click.option("--limit", default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per hit.")
def search_cmd(query: str, db_path: str, site: str | None, since: str | None,
               until: str | None, limit: int, as_json: bool) -> None:
    """Full-text search, with or without diacritics: `dien chau` finds `Diễn Châu`."""
    from dataclasses import asdict

    from .archive.search import search

    try:
        hits = search(archive(db_path, readonly=True).db, query, site=site, since=since,
                      until=until, limit=limit)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    for hit in hits:
        if as_json:
            click.echo(json.dumps(asdict(hit), ensure_ascii=False))
        else:
            click.echo(f"{hit.published_at or '':25.25} {hit.site:12} {hit.title}\n"
                       f"    {hit.url}\n    {hit.snippet}\n")
    if not hits and not as_json:
        click.echo("no articles found", err=True)


@main.command("reparse")
@DB_OPTION
@SITE_OPTION
def reparse_cmd(db_path: str, site: str | None) -> None:
    """Re-extract every stored raw page with the current extractor (after a layout fix);
    versions are added only for real changes."""
    from .crawl.reparse import reparse

    _require_db(db_path)
    counts = reparse(archive(db_path), registry(), site)
    click.echo(", ".join(f"{k}: {v}" for k, v in sorted(counts.items())) or "no pages")


@main.command("export")
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "warc"]), default="jsonl",
              show_default=True)
@SITE_OPTION
@click.option("-o", "--output", default="-", type=click.Path(allow_dash=True, dir_okay=False),
              help="File to write (default: standard output).")
def export_cmd(db_path: str, fmt: str, site: str | None, output: str) -> None:
    """Export articles with their history (jsonl), a flat table (csv) or raw pages (warc)."""
    from .archive import exchange

    kept = archive(db_path, readonly=True)
    binary = sys.stdout.buffer if output == "-" else open(output, "wb")  # noqa: SIM115
    with binary:
        if fmt == "warc":
            n = exchange.export_warc(kept, binary, site)
        else:
            text = io.TextIOWrapper(binary, encoding="utf-8", newline="")
            n = (exchange.export_jsonl if fmt == "jsonl" else exchange.export_csv)(
                kept, text, site)
            text.flush()
            text.detach()
    click.echo(f"exported {n} {'pages' if fmt == 'warc' else 'articles'}", err=True)


@main.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@DB_OPTION
def import_cmd(path: str, db_path: str) -> None:
    """Import a `newsarchive export --format jsonl` file, history included."""
    from .archive.exchange import import_jsonl

    with click.open_file(path, encoding="utf-8") as lines:
        counts = import_jsonl(archive(db_path), lines)
    click.echo(f"imported {counts['articles']} articles into {db_path}")


@main.command("ingest")
@click.option("--cluster", metavar="redis://HOST:PORT/DB", envvar="NEWSARCHIVE_CLUSTER",
              required=True, help="The cluster's Redis ($NEWSARCHIVE_CLUSTER).")
@DB_OPTION
@click.option("--idle-exit", type=float, default=None, metavar="SECONDS",
              help="Stop after this long without items (default: run until stopped).")
@click.option("-v", "--verbose", count=True, help="More log output.")
@click.option("--log-file", type=click.Path(dir_okay=False), help="Also log to this file.")
@click.option("--log-json", is_flag=True, help="Log one JSON object per line.")
def ingest_cmd(cluster: str, db_path: str, idle_exit: float | None, verbose: int,
               log_file: str | None, log_json: bool) -> None:
    """The cluster's one writer: store what workers pushed to Redis into the archive.

    Exit status 75: another crawl or writer holds the archive."""
    from .crawl.cluster import writer
    from .crawl.run import EX_TEMPFAIL, Locked, exclusive
    from .ops import logs

    logs.setup("DEBUG" if verbose > 1 else "INFO", log_file, log_json)
    try:
        with exclusive(db_path):
            counts = writer.run(cluster, db_path, idle_exit=idle_exit)
    except Locked as exc:
        click.echo(f"newsarchive: {exc}; not starting a second writer", err=True)
        sys.exit(EX_TEMPFAIL)
    click.echo("stored: " + (", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
                             or "nothing"))


@main.group("cluster")
def cluster_group() -> None:
    """A crawl on several machines: see `crawl --cluster` and `ingest --cluster`."""


@cluster_group.command("status")
@click.option("--cluster", metavar="redis://HOST:PORT/DB", envvar="NEWSARCHIVE_CLUSTER",
              required=True, help="The cluster's Redis ($NEWSARCHIVE_CLUSTER).")
@click.option("--json", "as_json", is_flag=True)
def cluster_status(cluster: str, as_json: bool) -> None:
    """Workers, site leases, queued requests, items waiting for the writer.

    Exit status 1: Redis unreachable."""
    import redis

    from .crawl.cluster import connect, status

    try:
        s = status.status(connect(cluster, wait=0))
    except redis.RedisError as exc:
        click.echo(f"newsarchive: {exc}", err=True)
        sys.exit(1)
    click.echo(json.dumps(s, indent=1) if as_json else status.text(s))


def _require_db(path: str) -> None:
    if not Path(path).exists():
        raise click.ClickException(f"no archive at {path} (crawl or import first)")


def _upgrade_for_serving(path: str, immutable: bool) -> None:
    """Datasette only reads: bring an archive written by an older newsarchive to the
    current schema first, or refuse an immutable copy that is behind."""
    import sqlite3

    from .archive.db import upgrade
    from .archive.migrations import LATEST

    if not immutable:
        upgrade(path)
        return
    # As Datasette will open it: immutable, so that a read-only mount works.
    conn = sqlite3.connect(f"file:{Path(path).resolve()}?immutable=1", uri=True)
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    conn.close()
    if current < LATEST:
        raise click.ClickException(
            f"{path} has schema version {current}, this newsarchive needs {LATEST}: run "
            f"`newsarchive upgrade --db {path}` on a writable copy first")


@main.command("upgrade")
@DB_OPTION
def upgrade_cmd(db_path: str) -> None:
    """Bring an archive written by an older newsarchive to this version's schema (crawl,
    import and serve do it themselves; status, search and export ask for it)."""
    from .archive.db import upgrade

    _require_db(db_path)
    before, after = upgrade(db_path)
    click.echo(f"{db_path}: schema version {before} -> {after}" if after != before
               else f"{db_path}: schema version {after}, already current")


if __name__ == "__main__":
    main()
