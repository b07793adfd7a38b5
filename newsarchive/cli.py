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


if __name__ == "__main__":
    main()
