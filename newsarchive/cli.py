"""The `newsarchive` command: extract, crawl, search, reparse, export, serve..."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import __version__

EXIT_UNREADABLE = 1
EXIT_NOT_ARTICLE = 3

DB_OPTION = click.option("--db", "db_path", default="archive.db", show_default=True,
                         type=click.Path(dir_okay=False), help="The SQLite archive.")


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
    from .extract.core import NotAnArticle, extract
    from .extract.decode import ExtractError

    try:
        data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as exc:
        click.echo(f"error: cannot read {path}: {exc.strerror or exc}", err=True)
        sys.exit(EXIT_UNREADABLE)
    try:
        article = extract(data, url, content_type=content_type)
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
def fixtures_update(out: str) -> None:
    """Rewrite the expected JSON of every fixture; review the change with `git diff`."""
    from .fixtures import fixtures_dir, write_expected

    written = write_expected(Path(out))
    click.echo(f"wrote {len(written)} expected files from {fixtures_dir()} to {out}")


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
def crawl_cmd(site_ids, all_sites, db_path, since, replay, max_pages, overrides, verbose,
              quiet) -> None:
    """Crawl newspapers into the archive: `newsarchive crawl baonghean` or `--all`.

    Exit status: 0 ok; 1 a site failed entirely or the archive could not be written;
    75 another crawl is running on the same archive."""
    from . import sites
    from .crawl import EX_TEMPFAIL, Locked, run

    if not site_ids and not all_sites:
        raise click.UsageError("name one or more sites, or --all. Known: "
                               + ", ".join(sites.all_sites()))
    for site_id in site_ids:
        if site_id not in sites.all_sites():
            raise click.UsageError(f"unknown site {site_id!r}")
    level = "WARNING" if quiet else "DEBUG" if verbose > 1 else "INFO"
    extra = {"LOG_LEVEL": level, **dict(o.split("=", 1) for o in overrides)}
    try:
        stats = run(list(site_ids), db_path, since=since, replay=replay, overrides=extra,
                    max_pages=max_pages)
    except Locked as exc:
        click.echo(f"newsarchive: {exc}; not starting a second crawl", err=True)
        sys.exit(EX_TEMPFAIL)
    failed = _report(db_path, stats)
    if stats.get("finish_reason") == "archive_error" or failed:
        sys.exit(1)


def _report(db_path: str, stats: dict) -> list[str]:
    """Print this run's crawl_runs rows; returns the sites that failed entirely."""
    from .archive import connect

    db = connect(db_path)
    rows = db.execute(
        "SELECT site, status, discovered, new, changed, unchanged, failed, errors FROM "
        "crawl_runs WHERE id IN (SELECT max(id) FROM crawl_runs GROUP BY site) "
        "ORDER BY site").fetchall()
    click.echo(f"{'site':20} {'status':8} {'found':>6} {'new':>5} {'changed':>7} "
               f"{'same':>5} {'failed':>6}", err=True)
    for site, status, found, new, changed, same, failed, _ in rows:
        click.echo(f"{site:20} {status:8} {found:6} {new:5} {changed:7} {same:5} {failed:6}",
                   err=True)
    return [r[0] for r in rows if r[1] == "failed"]


@main.command("serve")
@DB_OPTION
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to listen on (0.0.0.0 to expose it).")
@click.option("--port", default=8001, show_default=True)
@click.option("--time-limit", default=3000, show_default=True, help="SQL time limit in ms.")
def serve_cmd(db_path: str, host: str, port: int, time_limit: int) -> None:
    """Publish the archive with Datasette: search, facets, article pages, feeds, chart.

    The database is opened read-only; crawls can write to it meanwhile (WAL)."""
    from .publish import datasette_args

    _require_db(db_path)
    from datasette.cli import cli as datasette_cli

    datasette_cli.main(args=["serve", *datasette_args(db_path, time_limit),
                             "--host", host, "--port", str(port)], prog_name="datasette")


@main.command("search")
@click.argument("query")
@DB_OPTION
@click.option("--site", help="Only this site (its id, e.g. baonghean).")
@click.option("--since", help="Published on or after this date (YYYY-MM-DD).")
@click.option("--until", help="Published before this date (YYYY-MM-DD).")
@click.option("--limit", default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per hit.")
def search_cmd(query: str, db_path: str, site: str | None, since: str | None,
               until: str | None, limit: int, as_json: bool) -> None:
    """Full-text search, with or without diacritics: `dien chau` finds `Diễn Châu`."""
    from dataclasses import asdict

    from .archive import connect
    from .archive.search import search

    _require_db(db_path)
    try:
        hits = search(connect(db_path), query, site=site, since=since, until=until,
                      limit=limit)
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
@click.option("--site", help="Only this site's pages.")
def reparse_cmd(db_path: str, site: str | None) -> None:
    """Re-extract every stored raw page with the current extractor (after a layout fix);
    versions are added only for real changes."""
    from .archive import Archive
    from .archive.reparse import reparse

    _require_db(db_path)
    counts = reparse(Archive(db_path), site)
    click.echo(", ".join(f"{k}: {v}" for k, v in sorted(counts.items())) or "no pages")


@main.command("export")
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "warc"]), default="jsonl",
              show_default=True)
@click.option("--site", help="Only this site.")
@click.option("-o", "--output", default="-", type=click.Path(allow_dash=True, dir_okay=False),
              help="File to write (default: standard output).")
def export_cmd(db_path: str, fmt: str, site: str | None, output: str) -> None:
    """Export articles with their history (jsonl), a flat table (csv) or raw pages (warc)."""
    from .archive import Archive, exchange

    _require_db(db_path)
    archive = Archive(db_path)
    if fmt == "warc":
        with click.open_file(output, "wb") as out:
            n = exchange.export_warc(archive, out, site)
    else:
        with click.open_file(output, "w", encoding="utf-8", newline="") as out:
            n = (exchange.export_jsonl if fmt == "jsonl" else exchange.export_csv)(
                archive, out, site)
    click.echo(f"exported {n} {'pages' if fmt == 'warc' else 'articles'}", err=True)


@main.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@DB_OPTION
def import_cmd(path: str, db_path: str) -> None:
    """Import a `newsarchive export --format jsonl` file, history included."""
    from .archive import Archive
    from .archive.exchange import import_jsonl

    with click.open_file(path, encoding="utf-8") as lines:
        counts = import_jsonl(Archive(db_path), lines)
    click.echo(f"imported {counts['articles']} articles into {db_path}")


def _require_db(path: str) -> None:
    if not Path(path).exists():
        raise click.ClickException(f"no archive at {path} (crawl or import first)")


if __name__ == "__main__":
    main()
