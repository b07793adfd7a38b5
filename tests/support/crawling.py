"""Running `newsarchive crawl` in a subprocess, fast, as the end-to-end tests do."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from .fixtures import ROOT

# Politeness lifted for local servers, which are on 127.0.0.1 (the one copy of these
# settings).
FAST = ["-s", "NEWSARCHIVE_ALLOW_PRIVATE=True", "-s", "DOWNLOAD_DELAY=0",
        "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "RETRY_TIMES=1", "-s", "DOWNLOAD_TIMEOUT=2",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8"]


def crawl(*args: str, env: dict | None = None, timeout: int = 300, quiet: bool = True):
    return subprocess.run([sys.executable, "-m", "newsarchive.cli", "crawl", *args,
                           *(["-q"] if quiet else [])],
                          cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


def rows(db: Path, sql: str, *params):
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()
