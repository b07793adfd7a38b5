"""The published archive under Datasette's own test client, as `serve` configures it."""

from __future__ import annotations

import asyncio
from pathlib import Path

from datasette.app import Datasette

from newsarchive.publish import SETTINGS, metadata


def published(db: Path) -> Datasette:
    """Datasette on the archive file `db`, started (our plugin's startup hook run)."""
    instance = Datasette([str(db)], metadata=metadata(db), settings=SETTINGS)
    asyncio.run(instance.invoke_startup())
    return instance


def get(ds: Datasette, path: str):
    return asyncio.run(ds.client.get(path))
