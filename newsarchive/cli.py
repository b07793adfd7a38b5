"""The `newsarchive` command: extract, crawl, search, reparse, export, serve..."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import click

from . import __version__
from .archive.db import DEFAULT_DB
from .ops import exits, userpaths
from .ops.exits import Exit

EXIT_STATUSES = exits.text()  # every command's --help ends with it


def _site(ctx, param, value: str | None) -> str | None:
    """`--site` must name a site of the registry (`newsarchive crawl` lists them)."""
    if value is not None and value not in registry():
        raise click.BadParameter(f"unknown site {value!r}; known: "
                                 + ", ".join(registry().ids()))
    return value


def _date(ctx, param, value: str | None) -> str | None:
    """A date option: YYYY-MM-DD, checked before anything starts."""
    import re
    from datetime import date

    if value is None:
        return None
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            raise ValueError
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a date; type it as YYYY-MM-DD, e.g. 2026-03-07") from None


DB_OPTION = click.option("--db", "db_path", default=DEFAULT_DB, show_default=True,
                         type=click.Path(dir_okay=False), help="The SQLite archive.")
SITE_OPTION = click.option("--site", callback=_site,
                           help="Only this site (its id, e.g. baonghean).")


def _settings(ctx, param, values: tuple[str, ...]) -> dict[str, object]:
    """`-s NAME=VALUE` options as a dict of typed values, each checked against its
    setting before anything starts; anything else is a usage error."""
    from .crawl.settings import BadSetting, parse_setting

    settings = {}
    for value in values:
        name, equals, text = value.partition("=")
        if not equals or not name.strip():
            raise click.BadParameter(f"{value!r} is not NAME=VALUE, e.g. -s DOWNLOAD_DELAY=5",
                                     ctx, param)
        try:
            settings[name.strip()] = parse_setting(name.strip(), text)
        except BadSetting as exc:
            raise click.BadParameter(str(exc), ctx, param) from None
    return settings


SET_OPTION = click.option("-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE",
                          callback=_settings,
                          help="Override a Scrapy setting, e.g. -s DOWNLOAD_DELAY=5.")


def _cluster_url(ctx, param, value: str | None) -> str | None:
    """A Redis URL, checked before anything starts (never echoed: it holds a password)."""
    from urllib.parse import urlsplit

    if value and urlsplit(value.strip()).scheme not in ("redis", "rediss", "unix"):
        raise click.BadParameter("not a Redis URL: type redis://[:PASSWORD@]HOST:PORT/DB "
                                 "(or rediss://, unix://)", ctx, param)
    return value.strip() if value else value


CLUSTER_OPTION = click.option(
    "--cluster", metavar="redis://HOST:PORT/DB", envvar="NEWSARCHIVE_CLUSTER",
    callback=_cluster_url,
    help="Work as part of a crawl cluster sharing this Redis ($NEWSARCHIVE_CLUSTER).")
CLUSTER_KEY_OPTION = click.option(
    "--cluster-key", metavar="FILE", type=click.Path(dir_okay=False),
    help="The cluster's shared key, which signs every message (else "
    "$NEWSARCHIVE_CLUSTER_KEY, the key itself).")


def _need_cluster(url: str | None) -> None:
    """`ingest` and `cluster status` need a Redis: the option, or the environment."""
    if not url:
        raise click.UsageError("which cluster? give --cluster redis://[:PASSWORD@]HOST:PORT/DB "
                               "or set $NEWSARCHIVE_CLUSTER")


def _cluster_signer(path: str | None):
    """The cluster's signer, or one line saying how to make a key (exit 2)."""
    from .crawl.cluster.signing import KeyMissing, load_key

    try:
        return load_key(path)
    except KeyMissing as exc:
        click.echo(f"newsarchive: {exc}", err=True)
        sys.exit(Exit.USAGE)


def registry():
    """The papers: the built-in registry plus `$NEWSARCHIVE_SITES`, read once, here."""
    import os

    from . import sites

    try:
        return sites.load(os.environ.get("NEWSARCHIVE_SITES"))
    except sites.SitesFileError as exc:
        raise click.ClickException(f"$NEWSARCHIVE_SITES: {exc}") from None


def archive(db_path: str, *, readonly: bool = False):
    """The archive at `db_path`; read-only commands need it to exist and be current; one
    that is not an archive, or cannot be written, is refused (Explained says so)."""
    from .archive import Archive

    if readonly and not Path(db_path).exists():
        raise click.ClickException(f"no archive at {db_path} (crawl or import first)")
    return Archive(db_path, readonly=readonly)  # UnusableArchive: one line, by Explained


