"""Publishing the archive through Datasette: metadata, canned queries, templates, plugin."""

from __future__ import annotations

import atexit
import json
import shutil
import tempfile
from pathlib import Path

import yaml

HERE = Path(__file__).parent
SETTINGS = {
    "max_returned_rows": 1000,  # pages of results, never the whole table at once
    "default_page_size": 50,
    "allow_download": False,    # the raw database file is not offered for download
    "default_cache_ttl": 60,
    # a table view's queries together stay within one budget (budget.py); within it,
    # no facet takes more than this, and no query is spent on suggesting facets
    "facet_time_limit_ms": 200,
    "suggest_facets": False,
}


def settings(allow_sql: bool = False) -> dict:
    """Datasette's settings for the archive. Arbitrary SQL is off unless `allow_sql`
    (a trusted network): the canned queries, table views and our pages stay."""
    return {**SETTINGS, "default_allow_sql": allow_sql}


def metadata(db_path: str | Path, public_pages: bool = False) -> dict:
    """The project's metadata.yml, keyed by this database's name (its file stem); the
    private tables denied to everyone (and read as NULL through SQL) unless
    `public_pages`."""
    from ..archive import search

    name = Path(db_path).stem
    text = (HERE / "metadata.yml").read_text(encoding="utf-8")
    # the canned search ranks by the library's own rule, written once in archive/search.py
    for table in ("articles_pairs", "articles_fts"):
        text = text.replace(f"{{FILTERS:{table}}}", _filters(table))
    for key, value in (("WEIGHTS", search.WEIGHTS), ("CANDIDATES", search.CANDIDATES),
                       ("NEWEST_OFFSET", search.NEWEST - 1), ("NEWEST", search.NEWEST)):
        text = text.replace(f"{{{key}}}", str(value))
    meta = yaml.safe_load(text.replace('"/archive/', f'"/{name}/'))
    meta["databases"] = {name: meta["databases"]["archive"]}
    meta["plugins"] = {"newsarchive": {"public_pages": public_pages}}
    if not public_pages:
        tables = meta["databases"][name]["tables"]
        for table in PRIVATE_TABLES:
            tables[table] = {**tables.get(table, {}), "hidden": True, "allow": False}
    return meta


def _filters(table: str) -> str:
    """The canned search's optional filters on one FTS table (site, since, until). The
    dates are days in Vietnam time, both included, as `newsarchive search` and /search
    read them; compared with `published_utc` (indexed) from 00:00 to 24:00 +07:00."""
    day = "strftime('%Y-%m-%dT%H:%M:%SZ', :{}, '{}')"
    return " ".join(
        f"and (coalesce(:{name}, '') = '' or {table}.rowid in "
        f"(select id from articles where {test}))"
        for name, test in (("site", "site = :site"),
                           ("since", "published_utc >= " + day.format("since", "-7 hours")),
                           ("until", "published_utc < " + day.format("until", "+17 hours"))))


def datasette_args(db_path: str | Path, time_limit_ms: int = 3000,
                   immutable: bool = False, allow_sql: bool = False,
                   public_pages: bool = False) -> list[str]:
    """Arguments for `datasette serve` on the archive: read-only, time-limited, arbitrary
    SQL and raw pages only when asked for. The metadata file they name is removed when
    the process ends."""
    from ..archive import connect

    if not immutable:
        connect(db_path).conn.close()  # create or upgrade the schema before serving it
    folder = tempfile.mkdtemp(prefix="newsarchive-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    meta = Path(folder) / "metadata.json"
    meta.write_text(json.dumps(metadata(db_path, public_pages), ensure_ascii=False),
                    encoding="utf-8")
    database = ["-i", str(db_path)] if immutable else [str(db_path)]
    args = [*database, "--metadata", str(meta),
            "--setting", "sql_time_limit_ms", str(time_limit_ms)]
    for name, value in settings(allow_sql).items():
        text = ("on" if value else "off") if isinstance(value, bool) else str(value)
        args += ["--setting", name, text]
    return args


# The Datasette entry point is this package (so that its templates/ folder is found);
# the hooks live in plugin.py.
from .plugin import (  # noqa: E402
    PRIVATE_TABLES,
    asgi_wrapper,
    extra_template_vars,
    handle_exception,
    prepare_connection,
    register_routes,
    render_cell,
    startup,
)

__all__ = ["PRIVATE_TABLES", "asgi_wrapper", "datasette_args", "extra_template_vars",
           "handle_exception", "metadata", "prepare_connection", "register_routes",
           "render_cell", "settings", "startup"]
