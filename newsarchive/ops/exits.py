"""The exit statuses of every command, in one table: the code exits with these, each
command's `--help` ends with `text()`, and README's "## Exit statuses" is `markdown()`
(tests/test_first_hour.py compares them)."""

from __future__ import annotations

import signal
from collections.abc import Iterable
from enum import IntEnum

from ..ground.outcomes import RunStatus


class Exit(IntEnum):
    OK = 0
    FAILED = 1         # the work failed: the message says what failed
    USAGE = 2          # click's own status for a usage error
    NOT_ARTICLE = 3    # extract: readable, but not an article
    INTERNAL = 70      # sysexits EX_SOFTWARE: a bug; the traceback is in the error log
    LOCKED = 75        # sysexits EX_TEMPFAIL: another crawl holds the archive
    SIGINT = 130
    SIGTERM = 143


MEANINGS: dict[tuple[Exit, ...], str] = {
    (Exit.OK,): "done",
    (Exit.FAILED,): (
        "the work failed: a site failed entirely, the archive could not be written "
        "(read-only, disk full), an output file could not be written, a stored page "
        "`compact` could not read, no archive at `--db`, unreadable input (`extract`), bad "
        "lines in an `import` (`FILE:LINE: reason`), Redis unreachable (`cluster status` "
        "at once; the writer and workers once they retried for `--redis-wait` or "
        "`NEWSARCHIVE_CLUSTER_REDIS_WAIT` seconds, 300 by default), a port in use "
        "(`serve`); also a reader that stopped reading (as `head` does), without a word"),
    (Exit.USAGE,): (
        "a usage error, said in one line before anything starts: an unknown option, site "
        "or `--format`, a date not written `YYYY-MM-DD`, a wrong `--every`, `--port`, "
        "`--cluster` URL or `-s NAME=VALUE`, a missing file or folder, a `--db` that "
        "exists but is not an archive, a `--replay` that is not a folder with "
        "`manifest.csv` (or names files outside it) nor a WARC file, no cluster key or a "
        "Redis password refused"),
    (Exit.NOT_ARTICLE,): "`extract`: the page is not an article",
    (Exit.INTERNAL,): (
        "an internal error (a bug): one line on the terminal, the traceback appended to "
        "`$NEWSARCHIVE_ERROR_LOG` (default `/tmp/newsarchive-error.log`), or to "
        "`--log-file` during a crawl"),
    (Exit.LOCKED,): "another crawl holds the archive's lock; try again later",
    (Exit.SIGINT, Exit.SIGTERM): (
        "`crawl` stopped by SIGINT (Ctrl-C) or SIGTERM (the systemd unit's time limit): "
        "what was in hand is finished, the sites not done are recorded `interrupted`, and "
        "one line says to run the same command again to resume"),
}

# The same in a few words, for the line `run --every` prints after each crawl.
BRIEF: dict[int, str] = {
    Exit.OK: "ok", Exit.FAILED: "a site failed or the archive could not be written",
    Exit.USAGE: "a usage error", Exit.INTERNAL: "an internal error",
    Exit.LOCKED: "another crawl held the lock", Exit.SIGINT: "stopped by SIGINT",
    Exit.SIGTERM: "stopped by SIGTERM"}


def of_signal(name: str) -> Exit:
    """The status of a command stopped by the signal `name` (`SIGINT`), as shells give
    it: 128 + its number."""
    return Exit(128 + signal.Signals[name])


def of_crawl(statuses: Iterable[str]) -> Exit:
    """A finished crawl's status from its sites' run statuses: FAILED when no site was
    crawled or one failed entirely, else OK (a degraded site is not a failure)."""
    statuses = list(statuses)
    return Exit.FAILED if not statuses or RunStatus.FAILED in statuses else Exit.OK


def _label(statuses: tuple[Exit, ...]) -> str:
    return ", ".join(str(int(s)) for s in statuses)


def markdown() -> list[str]:
    """README's table, line by line."""
    return ["| status | meaning |", "|---|---|",
            *(f"| {_label(k)} | {v} |" for k, v in MEANINGS.items())]


def text() -> str:
    """The same list for `--help`: a paragraph per status (click rewraps each)."""
    return "Exit status:\n\n" + "\n\n".join(f"{_label(k)}: {v.replace('`', '')}"
                                              for k, v in MEANINGS.items())
