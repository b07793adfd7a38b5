"""The published archive under Datasette's own test client, as `serve` configures it."""

from __future__ import annotations

import asyncio
from pathlib import Path

from datasette.app import Datasette

from newsarchive.publish import metadata, settings


def published(db: Path, allow_sql: bool = False, public_pages: bool = False,
              time_limit_ms: int = 3000) -> Datasette:
    """Datasette on the archive file `db`, started (our plugin's startup hook run), with
    `serve`'s options and its default time limit."""
    instance = Datasette([str(db)], metadata=metadata(db, public_pages),
                         settings={**settings(allow_sql), "sql_time_limit_ms": time_limit_ms})
    asyncio.run(instance.invoke_startup())
    return instance


def get(ds: Datasette, path: str):
    return asyncio.run(ds.client.get(path))
