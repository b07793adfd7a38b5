"""HTML -> Article, with no Scrapy and no archive in sight: `extract(data, url, site=...)`
on any saved page; platform layouts in `platforms.py`."""

from .core import NotAnArticle, extract
from .decode import ExtractError

__all__ = ["ExtractError", "NotAnArticle", "extract"]