class Explained(click.Command):
    """An error on a path the user named (`--db`, `-o`, a file) is one line and exit 1
    or 2 (ops/userpaths.py says which); so is a reader that stopped reading (`| head`),
    silently."""

    def invoke(self, ctx: click.Context):
        try:
            done = super().invoke(ctx)
            sys.stdout.flush()  # a closed pipe is found here, not at the interpreter's exit
            return done
        except Exception as exc:
            named = [ctx.params[p.name] for p in self.params
                     if isinstance(p.type, click.Path) and ctx.params.get(p.name)]
            mistake = userpaths.explain(exc, db=ctx.params.get("db_path"),
                                        output=ctx.params.get("output"), named=named)
            if mistake is None:
                raise
        if mistake.line:
            click.echo(f"newsarchive: {mistake.line}", err=True)
        else:  # nothing more may reach the closed pipe, not even at exit
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
        sys.exit(mistake.status)


class Guarded(click.Group):
    """No traceback reaches the terminal: an unexpected error is summarised in one line
    (exit 70) and its traceback appended to the error log. Every command's --help ends
    with the exit statuses."""

    group_class = type  # subgroups (schedule, fixtures) are guarded and documented too
    command_class = Explained

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        cmd.epilog = cmd.epilog or EXIT_STATUSES
        super().add_command(cmd, name)

    def main(self, *args, **kwargs):
        """A usage error is one line, `Error: WHAT (see COMMAND --help)`, exit 2 (Click
        prints the usage, a hint and the error: four lines)."""
        kwargs["standalone_mode"] = False
        kwargs.setdefault("prog_name", "newsarchive")
        try:
            done = super().main(*args, **kwargs)
        except click.UsageError as exc:
            where = exc.ctx.command_path if exc.ctx else "newsarchive"
            click.echo(f"Error: {exc.format_message()} (see '{where} --help')", err=True)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("Aborted!", err=True)
            sys.exit(1)
        sys.exit(done if isinstance(done, int) else 0)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Abort,
                click.exceptions.Exit, KeyboardInterrupt, SystemExit):
            raise
        except Exception as exc:  # noqa: BLE001 - the one place that catches everything
            from .ops.logs import append_traceback

            where = append_traceback(exc)
            first = (str(exc).splitlines() or [""])[0]
            click.echo(f"newsarchive: internal error: {type(exc).__name__}: {first} "
                       f"(traceback in {where})", err=True)
            sys.exit(Exit.INTERNAL)


@click.group(cls=Guarded, context_settings={"help_option_names": ["-h", "--help"]},
             epilog=EXIT_STATUSES)
@click.version_option(__version__, prog_name="newsarchive")
def main() -> None:
    """Scrape, archive and publish Vietnam's provincial press."""


def _url(ctx, param, value: str) -> str:
    """An absolute http(s) URL with a host."""
    from urllib.parse import urlsplit

    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise click.BadParameter(f"{value!r} is not a page's URL; type it in full, e.g. "
                                 "https://baonghean.vn/bai-viet-123456.html")
    return value.strip()


@main.command("extract")
@click.argument("path", type=click.Path(exists=True, allow_dash=True, dir_okay=False))
@click.option("--url", required=True, callback=_url,
              help="The page's URL (to resolve links, pick the site).")
@click.option("--content-type", default=None, help="HTTP Content-Type header, if known.")
@click.option("--timeout", default=30.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds the extraction may take.")
@click.option("--memory", "memory_mb", default=512, show_default=True,
              type=click.IntRange(min=16), help="MB of memory the extraction may add.")
def extract_cmd(path: str, url: str, content_type: str | None, timeout: float,
                memory_mb: int) -> None:
    """Print the Article extracted from a saved page as JSON (PATH `-` reads stdin).

    Exit status 1: unreadable input (empty, binary, over 20 MiB, or too large to extract
    within --timeout and --memory); 3: the page is not an article."""
    from .extract import ExtractError, NotAnArticle
    from .extract.decode import MAX_BYTES
    from .extract.limits import extract_bounded

    try:  # at most one byte past the limit: `/dev/zero` or a huge file is never read whole
        if path == "-":
            data, size = sys.stdin.buffer.read(MAX_BYTES + 1), None
        else:
            with open(path, "rb") as fh:
                data, size = fh.read(MAX_BYTES + 1), Path(path).stat().st_size
    except OSError as exc:
        click.echo(f"error: cannot read {path}: {exc.strerror or exc}", err=True)
        sys.exit(Exit.FAILED)
    if len(data) > MAX_BYTES:
        real = f"{size} bytes" if size and size > MAX_BYTES else f"over {MAX_BYTES} bytes"
        click.echo(f"error: {path}: page too large: {real} (limit {MAX_BYTES})", err=True)
        sys.exit(Exit.FAILED)
    try:
        article = extract_bounded(data, url, site=registry().for_url(url),
                                  content_type=content_type, timeout=timeout,
                                  memory_mb=memory_mb)
    except ExtractError as exc:
        click.echo(f"error: {path}: {exc}", err=True)
        sys.exit(Exit.FAILED)
    except NotAnArticle as exc:
        click.echo(f"{path}: {exc}", err=True)
        sys.exit(Exit.NOT_ARTICLE)
    sys.stdout.buffer.write(
        json.dumps(article.to_dict(), ensure_ascii=False, indent=2).encode("utf-8") + b"\n")


@main.group("fixtures")
def fixtures_group() -> None:
    """The captured real pages and their expected output."""


@fixtures_group.command("update")
@click.option("--out", type=click.Path(file_okay=False),
              help="Where the expected JSON files live  [default: tests/expected of the "
              "repository this newsarchive runs from].")
@click.option("--from", "folder", envvar="NEWSARCHIVE_FIXTURES", default="../shared/fixtures",
              show_default=True, type=click.Path(exists=True, file_okay=False),
              help="The captured pages, with their manifest.csv ($NEWSARCHIVE_FIXTURES).")
def fixtures_update(out: str | None, folder: str) -> None:
    """Rewrite the expected JSON of every fixture; review the change with `git diff`."""
    from .extract.golden import VersionNotBumped, write_expected
    from .ground.captures import UnsafeManifest

    if out is None:  # the repository's, wherever the command is run from; never the cwd's
        expected = Path(__file__).resolve().parent.parent / "tests" / "expected"
        if not expected.is_dir():
            raise click.UsageError(f"no {expected} (this newsarchive is not run from its "
                                   "repository): give --out FOLDER")
        out = str(expected)

    try:
        written = write_expected(Path(out), Path(folder), registry())
    except (FileNotFoundError, UnsafeManifest, VersionNotBumped) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"wrote {len(written)} expected files from {folder} to {out}")


