"""Logging for unattended runs: a human line on the terminal, and optionally a rotating
log file with one event per line (JSON if asked)."""

from __future__ import annotations

import json
import logging
import logging.handlers
import os
import sys
import tempfile
import traceback
from datetime import UTC, datetime
from pathlib import Path

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JsonLines(logging.Formatter):
    """`{"time": ..., "level": ..., "logger": ..., "message": ...}` per line."""

    def format(self, record: logging.LogRecord) -> str:
        event = {"time": datetime.fromtimestamp(record.created, UTC).isoformat(
                     timespec="seconds"),
                 "level": record.levelname, "logger": record.name,
                 "message": record.getMessage()}
        if record.exc_info:
            event["exception"] = self.formatException(record.exc_info)
        return json.dumps(event, ensure_ascii=False)


class Calm(logging.Filter):
    """The terminal of a crawl that is not `-v`: our own lines (progress, drift alarms,
    archive errors) and Scrapy's CRITICAL ones; the per-request warnings, errors and
    dumps of Scrapy, Twisted and the spider are counted in `hidden`, not shown (the
    summary gives their reasons, `-v` or `--log-file` the details). `quiet` keeps only
    errors."""

    def __init__(self, quiet: bool = False):
        super().__init__()
        self.quiet = quiet
        self.hidden = 0

    def filter(self, record: logging.LogRecord) -> bool:
        ours = record.name == "newsarchive" or record.name.startswith("newsarchive.")
        floor = (logging.ERROR if self.quiet else logging.INFO) if ours else logging.CRITICAL
        if record.levelno >= floor:
            return True
        if record.levelno >= logging.WARNING:
            self.hidden += 1
        return False


class OneLine(logging.Formatter):
    """A record in one line, worded as the command's own lines are: `newsarchive: ` and
    its message's first line (with its level when worse than INFO, and the logger when
    it is not ours), and the exception's last line instead of the traceback (which goes
    to the log file only)."""

    def format(self, record: logging.LogRecord) -> str:
        text = record.getMessage()
        lines = [line for line in text.splitlines() if line.strip()]
        first = lines[0] if lines else ""
        last = ""
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            last = f"{type(exc).__name__}: {exc}".splitlines()[0]
        elif len(lines) > 1 and ("Error" in lines[-1] or "Exception" in lines[-1]):
            last = lines[-1].strip()  # a traceback already in the message (Twisted)
        ours = record.name == "newsarchive" or record.name.startswith("newsarchive.")
        level = f"{record.levelname.lower()}: " if record.levelno > logging.INFO else ""
        return f"newsarchive: {level}{'' if ours else record.name + ': '}{first}" + (
            f" ({last})" if last else "")


def setup(level: str = "INFO", log_file: str | None = None, json_lines: bool = False,
          max_bytes: int = 10 * 1024 * 1024, backups: int = 5,
          calm: Calm | None = None) -> None:
    """Configure the root logger (Scrapy's records included). With `calm`, the terminal
    shows what that filter lets through, one line each; the log file keeps everything
    at `level`, tracebacks included."""
    root = logging.getLogger()
    root.handlers.clear()
    root.setLevel(level)
    terminal = logging.StreamHandler(sys.stderr)
    terminal.setLevel(level)  # Scrapy sets its own loggers to DEBUG
    if calm is not None:
        terminal.addFilter(calm)
        terminal.setFormatter(OneLine())
    else:
        terminal.setFormatter(JsonLines() if json_lines and not log_file else
                              logging.Formatter(FORMAT))
    root.addHandler(terminal)
    if log_file:
        rotating = logging.handlers.RotatingFileHandler(
            log_file, maxBytes=max_bytes, backupCount=backups, encoding="utf-8")
        rotating.setFormatter(JsonLines() if json_lines else logging.Formatter(FORMAT))
        rotating.setLevel(level)
        root.addHandler(rotating)


def append_traceback(exc: BaseException) -> str:
    """Append `exc`'s traceback, under the time and the command line, to the error log,
    `$NEWSARCHIVE_ERROR_LOG` (default: a file in the temporary folder); its path, or
    where it could not be written."""
    path = os.environ.get("NEWSARCHIVE_ERROR_LOG") or str(
        Path(tempfile.gettempdir()) / "newsarchive-error.log")
    try:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(f"--- {datetime.now(UTC).isoformat(timespec='seconds')} "
                     f"{' '.join(sys.argv)}\n")
            fh.write("".join(traceback.format_exception(exc)))
    except OSError:
        return "nowhere: the error log could not be written"
    return path
