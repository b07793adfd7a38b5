"""Logging for unattended runs: a human line on the terminal, and optionally a rotating
log file with one event per line (JSON if asked)."""

from __future__ import annotations

import json
import logging
import logging.handlers
import sys
from datetime import UTC, datetime

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


def setup(level: str = "INFO", log_file: str | None = None, json_lines: bool = False,
          max_bytes: int = 10 * 1024 * 1024, backups: int = 5) -> None:
    """Configure the root logger (Scrapy's records included)."""
    root = logging.getLogger()
    root.handlers.clear()
    root.setLevel(level)
    terminal = logging.StreamHandler(sys.stderr)
    terminal.setLevel(level)  # Scrapy sets its own loggers to DEBUG
    terminal.setFormatter(JsonLines() if json_lines and not log_file else
                          logging.Formatter(FORMAT))
    root.addHandler(terminal)
    if log_file:
        rotating = logging.handlers.RotatingFileHandler(
            log_file, maxBytes=max_bytes, backupCount=backups, encoding="utf-8")
        rotating.setFormatter(JsonLines() if json_lines else logging.Formatter(FORMAT))
        rotating.setLevel(level)
        root.addHandler(rotating)