@main.command("crawl")
@click.argument("site_ids", nargs=-1)
@click.option("--all", "all_sites", is_flag=True, help="Every site in the registry.")
@DB_OPTION
@click.option("--since", callback=_date,
              help="Backfill: walk sitemaps and listings back to this date (YYYY-MM-DD).")
@click.option("--replay", type=click.Path(exists=True),
              help="Answer requests from captured responses: a folder with manifest.csv, "
              "or a WARC file from `newsarchive export --format warc`.")
@click.option("--max-pages", default=3, show_default=True,
              help="Listing pages to follow per section (without --since).")
@SET_OPTION
@click.option("-v", "--verbose", count=True,
              help="Scrapy's log on the terminal too: settings, per-request warnings, "
              "tracebacks, stats (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only the summary and real errors.")
@click.option("--log-file", type=click.Path(dir_okay=False),
              help="Also log to this file (rotated at 10 MB, 5 kept).")
@click.option("--log-json", is_flag=True, help="Log one JSON object per line.")
@click.option("--on-alarm", metavar="COMMAND",
              help="Shell command run when a site's layout seems to have changed; it gets "
              "the message on stdin and NEWSARCHIVE_ALARM_* variables.")
@CLUSTER_OPTION
@CLUSTER_KEY_OPTION
def crawl_cmd(site_ids, all_sites, db_path, since, replay, max_pages, overrides, verbose,
              quiet, log_file, log_json, on_alarm, cluster, cluster_key) -> None:
    """Crawl newspapers into the archive: `newsarchive crawl baonghean` or `--all`.

    Prints a progress line while crawling, then a table with a row per site and the
    reasons it failed (dns, timeout, http-404 ×N...); the rest of the log goes to the
    terminal only with -v, and always to --log-file.

    Exit status: 0 ok; 1 a site failed entirely or the archive could not be written;
    2 a usage error; 75 another crawl is running on the same archive; 130 (SIGINT, ^C)
    or 143 (SIGTERM): stopped, the sites not done are recorded `interrupted`."""
    from .crawl.extensions.runs import INTERRUPTED
    from .crawl.run import EX_TEMPFAIL, Locked, exclusive, run
    from .ground.outcomes import RunStatus
    from .ops.alarm import raise_alarms

    papers = registry()
    if not site_ids and not all_sites:
        raise click.UsageError("name one or more sites, or --all. Known: "
                               + ", ".join(papers.ids()))
    for site_id in site_ids:
        if site_id not in papers:
            raise click.UsageError(f"unknown site {site_id!r}; known: "
                                   + ", ".join(papers.ids()))
    if replay:
        _check_replay(replay)
    from .ops import logs

    level = "DEBUG" if verbose > 1 else "INFO"
    calm = None if verbose else logs.Calm(quiet)
    logs.setup(level, log_file, log_json, calm=calm)
    extra = {"LOG_LEVEL": level, **overrides}
    if cluster:  # a worker never opens the SQLite archive
        _crawl_worker(papers, list(site_ids), cluster, _cluster_signer(cluster_key), since,
                      replay, extra, max_pages, quiet)
        return
    store = archive(db_path)  # a foreign or newer-schema file is refused before the crawl
    before = store.runs.last_id()  # the summary shows this run's rows, no earlier ones
    store.close()
    try:  # a second crawl is refused before it says it is crawling (run() holds it after)
        with exclusive(db_path):
            pass
    except Locked as exc:
        click.echo(f"newsarchive: {exc}; not starting a second crawl", err=True)
        sys.exit(EX_TEMPFAIL)
    if not quiet:
        click.echo(f"crawling {len(site_ids) or len(papers.ids())} site(s) into {db_path}"
                   + ("" if verbose or log_file else "; -v or --log-file for the details"),
                   err=True)
    try:
        stats = run(papers, list(site_ids), db_path, since=since, replay=replay, overrides=extra,
                    max_pages=max_pages)
    except Locked as exc:
        click.echo(f"newsarchive: {exc}; not starting a second crawl", err=True)
        sys.exit(EX_TEMPFAIL)
    rows = archive(db_path).runs.since(before)
    if rows:
        _print_runs(rows)
    else:
        click.echo("newsarchive: the crawl did not start: no site was crawled"
                   + ("" if log_file else " (run with -v or --log-file for why)"), err=True)
    if replay and stats.get("newsarchive/replay/missing"):
        click.echo(f"newsarchive: {stats['newsarchive/replay/missing']} requested pages were "
                   "not in the capture (not-captured in the reason column; not failures)",
                   err=True)
    if calm is not None and calm.hidden:
        click.echo(f"({calm.hidden} warnings and errors not shown: "
                   + (f"see {log_file})" if log_file else "run with -v or --log-file)"),
                   err=True)
    if on_alarm:
        raise_alarms(on_alarm, rows)
    if stats.get("newsarchive/archive_error"):
        click.echo(f"newsarchive: archive write failed: {stats['newsarchive/archive_error']}",
                   err=True)
        sys.exit(Exit.FAILED)
    if stopped := stats.get(INTERRUPTED):
        left = sum(r["status"] == RunStatus.INTERRUPTED for r in rows)
        click.echo(f"newsarchive: crawl interrupted ({stopped}), {left} site(s) unfinished: "
                   "run the same command again to resume (stored articles are skipped)",
                   err=True)
        sys.exit(exits.of_signal(stopped))
    sys.exit(exits.of_crawl(r["status"] for r in rows))


