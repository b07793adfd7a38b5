"""Publishing the archive through Datasette: metadata, canned queries, templates, plugin."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import yaml

HERE = Path(__file__).parent
SETTINGS = {
    "max_returned_rows": 1000,  # pages of results, never the whole table at once
    "default_page_size": 50,
    "allow_download": False,    # the raw database file is not offered for download
    "default_cache_ttl": 60,
}


def metadata(db_path: str | Path) -> dict:
    """The project's metadata.yml, keyed by this database's name (its file stem)."""
    from ..archive.search import CANDIDATES, WEIGHTS

    name = Path(db_path).stem
    text = (HERE / "metadata.yml").read_text(encoding="utf-8")
    # the canned search ranks by the library's own rule, written once in archive/search.py
    text = text.replace("{WEIGHTS}", WEIGHTS).replace("{CANDIDATES}", str(CANDIDATES))
    meta = yaml.safe_load(text.replace('"/archive/', f'"/{name}/'))
    meta["databases"] = {name: meta["databases"]["archive"]}
    return meta


def datasette_args(db_path: str | Path, time_limit_ms: int = 3000,
                   immutable: bool = False) -> list[str]:
    """Arguments for `datasette serve` on the archive: read-only, time-limited."""
    from ..archive import connect

    if not immutable:
        connect(db_path).conn.close()  # create or upgrade the schema before serving it
    meta = Path(tempfile.mkdtemp(prefix="newsarchive-")) / "metadata.json"
    meta.write_text(json.dumps(metadata(db_path), ensure_ascii=False), encoding="utf-8")
    database = ["-i", str(db_path)] if immutable else [str(db_path)]
    args = [*database, "--metadata", str(meta),
            "--setting", "sql_time_limit_ms", str(time_limit_ms)]
    for name, value in SETTINGS.items():
        text = ("on" if value else "off") if isinstance(value, bool) else str(value)
        args += ["--setting", name, text]
    return args


# The Datasette entry point is this package (so that its templates/ folder is found);
# the hooks live in plugin.py.
from .plugin import (  # noqa: E402
    asgi_wrapper,
    extra_template_vars,
    prepare_connection,
    register_routes,
    render_cell,
    startup,
)

__all__ = ["asgi_wrapper", "datasette_args", "extra_template_vars", "metadata",
           "prepare_connection", "register_routes", "render_cell", "startup"]
