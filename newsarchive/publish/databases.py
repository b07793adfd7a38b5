"""Datasette's list of databases (`/-/databases`, `/-/databases.json`) without where they
are on this machine: Datasette shows each file's absolute path, which tells any visitor
the server's folders and user names. Each database keeps its name, route and size; its
path is the file name alone."""

from __future__ import annotations

from pathlib import Path

from datasette.views.special import JsonDataView

ROUTE = r"^/-/databases(\.(?P<format>json))?$"  # Datasette's own, which ours comes before


def listed(datasette) -> list[dict]:
    """The databases as Datasette lists them, each `path` only the file's name."""
    return [{"name": db.name, "route": db.route,
             "path": Path(db.path).name if db.path else None, "size": db.size,
             "is_mutable": db.is_mutable, "is_memory": db.is_memory, "hash": db.hash}
            for name, db in datasette.databases.items() if name != "_internal"]


def databases_view(datasette):
    """The view of `/-/databases` (HTML) and `/-/databases.json`."""
    return JsonDataView.as_view(datasette, "databases.json", lambda: listed(datasette))