def _check_replay(replay: str) -> None:
    """Refuse a `--replay` that cannot be read, or whose manifest leads out of its folder
    (one line per bad row, exit 2), before anything is crawled."""
    from .crawl.replay import BadReplay, check
    from .ground.captures import UnsafeManifest

    try:
        check(replay)
    except BadReplay as exc:
        raise click.BadParameter(f"{exc}: give a folder of captures with its "
                                 "manifest.csv, or a WARC file from `newsarchive export "
                                 "--format warc`", param_hint="'--replay'") from None
    except UnsafeManifest as exc:
        for line in exc.lines:  # the whole folder is refused: nothing is crawled
            click.echo(f"newsarchive: --replay refused: {line}", err=True)
        sys.exit(Exit.USAGE)


def _crawl_worker(papers, site_ids, url, signer, since, replay, extra, max_pages,
                  quiet) -> None:
    """`crawl --cluster`: a worker; it never opens the archive. Stopped by SIGINT or
    SIGTERM, it exits 130 or 143 as a lone crawl does; without Redis for
    NEWSARCHIVE_CLUSTER_REDIS_WAIT seconds, 1."""
    import redis

    from .crawl.cluster import CredentialsRefused, shown, worker
    from .crawl.cluster.components import UNSENT
    from .crawl.cluster.outage import REDIS_LOST
    from .crawl.extensions.runs import INTERRUPTED

    wait = float(extra.get("NEWSARCHIVE_CLUSTER_REDIS_WAIT",
                           worker.COMPONENTS["NEWSARCHIVE_CLUSTER_REDIS_WAIT"]))
    try:
        stats = worker.run(papers, site_ids, url, signer, since=since, replay=replay,
                           overrides=extra, max_pages=max_pages)
    except CredentialsRefused as exc:
        click.echo(f"newsarchive: {exc}", err=True)
        sys.exit(Exit.USAGE)
    except redis.ConnectionError as exc:  # at the start
        click.echo(f"newsarchive: worker stopped: {exc} for {wait:.0f} s", err=True)
        sys.exit(Exit.FAILED)
    if not quiet:
        pushed = sum(v for k, v in stats.items() if k.endswith("/pushed")) - \
            stats.get(UNSENT, 0)
        refused = sum(v for k, v in stats.items() if k.startswith("cluster/refused/"))
        click.echo(f"worker done ({stats.get('finish_reason')}): {pushed} items pushed "
                   f"to {shown(url)}" + (f", {refused} requests refused" if refused else ""))
    if stats.get("finish_reason") == REDIS_LOST:
        unsent = stats.get(UNSENT, 0)
        click.echo(f"newsarchive: worker stopped: redis at {shown(url)} unreachable for "
                   f"{wait:.0f} s; "
                   f"{unsent} fetched page(s) not sent, fetched again next round; its "
                   "sites' leases expire and the next worker resumes them from what Redis "
                   "kept", err=True)
        sys.exit(Exit.FAILED)
    if stopped := stats.get(INTERRUPTED):
        left = stats.get(worker.UNFINISHED, 0)
        click.echo(f"newsarchive: worker interrupted ({stopped}), {left} site round(s) "
                   "reported interrupted: their requests stay queued in Redis; run the same "
                   "command again (or any worker) to resume", err=True)
        sys.exit(exits.of_signal(stopped))


