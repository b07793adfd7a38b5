"""The alarm on layout drift: `crawl --on-alarm COMMAND` runs COMMAND (in a shell) once
for each site whose run came out `degraded`, the message on its standard input and in
NEWSARCHIVE_ALARM_SITE, NEWSARCHIVE_ALARM_MESSAGE and NEWSARCHIVE_ALARM_EXAMPLES."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterable, Mapping
from typing import Any

from ..ground.outcomes import RunStatus


def raise_alarms(command: str, rows: Iterable[Mapping[str, Any]]) -> list[str]:
    """Run `command` for each degraded run of `rows` (`crawl_runs` rows); the sites it
    was run for."""
    sites = []
    for row in rows:
        if row["status"] == RunStatus.DEGRADED:
            run_alarm(command, row)
            sites.append(row["site"])
    return sites


def run_alarm(command: str, row: Mapping[str, Any]) -> int:
    """Run `command` about the drift of `row`'s site; its exit status (a failing hook
    does not fail the crawl)."""
    examples = json.loads(row["examples"] or "[]")
    message = f"newsarchive: layout drift on {row['site']}: {row['alarm']}\n" + "\n".join(
        examples)
    env = {**os.environ, "NEWSARCHIVE_ALARM_SITE": row["site"],
           "NEWSARCHIVE_ALARM_MESSAGE": row["alarm"],
           "NEWSARCHIVE_ALARM_EXAMPLES": " ".join(examples)}
    return subprocess.run(command, shell=True, input=message, text=True, env=env,
                          check=False).returncode
