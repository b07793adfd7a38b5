"""HTML -> Article, with no Scrapy in sight: `extract(data, url)` on any saved page."""

from __future__ import annotations

from typing import Any

__all__ = ["ExtractError", "NotAnArticle", "extract"]


def __getattr__(name: str) -> Any:
    # Lazy, so that `sites` (which declares layouts) and `extract` can import each other.
    if name in __all__:
        from . import core, decode

        return {"extract": core.extract, "NotAnArticle": core.NotAnArticle,
                "ExtractError": decode.ExtractError}[name]
    raise AttributeError(name)