def _print_runs(rows: list[dict]) -> None:
    from .ops import report

    for line in report.table(rows):
        click.echo(line)
    said = report.headline(rows)
    if said:
        click.echo(f"newsarchive: {said}", err=True)
    if then := report.next_step(rows):
        click.echo(f"newsarchive: {then}", err=True)


@main.command("check")
@click.argument("site_ids", nargs=-1)
@click.option("--all", "all_sites", is_flag=True, help="Every site in the registry.")
@click.option("--articles", default=5, show_default=True, type=click.IntRange(1, 100),
              help="How many of each site's newest articles to fetch and extract.")
@click.option("--replay", type=click.Path(exists=True),
              help="No network: answer from captured responses (a folder with "
              "manifest.csv, or a WARC file).")
@click.option("--json", "as_json", is_flag=True, help="The reports as JSON.")
@SET_OPTION
@click.option("-v", "--verbose", count=True, help="Show the crawler's log (-vv for debug).")
def check_cmd(site_ids, all_sites, articles, replay, as_json, overrides, verbose) -> None:
    """Try sites live: discovery, then their newest articles, field by field; stores
    nothing. `newsarchive check baonghean` or `--all`.

    Exit status: 0 every site ok; 1 the worst is degraded; 2 a site is broken (or a
    usage error). With --replay, a site with no captured page says `no pages`, not broken."""
    from .crawl.check_report import exit_status, render
    from .crawl.spiders.check import run_check
    from .ops import logs

    papers = registry()
    unknown = [s for s in site_ids if s not in papers]
    if unknown or not (site_ids or all_sites):
        click.echo(f"newsarchive check: unknown site {unknown[0]!r} (`newsarchive sites` "
                   "lists them)" if unknown else
                   "newsarchive check: name one or more sites, or --all", err=True)
        sys.exit(Exit.USAGE)
    if replay:
        _check_replay(replay)
    level = {0: "CRITICAL", 1: "INFO"}.get(verbose, "DEBUG")
    logs.setup(level)
    extra = {"LOG_LEVEL": level, **overrides}
    reports = run_check(papers, list(site_ids), articles, replay, extra)
    click.echo(json.dumps([r.to_dict() for r in reports], ensure_ascii=False, indent=1)
               if as_json else render(reports))
    sys.exit(exit_status(reports))


@main.command("status")
@DB_OPTION
@SITE_OPTION
@click.option("--json", "as_json", is_flag=True)
def status_cmd(db_path: str, site: str | None, as_json: bool) -> None:
    """The latest crawl of each site: links found, articles new, changed and the same,
    failures of discovery (feeds, sitemaps, listings: disc-fail) and of article pages
    (art-fail), articles that needed the generic fallback, and the reasons."""
    rows = archive(db_path, readonly=True).runs.latest(site)
    if as_json:
        from .ops import report

        click.echo(json.dumps(report.as_json(rows), ensure_ascii=False, indent=1))
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
    if db_path:
        store = archive(db_path, readonly=True)  # none there: one line, exit 1
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


def _every(ctx, param, value: str) -> int:
    """`--every` as seconds; a wrong duration is a usage error (exit 2) in one line."""
    from .ops import schedule

    try:
        return schedule.parse_every(value)
    except schedule.BadSchedule as exc:
        raise click.BadParameter(str(exc)) from None


