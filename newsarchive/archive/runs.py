"""Crawl runs: one row per site per crawl, with its counts, failures and drift alarm; and
the `sites` table, a copy of the registry for joins and facets."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from typing import Any

from ..ground.clock import stamp
from ..ground.outcomes import RunStatus

RUN_COUNTERS = ("discovered", "new", "changed", "unchanged", "failed", "bytes", "fallback",
                "extracted", "missing")
SUMMARY = ("site", "status", "started_at", "finished_at", *RUN_COUNTERS[:5], "extracted",
           "missing", "fallback", "bytes", "errors", "examples", "alarm")


class Runs:
    """The `crawl_runs` and `sites` tables."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def sync_sites(self, rows: Iterable[Mapping[str, Any]]) -> None:
        """Copy the site registry (`Site.row()` of each paper) into the `sites` table."""
        with self.conn:
            self.conn.executemany(
                "INSERT INTO sites (id, name, province, home, platform) "
                "VALUES (:id, :name, :province, :home, :platform) "
                "ON CONFLICT(id) DO UPDATE SET name=excluded.name, province=excluded.province, "
                "home=excluded.home, platform=excluded.platform", list(rows))

    def start(self, site: str) -> int:
        """Open the site's run row; a row of the site still `running` (no finished_at)
        was left by a crawl that died, since a crawl holds the archive's lock: it is
        closed first, with status `interrupted`."""
        with self.conn:
            self.conn.execute(
                "UPDATE crawl_runs SET status = ?, finished_at = ? "
                "WHERE site = ? AND finished_at IS NULL",
                (RunStatus.INTERRUPTED, stamp(), site))
            return self.conn.execute(
                "INSERT INTO crawl_runs (site, started_at) VALUES (?, ?)",
                (site, stamp())).lastrowid

    def finish(self, run_id: int, counts: dict[str, int], errors: dict[str, int],
               status: RunStatus = RunStatus.OK, examples: list[str] | None = None,
               alarm: str | None = None) -> None:
        cols = {k: int(counts.get(k, 0)) for k in RUN_COUNTERS}
        sets = ", ".join(f"{k} = ?" for k in cols)
        with self.conn:
            self.conn.execute(
                f"UPDATE crawl_runs SET {sets}, errors = ?, status = ?, finished_at = ?, "
                "examples = ?, alarm = ? WHERE id = ?",
                [*cols.values(), json.dumps(errors, ensure_ascii=False), status, stamp(),
                 json.dumps(examples or [], ensure_ascii=False), alarm, run_id])

    def record(self, site: str, started_at: str, counts: dict[str, int],
               errors: dict[str, int], status: RunStatus = RunStatus.OK,
               examples: list[str] | None = None, alarm: str | None = None) -> int:
        """A finished run, whole (a cluster's writer records one when a worker ends a
        site's round)."""
        cols = {k: int(counts.get(k, 0)) for k in RUN_COUNTERS}
        with self.conn:
            return self.conn.execute(
                f"INSERT INTO crawl_runs (site, started_at, finished_at, status, errors, "
                f"examples, alarm, {', '.join(cols)}) "
                f"VALUES (?, ?, ?, ?, ?, ?, ?{', ?' * len(cols)})",
                [site, started_at, stamp(), status, json.dumps(errors, ensure_ascii=False),
                 json.dumps(examples or [], ensure_ascii=False), alarm,
                 *cols.values()]).lastrowid

    def recent(self, site: str, before: int, limit: int = 10) -> list[dict[str, Any]]:
        """The site's finished runs before run `before`, newest first."""
        return self._dicts(
            f"SELECT {', '.join(RUN_COUNTERS)}, status FROM crawl_runs WHERE site = ? "
            "AND id < ? AND finished_at IS NOT NULL ORDER BY id DESC LIMIT ?",
            (site, before, limit))

    def latest(self, site: str | None = None) -> list[dict[str, Any]]:
        """The latest run of each site (or of `site`), by site id."""
        return self._dicts(
            f"SELECT {', '.join(dict.fromkeys(SUMMARY))} FROM crawl_runs "
            "WHERE id IN (SELECT max(id) FROM crawl_runs GROUP BY site)"
            + (" AND site = ?" if site else "") + " ORDER BY site", (site,) if site else ())

    def last_id(self) -> int:
        """The id of the newest crawl_runs row (0 when there is none): what a crawl about
        to start reads, so that its summary shows its own rows only (`since`)."""
        return self.conn.execute("SELECT coalesce(max(id), 0) FROM crawl_runs").fetchone()[0]

    def since(self, run_id: int) -> list[dict[str, Any]]:
        """The rows written after row `run_id`, by site id: one crawl's runs."""
        return self._dicts(
            f"SELECT {', '.join(dict.fromkeys(SUMMARY))} FROM crawl_runs WHERE id > ? "
            "ORDER BY site", (run_id,))

    def per_site(self) -> dict[str, dict[str, Any]]:
        """By site id: `articles` stored, `last_crawl` (when the latest run finished, or
        started if it never finished) and `last_result` (its status)."""
        out: dict[str, dict[str, Any]] = {}
        for site, count in self.conn.execute(
                "SELECT site, count(*) FROM articles GROUP BY site"):
            out[site] = {"articles": count, "last_crawl": None, "last_result": None}
        for row in self.latest():
            entry = out.setdefault(row["site"], {"articles": 0})
            entry["last_crawl"] = row["finished_at"] or row["started_at"]
            entry["last_result"] = row["status"]
        return out

    def _dicts(self, sql: str, params: tuple) -> list[dict[str, Any]]:
        cur = self.conn.execute(sql, params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur]