EVERY = click.option("--every", default="15m", show_default=True, callback=_every,
                     help="How often: a number with its unit, e.g. 15m, 1h, 2h30m, 1d.")
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
        written = schedule.install(every, db_path, user,
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
    """Print the crontab line (for hosts without systemd): add it with `crontab -e`.

    Only for intervals cron runs exactly: minutes dividing 60, hours dividing 24, or 1d;
    others exit 2 and point to `schedule install` or `run --every`."""
    from .ops import schedule

    try:
        click.echo(schedule.cron_line(every, db_path, log_file))
    except schedule.BadSchedule as exc:
        raise click.BadParameter(str(exc), param_hint="'--every'") from None


@schedule_group.command("status")
@USER
@DB_OPTION
def schedule_status(user, db_path) -> None:
    """The timer's state, then the latest run of each site. Exit status 1: systemd could
    not say (no systemctl, no user bus)."""
    from .ops import schedule

    failed = ""
    try:
        result = schedule.systemctl(user, "list-timers", f"{schedule.UNIT}.timer", "--all")
        if result.returncode:
            failed = (f"systemctl{' --user' if user else ''} list-timers: "
                      + (result.stderr.strip().splitlines() or ["failed"])[0])
        else:
            click.echo(result.stdout)
    except RuntimeError as exc:
        failed = str(exc)
    if Path(db_path).exists():
        _print_runs(archive(db_path, readonly=True).runs.latest())
    if failed:  # the runs are still shown; the timer's state is not known
        click.echo(f"newsarchive: {failed}", err=True)
        sys.exit(Exit.FAILED)


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
    """Crawl every site now and then every --every, in the foreground (for containers).
    Exits with the last crawl's status (with --runs), 130 when stopped by Ctrl-C."""
    from .ops import schedule

    sys.exit(schedule.loop(every, schedule.crawl_command(db_path, log_file), runs))


@main.command("serve")
@DB_OPTION
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to listen on (0.0.0.0 to expose it).")
@click.option("--port", default=8001, show_default=True, type=click.IntRange(1, 65535))
@click.option("--time-limit", default=3000, show_default=True,
              type=click.IntRange(100, 600_000),
              help="Time limit in ms of a query, and of a page; a table view's queries "
                   "together get 60% of it.")
@click.option("--immutable", is_flag=True,
              help="For a copy that never changes (e.g. a read-only volume): no locking.")
@click.option("--allow-sql", is_flag=True,
              help="Let every visitor run arbitrary read-only SQL (trusted networks only).")
@click.option("--public-pages", is_flag=True,
              help="Serve the raw pages table (whole responses and their headers).")
def serve_cmd(db_path: str, host: str, port: int, time_limit: int, immutable: bool,
              allow_sql: bool, public_pages: bool) -> None:
    """Publish the archive with Datasette: search, facets, article pages, feeds, chart.

    The database is opened read-only; crawls can write to it meanwhile (WAL). Arbitrary
    SQL and the raw pages are off unless --allow-sql and --public-pages say otherwise."""
    from .archive.db import ready_to_serve
    from .publish import datasette_args

    _require_db(db_path)
    if taken := userpaths.port_taken(host, port):
        click.echo(f"newsarchive: {taken.line}", err=True)
        sys.exit(taken.status)
    ready_to_serve(db_path, immutable)  # UnusableArchive: one line, by Explained
    from datasette.cli import cli as datasette_cli

    datasette_cli.main(args=["serve", *datasette_args(db_path, time_limit, immutable,
                                                      allow_sql, public_pages),
                             "--host", host, "--port", str(port)], prog_name="datasette")


@main.command("search")
@click.argument("query")
@DB_OPTION
@SITE_OPTION
@click.option("--place", help="Only articles naming this unit or a unit within it (its "
              "code, e.g. p34-40; see the places table).")
@click.option("--since", callback=_date, help="Published on or after this day (YYYY-MM-DD).")
@click.option("--until", callback=_date, help="Published on or before this day (YYYY-MM-DD).")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 5000))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per hit.")
def search_cmd(query: str, db_path: str, site: str | None, place: str | None,
               since: str | None, until: str | None, limit: int, as_json: bool) -> None:
    """Full-text search, with or without diacritics: `dien chau` finds `Diễn Châu`.

    The query is read as the web's search page reads it: "quoted phrase", `OR` between
    alternatives, -word to leave out; dates are days, both ends included. With --place
    or --site the query may be empty (""): their newest articles."""
    from dataclasses import asdict

    from .archive.search import Filters, search
    from .ground.controls import escape_c1, strip_controls

    try:
        filters = Filters(site=site or "", place=place or "", since=since or "",
                          until=until or "")
        hits = search(archive(db_path, readonly=True).db, query, filters, limit=limit)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    for hit in hits:
        if as_json:  # JSON escapes C0 itself; DEL and C1 are escaped here
            click.echo(escape_c1(json.dumps(asdict(hit), ensure_ascii=False)))
        else:  # printable text only: no escape sequence reaches the terminal
            title, url, snippet = (strip_controls(str(v or ""), keep_lines=False)
                                   for v in (hit.title, hit.url, hit.snippet))
            click.echo(f"{hit.published_at or '':25.25} {hit.site:12} {title}\n"
                       f"    {url}\n    {snippet}\n")
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
    kept = archive(db_path)
    counts = reparse(kept, registry(), site)
    if not counts:
        articles, pages = kept.totals()
        if pages:  # others' pages, not --site's
            click.echo(f"no raw pages of {site} to re-extract in {db_path}")
            return
        click.echo(f"no raw pages to re-extract in {db_path}"
                   + (f": its {articles} article{'' if articles == 1 else 's'} came without "
                      "them (an import: `export --format jsonl` holds articles, not pages)"
                      if articles else ""))
        return
    click.echo(", ".join(f"{k}: {v}" for k, v in sorted(counts.items())))


@main.command("stories")
@DB_OPTION
@click.option("--batch", default=1000, show_default=True, type=click.IntRange(1, 100_000),
              help="Articles signed per transaction.")
def stories_cmd(db_path: str, batch: int) -> None:
    """Sign and group into stories the articles stored before stories were kept (or by
    a bulk import): resumable, each batch is committed."""
    from .archive.stories import Stories

    _require_db(db_path)
    kept = archive(db_path)
    counts = Stories(kept.conn).backfill(batch)
    click.echo(", ".join(f"{k}: {v}" for k, v in sorted(counts.items()))
               or "every article already has its story")


@main.command("export")
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "warc"]), default="jsonl",
              show_default=True)
@SITE_OPTION
@click.option("-o", "--output", default="-", type=click.Path(allow_dash=True, dir_okay=False),
              help="File to write (default: standard output).")
def export_cmd(db_path: str, fmt: str, site: str | None, output: str) -> None:
    """Export articles with their history (jsonl), a flat table (csv) or raw pages (warc)."""
    from contextlib import nullcontext

    from .archive import exchange

    kept = archive(db_path, readonly=True)
    binary = sys.stdout.buffer if output == "-" else open(output, "wb")  # noqa: SIM115
    with nullcontext(binary) if output == "-" else binary:  # stdout stays open
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
@click.option("--strict", is_flag=True,
              help="Refuse the whole import when one record is bad.")
def import_cmd(path: str, db_path: str, strict: bool) -> None:
    """Import a `newsarchive export --format jsonl` file (history included), or what
    `newsarchive extract` prints: one Article JSON per line, or pretty-printed Articles.

    A bad line is reported as `PATH:LINE: reason`, counted and skipped, and the good ones
    are imported; with --strict the first bad line refuses the whole import. A lone
    surrogate, noncharacter or control character in a text field is removed (the record
    counted as cleaned). No archive is created when nothing is imported. The places each
    article names come back with it (an Article from `extract` is tagged now); an article
    already in the archive as it is counts as unchanged.

    Exit status 1: bad lines were skipped (or, with --strict, one refused the import).
    2: a usage error (e.g. no such file)."""
    from .archive.imports import EXPECTED, BadRecord, import_into
    from .crawl.ingest import places_of

    name = "<stdin>" if path == "-" else path
    papers = registry()
    try:
        with click.open_file(path, "rb") as lines:
            report = import_into(db_path, lines, strict=strict, tag=lambda art: places_of(
                art, papers.for_url(art.url)))
    except BadRecord as exc:
        message = str(exc).removeprefix("line ")
        click.echo(f"error: {name}:{message}: nothing imported (--strict); {EXPECTED}",
                   err=True)
        sys.exit(Exit.FAILED)
    counts = report.counts
    for number, reason in report.bad[:SHOWN_BAD]:
        click.echo(f"{name}:{number}: {reason}", err=True)
    if len(report.bad) > SHOWN_BAD:
        click.echo(f"{name}: ... and {len(report.bad) - SHOWN_BAD} more bad lines", err=True)
    if report.bad:
        click.echo(f"{name}: {EXPECTED}", err=True)
    refused, bad, cleaned = (counts.get(k, 0) for k in ("refused-url", "bad", "cleaned"))
    click.echo(_imported(report.outcomes, db_path, report.created)
               + (f"; skipped {bad} bad line{'s' if bad > 1 else ''}" if bad else "")
               + (f"; refused {refused} whose url is not http(s)" if refused else "")
               + (f"; cleaned the text of {cleaned} (characters XML cannot carry removed)"
                  if cleaned else ""))
    if bad:
        sys.exit(Exit.FAILED)


SHOWN_BAD = 10  # bad lines reported one by one; the rest are counted


def _articles(n: int) -> str:
    return f"{n} article{'' if n == 1 else 's'}"


def _imported(outcomes, db_path: str, created: bool) -> str:
    """`imported 10 articles into X`; `nothing changed in X: its 10 articles are already
    there as they are` for an import done twice; new and changed told apart when both."""
    new, changed, same = (outcomes.get(k, 0) for k in ("new", "changed", "unchanged"))
    other = sum(outcomes.values()) - new - changed - same  # stored nothing (a conflict)
    if same and not new and not changed:
        said = f"nothing changed in {db_path}: {_articles(same)} already there as they are"
    else:
        said = (f"imported {_articles(new + changed)} "
                + (f"into {db_path}" if new + changed or not created
                   else f"({db_path} not created)")
                + (f" ({new} new, {changed} changed)" if new and changed else "")
                + (f"; {same} already there unchanged" if same else ""))
    return said + (f"; {other} not stored (another paper's article)" if other else "")


@main.command("ingest")
@click.option("--cluster", metavar="redis://HOST:PORT/DB", envvar="NEWSARCHIVE_CLUSTER",
              callback=_cluster_url,
              help="The cluster's Redis ($NEWSARCHIVE_CLUSTER, which keeps a password out "
              "of `ps`).")
@DB_OPTION
@click.option("--idle-exit", type=float, default=None, metavar="SECONDS",
              help="Stop after this long without items (default: run until stopped).")
@click.option("--redis-wait", type=click.FloatRange(min=0), default=300, show_default=True,
              metavar="SECONDS",
              help="Give up (exit 1) when Redis has been unreachable this long.")
@click.option("-v", "--verbose", count=True, help="More log output.")
@click.option("--log-file", type=click.Path(dir_okay=False), help="Also log to this file.")
@click.option("--log-json", is_flag=True, help="Log one JSON object per line.")
@CLUSTER_KEY_OPTION
def ingest_cmd(cluster: str, db_path: str, idle_exit: float | None, redis_wait: float,
               verbose: int, log_file: str | None, log_json: bool,
               cluster_key: str | None) -> None:
    """The cluster's one writer: store what workers pushed to Redis into the archive,
    once each item's signature and content are checked (refused items are counted by
    reason).

    Exit status 1: Redis unreachable for --redis-wait seconds (at the start or on the
    way; what was stored is committed, an item in hand stays queued); 2: no cluster key,
    or Redis refused the credentials; 75: another crawl or writer holds the archive."""
    import redis

    from .crawl.cluster import CredentialsRefused, writer
    from .crawl.run import EX_TEMPFAIL, Locked, exclusive
    from .ops import logs

    _need_cluster(cluster)
    signer = _cluster_signer(cluster_key)
    logs.setup("DEBUG" if verbose > 1 else "INFO", log_file, log_json)
    try:
        with exclusive(db_path):
            counts = writer.run(cluster, db_path, registry(), signer, idle_exit=idle_exit,
                                redis_wait=redis_wait)
    except Locked as exc:
        click.echo(f"newsarchive: {exc}; not starting a second writer", err=True)
        sys.exit(EX_TEMPFAIL)
    except CredentialsRefused as exc:
        click.echo(f"newsarchive: {exc}", err=True)
        sys.exit(Exit.USAGE)
    except redis.ConnectionError as exc:
        click.echo(f"newsarchive: writer stopped: {exc} for {redis_wait:.0f} s; what it "
                   f"stored is in {db_path}; start it again once Redis is back", err=True)
        sys.exit(Exit.FAILED)
    click.echo("stored: " + (", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
                             or "nothing"))


@main.group("cluster")
def cluster_group() -> None:
    """A crawl on several machines: see `crawl --cluster` and `ingest --cluster`."""


@cluster_group.command("status")
@click.option("--cluster", metavar="redis://HOST:PORT/DB", envvar="NEWSARCHIVE_CLUSTER",
              callback=_cluster_url,
              help="The cluster's Redis ($NEWSARCHIVE_CLUSTER, which keeps a password out "
              "of `ps`).")
@click.option("--json", "as_json", is_flag=True)
def cluster_status(cluster: str, as_json: bool) -> None:
    """Workers, site leases, queued requests, items waiting for the writer, items
    refused by reason, the length of the `failed` list, and the rounds a stopped worker
    left unfinished (until a worker leases the site again).

    Exit status 1: Redis unreachable; 2: Redis refused the credentials."""
    import redis

    from .crawl.cluster import CredentialsRefused, connect, status

    _need_cluster(cluster)
    try:
        s = status.status(connect(cluster, wait=0))
    except CredentialsRefused as exc:
        click.echo(f"newsarchive: {exc}", err=True)
        sys.exit(Exit.USAGE)
    except redis.RedisError as exc:
        click.echo(f"newsarchive: {exc}", err=True)
        sys.exit(Exit.FAILED)
    click.echo(json.dumps(s, indent=1) if as_json else status.text(s))


def _require_db(path: str) -> None:
    if not Path(path).exists():
        raise click.ClickException(f"no archive at {path} (crawl or import first)")


@main.command("upgrade")
@DB_OPTION
def upgrade_cmd(db_path: str) -> None:
    """Bring an archive written by an older newsarchive to this version's schema (crawl,
    import and serve do it themselves; status, search and export ask for it)."""
    from .archive.db import upgrade

    _require_db(db_path)
    before, after = upgrade(db_path)  # UnusableArchive: one line, by Explained
    click.echo(f"{db_path}: schema version {before} -> {after}" if after != before
               else f"{db_path}: schema version {after}, already current")


@main.command("compact")
@DB_OPTION
@click.option("--batch", default=100, show_default=True, type=click.IntRange(1, 10_000),
              help="Pages converted per transaction.")
@click.option("--batches", type=click.IntRange(1), default=None,
              help="Stop after this many batches (run again to go on).")
def compact_cmd(db_path: str, batch: int, batches: int | None) -> None:
    """Store the raw pages an older newsarchive wrote (zlib, each alone) by difference:
    in place, in short transactions, safe to stop and run again. Exits 1 when a page
    could not be read (it is left as it was, and logged)."""
    from .archive.compact import compact

    _require_db(db_path)
    store = archive(db_path)
    try:
        done = compact(store.pages, batch=batch, batches=batches)
    finally:
        store.close()
    saved = f"{done.before / 2**20:.1f} -> {done.after / 2**20:.1f} MiB"
    trained = f", dictionaries trained for {', '.join(done.trained)}" if done.trained else ""
    click.echo(f"{db_path}: {done.converted} pages converted ({saved}){trained}; "
               f"{done.left} left as zlib")
    if done.unreadable:
        click.echo(f"newsarchive: {done.unreadable} pages could not be read and were left "
                   "as they were (each named above)", err=True)
        sys.exit(Exit.FAILED)


if __name__ == "__main__":
    main()
